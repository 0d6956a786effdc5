"""The PC speaker (``hw/audio/pcspk.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop
from model.hw.isa.isa_bus import isa_register_ioport
from tracer.recorder import traced


@device_realize("isa-pcspk")
@traced("hw/audio/pcspk.c", args=lambda board, dev: {"iobase": hex(prop(dev, "iobase"))})
def pcspk_realizefn(board: Board, dev: Device) -> None:
    """Map the port its instance init made (0x61 by default)."""
    isa_register_ioport(board, dev, dev.region("pcspk"), int(prop(dev, "iobase")))
