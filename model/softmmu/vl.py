"""``main()`` and ``qemu_init()`` (softmmu/main.c, softmmu/vl.c): from argv to a realized CPU.

The order is QEMU 7.2's: register every QOM type, two passes over the options (the first only
looks them up), help options, memory options, machine selection and creation, accelerator,
``-cpu`` parsing, then board init which creates and realizes the CPUs. The model stops where
QEMU would enter its main loop.
"""

from __future__ import annotations

from model.data_files import load_json, load_text
from model.errors import QemuError, QemuExit
from model.hw.board import machine_run_board_init
from model.hw.core.facts import not_hotpluggable
from model.qom.object import Object, ObjectClass
from model.qom.qdev import GlobalProperty
from model.registry import module_call_init, qemu_init_subsystems
from model.softmmu.block import drive_check_orphaned
from model.softmmu.chardev import resume_mux_open
from model.softmmu.machine_opts import resolve_machine_memdev
from model.softmmu.machine_select import (
    machine_help_text,
    object_set_properties_from_keyval,
    select_machine,
)
from model.softmmu.memory import parse_option_number, parse_option_size
from model.softmmu.numa import parse_numa_opts
from model.softmmu.option_handlers import (
    apply_boot_options,
    create_late_backends,
    create_machine_backends,
    handle_other_option,
    process_early_options,
)
from model.softmmu.options import LookedUp, lookup_opt
from model.softmmu.optparse import keyval_parse, qemu_opts_parse_noisily
from model.softmmu.qdev_monitor import (
    device_help_func,
    device_option,
    qdev_machine_creation_done,
    qemu_create_cli_devices,
)
from model.softmmu.qemu_opts_check import print_opts_help, short_form_warning
from model.softmmu.vl_objects import (
    accel_find,
    create_accelerator,
    create_machine_objects,
    migration_object_init,
    qemu_create_early_backends,
)
from model.state import QemuInit
from model.target_i386.cpu import parse_cpu_option
from model.target_i386.cpu_list import x86_cpu_list
from model.ui.console import init_displaystate
from tracer.recorder import block, point, traced

__all__ = ["QemuInit", "main"]  # QemuInit lives in model.state; re-exported for callers of vl

SRC_VL = "softmmu/vl.c"
# qemu_apply_legacy_machine_options: machine options that became the KVM accelerator's.
LEGACY_KVM_OPTIONS = ("kernel-irqchip", "kvm-shadow-mem")
MEMORY_KEYS = frozenset({"size", "slots", "maxmem"})

# Options whose effect the model reproduces; any other valid option is accepted and noted.
HANDLED = frozenset({"device", "machine", "M", "cpu", "m", "smp", "accel", "enable-kvm", "nodefaults", "S",
                     "display", "nographic", "h", "help", "version", "no-user-config", "global"})


@traced("softmmu/main.c", args=lambda q: {"argv": q.argv[1:]}, ret=lambda status: status)
def main(q: QemuInit) -> int:
    """The binary's entry point: ``qemu_init`` builds the VM, then the main loop would run it."""
    try:
        qemu_init(q)
    except QemuExit as done:
        return done.status
    qemu_main_loop(q)
    return 0


@traced(SRC_VL, args=lambda q: {})
def qemu_main_loop(q: QemuInit) -> None:
    """Where QEMU starts running the guest (or waits, with ``-S``); the model stops here."""
    point("main_loop", "VM created; the guest would run now (or wait for 'cont' with -S)")


@traced(SRC_VL, args=lambda q: {"argc": len(q.argv)})
def qemu_init(q: QemuInit) -> None:
    """Parse the command line and create the machine and its CPUs, in QEMU 7.2's order."""
    module_call_init(q, "MODULE_INIT_OPTS")
    qemu_init_subsystems(q)
    first_pass(q)
    second_pass(q)
    q.console.location = None
    process_early_options(q)
    qemu_process_help_options(q)
    user_register_global_props(q)
    parse_memory_options(q)
    qemu_create_machine(q)
    assert q.machine is not None
    qemu_create_early_backends(q)
    create_machine_backends(q)
    qemu_apply_machine_options(q, q.machine)
    configure_accelerators(q)
    warn_deprecated_machine(q, q.machine.klass)
    create_late_backends(q)
    migration_object_init(q)
    cpu_type: str | None = q.machine.klass.fields.get("default_cpu_type")
    if q.cpu_option is not None:
        cpu_type = parse_cpu_option(q, q.cpu_option)
    q.machine.state["cpu_type"] = cpu_type
    resolve_machine_memdev(q, q.machine_opts.get("memory-backend"))
    parse_numa_opts(q, q.machine)
    machine_run_board_init(q, q.machine)
    drive_check_orphaned(q)
    qemu_create_cli_devices(q)
    qemu_machine_creation_done(q)
    qemu_init_displays(q)
    resume_mux_open(q)


@traced(SRC_VL, args=lambda q: {})
def qemu_init_displays(q: QemuInit) -> None:
    """Set up the display state (``-display none`` here, so no front end): the consoles that
    display devices made join the composition tree."""
    if q.board is not None:
        init_displaystate(q.types, q.board.consoles)


@traced(SRC_VL, args=lambda q: {})
def qemu_machine_creation_done(q: QemuInit) -> None:
    """Every device exists: warn about the globals none took, then tell the machine it is done
    (``qdev_machine_creation_done`` runs the machine-done notifiers)."""
    qdev_prop_check_globals(q)
    qdev_machine_creation_done(q)


FIRST_PASS_DOC = ("Look every option up (so unknown options and missing arguments fail here); act on none "
                  "but -no-user-config.")
SECOND_PASS_DOC = "Act on each option in order; a bare word is a disk image (drive_add)."


def first_pass(q: QemuInit) -> None:
    """The first loop over argv inside ``qemu_init`` (a block, not a function of its own)."""
    with block("qemu_init: first pass over the options", SRC_VL, FIRST_PASS_DOC):
        index = 1
        while index < len(q.argv):
            if not q.argv[index].startswith("-"):
                index += 1
                continue
            index = lookup_opt(q.console, q.argv, index).next_index


def second_pass(q: QemuInit) -> None:
    """The second loop over argv inside ``qemu_init`` (a block, not a function of its own)."""
    with block("qemu_init: second pass over the options", SRC_VL, SECOND_PASS_DOC):
        _second_pass(q)


def _second_pass(q: QemuInit) -> None:
    index = 1
    while index < len(q.argv):
        word = q.argv[index]
        if not word.startswith("-"):
            q.console.location = word
            point("drive_add", f"disk image {word!r} (not modelled)", file=word)
            index += 1
            continue
        found = lookup_opt(q.console, q.argv, index)
        index = found.next_index
        if not found.option.x86:
            q.console.error_report("Option not supported for this target")
            raise q.exit(1)
        try:
            handle_option(q, found)
        except QemuError as err:
            raise q.console.fatal(err) from None


def handle_option(q: QemuInit, found: LookedUp) -> None:
    """The body of vl.c's big ``switch (popt->index)`` for the options the model reproduces."""
    name, arg = found.option.name, found.optarg
    if name in ("machine", "M"):
        assert arg is not None
        parsed = keyval_parse(arg, "type")
        q.machine_opts.update(parsed.items)
        if parsed.help:
            q.machine_help = True
            machine_help_func(q)
    elif name == "cpu":
        q.cpu_option = arg
    elif name == "m":
        assert arg is not None
        parsed = qemu_opts_parse_noisily(arg, "size", MEMORY_KEYS, short_form_warning(q))
        if parsed.help:
            print_opts_help(q, "memory")
        for key, value in parsed.items.items():
            if key == "slots":
                parse_option_number(key, value)
            else:
                parse_option_size(key, value)
        q.memory_opts.update(parsed.items)
    elif name == "smp":
        assert arg is not None
        smp = keyval_parse(arg, "cpus")
        if smp.help:
            print_opts_help(q, "smp-opts")
        q.smp_opts.update(smp.items)
    elif name == "accel":
        assert arg is not None
        parsed = qemu_opts_parse_noisily(arg, "accel", None, short_form_warning(q))
        if parsed.items.get("accel") in (None, "help", "?"):  # -accel '' lists them too
            q.console.print_out("Accelerators supported in QEMU binary:\ntcg\nkvm\n")
            raise q.exit(0)
        q.accel_opts.append((parsed.items, found.location))
    elif name == "device":
        assert arg is not None
        device_option(q, arg, found.location)
    elif name == "global":
        assert arg is not None
        qemu_global_option(q, arg)
    elif name == "enable-kvm":
        q.machine_opts["accel"] = "kvm"
    elif name in ("h", "help"):
        q.console.print_out(load_text("help.txt"))
        raise q.exit(0)
    elif name == "version":
        q.console.print_out(load_text("version.txt"))
        raise q.exit(0)
    elif name not in HANDLED and not handle_other_option(q, name, arg or "", found.location):
        point("option_not_modelled", f"-{name} is accepted; its effect is not part of the model",
              option=name, value=arg)


ACCELERATORS = ("tcg", "kvm")
GLOBAL_KEYS = frozenset({"driver", "property", "value"})


def qemu_global_option(q: QemuInit, text: str) -> None:
    """``-global DRIVER.PROP=VALUE`` (or ``driver=,property=,value=``): a global property that
    applies to every device of that type when it is created, before ``-cpu``'s own."""
    driver, dot, rest = text.partition(".")
    prop, eq, value = rest.partition("=")
    if dot and eq and driver and prop and "=" not in driver and len(driver) < 64 and len(prop) < 64:
        q.user_globals.append(GlobalProperty(driver, prop, value))
        return
    parsed = qemu_opts_parse_noisily(text, None, GLOBAL_KEYS, short_form_warning(q))
    if parsed.help:
        print_opts_help(q, "global")
    items = parsed.items
    if not all(items.get(k) for k in ("driver", "property", "value")):
        raise QemuError("options 'driver', 'property', and 'value' are required")
    q.user_globals.append(GlobalProperty(items["driver"], items["property"], items["value"]))


def accel_property_error(name: str, items: dict[str, str]) -> QemuError | None:
    """An ``-accel NAME,prop=...`` property the accelerator does not have."""
    known: dict[str, str] = load_json("accel.json")["properties"][name]
    for key in items:
        if key != "accel" and key not in known:
            return QemuError(f"Property '{name}-accel.{key}' not found")
    return None


@traced(SRC_VL, args=lambda q: {"count": len(q.user_globals)})
def user_register_global_props(q: QemuInit) -> None:
    """Register the ``-global`` options as global properties (before ``-cpu``'s are added)."""
    for prop in q.user_globals:
        q.globals.register(prop)


@traced("hw/core/qdev-properties.c", args=lambda q: {})
def qdev_prop_check_globals(q: QemuInit) -> None:
    """Once the machine is built, warn about each user global no device took: one aimed at a
    type that is not a device class, or at a device class that is not hotpluggable (whose
    devices can only have been created by now, so the global can never apply)."""
    for prop in q.globals.user:
        if prop.used:
            continue
        oc = q.types.object_class_by_name(prop.driver)
        if oc is None or not oc.is_a("device"):
            q.console.warn_report(f"global {prop.driver}.{prop.property} has invalid class name")
        elif prop.driver in not_hotpluggable():
            q.console.warn_report(f"global {prop.driver}.{prop.property}={prop.value} not used")


@traced(SRC_VL, args=lambda q: {})
def qemu_process_help_options(q: QemuInit) -> None:
    """``-cpu help`` lists CPU models and exits before any machine is chosen."""
    if q.cpu_option in ("help", "?"):
        x86_cpu_list(q)
        raise q.exit(0)
    if device_help_func(q):
        raise q.exit(0)


@traced(SRC_VL, args=lambda q: {})
def machine_help_func(q: QemuInit) -> None:
    """``-machine help``: every machine (families first, newest first), then exit(0).

    With a type (``-machine pc,help``) QEMU lists that machine's properties instead.
    """
    q.console.print_out(machine_help_text(q, q.machine_opts.get("type")))
    raise q.exit(0)


@traced(SRC_VL, args=lambda q: {"opts": dict(q.memory_opts)})
def parse_memory_options(q: QemuInit) -> None:
    """Turn ``-m`` into the machine's ``memory`` property; a size without suffix means MiB, and
    a size of 0 is left out (the machine's default size, as ``-m 0`` always meant)."""
    size = q.memory_opts.get("size")
    if size is not None:
        if size == "":
            q.console.error_report("missing 'size' option value")
            raise q.exit(1)
        if parse_option_size("size", size) != 0:
            q.memory.size = size + "M" if size[-1].isdigit() else size
    if "slots" in q.memory_opts:
        q.memory.slots = str(parse_option_number("slots", q.memory_opts["slots"]))
    if "maxmem" in q.memory_opts:
        q.memory.max_size = str(parse_option_size("maxmem", q.memory_opts["maxmem"]))


@traced(SRC_VL, args=lambda q: {"type": q.machine_opts.get("type")})
def qemu_create_machine(q: QemuInit) -> None:
    """Select the machine class, apply its compat properties and instantiate it."""
    try:
        mc = select_machine(q)
    except QemuError as err:
        raise q.console.fatal(err) from None
    q.globals.machine_compat = list(mc.fields.get("compat_props", []))
    q.machine = q.types.object_new_with_class(mc)
    create_machine_objects(q, q.machine)
    defaults = mc.fields.get("default_machine_opts")
    if defaults:
        object_set_properties_from_keyval(q, q.machine, keyval_parse(defaults, None).items, defaults=True)


@traced(SRC_VL, args=lambda q, ms: {"machine": ms.typename})
def qemu_apply_machine_options(q: QemuInit, ms: Object) -> None:
    """Legacy ``accel=`` sugar, then ``-machine`` properties, memory and ``-smp``."""
    opts = dict(q.machine_opts)
    opts.pop("type", None)
    accel = opts.pop("accel", None)
    if accel is not None:
        q.legacy_accel = accel
    for legacy in LEGACY_KVM_OPTIONS:  # sugar for the KVM accelerator's own properties
        if legacy in opts:
            point("legacy_machine_option", f"-machine {legacy}= sets kvm-accel.{legacy} (used only under KVM)",
                  option=legacy, value=opts.pop(legacy))
    try:
        object_set_properties_from_keyval(q, ms, opts, extra=lambda: apply_boot_options(q, ms))
    except QemuError as err:
        raise q.console.fatal(err) from None


@traced("softmmu/vl.c", args=lambda q: {"accel": [o.get("accel") for o, _ in q.accel_opts]}, ret=lambda r: r)
def configure_accelerators(q: QemuInit) -> str:
    """Try the accelerators in order (``-accel``, or ``-machine accel=a:b``, default ``tcg:kvm``);
    the first that initialises wins, so a later ``-accel`` is never even checked. KVM cannot run
    on vmtrace's machines; the model accepts it and builds ``-cpu host`` from a host profile."""
    legacy = q.legacy_accel
    init_failed = False
    candidates: list[tuple[dict[str, str], str | None]] = []
    if not q.accel_opts:
        accelerators = legacy
        if accelerators is None:
            accel_find(q, "tcg")
            accel_find(q, "kvm")
            accelerators = "tcg:kvm"
        for name in accelerators.split(":") if accelerators else []:  # g_strsplit("") is empty: no accelerator
            # Invalid names are filtered here, before they reach QemuOpts.
            if accel_find(q, name) is not None and name in ACCELERATORS:
                candidates.append((qemu_opts_parse_noisily(name, "accel", None, short_form_warning(q)).items, None))
            else:
                init_failed = True
                q.console.error_report(f"invalid accelerator {name}")
    elif legacy is not None:
        q.console.error_report('The -accel and "-machine accel=" options are incompatible')
        raise q.exit(1)
    else:
        candidates = list(q.accel_opts)
    chosen = None
    for items, location in candidates:
        q.console.location = location
        name = items.get("accel", "")
        ac = accel_find(q, name)
        if ac is None or name not in ACCELERATORS:
            q.console.error_report(f"invalid accelerator {name}")
            init_failed = True
            continue
        create_accelerator(q, ac, accel_property_error(name, items))
        chosen = name
        break
    q.console.location = None
    if chosen is None:
        if not init_failed:
            q.console.error_report("no accelerator found")
        raise q.exit(1)
    if init_failed:
        q.console.error_report(f"falling back to {chosen}")
    q.accel = chosen
    return chosen


def warn_deprecated_machine(q: QemuInit, mc: ObjectClass) -> None:
    """A check inside ``qemu_init`` (a block, not a function of its own)."""
    with block("qemu_init: warn if the machine type is deprecated", SRC_VL,
               "Deprecated machine types still start, with a warning naming the reason.", machine=mc.name):
        reason = mc.fields.get("deprecation_reason")
        if reason:
            q.console.warn_report(f"Machine type '{mc.fields.get('name')}' is deprecated: {reason}")
