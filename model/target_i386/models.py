"""x86 CPU model definitions, versions and aliases (harvested: ``x86_cpu_models.json``).

Every definition (``Skylake-Client``) is registered as several QOM types: the unversioned
name, whose version the machine type decides (``CPU_VERSION_AUTO``); one type per version
(``Skylake-Client-v3``); and each named alias of a version (``Skylake-Client-noTSX-IBRS``).
A version applies its own property changes on top of every earlier version's.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any

from model.data_files import load_json

CPU_VERSION_LEGACY = 0
CPU_VERSION_LATEST = -1
CPU_VERSION_AUTO = -2
TYPE_SUFFIX = "-x86_64-cpu"


@dataclass(frozen=True)
class CPUVersion:
    number: int
    props: dict[str, Any]
    aliases: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class CPUDefinition:
    """A ``builtin_x86_defs`` entry as loaded (version 1), plus its later versions."""

    name: str
    vendor: str
    family: int
    model: int
    stepping: int
    model_id: str
    level: int
    xlevel: int
    xlevel2: int
    features: frozenset[str]
    versions: tuple[CPUVersion, ...]
    deprecation_note: str | None = None
    cache_info: bool = False
    """The definition describes its caches (so ``legacy-cache=off`` is allowed)."""
    unnamed_bits: tuple[tuple[int, int], ...] = ()
    """(word index, mask) of bits the definition sets that have no feature name."""

    def latest(self) -> int:
        return self.versions[-1].number


@dataclass(frozen=True)
class CPUModel:
    """What one registered model type stands for (QEMU's ``X86CPUModel``)."""

    name: str
    definition: CPUDefinition
    version: int
    is_alias: bool
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def typename(self) -> str:
        return self.name + TYPE_SUFFIX


def _definition(name: str, raw: dict[str, Any]) -> CPUDefinition:
    versions = raw["versions"]
    v1 = versions["1"]
    return CPUDefinition(
        name=name, vendor=v1["vendor"], family=v1["family"], model=v1["model"], stepping=v1["stepping"],
        model_id=v1["model-id"], level=v1["min-level"], xlevel=v1["min-xlevel"], xlevel2=v1.get("min-xlevel2", 0),
        features=frozenset(v1["features"]),
        versions=tuple(
            CPUVersion(int(n), dict(v.get("props") or {}), tuple(v.get("aliases") or ()), v.get("note"))
            for n, v in sorted(versions.items(), key=lambda kv: int(kv[0]))
        ),
        deprecation_note=raw.get("deprecation_note") or None,
        cache_info=v1.get("legacy-cache") is False,
    )


@functools.cache
def cpu_definitions() -> dict[str, CPUDefinition]:
    """The base models; ``vme`` is added where KVM showed it (TCG's defaults hide it)."""
    data = load_json("x86_cpu_models.json")
    with_vme = set(load_json("x86_kvm_leaf.json").get("definitions_with_vme", []))
    unnamed = load_json("x86_unnamed_bits.json")["definitions"]
    defs = {name: _definition(name, raw) for name, raw in data["definitions"].items()}
    return {name: replace(d, features=d.features | ({"vme"} if name in with_vme else set()),
                          unnamed_bits=tuple((int(w), int(m)) for w, m in unnamed.get(name, {}).items()))
            for name, d in defs.items()}


@functools.cache
def cpu_models() -> dict[str, CPUModel]:
    """Every named model type (not base/max/host), by model name."""
    data = load_json("x86_cpu_models.json")
    defs = cpu_definitions()
    models: dict[str, CPUModel] = {}
    for name, info in data["models"].items():
        definition, version, is_alias = _resolve_name(name, defs)
        if definition is None:
            continue
        models[name] = CPUModel(name, definition, version, is_alias, info.get("help", ""), dict(info))
    return models


def _resolve_name(name: str, defs: dict[str, CPUDefinition]) -> tuple[CPUDefinition | None, int, bool]:
    if name in defs:
        return defs[name], CPU_VERSION_AUTO, True
    m = re.match(r"^(.*)-v(\d+)$", name)
    if m and m.group(1) in defs:
        return defs[m.group(1)], int(m.group(2)), False
    for definition in defs.values():
        for version in definition.versions:
            if name in version.aliases:
                return definition, version.number, True
    return None, 0, False


def special_models() -> dict[str, dict[str, Any]]:
    """``base``, ``max`` and ``host`` as the binary shows them under TCG."""
    special: dict[str, dict[str, Any]] = load_json("x86_cpu_models.json")["special"]
    return special


def resolve_version(model: CPUModel, default_version: int) -> int:
    """``x86_cpu_model_resolve_version``: AUTO follows the machine, LATEST is the last version."""
    version = model.version
    if version == CPU_VERSION_AUTO:
        version = default_version
    if version == CPU_VERSION_LATEST:
        version = model.definition.latest()
    return version
