"""The LSI 53C895A SCSI controller, ``-device lsi53c895a`` (``hw/scsi/lsi53c895a.c``).

Realize makes the three register windows the BARs will expose (MMIO, on-chip RAM scripts,
I/O ports), then an address space of its own over the I/O space of its PCI bus,
``lsi-pci-io``: the SCRIPTS processor reaches I/O ports through it. The SCSI bus follows
(from the facts).
"""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize
from model.hw.devices_generic import realize_from_facts
from model.hw.pci.pci import pci_address_space_io
from model.softmmu.physmem import address_space_init
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

# (name, size) in the order realize makes them: BAR 1, BAR 2, BAR 0.
LSI_REGIONS = (("lsi-mmio", 0x400), ("lsi-ram", 0x2000), ("lsi-io", 0x100))


@device_realize("lsi53c895a")
@traced("hw/scsi/lsi53c895a.c", args=lambda board, dev: {})
def lsi_scsi_realize(board: Board, dev: Device) -> None:
    """The register windows (unmapped until firmware assigns the BARs) and ``lsi-pci-io``."""
    for name, size in LSI_REGIONS:
        dev.own(memory_region_init_io(board.types, dev.typename, name, size))
    address_space_init(board.types, board.memory_map, pci_address_space_io(dev), "lsi-pci-io")
    realize_from_facts(board, dev)
