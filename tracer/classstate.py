"""A QOM type's class state and an object's property history, read from a trace.

The model records what each class hook set (``class_field_set``), which class properties it
added (``class_properties_added``) and every property set on an object (``property_set``),
see :mod:`model.qom.class_state`. A class starts as a copy of its parent's, so a type's fields
are its ancestors' settings, root first, overridden by later ones: this module replays them
for one type, keeping for each field who set it, at which event, and on which class (the type
itself, or the ancestor it inherits the value from). Pure data: the CLI (``vmtrace class``)
and the TUI (``K`` and ``O``) render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracer.calltree import NONE
from tracer.replay_match import TYPE_KEYS
from tracer.trace import Event, Trace
from tracer.typestate import index_milestones

FIELD_SET = "class_field_set"
PROPERTIES_ADDED = "class_properties_added"
PROPERTY_SET = "property_set"
FEATURE = "x86_feature"
CLASS_LOOKUP_FUNCTIONS = frozenset({"object_class_by_name", "cpu_class_by_name", "x86_cpu_class_by_name",
                                    "object_new", "object_new_with_class", "module_object_class_by_name"})


@dataclass(frozen=True)
class FieldSetting:
    """One field as a hook set it: on which class (``owner``), by which hook, at which event."""

    name: str
    value: Any
    owner: str
    by: str
    hook: str
    seq: int
    call: int | None
    overrides: tuple[Any, ...] = ()
    """The value it replaced, when the field already had one (empty when it was new)."""


@dataclass(frozen=True)
class PropertiesAdded:
    owner: str
    by: str
    seq: int
    properties: tuple[str, ...]


@dataclass
class ClassState:
    """A type's class as the trace leaves it."""

    type_name: str
    ancestry: list[str]
    """The type, its parent, ... up to the root."""
    initialised_at: int | None
    fields: list[FieldSetting] = field(default_factory=list)
    """Each field's final setting, in the order the values were set."""
    history: list[FieldSetting] = field(default_factory=list)
    """Every setting along the ancestry, in event order (overridden ones included)."""
    properties: list[PropertiesAdded] = field(default_factory=list)

    def inherited(self, setting: FieldSetting) -> bool:
        return setting.owner != self.type_name


@dataclass(frozen=True)
class PropertyEvent:
    """A property value set on an object, or a CPU feature decided for it, at event ``seq``."""

    seq: int
    name: str
    value: Any
    how: str
    """Where the value came from: the global list (``compat``, ``global``...), the feature's
    reason (``model``, ``plus``, ``filtered``...), or the function that set it."""
    kind: str
    """``property`` or ``feature``."""
    hook: str = ""
    """The instance hook (``instance_init``/``instance_post_init``) it happened in, if any:
    which initialiser set what, when the object was created."""


def type_ancestry(trace: Trace, name: str) -> list[str]:
    """``name``, its parent, ... (from the trace's type table; cycles stop the walk)."""
    parents = {t.name: t.parent for t in trace.types}
    chain = [name]
    node: str | None = parents.get(name)
    while node is not None and node not in chain:
        chain.append(node)
        node = parents.get(node)
    return chain


def class_state(trace: Trace, name: str) -> ClassState:
    """Replay the class hooks' settings of ``name`` and its ancestors (root first)."""
    ancestry = type_ancestry(trace, name)
    owners = set(ancestry)
    state = ClassState(name, ancestry, _class_initialised(trace, name))
    current: dict[str, FieldSetting] = {}
    for ev in trace.events:
        if ev.kind != "point" or not ev.args or ev.args.get("type") not in owners:
            continue
        args = ev.args
        if ev.fn == FIELD_SET and isinstance(args.get("field"), str):
            call = args.get("call")
            call = call if isinstance(call, int) and 0 <= call < len(trace.events) else None
            hook = trace.events[call].hook if call is not None else None
            setting = FieldSetting(args["field"], args.get("value"), args["type"], str(args.get("by", "?")),
                                   str(hook or args.get("hook", "")), ev.seq, call,
                                   (args["overrides"],) if "overrides" in args else ())
            state.history.append(setting)
            current.pop(setting.name, None)  # re-insert: the order is the order of the final values
            current[setting.name] = setting
        elif ev.fn == PROPERTIES_ADDED and isinstance(args.get("properties"), list):
            state.properties.append(PropertiesAdded(args["type"], str(args.get("by", "?")), ev.seq,
                                                    tuple(str(p) for p in args["properties"])))
    state.fields = list(current.values())
    return state


def _class_initialised(trace: Trace, name: str) -> int | None:
    """The step the type graph and the TUI call the class initialised (one index for all)."""
    return index_milestones(trace).class_initialised.get(name)


def object_history(trace: Trace, name: str) -> list[PropertyEvent]:
    """The properties set on objects of type ``name``, and the CPU features decided while such
    an object was created and realized, in event order."""
    events = trace.events
    out: list[PropertyEvent] = []
    for ev in events:
        if ev.kind != "point" or not ev.args:
            continue
        args = ev.args
        if ev.fn == PROPERTY_SET and args.get("type") == name:
            how = args.get("origin") or (events[ev.parent].fn if ev.parent != NONE else "")
            out.append(PropertyEvent(ev.seq, str(args.get("property")), args.get("value"), str(how), "property",
                                     _instance_hook(events, ev)))
        elif ev.fn == FEATURE and _owner_type(events, ev) == name:
            out.append(PropertyEvent(ev.seq, str(args.get("feature")), args.get("value"),
                                     str(args.get("reason", "")), "feature", _instance_hook(events, ev)))
    return out


def _instance_hook(events: list[Event], ev: Event) -> str:
    """The innermost enclosing call QOM made through an instance hook, by name."""
    parent = ev.parent
    for _ in range(64):
        if parent == NONE:
            return ""
        call = events[parent]
        if call.hook == "instance_init" or call.hook == "instance_post_init":
            return call.fn
        parent = call.parent
    return ""


def _owner_type(events: list[Event], ev: Event) -> str | None:
    """The type argument of the nearest enclosing call that has one."""
    parent = ev.parent
    for _ in range(64):
        if parent == NONE:
            return None
        call = events[parent]
        if call.args:
            for key in TYPE_KEYS:
                value = call.args.get(key)
                if isinstance(value, str):
                    return value
        parent = call.parent
    return None


def earlier_class_init(trace: Trace, seq: int, initialised: dict[str, int]) -> tuple[str, int] | None:
    """At a class lookup (``object_class_by_name(T)``, ``object_new(T)``...) of a class that was
    initialised before this call began: ``(T, step of its type_initialize)``."""
    if not 0 <= seq < len(trace.events):
        return None
    ev = trace.events[seq]
    if ev.kind != "call" or ev.fn not in CLASS_LOOKUP_FUNCTIONS or not ev.args:
        return None
    for key in TYPE_KEYS:
        value = ev.args.get(key)
        if isinstance(value, str):
            step = initialised.get(value)
            return (value, step) if step is not None and step < seq else None
    return None
