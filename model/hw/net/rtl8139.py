"""The Realtek RTL8139 NIC (``hw/net/rtl8139.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize
from model.hw.devices_generic import realize_from_facts
from model.softmmu.region_init import memory_region_init_alias, memory_region_init_io
from tracer.recorder import traced

RTL8139_REGS_SIZE = 0x100


@device_realize("rtl8139")
@traced("hw/net/rtl8139.c", args=lambda board, dev: {})
def pci_rtl8139_realize(board: Board, dev: Device) -> None:
    """One 256-byte register file seen twice: through I/O ports (BAR 0) and, as an alias, through
    memory (BAR 1); both unmapped until firmware assigns the BARs. The rest (NIC, MAC) follows
    from the facts."""
    io = dev.own(memory_region_init_io(board.types, dev.typename, "rtl8139", RTL8139_REGS_SIZE))
    dev.own(memory_region_init_alias(board.types, dev.typename, "rtl8139-mem", RTL8139_REGS_SIZE, io, 0))
    realize_from_facts(board, dev)
