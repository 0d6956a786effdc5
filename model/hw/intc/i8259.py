"""The PC's two cascaded i8259 interrupt controllers (``hw/intc/i8259.c``, ``i8259_common.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device, Irq
from model.hw.core.irq import qdev_connect_gpio_out
from model.hw.isa.isa_bus import isa_create
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
