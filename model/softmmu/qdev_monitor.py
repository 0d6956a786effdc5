"""``-device``: parsing the option, and creating the device once the board exists
(``softmmu/qdev-monitor.c``, ``softmmu/vl.c``).

While options are parsed, a ``-device`` is either JSON (``{"driver": ...}``, libvirt's form;
a syntax error is fatal at once) or QemuOpts ``driver,key=value,...`` (the id must be a
well-formed identifier and unique among ``-device`` ids). After board init,
``qemu_create_cli_devices`` creates the QemuOpts devices, then the JSON ones, each with
``qdev_device_add``: the driver must name a user-creatable, non-abstract device type; the bus
is the one named by ``bus=`` (which must be of the driver's bus type) or the first bus of that
type depth first from the main system bus; the device is named ``/machine/peripheral/ID`` (or
``/machine/peripheral-anon/device[N]``), gets its properties in order, and is realized.
Every error names the option it came from.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from model.errors import QemuError
from model.hw.block import virtio_blk as _virtio_blk  # noqa: F401  (registers the virtio block realize)
from model.hw.char import isa_chardev as _isa_chardev  # noqa: F401  (registers debugcon, parallel, sga)
from model.hw.core.devices import Board, Bus, Device
from model.hw.core.facts import MACHINE_DIR, device_props
from model.hw.core.qdev import object_property_add_child, qdev_new, qdev_realize, qemu_system_reset
from model.hw.core.qdev_props import INT_KINDS, QdevProperty, property_kind
from model.hw.core.qdev_props_system import set_audiodev, set_chardev, set_drive
from model.hw.devices_generic import net_nics
from model.hw.display import cirrus_vga as _cirrus_vga  # noqa: F401  (registers the Cirrus realize)
from model.hw.display import qxl as _qxl  # noqa: F401  (registers the QXL realize)
from model.hw.display import ramfb as _ramfb  # noqa: F401  (registers the ramfb realize)
from model.hw.display import vga_isa as _vga_isa  # noqa: F401  (registers the ISA VGA realize)
from model.hw.display import vga_pci as _vga_pci  # noqa: F401  (registers the VGA realize)
from model.hw.display import virtio_vga as _virtio_vga  # noqa: F401  (registers the virtio VGA realize)
from model.hw.ide import ide_dev as _ide_dev  # noqa: F401  (registers the IDE drives' realize)
from model.hw.misc import isa_ports as _isa_ports  # noqa: F401  (isa-debug-exit, ib700)
from model.hw.misc import pvpanic as _pvpanic  # noqa: F401  (registers the pvpanic realize)
from model.hw.net import e1000 as _e1000  # noqa: F401  (registers the e1000 realize)
from model.hw.net import rtl8139 as _rtl8139  # noqa: F401  (registers the RTL8139 realize)
from model.hw.net import virtio_net as _virtio_net  # noqa: F401  (the virtio-net configuration size)
from model.hw.pci_bridge import pci_bridge_dev as _pci_bridge_dev  # noqa: F401  (registers the bridges' realize)
from model.hw.pci_bridge import pcie_pci_bridge as _pcie_pci_bridge  # noqa: F401
from model.hw.pci_bridge import pcie_root_port as _pcie_root_port  # noqa: F401
from model.hw.scsi import lsi53c895a as _lsi53c895a  # noqa: F401  (registers the LSI SCSI realize)
from model.hw.usb import hcd as _hcd  # noqa: F401  (registers the USB controllers' realize)
from model.hw.usb import hcd_xhci as _hcd_xhci  # noqa: F401  (registers the xHCI realize)
from model.hw.virtio import virtio_iommu as _virtio_iommu  # noqa: F401  (registers the virtio IOMMU realize)
from model.hw.virtio import virtio_pci as _virtio_pci  # noqa: F401  (registers the virtio PCI transport)
from model.hw.virtio import virtio_pci_devices as _virtio_pci_devices  # noqa: F401  (the proxies' own realizes)
from model.hw.virtio import virtio_rng as _virtio_rng  # noqa: F401  (registers the virtio-rng realize)
from model.qobject.qdict import qdict_order
from model.qom.object import Object, TypeRegistry, object_property_parse, object_property_set
from model.qom.properties import ObjectProperty, parse_c_integer
from model.softmmu.device_opts import DeviceOption
from model.softmmu.optparse import qemu_opts_parse_noisily
from model.softmmu.qemu_opts_check import qemu_opts_check_id
from model.state import QemuInit
from tracer.recorder import traced

SRC = "softmmu/qdev-monitor.c"
_LISTED = re.compile(r'^name "([^"]+)"(?:, bus ([^,]+))?')
_KEYWORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@functools.cache
def device_help_texts() -> dict[str, tuple[int, str, str]]:
    """The harvested ``-device help`` and ``-device NAME,help`` outputs (status, stdout, stderr)."""
    lines = (MACHINE_DIR / "device_help.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines[1:]]
    return {r["device"]: (r["exit_status"], r["stdout"], r["stderr"]) for r in records}


_ALIAS = re.compile(r'^name "([^"]+)".*, alias "([^"]+)"')


@functools.cache
def device_aliases() -> dict[str, str]:
    """``qdev_alias_table`` as ``-device help`` shows it: alias -> type (``virtio-blk`` is
    ``virtio-blk-pci`` on a PC; ``e1000-82540em`` is ``e1000``)."""
    found: dict[str, str] = {}
    for line in device_help_texts()["help"][1].splitlines():
        m = _ALIAS.match(line)
        if m:
            found[m.group(2)] = m.group(1)
    return found


@functools.cache
def _dynamic_sysbus() -> dict[str, list[str]]:
    allowed: dict[str, list[str]] = json.loads((MACHINE_DIR / "dynamic_sysbus.json").read_text(encoding="utf-8"))[
        "allowed"]
    return allowed


def dynamic_sysbus_devices(machine_type: str) -> list[str]:
    """The sysbus device types a machine lets -device create (``allowed_dynamic_sysbus_devices``,
    harvested by trying each type on each machine)."""
    return _dynamic_sysbus().get(machine_type.removesuffix("-machine"), [])


@functools.cache
def user_creatable_buses() -> dict[str, str | None]:
    """Every device ``-device help`` lists (the user-creatable ones) and its bus type."""
    found: dict[str, str | None] = {}
    for line in device_help_texts()["help"][1].splitlines():
        m = _LISTED.match(line)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def _json_error(text: str) -> QemuError:
    """QEMU's JSON lexer reports the first bare word that is not a JSON keyword."""
    for word in _KEYWORD.finditer(re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)):
        if word.group(0) not in ("true", "false", "null"):
            return QemuError(f"JSON parse error, invalid keyword '{word.group(0)}'")
    return QemuError("JSON parse error")


def device_option(q: QemuInit, arg: str, location: str) -> None:
    """Parse one ``-device`` while options are parsed (QEMU's ``case QEMU_OPTION_device``)."""
    if arg.startswith("{"):
        try:
            value = json.loads(arg)
        except ValueError:
            raise _json_error(arg) from None
        if not isinstance(value, dict):
            raise QemuError("-device: expected a JSON object")
        q.device_opts.append(DeviceOption(location, dict(value), from_json=True))
        return
    parsed = qemu_opts_parse_noisily(arg, "driver", None)
    props = dict(parsed.items)
    # The device list accepts any name, so ``help`` is an ordinary flag QEMU looks for later
    # (``qemu_opt_has_help_opt``).
    asks_help = parsed.help or any(key in props for key in ("help", "?"))
    qemu_opts_check_id("device", props.get("id"), (o.props.get("id") for o in q.device_opts if not o.from_json))
    q.device_opts.append(DeviceOption(location, props, help=asks_help))


@traced(SRC, args=lambda q: {"count": len(q.device_opts)})
def device_help_func(q: QemuInit) -> bool:
    """``-device help`` lists every user-creatable device by category (the harvested list);
    ``-device NAME,help`` a device's properties, rendered from the harvested property table.
    Either exits with status 0 after printing."""
    for opt in q.device_opts:
        driver = opt.props.get("driver")
        if not opt.help and driver not in ("help", "?"):
            continue
        if driver in ("help", "?", None):
            q.console.print_out(device_help_texts()["help"][1])
        else:
            q.console.print_out(qdev_device_help(str(driver)))
        return True
    return False


def qdev_device_help(driver: str) -> str:
    """``NAME options:`` then each property as ``name=<type> - description (default: value)``,
    descriptions aligned at column 24 (``qdev_device_help``); every property is listed, links
    and children included."""
    props = device_props().get(driver)
    if props is None:
        return f"Device '{driver}' not found\n"
    entries = []
    for name, fact in props.items():
        line = f"  {name}=<{fact.kind}>"
        if fact.description or fact.default is not None:
            line += " " * max(0, 24 - len(line)) + f" - {fact.description}"
            if fact.default is not None:
                line += f" (default: {_help_default(fact.default)})"
        entries.append(line)
    # QEMU sorts the formatted lines, not the names ("a-b=<...>" before "a=<...>").
    lines = [f"{driver} options:", *sorted(entries, key=lambda e: e.encode())]
    return "\n".join(lines) + "\n"


def _help_default(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


@traced(SRC, args=lambda q: {"count": len(q.device_opts)})
def qemu_create_cli_devices(q: QemuInit) -> None:
    """Create the ``-device`` devices: QemuOpts ones first, then JSON ones; errors are fatal."""
    assert q.board is not None
    for opt in [o for o in q.device_opts if not o.from_json] + [o for o in q.device_opts if o.from_json]:
        q.console.location = opt.location
        try:
            qdev_device_add(q.board, opt)
        except QemuError as err:
            raise q.console.fatal(err) from None
        q.console.location = None
    for name in net_nics(q.board):
        q.console.warn_report(f"nic {name} has no peer")


@traced("hw/core/qdev.c", args=lambda q: {})
def qdev_machine_creation_done(q: QemuInit) -> None:
    """Every device exists: run the ``machine_init_done`` notifiers, newest first (QEMU adds
    notifiers at the head of the list), then reset the system."""
    if q.board is not None:
        for notify in reversed(q.board.done_notifiers):
            notify(q.board)
        qemu_system_reset(q.board)


def _bus_is_a(types: TypeRegistry, typename: str, wanted: str) -> bool:
    """Whether a (realized, so class-initialised) bus of ``typename`` is a ``wanted``."""
    impl = types.type_get_by_name(typename)
    return impl is not None and impl.klass is not None and impl.klass.is_a(wanted)


def qbus_find_recursive(bus: Bus, name: str | None, bus_type: str | None, types: TypeRegistry) -> Bus | None:
    """Depth first from ``bus``: the bus itself, then each child device's buses, newest first.
    The type test is ``object_dynamic_cast`` on the bus object: no class lookup by name."""
    if (name is None or bus.name == name) and (bus_type is None or _bus_is_a(types, bus.type, bus_type)):
        return bus
    for dev in reversed(bus.children):
        for child in reversed(dev.buses):
            found = qbus_find_recursive(child, name, bus_type, types)
            if found is not None:
                return found
    return None


@traced(SRC, args=lambda board, opt: {"driver": opt.props.get("driver"), "id": opt.props.get("id")},
        ret=lambda dev: dev.typename)
def qdev_device_add(board: Board, opt: DeviceOption) -> Device:
    """Check the driver and the bus, name the device, set its properties, realize it."""
    props = dict(opt.props)
    driver = props.pop("driver", None)
    if not isinstance(driver, str):  # qdict_get_try_str: a JSON non-string is no driver
        driver = None
    if driver is None:
        raise QemuError("Parameter 'driver' is missing")
    driver = original = str(driver)
    oc = board.types.module_object_class_by_name(driver)  # qdev_get_device_class loads modules
    if oc is None and driver in device_aliases():  # only a name that is no type is looked up as an alias
        driver = device_aliases()[driver]
        oc = board.types.module_object_class_by_name(driver)
    if oc is None or not oc.is_a("device"):
        if driver != original:
            raise QemuError(f"'{original}' (alias '{driver}') is not a valid device model name")
        raise QemuError(f"'{driver}' is not a valid device model name")
    if board.types.types[driver].info.abstract:
        raise QemuError("Parameter 'driver' expects a non-abstract device type")
    listed = user_creatable_buses()
    if driver not in listed:
        raise QemuError("Parameter 'driver' expects a pluggable device type")
    if oc.is_a("sys-bus-device") and driver not in dynamic_sysbus_devices(board.machine.type):
        raise QemuError("Parameter 'driver' expects a dynamic sysbus device type for the machine")
    bus_type = listed[driver]
    bus_name = props.pop("bus", None)
    bus_name = bus_name if isinstance(bus_name, str) else None  # JSON non-strings are ignored
    bus: Bus | None = None
    if bus_name is not None:
        bus = qbus_find_recursive(board.sysbus, str(bus_name), None, board.types)
        if bus is None:
            raise QemuError(f"Bus '{bus_name}' not found")
        if bus_type is None or not _bus_is_a(board.types, bus.type, bus_type):
            raise QemuError(f"Device '{driver}' can't go on {bus.type} bus")
    elif bus_type is not None:
        bus = qbus_find_recursive(board.sysbus, None, bus_type, board.types)
        if bus is None:
            raise QemuError(f"No '{bus_type}' bus found for device '{driver}'")
    dev = qdev_new(board, driver)
    dev.generic = True
    dev_id = props.pop("id", None)
    dev_id = dev_id if isinstance(dev_id, str) else None
    qdev_set_id(board, dev, None if dev_id is None else str(dev_id))
    device_set_properties(board, dev, props, opt.from_json)
    qdev_realize(board, dev, bus)
    return dev


@traced("qom/object_interfaces.c", name="object_set_properties_from_keyval",
        args=lambda board, dev, props, from_json: {"type": dev.typename})
def device_set_properties(board: Board, dev: Device, props: dict[str, Any], from_json: bool) -> None:
    """The ``-device`` properties (``id``, ``bus`` and ``driver`` taken out) in QDict order,
    each parsed from its text, or with JSON set from its typed value; a ``drive`` takes its
    block backend."""
    for key in qdict_order(props):  # object_set_properties_from_qdict walks the QDict
        value = props[key]
        dev.user_props.add(key)
        found = dev.obj.find_property(key)
        if from_json and (not isinstance(value, str) or property_kind(found) not in ("pci-devfn", *STRING_KINDS)):
            object_property_set(dev.obj, key, json_value(found, key, value))
        else:
            if not from_json and property_kind(found) in INT_KINDS and \
                    parse_c_integer(str(value), signed=True) is None and parse_c_integer(str(value), False) is None:
                raise QemuError(f"Parameter '{key}' expects integer")  # the keyval visitor's words
            object_property_parse(dev.obj, key, str(value))
        if isinstance(found, QdevProperty) and found.qdev_kind == "drive":
            set_drive(board.block, _alias_owner(dev, key), key, str(value), dev.typename)
        if isinstance(found, QdevProperty) and found.qdev_kind == "audiodev":
            set_audiodev(board.audiodevs, _alias_owner(dev, key), key, str(value))
        if isinstance(found, QdevProperty) and found.qdev_kind == "chardev":
            set_chardev(board.chardevs, board.chardevs_in_use, _alias_owner(dev, key), key, str(value))
        if isinstance(found, QdevProperty) and found.qdev_kind == "link" and value:
            object_resolve_link(board.types, key, found.kind[len("link<"):-1], str(value))


STRING_KINDS = ("str", "macaddr", "drive", "audiodev", "chardev", "OnOffAuto")


def json_value(found: ObjectProperty | None, key: str, value: Any) -> Any:
    """A JSON ``-device`` member as the QObject input visitor takes it for the property's type:
    booleans and strings must be such, a signed integer an integer, an unsigned one an integer
    (``expects uint64``; a negative one wraps), then the type's own range; a PCI address may be
    an integer devfn."""
    kind = property_kind(found)
    if found is None:
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise QemuError(f"Invalid parameter type for '{key}', expected: boolean")
        return value
    if kind == "pci-devfn":
        if isinstance(value, bool) or not isinstance(value, int) or not -1 <= value <= 255:
            raise QemuError(f"Parameter '{key}' expects a value between -1 and 255")
        return value
    if kind in INT_KINDS:
        if isinstance(value, bool) or not isinstance(value, int):
            if kind.startswith("u"):
                raise QemuError(f"Parameter '{key}' expects uint64")
            raise QemuError(f"Invalid parameter type for '{key}', expected: integer")
        # a negative number for an unsigned type wraps (accepted for compatibility), then the
        # type's own range applies
        return found.parse(str(value % 2**64 if kind.startswith("u") else value))
    if kind in STRING_KINDS and not isinstance(value, str):
        raise QemuError(f"Invalid parameter type for '{key}', expected: string")
    return value


def object_resolve_link(types: TypeRegistry, name: str, target_type: str, path: str) -> Object:
    """A link property's value names an object: an id under ``/objects`` (what ``-object``
    made) or a path; it must be of the link's type."""
    objects = types.object_get_objects_root()
    target = objects.children.get(path.removeprefix("/objects/"))
    if target is None:
        raise QemuError(f"Device '{path}' not found")
    if not target.klass.is_a(target_type):
        raise QemuError(f"Invalid parameter type for '{name}', expected: {target_type}")
    return target


def _alias_owner(dev: Device, name: str) -> str:
    """The type whose property ``name`` really is: a virtio transport aliases its device's
    properties (``qdev_alias_all_properties``), so those belong to the embedded device."""
    for inner in dev.embedded.values():
        if inner.obj.find_property(name) is not None:
            return inner.typename
    return dev.typename


@traced("hw/core/qdev.c", args=lambda board, dev, dev_id: {"type": dev.typename, "id": dev_id})
def qdev_set_id(board: Board, dev: Device, dev_id: str | None) -> None:
    """``/machine/peripheral/ID`` for a device with an id, ``/machine/peripheral-anon/device[N]`` otherwise."""
    dev.id = dev_id
    if dev_id is not None:
        object_property_add_child(board, board.peripheral, dev_id, dev)
    else:
        object_property_add_child(board, board.peripheral_anon, "device[*]", dev)
