"""The two cascaded i8257 DMA controllers of a PC (``hw/dma/i8257.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus
from model.hw.isa.isa_bus import isa_create
from tracer.recorder import traced


@traced("hw/dma/i8257.c", args=lambda board, bus, high_page_enable: {"bus": bus.name, "high_page": high_page_enable})
def i8257_dma_init(board: Board, bus: Bus, high_page_enable: bool) -> None:
    """Controller 0 (8-bit channels, ports 0x00, pages 0x80) then controller 1 (16-bit channels,
    ports 0xc0, pages 0x88, registers spaced two bytes apart); the high page registers exist only
    when asked for (never on PC boards), otherwise their base is -1."""
    for base, page_base, high, dshift in ((0x00, 0x80, 0x480, 0), (0xC0, 0x88, 0x488, 1)):
        isa_create(board, bus, "i8257", {"base": base, "page-base": page_base,
                                         "pageh-base": high if high_page_enable else -1, "dshift": dshift})
