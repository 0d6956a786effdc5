"""Which sysbus devices each machine lets ``-device`` create (``allowed_dynamic_sysbus_devices``).

A machine class lists the sysbus device types it can wire up after board init; for any other
``-device`` of a sysbus type QEMU answers ``Parameter 'driver' expects a dynamic sysbus device
type for the machine``. The list is not visible over QMP, so each user-creatable sysbus type
is tried on each machine and kept where the binary does not give that answer. Writes
``model/data/machine/dynamic_sysbus.json``.

    python -m model.harvest.dynamic_sysbus
"""

from __future__ import annotations

import json
import sys

from model.data_files import load_json
from model.harvest.cpu_probe import run_parallel
from model.harvest.machine import OUT_DIR, harvest_case
from model.harvest.session import qemu_binary, qemu_version
from model.softmmu.qdev_monitor import user_creatable_buses

OUT_FILE = OUT_DIR / "dynamic_sysbus.json"
REFUSED = "expects a dynamic sysbus device type for the machine"


def sysbus_types() -> list[str]:
    """The user-creatable device types on the main system bus (``-device help``)."""
    return sorted(name for name, bus in user_creatable_buses().items() if bus == "System")


def probe(item: tuple[str, str]) -> tuple[str, str, bool]:
    """(machine, type, whether the machine takes the type)."""
    machine, typename = item
    case = harvest_case(["-machine", machine, "-device", typename])
    return machine, typename, REFUSED not in case["stderr"]


def main() -> int:
    if qemu_binary() is None:
        print("qemu-system-x86_64 is not installed", file=sys.stderr)
        return 1
    machines = sorted(m["name"] for m in load_json("machines.json")["machines"])
    items = [(m, t) for m in machines for t in sysbus_types()]
    allowed: dict[str, list[str]] = {m: [] for m in machines}
    for machine, typename, taken in run_parallel(probe, items, "machines x sysbus devices"):
        if taken:
            allowed[machine].append(typename)
    doc = {"qemu_version": qemu_version(), "source": "model/harvest/dynamic_sysbus.py", "allowed": allowed}
    OUT_FILE.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
