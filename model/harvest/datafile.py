"""Writing a harvested data file, or checking that the committed one still matches."""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(path: Path, text: str, check: bool) -> int:
    """Write ``text`` to ``path``; with ``check``, compare instead and return 1 if it differs."""
    if check:
        same = path.exists() and path.read_text() == text
        print(f"{path.name} " + ("matches the binary" if same else "differs from the binary"), file=sys.stderr)
        return 0 if same else 1
    path.write_text(text)
    print(f"wrote {path}", file=sys.stderr)
    return 0
