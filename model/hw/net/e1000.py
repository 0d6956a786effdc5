"""The Intel 82540EM NIC (``hw/net/e1000.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize
from model.hw.devices_generic import realize_from_facts
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

E1000_MMIO_SIZE = 0x20000  # PNPMMIO_SIZE: BAR 0
E1000_IO_SIZE = 0x40  # IOPORT_SIZE: BAR 1


@device_realize("e1000")
@traced("hw/net/e1000.c", args=lambda board, dev: {})
def pci_e1000_realize(board: Board, dev: Device) -> None:
    """Its register window (BAR 0) and I/O port window (BAR 1), unmapped until firmware
    assigns the BARs; the rest (NIC, MAC, the generic realize's netdev checks) follows from
    the facts."""
    dev.own(memory_region_init_io(board.types, dev.typename, "e1000-mmio", E1000_MMIO_SIZE))
    dev.own(memory_region_init_io(board.types, dev.typename, "e1000-io", E1000_IO_SIZE))
    realize_from_facts(board, dev)
