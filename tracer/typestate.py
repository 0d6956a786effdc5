"""Each QOM type's state at a given step of a trace: registered, class initialised, instantiated.

The state is read from the events the model emits under QEMU's names: a ``type_register``
point registers a type; the class is initialised once its ``class_init`` hook has *returned*
(for a type whose TypeInfo sets none, once ``type_initialize`` has returned: the parent's
class was copied, the interfaces set up and the base inits run); an ``object_new`` (or
``object_new_with_class`` / ``object_initialize``) call instantiates it. Each type's first
such event is indexed once; the state at step N is then a comparison, not a replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    # Where each class's initialisation can be watched: its class_init call (else the
    # type_initialize call), the step the TUI's Enter on a type jumps to.
    class_init_call: dict[str, int] = field(default_factory=dict)

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
    class_init_call: dict[str, int] = {}
    hook_calls: dict[int, str] = {}   # class_init call seq -> type
    type_init_calls: dict[int, str] = {}  # type_initialize call seq -> type
    for ev in trace.events:
        kind, fn = ev.kind, ev.fn
        if kind == "return" and ev.call is not None:
            if ev.call in hook_calls:
                initialised.setdefault(hook_calls.pop(ev.call), ev.seq)
            elif ev.call in type_init_calls:
                initialised.setdefault(type_init_calls.pop(ev.call), ev.seq)
            continue
        if kind == "point" and fn == "type_register":
            target = registered
        elif kind == "call" and (ev.hook == "class_init" or fn == "type_initialize"):
            name = _type_arg(ev.args)
            if name is None:
                continue
            if ev.hook == "class_init":
                hook_calls[ev.seq] = name
                class_init_call[name] = ev.seq
            else:
                type_init_calls[ev.seq] = name
                class_init_call.setdefault(name, ev.seq)
            continue
        elif kind == "call" and fn in INSTANTIATING_FUNCTIONS:
            target = instantiated
        else:
            continue
        name = _type_arg(ev.args)
        if name is not None and name not in target:
            target[name] = ev.seq
    return TypeMilestones(registered, initialised, instantiated, class_init_call)
