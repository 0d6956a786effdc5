"""MSI-X (``hw/pci/msix.c``): the vector table and pending-bit array a device exposes.

``msix_init`` makes two I/O regions owned by the device, ``msix-table`` (16 bytes a vector)
and ``msix-pba`` (one bit a vector, in 64-bit words), and maps each into the BAR the caller
chose, at the offsets it chose. ``msix_init_exclusive_bar`` is the common case of a BAR of
its own (``NAME-msix``): 4 KiB with the table in the lower half and the PBA in the upper half
unless the table needs more room.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import memory_region_add_subregion, memory_region_del_subregion
from model.softmmu.region_init import memory_region_init, memory_region_init_io
from tracer.recorder import traced

SRC = "hw/pci/msix.c"
PCI_MSIX_ENTRY_SIZE = 16


def pba_size(nentries: int) -> int:
    """The pending bits, rounded up to whole 64-bit words."""
    return (nentries + 63) // 64 * 8


def pow2ceil(value: int) -> int:
    return 1 << (value - 1).bit_length() if value > 1 else 1


@traced(SRC, args=lambda board, dev, nentries, table_bar, table_offset, pba_bar, pba_offset: {
    "type": dev.typename, "nentries": nentries, "table_offset": hex(table_offset), "pba_offset": hex(pba_offset)})
def msix_init(board: Board, dev: Device, nentries: int, table_bar: MemoryRegion, table_offset: int,
              pba_bar: MemoryRegion, pba_offset: int) -> None:
    """The table and the PBA, each mapped into its BAR as soon as it is made."""
    types, mm = board.types, board.memory_map
    table = dev.own(memory_region_init_io(types, dev.typename, "msix-table", nentries * PCI_MSIX_ENTRY_SIZE))
    _owned(dev, "msix-table")
    memory_region_add_subregion(types, mm, table_bar, table_offset, table)
    pba = dev.own(memory_region_init_io(types, dev.typename, "msix-pba", pba_size(nentries)))
    _owned(dev, "msix-pba")
    memory_region_add_subregion(types, mm, pba_bar, pba_offset, pba)


# The devices whose MSI-X the model sets up: their MSI-X regions are this code's to name in the
# composition tree (a device with MSI-X off, or without vectors, has none), not the facts'.
MSIX_OWNED = frozenset({"msix-table", "msix-pba", "*-msix"})


def _owned(dev: Device, name: str) -> None:
    if dev.node is not None:
        dev.node.add_child(name + "[*]", "memory-region")


@traced(SRC, args=lambda board, dev, nentries: {"type": dev.typename, "nentries": nentries})
def msix_init_exclusive_bar(board: Board, dev: Device, nentries: int) -> MemoryRegion:
    """A BAR holding only the MSI-X structures, named after the device."""
    pba_offset = max(0x800, nentries * PCI_MSIX_ENTRY_SIZE)
    bar_size = pow2ceil(max(0x1000, pba_offset + pba_size(nentries)))
    bar = dev.own(memory_region_init(board.types, dev.typename, f"{dev.typename}-msix", bar_size))
    _owned(dev, f"{dev.typename}-msix")
    msix_init(board, dev, nentries, bar, 0, bar, pba_offset)
    return bar


@traced(SRC, args=lambda board, dev: {"type": dev.typename})
def msix_uninit_exclusive_bar(board: Board, dev: Device) -> None:
    """Undo ``msix_init_exclusive_bar`` (a failed realize): the table, then the PBA, unmapped."""
    bar = dev.region(f"{dev.typename}-msix")
    for name in ("msix-table", "msix-pba"):
        memory_region_del_subregion(board.types, board.memory_map, bar, dev.region(name))
