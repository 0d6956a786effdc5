"""Harvest the bits a CPU model definition sets that have no feature name.

The model definitions are harvested by feature name, which cannot show an unnamed bit (for
example bit 14 of the VMX EPT capabilities MSR). TCG supports no MSR feature, so realizing
``-cpu MODEL-v1`` with the MSR words' parents forced on makes QEMU warn once per set bit,
named or not: ``TCG doesn't support requested feature: MSR(48CH) [bit 14]``. The unnamed ones
are collected per definition into ``model/data/x86_unnamed_bits.json``.

    python -m model.harvest.x86_unnamed [--check]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from model.harvest.datafile import harvest_main
from model.harvest.session import QemuSession

DATA = Path(__file__).resolve().parent.parent / "data"
OUT = DATA / "x86_unnamed_bits.json"
PARENTS = "+vmx,+arch-capabilities,+pdcm,+core-capability"
UNNAMED = re.compile(r"TCG doesn't support requested feature: ([A-Z0-9().:]+) \[bit (\d+)\]$")


def harvest() -> dict[str, Any]:
    words = json.loads((DATA / "x86_feature_words.json").read_text())["words"]
    by_label = {w["label"]: w["index"] for w in words if w["type"] == "msr"}
    definitions = sorted(json.loads((DATA / "x86_cpu_models.json").read_text())["definitions"])
    found: dict[str, dict[str, int]] = {}
    version = ""
    for i, name in enumerate(definitions, 1):
        print(f"  unnamed bits: {i}/{len(definitions)} {name}", file=sys.stderr)
        session = QemuSession(["-machine", "pc", "-cpu", f"{name}-v1,{PARENTS}"])
        with session as qmp:
            v = qmp.cmd("query-version")["qemu"]
            version = f"{v['major']}.{v['minor']}.{v['micro']}"
        masks: dict[str, int] = {}
        for line in session.stderr_text.splitlines():
            m = UNNAMED.search(line)
            if m and m.group(1) in by_label:
                key = str(by_label[m.group(1)])
                masks[key] = masks.get(key, 0) | 1 << int(m.group(2))
        if masks:
            found[name] = masks
    return {"qemu_version": version,
            "source": f"-cpu MODEL-v1,{PARENTS} under TCG: the '[bit N]' warnings without a feature name, "
                      "as a mask per MSR word index (FeatureWord order)",
            "definitions": found}


def main(argv: list[str] | None = None) -> int:
    return harvest_main("model.harvest.x86_unnamed", __doc__, OUT,
                        lambda: json.dumps(harvest(), indent=1, sort_keys=True) + "\n", argv)


if __name__ == "__main__":
    sys.exit(main())
