"""Harvest the real binary's results for qemu_init command lines (options, memory, machines,
``-smp``, ``-accel``) into ``tests/conformance/init_cases.json``.

    python -m model.harvest.init_cases            # rewrite the file
    python -m model.harvest.init_cases --check    # re-run; exit 1 if the binary disagrees

The command lines are test design (below); every expectation comes from running the binary.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence

from model.harvest.conformance import feature_names, run_case
from model.harvest.cpu_probe import REPO_ROOT
from model.harvest.rule_cases import NO_ACCEL_CASES, RULE_CASES
from model.harvest.session import BASE_ARGS, qemu_version

OUT = REPO_ROOT / "tests" / "conformance" / "init_cases.json"

CASES: list[list[str]] = [
    # lookup_opt: unknown options, `--x` as `-x`, missing arguments, other-target options
    ["-foo"], ["--foo"], ["-cpu"], ["-machine"], ["-m"], ["-smp"], ["--cpu"], ["-prom-env", "x"],
    ["-g", "800x600"], ["-semihosting"], ["-machine", "pc", "-zzz"], ["-zzz", "-cpu"],
    # -m and machine_set_mem
    ["-m", "5x"], ["-m", "-1"], ["-m", "size="], ["-m", "foo=1"], ["-m", "1,maxmem=2"],
    ["-m", "4G,maxmem=2G"], ["-m", "1G,slots=2"], ["-m", "2G,maxmem=4G,slots=2"], ["-m", "0x10"],
    ["-m", "1.5G"], ["-m", "3000000000000000"], ["-m", "512"], ["-m", "size=256M"], ["-m", "1.5"],
    ["-m", "2G,maxmem=2G,slots=1"], ["-m", "64k"],
    # machine selection and -machine keyval
    ["-machine", "nosuch"], ["-machine", "pc,foo=1"], ["-machine", "pc,,x"], ["-machine", "pc,x"],
    ["-machine", ",type=pc"], ["-machine", "help"], ["-M", "q35"], ["--machine", "pc"],
    ["-machine", "q35", "-machine", "pc"], ["-machine", "type=q35"], ["-machine", "pc-i440fx-1.4"],
    ["-machine", "pc-q35-2.4"], ["-machine", "none"], ["-machine", "none", "-cpu", "max"],
    ["-machine", "isapc"], ["-machine", "microvm"], ["-machine", "x-remote"], ["-machine", "pc,usb=maybe"],
    ["-machine", "pc,usb=on"], ["-machine", "q35,accel=tcg"], ["-machine", "pc,help"], ["-machine", "q35,help"],
    ["-machine", "none,help"], ["-machine", "nosuch,help"], ["-machine", "pc-i440fx-2.0,help"],
    ["-machine", "microvm,help"], ["-machine", "help,type=isapc"],
    # -smp
    ["-smp", "300"], ["-smp", "2,maxcpus=1"], ["-smp", "cpus=4,sockets=3"], ["-smp", "4,foo=2"],
    ["-smp", "x"], ["-smp", "0"], ["-smp", "sockets=2,cores=2"], ["-machine", "q35", "-smp", "288"],
    ["-machine", "q35", "-smp", "289"], ["-smp", "4,cores=2"], ["-machine", "pc-i440fx-6.1", "-smp", "4,threads=2"],
    ["-machine", "isapc", "-smp", "2"], ["-smp", "2,sockets=1,cores=2,threads=1"],
    # accelerators (base args already hold -accel tcg)
    ["-accel", "nosuch"], ["-accel", "help"], ["-accel", "tcg,foo=1"], ["-enable-kvm"],
    ["-accel", "tcg,thread=multi"],
    # help and version
    ["-h"], ["-help"], ["-version"], ["-cpu", "?"], ["-machine", "?"],
    # -global, short-form QemuOpts flags, -m numbers, more -smp and -cpu corners
    ["-global", "x=y"], ["-global", "x.y"], ["-global", "driver=x"], ["-global", "qemu64-x86_64-cpu.avx=on"],
    ["-global", "qemu64-x86_64-cpu.avx=on", "-cpu", "qemu64,avx=off"], ["-global", "nosuch.x=y"],
    ["-global", "pc-i440fx-7.2-machine.usb=on"], ["-global", "x86_64-cpu.family=5"],
    ["-global", "driver=qemu64-x86_64-cpu,property=sse4a,value=on"], ["-global", "qemu64-x86_64-cpu.family=zz"],
    ["-global", "Skylake-Client-x86_64-cpu.avx=off", "-cpu", "Skylake-Client,+avx"],
    ["-m", "1G,slots"], ["-m", "1G,noslots"], ["-m", "1G,slots=x"], ["-m", "1G,slots=-1"],
    ["-m", "1G,slots=0x2,maxmem=2G"], ["-m", "1G,maxmem"], ["-m", "1G,slots=99999999999999999999"],
    ["-m", "1G,maxmem=4G,slots=4"], ["-m", "size=1G,size=2G"], ["-m", "512M", "-m", "1G"],
    ["-smp", "4,sockets"], ["-smp", "2,foo"], ["-smp", "cpus=2,maxcpus=4"], ["-smp", "maxcpus=8"],
    ["-smp", "dies=2"], ["-machine", "none", "-smp", "2"], ["-smp", "8,sockets=2,dies=2,cores=2"],
    ["-smp", "4,clusters=2"], ["-accel", "tcg,thread"], ["-accel", "tcg,nothread"],
    ["-cpu", "max,tsc-freq=0x10"], ["-cpu", "qemu64,tsc-frequency=1999"], ["-cpu", "qemu64,lbr-fmt=0x40"],
    ["-cpu", "qemu64,+"], ["-cpu", "qemu64,="], ["-cpu", "Qemu64"], ["-cpu", "max,migratable=maybe"],
    ["-cpu", "qemu64,unavailable-features=x"], ["-cpu", "qemu64,type=foo"], ["-cpu", "qemu64,+kvmclock"],
    ["-machine", "pc", "-machine", "accel=nosuch:tcg"], ["-cpu", "Skylake-Client", "-cpu", "EPYC"],
    # options accepted but not modelled in detail
    ["-no-reboot", "-machine", "pc"], ["-name", "guest1"], ["-rtc", "base=utc"],
]


# Base arguments without ``-accel tcg``, for the cases that choose the accelerator another way.
NO_ACCEL_BASE = [a for a in BASE_ARGS if a not in ("-accel", "tcg")]


def all_cases() -> list[tuple[list[str], list[str] | None]]:
    """Every command line with its own base arguments (None: the document's)."""
    chosen: list[tuple[list[str], list[str] | None]] = [(c, None) for c in [*CASES, *RULE_CASES]]
    return chosen + [(c, NO_ACCEL_BASE) for c in NO_ACCEL_CASES]


def harvest(limit: int | None = None) -> str:
    names = feature_names()
    cases = []
    every = all_cases()
    chosen = every if limit is None else every[:: max(1, len(every) // limit)][:limit]
    for i, (args, base) in enumerate(chosen, 1):
        print(f"  init cases: {i}/{len(chosen)} {' '.join(args)}", file=sys.stderr)
        record = {"args": args, "expect": run_case(list(args), names, base)}
        if base is not None:
            record["base_args"] = base
        cases.append(record)
    doc = {"qemu_version": qemu_version(), "base_args": list(BASE_ARGS),
           "source": "model/harvest/init_cases.py: each case run by model.harvest.conformance.run_case",
           "cases": cases}
    return dump_cases(doc)


def dump_cases(doc: Mapping[str, object]) -> str:
    """The document with one case per line: compact, and a re-harvest diffs case by case."""
    cases = doc["cases"]
    assert isinstance(cases, list)
    head = json.dumps({k: v for k, v in doc.items() if k != "cases"}, sort_keys=True)[:-1]
    lines = ",\n".join(json.dumps(c, sort_keys=True) for c in cases)
    return f'{head}, "cases": [\n{lines}\n]}}\n'


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.harvest.init_cases", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
    parser.add_argument("--limit", type=int, metavar="N", help="with --check: re-run only N cases spread over the list")
    args = parser.parse_args(argv)
    if args.check:
        fresh = json.loads(harvest(args.limit))["cases"]
        saved = json.loads(OUT.read_text())["cases"] if OUT.exists() else []
        committed = {tuple(c["args"]): c["expect"] for c in saved}  # args are unique across bases
        differing = [" ".join(c["args"]) for c in fresh if committed.get(tuple(c["args"])) != c["expect"]]
        for line in differing:
            print(f"differs from the binary: {line}", file=sys.stderr)
        print(f"init_cases.json: {len(fresh) - len(differing)}/{len(fresh)} cases match the binary", file=sys.stderr)
        return 1 if differing else 0
    text = harvest()
    OUT.write_text(text)
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
