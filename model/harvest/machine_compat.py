"""Infer each versioned PC machine's compat properties for its board devices.

    python -m model.harvest.machine_compat            # rewrite model/data/machine/device_compat.json
    python -m model.harvest.machine_compat --check    # re-harvest and compare

QEMU gives an old machine version (``pc-i440fx-2.0``) lists of global properties
(``hw_compat_2_0``, ``pc_compat_2_0``...) that keep its devices as they were. The lists are not
published over QMP, so they are inferred as the CPU's are: every ``pc-i440fx-*`` and
``pc-q35-*`` machine is started with ``-nodefaults`` and each board device's qdev properties
(``info qtree``), and its other scalar QOM properties (``qom-get``), are compared with the
newest machine of its family; a property that differs is a compat property
``TYPE.PROP=VALUE`` of that version. Only what a board shows can be seen
this way: compat properties aimed at devices the board does not create stay unknown.
The same runs show two machine class flags no QMP command reports, ``has_acpi_build`` and
``rsdp_in_ram``: which ACPI ROM blobs fw_cfg publishes. A last probe per device type finds the
classes that are not hotpluggable (QEMU warns about unused globals aimed at those only).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from model.harvest.cpu_probe import DATA_DIR, run_parallel
from model.harvest.datafile import harvest_main
from model.harvest.machine import PROPS_FILE, harvest_case, read_jsonl
from model.harvest.machine_facts import printed_value
from model.harvest.session import HarvestError, QemuSession, qemu_version
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


_SCALAR_KINDS = frozenset({"bool", "OnOffAuto", "uint8", "uint16", "uint32", "uint64", "int32", "int64", "str"})


def listed_props() -> dict[str, list[dict[str, Any]]]:
    _, records = read_jsonl(PROPS_FILE)
    return {r["type"]: r["properties"] or [] for r in records}


def qom_only_props(name: str) -> dict[str, dict[str, Any]]:
    """For each board device type (first instance), the scalar properties ``info qtree`` does not
    print (QOM properties rather than qdev ones), read with ``qom-get``."""
    listed = listed_props()
    out: dict[str, dict[str, Any]] = {}
    with QemuSession(["-machine", name], timeout=30.0) as qmp:
        tree = parse_qom_tree(qmp.cmd("human-monitor-command", **{"command-line": "info qom-tree"}))
        qtree = parse_qtree(qmp.cmd("human-monitor-command", **{"command-line": "info qtree"}))
        printed = {d.type: {p.name for p in d.props} for d in qtree.walk_devices()}
        stack = [(tree, "/machine")]
        while stack:
            node, path = stack.pop()
            stack.extend((c, f"{path}/{c.name}") for c in node.children)
            if node.type not in printed or node.type in out:
                continue
            values: dict[str, Any] = {}
            for prop in listed.get(node.type, []):
                if prop["type"] in _SCALAR_KINDS and prop["name"] not in printed[node.type]:
                    reply = qmp.cmd_raw("qom-get", path=path, property=prop["name"])
                    if "return" in reply:
                        values[prop["name"]] = reply["return"]
            out[node.type] = values
    return out


def infer_qom(reference: dict[str, dict[str, Any]], other: dict[str, dict[str, Any]]) -> list[list[str]]:
    """``[type, property, value]`` for QOM properties of board devices that differ."""
    found = []
    for type_, values in sorted(other.items()):
        ref = reference.get(type_, {})
        for prop, value in sorted(values.items()):
            if prop in ref and ref[prop] != value:
                found.append([type_, prop, ("on" if value else "off") if isinstance(value, bool) else str(value)])
    return found


def _not_hotpluggable(item: tuple[str, str]) -> str | None:
    """QEMU warns ``global T.P=V not used`` only for classes that are not hotpluggable; on the
    empty machine no device takes any global, so the warning tells the class flag."""
    typename, prop = item
    session = QemuSession(["-machine", "none", "-global", f"{typename}.{prop}=0"], timeout=30.0)
    try:
        session.start()
    except HarvestError:
        return None
    session.close()
    return typename if "not used" in session.stderr_text else None


def not_hotpluggable() -> list[str]:
    """Every harvested device type whose class clears ``hotpluggable``."""
    probes = [(t, next(p["name"] for p in props if p["type"] in _SCALAR_KINDS))
              for t, props in sorted(listed_props().items()) if any(p["type"] in _SCALAR_KINDS for p in props)]
    return sorted(t for t in run_parallel(_not_hotpluggable, probes, "hotpluggable probes") if t)


def harvest() -> str:
    names = machines()
    runs = run_parallel(lambda name: harvest_case(["-machine", name]), names, "compat machines")
    qom_props = dict(zip(names, run_parallel(qom_only_props, names, "compat QOM properties"), strict=True))
    qtrees = {name: run.get("qtree", "") for name, run in zip(names, runs, strict=True)}
    out: dict[str, Any] = {"qemu_version": qemu_version(), "source": "model/harvest/machine_compat.py",
                           "reference": {}, "machines": {}, "acpi": {}, "instance_values": {},
                           "not_hotpluggable": not_hotpluggable()}
    for name, run in zip(names, runs, strict=True):
        flags = acpi_flags(run.get("qom_tree", ""))
        if not all(flags.values()):
            out["acpi"][name] = flags
    for family in FAMILIES:
        members = [n for n in names if n.startswith(family)]
        newest = max(members, key=lambda n: tuple(int(x) for x in n[len(family):].split(".")))
        out["reference"][family.rstrip("-")] = newest
        # Flags instance_init sets on boolean QOM properties that declare no default
        # (device-list-properties shows none), as the newest machine's board devices hold them.
        for type_, values in qom_props[newest].items():
            defaults = {p["name"]: p.get("default-value") for p in listed_props().get(type_, [])
                        if p["type"] == "bool"}
            missing = {k: v for k, v in values.items() if k in defaults and defaults[k] is None}
            if missing:
                out["instance_values"].setdefault(type_, {}).update(missing)
        for name in members:
            props = infer(qtrees[newest], qtrees[name]) + infer_qom(qom_props[newest], qom_props[name])
            if props:
                out["machines"][name] = props
    return json.dumps(out, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    return harvest_main("model.harvest.machine_compat", __doc__, OUT, harvest, argv)


if __name__ == "__main__":
    sys.exit(main())
