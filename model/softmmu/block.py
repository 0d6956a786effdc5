"""``-drive`` (blockdev.c ``drive_new``) and ``-blockdev`` (``BlockdevOptions``): checked and
registered as block backends (:mod:`model.block.block_backend`), never opened.

``-drive`` is a QemuOpts entry accepting any parameter, checked when the block backends are
created (after every ``-blockdev``, as ``configure_blockdev`` does): the cache mode, the
interface (``if=``, else the machine's default), ``driver`` together with ``format``, and
that a driver or a file is given; then its place (``index`` or ``bus``/``unit``, else the
first free unit), its name (the id, or one made from the place) and, for ``if=virtio``, the
``-device`` it stands for. ``-blockdev`` is JSON or a keyval dictionary visited as
``BlockdevOptions`` when read: the driver (present, one of the binary's block drivers), then
leftover keys (checked for the ``null-co``/``null-aio`` drivers, whose members the model
knows); the root node must have a unique ``node-name`` when the backends are created.
Once board init is done, a drive the board had no place for is an error
(``drive_check_orphaned``).
"""

from __future__ import annotations

import json

from model.block.block_backend import NULL_DRIVERS, BlockBackend, DriveInfo, null_size
from model.data_files import load_json
from model.errors import QemuError
from model.qobject.qdict import qdict_order
from model.qom.properties import parse_c_integer
from model.softmmu.device_opts import DeviceOption
from model.softmmu.memory import qemu_strtosz
from model.softmmu.optparse import keyval_parse
from model.softmmu.qemu_opts_check import parse_list, qemu_opts_check_id
from model.state import QemuInit
from tracer.recorder import point, traced

IF_NAMES = ("none", "ide", "scsi", "floppy", "pflash", "mtd", "sd", "virtio", "xen")
CACHE_MODES = ("off", "none", "directsync", "writeback", "unsafe", "writethrough")
BLOCKDEV_BASE = ("driver", "node-name", "discard", "cache", "read-only", "auto-read-only", "force-share",
                 "detect-zeroes")
NULL_MEMBERS = ("size", "latency-ns", "read-zeroes")


def drive_option(q: QemuInit, arg: str, location: str) -> None:
    items = parse_list(q, "drive", arg, None, accepts_any=True)
    qemu_opts_check_id("drive", items.get("id"), (other.get("id") for other, _ in q.other.drives))
    q.other.drives.append((items, location))


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
    interface = interface or q.block.default_type
    max_devs = q.block.max_devs(interface)
    bus, unit = _place(q, items, interface, max_devs)
    media_cd = items.get("media") == "cdrom"
    name = items.get("id")
    if name is None:
        media = ("-cd" if media_cd else "-hd") if interface in ("ide", "scsi") else ""
        name = f"{interface}{bus}{media}{unit}" if max_devs else f"{interface}{media}{unit}"
    if interface == "virtio":  # the drive is a shorthand for a -device, created with the others
        q.device_opts.append(DeviceOption(q.console.location or "", {"driver": "virtio-blk", "drive": name}))
    if q.block.blk_by_name(name) is not None:  # monitor_add_blk
        raise QemuError(f"Device with id '{name}' already exists")
    if name in q.block.nodes:
        raise QemuError(f"Device name '{name}' conflicts with an existing node name")
    size_text = items.get("size")
    size = null_size(items.get("driver"), None if size_text is None else qemu_strtosz(size_text))
    q.block.backends.append(BlockBackend(name, DriveInfo(interface, bus, unit, media_cd, q.console.location or ""),
                                         size))
    point("drive", "block backend not opened (not modelled): its image is not read", id=name)


def _number(items: dict[str, str], key: str, default: int) -> int:
    value = items.get(key)
    if value is None:
        return default
    number = parse_c_integer(value, signed=False)
    if number is None:
        raise QemuError(f"Parameter '{key}' expects a number")
    return number


def _place(q: QemuInit, items: dict[str, str], interface: str, max_devs: int) -> tuple[int, int]:
    """Bus and unit: from ``index``, or ``bus``/``unit``, else the first free unit from the
    start of the bus (moving on to the next bus when one is full)."""
    bus, unit, index = _number(items, "bus", 0), _number(items, "unit", -1), _number(items, "index", -1)
    if index != -1:
        if bus != 0 or unit != -1:
            raise QemuError("index cannot be used with bus and unit")
        bus, unit = q.block.index_place(interface, index)
    if unit == -1:
        unit = 0
        while q.block.drive_get(interface, bus, unit) is not None:
            unit += 1
            if max_devs and unit >= max_devs:
                unit -= max_devs
                bus += 1
    if max_devs and unit >= max_devs:
        raise QemuError(f"unit {unit} too big (max is {max_devs - 1})")
    if q.block.drive_get(interface, bus, unit) is not None:
        raise QemuError(f"drive with bus={bus}, unit={unit} (index={index}) exists")
    return bus, unit


@traced("blockdev.c", args=lambda q: {})
def drive_check_orphaned(q: QemuInit) -> None:
    """Every ``-drive`` the board had no place for (virtio ones become devices later, and an
    ``if=none`` drive waits for a ``-device``) is reported, each at its option; then exit."""
    orphans = [blk.drive for blk in q.block.backends
               if blk.drive is not None and blk.drive.interface not in ("none", "virtio") and blk.attached_to is None]
    for info in orphans:
        q.console.location = info.location
        q.console.error_report(f"machine type does not support if={info.interface},bus={info.bus},unit={info.unit}")
    q.console.location = None
    if orphans:
        raise q.exit(1)


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
    if driver in NULL_DRIVERS:
        _check_null_members(options, from_json=arg.lstrip().startswith("{"))
        for key in qdict_order(k.split(".")[0] for k in options):
            if key not in BLOCKDEV_BASE + NULL_MEMBERS:
                raise QemuError(f"Parameter '{key}' is unexpected")
    q.other.blockdevs.append((options, location))


NULL_MEMBER_TYPES = (("size", "integer"), ("latency-ns", "integer"), ("read-zeroes", "boolean"))


def _check_null_members(options: dict[str, object], from_json: bool) -> None:
    """``BlockdevOptionsNull`` visited in schema order: ``size`` and ``latency-ns`` are
    integers, ``read-zeroes`` a boolean (keyval text is parsed, JSON must have the type)."""
    for key, kind in NULL_MEMBER_TYPES:
        if key not in options:
            continue
        value = options[key]
        if from_json:
            is_bool = isinstance(value, bool)
            if is_bool != (kind == "boolean") or not isinstance(value, int):
                raise QemuError(f"Invalid parameter type for '{key}', expected: {kind}")
        elif kind == "boolean" and value not in ("on", "off"):
            raise QemuError(f"Parameter '{key}' expects 'on' or 'off'")
        elif kind == "integer" and parse_c_integer(str(value), signed=True) is None:
            raise QemuError(f"Parameter '{key}' expects integer")


@traced("blockdev.c", name="bds_tree_init", args=lambda q, options: {"driver": options.get("driver")})
def blockdev_create(q: QemuInit, options: dict[str, object]) -> None:
    if "node-name" not in options:
        raise QemuError("'node-name' must be specified for the root node")
    node = str(options["node-name"])
    if node in q.block.nodes:
        raise QemuError(f"Duplicate nodes with node-name='{node}'")
    size = options.get("size")
    q.block.nodes[node] = null_size(options.get("driver"), None if size is None else parse_c_integer(str(size), True))
    point("blockdev", "block node not opened (not modelled): its image is not read", node=node)
