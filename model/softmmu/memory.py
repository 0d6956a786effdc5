"""``-m``: QEMU's size syntax (``qemu_strtosz``) and ``parse_memory_options`` / ``machine_set_mem``.

A size is a decimal (optionally with a fraction) or ``0x`` hex number and an optional suffix
B, K, M, G, T, P, E (powers of 1024, either case). ``-m 512`` means MiB: ``parse_memory_options``
appends ``M`` to a value ending in a digit before the machine parses it again, which is why
``-m 0x10`` warns about a suffix on a hex number.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from model.errors import QemuError
from model.qom.properties import parse_c_integer

UINT64_MAX = 2**64 - 1
_SUFFIX = {"b": 0, "k": 1, "m": 2, "g": 3, "t": 4, "p": 5, "e": 6}
_DIGITS = re.compile(r"[ \t\n\v\f\r]*\+?[0-9]*")

SIZE_HINT = ("Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n"
             "and exabytes, respectively.")


def qemu_strtosz(text: str, default_suffix: str = "B",
                 warn: Callable[[str], None] | None = None, unit: int = 1024) -> int | None:
    """The size ``text`` denotes, or None if QEMU would reject it (syntax or > 2^64-1).

    ``unit`` is 1024 for memory sizes and 1000 for ``qemu_strtosz_metric`` (``tsc-freq=2.5G``).
    """
    m = re.match(r"[ \t\n\v\f\r]*([+-]?)([0-9]*)", text)
    assert m is not None
    if m.group(1) == "-" or not m.group(2):
        return None
    pos = m.end()
    hex_number = False
    fraction = 0.0
    if m.group(2) == "0" and text[pos:pos + 1] in ("x", "X"):
        hx = re.match(r"[0-9a-fA-F]+", text[pos + 1:])
        if not hx:
            return None
        value = int(hx.group(0), 16)
        pos += 1 + hx.end()
        hex_number = True
    else:
        value = int(m.group(2))
        if text[pos:pos + 1] == ".":
            fr = re.match(r"\.[0-9]*", text[pos:])
            assert fr is not None
            fraction = float("0" + fr.group(0)) if fr.group(0) != "." else 0.0
            pos += fr.end()
    if value > UINT64_MAX:
        return None
    suffix = text[pos:pos + 1].lower()
    if suffix in _SUFFIX:
        if hex_number and warn is not None:
            warn(f"Using a multiplier suffix on hex numbers is deprecated: {text}")
        mul = unit ** _SUFFIX[suffix]
        pos += 1
    else:
        mul = unit ** _SUFFIX[default_suffix.lower()]
    if pos != len(text):
        return None
    if mul == 1 and fraction != 0:
        return None
    if value > (UINT64_MAX - int(fraction * mul)) // mul:
        return None
    total: int = value * mul + int(fraction * mul)
    return total


def parse_option_size(name: str, text: str) -> int:
    """QemuOpts' check of a size option (``-m size=``), with QEMU's error and hint."""
    value = qemu_strtosz(text)
    if value is None:
        raise QemuError(f"Parameter '{name}' expects a non-negative number below 2^64", hint=SIZE_HINT)
    return value


def parse_option_number(name: str, text: str) -> int:
    """QemuOpts' check of a number option (``-m slots=``): C ``strtoull`` with base 0, so hex
    and octal are accepted and a negative number wraps around."""
    value = parse_c_integer(text, signed=False)
    if value is None:
        raise QemuError(f"Parameter '{name}' expects a number")
    if not -(2**64) < value < 2**64:
        raise QemuError(f"Value '{text}' is too large for parameter '{name}'")
    return value % 2**64


def align_up(value: int, alignment: int) -> int:
    return (value + alignment - 1) // alignment * alignment


ACPI_MAX_RAM_SLOTS = 256


def pc_has_reserved_memory(machine_name: str, version: tuple[int, ...] | None) -> bool:
    """Whether a PC board reserves an address range for hot-pluggable memory: every Q35, and
    i440FX from 2.1 on (``has_reserved_memory`` is cleared for ``isapc`` and pc-i440fx-2.0 and
    older)."""
    if machine_name == "isapc":
        return False
    return not (machine_name.startswith("pc-i440fx-") and version is not None and version < (2, 1))


def pc_check_device_memory(machine_name: str, version: tuple[int, ...] | None, ram_size: int,
                           maxram_size: int, slots: int) -> None:
    """``pc_memory_init``'s limits on ``-m slots=,maxmem=``: a board without a device-memory
    range refuses both; with one, at most 256 slots (ACPI's limit)."""
    if not pc_has_reserved_memory(machine_name, version):
        if slots or maxram_size > ram_size:
            raise QemuError(f"\"-memory 'slots|maxmem'\" is not supported by: {machine_name}")
        return
    if ram_size < maxram_size and slots > ACPI_MAX_RAM_SLOTS:
        raise QemuError(f"unsupported amount of memory slots: {slots}")
