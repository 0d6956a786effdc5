"""Harvest the facts the qemu_init model needs: QOM types, machines, options and help texts.

``python -m model.harvest.qemu_init`` rewrites ``model/data/{qom_types,machines,options}.json``
and the help texts; ``--check`` re-harvests and exits 1 if anything differs from the committed
files (the live test runs this when the binary is installed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from model.harvest.options import harvest_options
from model.harvest.session import QemuSession, run_binary

DATA = Path(__file__).resolve().parent.parent / "data"

# Machine families are a MachineClass field QMP does not expose. They only decide the order
# of `-machine help` (families alphabetically, then newest first inside a family; machines
# without a family last, alphabetically); the names below are the ones the 7.2 sources set.
FAMILY_PREFIXES = (("pc-i440fx-", "pc_piix"), ("pc-q35-", "pc_q35"), ("microvm", "microvm_i386"))


def machine_family(name: str) -> str | None:
    for prefix, family in FAMILY_PREFIXES:
        if name.startswith(prefix):
            return family
    return None


def harvest_types(qmp: QemuSession) -> list[dict[str, Any]]:
    """Every type with parent and abstract flag, in the binary's hash-table iteration order.

    ``qom-list-types`` walks the type table with ``object_class_foreach``, so its order is the
    order in which QEMU's own foreach initialises types. Interfaces are attributed to the type
    that declares them: the type that implements one its parent does not.
    """
    listed = qmp.cmd("qom-list-types", abstract=True)
    parents = {t["name"]: t.get("parent") for t in listed}
    interface_types = [t["name"] for t in listed if _is_interface(t["name"], parents)]
    implementers: dict[str, set[str]] = {}
    for iface in interface_types:
        if iface == "interface":
            continue
        for t in qmp.cmd("qom-list-types", implements=iface, abstract=True):
            implementers.setdefault(t["name"], set()).add(iface)
    types = []
    for t in listed:
        name = t["name"]
        own = implementers.get(name, set()) - implementers.get(parents.get(name) or "", set())
        own.discard(name)
        entry: dict[str, Any] = {"name": name, "parent": t.get("parent"), "abstract": bool(t.get("abstract", False))}
        if own and name not in interface_types:
            entry["interfaces"] = sorted(own)
        types.append(entry)
    return types


def _is_interface(name: str, parents: dict[str, str | None]) -> bool:
    seen = set()
    node: str | None = name
    while node is not None and node not in seen:
        if node == "interface":
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def harvest_machines(qmp: QemuSession) -> list[dict[str, Any]]:
    """``query-machines`` plus each machine type's properties (for ``-machine pc,prop=...``)."""
    machines = []
    for m in qmp.cmd("query-machines"):
        entry = {
            "name": m["name"], "alias": m.get("alias"), "is_default": bool(m.get("is-default", False)),
            "deprecated": bool(m.get("deprecated", False)), "cpu_max": m["cpu-max"],
            "hotpluggable_cpus": m["hotpluggable-cpus"], "default_cpu_type": m.get("default-cpu-type"),
            "default_ram_id": m.get("default-ram-id"), "family": machine_family(m["name"]),
        }
        machines.append(entry)
    machines.sort(key=lambda m: m["name"])
    for entry in machines:
        entry["deprecation_reason"] = deprecation_reason(entry["name"]) if entry["deprecated"] else None
    return machines


def deprecation_reason(name: str) -> str | None:
    """The reason QEMU gives when a deprecated machine type is used (only shown at startup)."""
    session = QemuSession(["-machine", name])
    with session:
        pass
    prefix = f"warning: Machine type '{name}' is deprecated: "
    for line in session.stderr_text.splitlines():
        if prefix in line:
            return line.split(prefix, 1)[1]
    return None


def harvest_machine_properties(machines: list[dict[str, Any]]) -> dict[str, dict[str, str] | None]:
    """Each machine type's properties and their QAPI types (None where QEMU cannot list them:
    7.2 crashes on ``qom-list-properties`` of ``microvm-machine``, so each type gets a retry
    in a fresh process)."""
    props: dict[str, dict[str, str] | None] = {}
    pending = [m["name"] + "-machine" for m in machines]
    while pending:
        with QemuSession(["-machine", "none"]) as qmp:
            while pending:
                typename = pending.pop(0)
                try:
                    listed = qmp.cmd("qom-list-properties", typename=typename)
                except Exception:
                    props[typename] = None
                    break
                props[typename] = {p["name"]: p["type"] for p in sorted(listed, key=lambda p: p["name"])}
    return props


def machine_class_properties(machines: list[dict[str, Any]]) -> dict[str, list[list[str | None]]]:
    """Each machine class's own properties as ``-machine TYPE,help`` lists them: name, type and
    description (QMP's qom-list-properties mixes in instance properties, so it cannot say)."""
    found: dict[str, list[list[str | None]]] = {}
    for m in machines:
        typename = m["name"] + "-machine"
        out = run_binary(["-machine", f"{m['name']},help"]).stdout.splitlines()
        props: list[list[str | None]] = []
        for line in out[1:]:
            head, _, desc = line.strip().partition(" - ")
            name, _, kind = head.strip().partition("=<")
            props.append([name, kind[:-1] if kind.endswith(">") else kind, desc or None])
        found[typename] = props
    return found


def machine_descriptions(help_text: str, machines: list[dict[str, Any]]) -> dict[str, str]:
    """The ``desc`` of each machine, read back from ``-machine help`` (QMP does not report it)."""
    descs = {}
    names = {m["name"] for m in machines}
    for line in help_text.splitlines()[1:]:
        name, desc = line[:20].strip(), line[21:]
        if name not in names:
            continue
        for suffix in (" (default)", " (deprecated)"):
            if desc.endswith(suffix):
                desc = desc[: -len(suffix)]
        descs[name] = desc
    return descs


def harvest_all(with_options: bool = True) -> dict[str, Any]:
    """Everything, as the file name -> content mapping written under model/data."""
    machine_help = run_binary(["-machine", "help"]).stdout
    help_text = run_binary(["-help"]).stdout
    version_text = run_binary(["-version"]).stdout
    with QemuSession(["-machine", "none"]) as qmp:
        q = qmp.cmd("query-version")["qemu"]
        version = f"{q['major']}.{q['minor']}.{q['micro']}"
        types = harvest_types(qmp)
        machines = harvest_machines(qmp)
    machine_props = harvest_machine_properties(machines)
    with QemuSession(["-machine", "none"]) as qmp:
        accel_props = {accel: {p["name"]: p["type"] for p in sorted(
            qmp.cmd("qom-list-properties", typename=f"{accel}-accel"), key=lambda p: p["name"])}
            for accel in ("tcg", "kvm")}
    class_props = machine_class_properties(machines)
    descs = machine_descriptions(machine_help, machines)
    for m in machines:
        m["desc"] = descs.get(m["name"], "")
    result: dict[str, Any] = {
        "qom_types.json": {"qemu_version": version, "source": "qom-list-types abstract=true (table order) "
                           "and qom-list-types implements=IFACE for interfaces", "types": types},
        "machines.json": {"qemu_version": version, "source": "query-machines, -machine help (desc), "
                          "qom-list-properties per machine type, -machine TYPE,help (class properties)",
                          "machines": machines, "properties": machine_props, "class_properties": class_props},
        "accel.json": {"qemu_version": version, "source": "qom-list-properties of tcg-accel and kvm-accel",
                       "properties": accel_props},
        "machine_help.txt": machine_help,
        "help.txt": help_text,
        "version.txt": version_text,
    }
    if with_options:
        print("  probing the option table (about 30,000 candidate names, a few minutes)...", file=sys.stderr)
        options = harvest_options(help_text)
        result["options.json"] = {"qemu_version": version, "source": "probing lookup_opt behaviour of the "
                                  "binary (see model/harvest/options.py)", "options": [o.__dict__ for o in options]}
    return result


def _serialise(content: Any) -> str:
    return content if isinstance(content, str) else json.dumps(content, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.harvest.qemu_init", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    parser.add_argument("--skip-options", action="store_true",
                        help="leave options.json alone (probing the option table takes minutes)")
    args = parser.parse_args(argv)
    harvested = harvest_all(with_options=not args.skip_options)
    differing = []
    for name, content in harvested.items():
        path = DATA / name
        text = _serialise(content)
        if args.check:
            if not path.exists() or path.read_text() != text:
                differing.append(name)
        else:
            path.write_text(text)
            print(f"wrote {path}", file=sys.stderr)
    if differing:
        print("differs from the binary: " + ", ".join(differing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
