"""Harvest conformance expectations: the real binary's results for many ``-cpu`` command lines.

    python -m model.harvest.conformance            # rewrite tests/conformance/{cases,models}.json
    python -m model.harvest.conformance --check    # re-run, report differences, exit 1 if any
    python -m model.harvest.conformance --check --only cases --limit 5

The command lines are test design and live in :mod:`model.harvest.conformance_cases`; every
expectation comes from running the binary.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from model.harvest.conformance_cases import case_list
from model.harvest.cpu_probe import DATA_DIR, REPO_ROOT, compare_text, dump_json, probe, run_parallel
from model.harvest.session import BASE_ARGS, QemuSession, qemu_binary, qemu_version, run_binary
from model.harvest.x86_models import parse_help_models
from model.softmmu.msg import mask_timestamps

CASES = REPO_ROOT / "tests" / "conformance" / "cases.json"
MODELS = REPO_ROOT / "tests" / "conformance" / "models.json"
VALUE_PROPS = ["model-id", "vendor", "family", "model", "stepping", "level", "xlevel", "min-level", "min-xlevel",
               "level-func7", "xlevel2", "min-xlevel2", "tsc-frequency", "phys-bits", "hv-spinlocks",
               "feature-words", "filtered-features", "unavailable-features", "check", "enforce"]
SOURCE = (
    "Harvested from the binary by model/harvest/conformance.py. Each case runs qemu-system-x86_64 with "
    "base_args + args (the harvester also adds '-qmp unix:SOCKET', which connects to our QMP server and "
    "changes nothing else). expect.status 'exited': QEMU ended by itself (exit_status, stdout, stderr "
    "lines exact). 'running': QEMU came up paused; we read the first CPU of query-cpus-fast, then quit "
    "it over QMP (stderr holds what it printed while starting; stdout is empty). cpu.props: qom-get of "
    "the value_props; cpu.features_on: every canonical feature name (the -cpu help flags; aliases left "
    "out) whose qom-get is true; every other canonical name read false. cpus: how many CPUs "
    "query-cpus-fast lists."
)


def feature_names() -> list[str]:
    doc = json.loads((DATA_DIR / "x86_feature_words.json").read_text(encoding="utf-8"))
    return sorted(set(doc["help_flag_names"]))


def _extra(names: list[str]) -> Callable[[QemuSession, str], dict[str, Any]]:
    def read(session: QemuSession, path: str) -> dict[str, Any]:
        on = [n for n in names if session.cmd("qom-get", path=path, property=n) is True]
        return {"__features_on": on, "__cpus": len(session.cmd("query-cpus-fast"))}
    return read


def exits_before_qmp(args: list[str]) -> bool:
    """Help requests make QEMU print and exit before it connects to QMP; run those plainly."""
    if args and args[-1].startswith("-"):  # an option missing its argument fails in pass 1
        return True
    return any(opt in ("-cpu", "-machine", "-M") and val in ("help", "?") for opt, val in itertools.pairwise(args))


def run_case(args: list[str], names: list[str], base_args: Sequence[str] | None = None) -> dict[str, Any]:
    """The expect record of one command line (after ``base_args``, by default BASE_ARGS).

    ``-msg timestamp=on`` puts the time before every stderr line: it is replaced by a fixed
    mask (its shape is checked here, so a line that lost its timestamp shows as a difference).
    """
    base = BASE_ARGS if base_args is None else tuple(base_args)
    if exits_before_qmp(args):
        done = run_binary([*base, *args])
        return {"status": "exited", "exit_status": done.exit_status, "stdout": done.stdout,
                "stderr": mask_timestamps(done.stderr.splitlines()), "cpus": None, "cpu": None}
    p = probe(args, VALUE_PROPS, extra=_extra(names), timeout=10.0, base_args=base)
    if p.exited:
        return {"status": "exited", "exit_status": p.exit_status, "stdout": p.stdout,
                "stderr": mask_timestamps(p.stderr_lines), "cpus": None, "cpu": None}
    cpu: dict[str, Any] | None = None
    cpus = p.props.pop("__cpus", 0)
    if p.cpu_type is not None:
        on = p.props.pop("__features_on")
        cpu = {"qom_type": p.cpu_type, "props": dict(sorted(p.props.items())), "features_on": on}
    return {"status": "running", "exit_status": None, "stdout": "", "stderr": mask_timestamps(p.stderr_lines),
            "cpus": cpus, "cpu": cpu}


def harvest(which: str, limit: int | None) -> str:
    names = feature_names()
    version = qemu_version()
    if which == "cases":
        cases = case_list()[:limit]
        arglists = [c["args"] for c in cases]
    else:
        help_text = run_binary(["-cpu", "help"]).stdout
        models = list(parse_help_models(help_text))[:limit]
        cases = [{"id": m, "args": ["-machine", "pc", "-cpu", m]} for m in models]
        arglists = [c["args"] for c in cases]
    results = run_parallel(lambda a: run_case(a, names), arglists, which)
    out = [{**c, "expect": r} for c, r in zip(cases, results, strict=True)]
    doc = {"qemu_version": version, "source": SOURCE, "base_args": list(BASE_ARGS), "value_props": VALUE_PROPS,
           "feature_names": names, "cases": out}
    return dump_json(doc)


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.harvest.conformance", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files; exit 1 if different")
    parser.add_argument("--only", default="cases,models", help="cases, models or both (comma-separated)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N command lines (with --check)")
    args = parser.parse_args(argv)
    if qemu_binary() is None:
        print("qemu-system-x86_64 is not installed", file=sys.stderr)
        return 2
    if args.limit is not None and not args.check:
        parser.error("--limit only makes sense with --check")
    status = 0
    for which in [w for w in args.only.split(",") if w]:
        path: Path = CASES if which == "cases" else MODELS
        fresh = harvest(which, args.limit)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(fresh, encoding="utf-8")
            out(f"wrote {path}")
            continue
        diff = _check(path, fresh, args.limit)
        if diff:
            status = 1
            out("\n".join(diff[:200]))
        else:
            out(f"{path.name}: up to date")
    return status


def _check(path: Path, fresh: str, limit: int | None) -> list[str]:
    """Differences from the committed file; with ``limit``, only for the re-run cases."""
    if limit is None:
        return compare_text(path, fresh)
    committed = json.loads(path.read_text(encoding="utf-8"))
    new = json.loads(fresh)
    committed["cases"] = committed["cases"][:limit]
    a, b = dump_json(committed).splitlines(), dump_json(new).splitlines()
    return list(difflib.unified_diff(a, b, str(path), "fresh harvest", lineterm="", n=1))


if __name__ == "__main__":
    sys.exit(main())
