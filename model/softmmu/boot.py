"""``-boot order=,once=,menu=,splash=,splash-time=,reboot-timeout=,strict=`` (hw/core/machine.c).

QEMU 7.2 merges ``-boot`` into the machine's ``boot`` property as a keyval dictionary
(``machine_parse_property_opt``); the machine's visitor checks it while the machine options
are applied, so errors name ``boot.KEY`` and carry no location. The boot orders must name
devices ``a``-``p`` once each (``validate_bootdevices``).
"""

from __future__ import annotations

from model.errors import QemuError
from model.qobject.qdict import qdict_order
from model.qom.properties import parse_bool, parse_c_integer
from model.softmmu.qemu_opts_check import opts_lists
from model.state import QemuInit
from tracer.recorder import traced


def validate_bootdevices(devices: str) -> None:
    seen: set[str] = set()
    for device in devices:
        if not "a" <= device <= "p":
            raise QemuError(f"Invalid boot device '{device}'")
        if device in seen:
            raise QemuError(f"Boot device '{device}' was given twice")
        seen.add(device)


@traced("hw/core/machine.c", name="machine_set_boot", args=lambda q: {"boot": dict(q.other.boot)})
def machine_set_boot(q: QemuInit) -> None:
    """Visit the ``BootConfiguration``: members in order, then leftover keys, then the orders."""
    opts = q.other.boot
    params = opts_lists()["boot-opts"]
    for key in ("order", "once", "menu", "splash", "splash-time", "reboot-timeout", "strict"):
        value = opts.get(key)
        if value is None:
            continue
        if params.get(key) == "boolean":
            parse_bool(f"boot.{key}", value)
        if params.get(key) == "number":
            if parse_c_integer(value, signed=True) is None:
                raise QemuError(f"Parameter 'boot.{key}' expects integer")
    for key in qdict_order(opts):
        if key not in params:
            raise QemuError(f"Parameter 'boot.{key}' is unexpected")
    for key in ("order", "once"):
        if key in opts:
            validate_bootdevices(opts[key])
