"""A framebuffer in guest RAM described to firmware, ``-device ramfb`` (``hw/display/ramfb-standalone.c``).

It publishes a graphic console, then needs the machine's fw_cfg with DMA (machines before 2.9
have none): the guest writes the framebuffer's configuration through the ``etc/ramfb`` file,
which only one ramfb can own, and its VGA BIOS (``vgaroms/vgabios-ramfb.bin``) goes to
firmware first.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop
from model.hw.devices_generic import realize_from_facts
from model.hw.nvram.fw_cfg import fw_cfg_add_file, fw_cfg_find, rom_add_vga
from model.ui.console import graphic_console_init
from tracer.recorder import traced


@device_realize("ramfb")
@traced("hw/display/ramfb-standalone.c", args=lambda board, dev: {})
def ramfb_realizefn(board: Board, dev: Device) -> None:
    """Console, then ``ramfb_setup``: fw_cfg with DMA and its own file."""
    graphic_console_init(board.types, board.consoles, dev.typename)
    fw_cfg = fw_cfg_find(board)
    if fw_cfg is None or not prop(fw_cfg, "dma_enabled"):
        raise QemuError("ramfb device requires fw_cfg with DMA")
    rom_add_vga(board, "vgabios-ramfb.bin")
    fw_cfg_add_file(board, "etc/ramfb")
    realize_from_facts(board, dev)
