"""Comparing the machines two traces built (pure data), from the monitor views each trace carries.

- *Composition*: devices, buses and containers (not memory regions or irqs, which follow from
  the devices) present at a ``/machine/...`` path in one run only, or with another type.
- *PCI*: each bus:slot.function occupied differently (vendor:device ids and id).
- *Properties*: qdev properties that differ between devices of the same type, paired in the
  order ``info qtree`` lists them (``hpet#0`` is the first HPET in both).

A trace whose startup failed carries no machine; the comparison then says it is unavailable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracer.machine.qomtree import QomNode, parse_qom_tree
from tracer.machine.qtree import QtreeDevice, parse_qtree
from tracer.trace import MachineViews, Trace

_NOT_COMPOSITION = frozenset({"memory-region", "irq"})


@dataclass(frozen=True)
class MachineDiff:
    """What differs between the two machines; empty lists when they agree."""

    available: bool
    only_a: list[tuple[str, str]] = field(default_factory=list)  # (path, type)
    only_b: list[tuple[str, str]] = field(default_factory=list)
    retyped: list[tuple[str, str, str]] = field(default_factory=list)  # (path, type in A, type in B)
    pci: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (address, A, B)
    properties: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not (self.only_a or self.only_b or self.retyped or self.pci or self.properties)

    def to_json(self) -> dict[str, Any]:
        return {"available": self.available, "equal": self.equal,
                "only_a": [{"path": p, "type": t} for p, t in self.only_a],
                "only_b": [{"path": p, "type": t} for p, t in self.only_b],
                "retyped": [{"path": p, "a": a, "b": b} for p, a, b in self.retyped],
                "pci": [{"address": addr, "a": a, "b": b} for addr, a, b in self.pci],
                "properties": [{"device": d, "property": p, "a": a, "b": b} for d, p, a, b in self.properties]}


def _composition(node: QomNode, path: str, out: dict[str, str]) -> None:
    out[path] = node.type
    for child in node.sorted_children():
        if child.type not in _NOT_COMPOSITION:
            _composition(child, f"{path}/{child.name}", out)


def _pci(views: MachineViews) -> dict[str, str]:
    out: dict[str, str] = {}
    for bus in views.pci:
        for dev in bus["devices"]:
            ids = dev["id"]
            label = f"{ids['vendor']:04x}:{ids['device']:04x}" + (f" id={dev['qdev_id']}" if dev["qdev_id"] else "")
            out[f"{dev['bus']:02x}:{dev['slot']:02x}.{dev['function']:x}"] = label
    return out


def _devices(views: MachineViews) -> dict[str, QtreeDevice]:
    counts: dict[str, int] = {}
    out: dict[str, QtreeDevice] = {}
    for dev in reversed(parse_qtree(views.qtree).walk_devices()):  # oldest first, as created
        n = counts.get(dev.type, 0)
        counts[dev.type] = n + 1
        out[f"{dev.type}#{n}"] = dev
    return out


def machine_diff(a: Trace, b: Trace) -> MachineDiff:
    """The machine differences of ``b`` relative to ``a``."""
    va, vb = a.result.machine_views, b.result.machine_views
    if va is None or vb is None:
        return MachineDiff(available=False)
    comp_a: dict[str, str] = {}
    comp_b: dict[str, str] = {}
    _composition(parse_qom_tree(va.qom_tree), "/machine", comp_a)
    _composition(parse_qom_tree(vb.qom_tree), "/machine", comp_b)
    only_a = [(p, t) for p, t in comp_a.items() if p not in comp_b]
    only_b = [(p, t) for p, t in comp_b.items() if p not in comp_a]
    retyped = [(p, t, comp_b[p]) for p, t in comp_a.items() if p in comp_b and comp_b[p] != t]
    pci_a, pci_b = _pci(va), _pci(vb)
    pci = [(addr, pci_a.get(addr), pci_b.get(addr)) for addr in sorted(set(pci_a) | set(pci_b))
           if pci_a.get(addr) != pci_b.get(addr)]
    dev_a, dev_b = _devices(va), _devices(vb)
    props: list[tuple[str, str, str | None, str | None]] = []
    for key in dev_a:
        if key not in dev_b:
            continue
        pa = {p.name: p.value for p in dev_a[key].props}
        pb = {p.name: p.value for p in dev_b[key].props}
        props.extend((key, name, pa.get(name), pb.get(name)) for name in [*pa, *[n for n in pb if n not in pa]]
                     if pa.get(name) != pb.get(name))
    return MachineDiff(True, only_a, only_b, retyped, pci, props)
