"""The standard PCI VGA adapter, ``-device VGA`` (``hw/display/vga-pci.c``).

Its realize builds the VGA core (video RAM, legacy window and ports), publishes a graphic
console, and declares BAR 0 (the video RAM, prefetchable). With ``mmio`` on (the default) it
adds BAR 2, a 4 KiB window onto the registers: the remapped VGA ports at 0x400, the Bochs
DISPI interface at 0x500, the QEMU extended registers at 0x600 (``qemu-extended-regs``) and
the EDID blob at 0 (``edid``); each is mapped into the window as it is made, a transaction
each. The option ROM comes after, from the PCI core.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop
from model.hw.devices_generic import realize_from_facts
from model.hw.display.vga import vga_common_init, vga_init, vram_bar
from model.hw.pci.pci import pci_address_space, pci_address_space_io
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import memory_region_add_subregion
from model.softmmu.region_init import memory_region_init_io
from model.ui.console import graphic_console_init
from tracer.recorder import traced

SRC = "hw/display/vga-pci.c"
PCI_VGA_MMIO_SIZE = 0x1000
# (name, size, offset in the MMIO window), in the order they are made.
IOPORT = ("vga ioports remapped", 0x20, 0x400)
BOCHS = ("bochs dispi interface", 0x16, 0x500)
QEXT = ("qemu extended regs", 0x8, 0x600)
EDID = ("edid", 0x180, 0x0)  # the 384-byte EDID blob


@traced(SRC, args=lambda board, dev, mmio, qext, edid: {"qext": qext, "edid": edid})
def pci_std_vga_mmio_region_init(board: Board, dev: Device, mmio: MemoryRegion, qext: bool, edid: bool) -> None:
    """The register windows inside BAR 2."""
    pieces = [IOPORT, BOCHS, *([QEXT] if qext else []), *([EDID] if edid else [])]
    for name, size, offset in pieces:
        mr = dev.own(memory_region_init_io(board.types, dev.typename, name, size))
        memory_region_add_subregion(board.types, board.memory_map, mmio, offset, mr)


@device_realize("VGA")
@traced(SRC, args=lambda board, dev: {})
def pci_std_vga_realize(board: Board, dev: Device) -> None:
    """Video RAM, legacy window and ports, console, then the register window. (The BARs are
    only declared here, ``pci_register_bar``: nothing is mapped until firmware programs them.)"""
    vram_bar(dev, vga_common_init(board, dev))
    vga_init(board, dev, pci_address_space(dev), pci_address_space_io(dev), True)
    graphic_console_init(board.types, board.consoles, dev.typename)
    if prop(dev, "mmio"):
        mmio = dev.own(memory_region_init_io(board.types, dev.typename, "vga.mmio", PCI_VGA_MMIO_SIZE))
        pci_std_vga_mmio_region_init(board, dev, mmio, bool(prop(dev, "qemu-extended-regs")),
                                     bool(prop(dev, "edid")))  # BAR 2
    realize_from_facts(board, dev)  # the EDID's resolution, the class's option ROM file
