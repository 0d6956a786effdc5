"""What each type's ``instance_init`` does, as harvested from the binary (``steps/instance_init.json``).

An ``instance_init`` runs before any property is set, so what it does is a fact of the type,
the same on every command line: the memory regions it initialises (flavour, name, size), the
objects it embeds with ``object_initialize_child`` (property name, type) and the irqs it
allocates (``qdev_init_gpio_in``: an ``object_new("irq")`` each). The harvester
(``model/harvest/steps/effects.py``) reads them off the binary's steps; the model's stand-in
``instance_init`` hooks replay them, in order, for the object being initialised (the owner of
each region).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from model.data_files import DATA_DIR

EFFECTS_FILE = DATA_DIR / "steps" / "instance_init.json"


@dataclass(frozen=True)
class Region:
    """``memory_region_init*``: the flavour (function), name and size (hex) of one region."""

    function: str
    name: str | None
    size: str


@dataclass(frozen=True)
class Child:
    """``object_initialize_child(obj, NAME, ..., TYPE)``: an object embedded in this one."""

    name: str
    type: str


@dataclass(frozen=True)
class Irq:
    """``qemu_allocate_irq`` for a gpio input: one ``irq`` object."""


@dataclass(frozen=True)
class Lookup:
    """``object_class_by_name(TYPE)``: how ``qdev_alias_all_properties`` knows where to stop
    walking up an embedded child's classes (once per class below ``device``)."""

    type: str


Effect = Region | Child | Irq | Lookup


def effect_row(effect: Effect) -> list[str | None]:
    if isinstance(effect, Region):
        return ["region", effect.function, effect.name, effect.size]
    if isinstance(effect, Child):
        return ["child", effect.name, effect.type]
    if isinstance(effect, Lookup):
        return ["lookup", effect.type]
    return ["irq"]


def parse(text: str) -> dict[str, tuple[Effect, ...]]:
    """Declaring type -> its instance_init's effects, in order."""
    out: dict[str, tuple[Effect, ...]] = {}
    for name, rows in json.loads(text)["instance_init"].items():
        out[name] = tuple(_effect(r) for r in rows)
    return out


def _effect(row: list[str]) -> Effect:
    if row[0] == "region":
        return Region(row[1], row[2], row[3])
    if row[0] == "child":
        return Child(row[1], row[2])
    if row[0] == "lookup":
        return Lookup(row[1])
    return Irq()


@functools.cache
def init_effects() -> dict[str, tuple[Effect, ...]]:
    return parse(EFFECTS_FILE.read_text(encoding="utf-8"))
