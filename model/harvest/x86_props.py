"""Harvest the x86 CPU's QOM properties that are not feature bits: names, QAPI types and the
values a plainly realized ``-cpu base`` has (the defaults the model starts from).

``python -m model.harvest.x86_props [--check]`` writes ``model/data/x86_cpu_properties.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from model.harvest.datafile import harvest_main
from model.harvest.session import QemuSession

OUT = Path(__file__).resolve().parent.parent / "data" / "x86_cpu_properties.json"


def harvest() -> dict[str, Any]:
    features = set()
    words = json.loads((OUT.parent / "x86_feature_words.json").read_text())
    for word in words["words"]:
        features |= {f["name"] for f in word["features"]}
    features |= set(words["aliases"]) | set(words.get("unplaced_features", []))
    with QemuSession(["-machine", "pc", "-cpu", "base"]) as qmp:
        version = qmp.cmd("query-version")["qemu"]
        path = qmp.cmd("query-cpus-fast")[0]["qom-path"]
        listed = qmp.cmd("qom-list", path=path)
        props: dict[str, Any] = {}
        for p in sorted(listed, key=lambda p: p["name"]):
            name, kind = p["name"], p["type"]
            if name in features or kind.startswith(("child<", "link<")):
                continue
            entry: dict[str, Any] = {"type": kind}
            reply = qmp.cmd_raw("qom-get", path=path, property=name)
            if "return" in reply and not isinstance(reply["return"], (dict, list)):
                entry["base_value"] = reply["return"]
            props[name] = entry
    return {"qemu_version": f"{version['major']}.{version['minor']}.{version['micro']}",
            "source": "qom-list and qom-get on a realized '-machine pc -cpu base' (feature bits and their "
                      "aliases excluded; lists and links excluded)",
            "properties": props}


def main(argv: list[str] | None = None) -> int:
    return harvest_main("model.harvest.x86_props", __doc__, OUT, lambda: json.dumps(harvest(), indent=1) + "\n", argv)


if __name__ == "__main__":
    sys.exit(main())
