"""Reconstruct QEMU's feature-dependency table (entries and their order) from observed warnings.

QEMU walks an ordered table once at realize: for each entry (parent bit, child word, child mask),
if the parent is off, every child bit still set is cleared, with a warning for each one the user
asked for (``This feature depends on other features that were not requested: LABEL.name [bit N]``).
We see only the warnings, so:

* runs: every name requested but one parent (``S_P``); every dependent requested, no parent (``G``);
  every parent off but those that are themselves parents of parents (``H``); and seeded random
  requests.
* entries: in ``S_P``, the warnings come in runs of one word with rising bits; a run that starts
  with a bit only ``P`` can clear is one of ``P``'s own entries (the others are cascades through
  parents ``P`` cleared).
* order: a warned bit that only one entry (with its parent off) could have cleared orders that
  entry against its neighbours; a topological sort, then moving entries to where more runs are
  reproduced by simulating the walk. Half the random runs are held out:
  ``holdout_runs_reproduced`` says how many of those the table predicts exactly.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from model.harvest.cpu_probe import probe, run_parallel
from model.harvest.x86_warnings import parse_warning

DEP_PREFIX = "This feature depends on other features that were not requested"
Item = tuple[str, int, int]  # (name, word index, bit)
Entry = tuple[str, int, tuple[Item, ...]]  # (parent, word, items in bit order)
Loc = dict[str, list[tuple[int, int]]]
Run = tuple[list[str], list[Item]]


def _warned(requested: list[str], loc: Loc) -> list[Item]:
    p = probe(["-machine", "pc", "-cpu", "base," + ",".join(f"{n}=on" for n in requested)], [])
    out: list[Item] = []
    for line in p.warnings():
        w = parse_warning(line)
        if w is not None and w[0] == DEP_PREFIX:
            word = next(wd for wd, b in loc[w[2]] if b == w[3])
            out.append((w[2], word, w[3]))
    return out


def _segments(seq: list[Item]) -> list[list[Item]]:
    segs: list[list[Item]] = []
    for item in seq:
        if segs and segs[-1][-1][1] == item[1] and segs[-1][-1][2] < item[2]:
            segs[-1].append(item)
        else:
            segs.append([item])
    return segs


def simulate(entries: list[Entry], requested: set[str], loc: Loc) -> list[Item]:
    """The warnings the table walk gives on ``base`` with ``requested`` names turned on."""
    on = {(w, b) for n in requested for w, b in loc.get(n, [])}
    warned: list[Item] = []
    for parent, _word, items in entries:
        if all(wb in on for wb in loc[parent]):
            continue
        for name, w, b in items:
            if (w, b) in on:
                warned.append((name, w, b))  # every set bit here was requested by the user
                on.discard((w, b))
    return warned


def derive_table(names: list[str], children: dict[str, list[str]], loc: Loc, seed: int = 7) -> dict[str, Any]:
    parents = sorted(children)
    kids = sorted({c for cs in children.values() for c in cs})
    grand = sorted(p for p in parents if any(c in children for c in children[p]))
    rng = random.Random(seed)
    randoms = [sorted(n for n in names if rng.random() < p) for p in (0.3, 0.5, 0.7) for _ in range(12)]
    requests: list[list[str]] = [[n for n in names if n != p] for p in parents]
    requests += [kids, [n for n in names if n not in parents or n in grand]]
    fit_count = len(requests) + len(randoms) // 2
    requests += randoms
    observed = run_parallel(lambda r: _warned(r, loc), requests, "dependency runs")
    by_parent = dict(zip(parents, observed, strict=False))
    entries: list[Entry] = []
    for p in parents:
        inner = {x[0] for x in by_parent[p] if x[0] in children}
        claimed_by_inner = {(x[0], x[2]) for q in inner for x in by_parent[q]}
        entries.extend((p, seg[0][1], tuple(seg)) for seg in _segments(by_parent[p])
                       if (seg[0][0], seg[0][2]) not in claimed_by_inner)
    runs = list(zip(requests, observed, strict=True))
    fit, holdout = runs[:fit_count], runs[fit_count:]
    order = _place(entries, fit, loc)
    return {
        "entries": [{"parent": p, "word": w, "children": [[n, b] for n, _, b in items]} for p, w, items in order],
        "fit_runs_reproduced": [_score(order, fit, loc), len(fit)],
        "holdout_runs_reproduced": [_score(order, holdout, loc), len(holdout)],
    }


def _score(order: list[Entry], runs: list[Run], loc: Loc) -> int:
    return sum(simulate(order, set(r), loc) == o for r, o in runs)


def _place(entries: list[Entry], runs: list[Run], loc: Loc) -> list[Entry]:
    """Order entries by the runs: a warned bit that only one entry with its parent off could
    have cleared is that entry's; consecutive such bits of different entries give "before"
    edges; a topological sort (ties by first sight) gives a first order."""
    index = {e: i for i, e in enumerate(entries)}
    before: dict[int, set[int]] = {i: set() for i in range(len(entries))}
    first_seen: dict[int, tuple[int, int]] = {}
    for r_no, (requested, warned) in enumerate(runs):
        req = set(requested)
        cleared = {x[0] for x in warned}
        off = {e[0] for e in entries if e[0] not in req or e[0] in cleared}
        owners: list[int] = []
        for pos, item in enumerate(warned):
            cands = [index[e] for e in entries if e[0] in off and item in e[2]]
            if len(cands) == 1:
                owners.append(cands[0])
                first_seen.setdefault(cands[0], (r_no, pos))
        for a, b in itertools.pairwise(owners):
            if a != b:
                before[b].add(a)
    order: list[int] = []
    pending = set(range(len(entries)))
    while pending:
        ready = [i for i in pending if not (before[i] & pending)] or list(pending)
        nxt = min(ready, key=lambda i: (first_seen.get(i, (len(runs), 0)), i))
        order.append(nxt)
        pending.discard(nxt)
    return _refine([entries[i] for i in order], runs, loc)


def _refine(order: list[Entry], runs: list[Run], loc: Loc) -> list[Entry]:
    """Move single entries to where more runs are reproduced, until nothing improves (the
    walk's order matters for bits that several entries can clear)."""
    best = _score(order, runs, loc)
    improved = True
    while improved:
        improved = False
        for e in list(order):
            rest = [x for x in order if x != e]
            for i in range(len(rest) + 1):
                trial = [*rest[:i], e, *rest[i:]]
                got = _score(trial, runs, loc)
                if got > best:
                    order, best, improved = trial, got, True
                    break
    return order
