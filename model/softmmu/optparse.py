"""The two parsers QEMU uses for ``key=value,...`` option strings.

``-machine`` goes through ``keyval_parse`` (util/keyval.c): the first item may omit its key
(the *implied* key, ``type``), an implied value ends at the first comma, a later item without
``=`` is an error, and a bare ``help``/``?`` item asks for help.
``-smp`` uses keyval too (implied key ``cpus``). ``-m``, ``-accel`` and ``-global`` go through
QemuOpts (util/qemu-option.c): a later item without ``=`` is a deprecated boolean flag (``x``
means ``x=on``, ``nox`` ``x=off``), and ``,,`` is an escaped comma everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from model.errors import QemuError
from tracer.recorder import traced

_KEY_SEGMENT = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$|^[0-9]+$")


@dataclass
class ParsedOpts:
    """Parsed items in order (later duplicates replace earlier ones) and whether help was asked."""

    items: dict[str, str] = field(default_factory=dict)
    help: bool = False


def _read_value(s: str, i: int, stop_at_comma: bool) -> tuple[str, int]:
    """Read a value up to a single comma; ``,,`` is a literal comma unless ``stop_at_comma``."""
    out = []
    while i < len(s):
        c = s[i]
        if c == ",":
            if not stop_at_comma and i + 1 < len(s) and s[i + 1] == ",":
                out.append(",")
                i += 2
                continue
            return "".join(out), i + 1
        out.append(c)
        i += 1
    return "".join(out), i


def keyval_parse(params: str, implied_key: str | None) -> ParsedOpts:
    """Parse like ``keyval_parse_into(..., implied_key, &help, ...)``; errors are QEMU's."""
    result = ParsedOpts()
    if not params:  # an empty argument is an empty dictionary (``-smp ''`` changes nothing)
        return result
    i = 0
    first = True
    while i < len(params) or first:
        rest = params[i:]
        key_len = _span(rest, "=,")
        key = rest[:key_len]
        if key in ("help", "?") and (key_len == len(rest) or rest[key_len] == ","):
            result.help = True
            i += key_len + 1
            first = False
            continue
        if first and implied_key is not None and key_len and (key_len == len(rest) or rest[key_len] != "="):
            value, i = _read_value(params, i, stop_at_comma=True)
            result.items[implied_key] = value
            first = False
            continue
        first = False
        if not key or not all(_KEY_SEGMENT.match(seg) for seg in key.split(".")):
            raise QemuError(f"Invalid parameter '{key}'")
        if key_len == len(rest) or rest[key_len] != "=":
            raise QemuError(f"Expected '=' after parameter '{key}'")
        value, i = _read_value(params, i + key_len + 1, stop_at_comma=False)
        result.items[key] = value
        if i >= len(params):
            break
    return result


def _span(s: str, stops: str) -> int:
    for index, c in enumerate(s):
        if c in stops:
            return index
    return len(s)


def qemu_opts_parse(params: str, implied: str | None, allowed: frozenset[str] | None,
                    warn: Callable[[str, str], None] | None = None,
                    validate: Callable[[str, str], None] | None = None) -> ParsedOpts:
    """Parse like ``qemu_opts_parse_noisily`` with ``permit_abbrev`` for the implied option.

    ``allowed`` is the option list's description (None accepts any name, as ``smp-opts`` does);
    an unknown name is ``Invalid parameter 'NAME'``. A bare ``flag`` means ``flag=on`` (and
    ``noflag`` ``flag=off``) but is deprecated: ``warn(message, hint)`` reports it.
    ``validate(name, value)`` checks each value against its type as it is parsed, so the first
    bad item in the string is the one reported. A list that accepts any name does not look
    for ``help`` (``opts_accepts_any``): there a bare ``help`` is just the flag ``help=on``.
    """
    result = ParsedOpts()
    i = 0
    first = True
    while i < len(params):
        rest = params[i:]
        name_len = _span(rest, "=,")
        name = rest[:name_len]
        has_eq = name_len < len(rest) and rest[name_len] == "="
        detect_help = allowed is not None
        if first and implied is not None and not has_eq:
            # The implied parameter's value is a value, even "help" (``-m help`` is a bad size).
            value, i = _read_value(params, i, stop_at_comma=False)
            if validate is not None:
                validate(implied, value)
            result.items[implied] = value
            first = False
            continue
        first = False
        if has_eq:
            value, i = _read_value(params, i + name_len + 1, stop_at_comma=False)
        else:
            i += name_len + 1
            if name in ("help", "?"):
                if detect_help:
                    result.help = True
                    return result
                result.items[name] = "on"
                continue
            value = "on"
            if name.startswith("no"):
                name, value = name[2:], "off"
            if warn is not None:
                shown = name if value == "on" else "no" + name
                hint = (f"Please use nodelay={'on' if value == 'off' else 'off'} instead" if name == "delay"
                        else f"Please use {name}={value} instead")
                warn(f"short-form boolean option '{shown}' deprecated", hint)
        if allowed is not None and name not in allowed and name != "id":  # every list takes an id
            raise QemuError(f"Invalid parameter '{name}'")
        if validate is not None and name != "id":
            validate(name, value)
        result.items[name] = value
    return result


@traced("util/qemu-option.c", args=lambda text, implied, keys, warn=None, validate=None: {"text": text})
def qemu_opts_parse_noisily(text: str, implied: str | None, keys: frozenset[str] | None,
                            warn: Callable[[str, str], None] | None = None,
                            validate: Callable[[str, str], None] | None = None) -> ParsedOpts:
    """Parse a QemuOpts option string (``-accel``, ``-m``, ``-global driver=...``, ``-device``,
    and the lists read with ``qemu_find_opts``: ``-drive``, ``-chardev``, ``-numa``...); errors
    are reported by the caller, as QEMU's ``_noisily`` variant reports them."""
    return qemu_opts_parse(text, implied, keys, warn, validate)
