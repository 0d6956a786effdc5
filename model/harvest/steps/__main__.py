"""Harvest the real binary's steps, check them, or compare the model with them.

    python -m model.harvest.steps              # run every case under gdb; rewrite model/data/steps/
    python -m model.harvest.steps --cases A B  # harvest only these; merge them into the data
    python -m model.harvest.steps --check      # re-harvest; exit 1 if the binary disagrees with the data
    python -m model.harvest.steps --compare    # model vs committed data: share per projection, first divergence
    python -m model.harvest.steps --compare -v CASE   # ... and the full step-by-step diff of one case
    python -m model.harvest.steps --compare --prefix  # only up to the CPUs' realize

The comparison covers the whole startup: each run to ``qemu_main_loop`` (board init, the
machine-done notifiers, ``qdev_prop_check_globals``) or to its exit. ``--prefix`` compares
only up to the return of ``x86_cpus_init`` (the CPUs created and realized; for a board without
it, the return of ``machine_run_board_init``), the scope before the board was modelled.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import sys
from collections.abc import Sequence

from model.harvest.datafile import write_or_check
from model.harvest.session import BASE_ARGS, HarvestError, qemu_version
from model.harvest.steps import effects
from model.harvest.steps.cases import CASES
from model.harvest.steps.compare import PROJECTIONS, CaseResult, compare_case, split, totals
from model.harvest.steps.gdbrun import run_under_gdb
from model.harvest.steps.model_side import project_trace
from model.harvest.steps.project import Projected, project, registrations_of
from model.harvest.steps.store import STEPS_DIR, Case, StepsData, TypeFacts, TypeRow, load, render
from model.qom.init_effects import EFFECTS_FILE


def harvest(names: Sequence[str]) -> StepsData:
    """Run each case under gdb (the first run teaches the later ones where the hooks are)."""
    known: dict[int, str] = {}
    cases: list[Case] = []
    startup: list[TypeRow] | None = None
    late: dict[str, tuple[TypeRow, str | None]] = {}
    walk: list[str] = []
    for name in names:
        argv = list(CASES[name])
        print(f"harvesting {name}: {' '.join(argv)}", file=sys.stderr)
        raw = run_under_gdb(argv, known, walk=not walk)
        walk = walk or raw.walk
        known.update(raw.hooks)
        p = project(raw)
        cases.append(Case(name, argv, p.exit_status, p.stderr, p.cut, p.steps, p.registrations))
        regs = [(TypeRow(r.name, r.parent, r.hooks), r.after) for r in registrations_of(raw)]
        if startup is None:
            startup = [row for row, _ in itertools.takewhile(lambda r: str(r[1]).startswith("module_call_init"), regs)]
        for row, after in regs[len(startup):]:
            late.setdefault(row.name, (row, after))
    return StepsData(qemu_version(), cases, TypeFacts(startup or [], list(late.values()), walk))


def merge(committed: StepsData, fresh: StepsData) -> StepsData:
    """The committed data with the freshly harvested cases in (``--cases``): every case in
    ``CASES`` order, each from the fresh run if it was harvested; the late registrations of
    both runs; the rest as committed."""
    if committed.qemu_version != fresh.qemu_version:
        raise SystemExit(f"harvest: the committed data is from QEMU {committed.qemu_version}, the binary is "
                         f"{fresh.qemu_version}: harvest every case")
    by_name = {c.name: c for c in committed.cases} | {c.name: c for c in fresh.cases}
    late = {row.name: (row, after) for row, after in committed.types.late}
    for row, after in fresh.types.late:
        late.setdefault(row.name, (row, after))
    types = TypeFacts(committed.types.startup, list(late.values()), committed.types.walk)
    return StepsData(committed.qemu_version, [by_name[n] for n in CASES if n in by_name], types)


def model_projection(case: Case) -> Projected:
    from tracer.record import record_trace  # deferred: loads the whole model

    return project_trace(record_trace([*BASE_ARGS, *case.argv]))


def binary_projection(case: Case) -> Projected:
    return Projected(case.steps, case.registrations, case.cut, case.exit_status, case.stderr)


def compare_all(data: StepsData, names: Sequence[str] | None = None, whole: bool = True) -> list[CaseResult]:
    chosen = [c for c in data.cases if names is None or c.name in names]
    return [compare_case(c.name, binary_projection(c), model_projection(c), whole) for c in chosen]


SCOPE = {True: "Each run is compared whole: to qemu_main_loop (board init, machine-done notifiers, "
               "qdev_prop_check_globals) or to its exit.",
         False: "Each run is compared up to the return of x86_cpus_init (the CPUs created and realized; for the "
                "none board, machine_run_board_init)."}


def print_results(results: list[CaseResult], whole: bool = True) -> None:
    print(SCOPE[whole])
    for r in results:
        mark = "identical" if r.identical else "differs"
        print(f"{r.name}: {mark}")
        for p in PROJECTIONS:
            pr = r.projections[p]
            line = (f"  {p:<13} {pr.share:7.1%}  ({pr.matched}/{max(pr.binary_len, pr.model_len)}; "
                    f"in any order {pr.unordered_share:.1%})")
            if pr.first is not None:
                line += f"  first divergence at {pr.first.describe()}"
            print(line)
    print(totals(results).describe())


def print_diff(data: StepsData, name: str, whole: bool = True) -> None:
    case = data.case(name)
    a, b = split(binary_projection(case), whole), split(model_projection(case), whole)
    for p in PROJECTIONS:
        print(f"== {p}")
        sys.stdout.writelines(line + "\n" for line in
                              difflib.unified_diff(a[p], b[p], "binary", "model", n=2, lineterm=""))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.harvest.steps", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="re-harvest and compare with the committed data")
    mode.add_argument("--compare", action="store_true", help="compare the model with the committed data")
    parser.add_argument("-v", "--verbose", metavar="CASE", choices=sorted(CASES),
                        help="with --compare: the full diff of one case")
    parser.add_argument("--prefix", action="store_true",
                        help="with --compare: only up to the CPUs' realize (x86_cpus_init's return)")
    parser.add_argument("--cases", nargs="+", metavar="NAME", choices=sorted(CASES), help="only these cases")
    args = parser.parse_args(argv)
    if args.compare:
        data = load()
        if args.verbose:
            print_diff(data, args.verbose, not args.prefix)
            return 0
        print_results(compare_all(data, args.cases, not args.prefix), not args.prefix)
        return 0
    names = args.cases or list(CASES)
    try:
        fresh = harvest(names)
    except HarvestError as err:
        print(f"harvest: {err}", file=sys.stderr)
        return 2
    if args.check:
        committed = load()
        status = 0
        if committed.qemu_version != fresh.qemu_version:
            print(f"data is from QEMU {committed.qemu_version}, the binary is {fresh.qemu_version}", file=sys.stderr)
            return 1
        if fresh.types.startup != committed.types.startup:
            print("the start-up registrations differ from the binary's", file=sys.stderr)
            status = 1
        for case in fresh.cases:
            same = case == committed.case(case.name)
            print(f"{case.name}: " + ("matches the binary" if same else "differs from the binary"), file=sys.stderr)
            status |= 0 if same else 1
        return status
    if args.cases:
        fresh = merge(load(), fresh)
    regs, cases = render(fresh)
    STEPS_DIR.mkdir(exist_ok=True)
    write_or_check(STEPS_DIR / "types.json", regs, False)
    status = write_or_check(STEPS_DIR / "cases.json", cases, False)
    # What each type's instance_init does, read off all the committed cases' steps.
    return status | write_or_check(EFFECTS_FILE, effects.render(effects.collect(load().cases), fresh.qemu_version),
                                   False)


if __name__ == "__main__":
    sys.exit(main())
