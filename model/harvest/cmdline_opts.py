"""Harvest what QEMU checks in option arguments the model does not act on (issue 12).

    python -m model.harvest.cmdline_opts [--check]      # writes model/data/qemu_opts.json

* every QemuOpts list's parameters and their types (QMP ``query-command-line-options``);
* each list's help text, as ``-OPT [VALUE,]help`` prints it (descriptions exist only there);
* the accepted names of the QAPI enums the options are visited into (netdev types, block
  drivers, watchdog actions, NUMA option types), found in ``query-qmp-schema`` by a member
  each is known to have (the schema hides type names);
* the help of ``-chardev``, ``-netdev``, ``-audiodev``, ``-d`` and ``-vga``, which list what
  they accept;
* which properties of a CPU cannot be set at all (``qom-set`` answers "is not writable" before
  any setter runs), since ``-cpu NAME,PROP=VALUE`` reaches every property of the device.

Nothing is opened: help requests exit before any backend is created.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from model.harvest.cpu_probe import DATA_DIR
from model.harvest.datafile import harvest_main
from model.harvest.session import BASE_ARGS, QemuSession, qemu_version, run_binary

OUT = DATA_DIR / "qemu_opts.json"

# How to ask each QemuOpts list for help: the option, and a value for its implied parameter
# when a bare ``help`` would be taken as that value.
HELP_PROBES: dict[str, list[str]] = {
    "overcommit": ["-overcommit", "help"], "icount": ["-icount", "1,help"], "rtc": ["-rtc", "help"],
    "name": ["-name", "g,help"], "msg": ["-msg", "help"], "sandbox": ["-sandbox", "on,help"],
    "mon": ["-mon", "chardev=x,help"], "chardev": ["-chardev", "null,help"], "boot-opts": ["-boot", "help"],
    "memory": ["-m", "1G,help"], "global": ["-global", "help"], "smp-opts": ["-smp", "help"],
}
# QAPI enums by a member that identifies each among the schema's anonymous enums.
ENUM_MARKERS = {"netdev_types": ("vhost-vdpa", "hubport"), "block_drivers": ("null-co", "qcow2"),
                "watchdog_actions": ("inject-nmi", "pause"), "numa_types": ("node", "dist")}
LIST_HELPS = {"chardev_help": ["-chardev", "help"], "netdev_help": ["-netdev", "help"], "log_help": ["-d", "help"],
              "vga_help": ["-vga", "help"], "audio_help": ["-audiodev", "help"]}


def _enums(schema: list[dict[str, Any]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, marker in ENUM_MARKERS.items():
        for entity in schema:
            if entity.get("meta-type") != "enum":
                continue
            values = [m["name"] if isinstance(m, dict) else m for m in entity.get("members", entity.get("values", []))]
            if set(marker) <= set(values):
                found[key] = values
                break
    return found


def _readonly_cpu_props() -> list[str]:
    with QemuSession(["-machine", "pc", "-cpu", "qemu64"]) as qmp:
        path = qmp.cmd("query-cpus-fast")[0]["qom-path"]
        readonly = []
        for prop in qmp.cmd("qom-list", path=path):
            value: object = "x" if prop["type"] in ("str", "string") else 1
            reply = qmp.cmd_raw("qom-set", path=path, property=prop["name"], value=value)
            if "is not writable" in reply.get("error", {}).get("desc", ""):
                readonly.append(prop["name"])
    return sorted(readonly)


def harvest() -> str:
    with QemuSession(["-machine", "none"]) as qmp:
        lists = qmp.cmd("query-command-line-options")
        schema = qmp.cmd("query-qmp-schema")
    doc: dict[str, Any] = {"qemu_version": qemu_version(), "source": __doc__.split("\n")[0]}
    doc["lists"] = {o["option"]: {p["name"]: p["type"] for p in sorted(o["parameters"], key=lambda p: p["name"])}
                    for o in sorted(lists, key=lambda o: o["option"]) if o["option"]}
    helps = {}
    for name, probe in HELP_PROBES.items():
        done = run_binary([*BASE_ARGS, *probe], timeout=20)
        helps[name] = {"text": done.stdout, "status": done.exit_status}
    doc["help"] = helps
    doc.update(_enums(schema))
    doc["cpu_readonly_props"] = _readonly_cpu_props()
    for key, probe in LIST_HELPS.items():
        done = run_binary([*BASE_ARGS, *probe], timeout=20)
        doc[key] = {"text": done.stdout, "status": done.exit_status, "stderr": done.stderr.splitlines()}
    return json.dumps(doc, sort_keys=True) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    return harvest_main("model.harvest.cmdline_opts", __doc__, OUT, harvest, argv)


if __name__ == "__main__":
    sys.exit(main())
