"""Firmware configuration over I/O ports (``hw/nvram/fw_cfg.c``)."""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import REALIZE_OWNS, device_realize, prop
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

REALIZE_OWNS["fw_cfg_io"] = frozenset({"fwcfg.dma"})
FW_CFG_IO_BASE = 0x510
FW_CFG_CTL_SIZE = 2
FW_CFG_DMA_SIZE = 8  # the 64-bit DMA address register, at FW_CFG_IO_BASE + 4


@device_realize("fw_cfg_io")
@traced("hw/nvram/fw_cfg.c", args=lambda board, dev: {"dma_enabled": prop(dev, "dma_enabled")})
def fw_cfg_io_realize(board: Board, dev: Device) -> None:
    """The selector/data ports (``fwcfg``, two bytes) always; the DMA interface (``fwcfg.dma``,
    eight bytes) only with ``dma_enabled``, which machines older than 2.9 turn off. The board
    maps them (``fw_cfg_init_io_dma``)."""
    dev.own(memory_region_init_io(board.types, dev.typename, "fwcfg", FW_CFG_CTL_SIZE))
    if prop(dev, "dma_enabled") and dev.node is not None:
        dev.own(memory_region_init_io(board.types, dev.typename, "fwcfg.dma", FW_CFG_DMA_SIZE))
        dev.node.add_child("fwcfg.dma[*]", "memory-region")


def fw_cfg_find(board: Board) -> Device | None:
    """The machine's fw_cfg device (``/machine/fw_cfg``), if the board made one."""
    node = board.machine.children.get("fw_cfg")
    return board.device_at(node.path) if node is not None else None


@traced("hw/nvram/fw_cfg.c", args=lambda board, name: {"name": name})
def fw_cfg_add_file(board: Board, name: str) -> None:
    """A named file for firmware. A name already served is fatal: two devices that each
    publish one fixed file (two ``pvpanic``) cannot both be present."""
    if name in board.fw_cfg_files:
        raise QemuError(f"duplicate fw_cfg file name: {name}")
    board.fw_cfg_files.add(name)


@traced("hw/core/loader.c", args=lambda board, name: {"file": name})
def rom_add_vga(board: Board, name: str) -> None:
    """A VGA BIOS for firmware: the file ``vgaroms/NAME`` in fw_cfg, where the machine has one
    (``rom_set_fw``); a second device adding the same ROM is fatal."""
    if fw_cfg_find(board) is not None:
        fw_cfg_add_file(board, f"vgaroms/{name}")
