"""Harvest what each type's ``instance_init`` does from the binary's steps (``instance_init.json``).

The steps of every harvested case are parsed for the lines between a hook ``instance_init
OWNER TARGET`` and the next hook of TARGET: regions TARGET owns, children embedded with
``object_initialize_child`` (their own hooks and post-init calls are skipped over: they are the
child's) and irqs. A hook whose lines run into anything else (board code, a realize) is left
out: only hooks followed by another hook of the same object are read, and a type seen doing two
different things is an error. See :mod:`model.qom.init_effects` for what the model does with them.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence

from model.harvest.steps.store import Case
from model.qom.init_effects import Child, Effect, Irq, Lookup, Region, effect_row

_POST_INIT_CALLS = ("object_apply_compat_props", "object_apply_global_props", "qdev_prop_set_globals")


class _Unread(Exception):
    """The lines after a hook are not an instance_init's own (board code follows)."""


def _effects(steps: Sequence[str], i: int, target: str) -> tuple[list[Effect], int]:
    """The effects from ``steps[i]`` up to the next hook of ``target``; raises _Unread otherwise."""
    out: list[Effect] = []
    while i < len(steps):
        words = shlex.split(steps[i])
        if words[0] in ("instance_init", "instance_post_init") and words[2] == target:
            return out, i
        if words[:2] == ["call", "object_new"] and words[2:] == ["irq"]:
            out.append(Irq())
            i += 1
        elif words[0] == "call" and words[1].startswith("memory_region_init"):
            if words[2] != target:  # a region of another owner: not this object's initialisation
                raise _Unread(steps[i])
            out.append(Region(words[1], None if words[3] == "NULL" else words[3], words[4]))
            i += 1
            while steps[i].startswith("call memory_region_init"):  # a flavour calling another
                i += 1
            i += 1  # the region's own instance_init
        elif words[:2] == ["call", "object_class_by_name"] and out and isinstance(out[-1], Child | Lookup):
            out.append(Lookup(words[2]))
            i += 1
        elif words[:2] == ["call", "object_initialize_child_internal"]:
            out.append(Child(words[3], words[4]))
            i = _skip_object(steps, i + 1, words[4])
        else:
            raise _Unread(steps[i])
    raise _Unread("end of run")


def _skip_object(steps: Sequence[str], i: int, target: str) -> int:
    """Past an embedded object's own hooks, effects and post-init calls."""
    while i < len(steps):
        words = shlex.split(steps[i])
        if words[0] == "instance_init" and words[2] == target:
            _, i = _effects(steps, i + 1, target)
        elif words[0] == "instance_post_init" and words[2] == target:
            i += 1
        elif words[0] == "call" and words[1] in _POST_INIT_CALLS and words[2:3] == [target]:
            i += 1
        else:
            return i
    return i


def collect(cases: Sequence[Case]) -> dict[str, list[Effect]]:
    """Declaring type -> its instance_init's effects, for the hooks that do something."""
    found: dict[str, list[Effect]] = {}
    for case in cases:
        steps = [s for s in case.steps if not s.startswith(("class_init", "class_base_init"))]
        for i, step in enumerate(steps):
            words = step.split(" ")
            if words[0] != "instance_init" or words[1] == "memory-region":
                continue
            try:
                effects, _ = _effects(steps, i + 1, words[2])
            except _Unread:
                continue
            if effects and effects != found.setdefault(words[1], effects):
                raise ValueError(f"{words[1]}'s instance_init did different things in {case.name}")
    return dict(sorted(found.items()))


def render(effects: dict[str, list[Effect]], qemu_version: str) -> str:
    rows = {name: [effect_row(e) for e in found] for name, found in effects.items()}
    return json.dumps({"qemu_version": qemu_version, "source": "model/harvest/steps/effects.py",
                       "instance_init": rows}, indent=1, sort_keys=True) + "\n"
