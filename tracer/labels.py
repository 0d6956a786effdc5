"""Plain-text labels for events, and THE sanitiser every printed or displayed string goes through.

Strings in a trace (and file names, and command-line arguments) may come from anyone:
:func:`clean` removes what could style, move or rewrite a terminal (ESC sequences, C0 and C1
controls, bidirectional overrides, line separators) and turns lone surrogates (undecodable
bytes of a file name or argument, as Python carries them) into a visible ``\\xNN``, so the text
can always be encoded and never acts on the terminal. Renderers must still build ``rich``
``Text`` objects (never markup strings) from these labels.

:func:`value_text` bounds what it renders *before* serialising, so the cost of a label does not
grow with one huge string or a deeply nested value in a hostile trace.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tracer.trace import Event

# Arguments naming a QOM type, machine or property are shown bare, as QEMU developers write them
# (type_initialize(host-x86_64-cpu)); free-form strings such as option values are quoted.
BARE_KEYS = frozenset({"type", "class", "parent", "name", "typename", "machine", "driver", "iface"})

# ESC-introduced sequences (CSI, OSC/DCS/APC/PM/SOS strings, two-byte escapes) first, so their
# parameters go with them; then single characters: C0 and C1 controls, DEL, bidirectional
# embeddings/overrides/isolates and marks, line and paragraph separators, BOM.
_SEQUENCE = r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b[\]P_^X][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -/]*[0-~]?"
_CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
_CONTROL = re.compile(f"{_SEQUENCE}|[{_CONTROL_CHARS}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE = re.compile(f"[\x1b{_CONTROL_CHARS}\t\n\ud800-\udfff]")
MAX_VALUE_CHARS = 200
MAX_NESTED_ITEMS = 64
"""Items of a list or dict rendered in a label before ``…`` (labels are one line anyway)."""


def _surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def clean(text: str) -> str:
    """``text`` made safe for a terminal: one line, no control or bidi characters, encodable.

    Tabs and newlines become spaces; an undecodable byte ``\\xe9`` carried as a surrogate is
    shown as the four characters ``\\xe9``. Text that needs none of this is returned as is,
    after one regex scan.
    """
    if not _UNSAFE.search(text):
        return text
    text = _CONTROL.sub("", text.replace("\n", " ").replace("\t", " "))
    return _SURROGATE.sub(_surrogate, text)


def clean_line(text: str) -> str:
    """Like :func:`clean`, but keeps tabs (QEMU's help output is aligned with them)."""
    return "\t".join(clean(part) for part in text.split("\t"))


def _bounded_json(value: Any, limit: int) -> str:
    """JSON-like text of ``value``, stopping once ``limit`` characters are produced.

    Iterative (an explicit stack), so neither depth nor size of the value matters: the work is
    proportional to what is shown.
    """
    out: list[str] = []
    size = 0
    stack: list[Any] = [value]
    while stack and size <= limit:
        item = stack.pop()
        if isinstance(item, _Raw):
            piece = item.text
        elif isinstance(item, dict):
            entries: list[Any] = [_Raw("{")]
            for i, (key, val) in enumerate(item.items()):
                if i == MAX_NESTED_ITEMS:
                    entries.append(_Raw(",…"))
                    break
                entries.extend([_Raw(("," if i else "") + _scalar(str(key), limit) + ":"), val])
            entries.append(_Raw("}"))
            stack.extend(reversed(entries))
            continue
        elif isinstance(item, list):
            entries = [_Raw("[")]
            for i, val in enumerate(item):
                if i == MAX_NESTED_ITEMS:
                    entries.append(_Raw(",…"))
                    break
                entries.extend([_Raw(",")] if i else [])
                entries.append(val)
            entries.append(_Raw("]"))
            stack.extend(reversed(entries))
            continue
        else:
            piece = _scalar(item, limit)
        out.append(piece)
        size += len(piece)
    return "".join(out)


class _Raw:
    """Punctuation already rendered, on the stack of :func:`_bounded_json`."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _scalar(value: Any, limit: int) -> str:
    if isinstance(value, str):
        return json.dumps(value[: limit + 1], ensure_ascii=False)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 1024 else f"(an integer of {value.bit_length()} bits)"
    if isinstance(value, float):
        return repr(value)
    return str(value)[: limit + 1]


def value_text(value: Any, bare: bool = False, limit: int = MAX_VALUE_CHARS) -> str:
    """A compact, single-line rendering of a JSON value, at most ``limit`` characters."""
    if isinstance(value, str) and bare:
        text = value[: limit + 1]
    else:
        text = _bounded_json(value, limit)
    text = clean(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def args_text(args: dict[str, Any] | None) -> str:
    """``a, k=v`` with the first argument positional: the key argument reads like a C call."""
    if not args:
        return ""
    parts = []
    for i, (key, val) in enumerate(args.items()):
        if i == MAX_NESTED_ITEMS:
            parts.append("…")
            break
        shown = value_text(val, bare=key in BARE_KEYS)
        parts.append(shown if i == 0 else f"{short(key)}={shown}")
    return ", ".join(parts)


def short(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """:func:`clean` of at most ``limit`` characters of ``text`` (with ``…`` when cut)."""
    if len(text) <= limit:
        return clean(text)
    return clean(text[:limit]) + "…"


def call_text(event: Event) -> str:
    """``fn(args)`` for a call, ``fn: text`` for a point event."""
    fn = short(event.fn)
    if event.kind == "point":
        detail = short(event.text, 4 * MAX_VALUE_CHARS) if event.text else args_text(event.args)
        return f"{fn}: {detail}" if detail else fn
    return f"{fn}({args_text(event.args)})"


BLOCK_OPEN, BLOCK_CLOSE = "«", "»"
"""How a block frame (``FunctionInfo.block``: code inside a QEMU function, not a function of
its own) is written, so no one looks for it in QEMU's sources: ``«qemu_init: first pass»``."""


def frame_name(event: Event, block: bool) -> str:
    """The frame's name as views show it: a block in guillemets, a function as is."""
    fn = clean(event.fn)
    return f"{BLOCK_OPEN}{fn}{BLOCK_CLOSE}" if block else fn


def hook_suffix(event: Event) -> str:
    """`` [class_init]`` after the call of a QOM hook (which kind of hook it is), else empty."""
    return f" [{event.hook}]" if event.hook else ""


def outcome_text(closing: Event | None) -> str:
    """`` -> value`` for a return with a value, `` !! message`` for an error, else empty."""
    if closing is None:
        return ""
    if closing.kind == "error":
        return f" !! {short(closing.text or 'error', 4 * MAX_VALUE_CHARS)}"
    if closing.ret is None:
        return ""
    return f" -> {value_text(closing.ret, bare=True)}"


def node_text(event: Event, closing: Event | None) -> str:
    return call_text(event) + outcome_text(closing)


_JSON_UNSAFE = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf"
)


def json_for_terminal(document: bytes) -> bytes:
    """UTF-8 JSON with the characters :func:`clean` would remove written as ``\\uXXXX`` escapes.

    A JSON encoder already escapes C0 controls; DEL, C1 controls and bidi overrides it writes
    raw, and they would act on a terminal showing the document. In JSON they can only occur
    inside strings, where the escape means the same character: nothing is lost.
    """
    return _JSON_UNSAFE.sub(lambda m: b"\\u%04x" % ord(m.group().decode()), document)
