"""The QXL paravirtual display as the primary adapter, ``-device qxl-vga`` (``hw/display/qxl.c``).

``qxl_init_ramsize`` settles the sizes first: the VGA framebuffer (``vgamem_mb``, 8 to 256
MiB), the video RAM of BAR 0 (``ram_size``, or ``ram_size_mb``; at least twice the
framebuffer), the 32-bit surface window of BAR 1 (``vram_size``/``vram_size_mb``, at least a
page) and the 64-bit surface RAM (``vram64_size_mb``, at least the 32-bit window), each
rounded up to a power of two; revision 1 shrinks both surface areas to a page. Then the VGA
core on that video RAM, its legacy window and VBE ports, QXL's own copy of the VGA port list,
a graphic console (which must be console 0), and the common part: the ROM (``qxl.vrom``), the
surface RAM (``qxl.vram``) with its 32-bit alias, and the I/O ports, whose size follows the
revision (1 to 5).
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop, qdev_prop_set
from model.hw.devices_generic import realize_from_facts
from model.hw.display.vga import VGA_PORTS, VGA_PORTS_BASE, vga_common_init, vga_init, vram_bar
from model.hw.pci.msix import pow2ceil
from model.hw.pci.pci import pci_address_space, pci_address_space_io, settle_bar
from model.softmmu.ioport import portio_list_add
from model.softmmu.region_init import (
    memory_region_init_alias,
    memory_region_init_io,
    memory_region_init_ram,
    memory_region_init_rom,
)
from model.ui.console import graphic_console_init
from tracer.recorder import traced

SRC = "hw/display/qxl.c"
MiB = 1 << 20
UNSET = 0xFFFFFFFF  # -1 in the *_mb properties
QXL_DEFAULT_REVISION = 5
QXL_ROM_SIZE = 0x2000  # the ROM header and mode list, rounded up to a power of two
# The BARs: video RAM (0, sized by vga_common_init), 32-bit surfaces, ROM, I/O ports, 64-bit surfaces.
QXL_VRAM_RANGE_INDEX, QXL_IO_RANGE_INDEX, QXL_VRAM64_RANGE_INDEX = 1, 3, 4
IO_SIZES = {1: 8, 2: 16, 3: 32, 4: 32, 5: 32}  # QXL_IO_RANGE_SIZE (0x17) rounded up from revision 4


def _mb(dev: Device, name: str) -> int | None:
    value = int(prop(dev, name))
    return None if value == UNSET else value * MiB


def qxl_init_ramsize(dev: Device) -> tuple[int, int, int]:
    """(video RAM, 32-bit surface window, 64-bit surface RAM) in bytes. The clamped framebuffer
    size, the video RAM and the 32-bit window are written back to the properties they came
    from (``vgamem_mb``, ``ram_size``, ``vram_size``), so ``info qtree`` shows what is used."""
    vgamem_mb = min(max(int(prop(dev, "vgamem_mb")), 8), 256)
    vram = _mb(dev, "ram_size_mb") or int(prop(dev, "ram_size"))
    vram = max(vram, vgamem_mb * MiB * 2)
    vram32 = max(_mb(dev, "vram_size_mb") or int(prop(dev, "vram_size")), 4096)
    vram64 = max(_mb(dev, "vram64_size_mb") or 0, vram32)
    if int(prop(dev, "revision")) == 1:
        vram32 = vram64 = 4096
    sizes = pow2ceil(vram), pow2ceil(vram32), pow2ceil(vram64)
    for name, value in (("vgamem_mb", vgamem_mb), ("ram_size", sizes[0]), ("vram_size", sizes[1])):
        qdev_prop_set(dev, name, value)
        dev.decided.add(name)
    return sizes


@traced(SRC, args=lambda board, dev, vram32, vram64: {"revision": prop(dev, "revision")})
def qxl_realize_common(board: Board, dev: Device, vram32: int, vram64: int) -> None:
    """The I/O size by revision, the ROM, the surface RAM and its 32-bit window, the ports
    (all BARs unmapped until firmware runs)."""
    revision = int(prop(dev, "revision"))
    if revision not in IO_SIZES:
        raise QemuError(f"Invalid revision {revision} for qxl device (max {QXL_DEFAULT_REVISION})")
    types, name = board.types, dev.typename
    dev.own(memory_region_init_rom(types, name, "qxl.vrom", QXL_ROM_SIZE))
    surfaces = dev.own(memory_region_init_ram(types, name, "qxl.vram", vram64))
    dev.own(memory_region_init_alias(types, name, "qxl.vram32", vram32, surfaces, 0))
    dev.own(memory_region_init_io(types, name, "qxl-ioports", IO_SIZES[revision]))
    settle_bar(dev, QXL_VRAM_RANGE_INDEX, vram32)
    settle_bar(dev, QXL_IO_RANGE_INDEX, IO_SIZES[revision])
    # The 64-bit surface BAR shows only when it is larger than the 32-bit window.
    settle_bar(dev, QXL_VRAM64_RANGE_INDEX, vram64 if vram32 < vram64 else None, "memory", True, True)


@device_realize("qxl-vga")
@traced(SRC, args=lambda board, dev: {})
def qxl_realize_primary(board: Board, dev: Device) -> None:
    """Sizes, the VGA core and ports, console 0, then the QXL BARs."""
    vram, vram32, vram64 = qxl_init_ramsize(dev)
    vram_bar(dev, vga_common_init(board, dev, vram // MiB))
    vga_init(board, dev, pci_address_space(dev), pci_address_space_io(dev), False)
    for mr in portio_list_add(board.types, board.memory_map, dev.typename, pci_address_space_io(dev),
                              VGA_PORTS_BASE, VGA_PORTS, "vga"):
        dev.own(mr)
    index = len(board.consoles)
    graphic_console_init(board.types, board.consoles, dev.typename)
    if index != 0:
        raise QemuError("primary qxl-vga device must be console 0 (first display device on the command line)")
    qxl_realize_common(board, dev, vram32, vram64)
    realize_from_facts(board, dev)
