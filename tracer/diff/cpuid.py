"""Names of the CPUID feature bits QEMU 7.2 reports in a CPU's ``feature-words`` property.

QMP's ``qom-get feature-words`` (and ``filtered-features``) gives each CPUID feature word as
``{"cpuid-input-eax": leaf, "cpuid-input-ecx": subleaf (only for leaves that need it),
"cpuid-register": "EAX".."EDX", "features": bits}``; it says nothing about which feature each
bit is. The names below are the ``feat_names`` of QEMU 7.2's ``feature_word_info[]``
(``target/i386/cpu.c``) for the CPUID words, i.e. the QOM property names a user writes in
``-cpu X,+name``. MSR-based words (``vmx-*``, ``arch-capabilities`` bits) are not CPUID words
and are not part of ``feature-words``. ``tests/test_diff_cpuid_live.py`` checks this table
against the real binary: for several CPU models every named bit must equal the boolean QOM
property of the same name.
"""

from __future__ import annotations

from typing import Any

WordKey = tuple[int, int | None, str]
"""``(leaf, subleaf or None, register)``: identifies one CPUID feature word."""

_N = None

# fmt: off
CPUID_BIT_NAMES: dict[WordKey, tuple[str | None, ...]] = {
    (0x1, None, "EDX"): (
        "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce",
        "cx8", "apic", _N, "sep", "mtrr", "pge", "mca", "cmov",
        "pat", "pse36", "pn", "clflush", _N, "ds", "acpi", "mmx",
        "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
    ),
    (0x1, None, "ECX"): (
        "pni", "pclmulqdq", "dtes64", "monitor", "ds-cpl", "vmx", "smx", "est",
        "tm2", "ssse3", "cid", _N, "fma", "cx16", "xtpr", "pdcm",
        _N, "pcid", "dca", "sse4.1", "sse4.2", "x2apic", "movbe", "popcnt",
        "tsc-deadline", "aes", "xsave", _N, "avx", "f16c", "rdrand", "hypervisor",
    ),
    (0x80000001, None, "EDX"): (
        _N, _N, _N, _N, _N, _N, _N, _N,
        _N, _N, _N, "syscall", _N, _N, _N, _N,
        _N, _N, _N, _N, "nx", _N, "mmxext", _N,
        _N, "fxsr-opt", "pdpe1gb", "rdtscp", _N, "lm", "3dnowext", "3dnow",
    ),
    (0x80000001, None, "ECX"): (
        "lahf-lm", "cmp-legacy", "svm", "extapic", "cr8legacy", "abm", "sse4a", "misalignsse",
        "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", _N, "lwp",
        "fma4", "tce", _N, "nodeid-msr", _N, "tbm", "topoext", "perfctr-core",
        "perfctr-nb", _N, _N, _N, _N, _N, _N, _N,
    ),
    (0xC0000001, None, "EDX"): (
        _N, _N, "xstore", "xstore-en", _N, _N, "xcrypt", "xcrypt-en",
        "ace2", "ace2-en", "phe", "phe-en", "pmm", "pmm-en", _N, _N,
        *(_N,) * 16,
    ),
    (0x40000001, None, "EAX"): (
        "kvmclock", "kvm-nopiodelay", "kvm-mmu", "kvmclock", "kvm-asyncpf", "kvm-steal-time", "kvm-pv-eoi",
        "kvm-pv-unhalt", _N, "kvm-pv-tlb-flush", _N, "kvm-pv-ipi", "kvm-poll-control", "kvm-pv-sched-yield",
        "kvm-asyncpf-int", "kvm-msi-ext-dest-id", _N, _N, _N, _N, _N, _N, _N, _N,
        "kvmclock-stable-bit", _N, _N, _N, _N, _N, _N, _N,
    ),
    (0x40000001, None, "EDX"): ("kvm-hint-dedicated", *(_N,) * 31),
    (0x8000000A, None, "EDX"): (
        "npt", "lbrv", "svm-lock", "nrip-save", "tsc-scale", "vmcb-clean", "flushbyasid", "decodeassists",
        _N, _N, "pause-filter", _N, "pfthreshold", "avic", _N, "v-vmsave-vmload",
        "vgif", _N, _N, _N, _N, _N, _N, _N,
        _N, _N, _N, _N, "svme-addr-chk", _N, _N, _N,
    ),
    (0x7, 0, "EBX"): (
        "fsgsbase", "tsc-adjust", "sgx", "bmi1", "hle", "avx2", _N, "smep",
        "bmi2", "erms", "invpcid", "rtm", _N, _N, "mpx", _N,
        "avx512f", "avx512dq", "rdseed", "adx", "smap", "avx512ifma", "pcommit", "clflushopt",
        "clwb", "intel-pt", "avx512pf", "avx512er", "avx512cd", "sha-ni", "avx512bw", "avx512vl",
    ),
    (0x7, 0, "ECX"): (
        _N, "avx512vbmi", "umip", "pku", _N, "waitpkg", "avx512vbmi2", _N,
        "gfni", "vaes", "vpclmulqdq", "avx512vnni", "avx512bitalg", _N, "avx512-vpopcntdq", _N,
        "la57", _N, _N, _N, _N, _N, "rdpid", _N,
        "bus-lock-detect", "cldemote", _N, "movdiri", "movdir64b", _N, "sgxlc", "pks",
    ),
    (0x7, 0, "EDX"): (
        _N, _N, "avx512-4vnniw", "avx512-4fmaps", "fsrm", _N, _N, _N,
        "avx512-vp2intersect", _N, "md-clear", _N, _N, _N, "serialize", _N,
        "tsx-ldtrk", _N, _N, "arch-lbr", _N, _N, "amx-bf16", "avx512-fp16",
        "amx-tile", "amx-int8", "spec-ctrl", "stibp", _N, "arch-capabilities", "core-capability", "ssbd",
    ),
    (0x7, 1, "EAX"): (_N, _N, _N, _N, "avx-vnni", "avx512-bf16", *(_N,) * 26),
    (0x80000007, None, "EDX"): (*(_N,) * 8, "invtsc", *(_N,) * 23),
    (0x80000008, None, "EBX"): (
        "clzero", _N, "xsaveerptr", _N, _N, _N, _N, _N,
        _N, "wbnoinvd", _N, _N, "ibpb", _N, "ibrs", "amd-stibp",
        _N, _N, _N, _N, _N, _N, _N, _N,
        "amd-ssbd", "virt-ssbd", "amd-no-ssb", _N, _N, _N, _N, _N,
    ),
    (0xD, 1, "EAX"): ("xsaveopt", "xsavec", "xgetbv1", "xsaves", "xfd", *(_N,) * 27),
    (0xD, 1, "ECX"): (_N,) * 32,
    (0xD, 1, "EDX"): (_N,) * 32,
    (0x6, None, "EAX"): (_N, _N, "arat", *(_N,) * 29),
    (0xD, 0, "EAX"): (_N,) * 32,
    (0xD, 0, "EDX"): (_N,) * 32,
    (0x14, 0, "ECX"): (*(_N,) * 31, "intel-pt-lip"),
    (0x12, 0, "EAX"): ("sgx1", "sgx2", *(_N,) * 30),
    (0x12, 0, "EBX"): ("sgx-exinfo", *(_N,) * 31),
    (0x12, 1, "EAX"): (_N, "sgx-debug", "sgx-mode64", _N, "sgx-provisionkey", "sgx-tokenkey", _N, "sgx-kss",
                       *(_N,) * 24),
}
# fmt: on

XSAVE_COMPONENTS = {(0xD, 0, "EAX"), (0xD, 0, "EDX"), (0xD, 1, "ECX"), (0xD, 1, "EDX")}
"""Words that hold XSAVE state-component masks (XCR0/XSS), not named features."""


def word_key(word: dict[str, Any]) -> WordKey | None:
    """The identity of a QMP ``X86CPUFeatureWordInfo`` object, or None if it is malformed."""
    leaf = word.get("cpuid-input-eax")
    subleaf = word.get("cpuid-input-ecx")
    reg = word.get("cpuid-register")
    if not isinstance(leaf, int) or not isinstance(reg, str) or not (subleaf is None or isinstance(subleaf, int)):
        return None
    return (leaf, subleaf, reg)


AMD_ALIAS_BITS = frozenset((*range(0, 10), *range(12, 18), 23, 24))
"""Bits of CPUID[0x80000001].EDX that QEMU copies from CPUID[1].EDX on AMD CPUs
(``CPUID_EXT2_AMD_ALIASES``): they have no name of their own, they are the leaf-1 feature."""


def bit_name(key: WordKey, bit: int) -> str | None:
    """The feature name of ``bit`` in word ``key`` (None for reserved or unnamed bits)."""
    names = CPUID_BIT_NAMES.get(key)
    if names is None or not 0 <= bit < len(names):
        return None
    if names[bit] is None and key == (0x80000001, None, "EDX") and bit in AMD_ALIAS_BITS:
        return CPUID_BIT_NAMES[(0x1, None, "EDX")][bit]
    return names[bit]


def word_label(key: WordKey) -> str:
    """``CPUID[7,0].EBX``-style label, as the Intel SDM writes a leaf, subleaf and register."""
    leaf, subleaf, reg = key
    where = f"{leaf:#x}" if subleaf is None else f"{leaf:#x},{subleaf}"
    return f"CPUID[{where}].{reg}"
