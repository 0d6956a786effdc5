"""Harvest x86 feature words, bit names, aliases, dependencies and TCG support from the binary.

Nothing here is typed in from QEMU's source; every fact comes from observing the binary:

* The canonical feature names are the ``Recognized CPUID flags`` of ``-cpu help`` (a name that
  QEMU gives to two bits, like ``kvmclock``, is listed twice).
* The CPUID feature words and their order come from the ``feature-words`` property of a realized
  CPU. QEMU builds that list by *prepending*, so QMP shows the words in reverse FeatureWord order.
  MSR words are not in ``feature-words``; they are seen in warnings
  (``... MSR(10AH).rdctl-no [bit 0]``) and are placed among the CPUID words by the order of the
  warnings of one run that requests every feature (QEMU warns word by word, bit by bit).
* A name's word and bit: one realized CPU per name (``-cpu base,NAME=on``); the new bits in
  ``feature-words`` and ``filtered-features``, and the ``[bit N]`` of any warning.
* TCG support: one CPU with every name requested; bits left in ``feature-words`` are supported,
  bits in ``filtered-features`` (and warned MSR bits) are not.
* ``max`` (and ``max,migratable=off``) show which supported bits are auto-enabled.
* Dependencies: ``query-cpu-model-expansion`` of ``base`` with every name on, then every name but
  one: the names that drop out with it depend on it.
* Aliases: expansion with every name on and one alias property off: the canonical name that drops.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from model.harvest.cpu_probe import DrainingSession, Probe, probe, run_parallel
from model.harvest.session import run_binary
from model.harvest.x86_dependency_table import derive_table
from model.harvest.x86_feature_effects import observe_effects
from model.harvest.x86_warnings import parse_warning

WordKey = tuple[str, int, int | None, str]  # ("cpuid", eax, ecx, reg) or ("msr", index, None, "")
WORD_PROPS = ["feature-words", "filtered-features"]


def help_feature_names(help_text: str) -> list[str]:
    """The ``Recognized CPUID flags`` of ``-cpu help``, in the printed (sorted) order."""
    tail = help_text.split("Recognized CPUID flags:", 1)[1]
    return tail.split()


def cpuid_key(entry: dict[str, Any]) -> WordKey:
    return ("cpuid", int(entry["cpuid-input-eax"]), entry.get("cpuid-input-ecx"), str(entry["cpuid-register"]))


def word_bits(props: dict[str, Any], which: str) -> set[tuple[WordKey, int]]:
    """The set bits of ``feature-words`` or ``filtered-features`` as (word, bit) pairs."""
    return {(cpuid_key(e), b) for e in props.get(which, []) for b in range(64) if int(e["features"]) >> b & 1}


def cpuid_label(eax: int, reg: str) -> str:
    """The word text in warnings, following the format seen in harvested lines."""
    return f"CPUID.{eax:02X}H:{reg}"


def msr_label(index: int) -> str:
    return f"MSR({index:02X}H)"


def label_word_key(label: str) -> WordKey | None:
    """The MSR word a warning label names (CPUID labels omit ecx, so they are ambiguous)."""
    m = re.fullmatch(r"MSR\(([0-9A-F]+)H\)", label)
    return ("msr", int(m[1], 16), None, "") if m else None


def _realize(args: list[str]) -> Probe:
    return probe(["-machine", "pc", *args], WORD_PROPS)


def _on(names: Iterable[str]) -> str:
    return ",".join(f"{n}=on" for n in names)


class FeatureHarvest:
    """Collects observations; :meth:`result` turns them into the JSON document."""

    def __init__(self) -> None:
        help_text = run_binary(["-cpu", "help"]).stdout
        self.help_names = help_feature_names(help_text)
        self.names = sorted(set(self.help_names))
        self.bits_of: dict[str, set[tuple[WordKey, int]]] = {}
        self.labels: dict[WordKey, str] = {}

    # -- observations -------------------------------------------------------------------
    def observe_singles(self) -> None:
        """One realized ``base`` CPU per name: which bits it sets and how QEMU labels them."""
        base = _realize(["-cpu", "base"])
        before = word_bits(base.props, "feature-words") | word_bits(base.props, "filtered-features")
        self.cpuid_words_qmp_order = [cpuid_key(e) for e in base.props["feature-words"]]
        probes = run_parallel(lambda n: _realize(["-cpu", f"base,{n}=on"]), self.names, "feature bits")
        for name, p in zip(self.names, probes, strict=True):
            seen = (word_bits(p.props, "feature-words") | word_bits(p.props, "filtered-features")) - before
            for line in p.warnings():
                parsed = parse_warning(line)
                if parsed is None or parsed[2] != name:
                    continue
                _, label, _, bit = parsed
                msr = label_word_key(label)
                if msr is not None:
                    seen.add((msr, bit))
                    self.labels[msr] = label
                else:
                    for key, b in seen:
                        if b == bit and cpuid_label(key[1], key[3]) == label:
                            self.labels[key] = label
            self.bits_of[name] = seen

    def observe_all_on(self) -> None:
        """Every name requested on ``base``: TCG support, and the word order of the warnings."""
        p = _realize(["-cpu", "base," + _on(self.names)])
        self.supported = word_bits(p.props, "feature-words")
        self.filtered = word_bits(p.props, "filtered-features")
        self.all_on_warnings = [w for w in (parse_warning(x) for x in p.warnings()) if w is not None]
        self.max_bits = word_bits(_realize(["-cpu", "max"]).props, "feature-words")
        self.max_unmig_bits = word_bits(_realize(["-cpu", "max,migratable=off"]).props, "feature-words")

    def observe_expansions(self) -> None:
        """Dependencies and aliases, from model expansions in one QEMU process."""
        with DrainingSession(["-machine", "pc", "-cpu", "base"]) as q:
            path = q.cmd("query-cpus-fast")[0]["qom-path"]
            listing = q.cmd("qom-list", path=path)
            names = set(self.names)
            all_on = dict.fromkeys(self.names, True)

            def expand(props: dict[str, Any]) -> dict[str, Any]:
                """The full expansion, or {} when QEMU refuses the props (read-only ones)."""
                model = {"name": "base", "props": props}
                reply = q.cmd_raw("query-cpu-model-expansion", type="full", model=model)
                out: dict[str, Any] = reply["return"]["model"]["props"] if "return" in reply else {}
                return out

            full_on = expand(all_on)
            self.children: dict[str, list[str]] = {}
            for n in self.names:
                got = expand({**all_on, n: False})
                dropped = sorted(k for k in names if k != n and full_on.get(k) is True and got.get(k) is False)
                if dropped:
                    self.children[n] = dropped
            # Aliases are instance properties (added by instance_init); the abstract x86_64-cpu
            # type lists only class properties. An alias is found by setting it on ``base`` with
            # every dependency parent on, and seeing which class property follows it.
            class_props = {p["name"] for p in q.cmd("qom-list-properties", typename="x86_64-cpu")}
            # (auto-level off: a feature can raise level/xlevel, which would hide the one change)
            fixed = {"full-cpuid-auto-level": False}
            parents = {**fixed, **dict.fromkeys(self.children, True)}
            plain = expand(parents)
            base = expand(fixed)
            self.aliases: dict[str, dict[str, Any]] = {}
            for p in listing:
                name = p["name"]
                if name in class_props or p["type"] not in ("bool", "uint64"):
                    continue
                value = True if p["type"] == "bool" else 1
                # With the parents on (targets that are dependents show), then without (targets
                # that are themselves parents, like lm, only show when not already forced on).
                for start, got in ((plain, expand({**parents, name: value})), (base, expand({**fixed, name: value}))):
                    changed = sorted(k for k in class_props if k in start and got.get(k) != start[k])
                    if len(changed) == 1:
                        self.aliases[name] = {"target": changed[0], "observed": True}
                        break
            self.bool_props = sorted(p["name"] for p in listing if p["type"] == "bool")
        # Aliases of names whose bits TCG always clears (the KVM leaf) cannot be seen changing;
        # name them by QEMU's own spelling rule for properties (``_`` -> ``-``) and say so.
        for name in self.bool_props:
            if name not in names and name not in self.aliases and name.replace("_", "-") in names:
                self.aliases[name] = {"target": name.replace("_", "-"), "observed": False}

    def observe_dependency_warnings(self) -> None:
        """All dependents requested without their parents: the order QEMU warns about them."""
        kids = sorted({c for cs in self.children.values() for c in cs})
        p = _realize(["-cpu", "base," + _on(kids)])
        self.dependency_warning_order = [w[2] for w in (parse_warning(x) for x in p.warnings()) if w is not None]
        self.dependency_warning_lines = p.warnings()
        # Each parent off alone (every other name on): the names QEMU warns about, in order.
        parents = sorted(self.children)
        probes = run_parallel(lambda par: _realize(["-cpu", "base," + _on(n for n in self.names if n != par)]),
                              parents, "dependency parents")
        dep_prefix = "This feature depends on other features that were not requested"
        self.dependency_warnings_by_parent = {
            par: [w[2] for w in (parse_warning(x) for x in pr.warnings()) if w is not None and w[0] == dep_prefix]
            for par, pr in zip(parents, probes, strict=True)}

    # -- the document --------------------------------------------------------------------
    def word_order(self) -> list[WordKey]:
        """FeatureWord order: CPUID words from QMP (reversed), MSR words placed by warnings."""
        order = list(reversed(self.cpuid_words_qmp_order))
        seq: list[WordKey] = []
        for _, label, name, bit in self.all_on_warnings:
            key = label_word_key(label) or next(
                (k for k, b in self.bits_of.get(name, set()) if b == bit and k[0] == "cpuid"), None)
            if key is not None and (not seq or seq[-1] != key):
                seq.append(key)
        for i, key in enumerate(seq):
            if key[0] != "msr" or key in order:
                continue
            prev = next((k for k in reversed(seq[:i]) if k in order), None)
            nxt = next((k for k in seq[i + 1:] if k[0] == "cpuid"), None)
            # Unwarned CPUID words between prev and nxt cannot be ordered against MSR words;
            # put the MSR word right before the next warned CPUID word (see "source").
            pos = order.index(nxt) if nxt is not None else len(order)
            if prev is not None and prev[0] == "msr":
                pos = order.index(prev) + 1
            order.insert(pos, key)
        return order

    def own_bits(self) -> dict[str, set[tuple[WordKey, int]]]:
        """Each name's own bits. Bits in words that no name lies wholly in (the XSAVE component
        words, which QEMU computes from other features) are side effects, not the name's."""
        named_words = {next(iter(b))[0] for b in self.bits_of.values() if len({k for k, _ in b}) == 1}
        return {n: {(k, b) for k, b in bits if k in named_words} for n, bits in self.bits_of.items()}

    def result(self) -> dict[str, Any]:
        order = self.word_order()
        own = self.own_bits()
        msr_unsupported = {w[2] for w in self.all_on_warnings if w[1].startswith("MSR")}
        words: list[dict[str, Any]] = []
        for index, key in enumerate(order):
            feats = []
            for name, bits in own.items():
                for k, bit in bits:
                    if k != key:
                        continue
                    cpuid = k[0] == "cpuid"
                    feats.append({
                        "bit": bit, "name": name,
                        "tcg_supported": (k, bit) in self.supported if cpuid else name not in msr_unsupported,
                        "enabled_by_max": (k, bit) in self.max_bits if cpuid else None,
                        "enabled_by_max_migratable_off": (k, bit) in self.max_unmig_bits if cpuid else None,
                    })
            feats.sort(key=lambda f: (f["bit"], f["name"]))
            entry: dict[str, Any] = {"index": index, "type": key[0]}
            if key[0] == "cpuid":
                entry.update({"cpuid_eax": key[1], "cpuid_ecx": key[2], "cpuid_register": key[3],
                              "qmp_position": self.cpuid_words_qmp_order.index(key)})
                label = cpuid_label(key[1], key[3])
                entry["max_features"] = _mask(self.max_bits, key)
                entry["max_migratable_off_features"] = _mask(self.max_unmig_bits, key)
                entry["all_requested_features"] = _mask(self.supported, key)
                entry["all_requested_filtered"] = _mask(self.filtered, key)
            else:
                entry["msr_index"] = key[1]
                label = msr_label(key[1])
            entry["label"] = label
            entry["label_observed"] = key in self.labels
            entry["features"] = feats
            words.append(entry)
        return {"words": words}


def _mask(bits: set[tuple[WordKey, int]], key: WordKey) -> int:
    return sum(1 << b for k, b in bits if k == key)


SOURCE = (
    "Harvested from the binary by model/harvest/x86_features.py (python -m model.harvest.x86_cpu). "
    "words: FeatureWord order. CPUID words and their order come from a realized CPU's feature-words "
    "(QMP lists them in REVERSE FeatureWord order: qmp_position is the index in that list); MSR words are "
    "not in feature-words and are placed by the order of the warnings of one CPU requesting every feature "
    "(QEMU warns word by word). CPUID words that never warn under TCG (6H:EAX, the XSAVE component words "
    "0DH ecx0 EAX/EDX) cannot be ordered against the MSR block by observation; MSR words are put right "
    "before the next warned CPUID word. features: one realized '-cpu base,NAME=on' per -cpu help flag; the "
    "new bits in feature-words/filtered-features and the [bit N] of its warning. tcg_supported: bit kept "
    "(not filtered, not warned) when every flag is requested at once. enabled_by_max(_migratable_off): bit "
    "set on a realized '-cpu max' ('max,migratable=off'); MSR words are not readable as words, so null. "
    "The masks max_features etc. are the whole CPUID word as read (including unnamed XSAVE component "
    "bits). label: word text in 'TCG doesn't support requested feature: LABEL.name [bit N]' "
    "(label_observed: seen in a real warning; otherwise formatted like the observed ones). "
    "unplaced_features: names whose bits TCG always clears before anything can read them (the KVM leaf "
    "0x40000001 EAX), so their word and bit are not observable under TCG. dependencies: parent -> the "
    "names that query-cpu-model-expansion drops when only the parent is off (every name on), i.e. the "
    "transitive closure as one expansion pass applies it. aliases: alias property -> canonical name, found "
    "by turning the alias off with every name on (observed=false: named by the _ -> - rule because the "
    "target is in the KVM leaf). dependency_warning_order/lines: one CPU requesting every dependent name "
    "without its parents. dependency_warnings_by_parent: every name requested except that parent (each "
    "list is in warning order). effects (x86_feature_effects.py): base_levels and level_effects: the level "
    "properties of realized '-cpu base' and what '-cpu base,NAME=on' changes (full-cpuid-auto-level on); "
    "xsave_components: the bits '-cpu base,xsave=on,NAME=on' adds, over '-cpu base,xsave=on' "
    "(xsave_on_unowned_words), to the CPUID words no name owns (keyed by word index: the XSAVE component "
    "words; the KVM leaf stays 0 under TCG), in feature-words and in filtered-features. dependency_table "
    "(x86_dependency_table.py): the dependency walk as ordered entries {parent, word, children [[name, bit]]} "
    "reconstructed from warning runs and checked by simulation against held-out random runs."
)


def feature_document(version: str) -> dict[str, Any]:
    """Run every observation and build the x86_feature_words.json document."""
    h = FeatureHarvest()
    h.observe_singles()
    h.observe_all_on()
    h.observe_expansions()
    h.observe_dependency_warnings()
    doc = h.result()
    own = h.own_bits()
    unowned = {(w["cpuid_eax"], w["cpuid_ecx"], w["cpuid_register"]): w["index"]
               for w in doc["words"] if w["type"] == "cpuid" and not w["features"]}
    doc["effects"] = observe_effects(h.names, unowned)
    loc: dict[str, list[tuple[int, int]]] = {}
    for w in doc["words"]:
        for f in w["features"]:
            loc.setdefault(f["name"], []).append((w["index"], f["bit"]))
    doc["dependency_table"] = derive_table(h.names, h.children, loc)
    doc.update({
        "qemu_version": version,
        "source": SOURCE,
        "help_flag_names": h.help_names,
        "unplaced_features": sorted(n for n, bits in own.items() if not bits),
        "aliases": dict(sorted(h.aliases.items())),
        "dependencies": dict(sorted(h.children.items())),
        "dependency_warning_order": h.dependency_warning_order,
        "dependency_warning_lines": h.dependency_warning_lines,
        "dependency_warnings_by_parent": h.dependency_warnings_by_parent,
        "all_requested_warning_lines": [f"{p}: {lab}.{n} [bit {b}]" for p, lab, n, b in h.all_on_warnings],
    })
    return doc
