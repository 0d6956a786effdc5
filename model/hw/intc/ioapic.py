"""The I/O APIC (``hw/i386/x86.c: ioapic_init_gsi``)."""

from __future__ import annotations

from model.hw.core.composition import QomChild
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import sysbus_mmio_map, sysbus_realize
from tracer.recorder import traced

IO_APIC_DEFAULT_ADDRESS = 0xFEC00000


@traced("hw/i386/x86.c", args=lambda board, parent: {"parent": parent.path})
def ioapic_init_gsi(board: Board, parent: QomChild) -> Device:
    """The IOAPIC becomes a child named ``ioapic`` of the host bridge (or of the machine),
    is realized on the system bus and mapped at 0xfec00000; the GSIs feed its 24 inputs."""
    dev = sysbus_realize(board, "ioapic", owner=parent, name="ioapic")
    sysbus_mmio_map(dev, 0, IO_APIC_DEFAULT_ADDRESS)
    return dev
