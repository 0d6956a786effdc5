"""The two cascaded i8257 DMA controllers of a PC (``hw/dma/i8257.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import device_realize, prop
from model.hw.isa.isa_bus import isa_create, isa_register_ioport, isa_register_portio_list
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced


@traced("hw/dma/i8257.c", args=lambda board, bus, high_page_enable: {"bus": bus.name, "high_page": high_page_enable})
def i8257_dma_init(board: Board, bus: Bus, high_page_enable: bool) -> None:
    """Controller 0 (8-bit channels, ports 0x00, pages 0x80) then controller 1 (16-bit channels,
    ports 0xc0, pages 0x88, registers spaced two bytes apart); the high page registers exist only
    when asked for (never on PC boards), otherwise their base is -1."""
    for base, page_base, high, dshift in ((0x00, 0x80, 0x480, 0), (0xC0, 0x88, 0x488, 1)):
        isa_create(board, bus, "i8257", {"base": base, "page-base": page_base,
                                         "pageh-base": high if high_page_enable else -1, "dshift": dshift})


# The page registers as a port list: three at page-base + 1, one at page-base + 7.
PAGE_PORTS = [(1, 3), (7, 1)]


@device_realize("i8257")
@traced("hw/dma/i8257.c", args=lambda board, dev: {"base": hex(prop(dev, "base")), "dshift": prop(dev, "dshift")})
def i8257_realize(board: Board, dev: Device) -> None:
    """The channel registers at ``base``, the page registers (and high page registers when
    ``pageh-base`` is set), then the controller registers right after the channels; registers
    are ``1 << dshift`` bytes apart."""
    base, size = int(prop(dev, "base")), 8 << int(prop(dev, "dshift"))
    chan = dev.own(memory_region_init_io(board.types, dev.typename, "dma-chan", size))
    isa_register_ioport(board, dev, chan, base)
    isa_register_portio_list(board, dev, int(prop(dev, "page-base")), PAGE_PORTS, "dma-page")
    if int(prop(dev, "pageh-base")) >= 0:
        isa_register_portio_list(board, dev, int(prop(dev, "pageh-base")), PAGE_PORTS, "dma-pageh")
    cont = dev.own(memory_region_init_io(board.types, dev.typename, "dma-cont", size))
    isa_register_ioport(board, dev, cont, base + size)
