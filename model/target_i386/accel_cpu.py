"""What the accelerator does to a new x86 CPU (tcg/tcg-cpu.c, kvm/kvm-cpu.c, host-cpu.c).

Under TCG a named model gets TCG's default properties (``vme=off``). Under KVM a named model
gets KVM's defaults and the host's vendor; ``max``/``host`` copy the host CPU's identity and
use its physical address bits. KVM cannot run where vmtrace runs, so "the host" is a recorded
host CPU profile (see :mod:`model.target_i386.host_profile`).
"""

from __future__ import annotations

from model.qom.object import Object, object_property_parse
from model.state import QemuInit
from model.target_i386.cpu_qom import cpu_state
from model.target_i386.host_profile import host_profile
from tracer.recorder import point, traced

# What each accelerator sets on a named model at instance post-init (tcg_default_props and
# kvm_default_props, facts of QEMU 7.2); applied before any global property, so -cpu wins.
TCG_DEFAULT_PROPS = (("vme", "off"),)
KVM_DEFAULT_PROPS = (("kvmclock", "on"), ("kvm-nopiodelay", "on"), ("kvm-asyncpf", "on"),
                     ("kvm-steal-time", "on"), ("kvm-pv-eoi", "on"), ("kvmclock-stable-bit", "on"),
                     ("x2apic", "on"), ("kvm-msi-ext-dest-id", "off"), ("acpi", "off"), ("monitor", "off"),
                     ("svm", "off"))


@traced("accel/accel-common.c", args=lambda q, obj: {"type": obj.typename, "accel": q.accel})
def accel_cpu_instance_init(q: QemuInit, obj: Object) -> None:
    """Run the accelerator's CPU instance hook."""
    if q.accel == "kvm":
        kvm_cpu_instance_init(q, obj)
    else:
        tcg_cpu_instance_init(q, obj)


def _apply_props(obj: Object, props: tuple[tuple[str, str], ...], reason: str) -> None:
    cpu = cpu_state(obj)
    with cpu.because("accel-default", reason):
        for name, value in props:
            if obj.find_property(name) is not None:
                object_property_parse(obj, name, value)


@traced("target/i386/tcg/tcg-cpu.c", args=lambda q, obj: {"type": obj.typename})
def tcg_cpu_instance_init(q: QemuInit, obj: Object) -> None:
    """Named models under TCG: apply ``tcg_default_props`` (vme=off)."""
    if obj.klass.fields.get("model") is not None:
        _apply_props(obj, TCG_DEFAULT_PROPS, "tcg_default_props")


@traced("target/i386/kvm/kvm-cpu.c", args=lambda q, obj: {"type": obj.typename})
def kvm_cpu_instance_init(q: QemuInit, obj: Object) -> None:
    """Named models under KVM: host vendor and ``kvm_default_props``; max/host: the host CPU."""
    profile = host_profile(q)
    cpu = cpu_state(obj)
    if not cpu.props.get("tsc-frequency"):
        cpu.props["tsc-frequency"] = profile.tsc_frequency  # KVM reports the host TSC rate
    if obj.klass.fields.get("model") is not None:
        cpu.props["vendor"] = profile.vendor
        _apply_props(obj, KVM_DEFAULT_PROPS, "kvm_default_props")
    if cpu.max_features:
        kvm_cpu_max_instance_init(q, obj)


@traced("target/i386/kvm/kvm-cpu.c", args=lambda q, obj: {"type": obj.typename})
def kvm_cpu_max_instance_init(q: QemuInit, obj: Object) -> None:
    """``max``/``host`` under KVM: the host's vendor, family, model, stepping, model-id and levels,
    and physical address bits taken from the host."""
    profile = host_profile(q)
    cpu = cpu_state(obj)
    point("host_cpu_profile", f"the host CPU is profile {profile.name} ({profile.model_id.strip()}): "
          f"KVM offers {len(profile.features)} features", profile=profile.name, offered=sorted(profile.features))
    cpu.props.update({"vendor": profile.vendor, "family": profile.family, "model": profile.model,
                      "stepping": profile.stepping, "model-id": profile.model_id,
                      "min-level": profile.level, "min-xlevel": profile.xlevel, "host-phys-bits": True})
    cpu.props["lmce"] = cpu.props.get("lmce", False)
