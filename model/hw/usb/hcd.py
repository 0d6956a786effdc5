"""USB host controllers (``hw/usb/hcd-uhci.c``, ``hcd-ehci-pci.c``): each provides a USB bus,
except a UHCI companion, which serves ports of its EHCI master's bus (``masterbus=``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop
from model.hw.devices_generic import realize_from_facts
from model.hw.usb.bus import usb_bus_new, usb_register_ports
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

UHCI_IO_SIZE = 0x20
UHCI_PORTS = 2  # NB_PORTS in hcd-uhci.c
EHCI_PORTS = 6  # NB_PORTS in hcd-ehci.h


@device_realize("pci-uhci-usb")
@traced("hw/usb/hcd-uhci.c", args=lambda board, dev: {"type": dev.typename, "masterbus": prop(dev, "masterbus")})
def usb_uhci_common_realize(board: Board, dev: Device) -> None:
    """Its interrupt (``pci_allocate_irq``: an irq object), its own bus unless it is a companion
    of another controller, then its 32 I/O ports (BAR 4, unmapped until firmware assigns it)."""
    board.types.object_new("irq")
    if not prop(dev, "masterbus"):
        usb_register_ports(usb_bus_new(board, dev), UHCI_PORTS)
    dev.own(memory_region_init_io(board.types, dev.typename, "uhci", UHCI_IO_SIZE))
    realize_from_facts(board, dev, make_buses=False)


@device_realize("pci-ehci-usb")
@traced("hw/usb/hcd-ehci-pci.c", args=lambda board, dev: {"type": dev.typename})
def usb_ehci_pci_realize(board: Board, dev: Device) -> None:
    """The controller's own bus and its six ports (its register regions are not modelled)."""
    usb_register_ports(usb_bus_new(board, dev), EHCI_PORTS)
    realize_from_facts(board, dev, make_buses=False)
