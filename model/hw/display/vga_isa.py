"""The ISA VGA adapter, ``-device isa-vga`` (``hw/display/vga-isa.c``).

The VGA core's video RAM first, then the legacy register ports on the ISA bus (VGA at 0x3b0,
Bochs VBE at 0x1ce), the legacy window at 0xa0000 over the ISA bus's memory (priority 1),
a graphic console, and the whole video RAM as the VBE linear framebuffer at 0xe0000000. The
VGA BIOS goes to firmware as ``vgaroms/vgabios.bin`` (no memory region on 7.2's machines but
pc-i440fx-1.7, which the model does not give one). It is a "global" VGA: only one can exist.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize
from model.hw.devices_generic import realize_from_facts
from model.hw.display.vga import (
    VBE_PORTS,
    VBE_PORTS_BASE,
    VGA_LOWMEM_BASE,
    VGA_PORTS,
    VGA_PORTS_BASE,
    vga_common_init,
    vga_init_io,
)
from model.hw.isa.isa_bus import isa_address_space, isa_register_portio_list
from model.hw.nvram.fw_cfg import rom_add_vga
from model.softmmu.physmem import memory_region_add_subregion, memory_region_add_subregion_overlap
from model.ui.console import graphic_console_init
from tracer.recorder import traced

VBE_DISPI_LFB_PHYSICAL_ADDRESS = 0xE0000000
VGABIOS_FILENAME = "vgabios.bin"


@device_realize("isa-vga")
@traced("hw/display/vga-isa.c", args=lambda board, dev: {})
def vga_isa_realizefn(board: Board, dev: Device) -> None:
    """Video RAM, ports, legacy window, console, then the linear framebuffer."""
    types, mm = board.types, board.memory_map
    vram = vga_common_init(board, dev)
    memory = isa_address_space(dev)
    lowmem = vga_init_io(board, dev)
    isa_register_portio_list(board, dev, VGA_PORTS_BASE, VGA_PORTS, "vga")
    isa_register_portio_list(board, dev, VBE_PORTS_BASE, VBE_PORTS, "vbe")
    memory_region_add_subregion_overlap(types, mm, memory, VGA_LOWMEM_BASE, lowmem, 1)
    graphic_console_init(types, board.consoles, dev.typename)
    memory_region_add_subregion(types, mm, memory, VBE_DISPI_LFB_PHYSICAL_ADDRESS, vram)
    rom_add_vga(board, VGABIOS_FILENAME)
    realize_from_facts(board, dev)
