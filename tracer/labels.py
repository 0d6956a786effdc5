"""Plain-text labels for events, shared by ``show``, the TUI, diff and the exporters.

Strings in a trace may come from anyone: :func:`clean` strips terminal control sequences and
other non-printing characters before any text reaches a terminal. Renderers must still build
``rich`` ``Text`` objects (never markup strings) from these labels.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tracer.trace import Event

# Arguments naming a QOM type, machine or property are shown bare, as QEMU developers write them
# (type_initialize(host-x86_64-cpu)); free-form strings such as option values are quoted.
BARE_KEYS = frozenset({"type", "class", "parent", "name", "typename", "machine", "driver", "iface"})

_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_VALUE_CHARS = 200


def clean(text: str) -> str:
    """Remove ANSI escape sequences and control characters (newlines become spaces)."""
    return _CONTROL.sub("", text.replace("\n", " ").replace("\t", " "))


def value_text(value: Any, bare: bool = False) -> str:
    """A compact, single-line, length-bounded rendering of a JSON value."""
    if isinstance(value, str):
        text = value if bare else json.dumps(value, ensure_ascii=False)
    elif isinstance(value, bool) or value is None:
        text = json.dumps(value)
    elif isinstance(value, (int, float)):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    text = clean(text)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return text


def args_text(args: dict[str, Any] | None) -> str:
    """``a, k=v`` with the first argument positional: the key argument reads like a C call."""
    if not args:
        return ""
    parts = []
    for i, (key, val) in enumerate(args.items()):
        shown = value_text(val, bare=key in BARE_KEYS)
        parts.append(shown if i == 0 else f"{clean(key)}={shown}")
    return ", ".join(parts)


def call_text(event: Event) -> str:
    """``fn(args)`` for a call, ``fn: text`` for a point event."""
    fn = clean(event.fn)
    if event.kind == "point":
        detail = clean(event.text) if event.text else args_text(event.args)
        return f"{fn}: {detail}" if detail else fn
    return f"{fn}({args_text(event.args)})"


def outcome_text(closing: Event | None) -> str:
    """`` -> value`` for a return with a value, `` !! message`` for an error, else empty."""
    if closing is None:
        return ""
    if closing.kind == "error":
        return f" !! {clean(closing.text or 'error')}"
    if closing.ret is None:
        return ""
    return f" -> {value_text(closing.ret, bare=True)}"


def node_text(event: Event, closing: Event | None) -> str:
    return call_text(event) + outcome_text(closing)
