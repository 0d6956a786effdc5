"""The i8254 programmable interval timer (``hw/timer/i8254.c``, ``i8254_common.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop, qdev_init_gpio_in
from model.hw.isa.isa_bus import isa_register_ioport
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced


@device_realize("isa-pit")
@traced("hw/timer/i8254.c", args=lambda board, dev: {"iobase": hex(prop(dev, "iobase"))})
def pit_realizefn(board: Board, dev: Device) -> None:
    """The four counter/control ports (``pit``) and the gate input of channel 2, then the ports
    mapped at ``iobase`` (``pit_common_realize``)."""
    ports = dev.own(memory_region_init_io(board.types, dev.typename, "pit", 4))
    qdev_init_gpio_in(board, dev, 1)
    isa_register_ioport(board, dev, ports, int(prop(dev, "iobase")))
