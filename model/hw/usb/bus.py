"""The USB bus (``hw/usb/bus.c``): ports, and how a device takes one.

A host controller registers its root ports when it makes its bus, numbered from 1 (UHCI 2,
EHCI 6, xHCI as many as the larger of ``p2`` and ``p3``). A device takes the port its
``port`` property names, or else the first free one; when only one port is left and the
device is not a hub, QEMU first plugs a ``usb-hub`` into it, whose eight ports (``N.1`` to
``N.8``) join the free list, so the device lands on ``N.1``.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import device_realize, prop, qbus_init, qdev_new, qdev_realize
from model.hw.devices_generic import realize_from_facts
from tracer.recorder import traced

SRC = "hw/usb/bus.c"
USB_HUB = "usb-hub"


@traced(SRC, args=lambda board, host: {"host": host.typename})
def usb_bus_new(board: Board, host: Device) -> Bus:
    """A host controller's USB bus (``usb-bus.N``), a child of the device the guest sees."""
    return qbus_init(board, host, "usb-bus", None)


def usb_register_ports(bus: Bus, count: int, upstream: str | None = None) -> None:
    """``usb_register_port`` for ports 1 to ``count`` (behind a hub on port ``upstream``:
    ``upstream.1``...): they join the bus's free list in order."""
    prefix = f"{upstream}." if upstream else ""
    bus.usb_free.extend(f"{prefix}{i + 1}" for i in range(count))


@traced(SRC, args=lambda board, dev, bus: {"type": dev.typename, "port": prop(dev, "port"), "free": len(bus.usb_free)})
def usb_claim_port(board: Board, dev: Device, bus: Bus) -> None:
    """The named port, or the first free one (after chaining a hub onto the last)."""
    wanted = prop(dev, "port")
    if wanted:
        if wanted not in bus.usb_free:
            raise QemuError(f"usb port {wanted} (bus {bus.name}) not found (in use?)")
        port = wanted
    else:
        if len(bus.usb_free) == 1 and not dev.obj.klass.is_a(USB_HUB):
            hub = qdev_new(board, USB_HUB)
            qdev_realize(board, hub, bus)
        if not bus.usb_free:
            raise QemuError(f"tried to attach usb device {_product_desc(dev)} to a bus with no free ports")
        port = bus.usb_free[0]
    bus.usb_free.remove(port)
    dev.usb_port = port


def _product_desc(dev: Device) -> str:
    """The device's product name, as ``info qtree`` shows it after ``name``."""
    for line in dev.fact.bus_lines:
        if ", name " in line:
            return line.split(", name ", 1)[1].removesuffix(", attached")
    return dev.typename


@device_realize("usb-device")
@traced("hw/usb/bus.c", args=lambda board, dev: {"type": dev.typename})
def usb_qdev_realize(board: Board, dev: Device) -> None:
    """Take a port, then the device's own realize (from the facts); a hub registers its ports."""
    bus = dev.parent_bus
    assert bus is not None
    usb_claim_port(board, dev, bus)
    realize_from_facts(board, dev)
    if dev.obj.klass.is_a(USB_HUB):
        usb_register_ports(bus, int(prop(dev, "ports") or 8), dev.usb_port)
