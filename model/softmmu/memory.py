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
from model.hw.machine import version_key
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


GiB = 1 << 30
AMD_HT_START = 0xFD00000000  # the HyperTransport range just below 1 TiB on AMD hosts
AMD_ABOVE_1TB_START = 1 << 40


def round_up(value: int, align: int) -> int:
    return (value + align - 1) // align * align


def pc_gigabyte_align(machine_name: str) -> bool:
    """Whether i440FX caps RAM below 4 GiB at 3 GiB once RAM reaches the limit: from
    pc-i440fx-2.0 on (not ``isapc``)."""
    if machine_name == "isapc":
        return False
    version = version_key(machine_name) if machine_name.startswith("pc-i440fx-") else None
    return version is None or version >= (2, 0)


def max_ram_below_4g_size(value: object) -> int:
    """The machine's ``max-ram-below-4g`` in bytes (0, the board's default, when unset)."""
    return (qemu_strtosz(str(value)) or 0) if value else 0


def pc_lowmem(q35: bool, ram_size: int, max_ram_below_4g: int, gigabyte_align: bool = True) -> int:
    """How much RAM the board maps below 4 GiB (the rest goes above 4 GiB): on Q35 2 GiB once
    RAM reaches 2.75 GiB, else 2.75 GiB; on i440FX ``max-ram-below-4g`` (3.5 GiB by default),
    capped at 3 GiB when RAM reaches it (from 2.0 on, ``gigabyte_align``); never more than
    ``max-ram-below-4g``."""
    if q35:
        lowmem = 0x80000000 if ram_size >= 0xB0000000 else 0xB0000000
        return min(lowmem, max_ram_below_4g or 4 * GiB)
    lowmem = max_ram_below_4g or 0xE0000000
    return min(lowmem, 0xC0000000) if ram_size >= lowmem and gigabyte_align else lowmem


def pc_max_used_gpa_check(q35: bool, pci: bool, version: tuple[int, ...] | None, ram_size: int,
                          maxram_size: int, slots: int, reserved: bool, vendor: str, phys_bits: int,
                          max_ram_below_4g: int = 0) -> None:
    """``pc_memory_init``: the highest guest-physical address the board uses (RAM above 4 GiB,
    the device-memory range, then the 64-bit PCI hole) must fit the first CPU's phys-bits.

    On machine types from 7.1 on, an AMD CPU whose layout would cross the HyperTransport range
    below 1 TiB gets its RAM above 4 GiB moved to 1 TiB first. The default 64-bit PCI hole is
    2 GiB on i440FX and 32 GiB on Q35 (none without PCI); DIMM slots are sized for 1 GiB
    alignment each from 2.2 on, and up to 2.4 the PCI hole started at the range's base.
    """
    lowmem = pc_lowmem(q35, ram_size, max_ram_below_4g)
    above_4g = ram_size - lowmem if ram_size >= lowmem else 0
    hole64 = (32 * GiB if q35 else 2 * GiB) if pci else 0
    key = version if version is not None else (99,)  # an unversioned alias is the newest

    def max_used(start: int) -> int:
        if phys_bits <= 32:
            return (1 << phys_bits) - 1
        if reserved and ram_size < maxram_size:
            base = round_up(start + above_4g, GiB)
            size = maxram_size - ram_size + (GiB * slots if key >= (2, 2) else 0)
            hole_start = base if key <= (2, 4) else base + size
        else:
            hole_start = start + above_4g
        return round_up(hole_start, GiB) + hole64 - 1

    start = 4 * GiB
    if vendor == "AuthenticAMD" and key >= (7, 1) and max_used(start) >= AMD_HT_START:
        start = AMD_ABOVE_1TB_START
    limit, used = (1 << phys_bits) - 1, max_used(start)
    if limit < used:
        raise QemuError(f"Address space limit 0x{limit:x} < 0x{used:x} phys-bits too low ({phys_bits})")


def pc_lowmem_warning(q35: bool, ram_size: int, max_ram_below_4g: int) -> str | None:
    """The boards' warning about a ``max-ram-below-4g`` that is not a multiple of 1 GiB.

    i440FX caps RAM below 4 GiB at 3 GiB for machines whose RAM reaches the limit and warns if
    what remains of the limit is not GiB-aligned. Q35 takes the smaller of its own split and the user's limit
    and warns when the RAM above exceeds the RAM below, computed in unsigned 64-bit arithmetic
    (so a small RAM size wraps around and warns too).
    """
    if not max_ram_below_4g:
        return None
    if not q35:
        if ram_size >= max_ram_below_4g and min(max_ram_below_4g, 0xC0000000) & (GiB - 1):
            return (f"Large machine and max_ram_below_4g ({max_ram_below_4g}) not a multiple of 1G; "
                    "possible bad performance.")
        return None
    lowmem = 0x80000000 if ram_size >= 0xB0000000 else 0xB0000000
    if lowmem > max_ram_below_4g:
        lowmem = max_ram_below_4g
        if (ram_size - lowmem) % 2**64 > lowmem and lowmem & (GiB - 1):
            return (f"There is possibly poor performance as the ram size  (0x{ram_size:x}) is more then twice "
                    f"the size of max-ram-below-4g ({max_ram_below_4g}) and max-ram-below-4g is not a multiple "
                    "of 1G.")
    return None
