"""``query-pci``: the PCI buses QMP reports, as typed structs that encode back to the same JSON.

QMP lists the buses it can reach by bus number from the root (a bridge's secondary bus is only
walked once firmware has numbered it, so under ``-S`` a bridge shows no devices); optional
members (``irq``, ``desc``, the subsystem ids, a region's ``prefetch``/``mem_type_64``, a
bridge's ``devices``) are absent rather than null, which ``omit_defaults`` reproduces.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec


class PciClass(msgspec.Struct, frozen=True, omit_defaults=True, rename={"class_": "class"}):
    class_: int
    desc: str | None = None


class PciIds(msgspec.Struct, frozen=True, omit_defaults=True, rename={"subsystem_vendor": "subsystem-vendor"}):
    vendor: int
    device: int
    subsystem: int | None = None
    subsystem_vendor: int | None = None


class PciRegion(msgspec.Struct, frozen=True, omit_defaults=True):
    bar: int
    type: str  # "io" or "memory"
    address: int
    size: int
    prefetch: bool | None = None
    mem_type_64: bool | None = None


class PciRange(msgspec.Struct, frozen=True):
    base: int
    limit: int


class PciBridgeBus(msgspec.Struct, frozen=True):
    number: int
    secondary: int
    subordinate: int
    io_range: PciRange
    memory_range: PciRange
    prefetchable_range: PciRange


class PciBridge(msgspec.Struct, frozen=True, omit_defaults=True):
    bus: PciBridgeBus
    devices: tuple[PciDevice, ...] | None = None


class PciDevice(msgspec.Struct, frozen=True, omit_defaults=True):
    bus: int
    slot: int
    function: int
    class_info: PciClass
    id: PciIds
    irq_pin: int
    qdev_id: str
    regions: tuple[PciRegion, ...]
    irq: int | None = None
    pci_bridge: PciBridge | None = None


class PciBus(msgspec.Struct, frozen=True):
    bus: int
    devices: tuple[PciDevice, ...]


_decoder = msgspec.json.Decoder(tuple[PciBus, ...])


def parse_pci(value: Any) -> tuple[PciBus, ...]:
    """``query-pci``'s return value (already decoded JSON, or its text) as structs."""
    raw = value if isinstance(value, (str, bytes)) else msgspec.json.encode(value)
    try:
        return _decoder.decode(raw)
    except msgspec.ValidationError as err:
        raise ValueError(f"query-pci: {err}") from None


def pci_to_data(buses: tuple[PciBus, ...]) -> list[Any]:
    """The JSON value QMP returns for these buses."""
    data: list[Any] = json.loads(msgspec.json.encode(buses))
    return data


def render_pci_json(buses: tuple[PciBus, ...]) -> str:
    """``query-pci`` as one JSON document (keys sorted: QMP's own member order is not stable)."""
    return json.dumps(pci_to_data(buses), indent=2, sort_keys=True)
