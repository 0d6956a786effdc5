"""Firmware configuration over I/O ports (``hw/nvram/fw_cfg.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import REALIZE_OWNS, device_realize, prop
from tracer.recorder import traced

REALIZE_OWNS["fw_cfg_io"] = frozenset({"fwcfg.dma"})


@device_realize("fw_cfg_io")
@traced("hw/nvram/fw_cfg.c", args=lambda board, dev: {"dma_enabled": prop(dev, "dma_enabled")})
def fw_cfg_io_realize(board: Board, dev: Device) -> None:
    """The selector/data ports always; the DMA interface (port 0x514) only with ``dma_enabled``,
    which machines older than 2.9 turn off."""
    if prop(dev, "dma_enabled") and dev.node is not None:
        dev.node.add_child("fwcfg.dma[*]", "memory-region")
