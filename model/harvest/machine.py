"""Harvest what the real binary shows of the machine: the monitor's views and the device facts.

    python -m model.harvest.machine            # rewrite model/data/machine/*.jsonl
    python -m model.harvest.machine --check    # re-harvest and compare; exit 1 on a difference
    python -m model.harvest.machine --check --only 3   # ... a sample of 3 cases spread over the list

For every command line in :mod:`model.harvest.machine_cases` (after ``-accel tcg -S -display
none -nodefaults``): the exit status and stderr, and when QEMU comes up, ``info qom-tree`` and
``info qtree`` (HMP through QMP's ``human-monitor-command``), ``query-pci`` and ``info mtree -f``. Then the
``-device help`` text, each catalogue device's ``-device NAME,help`` text, and
``device-list-properties`` for every device type the boards and the catalogue use.

Files are one compact JSON record per line (the first line is a header with the QEMU version),
so they stay small and diff line by line. ``info mtree -f`` goes to its own file, each distinct
text once (in the canonical block order of :mod:`tracer.machine.mtree`: QEMU's own order
follows heap addresses) and each case naming its text by number; many boards share one.

    python -m model.harvest.machine --mtree    # only re-harvest mtree.jsonl
    python -m model.harvest.machine --new      # only the cases not harvested yet, then rewrite all
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from model.harvest.cpu_probe import DATA_DIR, run_parallel
from model.harvest.machine_cases import CASES, CATALOGUE
from model.harvest.machine_facts import derive_facts
from model.harvest.session import BASE_ARGS, QemuSession, qemu_version, run_binary
from tracer.machine.mtree import canonical_text

OUT_DIR = DATA_DIR / "machine"
CASES_FILE = OUT_DIR / "cases.jsonl"
HELP_FILE = OUT_DIR / "device_help.jsonl"
PROPS_FILE = OUT_DIR / "device_props.jsonl"
FACTS_FILE = OUT_DIR / "device_facts.jsonl"
MTREE_FILE = OUT_DIR / "mtree.jsonl"


def hmp(session: QemuSession, command: str) -> str:
    text: str = session.cmd("human-monitor-command", **{"command-line": command})
    return text


def harvest_case(args: Sequence[str]) -> dict[str, Any]:
    """One command line: what the user sees, and the monitor's views when QEMU came up."""
    session = QemuSession(list(args), timeout=30.0)
    done = session.try_start()
    if done is not None:
        return {"args": list(args), "exit_status": done.exit_status, "stderr": done.stderr}
    try:
        views = {"qom_tree": hmp(session, "info qom-tree"), "qtree": hmp(session, "info qtree"),
                 "pci": session.cmd("query-pci"), "mtree": canonical_text(hmp(session, "info mtree -f"))}
    finally:
        session.close()
    return {"args": list(args), "exit_status": 0, "stderr": session.stderr_text, **views}


def harvest_help(name: str) -> dict[str, Any]:
    arg = "help" if name == "help" else f"{name},help"
    done = run_binary([*BASE_ARGS, "-device", arg])
    return {"device": name, "exit_status": done.exit_status, "stdout": done.stdout, "stderr": done.stderr}


_TYPE_IN_TREE = re.compile(r"^\s*/.* \(([^()]+)\)$")
_DEV_IN_QTREE = re.compile(r"^\s*dev: ([^,]+), id")


_LISTED = re.compile(r'^name "([^"]+)"')


def used_types(cases: Sequence[dict[str, Any]], device_help: str = "") -> list[str]:
    """Every device type that appears in a harvested qtree, the catalogue, and every device
    ``-device help`` lists (so any user-creatable device gets its properties from the binary)."""
    names = set(CATALOGUE)
    # CPUs are listed too, but their properties are the x86 harvest's (model/data/x86_*).
    names.update(m.group(1) for line in device_help.splitlines()
                 if (m := _LISTED.match(line)) and not m.group(1).endswith("-x86_64-cpu"))
    for case in cases:
        for line in case.get("qtree", "").splitlines():
            m = _DEV_IN_QTREE.match(line)
            if m:
                names.add(m.group(1))
    return sorted(names)


def harvest_props(types: Sequence[str]) -> list[dict[str, Any]]:
    """``device-list-properties`` for each type (name, type, description, default as QMP gives them)."""
    records = []
    with QemuSession(["-machine", "none"]) as qmp:
        for name in types:
            reply = qmp.cmd_raw("device-list-properties", typename=name)
            records.append({"type": name, "properties": reply.get("return"),
                            "error": reply.get("error", {}).get("desc")})
    return records


def jsonl(header: dict[str, Any], records: Sequence[dict[str, Any]]) -> str:
    lines = [json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False)]
    lines += [json.dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=False) for r in records]
    return "\n".join(lines) + "\n"


def committed_results() -> dict[tuple[str, ...], dict[str, Any]]:
    """The committed case records by command line, each with its ``info mtree -f`` text back."""
    texts = read_mtree()
    _, cases = read_jsonl(CASES_FILE)
    return {tuple(c["args"]): {**c, **({"mtree": texts[tuple(c["args"])]} if tuple(c["args"]) in texts else {})}
            for c in cases}


def harvest(cases: Sequence[Sequence[str]], known: dict[tuple[str, ...], dict[str, Any]] | None = None,
            ) -> dict[Path, str]:
    """Every file from the binary; with ``known`` (records of this same QEMU version), only the
    command lines not among them are run again."""
    version = qemu_version()
    header = {"qemu_version": version, "base_args": list(BASE_ARGS), "source": "model/harvest/machine.py"}
    known = known or {}
    todo = [list(c) for c in cases if tuple(c) not in known]
    fresh = {tuple(r["args"]): r for r in run_parallel(harvest_case, todo, "machine cases")}
    results = [fresh.get(tuple(c)) or known[tuple(c)] for c in cases]
    mtree = mtree_records(results)
    helps = run_parallel(harvest_help, ["help", *CATALOGUE], "device help")
    props = harvest_props(used_types(results, next(h["stdout"] for h in helps if h["device"] == "help")))
    return {CASES_FILE: jsonl(header, results), HELP_FILE: jsonl(header, helps), PROPS_FILE: jsonl(header, props),
            FACTS_FILE: jsonl(header, facts_from(results)),
            MTREE_FILE: jsonl(header, [{"firmware": firmware_sizes()}, *mtree])}


def mtree_records(results: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Take ``mtree`` out of each case record: each distinct text once (``{"id", "text"}``),
    then one ``{"args", "mtree": id}`` per case that came up."""
    ids: dict[str, int] = {}
    refs = []
    for case in results:
        text = case.pop("mtree", None)
        if text is not None:
            refs.append({"args": case["args"], "mtree": ids.setdefault(text, len(ids))})
    return [*({"id": n, "text": t} for t, n in ids.items()), *refs]


def read_mtree() -> dict[tuple[str, ...], str]:
    """The harvested ``info mtree -f`` text of each case (by its arguments)."""
    _, records = read_jsonl(MTREE_FILE)
    texts = {r["id"]: r["text"] for r in records if "text" in r}
    return {tuple(r["args"]): texts[r["mtree"]] for r in records if "args" in r}


FIRMWARE = ("bios.bin", "bios-256k.bin", "bios-microvm.bin", "kvmvapic.bin")


def firmware_sizes() -> dict[str, int]:
    """The size of each BIOS image the x86 boards load (the BIOS region is as large as its
    file) and of the option ROMs they hand to fw_cfg, from the first of QEMU's data
    directories (``-L help``) that has it."""
    dirs = [Path(d) for d in run_binary(["-L", "help"]).stdout.split()]
    return {name: next((d / name).stat().st_size for d in dirs if (d / name).is_file()) for name in FIRMWARE}


def harvest_mtree() -> str:
    """Only ``info mtree -f``, for the committed cases that came up."""
    header, committed = read_jsonl(CASES_FILE)
    fresh = run_parallel(harvest_case, [c["args"] for c in committed if c["exit_status"] == 0], "mtree")
    return jsonl(header, [{"firmware": firmware_sizes()}, *mtree_records(fresh)])


def facts_from(cases: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Derive device facts, with the defaults printed as qtree prints them (from device_props)."""
    from model.hw.core.qdev_props import default_value, print_value, qdev_kind  # deferred: model code

    _, props = read_jsonl(PROPS_FILE)
    types = {t["name"]: t.get("parent") for t in json.loads((DATA_DIR / "qom_types.json").read_text())["types"]}

    def is_a(name: str, ancestor: str) -> bool:
        while name:
            if name == ancestor:
                return True
            name = types.get(name) or ""
        return False

    printed: dict[str, dict[str, str]] = {}
    for rec in props:
        is_pci, is_nic = is_a(rec["type"], "pci-device"), any(p["name"] == "mac" for p in rec["properties"] or [])
        printed[rec["type"]] = {
            p["name"]: print_value(kind, default_value(kind, p.get("default-value")))
            for p in rec["properties"] or []
            for kind in [qdev_kind(is_pci, is_nic, p["name"], p["type"])]}
    return derive_facts(cases, printed, lambda name: is_a(name, "device"), lambda name: is_a(name, "bus"))


def read_jsonl(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A harvested file's header and records."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def check(only: int | None) -> int:
    """Re-run the cases (or a spread sample) and compare each record with the committed one."""
    _, committed = read_jsonl(CASES_FILE)
    chosen = committed if only is None else committed[:: max(1, len(committed) // only)][:only]
    fresh = run_parallel(harvest_case, [c["args"] for c in chosen], "machine cases")
    mtree = read_mtree()
    bad = [" ".join(c["args"]) for c, f in zip(chosen, fresh, strict=True)
           if f.pop("mtree", None) != mtree.get(tuple(c["args"])) or c != f]
    if only is None:
        _, helps = read_jsonl(HELP_FILE)
        fresh_helps = run_parallel(harvest_help, [h["device"] for h in helps], "device help")
        bad += [f"-device {h['device']},help" for h, f in zip(helps, fresh_helps, strict=True) if h != f]
    for line in bad:
        print(f"differs from the binary: {line}", file=sys.stderr)
    print(f"machine: {len(chosen) - len(bad)}/{len(chosen)} cases match the binary", file=sys.stderr)
    return 1 if bad else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.harvest.machine", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="re-harvest and compare with the committed files")
    parser.add_argument("--facts", action="store_true",
                        help="only re-derive device_facts.jsonl from the committed cases (no QEMU needed)")
    parser.add_argument("--mtree", action="store_true", help="only re-harvest mtree.jsonl (info mtree -f)")
    parser.add_argument("--only", type=int, metavar="N", help="with --check: only N cases spread over the list")
    parser.add_argument("--new", action="store_true",
                        help="run only the cases not in the committed data (same QEMU version), then rewrite all")
    args = parser.parse_args(argv)
    if args.check:
        return check(args.only)
    if args.mtree:
        MTREE_FILE.write_text(text := harvest_mtree(), encoding="utf-8")
        print(f"wrote {MTREE_FILE} ({len(text)} bytes)", file=sys.stderr)
        return 0
    if args.facts:
        header, cases = read_jsonl(CASES_FILE)
        FACTS_FILE.write_text(jsonl(header, facts_from(cases)), encoding="utf-8")
        print(f"wrote {FACTS_FILE}", file=sys.stderr)
        return 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    known = None
    if args.new:
        committed_version = read_jsonl(CASES_FILE)[0]["qemu_version"]
        if committed_version != qemu_version():
            print(f"--new: the committed cases are from QEMU {committed_version}, not {qemu_version()}",
                  file=sys.stderr)
            return 2
        known = committed_results()
    for path, text in harvest(CASES, known).items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path} ({len(text)} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
