"""The monitor's views of the model's machine: ``info qom-tree``, ``info qtree``, ``query-pci``.

Built from the board state as QEMU's monitor walks its own: ``info qtree`` from the main
system bus down, each bus's devices and each device's buses newest first (qdev inserts at the
head of both lists), each device's qdev properties leaf class first, then what its bus adds
(``pcibus_dev_print``: class, address, ids and BARs; ``sysbus_dev_print``: MMIO ranges);
``query-pci`` from the root buses in devfn order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from model.hw.core.devices import UNMAPPED, Board, Bus, Device
from model.hw.core.qdev import prop
from model.hw.core.qdev_props import print_value, property_kind
from tracer.machine.pci import PciBridge, PciBridgeBus, PciBus, PciClass, PciDevice, PciIds, PciRange, PciRegion
from tracer.machine.qomtree import QomNode
from tracer.machine.qtree import Gpio, QtreeBus, QtreeDevice, QtreeProp

PCI_BUS_TYPES = frozenset({"PCI", "PCIE"})


def qom_tree(board: Board) -> QomNode:
    return board.machine.view()


def _prop_text(dev: Device, name: str) -> str:
    return print_value(property_kind(dev.obj.find_property(name)), prop(dev, name))


def pci_devfn(dev: Device) -> int:
    value: int = prop(dev, "addr")
    return value


def _pci_lines(dev: Device) -> list[str]:
    fact = dev.fact.pci
    if fact is None:
        return []
    devfn = pci_devfn(dev)
    desc = fact.desc or f"Class {fact.class_code:04x}"
    # PCI_SLOT/PCI_FUNC of the devfn field, which is the ``addr`` property: -1 (00:1f.7) until
    # the device's realize takes its place on the bus.
    lines = [f"class {desc}, addr 00:{(devfn >> 3) & 0x1f:02x}.{devfn & 7:x}, pci id {fact.vendor:04x}:"
             f"{fact.device:04x} (sub {fact.subsystem_vendor or 0:04x}:{fact.subsystem or 0:04x})"]
    # The model does not record each ``pci_register_bar``: a device shows its BARs once its
    # realize (which registers them) has returned.
    for region in fact.regions if dev.realized else ():
        kind = "i/o" if region.type == "io" else "mem"
        lines.append(f"bar {region.bar}: {kind} at 0x{UNMAPPED:x} [0x{(UNMAPPED + region.size - 1) % 2**64:x}]")
    return lines


def _bus_lines(dev: Device, bus: Bus) -> list[str]:
    if bus.type == "System":
        return [f"mmio {addr:016x}/{size:016x}" for addr, size in zip(dev.mmio, dev.fact.mmio_sizes, strict=False)]
    if bus.type in PCI_BUS_TYPES:
        return _pci_lines(dev)
    if bus.type == "usb-bus":
        return [_usb_line(line, dev, bus) for line in dev.fact.bus_lines]
    return list(dev.fact.bus_lines)


_USB_LINE = re.compile(r"^addr (\S+), port [0-9.]+, speed (\d+), (.*)$")
UHCI_FULL_SPEED = 12  # a UHCI port runs at USB 1.1 full speed (Mb/s), whatever the device could do


def _usb_line(line: str, dev: Device, bus: Bus) -> str:
    """``usb_bus_dev_print``: the port the device claimed (``2``, or ``2.1`` behind a hub); the
    speed is the device's, capped by what the controller's ports run at."""
    m = _USB_LINE.match(line)
    if m is None:
        return line
    speed = int(m.group(2))
    if bus.parent is not None and bus.parent.obj.klass.is_a("pci-uhci-usb"):
        speed = min(speed, UHCI_FULL_SPEED)
    return f"addr {m.group(1)}, port {dev.usb_port or bus.children.index(dev) + 1}, speed {speed}, {m.group(3)}"


def _qtree_device(dev: Device, bus: Bus) -> QtreeDevice:
    return QtreeDevice(
        dev.typename, dev.id or "",
        tuple(Gpio(d, n, c) for d, n, c in dev.fact.gpios),
        tuple(QtreeProp(name, _prop_text(dev, name)) for name in dev.fact.qtree_props),
        tuple(_bus_lines(dev, bus)),
        tuple(_qtree_bus(child) for child in reversed(dev.buses)))


def _qtree_bus(bus: Bus) -> QtreeBus:
    return QtreeBus(bus.name, bus.type, tuple(_qtree_device(d, bus) for d in reversed(bus.children)))


def qtree(board: Board) -> QtreeBus:
    return _qtree_bus(board.sysbus)


def _pci_device(dev: Device) -> PciDevice | None:
    fact = dev.fact.pci
    if fact is None:
        return None
    devfn = pci_devfn(dev)
    bridge = None
    if fact.bridge_ranges is not None:
        io, mem, pref = (PciRange(base, limit) for base, limit in fact.bridge_ranges)
        bridge = PciBridge(PciBridgeBus(0, 0, 0, io, mem, pref))
    regions = tuple(PciRegion(r.bar, r.type, -1, r.size, r.prefetch, r.mem_type_64) for r in fact.regions)
    return PciDevice(0, devfn >> 3, devfn & 7, PciClass(fact.class_code, fact.desc),
                     PciIds(fact.vendor, fact.device, fact.subsystem, fact.subsystem_vendor),
                     fact.irq_pin, dev.id or "", regions, fact.irq, bridge)


def query_pci(board: Board) -> tuple[PciBus, ...]:
    """The root PCI buses (children of host bridges on the system bus), devices by devfn."""
    out: list[PciBus] = []
    for host in board.sysbus.children:
        for bus in host.buses:
            if bus.type not in PCI_BUS_TYPES:
                continue
            found = [_pci_device(bus.pci_slots[devfn]) for devfn in sorted(bus.pci_slots)]
            out.append(PciBus(0, tuple(d for d in found if d is not None)))
    return tuple(out)


@dataclass(frozen=True)
class MachineViews:
    """The monitor's three views of a machine, as typed structs."""

    qom_tree: QomNode
    qtree: QtreeBus
    pci: tuple[PciBus, ...]


def machine_views(board: Board) -> MachineViews:
    """All three views of the machine as it stands."""
    return MachineViews(qom_tree(board), qtree(board), query_pci(board))
