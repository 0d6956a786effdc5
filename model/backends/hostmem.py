"""Memory backends (``backends/hostmem.c`` and its ``-ram``, ``-file``, ``-memfd`` kinds).

``-object memory-backend-*`` is visited as ``MemoryBackendProperties`` and its subtypes: the
members in schema order, base first, each checked as its type, the mandatory ones (``size``,
a file backend's ``mem-path``) present, nothing else given. A backend is created late (after
the accelerator, as ``object_create_late`` orders it) under ``/objects/ID``; completing it
refuses a zero size and allocates its RAM region, named after the id. The model opens no file:
a file backend's ``mem-path`` is taken as given.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.errors import QemuError
from model.qom.properties import parse_c_integer
from model.softmmu.memory import qemu_strtosz
from model.softmmu.memory_region import MemoryRegion

HOST_MEM_POLICIES = ("default", "preferred", "bind", "interleave")

# (member, QAPI type): MemoryBackendProperties, then what each kind adds.
BASE_MEMBERS = (("dump", "bool"), ("host-nodes", "list"), ("merge", "bool"), ("policy", "enum"),
                ("prealloc", "bool"), ("prealloc-threads", "uint32"), ("prealloc-context", "str"),
                ("share", "bool"), ("reserve", "bool"), ("size", "size"),
                ("x-use-canonical-path-for-ramblock-id", "bool"))
KIND_MEMBERS = {
    "memory-backend-ram": (),
    "memory-backend-file": (("align", "size"), ("discard-data", "bool"), ("mem-path", "str"), ("pmem", "bool"),
                            ("readonly", "bool")),
    "memory-backend-memfd": (("hugetlb", "bool"), ("hugetlbsize", "size"), ("seal", "bool")),
}
MANDATORY = {"size", "mem-path"}


@dataclass
class MemoryBackend:
    """A created backend: its type, id, size in bytes and RAM region (what the machine and
    NUMA nodes use)."""

    typename: str
    id: str
    size: int
    region: MemoryRegion


def is_memory_backend(typename: str) -> bool:
    return typename in KIND_MEMBERS


def check_members(typename: str, props: dict[str, object], from_json: bool) -> int:
    """Visit a backend's members as the command line gave them (the opts visitor for
    ``key=value``, the QObject visitor for JSON); returns the size. ``props`` excludes
    ``qom-type`` and ``id``."""
    members = (*BASE_MEMBERS, *KIND_MEMBERS[typename])
    size = 0
    for name, kind in members:
        if name not in props:
            if name in MANDATORY:
                raise QemuError(f"Parameter '{name}' is missing")
            continue
        value = _json_member(name, kind, props[name]) if from_json else _opts_member(name, kind, str(props[name]))
        if name == "size" and isinstance(value, int):
            size = value
    known = {name for name, _ in members}
    for name in props:
        if name not in known:
            raise QemuError(f"Parameter '{name}' is unexpected" if from_json else f"Invalid parameter '{name}'")
    return size


def _opts_member(name: str, kind: str, text: str) -> object:
    """The opts visitor's reading of one ``key=value`` member."""
    if kind == "bool":
        if text not in ("on", "off", "yes", "no", "true", "false", "y", "n"):
            raise QemuError(f"Parameter '{name}' expects 'on' or 'off'")
        return text in ("on", "yes", "true", "y")
    if kind == "size":
        size = qemu_strtosz(text)
        if size is None:
            raise QemuError(f"Parameter '{name}' expects a size value")
        return size
    if kind == "uint32":
        number = parse_c_integer(text, signed=False)
        if number is None:
            raise QemuError(f"Parameter '{name}' expects a uint64 value")
        return number
    if kind == "enum" and text not in HOST_MEM_POLICIES:
        raise QemuError(f"Parameter '{name}' does not accept value '{text}'")
    return text


def _json_member(name: str, kind: str, value: object) -> object:
    """The QObject input visitor's reading of one JSON member."""
    if kind == "bool":
        if not isinstance(value, bool):
            raise QemuError(f"Invalid parameter type for '{name}', expected: boolean")
    elif kind in ("size", "uint32"):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise QemuError(f"Parameter '{name}' expects uint64")
    elif kind == "list":
        if not isinstance(value, list):
            raise QemuError(f"Invalid parameter type for '{name}', expected: array")
    elif not isinstance(value, str):
        raise QemuError(f"Invalid parameter type for '{name}', expected: string")
    elif kind == "enum" and value not in HOST_MEM_POLICIES:
        raise QemuError(f"Parameter '{name}' does not accept value '{value}'")
    return value


def host_memory_backend_set_size(typename: str, size: int) -> None:
    """A backend cannot be empty."""
    if size == 0:
        raise QemuError(f"property 'size' of {typename} doesn't take value '0'")
