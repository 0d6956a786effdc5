"""A type's class state and its objects' property history as plain lines: the body of
``vmtrace class`` and of the TUI's class (``K``) and object (``O``) views.

Each line comes with the event it is about (None for headings), so the TUI can jump there.
Every string from the trace goes through :func:`tracer.labels.clean`.
"""

from __future__ import annotations

from typing import Any

from tracer.classstate import ClassState, PropertyEvent
from tracer.labels import clean, value_text
from tracer.trace import Trace

MAX_PROPERTY_NAMES = 12
MAX_VALUE_WIDTH = 36

Line = tuple[int | None, str]


def class_report(trace: Trace, state: ClassState, objects: list[PropertyEvent], history: bool = False) -> list[Line]:
    """Ancestry, where the class was initialised, its fields, the properties added, then the
    objects' property history (see :mod:`tracer.classstate`)."""
    name = clean(state.type_name)
    lines: list[Line] = [(None, f"{name}: " + " < ".join(clean(t) for t in state.ancestry))]
    if state.initialised_at is None:
        lines.append((None, "  class never initialised in this run"))
        return lines
    lines.append((state.initialised_at, f"  class initialised at event {state.initialised_at}"))
    if not any(ev.fn == "class_field_set" for ev in trace.events):
        lines.append((None, "  this trace records no class fields (record it again with this vmtrace)"))
        return lines
    lines.extend(field_lines(state, history))
    if state.properties:
        lines.append((None, ""))
        lines.append((None, "class properties added"))
        for group in state.properties:
            shown = ", ".join(clean(p) for p in group.properties[:MAX_PROPERTY_NAMES])
            more = f", ... ({len(group.properties) - MAX_PROPERTY_NAMES} more)" \
                if len(group.properties) > MAX_PROPERTY_NAMES else ""
            lines.append((group.seq, f"  {group.seq:>7}  {len(group.properties)} by {clean(group.by)} on "
                                     f"{clean(group.owner)}: {shown}{more}"))
    if objects:
        lines.append((None, ""))
        lines.extend(object_lines(state.type_name, objects))
    return lines


def field_lines(state: ClassState, history: bool = False) -> list[Line]:
    """``field  value  event  hook (kind)  [inherited from A; overrides V]``, one per field."""
    rows = state.history if history else state.fields
    lines: list[Line] = [(None, ""), (None, "fields" + (" (every setting, in order)" if history else ""))]
    width = max((len(clean(r.name)) for r in rows), default=5)
    value_width = min(max((len(_value(r.value)) for r in rows), default=5), MAX_VALUE_WIDTH)
    for r in rows:
        note = []
        if r.owner != state.type_name:
            note.append(f"inherited from {clean(r.owner)}" if not history else f"on {clean(r.owner)}")
        if r.overrides:
            note.append(f"overrides {_fit(_value(r.overrides[0]), MAX_VALUE_WIDTH)}")
        suffix = f"  [{'; '.join(note)}]" if note else ""
        shown = _fit(_value(r.value), value_width)
        lines.append((r.seq, f"  {clean(r.name):<{width}}  {shown:<{value_width}}  {r.seq:>7}  "
                             f"{clean(r.by)} ({clean(r.hook)}){suffix}"))
    return lines


def object_lines(type_name: str, objects: list[PropertyEvent]) -> list[Line]:
    """``event  property|feature  name  value  (where it came from)``, in event order."""
    lines: list[Line] = [(None, f"objects of {clean(type_name)}: property values as they were set")]
    width = max((len(clean(o.name)) for o in objects), default=5)
    for o in objects:
        kind = "feature " if o.kind == "feature" else "property"
        where = f"{clean(o.how)}; in {clean(o.hook)}" if o.hook else clean(o.how)
        lines.append((o.seq, f"  {o.seq:>7}  {kind}  {clean(o.name):<{width}}  {_value(o.value)}  ({where})"))
    return lines


def _value(value: Any) -> str:
    return value_text(value, bare=True)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
