"""The vocabulary both sides of the steps comparison are projected onto.

A step is one line of text: ``call FUNCTION ARG...`` for an exported QEMU function with its key
arguments, ``end FUNCTION`` where such a function returned (only for the functions whose end
bounds the comparison), and ``KIND OWNER TARGET`` for a QOM hook: ``class_init``,
``class_base_init``, ``instance_init`` or ``instance_post_init``, declared by the TypeInfo of
OWNER, run for the class or object of type TARGET. Registrations are a third projection: the
type names in the order ``type_register`` saw them.

The functions are exported by Debian's ``qemu-system-x86_64`` (``nm -D``), so gdb can break on
them without debug symbols. Each comes with how to read its arguments from the System V
argument registers (``rdi``, ``rsi``, ...): ``str`` a ``const char *``, ``obj`` an ``Object *``
(its type name), ``class`` an ``ObjectClass *``, ``int``/``long``/``bool`` a number, ``hex`` an
unsigned size in hex, ``global`` a ``GlobalProperty *`` (``driver.property=value``), ``module`` a
``module_init_type``.

Memory regions are QOM objects (``memory-region``) that their owners embed: each flavour of
``memory_region_init*`` is watched with the region's owner, name and size, so a region's
``instance_init`` hook is tied to the region it made. Subpages (``subpage_init``, static) show
as the ``memory_region_init_io`` they call, with no owner and no name. ``object_initialize_child``
(an object embedded in its parent, initialised in the parent's ``instance_init`` or realize) is
watched with the parent's type, the child's property name and its type.
"""

from __future__ import annotations

from typing import Final

Arg = tuple[str, str]
"""A recorded argument: the name the model's trace event gives it, and how gdb reads it."""

_TYPE: Final[tuple[Arg, ...]] = (("type", "obj"),)
_SKIP: Final[Arg] = ("mr", "skip")
_REGION: Final[tuple[Arg, ...]] = (_SKIP, ("owner", "obj"), ("name", "str"), ("size", "hex"))
"""``memory_region_init*(mr, owner, name, size, ...)``."""
_REGION_OPS: Final[tuple[Arg, ...]] = (_SKIP, ("owner", "obj"), ("ops", "skip"), ("opaque", "skip"),
                                       ("name", "str"), ("size", "hex"))
"""``memory_region_init_io``/``_rom_device*(mr, owner, ops, opaque, name, size, ...)``."""
_REGION_ALIAS: Final[tuple[Arg, ...]] = (_SKIP, ("owner", "obj"), ("name", "str"), ("orig", "skip"),
                                         ("offset", "skip"), ("size", "hex"))

WATCHED: Final[dict[str, tuple[Arg, ...]]] = {
    "main": (),
    "qemu_init": (),
    "qemu_init_subsystems": (),
    "module_call_init": (("type", "module"),),
    "module_load_qom": (("type", "str"),),
    "qemu_opts_parse_noisily": (),
    "x86_cpu_list": (),
    "object_class_get_list": (("implements", "str"), ("include_abstract", "bool")),
    "object_class_foreach": (("fn", "skip"), ("implements", "str"), ("include_abstract", "bool")),
    "object_class_by_name": (("type", "str"),),
    "object_new": (("type", "str"),),
    "object_new_with_class": (("type", "class"),),
    "object_set_properties_from_keyval": _TYPE,
    "machine_parse_smp_config": (("machine", "obj"),),
    "accel_init_machine": (("accel", "obj"),),
    "migration_object_init": (),
    "qdev_prop_register_global": (("global", "global"),),
    "parse_cpu_option": (("option", "str"),),
    "cpu_class_by_name": (("type", "str"), ("model", "str")),
    "machine_run_board_init": (("machine", "obj"),),
    "accel_init_interfaces": (("accel", "class"),),
    "x86_cpus_init": (("machine", "obj"), ("default_cpu_version", "int")),
    "x86_cpu_set_default_version": (("version", "int"),),
    "x86_cpu_new": (("machine", "obj"), ("apic_id", "long")),
    "cpu_create": (("type", "str"),),
    "qdev_new": (("type", "str"),),
    "accel_cpu_instance_init": _TYPE,
    "object_apply_compat_props": _TYPE,
    "qdev_prop_set_globals": _TYPE,
    "object_apply_global_props": _TYPE,
    "qdev_realize": _TYPE,
    "x86_cpu_expand_features": _TYPE,
    "cpu_exec_realizefn": _TYPE,
    "x86_cpu_apic_create": _TYPE,
    "qdev_prop_check_globals": (),
    "qemu_main_loop": (),
    "object_initialize_child_internal": (("parent", "obj"), ("name", "str"), ("child", "skip"), ("size", "skip"),
                                         ("type", "str")),
    "memory_region_init": _REGION,
    "memory_region_init_io": _REGION_OPS,
    "memory_region_init_alias": _REGION_ALIAS,
    "memory_region_init_ram": _REGION,
    "memory_region_init_ram_nomigrate": _REGION,
    "memory_region_init_ram_flags_nomigrate": _REGION,
    "memory_region_init_resizeable_ram": _REGION,
    "memory_region_init_ram_from_file": _REGION,
    "memory_region_init_ram_from_fd": _REGION,
    "memory_region_init_ram_ptr": _REGION,
    "memory_region_init_ram_device_ptr": _REGION,
    "memory_region_init_rom": _REGION,
    "memory_region_init_rom_nomigrate": _REGION,
    "memory_region_init_rom_device": _REGION_OPS,
    "memory_region_init_rom_device_nomigrate": _REGION_OPS,
    "memory_region_init_iommu": (("iommu_mr", "skip"), ("instance_size", "skip"), ("mrtypename", "skip"),
                                 ("owner", "obj"), ("name", "str"), ("size", "hex")),
}
"""Exported functions and their key arguments, in register order (``skip``: not recorded)."""

INLINED: Final[dict[str, str]] = {"object_class_foreach": "object_class_get_list",
                                  "x86_cpu_expand_features": "x86_cpu_realizefn"}
"""Calls the binary makes through a copy the compiler inlined into the caller, so gdb never sees
them: a call of the key directly inside a call of the value is left out of the model's steps."""

STOP_AT: Final = "qemu_main_loop"
"""Where a successful start is stopped: QEMU would now run (or, with ``-S``, wait)."""

ENDS: Final = ("x86_cpus_init", "machine_run_board_init")
"""Functions whose return is recorded: the comparison ends with the first of them that ran
(the CPUs' creation and realize; for a board without ``x86_cpus_init``, the whole board init)."""

HOOK_KINDS: Final = ("class_init", "class_base_init", "instance_init", "instance_post_init")

MODULE_INIT: Final = ("MODULE_INIT_MIGRATION", "MODULE_INIT_BLOCK", "MODULE_INIT_OPTS", "MODULE_INIT_QOM",
                      "MODULE_INIT_TRACE", "MODULE_INIT_XEN_BACKEND", "MODULE_INIT_LIBQOS",
                      "MODULE_INIT_FUZZ_TARGET")
"""``module_init_type`` in include/qemu/module.h (7.2), by value."""


def recorded_args(function: str) -> tuple[Arg, ...]:
    """The arguments of ``function`` that appear in its step line, in order."""
    return tuple(arg for arg in WATCHED.get(function, ()) if arg[1] != "skip")


def token(value: object) -> str:
    """One argument as it appears in a step line: NULL for a null pointer, quoted when empty or spaced."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text == "" or any(c.isspace() for c in text) or text.startswith('"'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def call_step(function: str, args: tuple[object, ...]) -> str:
    return " ".join(["call", function, *(token(a) for a in args)])


def hook_step(kind: str, owner: str, target: str) -> str:
    return " ".join([kind, token(owner), token(target)])


def projection_of(step: str) -> str:
    """Which projection a step belongs to: ``calls`` or ``hooks``."""
    return "hooks" if step.split(" ", 1)[0] in HOOK_KINDS else "calls"
