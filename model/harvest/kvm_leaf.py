"""Place the KVM paravirtual feature names (``kvmclock``, ``kvm-pv-eoi``...) on their bits.

Under TCG QEMU zeroes the KVM leaf (CPUID 0x40000001 EAX) before anything can read it, so
the main x86 harvest cannot place these names. Where ``/dev/kvm`` works, realizing
``-accel kvm -cpu host,NAME=off`` and comparing the leaf with plain ``host`` shows each
name's bit. ``python -m model.harvest.kvm_leaf [--check]`` writes ``model/data/x86_kvm_leaf.json``;
it needs KVM (the rest of vmtrace never does).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from model.harvest.datafile import write_or_check
from model.harvest.session import HarvestError, QemuSession

OUT = Path(__file__).resolve().parent.parent / "data" / "x86_kvm_leaf.json"
KVM_BASE = ("-accel", "kvm", "-S", "-display", "none", "-nodefaults")
LEAF = 0x40000001


def _leaf(cpu_option: str) -> int:
    with QemuSession(["-machine", "pc", "-cpu", cpu_option], base_args=KVM_BASE) as qmp:
        path = qmp.cmd("query-cpus-fast")[0]["qom-path"]
        words = qmp.cmd("qom-get", path=path, property="feature-words")
    return next(int(w["features"]) for w in words if w["cpuid-input-eax"] == LEAF and w["cpuid-register"] == "EAX")


def harvest() -> dict[str, Any]:
    names = json.loads((OUT.parent / "x86_feature_words.json").read_text())["unplaced_features"]
    full = _leaf("host")
    bits: dict[str, list[int]] = {}
    for name in names:
        cleared = full & ~_leaf(f"host,{name}=off")
        bits[name] = [b for b in range(32) if cleared >> b & 1]
    definitions = json.loads((OUT.parent / "x86_cpu_models.json").read_text())["definitions"]
    with_vme = []
    for name in sorted(definitions):
        with QemuSession(["-machine", "pc", "-cpu", f"{name}-v1"], base_args=KVM_BASE) as qmp:
            path = qmp.cmd("query-cpus-fast")[0]["qom-path"]
            if qmp.cmd("qom-get", path=path, property="vme") is True:
                with_vme.append(name)
    with QemuSession(["-machine", "none"]) as qmp:
        v = qmp.cmd("query-version")["qemu"]
    return {"qemu_version": f"{v['major']}.{v['minor']}.{v['micro']}",
            "source": "-accel kvm -cpu host vs host,NAME=off: the CPUID 0x40000001 EAX bits each name clears "
                      "(a name on two bits, like kvmclock, lists both). definitions_with_vme: base models whose "
                      "-v1 has vme under KVM (TCG's default props turn vme off, hiding the definition's bit)",
            "leaf": {"cpuid_eax": LEAF, "register": "EAX"}, "bits": bits, "definitions_with_vme": with_vme}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.harvest.kvm_leaf", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
    args = parser.parse_args(argv)
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("kvm_leaf: /dev/kvm is not usable here; this harvest needs KVM", file=sys.stderr)
        return 2
    try:
        text = json.dumps(harvest(), indent=1) + "\n"
    except HarvestError as exc:
        print(f"kvm_leaf: {exc}", file=sys.stderr)
        return 2
    return write_or_check(OUT, text, args.check)


if __name__ == "__main__":
    sys.exit(main())
