"""Harvest the x86 CPU models: definitions, versions, aliases and help lines, from the binary.

Method (everything over QMP on ``-machine pc``, where unversioned aliases resolve to v1):

* The model list and alias targets: ``query-cpu-definitions`` (``alias-of``); the description of
  every model: its line in ``-cpu help``.
* A model's *loaded* definition: ``query-cpu-model-expansion`` (type ``full``) of ``NAME-vN`` with
  ``full-cpuid-auto-level=off``, so ``min-level``/``level`` are the model's own levels rather than
  ones raised for its features. Expansion runs instance init (the model's bits, ``hypervisor``, the
  TCG default ``vme=off``) and ``x86_cpu_expand_features`` (no user features, no ``max``), which
  clears bits whose parent feature is off (``vmx-*`` without ``vmx``). To see such bits, each name
  is read from an expansion that forces on exactly its dependency ancestors (the ``dependencies``
  of x86_feature_words.json), so a bit shows iff the model itself sets it.
* Version props: the difference between the loaded definitions of ``vN`` and ``v(N-1)``.
"""

from __future__ import annotations

import re
from typing import Any

from model.harvest.cpu_probe import DrainingSession
from model.harvest.session import run_binary

HELP_LINE = re.compile(r"^x86 (?P<name>\S+)\s*(?:  (?P<desc>.*))?$")
NON_FEATURE_PROPS = ("vendor", "family", "model", "stepping", "model-id", "level", "xlevel", "xlevel2",
                     "min-level", "min-xlevel", "min-xlevel2", "level-func7", "legacy-cache", "pmu")
SOURCE = (
    "Harvested from the binary by model/harvest/x86_models.py (python -m model.harvest.x86_cpu) on "
    "-machine pc. definitions[BASE].v1: the model as loaded under TCG, read with query-cpu-model-expansion "
    "'full' of BASE-v1 with full-cpuid-auto-level=off (so level/xlevel are the definition's own), each "
    "feature name read from an expansion that forces on only that name's dependency ancestors, so bits "
    "that dependencies would clear are still seen. Limits: 'vme' is always off (TCG default props run "
    "at instance init), so a definition's own vme bit is not observable under TCG; 'hypervisor' is set "
    "on every model by loading, so it is listed although it may not be in the source definition; names "
    "in the KVM leaf are cleared before they can be read. versions[N].props: the changes from v(N-1) to "
    "vN of the loaded definitions (a version prop that re-sets a value the previous version already had "
    "is not observable). versions[N].model_id etc.: as loaded. aliases: query-cpu-definitions alias-of "
    "on -machine pc (unversioned names resolve per machine type: see x86_machine_cpu_compat.json). "
    "help: the description column of -cpu help; note: the [..] part of a version's description. "
    "expanded: level/xlevel etc. of a default full expansion (auto-level on), for checking. "
    "rebuild_mismatches: self-check, the full expansion of 'base' given this version's loaded values and "
    "features as props compared with the model's own full expansion ({prop: [model, rebuilt]}; empty = "
    "the recorded definition reproduces the model exactly). legacy-cache "
    "and pmu are as loaded (legacy-cache=false marks models with their own cache info). special: base, "
    "max, host expanded plainly (host expands under TCG like max, but realizing it fails). -cpu help is "
    "byte-identical with -machine pc, q35, none, isapc and microvm (the help harvest fails otherwise)."
)


def parse_help_models(text: str) -> dict[str, str]:
    """``{model: description}`` from the ``Available CPUs:`` part of ``-cpu help``."""
    out: dict[str, str] = {}
    for line in text.split("Recognized CPUID flags:", 1)[0].splitlines():
        m = HELP_LINE.match(line)
        if m:
            out[m["name"]] = m["desc"] or ""
    return out


class ModelHarvest:
    def __init__(self, features: dict[str, Any]) -> None:
        self.names: list[str] = sorted(set(features["help_flag_names"]))
        self.children: dict[str, list[str]] = features["dependencies"]
        ancestors: dict[str, set[str]] = {n: set() for n in self.names}
        for parent, kids in self.children.items():
            for kid in kids:
                ancestors[kid].add(parent)
        groups: dict[frozenset[str], list[str]] = {}
        for n in self.names:
            groups.setdefault(frozenset(ancestors[n]), []).append(n)
        self.groups = groups
        self.help = run_binary(["-cpu", "help"]).stdout
        self.descriptions = parse_help_models(self.help)

    def harvest(self) -> dict[str, Any]:
        with DrainingSession(["-machine", "pc"]) as q:
            self.q = q
            defs = sorted(q.cmd("query-cpu-definitions"), key=lambda d: str(d["name"]))
            by_name = {d["name"]: d for d in defs}
            bases = sorted({m[1] for d in defs if (m := re.fullmatch(r"(.+)-v(\d+)", d["name"]))})
            definitions = {b: self.model_record(b, by_name) for b in bases}
            special = {n: self.special_record(by_name[n]) for n in by_name if n in ("base", "max", "host")}
        models = {}
        for d in defs:
            entry = {k: d[k] for k in ("typename", "static", "migration-safe", "deprecated")}
            entry["unavailable_features_tcg"] = d["unavailable-features"]
            entry["alias_of"] = d.get("alias-of")
            entry["help"] = self.descriptions.get(d["name"])
            models[d["name"]] = entry
        return {"models": models, "definitions": definitions, "special": special,
                "help_order": list(self.descriptions)}

    def expand(self, name: str, props: dict[str, Any]) -> dict[str, Any]:
        reply = self.q.cmd_raw("query-cpu-model-expansion", type="full", model={"name": name, "props": props})
        if "error" in reply:
            return {"error": reply["error"]["desc"]}
        out: dict[str, Any] = reply["return"]["model"]["props"]
        return out

    def loaded(self, name: str) -> dict[str, Any]:
        """The model as loaded: non-feature props plus the sorted list of features set."""
        plain = self.expand(name, {"full-cpuid-auto-level": False})
        feats: list[str] = []
        for anc, members in self.groups.items():
            got = plain if not anc else self.expand(name, {"full-cpuid-auto-level": False, **dict.fromkeys(anc, True)})
            feats.extend(n for n in members if got.get(n) is True)
        out: dict[str, Any] = {p: plain[p] for p in NON_FEATURE_PROPS if p in plain}
        out["features"] = sorted(feats)
        return out

    def model_record(self, base: str, by_name: dict[str, dict[str, Any]]) -> dict[str, Any]:
        versions = sorted((int(m[1]), n) for n in by_name if (m := re.fullmatch(re.escape(base) + r"-v(\d+)", n)))
        records: dict[str, Any] = {}
        previous: dict[str, Any] | None = None
        for number, vname in versions:
            cur = self.loaded(vname)
            rec: dict[str, Any] = {p: cur[p] for p in NON_FEATURE_PROPS if p in cur}
            if previous is None:
                rec["features"] = cur["features"]
            else:
                rec["props"] = version_diff(previous, cur)
            desc = self.descriptions.get(vname, "")
            rec["help"] = desc
            note = desc[len(cur.get("model-id", "")):].strip() if desc.startswith(cur.get("model-id", "")) else None
            rec["note"] = note[1:-1] if note and note.startswith("[") and note.endswith("]") else None
            rec["aliases"] = sorted(n for n, d in by_name.items() if d.get("alias-of") == vname and n != base)
            full = self.expand(vname, {})
            rec["expanded"] = {p: v for p, v in full.items() if p in NON_FEATURE_PROPS}
            rec["rebuild_mismatches"] = self.rebuild_mismatches(cur, full)
            records[str(number)] = rec
            previous = cur
        return {"versions": records, "unversioned_alias": base if base in by_name else None,
                "deprecated": bool(by_name.get(base, {}).get("deprecated"))}

    def rebuild_mismatches(self, cur: dict[str, Any], full: dict[str, Any]) -> dict[str, list[Any]]:
        """Self-check: ``base`` given the loaded definition as props must expand like the model.
        Differences (expected none) are listed as {prop: [model, rebuilt]}."""
        props: dict[str, Any] = {p: cur[p] for p in ("vendor", "family", "model", "stepping", "model-id", "min-level",
                                                     "min-xlevel", "min-xlevel2", "legacy-cache") if p in cur}
        props.update(dict.fromkeys(cur["features"], True))
        rebuilt = self.expand("base", props)
        return {k: [full.get(k), rebuilt.get(k)] for k in sorted(set(full) | set(rebuilt))
                if full.get(k) != rebuilt.get(k)}

    def special_record(self, d: dict[str, Any]) -> dict[str, Any]:
        """``base``/``max``/``host``: what the expansion shows (host fails under TCG)."""
        got = self.expand(d["name"], {})
        rec: dict[str, Any] = {"help": self.descriptions.get(d["name"])}
        if "error" in got:
            rec["expansion_error"] = got["error"]
        else:
            rec.update({p: got[p] for p in NON_FEATURE_PROPS if p in got})
            rec["features"] = sorted(n for n in self.names if got.get(n) is True)
        return rec


def version_diff(prev: dict[str, Any], cur: dict[str, Any]) -> dict[str, Any]:
    """The props that turn ``prev`` into ``cur`` (features as booleans, others as values)."""
    out: dict[str, Any] = {p: cur[p] for p in NON_FEATURE_PROPS if p in cur and cur[p] != prev.get(p)}
    before, after = set(prev["features"]), set(cur["features"])
    out.update(dict.fromkeys(sorted(after - before), True))
    out.update(dict.fromkeys(sorted(before - after), False))
    return dict(sorted(out.items()))


def models_document(version: str, features: dict[str, Any]) -> dict[str, Any]:
    doc = ModelHarvest(features).harvest()
    doc.update({"qemu_version": version, "source": SOURCE})
    return doc
