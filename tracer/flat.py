"""Flat queries: the calls that match a pattern, in order, one per line (``show --flat``).

A QEMU developer's questions are often lists rather than trees: which ``class_init``
functions ran, in what order; which instance hooks ran for the CPU object. The tree view
answers them only with every match's context around it; a flat list answers them directly,
each row carrying what identifies it: its event number, the QOM type it is about, the hook
kind when QOM made the call through a ``TypeInfo`` hook, and who called it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from tracer.calltree import NONE, CallTree
from tracer.labels import call_text, clean
from tracer.replay_match import TYPE_KEYS
from tracer.select import matches
from tracer.trace import Event, HookKind


@dataclass(frozen=True)
class FlatRow:
    """One matching call."""

    seq: int
    fn: str
    type_name: str | None
    hook: HookKind | None
    caller: str
    """The enclosing call as ``fn(key argument)``, or empty at the top level."""


def type_argument(event: Event) -> str | None:
    """The QOM type an event is about: its first type-naming argument (``type``, ``class``...)."""
    if not event.args:
        return None
    for key in TYPE_KEYS:
        value = event.args.get(key)
        if isinstance(value, str):
            return value
    return None


def flat_rows(
    tree: CallTree, pattern: str | None = None, hooks: Collection[HookKind] | None = None,
    max_depth: int | None = None,
) -> list[FlatRow]:
    """Calls matching ``pattern`` (as ``show --match``) and made through one of ``hooks``
    (when given), in event order."""
    rows = []
    events = tree.events
    for ev in events:
        if ev.kind != "call":  # the facts recorded beside the calls (points) are the tree's business
            continue
        if hooks is not None and ev.hook not in hooks:
            continue
        if max_depth is not None and ev.depth > max_depth:
            continue
        if pattern is not None and not matches(ev, pattern):
            continue
        caller = call_text(events[ev.parent]) if ev.parent != NONE else ""
        rows.append(FlatRow(ev.seq, clean(ev.fn), type_argument(ev), ev.hook, caller))
    return rows


def format_rows(rows: list[FlatRow]) -> list[str]:
    """Aligned columns, ``#seq  function  [hook]  type  <- caller``: readable, and easy to cut."""
    if not rows:
        return []
    seq_w = len(str(rows[-1].seq))
    fn_w = max(len(r.fn) for r in rows)
    hook_w = max((len(r.hook) + 2 for r in rows if r.hook), default=0)
    type_w = max(len(clean(r.type_name or "-")) for r in rows)
    lines = []
    for r in rows:
        hook = f"[{r.hook}]" if r.hook else ""
        parts = [f"{r.seq:>{seq_w}}", r.fn.ljust(fn_w)]
        if hook_w:
            parts.append(hook.ljust(hook_w))
        parts.append(clean(r.type_name or "-").ljust(type_w))
        parts.append(f"<- {r.caller}" if r.caller else "<- (top level)")
        lines.append("  ".join(parts))
    return lines
