"""The values of the QAPI enums that device properties take, checked one by one on the binary.

``device-list-properties`` names a property's type (``LostTickPolicy``) but not its values, and
these enums are reachable from no QMP command, so ``query-qmp-schema`` does not list them. The
candidate values are QEMU 7.2's QAPI schema (qapi/*.json) and the values later releases added;
each is set on a device that has the property, and a value is kept when the binary does not
answer ``Parameter 'P' does not accept value 'V'``. A made-up value must be refused, which
shows the probe reaches the property's parser. Writes ``model/data/machine/qapi_enums.json``.

    python -m model.harvest.qapi_enums
"""

from __future__ import annotations

import json
import sys
from typing import Final

from model.harvest.cpu_probe import run_parallel
from model.harvest.machine import OUT_DIR, harvest_case
from model.harvest.session import qemu_binary, qemu_version

OUT_FILE = OUT_DIR / "qapi_enums.json"
NOT_A_VALUE = "bogus"

# enum -> (command line with VALUE for the value, candidate values)
PROBES: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "LostTickPolicy": (("-machine", "pc", "-global", "mc146818rtc.lost_tick_policy=VALUE"),
                       ("discard", "delay", "slew", "merge")),
    "PCIELinkSpeed": (("-machine", "q35", "-device", "pcie-root-port,chassis=1,x-speed=VALUE"),
                      ("2_5", "5", "8", "16", "32", "64")),
    "PCIELinkWidth": (("-machine", "q35", "-device", "pcie-root-port,chassis=1,x-width=VALUE"),
                      ("1", "2", "4", "8", "12", "16", "32")),
    "FdcDriveType": (("-machine", "pc", "-global", "isa-fdc.fdtypeA=VALUE"), ("144", "288", "120", "none", "auto")),
    "BlockdevOnError": (("-machine", "pc", "-device", "virtio-blk-pci,werror=VALUE"),
                        ("report", "ignore", "enospc", "stop", "auto")),
    "BiosAtaTranslation": (("-machine", "pc", "-device", "ide-hd,bios-chs-trans=VALUE"),
                           ("auto", "none", "lba", "large", "rechs")),
}


def probe(item: tuple[str, str]) -> tuple[str, str, bool]:
    """(enum, value, whether the binary took the value)."""
    enum, value = item
    args, _ = PROBES[enum]
    case = harvest_case([a.replace("VALUE", value) for a in args])
    return enum, value, "does not accept value" not in case["stderr"]


def main() -> int:
    if qemu_binary() is None:
        print("qemu-system-x86_64 is not installed", file=sys.stderr)
        return 1
    items = [(enum, value) for enum, (_, values) in PROBES.items() for value in (*values, NOT_A_VALUE)]
    found: dict[str, list[str]] = {enum: [] for enum in PROBES}
    for enum, value, accepted in run_parallel(probe, items, "enum values"):
        if value == NOT_A_VALUE:
            if accepted:
                print(f"{enum}: a made-up value was accepted; the probe misses the property", file=sys.stderr)
                return 1
        elif accepted:
            found[enum].append(value)
    doc = {"qemu_version": qemu_version(), "source": "model/harvest/qapi_enums.py", "enums": found}
    OUT_FILE.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
