"""PCI devices on a PCI bus: devfn allocation and multifunction rules (``hw/pci/pci.c``).

``do_pci_register_device`` gives a device its devfn: the one its ``addr`` asks for, which must
be free, or else the first slot from the bus's lowest devfn whose function 0 is free. A
function other than 0 may only join a slot whose function 0 is multifunction; a
function-0 device may not arrive after other functions of its slot without being
multifunction itself.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import device_realize, prop, qdev_new, qdev_prop_set, qdev_realize
from tracer.recorder import traced

PCI_FUNC_MAX = 8
PCI_SLOT_MAX = 32


def _user(dev: Device) -> str:
    return f"{dev.typename},id={dev.id if dev.id is not None else '(null)'}"


@traced("hw/pci/pci.c", args=lambda bus, dev: {"bus": bus.name, "type": dev.typename, "addr": prop(dev, "addr")},
        ret=lambda devfn: f"{devfn >> 3:02x}.{devfn & 7:x}")
def do_pci_register_device(bus: Bus, dev: Device) -> int:
    """Choose and check the devfn, then occupy it."""
    devfn: int = prop(dev, "addr")
    if devfn is None or devfn < 0:
        free = [d for d in range(0, PCI_SLOT_MAX * PCI_FUNC_MAX, PCI_FUNC_MAX) if d not in bus.pci_slots]
        if not free:
            raise QemuError(f"PCI: no slot/function available for {dev.typename}, all in use or reserved")
        devfn = free[0]
    elif devfn in bus.pci_slots:
        raise QemuError(f"PCI: slot {devfn >> 3} function {devfn & 7} not available for {dev.typename}, "
                        f"in use by {_user(bus.pci_slots[devfn])}")
    slot, fn = devfn >> 3, devfn & 7
    if fn:
        f0 = bus.pci_slots.get(slot << 3)
        if f0 is not None and not prop(f0, "multifunction"):
            raise QemuError(f"PCI: single function device can't be populated in function {slot:x}.{fn:x}")
    elif not prop(dev, "multifunction"):
        taken = [f for f in range(1, PCI_FUNC_MAX) if (slot << 3 | f) in bus.pci_slots]
        if taken:
            raise QemuError(f"PCI: {slot:x}.0 indicates single function, but {slot:x}.{taken[0]:x} "
                            "is already populated.")
    qdev_prop_set(dev, "addr", devfn)
    bus.pci_slots[devfn] = dev
    return devfn


@device_realize("pci-device")
def pci_qdev_realize(board: Board, dev: Device) -> None:
    """Every PCI device's realize starts by taking its place on the bus."""
    assert dev.parent_bus is not None
    do_pci_register_device(dev.parent_bus, dev)


def pci_new(board: Board, typename: str, devfn: int, multifunction: bool = False) -> Device:
    """``pci_new_multifunction``: a PCI device asking for ``devfn`` (-1: any free slot)."""
    dev = qdev_new(board, typename)
    qdev_prop_set(dev, "addr", devfn)
    qdev_prop_set(dev, "multifunction", multifunction)
    return dev


def pci_create_simple(board: Board, bus: Bus, devfn: int, typename: str, multifunction: bool = False) -> Device:
    """``pci_create_simple_multifunction``: new, placed and realized on ``bus``."""
    dev = pci_new(board, typename, devfn, multifunction)
    qdev_realize(board, dev, bus)
    return dev
