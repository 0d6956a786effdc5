"""The Standard Hot-Plug Controller of a PCI bridge (``hw/pci/shpc.c``).

A bridge with SHPC gives it a memory BAR (``shpc-bar``, the register file rounded up to a power
of two) and ``shpc_init`` maps the controller's registers (``shpc-mmio``) at its start. QEMU
always sizes the controller for the most slots it supports, 31: 0x24 bytes of common registers
and 4 a slot.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.pci.msix import pow2ceil
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import memory_region_add_subregion, memory_region_del_subregion
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

SHPC_MAX_SLOTS = 31


def shpc_sizeof(nslots: int = SHPC_MAX_SLOTS) -> int:
    """The register file: common registers, then one dword a slot (``SHPC_SLOT_REG``)."""
    return 0x24 + nslots * 4


def shpc_bar_size() -> int:
    return pow2ceil(shpc_sizeof())


@traced("hw/pci/shpc.c", args=lambda board, dev, bar, offset: {"type": dev.typename, "offset": hex(offset)})
def shpc_init(board: Board, dev: Device, bar: MemoryRegion, offset: int) -> None:
    """The controller's registers, mapped into the bar at ``offset``."""
    mmio = dev.own(memory_region_init_io(board.types, dev.typename, "shpc-mmio", shpc_sizeof()))
    memory_region_add_subregion(board.types, board.memory_map, bar, offset, mmio)


@traced("hw/pci/shpc.c", args=lambda board, dev, bar: {"type": dev.typename})
def shpc_cleanup(board: Board, dev: Device, bar: MemoryRegion) -> None:
    """A failed realize unmaps the controller's registers again."""
    memory_region_del_subregion(board.types, board.memory_map, bar, dev.region("shpc-mmio"))
