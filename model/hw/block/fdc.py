"""The ISA floppy controller (``hw/block/fdc-isa.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop, qbus_init
from model.hw.isa.isa_bus import isa_register_portio_list
from tracer.recorder import traced

FDC_PORTS = [(1, 5), (7, 1)]


@device_realize("isa-fdc")
@traced("hw/block/fdc-isa.c", args=lambda board, dev: {})
def isabus_fdc_realize(board: Board, dev: Device) -> None:
    """Its ports (0x3f1-0x3f5 and 0x3f7 from ``iobase`` 0x3f0, a port list), then the floppy
    bus its drives plug into (``floppy-bus.0``)."""
    isa_register_portio_list(board, dev, int(prop(dev, "iobase")), FDC_PORTS, "fdc")
    qbus_init(board, dev, "floppy-bus", None)
