"""The committed steps data (``model/data/steps/``), compact and deduplicated.

``types.json`` holds, once, the type registration order every run shares (the types the
executable registers at start-up) with the hooks each TypeInfo sets, the types some runs
register later (and the call they followed), and the order the first walk over the type table
visits the types. ``cases.json`` holds one record per command line with
one step per line; a case's steps usually begin like an earlier case's (every run registers
the same types and walks the same table), so a record names that case and how many of its
steps it shares, and stores only the rest. Registrations are likewise the shared list's first
``common`` names plus the case's ``extra`` ones (types registered late, e.g. by a module).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model.data_files import DATA_DIR

STEPS_DIR = DATA_DIR / "steps"


@dataclass(frozen=True)
class Case:
    """One harvested command line and its projected steps (already expanded)."""

    name: str
    argv: list[str]
    exit_status: int | None
    stderr: list[str]
    cut: str | None
    steps: list[str]
    registrations: list[str]


@dataclass(frozen=True)
class TypeRow:
    """A registered type: name, parent and the hooks its TypeInfo sets (letters ``cbip``)."""

    name: str
    parent: str | None
    hooks: str


@dataclass(frozen=True)
class TypeFacts:
    startup: list[TypeRow]
    late: list[tuple[TypeRow, str | None]]
    walk: list[str]


@dataclass(frozen=True)
class StepsData:
    qemu_version: str
    cases: list[Case]
    types: TypeFacts

    def case(self, name: str) -> Case:
        for case in self.cases:
            if case.name == name:
                return case
        raise KeyError(name)


def _shared_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def render_types(version: str, facts: TypeFacts) -> str:
    rows = ",\n".join(json.dumps([t.name, t.parent, t.hooks]) for t in facts.startup)
    late = ",\n".join(json.dumps([t.name, t.parent, t.hooks, after]) for t, after in facts.late)
    walk = ",\n".join(json.dumps(n) for n in facts.walk)
    return ('{"qemu_version": ' + json.dumps(version) + ',\n"startup": [\n' + rows + '\n],\n"late": [\n'
            + late + '\n],\n"walk": [\n' + walk + "\n]}\n")


def load_types(directory: Path = STEPS_DIR) -> TypeFacts:
    doc = json.loads((directory / "types.json").read_text())
    return TypeFacts(startup=[TypeRow(*row) for row in doc["startup"]],
                     late=[(TypeRow(*row[:3]), row[3]) for row in doc["late"]], walk=doc["walk"])


def render(data: StepsData) -> tuple[str, str]:
    """The two files' text: ``types.json`` and ``cases.json``."""
    common = [t.name for t in data.types.startup]
    regs = render_types(data.qemu_version, data.types)
    records: list[str] = []
    for i, case in enumerate(data.cases):
        head: dict[str, Any] = {"name": case.name, "argv": case.argv, "exit_status": case.exit_status,
                                "stderr": case.stderr, "cut": case.cut,
                                "registrations": {"common": len(common), "extra": case.registrations[len(common):]}}
        best, shared = None, 0
        for other in data.cases[:i]:
            n = _shared_prefix(other.steps, case.steps)
            if n > shared:
                best, shared = other.name, n
        if best is not None and shared > 50:
            head["steps_from"] = {"case": best, "shared": shared}
            rest = case.steps[shared:]
        else:
            rest = case.steps
        body = json.dumps(head)[:-1] + ', "steps": [' + ("\n" if rest else "")
        records.append(body + ",\n".join(json.dumps(s) for s in rest) + "]}")
    cases = ('{"qemu_version": ' + json.dumps(data.qemu_version) + ', "cases": [\n'
             + ",\n".join(records) + "\n]}\n")
    return regs, cases


def load(directory: Path = STEPS_DIR) -> StepsData:
    """Read and expand the committed data."""
    facts = load_types(directory)
    doc = json.loads((directory / "cases.json").read_text())
    common = [t.name for t in facts.startup]
    expanded: dict[str, list[str]] = {}
    cases: list[Case] = []
    for rec in doc["cases"]:
        steps: list[str] = rec["steps"]
        ref = rec.get("steps_from")
        if ref is not None:
            steps = expanded[ref["case"]][:ref["shared"]] + steps
        expanded[rec["name"]] = steps
        r = rec["registrations"]
        cases.append(Case(rec["name"], rec["argv"], rec["exit_status"], rec["stderr"], rec["cut"], steps,
                          common[:r["common"]] + r["extra"]))
    return StepsData(doc["qemu_version"], cases, facts)
