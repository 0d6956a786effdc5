"""The firmware files QEMU loads from its data directories (``hw/core/loader.c``).

vmtrace reads no firmware; what the model needs of a file is its size (the BIOS region is as
large as the file, an option ROM's region too), harvested from the Debian package's data
directory with the QEMU version (``model/data/machine/mtree.jsonl``).
"""

from __future__ import annotations

import json
from functools import cache

from model.data_files import DATA_DIR


@cache
def firmware_sizes() -> dict[str, int]:
    """The size of each firmware file as the harvest found it in QEMU's data directories."""
    found: dict[str, int] = {}
    for line in (DATA_DIR / "machine" / "mtree.jsonl").read_text(encoding="utf-8").splitlines():
        found.update(json.loads(line).get("firmware", {}))
    return found
