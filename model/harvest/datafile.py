"""Writing a harvested data file, or checking that the committed one still matches."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
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


def harvest_main(module: str, doc: str | None, path: Path, harvest: Callable[[], str],
                 argv: Sequence[str] | None) -> int:
    """The command line every single-file harvester shares: write the file, or ``--check`` it.

    ``harvest`` is called only after the arguments parsed, so ``--help`` never starts QEMU.
    """
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
    args = parser.parse_args(argv)
    return write_or_check(path, harvest(), args.check)
