"""Per-device-type facts read from the harvested monitor views, for the model's devices.

What a device *is* once QEMU has built it, independent of where the board put it: the qdev
properties ``info qtree`` prints and their order (the class's own first, then each parent's),
its GPIO lists, the memory regions and irqs it owns in the composition tree, its PCI identity
(class, vendor/device/subsystem ids, interrupt pin, BARs) and the sizes of its sysbus MMIO
regions. Each fact is taken from the first harvested case (in case order) where the type
appears; where a board maps the device, places it, names it or sets properties is the
model's code, not a fact.

x86 CPUs share one entry (``x86_64-cpu``): the children realize gives every x86 CPU (the
local APIC, its address spaces) do not depend on the CPU model.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from typing import Any

from tracer.machine.pci import PciDevice, parse_pci
from tracer.machine.qomtree import QomNode, parse_qom_tree
from tracer.machine.qtree import QtreeBus, QtreeDevice, parse_qtree

# Children that are part of a device's own make-up (not devices or buses of their own).
_OWNED_TYPES = ("memory-region", "irq")
_INDEX = re.compile(r"^(.*)\[(\d+)\]$")
_MMIO = re.compile(r"^mmio ([0-9a-f]{16})/([0-9a-f]{16})$")
CPU_KEY = "x86_64-cpu"


def fact_key(typename: str) -> str:
    return CPU_KEY if typename.endswith("-x86_64-cpu") else typename


def owned_children(node: QomNode, owned: Any = lambda t: t in _OWNED_TYPES) -> list[list[Any]]:
    """``[base, type, count]`` for each ``base[N]`` family (count None for a plain name) of the
    children ``owned(type)`` accepts: what the device makes of itself, not its buses or devices."""
    counts: dict[tuple[str, str], int | None] = {}
    for child in node.children:
        if not owned(child.type):
            continue
        m = _INDEX.match(child.name)
        if m:
            key = (m.group(1), child.type)
            counts[key] = max(counts.get(key) or 0, int(m.group(2)) + 1)
        else:
            counts[(child.name, child.type)] = None
    return [[base, type_, count] for (base, type_), count in sorted(counts.items())]


def _pci_by_location(buses: Sequence[Any]) -> dict[tuple[int, int, int], PciDevice]:
    out: dict[tuple[int, int, int], PciDevice] = {}
    for bus in buses:
        for dev in bus.devices:
            out[(dev.bus, dev.slot, dev.function)] = dev
    return out


def _pci_fact(dev: PciDevice) -> dict[str, Any]:
    fact: dict[str, Any] = {"class": dev.class_info.class_, "desc": dev.class_info.desc,
                            "vendor": dev.id.vendor, "device": dev.id.device,
                            "subsystem": dev.id.subsystem, "subsystem_vendor": dev.id.subsystem_vendor,
                            "irq_pin": dev.irq_pin, "irq": dev.irq,
                            "regions": [[r.bar, r.type, r.size, r.prefetch, r.mem_type_64] for r in dev.regions]}
    if dev.pci_bridge is not None:
        b = dev.pci_bridge.bus
        fact["bridge_ranges"] = [[r.base, r.limit] for r in (b.io_range, b.memory_range, b.prefetchable_range)]
    return fact


_CLASS_LINE = re.compile(r"^class (.+), addr [0-9a-f]{2}:[0-9a-f]{2}\.[0-9a-f], pci id ([0-9a-f]{4}):([0-9a-f]{4}) "
                         r"\(sub ([0-9a-f]{4}):([0-9a-f]{4})\)$")
_BAR_LINE = re.compile(r"^bar (\d+): (i/o|mem) at 0x([0-9a-f]+) \[0x([0-9a-f]+)\]$")
_UNNAMED_CLASS = re.compile(r"^Class ([0-9a-f]{4})$")


def _pci_fact_from_lines(lines: Sequence[str]) -> dict[str, Any] | None:
    """A PCI function's identity from its ``info qtree`` lines, for functions behind a bridge
    that ``query-pci`` does not reach before firmware numbers the bridge's bus."""
    m = next((_CLASS_LINE.match(line) for line in lines if _CLASS_LINE.match(line)), None)
    if m is None:
        return None
    unnamed = _UNNAMED_CLASS.match(m.group(1))
    regions = []
    for line in lines:
        bar = _BAR_LINE.match(line)
        if bar:
            size = (int(bar.group(4), 16) - int(bar.group(3), 16) + 1) % 2**64
            regions.append([int(bar.group(1)), "io" if bar.group(2) == "i/o" else "memory", size, None, None])
    return {"class": int(unnamed.group(1), 16) if unnamed else 0, "desc": None if unnamed else m.group(1),
            "vendor": int(m.group(2), 16), "device": int(m.group(3), 16),
            "subsystem_vendor": int(m.group(4), 16) or None, "subsystem": int(m.group(5), 16) or None,
            "irq_pin": 0, "irq": None, "regions": regions}


_ADDR = re.compile(r"^([0-9a-f]{2})\.([0-9a-f])$")
_USB_SPEED = re.compile(r", speed (\d+), ")


def _usb_speed(lines: Sequence[str]) -> int:
    return max((int(m.group(1)) for m in map(_USB_SPEED.search, lines) if m), default=0)


def _device_fact(dev: QtreeDevice, bus: QtreeBus, pci: dict[tuple[int, int, int], PciDevice]) -> dict[str, Any]:
    fact: dict[str, Any] = {"bus_type": bus.type, "qtree_props": [p.name for p in dev.props],
                            "gpios": [[g.direction, g.name, g.count] for g in dev.gpios]}
    mmio = [_MMIO.match(line) for line in dev.bus_lines]
    if any(mmio):
        fact["mmio_sizes"] = [int(m.group(2), 16) for m in mmio if m]
    addr = next((_ADDR.match(p.value) for p in dev.props if p.name == "addr"), None)
    if bus.type in ("PCI", "PCIE") and addr and bus.name in ("pci.0", "pcie.0"):
        found = pci.get((0, int(addr.group(1), 16), int(addr.group(2), 16)))
        if found is not None:
            fact["pci"] = _pci_fact(found)
    if bus.type in ("PCI", "PCIE") and "pci" not in fact:
        fact["pci"] = _pci_fact_from_lines(dev.bus_lines)
        fact["pci_from_lines"] = True
    other = [line for line in dev.bus_lines if not line.startswith(("mmio ", "class ", "bar "))]
    if other:
        fact["bus_lines"] = other
    return fact


def _walk_qom(node: QomNode, found: dict[str, QomNode]) -> None:
    if node.type not in _OWNED_TYPES and node.type != "container" and not node.type.endswith("-machine"):
        found.setdefault(fact_key(node.type), node)
    for child in node.children:
        _walk_qom(child, found)


def user_props(args: Sequence[str]) -> dict[str, set[str]]:
    """The properties each ``-device`` of a command line set itself, by driver."""
    found: dict[str, set[str]] = {}
    for opt, value in itertools.pairwise(args):
        if opt != "-device":
            continue
        if value.startswith("{"):
            try:
                items = {str(k): str(v) for k, v in json.loads(value).items()}
            except ValueError:
                continue
        else:
            parts = value.split(",")
            items = dict(p.partition("=")[::2] for p in parts[1:])
            items.setdefault("driver", parts[0].partition("=")[2] if "=" in parts[0] else parts[0])
        found.setdefault(items.get("driver", ""), set()).update(items)
    return found


_PRINTED_INT = re.compile(r"^(-?\d+) \(.*\)$")


def printed_value(text: str) -> Any:
    """A value back from its ``info qtree`` notation (numbers, booleans, quoted strings)."""
    if text in ("true", "false"):
        return text == "true"
    m = _PRINTED_INT.match(text)
    if m:
        return int(m.group(1))
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1]
    return text


def _realize_sets(dev: QtreeDevice, defaults: dict[str, str], user: set[str]) -> dict[str, Any]:
    """Properties the device's realize changed from their defaults (not set by the user)."""
    out: dict[str, Any] = {}
    for p in dev.props:
        if p.name in user or p.name in _ASSIGNED or p.name not in defaults:
            continue
        if p.value != defaults[p.name]:
            out[p.name] = printed_value(p.value)
    return out


# Set by the model's own rules (PCI address allocation, MAC assignment), never copied.
_ASSIGNED = frozenset({"addr", "multifunction", "mac"})
_AUTO_BUS = re.compile(r"^(.*)\.\d+$")


def _bus_facts(dev: QtreeDevice) -> list[list[Any]]:
    """``[type, explicit name or None]`` for each bus the device provides, in creation order."""
    out = []
    for bus in reversed(dev.buses):
        m = _AUTO_BUS.match(bus.name)
        automatic = m is not None and m.group(1) in (bus.type.lower(), dev.id)
        out.append([bus.type, None if automatic or bus.name == dev.id else bus.name])
    return out


def derive_facts(cases: Sequence[dict[str, Any]], printed_defaults: dict[str, dict[str, str]],
                 is_device: Any, is_bus: Any) -> list[dict[str, Any]]:
    """One record per device type seen in any case that came up.

    ``printed_defaults`` maps a type to each property's default as ``info qtree`` would print
    it; ``is_device(type)`` tells device types from other QOM objects.
    """
    facts: dict[str, dict[str, Any]] = {}
    for case in cases:
        if "qtree" not in case:
            continue
        pci = _pci_by_location(parse_pci(case["pci"]))
        users = user_props(case["args"])
        qom: dict[str, QomNode] = {}
        _walk_qom(parse_qom_tree(case["qom_tree"]), qom)
        stack = [parse_qtree(case["qtree"])]
        while stack:
            bus = stack.pop()
            for dev in bus.devices:
                if dev.type not in facts:
                    facts[dev.type] = {"type": dev.type, **_device_fact(dev, bus, pci), "buses": _bus_facts(dev),
                                       "realize_sets": _realize_sets(dev, printed_defaults.get(dev.type, {}),
                                                                     users.get(dev.type, set()))}
                    if dev.type not in users:
                        facts[dev.type]["board_made"] = True
                elif bus.type == "usb-bus" and _usb_speed(dev.bus_lines) > _usb_speed(facts[dev.type]["bus_lines"]):
                    # A USB device's line is kept from where it ran fastest: a slower port caps
                    # the speed it shows, which the model applies itself.
                    facts[dev.type]["bus_lines"] = list(dev.bus_lines)
                elif facts[dev.type].get("pci_from_lines"):
                    # Behind a bridge the qtree lines lack the class code, the irq pin and a
                    # bridge's windows: an instance on the root bus, which query-pci lists, has them.
                    seen = _device_fact(dev, bus, pci)
                    if not seen.get("pci_from_lines"):
                        facts[dev.type]["pci"] = seen["pci"]
                        facts[dev.type].pop("pci_from_lines")
                # What realize leaves set is read where the user created the device (-device),
                # not where a board set properties of its own.
                if dev.type in users and facts[dev.type].pop("board_made", False):
                    facts[dev.type]["buses"] = _bus_facts(dev)
                    facts[dev.type]["realize_sets"] = _realize_sets(dev, printed_defaults.get(dev.type, {}),
                                                                    users[dev.type])
                stack.extend(dev.buses)
        for key, node in qom.items():
            record = facts.setdefault(key, {"type": key})
            record.setdefault("children", owned_children(
                node, lambda t: t in _OWNED_TYPES or not (is_device(t) or is_bus(t) or t == "container")))
            record.setdefault("internal", [[c.name, c.type] for c in node.children if is_device(c.type)])
    for record in facts.values():
        record.pop("board_made", None)
        record.pop("pci_from_lines", None)
    return [facts[key] for key in sorted(facts)]
