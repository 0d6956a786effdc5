"""Small options ``qemu_init`` checks itself (softmmu/vl.c): ``-name``, ``-msg``, ``-overcommit``,
``-uuid``, ``-watchdog-action``.

Each is parsed when it is read, so a bad value fails with the option as the location. ``-name
guest=...`` is remembered at once for ``-msg guest-name=on``, and ``-msg`` turns its prefixes
on at once: a later error on the same command line already carries them.
"""

from __future__ import annotations

import re

from model.data_files import load_json
from model.errors import QemuError
from model.qom.properties import parse_bool
from model.softmmu.qemu_opts_check import parse_list
from model.state import QemuInit
from tracer.recorder import point, traced

SRC = "softmmu/vl.c"
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@traced(SRC, name="parse_name", args=lambda q, arg: {"arg": arg})
def parse_name_option(q: QemuInit, arg: str) -> None:
    """``-name [guest=]NAME,process=...,debug-threads=on|off``; the guest name feeds ``-msg``."""
    items = parse_list(q, "name", arg, "guest")
    if "guest" in items:
        q.console.guest_name = items["guest"]


@traced(SRC, name="configure_msg", args=lambda q, arg: {"arg": arg})
def configure_msg(q: QemuInit, arg: str) -> None:
    """``-msg timestamp=on|off,guest-name=on|off``: prefixes of every later report line."""
    items = parse_list(q, "msg", arg, None)
    q.console.timestamp = parse_bool("timestamp", items.get("timestamp", "off"))
    q.console.guest_name_enabled = parse_bool("guest-name", items.get("guest-name", "off"))


@traced(SRC, name="qemu_opts_parse_noisily", args=lambda q, arg: {"list": "overcommit", "arg": arg})
def parse_overcommit(q: QemuInit, arg: str) -> None:
    """``-overcommit mem-lock=on|off,cpu-pm=on|off``: booleans, checked when parsed."""
    parse_list(q, "overcommit", arg, None)


@traced(SRC, name="qemu_uuid_parse", args=lambda q, arg: {"arg": arg})
def parse_uuid(q: QemuInit, arg: str) -> None:
    """``-uuid``: exactly 8-4-4-4-12 hexadecimal digits."""
    if not _UUID.match(arg):
        raise QemuError("failed to parse UUID string: wrong format")
    point("uuid", f"the machine's UUID is {arg.lower()}", uuid=arg.lower())


@traced(SRC, name="qapi_enum_parse", args=lambda q, arg: {"arg": arg})
def parse_watchdog_action(q: QemuInit, arg: str) -> None:
    """``-watchdog-action``: one of the ``WatchdogAction`` enum's names (harvested)."""
    if arg not in load_json("qemu_opts.json")["watchdog_actions"]:
        raise QemuError(f"Parameter 'watchdog' does not accept value '{arg}'")
