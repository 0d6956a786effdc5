"""Access to the facts harvested from the real binary (``model/data``), loaded once."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


@functools.cache
def load_json(name: str) -> Any:
    """A data file's content; files are small and immutable, so they are cached per process."""
    return json.loads((DATA_DIR / name).read_text())


@functools.cache
def load_text(name: str) -> str:
    return (DATA_DIR / name).read_text()


def qemu_version() -> str:
    """The QEMU version the data (and so the model) reproduces."""
    version: str = load_json("qom_types.json")["qemu_version"]
    return version
