"""The options ``qemu_init`` checks but the model does not act on: where each is parsed and
when its later checks run (the phases of softmmu/vl.c).

``handle_other_option`` is the body of vl.c's option switch for them; the phase functions are
called by ``qemu_init`` where QEMU runs the matching step. Errors reported from a phase carry
the option's text as their location when QEMU walks the entries with ``qemu_opts_foreach``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from model.errors import QemuError
from model.qom.object import Object
from model.softmmu.audio import audio_parse_option
from model.softmmu.block import blockdev_create, blockdev_option, drive_new, drive_option
from model.softmmu.boot import machine_set_boot
from model.softmmu.chardev import chardev_init, chardev_option, mon_init, monitor_option
from model.softmmu.icount import icount_configure
from model.softmmu.log import qemu_str_to_log_mask
from model.softmmu.netdev import net_client_init, netdev_option
from model.softmmu.numa import numa_option
from model.softmmu.objects import create_objects, object_option_parse
from model.softmmu.optparse import keyval_parse
from model.softmmu.qemu_opts_check import parse_list, print_opts_help
from model.softmmu.rtc import configure_rtc
from model.softmmu.seccomp import parse_sandbox
from model.softmmu.vga import select_vgahw
from model.softmmu.vl_options import (
    configure_msg,
    parse_name_option,
    parse_overcommit,
    parse_uuid,
    parse_watchdog_action,
)
from model.state import QemuInit

T = TypeVar("T")


def _boot(q: QemuInit, arg: str, location: str) -> None:
    """``machine_parse_property_opt``: keyval (implied ``order``), merged into the machine's ``boot``."""
    parsed = keyval_parse(arg, "order")
    if parsed.help:
        print_opts_help(q, "boot-opts")
    q.other.boot.update(parsed.items)


def _rtc(q: QemuInit, arg: str, location: str) -> None:
    q.other.rtc.update(parse_list(q, "rtc", arg, None))


def _sandbox(q: QemuInit, arg: str, location: str) -> None:
    q.other.sandbox.append((parse_list(q, "sandbox", arg, "enable"), location))


def _log(q: QemuInit, arg: str, location: str) -> None:
    q.other.log_items = arg


def _vga(q: QemuInit, arg: str, location: str) -> None:
    q.other.vga = arg


HANDLERS: dict[str, Callable[[QemuInit, str, str], None]] = {
    "name": lambda q, arg, loc: parse_name_option(q, arg),
    "msg": lambda q, arg, loc: configure_msg(q, arg),
    "overcommit": lambda q, arg, loc: parse_overcommit(q, arg),
    "uuid": lambda q, arg, loc: parse_uuid(q, arg),
    "watchdog-action": lambda q, arg, loc: parse_watchdog_action(q, arg),
    "icount": icount_configure, "rtc": _rtc, "sandbox": _sandbox, "d": _log, "vga": _vga, "boot": _boot,
    "chardev": chardev_option, "mon": monitor_option,
    "netdev": lambda q, arg, loc: netdev_option(q, arg, loc, nic=False),
    "nic": lambda q, arg, loc: netdev_option(q, arg, loc, nic=True),
    "drive": drive_option, "blockdev": blockdev_option,
    "audiodev": lambda q, arg, loc: audio_parse_option(q, arg), "numa": numa_option,
    "object": object_option_parse,
}


def handle_other_option(q: QemuInit, name: str, arg: str, location: str) -> bool:
    """Parse one option of :data:`HANDLERS`; False if the option is not one of them."""
    handler = HANDLERS.get(name)
    if handler is None:
        return False
    handler(q, arg, location)
    return True


def _each(q: QemuInit, entries: list[tuple[T, str]], action: Callable[[T], None]) -> None:
    """``qemu_opts_foreach``: each entry with its option as the error location."""
    for items, location in entries:
        q.console.location = location
        try:
            action(items)
        except QemuError as err:
            raise q.console.fatal(err) from None
    q.console.location = None


def _fatal_unlocated(q: QemuInit, action: Callable[[], None]) -> None:
    q.console.location = None
    try:
        action()
    except QemuError as err:
        raise q.console.fatal(err) from None


def process_early_options(q: QemuInit) -> None:
    """``qemu_process_early_options``: the sandbox policies, then the log mask."""
    _each(q, q.other.sandbox, lambda items: parse_sandbox(q, items))
    if q.other.log_items is not None:
        qemu_str_to_log_mask(q, q.other.log_items)


def create_machine_backends(q: QemuInit) -> None:
    """Once the machine exists: the RTC options, the display adapter, then character and block
    devices (``qemu_create_early_backends``)."""
    if q.other.rtc:
        _fatal_unlocated(q, lambda: configure_rtc(q))
    if q.other.vga is not None:
        vga = q.other.vga
        _fatal_unlocated(q, lambda: select_vgahw(q, vga))
    _each(q, q.other.chardevs, lambda items: chardev_init(q, items))
    create_objects(q, early=True)
    if q.machine is not None:
        q.block.default_type = str(q.machine.klass.fields.get("block_default_type") or "none")
        q.block.units_per_default_bus = int(q.machine.klass.fields.get("units_per_default_bus") or 0)
    _each(q, q.other.blockdevs, lambda options: blockdev_create(q, options))  # configure_blockdev: nodes first
    _each(q, q.other.drives, lambda items: drive_new(q, items))


def apply_boot_options(q: QemuInit, ms: Object) -> None:
    """The machine's ``boot`` property, set with the other machine options."""
    if q.other.boot:
        machine_set_boot(q)


def create_late_backends(q: QemuInit) -> None:
    """``qemu_create_late_backends``: network backends and NICs, the late ``-object``s (memory
    backends), then monitors."""
    _each(q, q.other.netdevs, lambda items: net_client_init(q, items, nic=False))
    _each(q, q.other.nics, lambda items: net_client_init(q, items, nic=True))
    create_objects(q, early=False)
    _each(q, q.other.monitors, lambda items: mon_init(q, items))
