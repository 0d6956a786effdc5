"""What the replay cursor matches: search queries, breakpoints, and the filter that hides events.

Pure data and predicates over :class:`~tracer.trace.Event`, shared by :mod:`tracer.replay`
and the TUI; no UI imports.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any, Literal

from tracer.calltree import NONE, CallTree
from tracer.labels import value_text
from tracer.trace import Event

WARNING_FUNCTIONS = frozenset({"warn_report"})
ERROR_FUNCTIONS = frozenset({"error_report"})
# Argument keys that name a QOM type: the type "in play" at an event and type breakpoints.
TYPE_KEYS = ("type", "typename", "class", "driver")


def is_closing(event: Event) -> bool:
    """A ``return`` or ``error``: it closes a call and has no row of its own in the tree."""
    return event.kind == "return" or event.kind == "error"


def is_problem(event: Event) -> bool:
    """Errors and warnings: ``error`` events and ``warn_report``/``error_report`` points."""
    if event.kind == "error":
        return True
    return event.kind == "point" and (event.fn in WARNING_FUNCTIONS or event.fn in ERROR_FUNCTIONS)


@dataclass(frozen=True)
class Query:
    """A search: a case-insensitive substring, or a glob when the text has ``*``, ``?`` or ``[``.

    It matches a node's function name, its argument values, a point's text and what closed
    the call (return value or error text), which is what the tree row shows.
    """

    text: str

    @property
    def is_glob(self) -> bool:
        return any(c in self.text for c in "*?[")

    def hit(self, event: Event, closing: Event | None) -> bool:
        needle = self.text.lower()
        if not needle:
            return False
        candidates = [event.fn]
        if event.args:
            candidates.extend(_plain(v) for v in event.args.values())
        if event.text:
            candidates.append(event.text)
        if closing is not None:
            if closing.ret is not None:
                candidates.append(_plain(closing.ret))
            if closing.text:
                candidates.append(closing.text)
        if self.is_glob:
            return any(fnmatch.fnmatchcase(c.lower(), needle) for c in candidates)
        return any(needle in c.lower() for c in candidates)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else value_text(value, bare=True)


@dataclass(frozen=True)
class Breakpoint:
    """Stop at calls and points of a function, at events whose type argument names a type, or
    (a ``glob``, as search takes them: ``*class_init``) at either matching the pattern."""

    name: str
    kind: Literal["function", "type", "glob"] = "function"

    def hit(self, event: Event) -> bool:
        if self.kind == "function":
            return event.fn == self.name
        args = event.args
        if self.kind == "glob":
            pattern = self.name.lower()
            if fnmatch.fnmatchcase(event.fn.lower(), pattern):
                return True
            return args is not None and any(
                isinstance(value, str) and fnmatch.fnmatchcase(value.lower(), pattern)
                for value in (args.get(key) for key in TYPE_KEYS)
            )
        if not args:
            return False
        return any(args.get(key) == self.name for key in TYPE_KEYS)

    def __str__(self) -> str:
        return self.name if self.kind != "type" else f"type:{self.name}"


@dataclass(frozen=True)
class Filter:
    """What the view hides: functions matching ``hide`` (with their subtrees) and deep calls."""

    hide: str | None = None
    max_depth: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.hide) or self.max_depth is not None

    def describe(self) -> str:
        parts = []
        if self.hide:
            parts.append(f"hide {self.hide}")
        if self.max_depth is not None:
            parts.append(f"depth ≤ {self.max_depth}")
        return ", ".join(parts) or "none"


def hidden_mask(tree: CallTree, flt: Filter) -> bytearray:
    """One byte per event, 1 when the filter hides it: a hidden call hides its whole subtree."""
    events = tree.events
    hidden = bytearray(len(events))
    query = Query(flt.hide) if flt.hide else None
    max_depth = flt.max_depth
    covered_until = NONE
    for ev in events:
        seq = ev.seq
        if seq <= covered_until:
            continue
        if max_depth is not None and ev.depth > max_depth:
            hidden[seq] = 1
            continue
        if query is not None and not is_closing(ev) and _name_hit(query, ev):
            end = tree.end(seq)
            last = end if end != NONE else (len(events) - 1 if ev.kind == "call" else seq)
            hidden[seq : last + 1] = b"\x01" * (last - seq + 1)
            covered_until = last
    return hidden


def _name_hit(query: Query, event: Event) -> bool:
    """Hiding is by function name only: hiding ``type_register`` must not hide by argument."""
    name = event.fn.lower()
    needle = query.text.lower()
    return fnmatch.fnmatchcase(name, needle) if query.is_glob else needle in name
