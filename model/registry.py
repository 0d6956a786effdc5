"""``qemu_init_subsystems``: register every QOM type of the real binary, with its hooks.

The types are the binary's, registered in the order its ``type_init`` constructors run (both
harvested under gdb), with the abstract flags and interfaces ``qom-list-types`` reports. Types
whose hooks matter for creating a CPU get the modelled functions (object, device, cpu, the x86
CPU types, the machine types); every other hook the binary's TypeInfo sets gets a traced
stand-in that runs where the real one runs; a type whose TypeInfo sets none gets none.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from model.data_files import load_json
from model.hw import machine as hw_machine
from model.hw.core.facts import fact_for
from model.hw.core.qdev import device_class_set_props
from model.hw.i386.pc import make_pc_machine_initfn
from model.hw.virtio.virtio import BACKEND, backend_by_name, virtio_instance_init_common
from model.qom.init_effects import Child, Effect, Lookup, Region, init_effects
from model.qom.object import Object, ObjectClass, TypeInfo, object_initialize_child_internal
from model.qom.properties import ObjectProperty
from model.qom.qdev import (
    device_class_base_init,
    device_class_init,
    device_initfn,
    make_device_post_init,
    object_apply_compat_props,
)
from model.softmmu.region_init import FLAVOURS, memory_region_init_io
from model.state import QemuInit
from model.target_i386 import cpu as x86
from model.target_i386.cpu_qom import SUFFIX, model_name
from model.target_i386.models import cpu_models
from tracer.recorder import traced
from tracer.trace import HookKind


@traced("qom/object.c", args=lambda oc, data: {"type": oc.name})
def object_class_init(oc: ObjectClass, data: Any) -> None:
    """The root class: every object has a read-only ``type`` property."""
    oc.properties["type"] = ObjectProperty("type", "string", lambda obj: obj.typename, readonly=True)


@traced("hw/core/cpu-common.c", args=lambda oc, data: {"type": oc.name})
def cpu_class_init(oc: ObjectClass, data: Any) -> None:
    """Generic CPUs: not user-creatable, the common realize and feature parser."""
    oc.fields["parse_features"] = None  # cpu_common_parse_features: every CPU vmtrace parses is x86
    oc.fields["realize"] = None
    oc.fields["user_creatable"] = False


@traced("hw/core/cpu-common.c", args=lambda obj: {"type": obj.typename})
def cpu_common_initfn(obj: Object) -> None:
    """A new CPU: index unassigned, not halted, the common CPU state."""
    obj.state["cpu_index"] = -1


# Stand-ins for the hooks of types vmtrace does not model in detail. They run exactly where the
# binary runs the type's own hook, and only for types whose TypeInfo sets one (the harvested
# ``model/data/steps/types.json`` says which): the step is real, what the hook sets is not modelled.
UNMODELLED = "(the type's own hook; not modelled)"
PROXY_INIT_SRC = "(the virtio proxy's own instance_init, in hw/virtio/)"


_STAND_IN_DOCS = {
    "class_init": "The type's own class_init, which vmtrace does not model: it runs here, as in QEMU.",
    "class_base_init": "A class_base_init vmtrace does not model; it runs for every subclass, before its class_init.",
    "instance_init": "The type's own instance_init, which vmtrace does not model: it runs here, as in QEMU.",
    "instance_post_init": "The type's own instance_post_init, which vmtrace does not model: it runs here, as in QEMU.",
}

_REPLAY_DOC = ("The type's own instance_init: the memory regions, embedded children and irqs the binary was seen "
               "to create here are created in the same order (harvested facts); its other work is not modelled.")


@functools.cache
def stand_in(kind: HookKind, owner: str) -> Callable[..., None]:
    """The stand-in for ``owner``'s ``kind`` hook. Its events name the owner (a class_base_init
    or an instance hook runs for other types than the one that declared it)."""

    effects = init_effects().get(owner, ()) if kind == "instance_init" else ()

    def hook(target: Any, data: Any = None) -> None:
        if effects:
            replay_init_effects(target, effects)

    hook.__doc__ = _REPLAY_DOC if effects else _STAND_IN_DOCS[kind]
    if kind.startswith("class"):
        return traced(UNMODELLED, name=kind, args=lambda oc, data: {"type": oc.name, "owner": owner})(hook)
    return traced(UNMODELLED, name=kind, args=lambda obj: {"type": obj.typename, "owner": owner})(hook)


def replay_init_effects(obj: Object, effects: tuple[Effect, ...]) -> None:
    """Do what the binary's instance_init was seen to do (:mod:`model.qom.init_effects`): the
    regions ``obj`` owns, the children it embeds, the irqs of its gpio inputs."""
    for effect in effects:
        if isinstance(effect, Region):
            obj.regions.append(FLAVOURS[effect.function](obj.registry, obj.typename, effect.name,
                                                         int(effect.size, 16)))
        elif isinstance(effect, Child):
            object_initialize_child_internal(obj, effect.name, effect.type, _device_class_ready)
        elif isinstance(effect, Lookup):
            obj.registry.object_class_by_name(effect.type)
        else:
            obj.registry.object_new("irq")
            obj.gpio_irqs += 1


def _device_class_ready(oc: ObjectClass) -> None:
    if oc.is_a("device"):
        device_class_set_props(oc)


STAND_INS: dict[str, HookKind] = {"c": "class_init", "b": "class_base_init", "i": "instance_init",
                                  "p": "instance_post_init"}


@dataclass(frozen=True)
class TypeFacts:
    """What the binary registers, in its order: each type's parent and which hooks its TypeInfo
    sets (``cbip``), plus the types registered later (by the console's early init, by a module)."""

    startup: list[tuple[str, str | None, str]]
    late: dict[str, tuple[str, str | None, str, str | None]]
    listed: dict[str, dict[str, Any]]
    walk_rank: dict[str, int]


@functools.cache
def type_facts() -> TypeFacts:
    doc = load_json("steps/types.json")
    listed = load_json("qom_types.json")["types"]
    # qom-list-types prepends each class it visits, so its order is the table walk reversed.
    walk_rank = {entry["name"]: i for i, entry in enumerate(reversed(listed))}
    return TypeFacts(startup=[tuple(row) for row in doc["startup"]],
                     late={row[0]: tuple(row) for row in doc["late"]},
                     listed={entry["name"]: entry for entry in listed}, walk_rank=walk_rank)


@traced("hw/audio/pcspk.c", args=lambda obj: {"type": obj.typename})
def pcspk_initfn(obj: Object) -> None:
    """The PC speaker's I/O port region, port 0x61 (and its ``audiodev`` property, not modelled)."""
    obj.regions.append(memory_region_init_io(obj.registry, obj.typename, "pcspk", 1))


@dataclass(frozen=True)
class RunHooks:
    """The hooks that need this run's state (global property lists, accelerator)."""

    device_post_init: Any
    x86_post_init: Any
    memory_backend_post_init: Any
    pc_machine_initfn: Any


def run_hooks(q: QemuInit) -> RunHooks:
    return RunHooks(make_device_post_init(q.globals), x86.make_x86_cpu_post_initfn(q),
                    make_memory_backend_post_init(q), make_pc_machine_initfn(q))


def make_memory_backend_post_init(q: QemuInit) -> Callable[[Object], None]:
    """``host_memory_backend_post_init`` bound to this run's compat properties."""

    @traced("backends/hostmem.c", name="host_memory_backend_post_init", args=lambda obj: {"type": obj.typename})
    def host_memory_backend_post_init(obj: Object) -> None:
        """Memory backends are not devices, so they apply the compat properties themselves."""
        object_apply_compat_props(obj, q.globals)

    return host_memory_backend_post_init


def type_info_for(name: str, parent: str | None, hooks: str, bound: RunHooks) -> TypeInfo:
    """The TypeInfo of one registered type: the modelled hooks where they exist, a stand-in for
    every other hook the binary's TypeInfo sets, and none where it sets none."""
    entry = type_facts().listed.get(name, {})
    base = TypeInfo(name=name, parent=parent, abstract=bool(entry.get("abstract", False)),
                    interfaces=tuple(entry.get("interfaces", ())))
    modelled = _hooks(name, parent, base.abstract, bound)
    if "i" in hooks and "instance_init" not in modelled and _descends_from(name, "virtio-pci"):
        modelled["instance_init"] = virtio_proxy_instance_init(name)
    for letter, kind in STAND_INS.items():
        if letter in hooks:
            modelled.setdefault(kind, stand_in(kind, name))
        elif kind in modelled:
            raise AssertionError(f"{name}: the binary's TypeInfo sets no {kind}")
    return replace(base, **modelled)


def _descends_from(name: str, ancestor: str) -> bool:
    """``name`` is ``ancestor`` or below it, by the parents ``qom-list-types`` reports."""
    listed = type_facts().listed
    seen: str | None = name
    while seen is not None and seen != ancestor:
        seen = listed.get(seen, {}).get("parent")
    return seen == ancestor


@functools.cache
def virtio_proxy_instance_init(owner: str) -> Callable[..., None]:
    """The instance_init of a virtio PCI proxy type (``virtio_net_pci_instance_init``...). Each
    embeds its backend with ``virtio_instance_init_common``; which backend is a harvested fact
    of the proxy type (its ``virtio-backend`` child) or, for a proxy never harvested, the
    device its name pairs it with (``virtio-blk-pci`` with ``virtio-blk-device``)."""

    @traced(PROXY_INIT_SRC, name="instance_init", args=lambda obj: {"type": obj.typename, "owner": owner})
    def hook(obj: Object) -> None:
        """The virtio proxy's instance_init: it embeds its backend device as ``virtio-backend``
        (``virtio_instance_init_common``); anything else it does is not modelled."""
        backend = next((t for n, t in fact_for(obj.typename).internal if n == BACKEND), None)
        if backend is None:
            backend = backend_by_name(obj.typename)
            if backend is not None and obj.registry.type_get_by_name(backend) is None:
                backend = None
        if backend is not None and BACKEND not in obj.children:
            virtio_instance_init_common(obj, backend, _device_class_ready)

    return hook


def _hooks(name: str, parent: str | None, abstract: bool, bound: RunHooks) -> dict[str, Any]:
    if name == "object":
        return {"class_init": object_class_init}
    if name == "device":
        return {"class_init": device_class_init, "class_base_init": device_class_base_init,
                "instance_init": device_initfn, "instance_post_init": bound.device_post_init}
    if name == "cpu":
        return {"class_init": cpu_class_init, "instance_init": cpu_common_initfn}
    if name == "x86_64-cpu":
        return {"class_init": x86.x86_cpu_common_class_init, "instance_init": x86.x86_cpu_initfn,
                "instance_post_init": bound.x86_post_init}
    if name == "memory-backend":
        return {"instance_post_init": bound.memory_backend_post_init}
    if name == "isa-pcspk":
        return {"instance_init": pcspk_initfn}
    if name == "max-x86_64-cpu":
        return {"class_init": x86.max_x86_cpu_class_init, "instance_init": x86.max_x86_cpu_initfn}
    if name == "host-x86_64-cpu":
        return {"class_init": x86.host_cpu_class_init}
    if name == "base-x86_64-cpu":
        return {"class_init": x86.x86_cpu_base_class_init}
    if parent == "x86_64-cpu" and name.endswith(SUFFIX):
        model = cpu_models().get(model_name(name))
        if model is not None:
            return {"class_init": x86.x86_cpu_cpudef_class_init, "class_data": model}
    if name == "machine":
        return {"class_init": hw_machine.machine_class_init, "class_base_init": hw_machine.machine_class_base_init,
                "instance_init": hw_machine.machine_initfn}
    if name == "x86-machine":
        return {"class_init": hw_machine.x86_machine_class_init, "instance_init": hw_machine.x86_machine_initfn}
    if name == "generic-pc-machine":
        return {"class_init": hw_machine.pc_machine_class_init, "instance_init": bound.pc_machine_initfn}
    if name.endswith("-machine") and not abstract and name.removesuffix("-machine") in hw_machine.machine_table():
        return {"class_init": hw_machine.leaf_class_init(name)}
    return {}


@traced("util/module.c", args=lambda q, kind="MODULE_INIT_QOM": {"type": kind}, ret=lambda n: n)
def module_call_init(q: QemuInit, kind: str = "MODULE_INIT_QOM") -> int:
    """Run the constructors registered for one kind of initialisation, in link order.

    For ``MODULE_INIT_QOM`` these are the ``type_init`` functions of everything linked into the
    executable: each registers its types with ``type_register``. Types of loadable modules
    (qxl, virtio-gpu, usb-host, ...) are not among them: they are registered when their module
    is loaded. The other kinds (option tables, trace events, migration and block drivers)
    register nothing vmtrace models; their calls are shown because QEMU makes them here.
    """
    if kind != "MODULE_INIT_QOM":
        return 0
    return register_startup_types(q)


def register_startup_types(q: QemuInit) -> int:
    bound = run_hooks(q)
    facts = type_facts()
    q.types.walk_rank = facts.walk_rank
    q.types.late_hooks = bound
    q.types.module_loader = lambda typename: module_load_qom(q, typename)
    for name, parent, hooks in facts.startup:
        q.types.type_register(type_info_for(name, parent, hooks, bound))
    return len(facts.startup)


def register_late_type(q: QemuInit, name: str) -> None:
    """Register a type the binary registers after start-up (``chardev-vc`` by the console's
    early init when no display registered one, ``tcg-accel-ops`` when its module is loaded).
    A module type the harvest has not watched gets a stand-in ``class_init`` (every device
    class has one) and its ``qom-list-types`` parent."""
    late = type_facts().late.get(name)
    if late is not None:
        _, parent, hooks, _after = late
    else:
        parent, hooks = type_facts().listed[name].get("parent"), "c"
    q.types.type_register(type_info_for(name, parent, hooks, q.types.late_hooks))


def module_types(q: QemuInit, typename: str) -> list[str]:
    """The types registered by loading the module that provides ``typename`` (the module's
    ``type_init`` constructors run as it is loaded): as watched under gdb where the harvest saw
    the module load (``tcg-accel-ops``); for the other module types ``qom-list-types`` lists,
    the type with whichever of its ancestors are not registered yet, parents first."""
    watched = [name for name, (_, _, _, after) in type_facts().late.items() if after == f"module_load_qom {typename}"]
    if watched:
        return watched
    listed = type_facts().listed
    chain: list[str] = []
    name: str | None = typename
    while name is not None and name in listed and name not in q.types.types:
        chain.append(name)
        name = listed[name].get("parent")
    return chain[::-1]


@traced("softmmu/runstate.c", args=lambda q: {})
def qemu_init_subsystems(q: QemuInit) -> None:
    """Early initialisation: trace events, then the QOM types (the part that matters for
    vmtrace), migration and block drivers."""
    x86.reset_default_version()
    module_call_init(q, "MODULE_INIT_TRACE")
    module_call_init(q, "MODULE_INIT_QOM")
    module_call_init(q, "MODULE_INIT_MIGRATION")
    module_call_init(q, "MODULE_INIT_BLOCK")


@traced("util/module.c", args=lambda q, typename: {"type": typename}, ret=lambda loaded: loaded)
def module_load_qom(q: QemuInit, typename: str) -> bool:
    """Load the module that provides ``typename`` (``accel-tcg-x86_64.so`` for
    ``tcg-accel-ops``); its ``type_init`` constructors register its types as it loads.
    False when no module provides it."""
    names = module_types(q, typename)
    for name in names:
        register_late_type(q, name)
    return bool(names)


def module_object_class_by_name(q: QemuInit, typename: str) -> ObjectClass | None:
    """``object_class_by_name``, loading the providing module first when the type is unknown."""
    return q.types.module_object_class_by_name(typename)
