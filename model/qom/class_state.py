"""What each QOM hook did to a class, and each property set on an object, as trace events.

A ``class_init`` fills in its class struct (method slots such as ``class_by_name``,
``parse_features``, ``realize`` with the ``parent_realize`` it saved, and plain fields such as
``desc``) and adds class properties; the struct starts as a copy of the parent's, so what a
type "has" is what its ancestors' hooks and its own set, in order. QEMU keeps no record of who
set what; the model does, as point events next to the hook's call:

- ``class_field_set`` (``type``, ``field``, ``value``, ``by``, ``call``: the hook's call, which
  carries the hook kind, and ``overrides`` when the field already had a value, inherited or
  set by an earlier hook);
- ``class_properties_added`` (``type``, ``properties``, ``by``, ``call``);
- ``property_set`` on an object (``type``, ``property``, ``value``, and ``origin`` when a
  global property list set it: ``compat``, ``accel-compat`` or ``global``, which carries
  ``-cpu`` features and ``-global``); its enclosing call says who set it otherwise.

Values are described as JSON (a function by its QEMU name), never as Python reprs.
"""

from __future__ import annotations

from typing import Any, Protocol

from tracer.recorder import TRACED_NAME, active, point, run_hook
from tracer.trace import HookKind

MAX_LISTED = 16
"""Lists longer than this are described by their length."""
_PLAIN = frozenset({type(None), bool, int, float, str})


class ClassFields(dict[str, Any]):
    """A class struct's fields that can note which ones a hook assigns while it runs (every
    assignment, including one that stores the inherited value again), with the value each
    had before the hook's first assignment to it."""

    __slots__ = ("writes",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.writes: dict[str, Any] | None = None

    def __setitem__(self, key: str, value: Any) -> None:
        writes = self.writes
        if writes is not None and key not in writes:
            writes[key] = self.get(key, _NEW)
        super().__setitem__(key, value)


_NEW = object()
"""The "previous value" of a field that did not exist before the hook set it."""


class HookedClass(Protocol):
    """What :func:`run_class_hook` needs of an ``ObjectClass``."""

    @property
    def name(self) -> str: ...

    @property
    def fields(self) -> dict[str, Any]: ...

    @property
    def properties(self) -> dict[str, Any]: ...


def describe(value: Any) -> Any:
    """A JSON value standing for a class field or property value."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if (kind is list or kind is tuple) and len(value) <= MAX_LISTED:
        # the common case first (most list fields are empty): no isinstance/callable probes
        return [item if type(item) in _PLAIN else describe(item) for item in value]
    if isinstance(value, (bool, int, float, str)):
        return value
    if callable(value):
        return getattr(value, TRACED_NAME, None) or getattr(value, "__name__", type(value).__name__)
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_LISTED:
            return f"{len(value)} items"
        return [describe(item) for item in value]
    if all(hasattr(value, a) for a in ("driver", "property", "value")):
        return f"{value.driver}.{value.property}={value.value}"
    name = getattr(value, "name", None)
    if isinstance(name, str):
        return name
    return f"<{type(value).__name__}>"


def run_class_hook(kind: HookKind, hook: Any, klass: HookedClass, data: Any) -> None:
    """Run a class hook on ``klass`` and, when recording, say what it set and added.

    The points carry data only (no sentence): the tree shows their arguments, and recording
    stays cheap (a startup runs some 1,300 class hooks).
    """
    rec = active()
    fields = klass.fields
    if rec is None or not isinstance(fields, ClassFields):
        run_hook(kind, hook, klass, data)
        return
    props = klass.properties
    props_before = len(props)
    seq = rec.next_seq
    traced_name = getattr(hook, TRACED_NAME, None)
    writes: dict[str, Any] = {}
    fields.writes = writes
    try:
        hook(klass, data)  # run_hook, inlined (some 1,400 class hooks per startup)
    finally:
        fields.writes = None
    if traced_name is not None:
        rec.mark_hook(seq, traced_name, kind)
    if not writes and len(props) == props_before:
        return
    by = traced_name or getattr(hook, "__name__", "?")
    name = klass.name
    emit = rec.point
    for key, old in writes.items():
        value = fields[key]
        if type(value) not in _PLAIN:
            value = [] if value == [] else describe(value)  # most list slots a class_init resets are empty
        if old is _NEW:
            emit("class_field_set", None, {"type": name, "field": key, "value": value, "by": by, "call": seq})
        else:
            emit("class_field_set", None, {"type": name, "field": key, "value": value, "by": by, "call": seq,
                                           "overrides": old if type(old) in _PLAIN else describe(old)})
    if len(props) > props_before:
        emit("class_properties_added", None,
             {"type": name, "properties": list(props)[props_before:], "by": by, "call": seq})


def note_property_set(typename: str, name: str, value: Any, origin: Any) -> None:
    """Record a property set on an object (``origin``: the global list applying it, if any)."""
    if active() is None:
        return
    shown = describe(value)
    extra = {"origin": origin[0]} if isinstance(origin, tuple) and origin else {}
    point("property_set", f"{typename}.{name} = {shown}", type=typename, property=name, value=shown, **extra)
