"""Why a CPU feature ended up on or off: the provenance chain recorded in a trace.

The model emits an ``x86_feature`` point event every time a feature bit changes, naming the
reason (``model``, ``version``, ``compat``, ``accel-default``, ``global``, ``plus``, ``minus``,
``max``, ``host``, ``dependency``, ``filtered``). This module collects those events for one
feature, plus the user's requests that named it (``+feat``, ``feat=on``) and the warnings
that mention it. Legacy spellings are resolved with the alias table the trace carries.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from tracer.trace import Event, Trace

INTENT_POINTS = frozenset({"plus_feature", "minus_feature"})


@dataclass(frozen=True)
class FeatureStep:
    """One event in a feature's story."""

    seq: int
    kind: str
    value: bool | None
    reason: str
    text: str


@dataclass(frozen=True)
class FeatureChain:
    """A feature's resolved name, its steps in order, and the realized CPU's final value."""

    query: str
    feature: str
    steps: list[FeatureStep] = field(default_factory=list)
    final: Any = None
    word: str | None = None
    bit: int | None = None

    @property
    def seqs(self) -> list[int]:
        return [s.seq for s in self.steps]


def feature_aliases(trace: Trace) -> dict[str, str]:
    """The legacy-name table the model recorded (empty if no CPU was created)."""
    for ev in trace.events:
        if ev.kind == "point" and ev.fn == "feature_aliases" and ev.args:
            aliases = ev.args.get("aliases")
            if isinstance(aliases, dict):
                return {str(k): str(v) for k, v in aliases.items()}
    return {}


def canonical_feature(trace: Trace, name: str) -> str:
    """``sse4_2`` -> ``sse4.2``: aliases first, then QEMU's ``_`` to ``-`` rule."""
    aliases = feature_aliases(trace)
    if name in aliases:
        return aliases[name]
    dashed = name.replace("_", "-")
    return aliases.get(dashed, dashed)


def _names(ev: Event) -> tuple[str | None, str | None]:
    args = ev.args or {}
    feature = args.get("feature")
    prop = args.get("property")
    return (feature if isinstance(feature, str) else None, prop if isinstance(prop, str) else None)


def feature_chain(trace: Trace, name: str) -> FeatureChain:
    """Every event that decided ``name``'s value, in order."""
    feature = canonical_feature(trace, name)
    spellings = {name, feature} | {a for a, t in feature_aliases(trace).items() if t == feature}
    warning = re.compile(rf"\.{re.escape(feature)} \[bit \d+\]$")
    steps: list[FeatureStep] = []
    word: str | None = None
    bit: int | None = None
    host: Event | None = None  # -cpu host/max under KVM: which host profile offered what
    for ev in trace.events:
        if ev.kind != "point":
            continue
        feat, prop = _names(ev)
        args = ev.args or {}
        if ev.fn == "x86_feature" and feat == feature:
            value = args.get("value")
            steps.append(FeatureStep(ev.seq, "change", bool(value), str(args.get("reason", "")), ev.text or ""))
            word = str(args.get("word")) if args.get("word") is not None else word
            raw_bit = args.get("bit")
            bit = raw_bit if isinstance(raw_bit, int) else bit
        elif ev.fn in INTENT_POINTS and feat in spellings:
            steps.append(FeatureStep(ev.seq, "request", ev.fn == "plus_feature", "requested", ev.text or ""))
        elif ev.fn == "apply_global" and prop is not None and prop.replace("_", "-") in spellings | {feature}:
            origin = args.get("origin", "global")
            steps.append(FeatureStep(ev.seq, "request", None, f"{origin} property", ev.text or ""))
        elif ev.fn == "warn_report" and ev.text and (warning.search(ev.text) or f'"+{feature}"' in ev.text
                                                     or f'"-{feature}"' in ev.text):
            steps.append(FeatureStep(ev.seq, "warning", None, "warning", ev.text))
        elif ev.fn == "host_cpu_profile":
            host = ev
    final = trace.result.cpu.get(feature) if trace.result.cpu else None
    if host is not None and final is False:
        offered = (host.args or {}).get("offered")
        if isinstance(offered, list) and feature not in offered:
            profile = (host.args or {}).get("profile")
            steps.append(FeatureStep(host.seq, "change", False, "host",
                                     f"{feature} off: host profile {profile} does not offer it "
                                     "(KVM on that CPU does not report it)"))
            steps.sort(key=lambda s: s.seq)
    return FeatureChain(name, feature, steps, final, word, bit)


MAX_SUGGESTIONS = 8


def feature_names(trace: Trace) -> set[str]:
    """Every feature name the trace knows: the realized CPU's on/off properties, the features
    the model decided, and the legacy spellings."""
    names = {k for k, v in (trace.result.cpu or {}).items() if isinstance(v, bool)}
    for ev in trace.events:
        if ev.kind == "point" and ev.fn == "x86_feature":
            feat, _ = _names(ev)
            if feat is not None:
                names.add(feat)
    names.update(feature_aliases(trace))
    return names


def near_features(trace: Trace, name: str) -> list[str]:
    """Feature names close to ``name``, best first, case-insensitively: the same name in other
    case, then names it begins, shortest first (``avx512`` -> ``avx512f, avx512bw, ...``), then
    names containing it, then similar spellings; QEMU's own names before legacy spellings."""
    names = feature_names(trace)
    legacy = set(feature_aliases(trace))
    query = name.lower()

    def rank(n: str) -> tuple[bool, int, str]:
        return (n in legacy, len(n), n)

    found: list[str] = []
    for group in (
        [n for n in names if n.lower() == query],
        [n for n in names if n.lower().startswith(query)],
        [n for n in names if query in n.lower()],
    ):
        found += [n for n in sorted(group, key=rank) if n not in found]
    by_lower = {n.lower(): n for n in sorted(names, key=rank, reverse=True)}
    close = difflib.get_close_matches(query, list(by_lower), n=MAX_SUGGESTIONS, cutoff=0.75)
    found += [n for n in sorted((by_lower[c] for c in close), key=lambda n: n in legacy) if n not in found]
    return found
