"""The i8042 keyboard controller and its PS/2 keyboard and mouse (``hw/input/pckbd.c``, ``ps2.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device, Irq
from model.hw.core.irq import qdev_connect_gpio_out
from model.hw.core.qdev import device_realize, qdev_realize
from model.hw.isa.isa_bus import isa_register_ioport
from tracer.recorder import traced

I8042_DATA, I8042_CMD = 0x60, 0x64


@device_realize("i8042")
@traced("hw/input/pckbd.c", args=lambda board, dev: {})
def i8042_realizefn(board: Board, dev: Device) -> None:
    """The data and command ports its instance init made are mapped (0x60, 0x64); the keyboard
    and mouse, embedded by ``i8042_initfn`` as the children ``ps2kbd`` and ``ps2mouse``, are
    realized as sysbus devices; the controller's two outputs raise ISA irqs 1
    and 12."""
    isa_register_ioport(board, dev, dev.region("i8042-data"), I8042_DATA)
    isa_register_ioport(board, dev, dev.region("i8042-cmd"), I8042_CMD)
    for name in ("ps2kbd", "ps2mouse"):
        child = dev.embedded[name]
        qdev_realize(board, child, board.sysbus)
        qdev_connect_gpio_out(board, child, "", 0, None)
    gsi = board_gsi(board)
    for n, irq in enumerate((gsi[1], gsi[12])) if gsi else ():
        qdev_connect_gpio_out(board, dev, "", n, irq)


def board_gsi(board: Board) -> list[Irq]:
    """The ISA bus's irqs (``isa_bus_irqs``): the board's GSIs."""
    return board.isa_irqs
