"""The VGA core every VGA-compatible adapter shares (``hw/display/vga.c``).

``vga_common_init`` gives the adapter its video RAM and starts VGA dirty logging on it (so
the display can tell what changed), which is a memory transaction of its own. ``vga_init``
maps the legacy window at 0xa0000 over whatever the PCI memory has there (priority 1) and the
legacy register ports: the VGA ports at 0x3b0 and the Bochs VBE ports at 0x1ce, each run of
ports its own region.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import prop, qdev_prop_set
from model.hw.pci.pci import settle_bar
from model.softmmu.ioport import portio_list_add
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import memory_region_add_subregion_overlap, memory_region_set_log
from model.softmmu.region_init import memory_region_init_io, memory_region_init_ram_nomigrate
from tracer.recorder import traced

SRC = "hw/display/vga.c"
MiB = 1 << 20
VGA_LOWMEM_BASE = 0xA0000
VGA_LOWMEM_SIZE = 0x20000
# vga_portio_list, at 0x3b0: 0x3b4-5, 0x3ba, 0x3c0-f, 0x3d4-5, 0x3da (offset, length).
VGA_PORTS = [(0x04, 2), (0x0A, 1), (0x10, 16), (0x24, 2), (0x2A, 1)]
VGA_PORTS_BASE = 0x3B0
# vbe_portio_list on x86, at 0x1ce: the index and data registers (16-bit each).
VBE_PORTS = [(0, 2), (2, 2)]
VBE_PORTS_BASE = 0x1CE


VRAM_BAR = 0


def vram_size(vgamem_mb: int) -> int:
    """``vgamem_mb`` clamped to 1..512 and rounded up to a power of two, in bytes."""
    mb = min(max(vgamem_mb, 1), 512)
    return (1 << (mb - 1).bit_length()) * MiB


@traced(SRC, args=lambda board, dev, vram_mb=None: {"type": dev.typename, "vram_mb": vram_mb or prop(dev, "vgamem_mb")})
def vga_common_init(board: Board, dev: Device, vram_mb: int | None = None) -> MemoryRegion:
    """The video RAM (``vga.vram``), with VGA dirty logging started on it. The size asked for
    (``vgamem_mb``, unless the adapter fixes it: ``vram_mb``) is clamped and rounded first, and
    ``vgamem_mb`` keeps the size used."""
    size = vram_size(int(prop(dev, "vgamem_mb")) if vram_mb is None else vram_mb)
    if vram_mb is None:
        qdev_prop_set(dev, "vgamem_mb", size // MiB)
        dev.decided.add("vgamem_mb")
    # A "global" VGA (ISA VGA always, PCI ones with global-vmstate) registers its video RAM
    # for migration under the bare name ``vga.vram``, which only one can have.
    if dev.typename == "isa-vga" or prop(dev, "global-vmstate") is True:
        if "vga.vram" in board.global_ram_blocks:
            raise QemuError("Only one global VGA device can be used at a time")
        board.global_ram_blocks.add("vga.vram")
    vram = dev.own(memory_region_init_ram_nomigrate(board.types, dev.typename, "vga.vram", size))
    memory_region_set_log(board.types, board.memory_map, vram, True)
    return vram


def vram_bar(dev: Device, vram: MemoryRegion) -> None:
    """``pci_register_bar(dev, 0, ..., &vga->vram)``: the adapter's BAR 0 is its video RAM, as
    large as the size settled at init (the facts saw one default size)."""
    settle_bar(dev, VRAM_BAR, vram.size)


def vga_init_io(board: Board, dev: Device) -> MemoryRegion:
    """``vga_init_io``: the legacy memory window (``vga-lowmem``, 128 KiB), not yet mapped; the
    port lists it returns are made by whoever maps them."""
    return dev.own(memory_region_init_io(board.types, dev.typename, "vga-lowmem", VGA_LOWMEM_SIZE))


@traced(SRC, args=lambda board, dev, space, io_space, init_vga_ports: {
    "type": dev.typename, "address_space": space.name, "init_vga_ports": init_vga_ports})
def vga_init(board: Board, dev: Device, space: MemoryRegion, io_space: MemoryRegion, init_vga_ports: bool) -> None:
    """The legacy window and register ports of a VGA adapter."""
    types, mm = board.types, board.memory_map
    lowmem = vga_init_io(board, dev)
    memory_region_add_subregion_overlap(types, mm, space, VGA_LOWMEM_BASE, lowmem, 1)
    if init_vga_ports:
        for mr in portio_list_add(types, mm, dev.typename, io_space, VGA_PORTS_BASE, VGA_PORTS, "vga"):
            dev.own(mr)
    for mr in portio_list_add(types, mm, dev.typename, io_space, VBE_PORTS_BASE, VBE_PORTS, "vbe"):
        dev.own(mr)
