"""XSAVE state components: which feature owns each, and what the host lets KVM offer.

A guest's XCR0 (CPUID 0xD, subleaf 0, EDX:EAX) is not set by hand: QEMU derives it while
expanding features, one component per feature that needs its register state (AVX's upper
halves, MPX's bounds, AVX-512's masks and upper registers, PKRU, the AMX tiles; x87 and SSE
come with XSAVE itself). The derived mask is then filtered like any feature word, against what
the accelerator supports. Under KVM that is the host's XCR0 as KVM reports it, so a component
the host lacks is dropped even where its owning feature bit passed (or was dropped on its own).

The dropped component bits have no names of their own: QEMU lists each one in
``unavailable-features`` under its owning feature, so ``avx512f`` appears once for its CPUID
bit and three more times for its three components (``mpx`` likewise twice more, ``pku`` once).
libvirt's recordings of ``query-cpu-definitions`` under KVM on AMD hosts show exactly that.

The host's XCR0 as KVM reports it is the processor's component mask (raw CPUID 0xD) limited to
the components Linux turned on, and Linux turns one on only when the CPU has the feature that
uses it (a Zen 2 part reports PKRU state in CPUID 0xD but, without ``pku``, its kernel never
enables it, and QEMU lists ``pku`` twice there). :func:`offered_xcr0` is that rule.
"""

from __future__ import annotations

from collections.abc import Iterable

# Component bit -> the feature whose use enables it (QEMU's table of XSAVE areas).
XSAVE_COMPONENTS: dict[int, str] = {0: "xsave", 1: "xsave", 2: "avx", 3: "mpx", 4: "mpx", 5: "avx512f",
                                    6: "avx512f", 7: "avx512f", 9: "pku", 15: "arch-lbr", 17: "amx-tile",
                                    18: "amx-tile"}
# User components live in XCR0; supervisor ones (arch LBR) in the XSS MSR instead.
XCR0_MASK = sum(1 << b for b in (0, 1, 2, 3, 4, 5, 6, 7, 9, 17, 18))
XSS_MASK = 1 << 15


def owner(bit: int) -> str | None:
    """The feature a component bit stands for in ``unavailable-features`` (None: no owner)."""
    return XSAVE_COMPONENTS.get(bit)


def components_for(features: Iterable[str]) -> int:
    """The components (XCR0 and XSS bits) the given enabled features need."""
    have = set(features)
    return sum(1 << bit for bit, name in XSAVE_COMPONENTS.items() if name in have)


def offered_xcr0(raw: int, features: Iterable[str]) -> int:
    """What KVM offers for XCR0 on a host whose raw CPUID 0xD.0 mask is ``raw`` and whose
    kernel sees ``features``: the processor's user components whose feature is present."""
    return raw & components_for(features) & XCR0_MASK


def default_xcr0(features: Iterable[str]) -> int:
    """For a profile that does not say: every user component its features would use (what a
    Linux host enables when the processor reports each component it has the feature for)."""
    return components_for(features) & XCR0_MASK
