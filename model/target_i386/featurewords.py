"""x86 feature words: which CPUID leaf/register or MSR holds each feature bit, and what TCG
supports. All of it is harvested from the binary (``model/data/x86_feature_words.json``).

A CPU's features are one integer per word, in QEMU's FeatureWord order; bit ``b`` of word
``w`` is the feature named ``names[b]``. Legacy spellings (``sse4_2``, ``xd``, ``i64``...) are
alias properties that read and write the same bit.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from model.data_files import load_json

MASK64 = 2**64 - 1


@dataclass(frozen=True)
class FeatureWord:
    """One word: where the guest reads it and the per-bit facts."""

    index: int
    kind: str
    label: str
    cpuid_eax: int | None
    cpuid_ecx: int | None
    register: str | None
    msr_index: int | None
    names: dict[int, str]
    tcg_supported: int
    max_mask: int
    max_mask_unmigratable: int


@dataclass(frozen=True)
class FeatureTable:
    """Every word, and lookups from property names (canonical and legacy) to (word, bit)."""

    words: tuple[FeatureWord, ...]
    masks: dict[str, tuple[int, int]]
    aliases: dict[str, str]
    dependencies: tuple[tuple[str, tuple[str, ...]], ...]
    unplaced: frozenset[str] = field(default_factory=frozenset)
    warning_order: dict[str, int] = field(default_factory=dict)
    """Position of each dependent feature in QEMU's dependency-edge order (for its warnings)."""
    whole_words: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Per dependency parent, the words all of whose named bits depend on it: QEMU's edge
    clears such a word entirely, unnamed bits included."""

    def canonical(self, name: str) -> str:
        """The feature property a (possibly legacy) spelling refers to."""
        return self.aliases.get(name, name)

    def mask_of(self, name: str) -> tuple[int, int] | None:
        """(word, mask): a name may own several bits of its word (``kvmclock``), and QEMU's
        property sets and tests them together."""
        return self.masks.get(self.canonical(name))

    def describe_bit(self, word: int, bit: int) -> str:
        """``CPUID.07H:EBX.avx512f [bit 16]`` as QEMU's warnings print it."""
        w = self.words[word]
        name = w.names.get(bit)
        return f"{w.label}{'.' + name if name else ''} [bit {bit}]"


def _mask(value: int | None) -> int:
    return int(value or 0) & MASK64


@functools.cache
def feature_table() -> FeatureTable:
    data = load_json("x86_feature_words.json")
    kvm_leaf = load_json("x86_kvm_leaf.json")
    words = []
    masks: dict[str, tuple[int, int]] = {}
    placed: set[str] = set()
    for raw in data["words"]:
        names = {int(f["bit"]): f["name"] for f in raw["features"]}
        if raw["type"] == "cpuid" and raw.get("cpuid_eax") == kvm_leaf["leaf"]["cpuid_eax"] \
                and raw.get("cpuid_register") == kvm_leaf["leaf"]["register"]:
            for name, bits in kvm_leaf["bits"].items():
                names.update({int(b): name for b in bits})
                placed |= {name} if bits else set()
        supported = sum(1 << int(f["bit"]) for f in raw["features"] if f.get("tcg_supported"))
        if raw["type"] == "cpuid":
            # Unnamed bits (XSAVE components) are supported unless TCG filtered them when asked.
            named = sum(1 << b for b in names)
            supported |= MASK64 & ~named & ~_mask(raw.get("all_requested_filtered"))
        word = FeatureWord(
            index=raw["index"], kind=raw["type"], label=raw["label"], cpuid_eax=raw.get("cpuid_eax"),
            cpuid_ecx=raw.get("cpuid_ecx"), register=raw.get("cpuid_register"), msr_index=raw.get("msr_index"),
            names=names, tcg_supported=supported, max_mask=_mask(raw.get("max_features")),
            max_mask_unmigratable=_mask(raw.get("max_migratable_off_features")),
        )
        words.append(word)
        for bit, name in sorted(names.items()):
            masks[name] = (word.index, masks.get(name, (word.index, 0))[1] | 1 << bit)
    aliases = {alias: info["target"] for alias, info in data["aliases"].items()}
    deps = tuple((parent, tuple(children)) for parent, children in data["dependencies"].items())
    ordered = tuple(sorted(words, key=lambda w: w.index))
    whole = {parent: tuple(w.index for w in ordered if w.names and set(w.names.values()) <= set(children))
             for parent, children in deps}
    order = {name: i for i, name in enumerate(data["dependency_warning_order"])}
    return FeatureTable(ordered, masks, aliases, deps, frozenset(data.get("unplaced_features", [])) - placed,
                        order, whole)
