"""``qemu_init_subsystems``: register every QOM type of the real binary, with its hooks.

The type table (names, parents, abstract flags, interfaces) is the binary's, in the order its
own type table iterates. Types whose class_init or instance_init matters for creating a CPU
get the modelled functions (object, device, cpu, the x86 CPU types, the machine types);
every other type gets a traced generic ``class_init`` so the initialisation order is real.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from model.data_files import load_json
from model.hw import machine as hw_machine
from model.hw.i386.pc import make_pc_machine_initfn
from model.qom.object import Object, ObjectClass, TypeInfo
from model.qom.properties import ObjectProperty
from model.qom.qdev import device_class_base_init, device_class_init, device_initfn, make_device_post_init
from model.state import QemuInit
from model.target_i386 import cpu as x86
from model.target_i386.cpu_qom import SUFFIX, model_name
from model.target_i386.models import cpu_models
from tracer.recorder import traced


@traced("qom/object.c", args=lambda oc, data: {"type": oc.name})
def object_class_init(oc: ObjectClass, data: Any) -> None:
    """The root class: every object has a read-only ``type`` property."""
    oc.properties["type"] = ObjectProperty("type", "string", lambda obj: obj.typename, readonly=True)


@traced("hw/core/cpu-common.c", args=lambda oc, data: {"type": oc.name})
def cpu_class_init(oc: ObjectClass, data: Any) -> None:
    """Generic CPUs: not user-creatable, the common realize and feature parser."""
    oc.fields["parse_features"] = "cpu_common_parse_features"
    oc.fields["realize"] = None
    oc.fields["user_creatable"] = False


@traced("hw/core/cpu-common.c", args=lambda obj: {"type": obj.typename})
def cpu_common_initfn(obj: Object) -> None:
    """A new CPU: index unassigned, not halted, the common CPU state."""
    obj.state["cpu_index"] = -1


@traced("(generic)", name="class_init", args=lambda oc, data: {"type": oc.name})
def generic_class_init(oc: ObjectClass, data: Any) -> None:
    """Stand-in for the class_init of a type vmtrace does not model in detail; it runs when and
    where QEMU runs the real one."""


def type_info_for(q: QemuInit, entry: dict[str, Any], device_post_init: Any, x86_post_init: Any) -> TypeInfo:
    """The TypeInfo of one harvested type, with modelled hooks where they exist."""
    name: str = entry["name"]
    parent: str | None = entry.get("parent")
    base = TypeInfo(name=name, parent=parent, abstract=bool(entry.get("abstract", False)),
                    interfaces=tuple(entry.get("interfaces", ())))
    info = replace(base, **_hooks(name, parent, base.abstract, device_post_init, x86_post_init))
    if name == "generic-pc-machine":
        info = replace(info, instance_init=make_pc_machine_initfn(q))
    return info


def _hooks(name: str, parent: str | None, abstract: bool, device_post_init: Any, x86_post_init: Any) -> dict[str, Any]:
    if name == "object":
        return {"class_init": object_class_init}
    if name == "device":
        return {"class_init": device_class_init, "class_base_init": device_class_base_init,
                "instance_init": device_initfn, "instance_post_init": device_post_init}
    if name == "cpu":
        return {"class_init": cpu_class_init, "instance_init": cpu_common_initfn}
    if name == "x86_64-cpu":
        return {"class_init": x86.x86_cpu_common_class_init, "instance_init": x86.x86_cpu_initfn,
                "instance_post_init": x86_post_init}
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
        return {"class_init": hw_machine.x86_machine_class_init}
    if name == "generic-pc-machine":
        return {"class_init": hw_machine.pc_machine_class_init}
    if name.endswith("-machine") and not abstract and name.removesuffix("-machine") in hw_machine.machine_table():
        return {"class_init": hw_machine.leaf_class_init(name)}
    return {"class_init": generic_class_init}


@traced("util/module.c", args=lambda q: {"type": "MODULE_INIT_QOM"}, ret=lambda n: n)
def module_call_init(q: QemuInit) -> int:
    """Run every ``type_init`` constructor: each registers its types with ``type_register``."""
    device_post_init = make_device_post_init(q.globals)
    x86_post_init = x86.make_x86_cpu_post_initfn(q)
    entries = load_json("qom_types.json")["types"]
    for entry in entries:
        q.types.type_register(type_info_for(q, entry, device_post_init, x86_post_init))
    return len(entries)


@traced("softmmu/runstate.c", args=lambda q: {})
def qemu_init_subsystems(q: QemuInit) -> None:
    """Early initialisation; for vmtrace, the part that matters is registering the QOM types."""
    x86.reset_default_version()
    module_call_init(q)
