"""Helpers shared by subcommands: the one way to report an error, loading a trace with a one-line
error, writing to standard output as a Unix tool should, help formatting."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tracer.fileio import TraceFormatError, load_trace
from tracer.labels import clean
from tracer.trace import Trace

if TYPE_CHECKING:
    from rich.console import Console

EXIT_BAD_INPUT = 2


class CommandError(Exception):
    """A user-facing failure: printed as ``vmtrace: message`` with exit status 2."""


def error(message: str) -> None:
    """Print ``vmtrace: MESSAGE`` on stderr, through the sanitiser: messages quote file names,
    arguments and trace contents, none of which may act on the terminal. A stderr that cannot
    be written is not a reason for a traceback."""
    try:
        print(f"vmtrace: {clean(message)}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def load_or_exit(path: str) -> Trace | None:
    """Load a trace, or print ``vmtrace: FILE: problem`` and return None."""
    try:
        return load_trace(path)
    except TraceFormatError as exc:
        error(str(exc))
        return None


def make_directory(directory: Path, command: str) -> None:
    """Create ``directory`` (and its parents) when missing, saying so on stderr: ``record -o
    DIR/FILE`` and ``diff --save DIR`` treat a missing directory alike. Raises ``OSError``."""
    if directory.is_dir() or str(directory) in ("", "."):
        return
    directory.mkdir(parents=True, exist_ok=True)
    error(f"{command}: created directory {directory}")


def discard_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so that what is still buffered (and Python's own
    flush at exit) cannot fail again once the reader has gone or the disk is full."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (tests capture stdout in memory)


@contextmanager
def stops_quietly_when_the_reader_goes() -> Iterator[None]:
    """``vmtrace diff A B | head -1``: when the reader closes the pipe, stop writing, quietly,
    and let the command exit with the status it had decided (diff's 0/1, not a failure)."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()


def terminal_console() -> Console:
    """The rich console commands print with: no highlighting of numbers or names (a trace's
    text is shown as it is), lines kept whole in a pipe, and a closed pipe reported as
    ``BrokenPipeError`` (rich would exit with status 1, turning ``diff A A | head -1`` into
    "different")."""
    from rich.console import Console  # deferred: rich only for commands that print with it

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, "the reader closed the pipe")

    return PipeConsole(highlight=False, soft_wrap=True)


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
