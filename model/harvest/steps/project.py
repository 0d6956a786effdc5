"""From a raw gdb log to the projected steps: exported calls with their key arguments and QOM
hooks with the type that declared them and the type they ran for, plus the registration order.

A hook is logged by address. Which type *declared* it follows from the TypeInfos seen at
registration: a ``class_init`` belongs to the class being initialised; a ``class_base_init``
to the nearest proper ancestor whose TypeInfo holds that address (QEMU runs them from the
parent up to the root); an instance hook to the nearest type in the object's ancestry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from model.harvest.steps.gdbrun import RawRun
from model.harvest.steps.vocabulary import ENDS, MODULE_INIT, call_step, hook_step, recorded_args

H_co = TypeVar("H_co", covariant=True)


@dataclass(frozen=True)
class TypeSeen:
    name: str
    parent: str | None
    hooks: dict[str, int]


@dataclass(frozen=True)
class Projected:
    """One whole run seen through the vocabulary (to ``qemu_main_loop`` or the exit); ``cut`` names
    the function whose first return ends the prefix compared before the board was modelled."""

    steps: list[str]
    registrations: list[str]
    cut: str | None
    exit_status: int | None
    stderr: list[str]


HOOK_LETTERS = {"class_init": "c", "class_base_init": "b", "instance_init": "i", "instance_post_init": "p"}
"""How the data files spell which hooks a TypeInfo sets (``cbip`` for all four)."""


@dataclass(frozen=True)
class Registration:
    """A registered type as its TypeInfo declares it, and the last call before it was registered."""

    name: str
    parent: str | None
    hooks: str
    after: str | None

    def row(self) -> list[object]:
        return [self.name, self.parent, self.hooks]


def registrations_of(run: RawRun) -> list[Registration]:
    """Every ``type_register`` of the run in order (not the ``T::I`` types of interfaces)."""
    out: list[Registration] = []
    last_call: str | None = None
    for row in run.rows:
        if row[0] == "call":
            last_call = " ".join(str(x) for x in row[1:])
        elif row[0] == "type" and "::" not in row[1]:
            letters = "".join(HOOK_LETTERS[k] for k in HOOK_LETTERS if row[4].get(k))
            out.append(Registration(row[1], row[2], letters, last_call))
    return out


class HookTable(Protocol[H_co]):
    """A type as either side knows it: the binary's hooks are addresses, the model's names."""

    @property
    def name(self) -> str: ...

    @property
    def parent(self) -> str | None: ...

    @property
    def hooks(self) -> Mapping[str, H_co]: ...


def declaring_type(kind: str, hook: object, target: str, table: Mapping[str, HookTable[object]]) -> str:
    """The type whose TypeInfo declared ``hook`` as its ``kind`` hook when it ran for ``target``:
    the nearest in ``target``'s ancestry, starting at the parent for a ``class_base_init``
    (QEMU runs those of the ancestors only); ``?`` when no type in the table declares it."""
    entry = table.get(target)
    if kind == "class_base_init" and entry is not None:
        entry = table.get(entry.parent) if entry.parent else None
    while entry is not None:
        if entry.hooks.get(kind) == hook:
            return entry.name
        entry = table.get(entry.parent) if entry.parent else None
    return "?"


def owner_of(kind: str, addr: int, target: str, table: dict[str, TypeSeen]) -> str:
    """The type whose TypeInfo declared the hook at ``addr`` that ran for ``target``."""
    return declaring_type(kind, addr, target, table)


def project(run: RawRun) -> Projected:
    """Turn the whole log into step lines, with an ``end`` line where a bounding function returned."""
    table: dict[str, TypeSeen] = {}
    steps: list[str] = []
    registrations: list[str] = []
    cut: str | None = None
    for row in run.rows:
        tag = row[0]
        if tag == "type":
            name, parent, _abstract, hooks = row[1], row[2], row[3], row[4]
            table[name] = TypeSeen(name, parent, {k: int(v) for k, v in hooks.items()})
            if "::" not in name:  # ``T::I`` are the per-class interface types type_initialize makes
                registrations.append(name)
        elif tag == "call":
            steps.append(call_step(row[1], _args(row[1], row[2:])))
        elif tag == "hook":
            kind, addr, target = row[1], int(row[2]), row[3]
            steps.append(hook_step(kind, owner_of(kind, addr, target, table), target))
        elif tag == "end" and row[1] in ENDS:
            steps.append(f"end {row[1]}")
            cut = cut or row[1]
    stderr = [line for line in run.stderr.splitlines() if line]
    return Projected(steps, registrations, cut, run.exit_status, stderr)


def _args(function: str, values: list[Any]) -> tuple[object, ...]:
    out: list[object] = []
    for (_, how), value in zip(recorded_args(function), values, strict=False):
        if how == "module" and isinstance(value, int) and 0 <= value < len(MODULE_INIT):
            out.append(MODULE_INIT[value])
        else:
            out.append(value)
    return tuple(out)
