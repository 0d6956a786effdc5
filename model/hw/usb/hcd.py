"""USB host controllers (``hw/usb/hcd-uhci.c``, ``hcd-ehci-pci.c``): each provides a USB bus,
except a UHCI companion, which serves ports of its EHCI master's bus (``masterbus=``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop, qbus_init
from model.hw.devices_generic import realize_from_facts
from tracer.recorder import traced


@device_realize("pci-uhci-usb")
@device_realize("pci-ehci-usb")
@traced("hw/usb/bus.c", name="usb_bus_new", args=lambda board, dev: {"type": dev.typename})
def usb_host_realize(board: Board, dev: Device) -> None:
    """The controller's own ``usb-bus.N``, unless it is a companion of another controller."""
    if dev.generic:
        realize_from_facts(board, dev)
        return
    if not prop(dev, "masterbus"):
        qbus_init(board, dev, "usb-bus", None)
