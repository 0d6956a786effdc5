"""The x86 CPU types (target/i386/cpu.c, host-cpu.c, tcg/tcg-cpu.c, kvm/kvm-cpu.c):
class_init and instance_init hooks, properties, ``-cpu`` name lookup and ``parse_cpu_option``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from model.data_files import load_json
from model.errors import QemuError
from model.qom.object import Object, ObjectClass, object_property_set
from model.qom.properties import ObjectProperty
from model.state import QemuInit
from model.target_i386.accel_cpu import accel_cpu_instance_init
from model.target_i386.cpu_qom import SUFFIX, TYPE_X86_CPU, cpu_state
from model.target_i386.featurestr import x86_cpu_parse_featurestr
from model.target_i386.featurewords import feature_table
from model.target_i386.models import CPU_VERSION_LEGACY, CPUModel, resolve_version, special_models
from model.target_i386.realize import x86_cpu_realizefn
from model.target_i386.state import X86CPUState
from tracer.recorder import point, traced

SRC = "target/i386/cpu.c"
# Properties QEMU gives only a getter (reports and lists): setting one is "is not writable".
READONLY_KINDS = frozenset({"X86CPUFeatureWordInfo", "strList", "GuestPanicInformation"})

INT_LIMITS = {"family": 0xFF + 0xF, "model": 0xFF, "stepping": 0xF}


# ---- properties ----------------------------------------------------------------------------

def _feature_property(name: str) -> ObjectProperty:
    def get(obj: Object) -> bool:
        return cpu_state(obj).has(name)

    def set_(obj: Object, value: bool) -> None:
        cpu = cpu_state(obj)
        origin = obj.state.get("origin")
        if origin is None:
            cpu.set_feature(name, bool(value), user=True)
            return
        with cpu.because(*origin):
            cpu.set_feature(name, bool(value), user=True)

    return ObjectProperty(name, "bool", get, set_)


def _int_property(name: str, limit: int) -> ObjectProperty:
    def set_(obj: Object, value: int) -> None:
        if not 0 <= value <= limit:
            raise QemuError(f"Property .{name} doesn't take value {value} (minimum: 0, maximum: {limit})")
        cpu_state(obj).props[name] = value

    return ObjectProperty(name, "int64", lambda obj: cpu_state(obj).props[name], set_)


def _vendor_property() -> ObjectProperty:
    def set_(obj: Object, value: str) -> None:
        if len(value.encode()) != 12:
            raise QemuError(f"Property '.vendor' doesn't take value '{value}'")
        cpu_state(obj).props["vendor"] = value

    return ObjectProperty("vendor", "str", lambda obj: cpu_state(obj).props["vendor"], set_)


def _tsc_property() -> ObjectProperty:
    def set_(obj: Object, value: int) -> None:
        if value < 0:
            raise QemuError(f"Property .tsc-frequency doesn't take value {value} (minimum: 0, maximum: {2**63 - 1})")
        cpu_state(obj).props["tsc-frequency"] = value // 1000 * 1000  # QEMU keeps it in kHz

    return ObjectProperty("tsc-frequency", "int64", lambda obj: cpu_state(obj).props["tsc-frequency"], set_)


def _plain_property(name: str, kind: str) -> ObjectProperty:
    def set_(obj: Object, value: Any) -> None:
        cpu_state(obj).props[name] = value

    return ObjectProperty(name, kind, lambda obj: cpu_state(obj).props.get(name), set_)


def _masked_property(name: str, mask: int) -> ObjectProperty:
    """A uint64 qdev property that refuses bits outside its mask (DEFINE_PROP_UINT64_CHECKMASK)."""

    def set_(obj: Object, value: int) -> None:
        if value & ~mask:
            raise QemuError(f"Property value for '{name}' has bits outside mask '0x{mask:x}'")
        cpu_state(obj).props[name] = value

    return ObjectProperty(name, "uint64", lambda obj: cpu_state(obj).props.get(name), set_)


def _model_id_property() -> ObjectProperty:
    def set_(obj: Object, value: str) -> None:
        cpu_state(obj).props["model-id"] = value[:48]

    return ObjectProperty("model-id", "str", lambda obj: cpu_state(obj).props["model-id"], set_)


_QAPI_KINDS = {"bool": "bool", "uint8": "uint8", "uint16": "uint16", "uint32": "uint32", "uint64": "uint64",
               "int32": "int32", "int": "int64", "str": "str", "string": "str"}


def _realized_property() -> ObjectProperty:
    """``realized`` set by a global (``-cpu qemu64,realized=on``) realizes the CPU while it is
    still being created: the PC machine's CPU pre-plug check runs first and, with no APIC id
    or topology assigned yet, refuses it."""

    def set_(obj: Object, value: bool) -> None:
        if value and "origin" in obj.state:  # set by a global: topology ids still unassigned (-1)
            raise QemuError("CPU socket-id is not set")
        obj.state["realized"] = value

    return ObjectProperty("realized", "bool", lambda obj: obj.state.get("realized", False), set_)


def x86_class_properties() -> dict[str, ObjectProperty]:
    """The properties of ``x86_64-cpu``: one bool per feature bit, identity and qdev props."""
    props: dict[str, ObjectProperty] = {}
    for info in load_json("x86_cpu_properties.json")["properties"].items():
        name, kind = info[0], info[1]["type"]
        if name in ("type", "realized", "hotplugged", "hotpluggable"):
            continue
        props[name] = _plain_property(name, _QAPI_KINDS.get(kind, kind))
        if kind in READONLY_KINDS or name in load_json("qemu_opts.json")["cpu_readonly_props"]:
            props[name].readonly = True
    for name, limit in INT_LIMITS.items():
        props[name] = _int_property(name, limit)
    props["lbr-fmt"] = _masked_property("lbr-fmt", 0x3F)
    props["realized"] = _realized_property()
    props["vendor"] = _vendor_property()
    props["model-id"] = _model_id_property()
    props["tsc-frequency"] = _tsc_property()
    for name in feature_table().masks:
        props[name] = _feature_property(name)
    for name in sorted(feature_table().unplaced):  # a frozenset: sorted, so traces are reproducible
        props.setdefault(name, _plain_property(name, "bool"))
    return props


# ---- class_init hooks ------------------------------------------------------------------------

@traced(SRC, args=lambda oc, data: {"type": oc.name})
def x86_cpu_common_class_init(oc: ObjectClass, data: Any) -> None:
    """The abstract x86 CPU class: its realize, the -cpu name lookup and feature-string parser,
    and the class properties (every feature bit, family/model/stepping/vendor/model-id...)."""
    oc.fields["parent_realize"] = oc.fields.get("realize")
    oc.fields["realize"] = x86_cpu_realizefn
    oc.fields["class_by_name"] = x86_cpu_class_by_name
    oc.fields["parse_features"] = x86_cpu_parse_featurestr
    oc.fields["user_creatable"] = True
    oc.fields["model"] = None
    oc.fields["ordering"] = 0
    oc.properties.update(x86_class_properties())


@traced(SRC, args=lambda oc, data: {"type": oc.name})
def x86_cpu_cpudef_class_init(oc: ObjectClass, data: CPUModel) -> None:
    """A named CPU model's class: which definition and version it stands for."""
    oc.fields["model"] = data
    oc.fields["migration_safe"] = True
    oc.fields["deprecation_note"] = data.definition.deprecation_note


@traced(SRC, args=lambda oc, data: {"type": oc.name})
def max_x86_cpu_class_init(oc: ObjectClass, data: Any) -> None:
    """``max``: every feature the accelerator supports; listed after the named models."""
    oc.fields["ordering"] = 9
    oc.fields["model_description"] = special_models()["max"]["help"]
    oc.properties["migratable"] = ObjectProperty(
        "migratable", "bool", lambda obj: cpu_state(obj).migratable,
        lambda obj, v: setattr(cpu_state(obj), "migratable", bool(v)))
    oc.properties["host-cache-info"] = _plain_property("host-cache-info", "bool")


@traced("target/i386/host-cpu.c", args=lambda oc, data: {"type": oc.name})
def host_cpu_class_init(oc: ObjectClass, data: Any) -> None:
    """``host``: like max, but taken from the host CPU, so it needs KVM (or HVF)."""
    oc.fields["host_cpuid_required"] = True
    oc.fields["ordering"] = 8
    oc.fields["model_description"] = special_models()["host"]["help"]


@traced(SRC, args=lambda oc, data: {"type": oc.name})
def x86_cpu_base_class_init(oc: ObjectClass, data: Any) -> None:
    """``base``: no features at all, a static starting point for expansions."""
    oc.fields["static_model"] = True
    oc.fields["ordering"] = 8
    oc.fields["model_description"] = special_models()["base"]["help"]


# ---- instance hooks ----------------------------------------------------------------------------

@traced(SRC, args=lambda obj: {"type": obj.typename})
def x86_cpu_initfn(obj: Object) -> None:
    """Create the CPU state, add the legacy feature-name aliases, and load the named model."""
    obj.state["x86"] = X86CPUState()
    table = feature_table()
    for alias, target in table.aliases.items():
        prop = obj.klass.find_property(target)
        if prop is not None:  # an alias property of its own: errors name it as the user typed it
            obj.properties[alias] = dataclasses.replace(prop, name=alias)
    point("feature_aliases", f"{len(table.aliases)} legacy feature names added as aliases",
          aliases=dict(table.aliases))
    model: CPUModel | None = obj.klass.fields.get("model")
    if model is not None:
        x86_cpu_load_model(obj, model)


@traced(SRC, args=lambda obj, model: {"type": obj.typename, "definition": model.definition.name,
                                      "version": model.version})
def x86_cpu_load_model(obj: Object, model: CPUModel) -> None:
    """Load a definition: minimum levels, family/model/stepping/model-id, its feature bits,
    the hypervisor bit, the vendor, then the props of every version up to the resolved one.
    What the definition and versions set is not "user" choice: ``user_features`` is cleared."""
    cpu = cpu_state(obj)
    d = model.definition
    cpu.props.update({"min-level": d.level, "min-xlevel": d.xlevel, "min-xlevel2": d.xlevel2,
                      "family": d.family, "model": d.model, "stepping": d.stepping, "model-id": d.model_id,
                      "legacy-cache": not d.cache_info})
    with cpu.because("model", f"{d.name} definition"):
        for name in sorted(d.features):
            cpu.set_feature(name, True)
        for word, mask in d.unnamed_bits:
            cpu.features[word] |= mask
        cpu.set_feature("hypervisor", True)
    cpu.props["vendor"] = d.vendor
    x86_cpu_apply_version_props(obj, model)
    cpu.user_features = [0] * len(cpu.user_features)


@traced(SRC, args=lambda obj, model: {"type": obj.typename})
def x86_cpu_apply_version_props(obj: Object, model: CPUModel) -> None:
    """Apply each version's property changes, v2 up to the resolved version, in order.
    Unversioned names resolve through the machine's default version; LEGACY applies none."""
    version = resolve_version(model, _DEFAULT_VERSION[0])
    if version == CPU_VERSION_LEGACY:
        return
    cpu = cpu_state(obj)
    for v in model.definition.versions:
        if v.number > version:
            break
        with cpu.because("version", f"{model.definition.name}-v{v.number}"):
            for prop, value in v.props.items():
                object_property_set(obj, prop, value)


# QEMU keeps the default version in a static variable that x86_cpus_init sets (initially 1).
_DEFAULT_VERSION = [1]


@traced(SRC, args=lambda q, version: {"version": version})
def x86_cpu_set_default_version(q: QemuInit, version: int) -> None:
    """Fix the version unversioned CPU model names resolve to (set by the machine's board code)."""
    _DEFAULT_VERSION[0] = version


def reset_default_version() -> None:
    """A new model run starts with QEMU's static default (version 1)."""
    _DEFAULT_VERSION[0] = 1


def make_x86_cpu_post_initfn(q: QemuInit) -> Any:
    """``x86_cpu_post_initfn`` bound to this run (it needs the accelerator and host profile)."""

    @traced(SRC, name="x86_cpu_post_initfn", args=lambda obj: {"type": obj.typename, "accel": q.accel})
    def x86_cpu_post_initfn(obj: Object) -> None:
        """Let the accelerator adjust the new CPU before any global property applies."""
        obj.state["q"] = q
        accel_cpu_instance_init(q, obj)

    return x86_cpu_post_initfn


@traced(SRC, args=lambda obj: {"type": obj.typename})
def max_x86_cpu_initfn(obj: Object) -> None:
    """``max``: expand to every supported feature at realize; TCG identity and a PMU by default."""
    cpu = cpu_state(obj)
    cpu.max_features = True
    cpu.props["pmu"] = True
    info = special_models()["max"]
    cpu.props.update({"vendor": info["vendor"], "family": info["family"], "model": info["model"],
                      "stepping": info["stepping"], "model-id": info["model-id"]})


# ---- -cpu name lookup -------------------------------------------------------------------------

@traced(SRC, args=lambda q, cpu_model: {"model": cpu_model}, ret=lambda oc: oc.name if oc is not None else None)
def x86_cpu_class_by_name(q: QemuInit, cpu_model: str) -> ObjectClass | None:
    """``<model>-x86_64-cpu``, looked up (and initialised) by type name."""
    return q.types.object_class_by_name(cpu_model + SUFFIX)


@traced("hw/core/cpu-common.c", args=lambda q, typename, cpu_model: {"type": typename, "model": cpu_model},
        ret=lambda oc: oc.name if oc is not None else None)
def cpu_class_by_name(q: QemuInit, typename: str, cpu_model: str) -> ObjectClass | None:
    """Ask the target's CPU base class to resolve a ``-cpu`` model name."""
    cc = q.types.object_class_by_name(typename)
    assert cc is not None and cc.fields.get("class_by_name") is not None
    by_name = cc.fields["class_by_name"]
    result: ObjectClass | None = by_name(q, cpu_model)
    return result


@traced("cpu.c", args=lambda q, cpu_option: {"option": cpu_option}, ret=lambda typename: typename)
def parse_cpu_option(q: QemuInit, cpu_option: str) -> str:
    """Split ``-cpu MODEL,FEATURES`` at the first comma, find the model's class, then hand the
    feature string to the class's ``parse_features`` (which registers global properties)."""
    pieces = cpu_option.split(",", 1)
    if cpu_option == "":
        q.console.error_report("-cpu option cannot be empty")
        raise q.exit(1)
    oc = cpu_class_by_name(q, TYPE_X86_CPU, pieces[0])
    if oc is None:
        q.console.error_report(f"unable to find CPU model '{pieces[0]}'")
        raise q.exit(1)
    # cc->parse_features, which x86_cpu_common_class_init set to x86_cpu_parse_featurestr
    parse_features = oc.fields["parse_features"]
    try:
        parse_features(q, oc.name, pieces[1] if len(pieces) > 1 else None)
    except QemuError as err:
        raise q.console.fatal(err) from None
    return oc.name
