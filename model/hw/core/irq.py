"""Interrupt lines that belong to no device (``hw/core/irq.c``, ``qdev_connect_gpio_out``).

Boards allocate plain irqs with ``qemu_allocate_irqs`` (the 24 GSIs, the A20 lines, the CPU's
interrupt input, the ACPI SMI line). Such an irq has no QOM parent until a device output is
connected to it: ``qdev_connect_gpio_out`` then adopts it as
``/machine/unattached/non-qdev-gpio[N]``. So the count of those names in ``info qom-tree`` is
the number of board irqs some device drives, in the order they were first connected.
A device's own inputs (``unnamed-gpio-in[N]``) are children of that device instead.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Device, Irq
from tracer.recorder import traced


def qemu_allocate_irqs(board: Board, handler: str, count: int) -> list[Irq]:
    """``qemu_allocate_irqs``: ``count`` irqs calling ``handler``, each a QOM object of its own
    (``qemu_allocate_irq`` is an ``object_new`` of ``irq``); no parent yet."""
    irqs: list[Irq] = []
    for n in range(count):
        board.types.object_new("irq")
        irqs.append(Irq(handler, n))
    return irqs


@traced("hw/core/qdev.c", name="qdev_connect_gpio_out_named",
        args=lambda board, dev, name, n, irq: {"type": dev.typename, "name": name, "n": n,
                                               "irq": f"{irq.handler}[{irq.number}]" if irq else "device input"})
def qdev_connect_gpio_out(board: Board, dev: Device, name: str, n: int, irq: Irq | None) -> None:
    """Wire output ``name[n]`` of ``dev`` to ``irq`` (None: another device's own input)."""
    if irq is not None and irq.node is None:
        irq.node = board.unattached.add_child("non-qdev-gpio[*]", "irq")
