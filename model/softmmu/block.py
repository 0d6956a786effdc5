"""``-drive`` (blockdev.c ``drive_new``) and ``-blockdev`` (``BlockdevOptions``): checked, never opened.

``-drive`` is a QemuOpts entry accepting any parameter, checked when the block backends are
created: the cache mode, the interface (``if=``), ``driver`` together with ``format``, and
that a driver or a file is given. ``-blockdev`` is JSON or a keyval dictionary visited as
``BlockdevOptions`` when read: the driver (present, one of the binary's block drivers), then
leftover keys (checked for the ``null-co``/``null-aio`` drivers, whose members the model
knows); the root node must have a ``node-name`` when the backends are created.
"""

from __future__ import annotations

import json

from model.data_files import load_json
from model.errors import QemuError
from model.qobject.qdict import qdict_order
from model.softmmu.optparse import keyval_parse
from model.softmmu.qemu_opts_check import parse_list
from model.state import QemuInit
from tracer.recorder import point, traced

IF_NAMES = ("none", "ide", "scsi", "floppy", "pflash", "mtd", "sd", "virtio", "xen")
CACHE_MODES = ("off", "none", "directsync", "writeback", "unsafe", "writethrough")
BLOCKDEV_BASE = ("driver", "node-name", "discard", "cache", "read-only", "auto-read-only", "force-share",
                 "detect-zeroes")
NULL_MEMBERS = ("size", "latency-ns", "read-zeroes")


def drive_option(q: QemuInit, arg: str, location: str) -> None:
    q.other.drives.append((parse_list(q, "drive", arg, None, accepts_any=True), location))


@traced("blockdev.c", name="drive_new", args=lambda q, items: {"opts": dict(items)})
def drive_new(q: QemuInit, items: dict[str, str]) -> None:
    if "cache" in items and items["cache"] not in CACHE_MODES:
        raise QemuError("invalid cache option")
    interface = items.get("if")
    if interface is not None and interface not in IF_NAMES:
        raise QemuError(f"unsupported bus type '{interface}'")
    if "driver" in items and "format" in items:
        raise QemuError("Cannot specify both 'driver' and 'format'")
    if "driver" not in items and "file" not in items:
        raise QemuError("Must specify either driver or file")
    point("drive", "block backend not opened (not modelled)", id=items.get("id"))


def json_object(arg: str) -> dict[str, object]:
    """The JSON form of a QAPI-visited option (``-blockdev {...}``, ``-audiodev {...}``)."""
    try:
        value = json.loads(arg)
    except json.JSONDecodeError as exc:
        detail = "premature EOI" if exc.pos >= len(arg.rstrip()) else exc.msg
        raise QemuError(f"JSON parse error, {detail}") from None
    if not isinstance(value, dict):
        raise QemuError("Invalid parameter type, expected: object")
    return value


@traced("softmmu/vl.c", name="visit_type_BlockdevOptions", args=lambda q, arg, location: {"arg": arg})
def blockdev_option(q: QemuInit, arg: str, location: str) -> None:
    options: dict[str, object] = json_object(arg) if arg.lstrip().startswith("{") else dict(
        keyval_parse(arg, "driver").items)
    driver = options.get("driver")
    if driver is None:
        raise QemuError("Parameter 'driver' is missing")
    if driver not in load_json("qemu_opts.json")["block_drivers"]:
        raise QemuError(f"Parameter 'driver' does not accept value '{driver}'")
    if driver in ("null-co", "null-aio"):
        for key in qdict_order(k.split(".")[0] for k in options):
            if key not in BLOCKDEV_BASE + NULL_MEMBERS:
                raise QemuError(f"Parameter '{key}' is unexpected")
    q.other.blockdevs.append((options, location))


@traced("blockdev.c", name="bds_tree_init", args=lambda q, options: {"driver": options.get("driver")})
def blockdev_create(q: QemuInit, options: dict[str, object]) -> None:
    if "node-name" not in options:
        raise QemuError("'node-name' must be specified for the root node")
    point("blockdev", "block node not opened (not modelled)", node=str(options["node-name"]))
