"""The realized CPU as QMP ``qom-get`` shows it: what ``result.cpu`` of a trace holds.

Every canonical feature name is a boolean; ``feature-words`` and ``filtered-features`` list
the CPUID words (not MSR words) in reverse FeatureWord order, exactly as QMP does.
"""

from __future__ import annotations

from typing import Any

from model.data_files import load_json
from model.qom.object import Object
from model.target_i386.cpu_qom import cpu_state
from model.target_i386.featurewords import FeatureWord
from model.target_i386.xsave import owner

VALUE_PROPS = ("model-id", "vendor", "family", "model", "stepping", "level", "xlevel", "min-level", "min-xlevel",
               "level-func7", "xlevel2", "min-xlevel2", "tsc-frequency", "phys-bits", "hv-spinlocks", "check",
               "enforce")


def _words(obj: Object, values: list[int]) -> list[dict[str, Any]]:
    cpu = cpu_state(obj)
    entries = []
    for w in reversed(cpu.table.words):
        if w.kind != "cpuid":
            continue
        entry: dict[str, Any] = {"cpuid-input-eax": w.cpuid_eax}
        if w.cpuid_ecx is not None:
            entry["cpuid-input-ecx"] = w.cpuid_ecx
        entry["cpuid-register"] = w.register
        entry["features"] = values[w.index] & 0xFFFFFFFF
        entries.append(entry)
    return entries


def feature_names() -> list[str]:
    """Every canonical feature property name (the ``-cpu help`` flags)."""
    return sorted(set(load_json("x86_feature_words.json")["help_flag_names"]))


def cpu_properties(obj: Object) -> dict[str, Any]:
    """The first CPU's properties keyed by QOM name, values as ``qom-get`` returns them."""
    cpu = cpu_state(obj)
    props: dict[str, Any] = {"type": obj.typename}
    for name in feature_names():
        props[name] = cpu.has(name)
    for name in VALUE_PROPS:
        props[name] = cpu.props.get(name)
    props["feature-words"] = _words(obj, cpu.features)
    props["filtered-features"] = _words(obj, cpu.filtered)
    props["unavailable-features"] = unavailable_features(obj)
    return props


def unavailable_features(obj: Object) -> list[str]:
    """Every filtered bit's name, word by word; an XCR0 component has no name of its own and is
    listed under the feature that owns it, so ``avx512f`` can appear four times."""
    cpu = cpu_state(obj)
    names: list[str] = []
    for w in cpu.table.words:
        xcr0_shift = _xcr0_shift(w)
        for bit in range(64):
            if not cpu.filtered[w.index] >> bit & 1:
                continue
            name = w.names.get(bit)
            if name is None and xcr0_shift is not None:
                name = owner(bit + xcr0_shift)
            names.append(name or "")
    return names


def _xcr0_shift(w: FeatureWord) -> int | None:
    """For the two XCR0 words (CPUID 0xD.0 EAX and EDX), the component number of their bit 0."""
    if w.kind != "cpuid" or w.cpuid_eax != 0xD or w.cpuid_ecx != 0:
        return None
    return 32 if w.register == "EDX" else 0
