"""Each QOM type's state at a given step of a trace: registered, class initialised, instantiated.

The state is read from the events the model emits under QEMU's names: a ``type_register``
point registers a type, a ``type_initialize`` call initialises its class, an ``object_new``
(or ``object_new_with_class`` / ``object_initialize``) call instantiates it. Each type's first
such event is indexed once; the state at step N is then a comparison, not a replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from tracer.trace import Trace

INSTANTIATING_FUNCTIONS = frozenset({"object_new", "object_new_with_class", "object_initialize"})


class TypeState(IntEnum):
    """Ordered: a type that is instantiated has necessarily been registered and initialised."""

    UNKNOWN = 0
    REGISTERED = 1
    CLASS_INITIALISED = 2
    INSTANTIATED = 3


@dataclass(frozen=True)
class TypeMilestones:
    """The first event of each milestone for every type (absent when it never happened)."""

    registered: dict[str, int]
    class_initialised: dict[str, int]
    instantiated: dict[str, int]

    def state_at(self, name: str, step: int) -> TypeState:
        """The type's state once events ``0..step`` have happened."""
        if self.instantiated.get(name, step + 1) <= step:
            return TypeState.INSTANTIATED
        if self.class_initialised.get(name, step + 1) <= step:
            return TypeState.CLASS_INITIALISED
        if self.registered.get(name, step + 1) <= step:
            return TypeState.REGISTERED
        return TypeState.UNKNOWN


def _type_arg(args: object) -> str | None:
    if isinstance(args, dict):
        value = args.get("type")
        if isinstance(value, str):
            return value
    return None


def index_milestones(trace: Trace) -> TypeMilestones:
    """One pass over the events, keeping the first occurrence of each milestone per type."""
    registered: dict[str, int] = {}
    initialised: dict[str, int] = {}
    instantiated: dict[str, int] = {}
    for ev in trace.events:
        kind, fn = ev.kind, ev.fn
        if kind == "point" and fn == "type_register":
            target = registered
        elif kind == "call" and fn == "type_initialize":
            target = initialised
        elif kind == "call" and fn in INSTANTIATING_FUNCTIONS:
            target = instantiated
        else:
            continue
        name = _type_arg(ev.args)
        if name is not None and name not in target:
            target[name] = ev.seq
    return TypeMilestones(registered, initialised, instantiated)
