"""Turn per-model expansion differences between machine types into verified CPU compat props.

A machine's CPU compat properties are globals applied to every new CPU. Their observable effect
(a model's expansion on the old machine differs from the newest one) also contains *derived*
differences: ``level`` follows a changed ``min-level`` or ``full-cpuid-auto-level=off``, and
``vmx-*`` bits of a model's definition survive when a compat prop turns ``vmx`` on. So:

1. Minimise: on the reference machine, for each model, drop every difference that the others
   already imply, checking each drop with ``query-cpu-model-expansion`` (props applied to the
   model reproduce the old machine's expansion exactly). Only feature and level properties are
   candidates for dropping; other properties cannot be caused by anything else.
2. Group: a (property, value) kept for at least half the models is taken to target the abstract
   ``x86_64-cpu`` (models whose own default already equals it cannot show it: ``not_seen_on``);
   the rest target the model types it was kept for.
3. Verify: start the reference machine with every inferred entry as ``-global DRIVER.PROP=VALUE``
   and compare every model's expansion, and the realized default CPU's properties, with the old
   machine's (``compat_verified``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from model.harvest.cpu_probe import DrainingSession

LEVEL_PROPS = ("level", "xlevel", "xlevel2", "level-func7", "min-level", "min-xlevel", "min-xlevel2")
Expansions = dict[str, dict[str, Any]]


def global_text(value: Any) -> str:
    """A property value as ``-global``/compat props spell it."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


class Minimizer:
    """One session on the reference machine; memoised per (model, differences)."""

    def __init__(self, session: DrainingSession, feature_names: set[str], ignore: set[str]) -> None:
        self.q = session
        self.features = feature_names
        self.ignore = ignore
        self.cache: dict[tuple[str, frozenset[tuple[str, str]]], dict[str, Any]] = {}

    def expand(self, model: str, props: dict[str, Any]) -> dict[str, Any] | None:
        reply = self.q.cmd_raw("query-cpu-model-expansion", type="full", model={"name": model, "props": props})
        if "error" in reply:
            return None
        got: dict[str, Any] = reply["return"]["model"]["props"]
        return {k: v for k, v in got.items() if k not in self.ignore}

    def minimal(self, model: str, diff: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
        """The smallest sub-dict of ``diff`` that, applied to ``model``, gives ``target``."""
        key = (model, frozenset((k, repr(v)) for k, v in diff.items()))
        if key in self.cache:
            return self.cache[key]
        want = {k: v for k, v in target.items() if k not in self.ignore}
        kept = dict(diff)
        if self.expand(model, kept) == want:
            order = sorted((k for k in diff if k in LEVEL_PROPS or k in self.features),
                           key=lambda k: (k not in LEVEL_PROPS, k.startswith("min-"), k))
            for prop in order:
                trial = {k: v for k, v in kept.items() if k != prop}
                if self.expand(model, trial) == want:
                    kept = trial
        self.cache[key] = kept
        return kept


def group(minimal_sets: dict[str, dict[str, Any]], models: list[str]) -> list[dict[str, Any]]:
    """(property, value) pairs to compat entries with an inferred driver type."""
    where: dict[tuple[str, str], list[str]] = {}
    values: dict[tuple[str, str], Any] = {}
    for model, props in minimal_sets.items():
        for prop, value in props.items():
            key = (prop, repr(value))
            where.setdefault(key, []).append(model)
            values[key] = value
    out: list[dict[str, Any]] = []
    for key in sorted(where):
        seen = sorted(where[key])
        if len(seen) * 2 >= len(models):
            out.append({"driver": "x86_64-cpu", "property": key[0], "value": values[key],
                        "not_seen_on": sorted(set(models) - set(seen))})
        else:
            out.extend({"driver": f"{m}-x86_64-cpu", "property": key[0], "value": values[key]} for m in seen)
    return out


CpuReader = Callable[[DrainingSession], tuple[str | None, dict[str, Any]]]


def verify(reference: str, entries: list[dict[str, Any]], targets: Expansions, ignore: set[str],
           default_cpu: tuple[str | None, dict[str, Any]], read_cpu: CpuReader) -> list[str]:
    """What differs when the entries are applied as ``-global`` options on the reference
    machine: model names whose expansion differs, and ``realized default CPU: props`` when the
    realized default CPU (same type) differs from the one observed on the machine itself."""
    args = ["-machine", reference]
    for e in entries:
        args += ["-global", f"{e['driver']}.{e['property']}={global_text(e['value'])}"]
    bad: list[str] = []
    with DrainingSession(args) as q:
        for model, target in targets.items():
            reply = q.cmd_raw("query-cpu-model-expansion", type="full", model={"name": model})
            got = reply.get("return", {}).get("model", {}).get("props", {})
            want = {k: v for k, v in target.items() if k not in ignore}
            if {k: v for k, v in got.items() if k not in ignore} != want:
                bad.append(model)
        cpu_type, props = read_cpu(q)
    if default_cpu[0] is not None and default_cpu[0] == cpu_type:
        differ = sorted(k for k in set(props) | set(default_cpu[1]) if props.get(k) != default_cpu[1].get(k))
        if differ:
            bad.append("realized default CPU: " + ", ".join(differ))
    return bad
