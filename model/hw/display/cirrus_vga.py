"""The Cirrus Logic GD5446 adapter, ``-device cirrus-vga`` (``hw/display/cirrus_vga.c``).

The card keeps the VGA core's video RAM but not its ports or window: ``cirrus_init_common``
maps its own 48 ports at 0x3b0 (``cirrus-io``) and, at 0xa0000 over the PCI memory (priority
1), a container holding the low-memory handler and the two 32 KiB bank windows onto the video
RAM, which stay disabled until the guest sets up banking. The linear framebuffer and BitBLT
windows go into BAR 0 (``cirrus-pci-bar0``, 32 MiB), the MMIO registers are BAR 1; none is
mapped before firmware runs. Only 4, 8 and 16 MiB of video RAM are accepted.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop
from model.hw.devices_generic import realize_from_facts
from model.hw.display.vga import VGA_LOWMEM_BASE, VGA_LOWMEM_SIZE, vga_common_init
from model.hw.pci.pci import pci_address_space, pci_address_space_io
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import (
    memory_region_add_subregion,
    memory_region_add_subregion_overlap,
    memory_region_set_enabled,
)
from model.softmmu.region_init import memory_region_init, memory_region_init_alias, memory_region_init_io
from model.ui.console import graphic_console_init
from tracer.recorder import traced

SRC = "hw/display/cirrus_vga.c"
MiB = 1 << 20
VRAM_SIZES_MB = (4, 8, 16)
CIRRUS_IO_BASE, CIRRUS_IO_SIZE = 0x3B0, 0x30  # 0x3b0-0x3df
BANK_SIZE = 0x8000
BITBLT_SIZE = 0x400000
CIRRUS_PNPMMIO_SIZE = 0x1000
PCI_BAR0_SIZE = 0x2000000
BITBLT_OFFSET = 0x1000000  # the BitBLT window's place in BAR 0


@traced(SRC, args=lambda board, dev, vram, space, io_space: {"address_space": space.name})
def cirrus_init_common(board: Board, dev: Device, vram: MemoryRegion, space: MemoryRegion,
                       io_space: MemoryRegion) -> tuple[MemoryRegion, MemoryRegion, MemoryRegion]:
    """Ports, legacy window with its banks, and the linear, BitBLT and MMIO handlers (returned
    for the BARs), each mapping a transaction of its own."""
    types, mm = board.types, board.memory_map
    own, name = dev.own, dev.typename
    ports = own(memory_region_init_io(types, name, "cirrus-io", CIRRUS_IO_SIZE))
    memory_region_add_subregion(types, mm, io_space, CIRRUS_IO_BASE, ports)
    container = own(memory_region_init(types, name, "cirrus-lowmem-container", VGA_LOWMEM_SIZE))
    low = own(memory_region_init_io(types, name, "cirrus-low-memory", VGA_LOWMEM_SIZE))
    memory_region_add_subregion(types, mm, container, 0, low)
    for i in range(2):
        bank = own(memory_region_init_alias(types, name, f"vga.bank{i}", BANK_SIZE, vram, 0))
        memory_region_set_enabled(types, mm, bank, False)
        memory_region_add_subregion_overlap(types, mm, container, i * BANK_SIZE, bank, 1)
    memory_region_add_subregion_overlap(types, mm, space, VGA_LOWMEM_BASE, container, 1)
    linear = own(memory_region_init_io(types, name, "cirrus-linear-io", int(prop(dev, "vgamem_mb")) * MiB))
    bitblt = own(memory_region_init_io(types, name, "cirrus-bitblt-mmio", BITBLT_SIZE))
    mmio = own(memory_region_init_io(types, name, "cirrus-mmio", CIRRUS_PNPMMIO_SIZE))
    return linear, bitblt, mmio


@device_realize("cirrus-vga")
@traced(SRC, args=lambda board, dev: {"vgamem_mb": prop(dev, "vgamem_mb")})
def pci_cirrus_vga_realize(board: Board, dev: Device) -> None:
    """Check the video RAM size, build the VGA core's RAM and the Cirrus handlers, publish a
    console, then BAR 0 (the linear and BitBLT windows) and BAR 1 (MMIO), both unmapped."""
    size = int(prop(dev, "vgamem_mb"))
    if size not in VRAM_SIZES_MB:
        raise QemuError(f"Invalid cirrus_vga ram size '{size}'")
    types, mm = board.types, board.memory_map
    vram = vga_common_init(board, dev)
    linear, bitblt, _mmio = cirrus_init_common(board, dev, vram, pci_address_space(dev), pci_address_space_io(dev))
    graphic_console_init(types, board.consoles, dev.typename)
    bar0 = dev.own(memory_region_init(types, dev.typename, "cirrus-pci-bar0", PCI_BAR0_SIZE))
    memory_region_add_subregion(types, mm, bar0, 0, linear)
    memory_region_add_subregion(types, mm, bar0, BITBLT_OFFSET, bitblt)
    realize_from_facts(board, dev)
