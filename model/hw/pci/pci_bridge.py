"""What every PCI-to-PCI bridge does at realize (``hw/pci/pci_bridge.c``).

``pci_bridge_initfn`` gives the bridge its secondary bus (named by the bridge's id when it has
one) and the two spaces that bus's devices decode in: ``pci_bridge_pci``, a memory container
as large as the 64-bit space, and ``pci_bridge_io``, 4 GiB of I/O. The bridge then forwards
part of its parent bus to them through windows (``pci_bridge_region_init``): aliases for the
prefetchable memory, memory and I/O ranges, each mapped into the parent's space at its base
with priority 1, and three VGA aliases (the legacy I/O ports and the 0xa0000 window) that are
mapped only when the guest sets the bridge's VGA enable bit.

A bridge whose realize fails after this undoes it (``pci_bridge_exitfn``): the three windows
are unmapped from the parent bus, each removal one more change to the memory map.

At realize the bridge's command register is clear and its base and limit registers hold no
address bits, so every window starts at 0 with size 0: mapping them still counts as a change to
the memory map, which is why the binary regenerates its flat views three times here.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import qbus_init
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import memory_region_add_subregion_overlap, memory_region_del_subregion
from model.softmmu.region_init import UINT64_MAX, memory_region_init, memory_region_init_alias
from tracer.recorder import traced

SRC = "hw/pci/pci_bridge.c"
IO_SPACE_SIZE = 4 << 30
# The VGA ranges a bridge can forward: (name, space, base, size) (``QEMU_PCI_VGA_*``).
VGA_WINDOWS = (("pci_bridge_vga_io_lo", "io", 0x3B0, 0xC), ("pci_bridge_vga_io_hi", "io", 0x3C0, 0x20),
               ("pci_bridge_vga_mem", "mem", 0xA0000, 0x20000))


@traced(SRC, args=lambda board, dev, bus_type: {"type": dev.typename, "bus_type": bus_type})
def pci_bridge_initfn(board: Board, dev: Device, bus_type: str) -> Bus:
    """The secondary bus, its two spaces, and the windows onto them from the parent bus."""
    sec = qbus_init(board, dev, bus_type, dev.id or None)
    sec.address_space_mem = dev.own(memory_region_init(board.types, dev.typename, "pci_bridge_pci", UINT64_MAX))
    sec.address_space_io = dev.own(memory_region_init(board.types, dev.typename, "pci_bridge_io", IO_SPACE_SIZE))
    pci_bridge_region_init(board, dev, sec)
    return sec


@traced(SRC, args=lambda board, dev, sec: {"type": dev.typename})
def pci_bridge_region_init(board: Board, dev: Device, sec: Bus) -> None:
    """Prefetchable memory, memory and I/O windows into the parent bus, then the VGA aliases."""
    parent = dev.parent_bus
    assert parent is not None and parent.address_space_mem is not None and parent.address_space_io is not None
    assert sec.address_space_mem is not None and sec.address_space_io is not None
    for name, space, parent_space in (("pci_bridge_pref_mem", sec.address_space_mem, parent.address_space_mem),
                                      ("pci_bridge_mem", sec.address_space_mem, parent.address_space_mem),
                                      ("pci_bridge_io", sec.address_space_io, parent.address_space_io)):
        pci_bridge_init_alias(board, dev, name, space, parent_space)
    for name, kind, base, size in VGA_WINDOWS:
        target = sec.address_space_io if kind == "io" else sec.address_space_mem
        dev.own(memory_region_init_alias(board.types, dev.typename, name, size, target, base))


def pci_bridge_init_alias(board: Board, dev: Device, name: str, space: MemoryRegion,
                          parent_space: MemoryRegion) -> None:
    """One forwarding window: closed at realize (command register clear), so base 0, size 0."""
    alias = dev.own(memory_region_init_alias(board.types, dev.typename, name, 0, space, 0))
    memory_region_add_subregion_overlap(board.types, board.memory_map, parent_space, 0, alias, 1)


@traced(SRC, args=lambda board, dev: {"type": dev.typename})
def pci_bridge_exitfn(board: Board, dev: Device) -> None:
    """Unmap the I/O, memory and prefetchable windows from the parent bus (in that order)."""
    parent = dev.parent_bus
    assert parent is not None and parent.address_space_mem is not None and parent.address_space_io is not None
    for name, parent_space in (("pci_bridge_io", parent.address_space_io),
                               ("pci_bridge_mem", parent.address_space_mem),
                               ("pci_bridge_pref_mem", parent.address_space_mem)):
        window = next(mr for mr in dev.obj.regions if mr.name == name and mr.alias is not None)
        memory_region_del_subregion(board.types, board.memory_map, parent_space, window)
