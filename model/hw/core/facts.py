"""The harvested facts about device types (``model/data/machine``), typed.

``device_props.jsonl`` is QMP's ``device-list-properties`` per type (every property with its
type and default); ``device_facts.jsonl`` is what the monitor showed of each type once built
(see :mod:`model.harvest.machine_facts`). The model's board and device code decide where a
device goes and what is set on it; these facts say what the device type itself brings.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

from model.data_files import DATA_DIR

MACHINE_DIR = DATA_DIR / "machine"


@dataclass(frozen=True)
class PropFact:
    """A property as ``device-list-properties`` describes it."""

    name: str
    kind: str
    default: Any
    description: str


@dataclass(frozen=True)
class PciRegionFact:
    bar: int
    type: str
    size: int
    prefetch: bool | None
    mem_type_64: bool | None


@dataclass(frozen=True)
class PciFact:
    """A PCI function's identity as ``query-pci`` shows it before firmware has run."""

    class_code: int
    desc: str | None
    vendor: int
    device: int
    subsystem: int | None
    subsystem_vendor: int | None
    irq_pin: int
    irq: int | None
    regions: tuple[PciRegionFact, ...]
    bridge_ranges: tuple[tuple[int, int], ...] | None


@dataclass(frozen=True)
class DeviceFact:
    """What one device type brings, whatever board it is on."""

    type: str
    bus_type: str | None
    qtree_props: tuple[str, ...]
    gpios: tuple[tuple[str, str, int], ...]
    children: tuple[tuple[str, str, int | None], ...]  # (name, type, count or None for a plain name)
    mmio_sizes: tuple[int, ...]
    pci: PciFact | None
    bus_lines: tuple[str, ...]
    buses: tuple[tuple[str, str | None], ...] = ()  # (bus type, explicit name) in creation order
    internal: tuple[tuple[str, str], ...] = ()  # (child name, device type) created inside it
    realize_sets: dict[str, Any] = field(default_factory=dict)  # what realize left set


def _records(name: str) -> list[dict[str, Any]]:
    lines = (MACHINE_DIR / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


@functools.cache
def device_props() -> dict[str, dict[str, PropFact]]:
    """Type name -> property name -> fact (types QMP did not know are absent)."""
    out: dict[str, dict[str, PropFact]] = {}
    for rec in _records("device_props.jsonl"):
        if rec["properties"] is None:
            continue
        out[rec["type"]] = {p["name"]: PropFact(p["name"], p["type"], p.get("default-value"), p.get("description", ""))
                            for p in rec["properties"]}
    return out


def _pci(raw: dict[str, Any] | None) -> PciFact | None:
    if raw is None:
        return None
    ranges = raw.get("bridge_ranges")
    return PciFact(raw["class"], raw["desc"], raw["vendor"], raw["device"], raw["subsystem"], raw["subsystem_vendor"],
                   raw["irq_pin"], raw["irq"], tuple(PciRegionFact(*r) for r in raw["regions"]),
                   tuple((r[0], r[1]) for r in ranges) if ranges is not None else None)


@functools.cache
def device_facts() -> dict[str, DeviceFact]:
    out: dict[str, DeviceFact] = {}
    for rec in _records("device_facts.jsonl"):
        out[rec["type"]] = DeviceFact(
            rec["type"], rec.get("bus_type"), tuple(rec.get("qtree_props", ())),
            tuple((g[0], g[1], g[2]) for g in rec.get("gpios", ())),
            tuple((c[0], c[1], c[2]) for c in rec.get("children", ())),
            tuple(rec.get("mmio_sizes", ())), _pci(rec.get("pci")), tuple(rec.get("bus_lines", ())),
            tuple((b[0], b[1]) for b in rec.get("buses", ())), tuple((i[0], i[1]) for i in rec.get("internal", ())),
            dict(rec.get("realize_sets", {})))
    return out


@functools.cache
def instance_values() -> dict[str, dict[str, Any]]:
    """Boolean QOM properties whose value ``instance_init`` sets (QMP lists no default for them),
    per device type, as the binary's newest PC machines hold them (``machine_compat.py``)."""
    data: dict[str, dict[str, Any]] = json.loads((MACHINE_DIR / "device_compat.json").read_text())["instance_values"]
    return data


@functools.cache
def not_hotpluggable() -> frozenset[str]:
    """Device types whose class is not hotpluggable, as probed from the binary."""
    data = json.loads((MACHINE_DIR / "device_compat.json").read_text())
    return frozenset(data.get("not_hotpluggable", []))


def fact_for(typename: str) -> DeviceFact:
    """The facts of a type; x86 CPUs share the ``x86_64-cpu`` entry; unknown types bring nothing."""
    facts = device_facts()
    key = "x86_64-cpu" if typename.endswith("-x86_64-cpu") else typename
    return facts.get(key) or DeviceFact(typename, None, (), (), (), (), None, ())
