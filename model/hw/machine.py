"""The ``machine`` type hierarchy (hw/core/machine.c, hw/i386/x86.c, hw/i386/pc.c, pc_piix.c, pc_q35.c).

Class fields come from the harvested machine table (``query-machines`` and ``-machine help``)
and from QEMU's rules for versioned PC machines: the newest version of a family carries the
alias and is the default; each older version's options function first applies the next
newer one's, then clears ``alias``/``is_default`` and adds its compat properties; versions
4.0 and older apply no CPU model versions (``CPU_VERSION_LEGACY``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from model.data_files import load_json
from model.qom.object import Object, ObjectClass
from model.qom.properties import ObjectProperty
from model.qom.qdev import GlobalProperty
from tracer.recorder import traced

SRC_MACHINE = "hw/core/machine.c"
SRC_X86 = "hw/i386/x86.c"
SRC_PC = "hw/i386/pc.c"
SRC_PIIX = "hw/i386/pc_piix.c"
SRC_Q35 = "hw/i386/pc_q35.c"

CPU_VERSION_LEGACY = 0
CPU_VERSION_LATEST = -1
CPU_VERSION_AUTO = -2

_VERSIONED = re.compile(r"^(pc-i440fx|pc-q35)-(\d+)\.(\d+)(?:\.(\d+))?$")


@functools.cache
def machine_table() -> dict[str, dict[str, Any]]:
    """Harvested facts per machine name."""
    return {m["name"]: m for m in load_json("machines.json")["machines"]}


@functools.cache
def machine_properties() -> dict[str, dict[str, str] | None]:
    props: dict[str, dict[str, str] | None] = load_json("machines.json")["properties"]
    return props


@functools.cache
def machine_class_properties() -> dict[str, list[tuple[str, str, str | None]]]:
    """Each machine class's own properties (name, type, description), as the binary lists them."""
    raw = load_json("machines.json").get("class_properties", {})
    return {typename: [(p[0], p[1], p[2]) for p in props] for typename, props in raw.items()}


def _prop_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


@functools.cache
def cpu_compat_props(name: str) -> tuple[GlobalProperty, ...]:
    """The CPU compat properties of machine ``name``, as harvested: QEMU appends one array per
    older version down the options chain; observation only shows their cumulative effect,
    which is what each machine's list holds."""
    machines = load_json("x86_machine_cpu_compat.json")["machines"]
    entries = machines.get(name, {}).get("inferred_compat_props", [])
    return tuple(GlobalProperty(e["driver"], e["property"], _prop_text(e["value"])) for e in entries)


@functools.cache
def device_compat_props(name: str) -> tuple[GlobalProperty, ...]:
    """The compat properties of machine ``name`` aimed at its board devices, as inferred from the
    binary (``model/harvest/machine_compat.py``): the cumulative effect of the version's lists."""
    entries = load_json("machine/device_compat.json")["machines"].get(name, [])
    return tuple(GlobalProperty(driver, prop, value) for driver, prop, value in entries)


def version_key(name: str) -> tuple[int, ...] | None:
    m = _VERSIONED.match(name)
    if not m:
        return None
    return tuple(int(x) for x in m.groups()[1:] if x is not None)


def family_versions(prefix: str) -> list[str]:
    """Machine names of a versioned family, newest first (``pc-i440fx-7.2``, ``-7.1``...)."""
    names = [n for n in machine_table() if n.startswith(prefix + "-") and version_key(n) is not None]
    return sorted(names, key=lambda n: version_key(n) or (), reverse=True)


# ---- abstract types --------------------------------------------------------------------------

@traced(SRC_MACHINE, args=lambda oc, data: {"type": oc.name})
def machine_class_base_init(oc: ObjectClass, data: Any) -> None:
    """Every concrete machine class is named after its type minus ``-machine`` and starts with
    one CPU allowed and an empty compat property list."""
    if oc.type.info.abstract:
        return
    oc.fields["name"] = oc.name.removesuffix("-machine")
    oc.fields["compat_props"] = []
    oc.fields["max_cpus"] = 1
    oc.fields["min_cpus"] = 1
    oc.fields["default_cpus"] = 1


@traced(SRC_MACHINE, args=lambda oc, data: {"type": oc.name})
def machine_class_init(oc: ObjectClass, data: Any) -> None:
    """Machine defaults: 128 MiB of RAM, no alias, not the default, no default CPU type, and
    ``-drive`` without ``if=`` means ``if=none``."""
    oc.fields.update(alias=None, is_default=False, default_cpu_type=None, family=None, desc="",
                     deprecation_reason=None, default_ram_size=128 * 1024 * 1024, init=None,
                     default_cpu_version=CPU_VERSION_LEGACY, block_default_type="none", units_per_default_bus=0,
                     rom_file_has_mr=True, option_rom_has_mr=False)


@traced(SRC_MACHINE, args=lambda obj: {"type": obj.typename})
def machine_initfn(obj: Object) -> None:
    """A new machine: the ``/peripheral`` and ``/peripheral-anon`` containers ``-device`` fills,
    RAM size from the class default, one CPU until ``-smp`` says otherwise."""
    obj.registry.container_get(obj, "/peripheral")
    obj.registry.container_get(obj, "/peripheral-anon")
    obj.state["ram_size"] = obj.klass.fields.get("default_ram_size", 0)
    obj.state["cpu_type"] = None


@traced(SRC_X86, args=lambda obj: {"type": obj.typename})
def x86_machine_initfn(obj: Object) -> None:
    """x86 machine defaults: SMM, ACPI, PIT and PIC on ``auto``, no bus lock ratelimit."""
    obj.state.update(smm="auto", acpi="auto", pit="auto", pic="auto")


@traced(SRC_X86, args=lambda oc, data: {"type": oc.name})
def x86_machine_class_init(oc: ObjectClass, data: Any) -> None:
    """x86 machines: CPU index to APIC id mapping and the x86 topology helpers."""
    oc.fields["possible_cpu_arch_ids"] = "x86_possible_cpu_arch_ids"


@traced(SRC_PC, args=lambda oc, data: {"type": oc.name})
def pc_machine_class_init(oc: ObjectClass, data: Any) -> None:
    """PC machines default to the ``qemu64`` CPU and allow up to 255 CPUs; a ``-drive`` without
    ``if=`` is an IDE disk."""
    oc.fields["default_cpu_type"] = "qemu64-x86_64-cpu"
    oc.fields["max_cpus"] = 255
    oc.fields["block_default_type"] = "ide"


# ---- concrete machine types ------------------------------------------------------------------

def _apply_table_facts(oc: ObjectClass, name: str) -> None:
    facts = machine_table()[name]
    oc.fields["desc"] = facts["desc"]
    oc.fields["family"] = facts["family"]
    oc.fields["max_cpus"] = facts["cpu_max"]
    oc.fields["default_cpu_type"] = facts["default_cpu_type"]
    oc.fields["deprecation_reason"] = facts.get("deprecation_reason")
    oc.fields["default_ram_id"] = facts.get("default_ram_id")
    props = machine_properties().get(oc.name)
    if props is None:  # the harvest could not list them with -machine NAME,help: use the class's own list
        props = {name: kind for name, kind, _ in machine_class_properties().get(oc.name, [])
                 if not kind.startswith(("link<", "child<"))}
    for prop, kind in props.items():
        if oc.find_property(prop) is None:
            oc.properties[prop] = ObjectProperty(prop, _qapi_kind(kind))
    for prop, kind, _ in machine_class_properties().get(oc.name, []):  # class props (microvm's own)
        if oc.find_property(prop) is None:
            oc.properties[prop] = ObjectProperty(prop, _qapi_kind(kind))


def _qapi_kind(kind: str) -> str:
    return {"bool": "bool", "uint32": "uint32", "uint64": "uint64", "int32": "int32", "int64": "int64",
            "uint8": "uint8", "uint16": "uint16", "size": "size"}.get(kind, kind)


def _options_fn_name(family: str, name: str) -> str:
    version = "_".join(name.removeprefix(family + "-").split("."))
    short = "i440fx" if family == "pc-i440fx" else "q35"
    return f"pc_{short}_{version}_machine_options"


@functools.cache
def machine_options_fn(name: str) -> Callable[[ObjectClass], None]:
    """The traced ``pc_<family>_<version>_machine_options`` for a versioned PC machine."""
    family = "pc-i440fx" if name.startswith("pc-i440fx-") else "pc-q35"
    versions = family_versions(family)
    newer = versions[versions.index(name) - 1] if versions.index(name) > 0 else None
    src = SRC_PIIX if family == "pc-i440fx" else SRC_Q35
    key = version_key(name) or ()

    @traced(src, name=_options_fn_name(family, name), args=lambda mc: {"type": mc.name})
    def options(mc: ObjectClass) -> None:
        if newer is None:
            mc.fields["default_machine_opts"] = "firmware=bios-256k.bin"
            mc.fields["alias"] = "pc" if family == "pc-i440fx" else "q35"
            mc.fields["is_default"] = family == "pc-i440fx"
            mc.fields["default_cpu_version"] = 1
            if family == "pc-q35":  # one disk per AHCI port: -drive index=N is port N
                mc.fields["units_per_default_bus"] = 1
            return
        machine_options_fn(newer)(mc)
        mc.fields["alias"] = None
        mc.fields["is_default"] = False
        if key <= (4, 0, 1):
            mc.fields["default_cpu_version"] = CPU_VERSION_LEGACY
        if key <= (1, 7):
            mc.fields["default_machine_opts"] = None  # the old BIOS, no firmware default
            mc.fields["option_rom_has_mr"] = True  # option ROM files get memory regions, as in 1.7
        if key <= (1, 6):
            mc.fields["rom_file_has_mr"] = False  # no ROM file gets a memory region (before 1.7)

    return options


BOARD_INIT = {"pc-i440fx": "pc_init1", "pc-q35": "pc_q35_init", "isapc": "pc_init_isa",
              "microvm": "microvm_machine_state_init", "none": "machine_none_init",
              "x-remote": "remote_machine_init"}


def leaf_class_init(typename: str) -> Callable[[ObjectClass, Any], None]:
    """The class_init QEMU's ``DEFINE_*_MACHINE`` macros generate for one concrete machine."""
    name = typename.removesuffix("-machine")
    key = version_key(name)
    if key is not None:
        family = "pc-i440fx" if name.startswith("pc-i440fx-") else "pc-q35"
        fn_name = "pc_machine_v" + "_".join(str(k) for k in key) + "_class_init"
        src = SRC_PIIX if family == "pc-i440fx" else SRC_Q35
        board = BOARD_INIT[family]
    else:
        family = name
        fn_name = {"isapc": "pc_machine_isapc_class_init", "microvm": "microvm_class_init",
                   "none": "machine_none_machine_init", "x-remote": "remote_machine_class_init"}.get(
            name, "machine_class_init")
        src = {"isapc": SRC_PIIX, "microvm": "hw/i386/microvm.c", "none": "hw/core/null-machine.c",
               "x-remote": "hw/remote/machine.c"}.get(name, SRC_MACHINE)
        board = BOARD_INIT.get(name, "machine_none_init")

    @traced(src, name=fn_name, args=lambda oc, data: {"type": oc.name})
    def class_init(oc: ObjectClass, data: Any) -> None:
        _apply_table_facts(oc, name)
        oc.fields["init"] = board
        if key is not None:
            machine_options_fn(name)(oc)
            oc.fields["compat_props"] = [*cpu_compat_props(name), *device_compat_props(name)]
        elif name == "none":
            oc.fields["default_ram_size"] = 0  # the empty machine has no RAM unless -m asks
        elif name == "microvm":
            oc.fields["default_cpu_version"] = CPU_VERSION_LATEST

    return class_init
