"""The MC146818 real-time clock (``hw/rtc/mc146818rtc.c``)."""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Bus, Device, Irq
from model.hw.core.irq import qdev_connect_gpio_out
from model.hw.core.qdev import device_realize, prop, qdev_prop_set
from model.hw.isa.isa_bus import isa_create, isa_register_ioport
from model.softmmu.physmem import memory_region_add_subregion
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

RTC_LOST_TICK_POLICIES = ("discard", "slew")


@device_realize("mc146818rtc")
@traced("hw/rtc/mc146818rtc.c", args=lambda board, dev: {"base_year": prop(dev, "base_year")})
def rtc_realizefn(board: Board, dev: Device) -> None:
    """A base year of 2000 is stored as 0: the CMOS century then counts from year 0, which is
    what guests reading the century byte expect (QEMU's long-standing workaround). Its two
    ports are mapped at ``iobase``, the index port also as a subregion of their region. Lost
    timer ticks can be dropped (``discard``) or caught up (``slew``, x86 only), not ``delay``ed."""
    if prop(dev, "base_year") == 2000:
        qdev_prop_set(dev, "base_year", 0)
    if prop(dev, "lost_tick_policy") not in RTC_LOST_TICK_POLICIES:
        raise QemuError("Invalid lost tick policy.")
    types, mm = board.types, board.memory_map
    ports = dev.own(memory_region_init_io(types, dev.typename, "rtc", 2))
    isa_register_ioport(board, dev, ports, int(prop(dev, "iobase")))
    # The index port again, as a subregion of its own, for coalesced I/O.
    index = dev.own(memory_region_init_io(types, dev.typename, "rtc-index", 1))
    memory_region_add_subregion(types, mm, ports, 0, index)


@traced("hw/rtc/mc146818rtc.c", args=lambda board, bus, base_year, intercept: {"base_year": base_year})
def mc146818_rtc_init(board: Board, bus: Bus, base_year: int, intercept: Irq | None) -> Device:
    """The RTC on ISA irq 8, or on the line the HPET takes over in legacy mode."""
    dev = isa_create(board, bus, "mc146818rtc", {"base_year": base_year})
    qdev_connect_gpio_out(board, dev, "", 0, intercept)
    return dev
