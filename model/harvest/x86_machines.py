"""Harvest per-machine-type CPU facts: default CPU, alias resolution and CPU compat properties.

For every machine type of ``query-machines`` one QEMU runs ``-machine M`` (default CPU), and over
QMP we read: the realized default CPU's properties; ``query-cpu-definitions`` (``alias-of`` of the
unversioned names shows how this machine resolves them: ``X-v1``, the latest version, or none at
all for "legacy" machines that apply no version props); and a ``full`` model expansion of every
model. Model expansion creates the CPU object like ``-cpu`` does, so the machine's compat
properties (registered as globals before the CPU exists) show up in it. Differences from the
newest machine of the same family are the observable effect of the compat properties;
:mod:`model.harvest.x86_compat` reduces them to compat entries and verifies those with ``-global``.
"""

from __future__ import annotations

import re
from typing import Any

from model.harvest.cpu_probe import DrainingSession, all_props, run_parallel
from model.harvest.session import HarvestError
from model.harvest.x86_compat import Minimizer, group, verify

SKIP_PROPS = {"apic-id", "thread-id", "core-id", "die-id", "socket-id", "node-id", "crash-information",
              "start-powered-off", "realized", "hotplugged", "hotpluggable", "parent_bus", "memory",
              "legacy-memory", "type"}
SOURCE = (
    "Harvested from the binary by model/harvest/x86_machines.py and x86_compat.py (python -m "
    "model.harvest.x86_cpu). Per machine type of query-machines: one QEMU with '-machine M' (default "
    "CPU). unversioned_alias_of: query-cpu-definitions alias-of of every unversioned model name on that "
    "machine (null = no version resolved: the 'legacy' behaviour, version props not applied); "
    "unversioned_alias_resolution summarises it (v1 / latest / legacy). default_cpu: the realized first "
    "CPU (qom-get of every property; props given for the reference machine only) and its differences from"
    " the reference machine's (null when the default CPU types differ). inferred_compat_props: the CPU "
    "compat properties as [{driver, property, value}] (value as QMP shows it; as a -global it is on/off "
    "for booleans). Derived from the query-cpu-model-expansion 'full' of every -cpu help model compared "
    "with the reference machine (pc-q35-7.2 for pc-q35-*, else pc-i440fx-7.2): each model's differences "
    "are minimised (differences implied by the others, like level after min-level or vmx-* bits kept "
    "alive by vmx=on, are dropped when the expansion with the rest still matches exactly), then grouped "
    "by (property, value): kept for at least half the models -> driver x86_64-cpu (not_seen_on: models "
    "whose own default already equals the value), otherwise the model types it was kept for. "
    "compat_verified: starting the reference machine with every entry as -global DRIVER.PROP=VALUE "
    "reproduces every model's expansion on M exactly, and the realized default CPU's properties when it is "
    "of the same type (compat_unverified_models lists what does not; microvm's realized host-phys-bits=on "
    "is not a compat property: no expansion shows it, so the machine sets it on the CPUs it creates). "
    "Unversioned aliases on machines resolving them to a version other than v1 are left out (their "
    "differences are version props); legacy alias property names are left out (they mirror their "
    "targets). Limits: the driver is an inference (an entry for x86_64-cpu that only some models can show"
    " is listed per model type, which behaves the same for every model); a compat value equal to every "
    "model's default is invisible; realize-only effects are seen only in default_cpu."
)


def _cpu_props(q: DrainingSession) -> tuple[str | None, dict[str, Any]]:
    cpus = q.cmd("query-cpus-fast")
    if not cpus:
        return None, {}
    path = cpus[0]["qom-path"]
    names = [n for n in all_props(q.cmd("qom-list", path=path)) if n not in SKIP_PROPS]
    props = {}
    for n in names:
        reply = q.cmd_raw("qom-get", path=path, property=n)
        if "return" in reply:
            props[n] = reply["return"]
    return q.cmd("qom-get", path=path, property="type"), dict(sorted(props.items()))


def observe_machine(machine: str) -> dict[str, Any]:
    """Everything one ``-machine M`` process shows about CPUs."""
    session = DrainingSession(["-machine", machine])
    try:
        session.start()
    except HarvestError:
        done = session.early_exit
        return {"start_error": done.stderr.splitlines() if done else ["did not start"]}
    try:
        cpu_type, props = _cpu_props(session)
        defs = session.cmd("query-cpu-definitions")
        expansions: dict[str, dict[str, Any]] = {}
        for d in sorted(defs, key=lambda x: str(x["name"])):
            reply = session.cmd_raw("query-cpu-model-expansion", type="full", model={"name": d["name"]})
            if "return" in reply:
                expansions[d["name"]] = {k: v for k, v in reply["return"]["model"]["props"].items()
                                         if k not in SKIP_PROPS}
    finally:
        session.close()
    return {"cpu_type": cpu_type, "props": props, "defs": defs, "expansions": expansions,
            "stderr": session.stderr_text.splitlines()}


def _diff(cur: dict[str, Any], ref: dict[str, Any], skip: set[str] = SKIP_PROPS) -> dict[str, Any]:
    return {k: cur[k] for k in sorted(cur) if k in ref and k not in skip and cur[k] != ref[k]}


def _resolution(alias_of: dict[str, str | None], versions: dict[str, list[int]]) -> str:
    kinds = set()
    for name, target in alias_of.items():
        if target is None:
            kinds.add("legacy")
        elif target == f"{name}-v1":
            kinds.add("v1")
        elif target == f"{name}-v{max(versions[name])}":
            kinds.add("latest")
        else:
            kinds.add("other")
    if kinds == {"v1", "latest"}:
        return "latest"  # models with only v1 are both
    return kinds.pop() if len(kinds) == 1 else "mixed"


def machines_document(version: str, alias_props: set[str], feature_names: set[str]) -> dict[str, Any]:
    """``alias_props``: legacy alias property names (they mirror their targets; left out)."""
    with DrainingSession(["-machine", "none"]) as q:
        machines = sorted(q.cmd("query-machines"), key=lambda m: str(m["name"]))
    names = [m["name"] for m in machines]
    observed = dict(zip(names, run_parallel(observe_machine, names, "machines"), strict=True))
    ignore = SKIP_PROPS | alias_props
    out: dict[str, Any] = {}
    pending: dict[str, tuple[str, dict[str, dict[str, Any]], list[str]]] = {}
    for m in machines:
        name = m["name"]
        obs = observed[name]
        ref_name = "pc-q35-7.2" if name.startswith("pc-q35-") else "pc-i440fx-7.2"
        ref = observed[ref_name]
        rec: dict[str, Any] = {k.replace("-", "_"): m[k] for k in sorted(m) if k != "name"}
        rec["reference_machine"] = ref_name
        out[name] = rec
        if "start_error" in obs:
            rec["start_error"] = obs["start_error"]
            continue
        versions: dict[str, list[int]] = {}
        for d in obs["defs"]:
            v = re.fullmatch(r"(.+)-v(\d+)", d["name"])
            if v:
                versions.setdefault(v[1], []).append(int(v[2]))
        alias_of = {d["name"]: d.get("alias-of") for d in obs["defs"] if d["name"] in versions}
        rec["unversioned_alias_resolution"] = _resolution(alias_of, versions)
        rec["unversioned_alias_of"] = dict(sorted(alias_of.items()))
        rec["stderr"] = obs["stderr"]
        rec["default_cpu"] = None if obs["cpu_type"] is None else {
            "type": obs["cpu_type"],
            "props": obs["props"] if name == ref_name else None,
            "diff_vs_reference": _diff(obs["props"], ref["props"]) if obs["cpu_type"] == ref["cpu_type"] else None,
        }
        skip = set(versions) if rec["unversioned_alias_resolution"] not in ("v1", "legacy") else set()
        diffs = {model: d for model, exp in obs["expansions"].items()
                 if model not in skip and (d := _diff(exp, ref["expansions"].get(model, {}), ignore))}
        pending[name] = (ref_name, diffs, sorted(set(obs["expansions"]) - skip))
    for ref_name in sorted({p[0] for p in pending.values()}):
        with DrainingSession(["-machine", ref_name]) as q:
            minimizer = Minimizer(q, feature_names, ignore)
            for name, (r, diffs, models) in pending.items():
                if r != ref_name:
                    continue
                targets = observed[name]["expansions"]
                minimal = {m: minimizer.minimal(m, d, targets[m]) for m, d in diffs.items()}
                out[name]["inferred_compat_props"] = group(minimal, models)

    def check(name: str) -> list[str]:
        ref_name, _, models = pending[name]
        targets = {m: observed[name]["expansions"][m] for m in models}
        default = (observed[name]["cpu_type"], observed[name]["props"])
        return verify(ref_name, out[name]["inferred_compat_props"], targets, ignore, default, _cpu_props)

    todo = sorted(pending)
    for name, bad in zip(todo, run_parallel(check, todo, "compat verification"), strict=True):
        out[name]["compat_verified"] = not bad
        out[name]["compat_unverified_models"] = bad
    return {"qemu_version": version, "source": SOURCE, "machines": out}
