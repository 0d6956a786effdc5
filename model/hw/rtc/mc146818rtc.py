"""The MC146818 real-time clock (``hw/rtc/mc146818rtc.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device, Irq
from model.hw.core.irq import qdev_connect_gpio_out
from model.hw.core.qdev import device_realize, prop, qdev_prop_set
from model.hw.isa.isa_bus import isa_create
from tracer.recorder import traced


@device_realize("mc146818rtc")
@traced("hw/rtc/mc146818rtc.c", args=lambda board, dev: {"base_year": prop(dev, "base_year")})
def rtc_realizefn(board: Board, dev: Device) -> None:
    """A base year of 2000 is stored as 0: the CMOS century then counts from year 0, which is
    what guests reading the century byte expect (QEMU's long-standing workaround)."""
    if prop(dev, "base_year") == 2000:
        qdev_prop_set(dev, "base_year", 0)


@traced("hw/rtc/mc146818rtc.c", args=lambda board, bus, base_year, intercept: {"base_year": base_year})
def mc146818_rtc_init(board: Board, bus: Bus, base_year: int, intercept: Irq | None) -> Device:
    """The RTC on ISA irq 8, or on the line the HPET takes over in legacy mode."""
    dev = isa_create(board, bus, "mc146818rtc", {"base_year": base_year})
    qdev_connect_gpio_out(board, dev, "", 0, intercept)
    return dev
