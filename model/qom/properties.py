"""QOM properties and the string parsing QEMU applies when a property is set from text.

``-cpu Model,family=6`` and ``-global`` reach properties as strings, parsed by QEMU's string
input visitor; the accepted spellings and the error texts below are the binary's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from model.data_files import load_json
from model.errors import QemuError

Getter = Callable[["Any"], Any]
Setter = Callable[["Any", Any], None]

_TRUE = frozenset({"on", "yes", "true", "y"})
_FALSE = frozenset({"off", "no", "false", "n"})

_INT_RANGES: dict[str, tuple[int, int]] = {
    "int8": (-(2**7), 2**7 - 1), "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1), "uint16": (0, 2**16 - 1), "uint32": (0, 2**32 - 1), "uint64": (0, 2**64 - 1),
}
_C_NAMES = {"uint8": "uint8_t", "uint16": "uint16_t", "uint32": "uint32_t", "uint64": "uint64",
            "int8": "int8_t", "int16": "int16_t", "int32": "int32_t", "int64": "int64"}


def parse_bool(name: str, text: str) -> bool:
    """``qapi_bool_parse``: on/yes/true/y or off/no/false/n, nothing else (QOM properties and
    QemuOpts booleans alike)."""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise QemuError(f"Parameter '{name}' expects 'on' or 'off'")


def parse_c_integer(text: str, signed: bool) -> int | None:
    """Like ``qemu_strtoi64``/``qemu_strtou64`` with base 0: decimal, 0x hex, 0 octal."""
    s = text.strip(" \t\n")
    if not s or s != text.lstrip(" \t\n"):
        return None
    neg = s.startswith("-")
    body = s[1:] if s[:1] in "+-" else s
    try:
        if body[:2].lower() == "0x":
            value = int(body[2:], 16)
        elif len(body) > 1 and body.startswith("0"):
            value = int(body[1:], 8)
        else:
            value = int(body, 10)
    except ValueError:
        return None
    if neg:
        value = -value
        if not signed:
            # strtoull accepts "-1" and wraps; QEMU's string visitor then rejects negatives
            value = value % 2**64 if value >= -(2**64) else value
    return value


def parse_integer(name: str, kind: str, text: str) -> int:
    """Parse ``text`` as QEMU's string input visitor does for an integer property."""
    signed = kind.startswith("int")
    value = parse_c_integer(text, signed)
    lo, hi = _INT_RANGES[kind]
    wide = "int64" if signed else "uint64"
    if value is None or not (_INT_RANGES[wide][0] <= value <= _INT_RANGES[wide][1]):
        raise QemuError(f"Parameter '{name}' expects {_C_NAMES[wide]}")
    if not lo <= value <= hi:
        raise QemuError(f"Parameter '{name}' expects {_C_NAMES[kind]}")
    return value


ON_OFF_AUTO = ("on", "off", "auto")


@functools.cache
def _qapi_enums() -> dict[str, tuple[str, ...]]:
    enums = load_json("machine/qapi_enums.json")["enums"]
    return {"OnOffAuto": ON_OFF_AUTO, **{name: tuple(values) for name, values in enums.items()}}


def enum_values(kind: str) -> tuple[str, ...] | None:
    """The values a QAPI enum property accepts (harvested value by value), or None when the
    type is not one of the enums the model knows (any text is then taken)."""
    return _qapi_enums().get(kind)


@dataclass
class ObjectProperty:
    """One property: its QAPI type name and how to read and write it on an object.

    ``kind`` is ``bool``, an integer kind (``int64``, ``uint32``...), ``str`` or another type
    name (for which any string is accepted by the model).
    """

    name: str
    kind: str
    getter: Getter | None = None
    setter: Setter | None = None
    description: str = ""
    readonly: bool = False

    def parse(self, text: str) -> Any:
        """Convert the textual value as ``object_property_parse`` would, or raise QemuError."""
        if self.kind == "bool":
            return parse_bool(self.name, text)
        if self.kind in _INT_RANGES:
            return parse_integer(self.name, self.kind, text)
        values = enum_values(self.kind)
        if values is not None and text not in values:
            raise QemuError(f"Parameter '{self.name}' does not accept value '{text}'")
        return text
