"""Helpers shared by subcommands: loading a trace with a one-line error, help formatting."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracer.fileio import TraceFormatError, load_trace
from tracer.trace import Trace

EXIT_BAD_INPUT = 2


class CommandError(Exception):
    """A user-facing failure: printed as ``vmtrace: message`` with exit status 2."""


def load_or_exit(path: str) -> Trace | None:
    """Load a trace, or print ``vmtrace: FILE: problem`` and return None."""
    try:
        return load_trace(path)
    except TraceFormatError as exc:
        print(f"vmtrace: {exc}", file=sys.stderr)
        return None


def make_directory(directory: Path, command: str) -> None:
    """Create ``directory`` (and its parents) when missing, saying so on stderr: ``record -o
    DIR/FILE`` and ``diff --save DIR`` treat a missing directory alike. Raises ``OSError``."""
    if directory.is_dir() or str(directory) in ("", "."):
        return
    directory.mkdir(parents=True, exist_ok=True)
    print(f"vmtrace: {command}: created directory {directory}", file=sys.stderr)


def add_command(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    summary: str,
    description: str,
    example: str,
) -> argparse.ArgumentParser:
    """A subcommand parser whose --help ends with worked examples."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog=f"example:\n{example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser
