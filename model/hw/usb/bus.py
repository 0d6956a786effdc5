"""The USB bus (``hw/usb/bus.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import qbus_init
from tracer.recorder import traced


@traced("hw/usb/bus.c", args=lambda board, host: {"host": host.typename})
def usb_bus_new(board: Board, host: Device) -> Bus:
    """A host controller's USB bus (``usb-bus.N``), a child of the device the guest sees."""
    return qbus_init(board, host, "usb-bus", None)
