"""Compare the model's projected steps with the binary's: per case, per projection, the share of
matching steps and the first divergence.

The share is the number of steps in matching runs (``difflib``'s matching blocks, no junk
heuristics) over the longer sequence, so both missing and extra steps lower it.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

from model.harvest.steps.project import Projected
from model.harvest.steps.vocabulary import projection_of

PROJECTIONS = ("calls", "hooks", "registrations")


@dataclass(frozen=True)
class Divergence:
    index: int
    binary: str | None
    model: str | None

    def describe(self) -> str:
        return f"step {self.index}: binary {self.binary or '(end)'} | model {self.model or '(end)'}"


@dataclass(frozen=True)
class ProjectionResult:
    name: str
    binary_len: int
    model_len: int
    matched: int
    unordered: int
    first: Divergence | None

    @property
    def identical(self) -> bool:
        return self.first is None

    @property
    def share(self) -> float:
        longest = max(self.binary_len, self.model_len)
        return 1.0 if longest == 0 else self.matched / longest

    @property
    def unordered_share(self) -> float:
        """The same steps in any order: shows how much of a low share is order alone."""
        longest = max(self.binary_len, self.model_len)
        return 1.0 if longest == 0 else self.unordered / longest


@dataclass(frozen=True)
class CaseResult:
    name: str
    projections: dict[str, ProjectionResult]
    exit_binary: int | None
    exit_model: int | None

    @property
    def identical(self) -> bool:
        return all(p.identical for p in self.projections.values())


def prefix(steps: list[str]) -> list[str]:
    """The steps up to and including the first ``end`` line: the CPUs created and realized (for
    a board without ``x86_cpus_init``, the whole board init); a run that exits before is whole."""
    for i, step in enumerate(steps):
        if step.startswith("end "):
            return steps[:i + 1]
    return steps


def split(p: Projected, whole: bool = True) -> dict[str, list[str]]:
    """The three projections of one run, whole (to ``qemu_main_loop``) or only its prefix."""
    out: dict[str, list[str]] = {"calls": [], "hooks": []}
    for step in p.steps if whole else prefix(p.steps):
        out[projection_of(step)].append(step)
    out["registrations"] = list(p.registrations)
    return out


def compare_sequences(name: str, binary: list[str], model: list[str]) -> ProjectionResult:
    matcher = difflib.SequenceMatcher(None, binary, model, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    unordered = sum((Counter(binary) & Counter(model)).values())
    first = None
    for i in range(max(len(binary), len(model))):
        a = binary[i] if i < len(binary) else None
        b = model[i] if i < len(model) else None
        if a != b:
            first = Divergence(i, a, b)
            break
    return ProjectionResult(name, len(binary), len(model), matched, unordered, first)


def compare_case(name: str, binary: Projected, model: Projected, whole: bool = True) -> CaseResult:
    a, b = split(binary, whole), split(model, whole)
    results = {p: compare_sequences(p, a[p], b[p]) for p in PROJECTIONS}
    return CaseResult(name, results, binary.exit_status, model.exit_status)


@dataclass(frozen=True)
class Totals:
    cases: int
    identical: int
    shares: dict[str, float]
    unordered: dict[str, float]

    def describe(self) -> str:
        shares = ", ".join(f"{p} {self.shares[p]:.1%} (in any order {self.unordered[p]:.1%})" for p in PROJECTIONS)
        return f"{self.identical}/{self.cases} command lines identical; matching steps: {shares}"


def totals(results: list[CaseResult]) -> Totals:
    """Shares over all cases together (matched steps over the longer side's steps, summed)."""
    shares: dict[str, float] = {}
    unordered: dict[str, float] = {}
    for p in PROJECTIONS:
        longest = sum(max(r.projections[p].binary_len, r.projections[p].model_len) for r in results)
        matched = sum(r.projections[p].matched for r in results)
        anyorder = sum(r.projections[p].unordered for r in results)
        shares[p] = 1.0 if longest == 0 else matched / longest
        unordered[p] = 1.0 if longest == 0 else anyorder / longest
    return Totals(len(results), sum(r.identical for r in results), shares, unordered)
