"""How ``-machine KEY=VALUE`` values are checked against the machine's property types.

QEMU 7.2 merges ``-machine`` into a keyval dictionary and sets it on the machine object with
``object_set_properties_from_keyval``: each value is visited as its property's type, so a bad
value fails with the keyval visitor's words (``expects size``, ``does not accept value``), and
struct-typed properties (``sgx-epc.N.*``) need their mandatory members. Properties that name
other objects are resolved against what the command line created: ``pflash0``/``pflash1``
alias the flash devices' ``drive`` (a ``-drive`` id or ``-blockdev`` node name), and
``memory-backend`` must name a backend object (``qemu_resolve_machine_memdev``, later, with no
location). The property types come from the harvested machine class properties.
"""

from __future__ import annotations

import re

from model.errors import QemuError
from model.qom.properties import parse_c_integer
from model.softmmu.memory import qemu_strtosz
from model.state import QemuInit

ON_OFF_AUTO = ("on", "off", "auto")
MiB, GiB = 1 << 20, 1 << 30
_SGX = re.compile(r"^sgx-epc\.(\d+)\.")


def check_machine_value(q: QemuInit, name: str, kind: str, value: str) -> None:
    """One ``-machine`` value visited as its property's type."""
    if kind == "OnOffAuto" and value not in ON_OFF_AUTO:
        raise QemuError(f"Parameter '{name}' does not accept value '{value}'")
    if kind == "size" and qemu_strtosz(value) is None:
        raise QemuError(f"Parameter '{name}' expects size")
    if kind == "int" and parse_c_integer(value, signed=True) is None:
        raise QemuError(f"Parameter '{name}' expects integer")
    if kind == "uint64_t" and parse_c_integer(value, signed=False) is None:
        raise QemuError(f"Parameter '{name}' expects integer")
    if name == "max-ram-below-4g":
        size = qemu_strtosz(value) or 0
        if size > 4 * GiB:
            raise QemuError(f"Machine option 'max-ram-below-4g={size}' expects size less than or equal to 4G")
        if size < MiB:
            q.console.warn_report(f"Only {size} bytes of RAM below the 4GiB boundary,"  # sic: no space
                                  "BIOS may not work with less than 1MiB")
    if name in ("pflash0", "pflash1") and not _block_backend_exists(q, value):
        raise QemuError(f"Property 'cfi.pflash01.drive' can't find value '{value}'")


def check_struct_members(opts: dict[str, str]) -> None:
    """``sgx-epc.N.memdev`` and ``sgx-epc.N.node`` are both required for each listed EPC section."""
    for index in sorted({int(m.group(1)) for key in opts if (m := _SGX.match(key))}):
        for member in ("memdev", "node"):
            if f"sgx-epc.{index}.{member}" not in opts:
                raise QemuError(f"Parameter 'sgx-epc.{index}.{member}' is missing")


def _block_backend_exists(q: QemuInit, name: str) -> bool:
    return any(items.get("id") == name for items, _ in q.other.drives) or \
        any(options.get("node-name") == name for options, _ in q.other.blockdevs)


def resolve_machine_memdev(q: QemuInit, backend: str | None) -> None:
    """``qemu_resolve_machine_memdev``: ``memory-backend`` names a memory backend ``-object``;
    without ``-m SIZE`` the machine takes the backend's size as its RAM size."""
    if backend is None or q.machine is None:
        return
    found = q.memory_backends.get(backend)
    if found is None:
        q.console.location = None
        raise q.console.fatal(QemuError(f"Memory backend '{backend}' not found"))
    if "size" not in q.memory_opts:
        q.machine.state["ram_size"] = found.size
    q.machine.state["memdev"] = backend
