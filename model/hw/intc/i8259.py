"""The PC's two cascaded i8259 interrupt controllers (``hw/intc/i8259.c``, ``i8259_common.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device, Irq
from model.hw.core.irq import qdev_connect_gpio_out
from model.hw.core.qdev import device_realize, prop, qdev_init_gpio_in
from model.hw.isa.isa_bus import isa_create, isa_register_ioport
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced


@traced("hw/intc/i8259.c", args=lambda board, bus, parent_irq: {"bus": bus.name})
def i8259_init(board: Board, bus: Bus, parent_irq: Irq) -> list[Device]:
    """The master at 0x20 (ELCR 0x4d0, mask 0xf8) drives the CPU's interrupt line; the slave at
    0xa0 (ELCR 0x4d1, mask 0xde) drives the master's input 2."""
    master = isa_create(board, bus, "isa-i8259", {"iobase": 0x20, "elcr_addr": 0x4D0, "elcr_mask": 0xF8,
                                                  "master": True})
    qdev_connect_gpio_out(board, master, "", 0, parent_irq)
    slave = isa_create(board, bus, "isa-i8259", {"iobase": 0xA0, "elcr_addr": 0x4D1, "elcr_mask": 0xDE})
    qdev_connect_gpio_out(board, slave, "", 0, None)
    return [master, slave]


@device_realize("isa-i8259")
@traced("hw/intc/i8259.c", args=lambda board, dev: {"iobase": hex(prop(dev, "iobase"))})
def pic_realize(board: Board, dev: Device) -> None:
    """The command/data ports and the edge/level control register, the eight irq inputs, then
    (``pic_common_realize``) both mapped, the ELCR only where it has an address."""
    base = dev.own(memory_region_init_io(board.types, dev.typename, "pic", 2))
    elcr = dev.own(memory_region_init_io(board.types, dev.typename, "elcr", 1))
    qdev_init_gpio_in(board, dev, 8)
    isa_register_ioport(board, dev, base, int(prop(dev, "iobase")))
    if int(prop(dev, "elcr_addr")) != -1:
        isa_register_ioport(board, dev, elcr, int(prop(dev, "elcr_addr")))
