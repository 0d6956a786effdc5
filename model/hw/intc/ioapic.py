"""The I/O APIC (``hw/i386/x86.c: ioapic_init_gsi``)."""

from __future__ import annotations

from model.hw.core.composition import QomChild
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, sysbus_mmio_map, sysbus_realize
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

IO_APIC_DEFAULT_ADDRESS = 0xFEC00000


@traced("hw/i386/x86.c", args=lambda board, parent: {"parent": parent.path})
def ioapic_init_gsi(board: Board, parent: QomChild) -> Device:
    """The IOAPIC becomes a child named ``ioapic`` of the host bridge (or of the machine),
    is realized on the system bus and mapped at 0xfec00000; the GSIs feed its 24 inputs."""
    dev = sysbus_realize(board, "ioapic", owner=parent, name="ioapic")
    sysbus_mmio_map(board, dev, 0, IO_APIC_DEFAULT_ADDRESS)
    return dev


@device_realize("ioapic")
@traced("hw/intc/ioapic.c", args=lambda board, dev: {})
def ioapic_realize(board: Board, dev: Device) -> None:
    """Its register window (one page, MMIO region 0); the board maps it."""
    dev.own(memory_region_init_io(board.types, dev.typename, "ioapic", 0x1000))
