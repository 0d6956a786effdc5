"""Programmable Attribute Map windows (``hw/pci-host/pam.c``): how the BIOS area below 1 MiB
reads and writes, shared by the i440FX and the Q35 MCH.

Each of the 13 PAM segments (0xf0000, 64 KiB; then 0xc0000-0xeffff in 16 KiB pieces) is four
aliases mapped over system memory at priority 1, all disabled but the current one: ``pam-pci``
(reads and writes go to PCI, the state at reset), ``pam-rom`` (read RAM, write PCI; a
read-only RAM alias), a second ``pam-pci`` (write RAM, read PCI; also PCI-backed in QEMU) and
``pam-ram``. ``init_pam`` makes them; the host's memory-mapping update enables the one its
PAM register selects.
"""

from __future__ import annotations

from model.hw.core.devices import Board, PamRegion
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import (
    memory_region_add_subregion_overlap,
    memory_region_set_enabled,
    memory_region_set_readonly,
    transaction,
)
from model.softmmu.region_init import memory_region_init_alias
from tracer.recorder import traced

PAM_BIOS = (0xF0000, 0x10000)
PAM_EXPAN_BASE, PAM_EXPAN_SIZE, PAM_EXPAN_COUNT = 0xC0000, 0x4000, 12
PAM_SEGMENTS = [PAM_BIOS, *((PAM_EXPAN_BASE + i * PAM_EXPAN_SIZE, PAM_EXPAN_SIZE) for i in range(PAM_EXPAN_COUNT))]


@traced("hw/pci-host/pam.c", args=lambda board, owner, ram, system, pci, start, size: {
    "owner": owner, "start": hex(start), "size": hex(size)})
def init_pam(board: Board, owner: str, ram: MemoryRegion, system: MemoryRegion, pci: MemoryRegion, start: int,
             size: int) -> PamRegion:
    """Make the segment's aliases (RAM, a read-only RAM one, two onto PCI), then map all four
    disabled in one transaction."""
    types, mm = board.types, board.memory_map
    ram_alias = memory_region_init_alias(types, owner, "pam-ram", size, ram, start)
    rom_alias = memory_region_init_alias(types, owner, "pam-rom", size, ram, start)
    memory_region_set_readonly(types, mm, rom_alias, True)
    pci_alias = memory_region_init_alias(types, owner, "pam-pci", size, pci, start)
    write_ram = memory_region_init_alias(types, owner, "pam-pci", size, ram, start)
    aliases = [pci_alias, rom_alias, write_ram, ram_alias]
    with transaction(types, mm):
        for alias in aliases:
            memory_region_set_enabled(types, mm, alias, False)
            memory_region_add_subregion_overlap(types, mm, system, start, alias, 1)
    return PamRegion(aliases)


def pam_update(board: Board, pam: PamRegion, mode: int) -> None:
    """Switch the segment to ``mode`` (0: PCI, as at reset): the current alias off, the new one on."""
    memory_region_set_enabled(board.types, board.memory_map, pam.aliases[pam.current], False)
    pam.current = mode
    memory_region_set_enabled(board.types, board.memory_map, pam.aliases[pam.current], True)
