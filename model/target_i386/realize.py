"""``x86_cpu_realizefn``: turn the requested CPU into the one the guest sees.

Order (QEMU 7.2, checked against the binary under gdb): APIC id check; expand features
(``+feat`` then ``-feat``, then for max/host every supported feature the user did not set,
then feature dependencies, XSAVE components and CPUID levels); filter what the accelerator
lacks (warning per bit when ``check`` or ``enforce``); fail on ``enforce``; the accelerator's
realize (``cpu_exec_realizefn``); ``host`` fails without KVM; physical address bits; cache
info; the local APIC, created then realized.
"""

from __future__ import annotations

from model.errors import QemuError
from model.qom.object import Object, object_property_set
from model.qom.qdev import qdev_new, qdev_realize
from model.softmmu.physmem import address_space_init, memory_region_add_subregion, memory_region_add_subregion_overlap
from model.softmmu.region_init import UINT64_MAX, memory_region_init, memory_region_init_alias, memory_region_init_io
from model.state import QemuInit
from model.target_i386.cpu_qom import cpu_state, model_name
from model.target_i386.featurewords import MASK64
from model.target_i386.host_profile import host_profile
from model.target_i386.state import UINT32_MAX, UNASSIGNED_APIC_ID, X86CPUState
from model.target_i386.xsave import XCR0_MASK, XSAVE_COMPONENTS, XSS_MASK, components_for
from tracer.recorder import block, point, traced

SRC = "target/i386/cpu.c"
TARGET_PHYS_ADDR_SPACE_BITS = 52
TCG_PHYS_ADDR_BITS = 40

# Words whose use raises the minimum CPUID level when full-cpuid-auto-level is on (by leaf).
AUTO_LEVEL_WORDS = ((1, None, "EDX"), (1, None, "ECX"), (6, None, "EAX"), (7, 0, "ECX"), (7, 1, "EAX"),
                    (0x80000001, None, "EDX"), (0x80000001, None, "ECX"), (0x80000007, None, "EDX"),
                    (0x80000008, None, "EBX"), (0xC0000001, None, "EDX"), (0x8000000A, None, "EDX"),
                    (0xD, 1, "EAX"))
VAPIC_IO_PORT = 0x7E
APIC_DEFAULT_ADDRESS = 0xFEE00000
APIC_SPACE_SIZE = 0x100000  # the MSI window: 1 MiB
APIC_MSI_PRIORITY = 0x1000  # above everything else in system memory
AMD_ALIASES_MASK = 0x0183F3FF  # CPUID[8000_0001].EDX bits that mirror CPUID[1].EDX on AMD


def _q(obj: Object) -> QemuInit:
    q: QemuInit = obj.state["q"]
    return q


@traced(SRC, args=lambda obj: {"type": obj.typename})
def x86_cpu_realizefn(obj: Object) -> None:
    """Realize an x86 CPU: check the APIC id, expand the requested features, drop (and warn
    about) what the accelerator lacks, fail on ``enforce``, fix the physical address bits, then
    run the accelerator's realize, where ``host`` fails without KVM."""
    q = _q(obj)
    cpu = cpu_state(obj)
    if cpu.props["apic-id"] == UNASSIGNED_APIC_ID:
        raise QemuError("apic-id property was not initialized properly")
    x86_cpu_hyperv_realize(q, obj)
    x86_cpu_expand_features(q, obj)
    apply_lbr_format(q, obj, cpu)
    verbose = bool(cpu.props.get("check")) or bool(cpu.props.get("enforce"))
    x86_cpu_filter_features(q, obj, verbose)
    if cpu.props.get("enforce") and any(cpu.filtered):
        with cpu.because("enforce"):
            point("enforce", "enforce=on and some requested features are unavailable")
        raise QemuError("Host doesn't support requested features" if q.accel == "kvm"
                        else "TCG doesn't support requested features")
    if cpu.props.get("vendor") == "AuthenticAMD":
        w1, wx = _word_index(cpu, 1, None, "EDX"), _word_index(cpu, 0x80000001, None, "EDX")
        cpu.features[wx] = (cpu.features[wx] & ~AMD_ALIASES_MASK) | (cpu.features[w1] & AMD_ALIASES_MASK)
    # The accelerator's realize comes after feature expansion and before the checks of
    # phys-bits and friends, which it may set (KVM's host_cpu_realizefn picks the host's).
    cpu_exec_realizefn(q, obj)
    if obj.klass.fields.get("host_cpuid_required") and q.accel != "kvm":
        raise QemuError(f"CPU model '{model_name(obj.typename)}' requires KVM or HVF")
    x86_cpu_phys_bits(q, obj)
    model = obj.klass.fields.get("model")
    if not cpu.props.get("legacy-cache", True) and (model is None or not model.definition.cache_info):
        raise QemuError(f"CPU model '{model_name(obj.typename)}' doesn't support legacy-cache=off")
    smp = q.machine.state["smp"] if q.machine is not None else {"threads": 1, "cpus": 1}
    threads = smp["threads"]
    if cpu.props.get("vendor") == "AuthenticAMD" and not cpu.has("topoext") and threads > 1 \
            and not q.cpu_features.ht_warned:
        q.cpu_features.ht_warned = True
        q.console.warn_report(f"This family of AMD CPU doesn't support hyperthreading({threads})")
        q.console.error_printf("Please configure -smp options properly or try enabling topoext feature.")
    if cpu.has("apic") or smp["cpus"] > 1:
        x86_cpu_apic_create(q, obj)
        x86_cpu_apic_realize(q, obj)
    cpu.props["realized"] = True


@traced(SRC, args=lambda q, obj: {"type": obj.typename})
def x86_cpu_apic_create(q: QemuInit, obj: Object) -> None:
    """Give the CPU its local APIC: an ``apic`` device under TCG (``kvm-apic`` with KVM's
    in-kernel irqchip), created here and realized once the vCPU exists."""
    apic_type = "kvm-apic" if q.accel == "kvm" else "apic"
    oc = q.types.object_class_by_name(apic_type)
    assert oc is not None
    obj.state["apic"] = q.types.object_new_with_class(oc)


VAPIC_ROM = "kvmvapic.bin"


def x86_cpu_apic_realize(q: QemuInit, obj: Object) -> None:
    """A step of ``x86_cpu_realizefn`` (static in QEMU, and inlined): realize the APIC. The
    first APIC also creates the ``kvmvapic`` device (the TPR patching helper)."""
    with block("x86_cpu_realizefn: realize the local APIC", SRC):
        apic: Object = obj.state["apic"]
        qdev_realize(apic)
        # apic_realize (kvm_apic_realize under KVM): the MMIO window MSIs are written to.
        msi = "kvm-apic-msi" if apic.typename == "kvm-apic" else "apic-msi"
        window = memory_region_init_io(q.types, apic.typename, msi, APIC_SPACE_SIZE)
        mm = q.memory_map
        if q.accel != "kvm" and q.kvmvapic is None:
            vapic = qdev_new(q.types, "kvmvapic")
            q.kvmvapic = vapic
            qdev_realize(vapic)
            ports = memory_region_init_io(q.types, vapic.typename, "kvmvapic", 2)  # vapic_realize
            q.option_roms.append(VAPIC_ROM)  # vapic_realize: the ROM the board loads for it
            assert mm.io is not None
            memory_region_add_subregion(q.types, mm, mm.io, VAPIC_IO_PORT, ports)  # sysbus_add_io
        if not q.apic_mmio_mapped:  # the APIC's MMIO window, mapped once for all CPUs
            q.apic_mmio_mapped = True
            assert mm.system is not None
            memory_region_add_subregion_overlap(q.types, mm, mm.system, APIC_DEFAULT_ADDRESS, window,
                                                APIC_MSI_PRIORITY)


@traced("cpu.c", args=lambda q, obj: {"type": obj.typename, "accel_cpu": obj.klass.fields.get("accel_cpu")})
def cpu_exec_realizefn(q: QemuInit, obj: Object) -> None:
    """The accelerator's CPU realize (``tcg_cpu_realizefn`` or ``kvm_cpu_realizefn``). Under TCG
    it gives the CPU its own address-space root: a ``memory`` container holding an alias of
    system memory, then the address spaces ``cpu-memory-N`` (system memory) and ``cpu-smm-N``
    (that root, which gains SMRAM when the machine is done)."""
    if q.accel != "kvm":
        mm = q.memory_map
        assert mm.system is not None
        root = memory_region_init(q.types, obj.typename, "memory", UINT64_MAX)
        alias = memory_region_init_alias(q.types, obj.typename, "memory", UINT64_MAX, mm.system)
        memory_region_add_subregion_overlap(q.types, mm, root, 0, alias, 0)
        cpu_state(obj).as_root = root
        n = len(q.cpus)
        address_space_init(q.types, mm, mm.system, f"cpu-memory-{n}")
        address_space_init(q.types, mm, root, f"cpu-smm-{n}")


def _word_index(cpu: X86CPUState, eax: int, ecx: int | None, reg: str) -> int:
    for w in cpu.table.words:
        if w.kind == "cpuid" and w.cpuid_eax == eax and w.register == reg and (ecx is None or w.cpuid_ecx == ecx):
            return w.index
    raise KeyError((eax, ecx, reg))


@traced(SRC, args=lambda q, obj: {"type": obj.typename})
def x86_cpu_hyperv_realize(q: QemuInit, obj: Object) -> None:
    """Hyper-V enlightenments are settled first, before any feature is expanded or filtered:
    a VP index the guest may set needs KVM's support, so ``hv-vpindex`` fails without KVM
    ahead of ``enforce``, ``phys-bits`` or ``host`` errors."""
    if cpu_state(obj).props.get("hv-vpindex") and q.accel != "kvm":
        raise QemuError("kernel doesn't allow setting HyperV VP_INDEX")


def supported_mask(q: QemuInit, cpu: X86CPUState, word: int, migratable: bool, autoenable: bool = False) -> int:
    """What the accelerator offers in a word: TCG's harvested support, or the host profile's.

    ``autoenable``: only what ``-cpu host``/``max`` may turn on by themselves. KVM also offers
    features QEMU never enables blindly (``no_autoenable_flags``: ``topoext`` needs a consistent
    cache topology), so a named model asking for them is not filtered on a host that has them.
    """
    w = cpu.table.words[word]
    if q.accel == "kvm":
        profile = host_profile(q)
        offered = profile.features if autoenable else profile.features | profile.kvm_extra
        if w.kind == "cpuid" and w.cpuid_eax == 0xD and w.cpuid_ecx == 0:
            # XCR0: the components the host's kernel enabled and KVM passes on, not feature names.
            return profile.xcr0 & 0xFFFFFFFF if w.register == "EAX" else profile.xcr0 >> 32
        return sum(1 << b for b, n in w.names.items() if n in offered)
    return w.tcg_supported


@traced(SRC, args=lambda q, obj: {"type": obj.typename,
                                  "plus": list(q.cpu_features.plus),
                                  "minus": list(q.cpu_features.minus)})
def x86_cpu_expand_features(q: QemuInit, obj: Object) -> None:
    """+feat, -feat, max/host expansion, dependencies, XSAVE components, CPUID levels."""
    cpu = cpu_state(obj)
    with cpu.because("plus", "+feat on the -cpu option"):
        for name in q.cpu_features.plus:
            object_property_set(obj, name, True)
    with cpu.because("minus", "-feat on the -cpu option"):
        for name in q.cpu_features.minus:
            object_property_set(obj, name, False)
    if cpu.max_features:
        reason = "host" if q.accel == "kvm" else "max"
        with cpu.because(reason, f"{model_name(obj.typename)}: everything the accelerator supports"):
            for w in cpu.table.words:
                if q.accel == "kvm":
                    offer = supported_mask(q, cpu, w.index, cpu.migratable, autoenable=True)
                else:
                    offer = w.max_mask if cpu.migratable else w.max_mask_unmigratable
                add = offer & ~cpu.user_features[w.index] & ~cpu.features[w.index]
                cpu.set_word_bits(w.index, add, True)
    apply_feature_dependencies(q, cpu)
    if q.accel != "kvm" or not cpu.props.get("kvm", True):
        kvm_leaf = _word_index(cpu, 0x40000001, None, "EAX")
        cpu.features[kvm_leaf] = 0  # the KVM paravirt leaf exists only under KVM: zeroed, not filtered
    enable_xsave_components(cpu)
    smp = q.machine.state.get("smp", {}) if q.machine is not None else {}
    adjust_levels(cpu, int(smp.get("dies", 1)))


def apply_feature_dependencies(q: QemuInit, cpu: X86CPUState) -> None:
    """A feature whose prerequisite is off is dropped; warn only if the user asked for it.

    QEMU walks its dependency edges once, in order; the warnings come out in that edge order,
    which the harvest observed (``dependency_warning_order``) and which is used to sort them.
    """
    table = cpu.table
    order = table.warning_order
    warned: list[tuple[int, int, int]] = []
    with cpu.because("dependency"):
        for parent, children in table.dependencies:
            if cpu.has(parent):
                continue
            for child in children:
                where = table.mask_of(child)
                if where is None or not cpu.features[where[0]] & where[1]:
                    continue
                word, mask = where
                present = cpu.features[word] & mask
                asked = present & cpu.user_features[word]
                cpu.filtered[word] |= asked
                warned += [(order.get(child, len(order)), word, b) for b in range(64) if asked >> b & 1]
                cpu.detail = f"needs {parent}, which is off"
                cpu.set_word_bits(word, present, False)
            for word in table.whole_words.get(parent, ()):
                cpu.features[word] = 0  # QEMU's edge covers the whole word, unnamed bits included
    for _, word, bit in sorted(warned):
        q.console.warn_report("This feature depends on other features that were not requested: "
                              + table.describe_bit(word, bit))


def apply_lbr_format(q: QemuInit, obj: Object, cpu: X86CPUState) -> None:
    """``lbr-fmt=N`` writes the LBR format field (bits 0-5) of the PERF_CAPABILITIES MSR word
    (the property itself refuses other bits; its default, all bits but those, means unset)."""
    lbr_fmt_mask = 0x3F
    value = cpu.props.get("lbr-fmt")
    if not isinstance(value, int) or value == MASK64 & ~lbr_fmt_mask:
        return
    word = next(w.index for w in cpu.table.words if w.kind == "msr" and w.msr_index == 0x345)
    cpu.features[word] = (cpu.features[word] & ~lbr_fmt_mask) | value


def enable_xsave_components(cpu: X86CPUState) -> None:
    """XCR0/XSS component words follow from the features that own each state component.

    Derived before filtering, from what was requested: a component the accelerator lacks is
    then filtered with the rest (under KVM, against the host profile's ``xcr0``)."""
    lo = _word_index(cpu, 0xD, 0, "EAX")
    hi = _word_index(cpu, 0xD, 0, "EDX")
    xss_lo = _word_index(cpu, 0xD, 1, "ECX")
    xss_hi = _word_index(cpu, 0xD, 1, "EDX")
    if not cpu.has("xsave"):
        for w in (lo, hi):
            cpu.features[w] = 0
        return
    mask = components_for(name for name in set(XSAVE_COMPONENTS.values()) if cpu.has(name))
    cpu.features[lo] = mask & XCR0_MASK & 0xFFFFFFFF
    cpu.features[hi] = (mask & XCR0_MASK) >> 32
    cpu.features[xss_lo] = mask & XSS_MASK & 0xFFFFFFFF
    cpu.features[xss_hi] = (mask & XSS_MASK) >> 32


def adjust_levels(cpu: X86CPUState, nr_dies: int = 1) -> None:
    """Raise the minimum CPUID levels to the leaves the enabled features live in, then give
    every level the user did not set its minimum. An Intel CPU in a package of several dies
    describes them in leaf 0x1F, so ``-smp dies=N`` (N > 1) raises the level to 0x1F."""
    props = cpu.props

    def need(eax: int, ecx: int | None) -> None:
        region = eax & 0xF0000000
        key = {0: "min-level", 0x80000000: "min-xlevel", 0xC0000000: "min-xlevel2"}.get(region)
        if key is not None and props[key] < eax:
            props[key] = eax
        if eax == 7 and ecx is not None and props["min-level-func7"] < ecx:
            props["min-level-func7"] = ecx

    w7 = _word_index(cpu, 7, 0, "EBX")
    if cpu.features[w7]:
        need(7, 0)
    if props.get("full-cpuid-auto-level", True):
        for eax, ecx, reg in AUTO_LEVEL_WORDS:
            try:
                index = _word_index(cpu, eax, ecx, reg)
            except KeyError:
                continue
            if cpu.features[index]:
                need(eax, ecx)
        if cpu.has("svm"):
            need(0x8000000A, None)
        if cpu.has("intel-pt"):
            need(0x14, None)
        if cpu.has("sgx"):
            need(0x12, None)
        if nr_dies > 1 and props.get("vendor") == "GenuineIntel":
            need(0x1F, None)
    for level, minimum in (("level-func7", "min-level-func7"), ("level", "min-level"), ("xlevel", "min-xlevel"),
                           ("xlevel2", "min-xlevel2")):
        if props[level] == UINT32_MAX:
            props[level] = props[minimum]


@traced(SRC, args=lambda q, obj, verbose: {"type": obj.typename, "verbose": verbose})
def x86_cpu_filter_features(q: QemuInit, obj: Object, verbose: bool) -> None:
    """Drop every requested bit the accelerator cannot provide, word by word, warning per bit."""
    cpu = cpu_state(obj)
    prefix = "host doesn't support requested feature" if q.accel == "kvm" else "TCG doesn't support requested feature"
    force = bool(cpu.props.get("x-force-features"))
    with cpu.because("filtered", "TCG lacks it" if q.accel != "kvm" else "the host lacks it"):
        for w in cpu.table.words:
            missing = cpu.features[w.index] & ~supported_mask(q, cpu, w.index, False) & MASK64
            if not missing:
                continue
            cpu.filtered[w.index] |= missing
            if not force:
                cpu.set_word_bits(w.index, missing, False)
            if verbose:
                for bit in range(64):
                    if missing >> bit & 1:
                        q.console.warn_report(f"{prefix}: {cpu.table.describe_bit(w.index, bit)}")


PHYS_BITS_DOC = ("Physical address bits: 64-bit CPUs take the user's value (32..52), the host's, or 40; "
                 "32-bit ones follow PSE36 and refuse a user value.")


def x86_cpu_phys_bits(q: QemuInit, obj: Object) -> None:
    """A block of ``x86_cpu_realizefn``, shown as its own frame."""
    with block("x86_cpu_realizefn: physical address bits", SRC, PHYS_BITS_DOC, type=obj.typename):
        _phys_bits(q, obj)


def _phys_bits(q: QemuInit, obj: Object) -> None:
    cpu = cpu_state(obj)
    phys = int(cpu.props.get("phys-bits") or 0)
    if cpu.has("lm"):
        if phys and not 32 <= phys <= TARGET_PHYS_ADDR_SPACE_BITS:
            raise QemuError(f"phys-bits should be between 32 and {TARGET_PHYS_ADDR_SPACE_BITS}  (but is {phys})")
        if cpu.props.get("host-phys-bits") and q.accel == "kvm":
            phys = host_profile(q).phys_bits
        if phys == 0:
            phys = TCG_PHYS_ADDR_BITS
    else:
        if phys:
            raise QemuError("phys-bits is not user-configurable in 32 bit")
        phys = 36 if cpu.has("pse36") else 32
    cpu.props["phys-bits"] = phys
