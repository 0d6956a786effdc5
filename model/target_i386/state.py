"""The x86 CPU's mutable state (QEMU's ``X86CPU``/``CPUX86State``) and feature provenance.

Every change to a feature bit goes through :meth:`X86CPUState.set_feature` with the reason it
happened (model definition, version, +feat, feat=off, max expansion, TCG filtering...), and
becomes an ``x86_feature`` point event: ``vmtrace why`` reads them back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from model.data_files import load_json
from model.softmmu.memory_region import MemoryRegion
from model.target_i386.featurewords import FeatureTable, feature_table
from tracer.recorder import point

UINT32_MAX = 2**32 - 1
UNASSIGNED_APIC_ID = UINT32_MAX

# Properties whose qdev default is "not set" until realize derives them.
UNSET_UNTIL_REALIZE = {"level": UINT32_MAX, "xlevel": UINT32_MAX, "xlevel2": UINT32_MAX,
                       "level-func7": UINT32_MAX, "phys-bits": 0, "apic-id": UNASSIGNED_APIC_ID}


def initial_props() -> dict[str, Any]:
    """Non-feature properties at instance creation (harvested values, minus realize's work)."""
    props = {name: info.get("base_value") for name, info in load_json("x86_cpu_properties.json")["properties"].items()
             if not info["type"].startswith(("X86CPUFeatureWordInfo", "strList", "GuestPanic"))}
    props.update(UNSET_UNTIL_REALIZE)
    props.pop("type", None)
    props.pop("realized", None)
    props["min-level"] = props["min-xlevel"] = props["min-xlevel2"] = 0
    props["min-level-func7"] = 0
    return props


@dataclass
class X86CPUState:
    """Feature words (one int per word), what the user set, what filtering removed, and props."""

    table: FeatureTable = field(default_factory=feature_table)
    features: list[int] = field(default_factory=list)
    user_features: list[int] = field(default_factory=list)
    filtered: list[int] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=initial_props)
    max_features: bool = False
    migratable: bool = True
    reason: str = "unknown"
    detail: str = ""
    # tcg_cpu_realizefn's address-space root (``cpu_as_root``): system memory, and SMRAM once
    # the machine is done.
    as_root: MemoryRegion | None = None

    def __post_init__(self) -> None:
        n = len(self.table.words)
        self.features = self.features or [0] * n
        self.user_features = self.user_features or [0] * n
        self.filtered = self.filtered or [0] * n

    @contextmanager
    def because(self, reason: str, detail: str = "") -> Iterator[None]:
        """Attribute the feature changes made inside the block to ``reason``."""
        saved = (self.reason, self.detail)
        self.reason, self.detail = reason, detail
        try:
            yield
        finally:
            self.reason, self.detail = saved

    def has(self, name: str) -> bool:
        """All of the name's bits are set (what QEMU's feature property getter reports)."""
        where = self.table.mask_of(name)
        return where is not None and self.features[where[0]] & where[1] == where[1]

    def set_feature(self, name: str, value: bool, user: bool = False) -> None:
        """Set or clear a named feature, recording why; ``user`` marks it as explicitly chosen."""
        where = self.table.mask_of(name)
        if where is None:
            return
        word, mask = where
        if value:
            self.features[word] |= mask
        else:
            self.features[word] &= ~mask
        if user:
            self.user_features[word] |= mask
        self.note_bit(word, (mask & -mask).bit_length() - 1, value)

    def set_word_bits(self, word: int, mask: int, value: bool) -> None:
        """Set or clear several bits of a word for the current reason, noting each named one."""
        if not mask:
            return
        if value:
            self.features[word] |= mask
        else:
            self.features[word] &= ~mask
        bit = 0
        while mask >> bit:
            if mask >> bit & 1:
                self.note_bit(word, bit, value)
            bit += 1

    def note_bit(self, word: int, bit: int, value: bool) -> None:
        name = self.table.words[word].names.get(bit)
        if name is None:
            return
        verb = "on" if value else "off"
        text = f"{name} {verb}: {self.reason}" + (f" ({self.detail})" if self.detail else "")
        point("x86_feature", text, feature=name, value=value, reason=self.reason, detail=self.detail,
              word=self.table.words[word].label, bit=bit)
