"""qdev properties of board and ``-device`` devices: parsing their text, printing their values.

A device's properties come from the harvested ``device-list-properties`` (name, QAPI type,
default). Setting one from text (``-device e1000,addr=3``, ``-global i8042.kbd-irq=3``) parses
it as the property type does, with QEMU's error texts; ``info qtree`` prints each value in
its type's notation (``3 (0x3)``, ``2 GiB``, ``"auto"``, ``01.3``), which
:func:`print_value` reproduces.

Three qdev property types are published by QMP under a plain type name: PCI ``addr`` (a
``pci-devfn``, listed as ``int32``), a NIC's ``mac`` (a ``macaddr``, listed as ``str``) and a
block device's ``drive`` (listed as ``str``). The first two are recognised by the rule QEMU
itself follows: every PCI device has the devfn ``addr`` (``hw/pci/pci.c``), every NIC the
``mac`` of ``DEFINE_NIC_PROPERTIES``; the third by the description ``qdev_prop_drive`` gives.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from model.errors import QemuError
from model.hw.core.qdev_props_system import AUDIODEV_DESCRIPTION, CHARDEV_DESCRIPTION, DRIVE_DESCRIPTION
from model.qom.properties import ObjectProperty, parse_integer
from model.softmmu.memory import qemu_strtosz

INT_KINDS = frozenset({"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"})
_MAC = re.compile(r"^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$")
_SIZE_UNITS = ("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei")


@dataclass
class QdevProperty(ObjectProperty):
    """A qdev property: an :class:`ObjectProperty` that knows its qdev type and the device type."""

    qdev_kind: str = ""
    owner: str = ""

    def parse(self, text: str) -> Any:
        if self.qdev_kind == "pci-devfn":
            return parse_devfn(self.owner, self.name, text)
        if self.qdev_kind == "macaddr":
            if not _MAC.match(text):
                raise QemuError(f"Property '{self.owner}.{self.name}' doesn't take value '{text}'")
            return text.lower()
        if self.kind == "size":
            size = qemu_strtosz(text)
            if size is None:
                raise QemuError(f"Parameter '{self.name}' expects a non-negative integer below 2^64")
            return size
        if self.kind in INT_KINDS:
            return parse_integer(self.name, self.kind, text)
        return super().parse(text)


def _scan_hex(text: str, pos: int) -> tuple[int, int] | None:
    """C's ``%x`` at ``pos``: blanks, an optional sign and ``0x``, then hex digits; the value
    (a negative one wraps to a large unsigned) and where the digits ended."""
    m = _HEX.match(text, pos)
    if m is None:
        return None
    value = int(m.group(2), 16)
    return (-value % 2**32 if m.group(1) == "-" else value), m.end()


_HEX = re.compile(r"\s*([+-]?)(?:0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)")


def parse_devfn(owner: str, name: str, text: str) -> int:
    """``SLOT[.FN]`` as ``set_pci_devfn`` reads it: ``sscanf("%x.%x")``, else ``"%x"`` with
    function 0 (so ``3``, ``0x3.0x1`` and ``1f.7`` all parse), nothing after, slot < 32 and
    function < 8."""
    slot = _scan_hex(text, 0)
    fn = _scan_hex(text, slot[1] + 1) if slot is not None and text[slot[1]:slot[1] + 1] == "." else None
    end = fn[1] if fn is not None else (slot[1] if slot is not None else -1)
    if slot is None or end != len(text) or slot[0] > 31 or (fn is not None and fn[0] > 7):
        raise QemuError(f"Property '{owner}.{name}' doesn't take value '{text}'")
    return slot[0] << 3 | (fn[0] if fn is not None else 0)


def property_kind(found: ObjectProperty | None) -> str:
    """A property's qdev type where it has one, else its QAPI type ('' when there is none)."""
    if found is None:
        return ""
    return found.qdev_kind if isinstance(found, QdevProperty) else found.kind


def qdev_kind(owner_is_pci: bool, owner_is_nic: bool, name: str, kind: str, description: str = "") -> str:
    """The qdev property type behind QMP's type name (see the module docstring)."""
    if owner_is_pci and name == "addr":
        return "pci-devfn"
    if owner_is_nic and name == "mac":
        return "macaddr"
    if kind == "str" and description == DRIVE_DESCRIPTION:
        return "drive"
    if kind == "str" and description == AUDIODEV_DESCRIPTION:
        return "audiodev"
    if kind == "str" and description == CHARDEV_DESCRIPTION:
        return "chardev"
    return kind


def size_to_str(value: int) -> str:
    """``size_to_str``: the value in the largest binary unit below it, three significant digits."""
    if value == 0:
        return "0 B"
    _, exp = math.frexp(value / (1000.0 / 1024.0))
    index = (exp - 1) // 10
    return f"{value / (1 << (index * 10)):.3g} {_SIZE_UNITS[index]}B"


def print_value(kind: str, value: Any) -> str:
    """A value as ``info qtree`` prints it (``object_property_print`` with ``human`` set)."""
    if kind == "pci-devfn":
        return "<unset>" if value is None or value < 0 else f"{value >> 3:02x}.{value & 7:x}"
    if kind == "bool":
        return "true" if value else "false"
    if kind == "size":
        return f"{value} ({size_to_str(value)})"
    if kind in INT_KINDS:
        number = int(value)
        if kind == "uint64" and number >= 2**63:
            number -= 2**64  # the string output visitor prints 64-bit values as signed
        return f"{number} (0x{number % 2**64:x})"
    return f'"{"" if value is None else value}"'


def default_value(kind: str, default: Any) -> Any:
    """The value a fresh device holds: the harvested default, or the type's zero (strings empty)."""
    if default is not None:
        return default
    if kind == "bool":
        return False
    if kind in INT_KINDS or kind == "size":
        return 0
    return None

