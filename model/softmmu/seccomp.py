"""``-sandbox on|off,obsolete=,elevateprivileges=,spawn=,resourcecontrol=`` (softmmu/qemu-seccomp.c).

Parsed when read; ``parse_sandbox`` runs in ``qemu_process_early_options`` and checks each
policy's value, with the option as location. The model installs no filter.
"""

from __future__ import annotations

from model.errors import QemuError
from model.qom.properties import parse_bool
from model.state import QemuInit
from tracer.recorder import point, traced

POLICIES = {"obsolete": ("allow", "deny"), "elevateprivileges": ("allow", "deny", "children"),
            "spawn": ("allow", "deny"), "resourcecontrol": ("allow", "deny")}


@traced("softmmu/qemu-seccomp.c", args=lambda q, items: {"opts": dict(items)})
def parse_sandbox(q: QemuInit, items: dict[str, str]) -> None:
    if not parse_bool("enable", items.get("enable", "off")):
        return
    for name, allowed in POLICIES.items():
        value = items.get(name)
        if value is not None and value not in allowed:
            raise QemuError(f"invalid argument for {name}")
    point("seccomp", "a seccomp filter would be installed here (not modelled)")
