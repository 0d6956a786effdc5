"""Infer each versioned PC machine's compat properties for its board devices.

    python -m model.harvest.machine_compat            # rewrite model/data/machine/device_compat.json
    python -m model.harvest.machine_compat --check    # re-harvest and compare

QEMU gives an old machine version (``pc-i440fx-2.0``) lists of global properties
(``hw_compat_2_0``, ``pc_compat_2_0``...) that keep its devices as they were. The lists are not
published over QMP, so they are inferred as the CPU's are: every ``pc-i440fx-*`` and
``pc-q35-*`` machine is started with ``-nodefaults`` and each board device's qdev properties
(``info qtree``) are compared with the newest machine of its family; a property that differs
is a compat property ``TYPE.PROP=VALUE`` of that version. Only what a board shows can be seen
this way: compat properties aimed at devices the board does not create stay unknown.
The same runs show two machine class flags no QMP command reports, ``has_acpi_build`` and
``rsdp_in_ram``: which ACPI ROM blobs fw_cfg publishes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from model.harvest.cpu_probe import DATA_DIR, run_parallel
from model.harvest.datafile import write_or_check
from model.harvest.machine import harvest_case
from model.harvest.machine_facts import printed_value
from model.harvest.session import qemu_version
from tracer.machine.qomtree import parse_qom_tree
from tracer.machine.qtree import QtreeDevice, parse_qtree

OUT = DATA_DIR / "machine" / "device_compat.json"
FAMILIES = ("pc-i440fx-", "pc-q35-")


def _devices(qtree_text: str) -> list[QtreeDevice]:
    return parse_qtree(qtree_text).walk_devices()


def _as_global(text: str) -> str:
    value = printed_value(text)
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def infer(reference: str, other: str) -> list[list[str]]:
    """``[type, property, value]`` for every property of a board device that differs."""
    found: dict[tuple[str, str], str] = {}
    ref_devices = _devices(reference)
    for mine, ref in zip(_devices(other), ref_devices, strict=False):
        if mine.type != ref.type:
            continue
        ref_props = {p.name: p.value for p in ref.props}
        for p in mine.props:
            if p.name in ref_props and ref_props[p.name] != p.value:
                found.setdefault((mine.type, p.name), _as_global(p.value))
    return [[t, name, value] for (t, name), value in sorted(found.items())]


def acpi_flags(qom_tree: str) -> dict[str, bool]:
    """The machine class's ACPI flags, as seen in fw_cfg's ROM blobs: ``has_acpi_build`` (the
    tables and their loader are published) and ``rsdp_in_ram`` (so is the RSDP)."""
    fw_cfg = parse_qom_tree(qom_tree).find("/machine/fw_cfg") if qom_tree else None
    names = {child.name for child in fw_cfg.children} if fw_cfg else set()
    return {"has_acpi_build": any("acpi\\x2ftables" in n for n in names),
            "rsdp_in_ram": any("acpi\\x2frsdp" in n for n in names)}


def machines() -> list[str]:
    table = json.loads((DATA_DIR / "machines.json").read_text())["machines"]
    return sorted(m["name"] for m in table if m["name"].startswith(FAMILIES))


def harvest() -> str:
    names = machines()
    runs = run_parallel(lambda name: harvest_case(["-machine", name]), names, "compat machines")
    qtrees = {name: run.get("qtree", "") for name, run in zip(names, runs, strict=True)}
    out: dict[str, Any] = {"qemu_version": qemu_version(), "source": "model/harvest/machine_compat.py",
                           "reference": {}, "machines": {}, "acpi": {}}
    for name, run in zip(names, runs, strict=True):
        flags = acpi_flags(run.get("qom_tree", ""))
        if not all(flags.values()):
            out["acpi"][name] = flags
    for family in FAMILIES:
        members = [n for n in names if n.startswith(family)]
        newest = max(members, key=lambda n: tuple(int(x) for x in n[len(family):].split(".")))
        out["reference"][family.rstrip("-")] = newest
        for name in members:
            props = infer(qtrees[newest], qtrees[name])
            if props:
                out["machines"][name] = props
    return json.dumps(out, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.harvest.machine_compat", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
    args = parser.parse_args(argv)
    return write_or_check(OUT, harvest(), args.check)


if __name__ == "__main__":
    sys.exit(main())
