"""The semantic diff: what the two runs *mean* for the virtual CPU, not how the calls nest.

Compared, from each trace's ``result`` and events:

- the machine and its QOM type's ancestry, the CPU's QOM type and its ancestry (through the
  trace's own type table);
- which ``class_init`` hooks ran, and which instance hooks (``instance_init``,
  ``instance_post_init``; read from ``Event.hook``, or for older traces from the function
  names ``*initfn``, ``*instance_init``, ``*post_init``), each as ``(function, type)``;
- the realized CPU's boolean properties (features enabled only in A or only in B, QEMU's
  alias properties such as ``sse4_2`` folded into their canonical name ``sse4.2``) and its
  other properties (family, model, stepping, model-id, vendor, level, xlevel, ...);
- the CPUID feature words bit by bit (leaf, subleaf, register, bit, feature name) and the
  features filtered out because the accelerator or host cannot provide them;
- warnings (``warn_report`` points), errors (``error_report`` points and error events), the
  stderr and stdout lines and the exit status.

Everything is plain data; :meth:`SemanticDiff.to_json` gives the ``--json`` shape.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import networkx as nx

from tracer.diff.cpuid import XSAVE_COMPONENTS, WordKey, bit_name, word_key, word_label
from tracer.trace import Trace
from tracer.typegraph import ancestry, build_type_graph

T = TypeVar("T", bound=Hashable)

# QEMU 7.2 x86_cpu_initfn(): alias property -> the feature property it stands for.
FEATURE_ALIASES: dict[str, str] = {
    "sse3": "pni", "pclmuldq": "pclmulqdq", "sse4-1": "sse4.1", "sse4-2": "sse4.2", "xd": "nx",
    "ffxsr": "fxsr-opt", "i64": "lm", "ds_cpl": "ds-cpl", "tsc_adjust": "tsc-adjust",
    "fxsr_opt": "fxsr-opt", "lahf_lm": "lahf-lm", "cmp_legacy": "cmp-legacy", "nodeid_msr": "nodeid-msr",
    "perfctr_core": "perfctr-core", "perfctr_nb": "perfctr-nb", "kvm_nopiodelay": "kvm-nopiodelay",
    "kvm_mmu": "kvm-mmu", "kvm_asyncpf": "kvm-asyncpf", "kvm_asyncpf_int": "kvm-asyncpf-int",
    "kvm_steal_time": "kvm-steal-time", "kvm_pv_eoi": "kvm-pv-eoi", "kvm_pv_unhalt": "kvm-pv-unhalt",
    "kvm_poll_control": "kvm-poll-control", "svm_lock": "svm-lock", "nrip_save": "nrip-save",
    "tsc_scale": "tsc-scale", "vmcb_clean": "vmcb-clean", "pause_filter": "pause-filter",
    "sse4_1": "sse4.1", "sse4_2": "sse4.2", "hv-apicv": "hv-avic",
}

NOT_FEATURES = frozenset({"realized", "hotplugged", "hotpluggable"})
"""Boolean properties every device has; they say nothing about the CPU model."""

KEY_PROPERTIES = ("family", "model", "stepping", "model-id", "vendor", "level", "xlevel", "min-level",
                  "min-xlevel", "level-func7", "xlevel2", "min-xlevel2", "phys-bits")
"""The CPU identity properties, listed first and in this order."""

SPECIAL_PROPERTIES = frozenset({"type", "feature-words", "filtered-features"})

INSTANCE_INIT_SUFFIXES = ("initfn", "instance_init", "post_init")
_EXIT = re.compile(r"exit\(-?\d+\)")
"""The model closes the frames QEMU's ``exit(N)`` unwinds with this text: that is the exit
status (compared on its own), not an error message."""
WARNING_POINTS = frozenset({"warn_report"})
ERROR_POINTS = frozenset({"error_report"})


@dataclass(frozen=True)
class Change:
    """A named value that differs: ``a`` in trace A, ``b`` in trace B (None when absent)."""

    name: str
    a: Any
    b: Any

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "a": self.a, "b": self.b}


@dataclass(frozen=True)
class ListDiff(Generic[T]):
    """Items of two lists compared as multisets, each side's extra items in their order."""

    only_a: list[T]
    only_b: list[T]

    @property
    def equal(self) -> bool:
        return not self.only_a and not self.only_b

    @classmethod
    def of(cls, a: Iterable[T], b: Iterable[T]) -> ListDiff[T]:
        list_a, list_b = list(a), list(b)
        count_a, count_b = Counter(list_a), Counter(list_b)
        return cls(_extra(list_a, count_b), _extra(list_b, count_a))


def _extra(items: list[T], other: Counter[T]) -> list[T]:
    """``items`` minus one occurrence per element of ``other``, order kept."""
    left = Counter(other)
    out: list[T] = []
    for item in items:
        if left[item] > 0:
            left[item] -= 1
        else:
            out.append(item)
    return out


@dataclass(frozen=True)
class BitChange:
    """One CPUID feature bit set on one side only."""

    leaf: int
    subleaf: int | None
    register: str
    bit: int
    name: str | None
    a: bool
    b: bool

    @property
    def word(self) -> str:
        return word_label((self.leaf, self.subleaf, self.register))

    def to_json(self) -> dict[str, Any]:
        return {"leaf": self.leaf, "subleaf": self.subleaf, "register": self.register, "bit": self.bit,
                "name": self.name, "a": self.a, "b": self.b}


InitCall = tuple[str, str | None]
"""``(function, type)`` of a class or instance initialiser that ran."""


@dataclass(frozen=True)
class SemanticDiff:
    """What differs in meaning between traces A and B; every field is empty when equal.

    ``machine``, ``cpu_realized``, ``cpu_type`` and ``exit_status`` are None when equal;
    ``ancestry_a`` and ``ancestry_b`` are the CPU type's ancestry on each side, and
    ``machine_ancestry_a``/``_b`` the machine type's (always filled, for display). When only
    one run realized a CPU, ``cpu_realized`` says so and the per-CPU comparisons (features,
    properties, CPUID, filtered features) are left empty.
    """

    machine: Change | None
    cpu_realized: Change | None
    cpu_type: Change | None
    ancestry_a: list[str]
    ancestry_b: list[str]
    machine_ancestry_a: list[str]
    machine_ancestry_b: list[str]
    class_init: ListDiff[InitCall]
    instance_init: ListDiff[InitCall]
    features_added: list[str]
    features_removed: list[str]
    properties: list[Change]
    cpuid: list[BitChange]
    filtered: ListDiff[str]
    warnings: ListDiff[str]
    errors: ListDiff[str]
    stderr: ListDiff[str]
    stdout: ListDiff[str]
    exit_status: Change | None

    @property
    def equal(self) -> bool:
        no_change = (self.machine, self.cpu_realized, self.cpu_type, self.exit_status)
        no_items = (self.features_added, self.features_removed, self.properties, self.cpuid)
        lists = (self.class_init, self.instance_init, self.filtered, self.warnings, self.errors, self.stderr,
                 self.stdout)
        return (all(c is None for c in no_change) and not any(no_items) and all(d.equal for d in lists)
                and self.ancestry_a == self.ancestry_b and self.machine_ancestry_a == self.machine_ancestry_b)

    def to_json(self) -> dict[str, Any]:
        """The ``semantic`` object of ``vmtrace diff --json`` (shape in README "Comparing traces")."""

        def inits(d: ListDiff[InitCall]) -> dict[str, list[dict[str, str | None]]]:
            return {side: [{"fn": fn, "type": t} for fn, t in items]
                    for side, items in (("only_a", d.only_a), ("only_b", d.only_b))}

        def lists(d: ListDiff[str]) -> dict[str, list[str]]:
            return {"only_a": list(d.only_a), "only_b": list(d.only_b)}

        return {
            "equal": self.equal,
            "machine": self.machine.to_json() if self.machine else None,
            "cpu_realized": self.cpu_realized.to_json() if self.cpu_realized else None,
            "cpu_type": self.cpu_type.to_json() if self.cpu_type else None,
            "ancestry": {"a": self.ancestry_a, "b": self.ancestry_b},
            "machine_ancestry": {"a": self.machine_ancestry_a, "b": self.machine_ancestry_b},
            "class_init": inits(self.class_init),
            "instance_init": inits(self.instance_init),
            "features": {"added": self.features_added, "removed": self.features_removed},
            "properties": [c.to_json() for c in self.properties],
            "cpuid": [c.to_json() for c in self.cpuid],
            "filtered_features": lists(self.filtered),
            "warnings": lists(self.warnings),
            "errors": lists(self.errors),
            "stderr": lists(self.stderr),
            "stdout": lists(self.stdout),
            "exit_status": self.exit_status.to_json() if self.exit_status else None,
        }


def semantic_diff(a: Trace, b: Trace) -> SemanticDiff:
    """Compare the meaning of two runs (see the module docstring for what is compared)."""
    cpu_a, cpu_b = a.result.cpu or {}, b.result.cpu or {}
    type_a, type_b = _str_or_none(cpu_a.get("type")), _str_or_none(cpu_b.get("type"))
    facts_a, facts_b = EventFacts.of(a), EventFacts.of(b)
    realized = _change("cpu_realized", bool(cpu_a), bool(cpu_b))
    if realized is not None:
        # One run has no CPU (it stopped before realizing one): comparing every property of
        # the other with "absent" says nothing the type and exit status do not already say.
        cpu_a = cpu_b = {}
    added, removed = _feature_flips(_flags(cpu_a), _flags(cpu_b))
    return SemanticDiff(
        machine=_change("machine", a.result.machine, b.result.machine),
        cpu_realized=realized,
        cpu_type=_change("type", type_a, type_b),
        ancestry_a=_ancestry(a, type_a),
        ancestry_b=_ancestry(b, type_b),
        machine_ancestry_a=_ancestry(a, _machine_type(a.result.machine)),
        machine_ancestry_b=_ancestry(b, _machine_type(b.result.machine)),
        class_init=ListDiff.of(facts_a.class_init, facts_b.class_init),
        instance_init=ListDiff.of(facts_a.instance_init, facts_b.instance_init),
        features_added=added,
        features_removed=removed,
        properties=_property_changes(cpu_a, cpu_b),
        cpuid=cpuid_changes(_words(cpu_a.get("feature-words")), _words(cpu_b.get("feature-words"))),
        filtered=ListDiff.of(_set_bit_names(cpu_a.get("filtered-features")),
                             _set_bit_names(cpu_b.get("filtered-features"))),
        warnings=ListDiff.of(facts_a.warnings, facts_b.warnings),
        errors=ListDiff.of(facts_a.errors, facts_b.errors),
        stderr=ListDiff.of(a.result.stderr, b.result.stderr),
        stdout=ListDiff.of(a.result.stdout, b.result.stdout),
        exit_status=_change("exit_status", a.result.exit_status, b.result.exit_status),
    )


@dataclass(frozen=True)
class EventFacts:
    """What the semantic diff reads from a trace's events, gathered in one pass."""

    class_init: list[InitCall]
    instance_init: list[InitCall]
    warnings: list[str]
    errors: list[str]

    @classmethod
    def of(cls, trace: Trace) -> EventFacts:
        class_init: list[InitCall] = []
        instance_init: list[InitCall] = []
        warnings: list[str] = []
        reported: list[str] = []
        raised: dict[str, None] = {}  # distinct error-event texts, in order
        # Hook calls say what they are (Event.hook); traces recorded before that field existed
        # are read by function-name suffix instead.
        marked = any(ev.hook is not None for ev in trace.events)
        for ev in trace.events:
            kind = ev.kind
            if kind == "call":
                fn = ev.fn
                if ev.hook == "class_init" or (not marked and fn.endswith("class_init")):
                    class_init.append((fn, _type_arg(ev.args)))
                elif ev.hook in ("instance_init", "instance_post_init") or (
                        not marked and fn.endswith(INSTANCE_INIT_SUFFIXES)):
                    instance_init.append((fn, _type_arg(ev.args)))
            elif kind == "point":
                if ev.fn in WARNING_POINTS:
                    warnings.append(_point_text(ev.text, ev.args))
                elif ev.fn in ERROR_POINTS:
                    reported.append(_point_text(ev.text, ev.args))
            elif kind == "error" and not _EXIT.fullmatch(ev.text or ""):
                raised.setdefault(ev.text or "error")
        # An error unwinding through many frames closes each with the same text: it is one
        # error, and the same as the error_report that printed it.
        seen = set(reported)
        return cls(class_init, instance_init, warnings, reported + [t for t in raised if t not in seen])


def _type_arg(args: dict[str, Any] | None) -> str | None:
    """The ``type`` argument, else the first argument, as text (None without arguments)."""
    if not args:
        return None
    value = args.get("type")
    if value is None:
        value = next(iter(args.values()))
    return value if isinstance(value, str) else None if value is None else str(value)


def _point_text(text: str | None, args: dict[str, Any] | None) -> str:
    return text if text is not None else ", ".join(f"{k}={v}" for k, v in (args or {}).items())


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _change(name: str, a: Any, b: Any) -> Change | None:
    return None if a == b and type(a) is type(b) else Change(name, a, b)


def _machine_type(machine: str | None) -> str | None:
    """The QOM type of a machine: QEMU registers machine ``NAME`` as type ``NAME-machine``."""
    return None if machine is None else f"{machine}-machine"


def _ancestry(trace: Trace, type_name: str | None) -> list[str]:
    if type_name is None:
        return []
    graph: nx.DiGraph = build_type_graph(trace.types)
    if type_name not in graph:
        return [type_name]
    return ancestry(graph, type_name)


def _flags(cpu: dict[str, Any]) -> dict[str, bool]:
    """Boolean CPU properties, aliases folded into their canonical feature names."""
    flags: dict[str, bool] = {}
    for name, value in cpu.items():
        if not isinstance(value, bool) or name in NOT_FEATURES:
            continue
        canonical = FEATURE_ALIASES.get(name)
        if canonical is not None and canonical in cpu:
            continue
        flags[canonical or name] = value
    return flags


def _feature_flips(flags_a: dict[str, bool], flags_b: dict[str, bool]) -> tuple[list[str], list[str]]:
    """Features on in B but not A (added), and on in A but not B (removed), sorted."""
    added = sorted(n for n, on in flags_b.items() if on and not flags_a.get(n, False))
    removed = sorted(n for n, on in flags_a.items() if on and not flags_b.get(n, False))
    return added, removed


def _property_changes(cpu_a: dict[str, Any], cpu_b: dict[str, Any]) -> list[Change]:
    names = [n for n in {*cpu_a, *cpu_b} if n not in SPECIAL_PROPERTIES
             and not isinstance(cpu_a.get(n), bool) and not isinstance(cpu_b.get(n), bool)]
    order = {n: i for i, n in enumerate(KEY_PROPERTIES)}
    names.sort(key=lambda n: (order.get(n, len(order)), n))
    out = []
    for name in names:
        change = _change(name, cpu_a.get(name), cpu_b.get(name))
        if change is not None:
            out.append(change)
    return out


def _words(value: Any) -> dict[WordKey, int]:
    """QMP ``X86CPUFeatureWordInfo`` objects keyed by (leaf, subleaf, register)."""
    words: dict[WordKey, int] = {}
    if isinstance(value, list):
        for word in value:
            if isinstance(word, dict):
                key = word_key(word)
                bits = word.get("features")
                if key is not None and isinstance(bits, int):
                    words[key] = bits
    return words


def cpuid_changes(words_a: dict[WordKey, int], words_b: dict[WordKey, int]) -> list[BitChange]:
    """Every bit that differs between two sets of feature words, in (leaf, subleaf, register,
    bit) order. A word missing on one side counts as all zeros."""
    out: list[BitChange] = []
    keys = sorted({*words_a, *words_b}, key=lambda k: (k[0], -1 if k[1] is None else k[1], k[2]))
    for key in keys:
        va, vb = words_a.get(key, 0), words_b.get(key, 0)
        diff = va ^ vb
        bit = 0
        while diff:
            if diff & 1:
                out.append(BitChange(key[0], key[1], key[2], bit, bit_name(key, bit),
                                     bool(va >> bit & 1), bool(vb >> bit & 1)))
            diff >>= 1
            bit += 1
    return out


def _set_bit_names(value: Any) -> list[str]:
    """Names of the bits set in a list of feature words (``CPUID[..].REG[bit]`` if unnamed)."""
    out: list[str] = []
    for key, bits in sorted(_words(value).items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])):
        bit = 0
        while bits:
            if bits & 1:
                name = bit_name(key, bit)
                if name is None and key in XSAVE_COMPONENTS:
                    name = f"{word_label(key)} component {bit}"
                out.append(name or f"{word_label(key)}[{bit}]")
            bits >>= 1
            bit += 1
    return out
