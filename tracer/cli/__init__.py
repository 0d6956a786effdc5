"""The ``vmtrace`` command: one module per subcommand, each with ``register(subparsers)``.

Subcommand modules import heavy libraries (rich, textual) inside their handlers, so
``vmtrace --help`` and ``vmtrace record`` start quickly.

:func:`main` is where process behaviour lives: a reader that closes the pipe ends output
quietly without changing the exit status; an output that cannot be written (``> /dev/full``)
gives one line and status 2; SIGTERM and SIGHUP unwind like Ctrl+C (so temporary files are
removed) and the process then dies of the signal, as the shell expects.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shlex
import signal
import sys
from collections.abc import Sequence
from types import FrameType
from typing import NoReturn

from tracer import __version__
from tracer.cli.common import EXIT_BAD_INPUT, discard_stdout, error
from tracer.labels import clean

# Order is the order in `vmtrace --help`.
COMMAND_MODULES = ("record", "show", "why", "class", "info", "types", "hosts", "view", "tui", "diff", "export")
TUI_COMMANDS = frozenset({"view", "tui"})
"""Textual owns signals and the terminal while these run."""
CAUGHT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)

EPILOG = """\
examples:
  vmtrace record -o pc.json -- -machine pc -cpu Skylake-Client,+avx512f
  vmtrace show pc.json --depth 4 --match type_initialize
  vmtrace types --tree max-x86_64-cpu
  vmtrace info pc.json qtree

Run `vmtrace COMMAND --help` for each command's options and an example.
"""


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (cleaning up), then die of the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Parser(argparse.ArgumentParser):
    """argparse quotes the user's arguments in its errors: through the sanitiser too."""

    def error(self, message: str) -> NoReturn:
        super().error(clean(message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vmtrace",
        description="Record and step through how qemu-system-x86_64 7.2 turns a command line into a running vCPU.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"vmtrace {__version__} (models QEMU 7.2)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"tracer.cli.cmd_{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit status."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:  # a non-UTF-8 locale must not turn a name into a traceback
            reconfigure(errors="backslashreplace")
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args, extras = parser.parse_known_args(argv)
    if extras:
        return unrecognized(parser, args, argv, extras)
    if args.command is None:
        parser.print_help()
        return 2
    previous = {} if args.command in TUI_COMMANDS else _catch_signals()
    try:
        return _run(args)
    except Terminated as exc:
        _die_of(exc.signum)
        return 128 + exc.signum
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _run(args: argparse.Namespace) -> int:
    status = 0  # what a command that meets a closed pipe before deciding anything else exits with
    try:
        status = args.func(args)
        sys.stdout.flush()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `vmtrace show big.json | head`: the reader went away; that is not an error, and the
        # answer (diff's 0 or 1) stays what the command decided.
        discard_stdout()
    except OSError as exc:  # stdout on a full disk (no file name), or a file a command did not expect
        where = f"{exc.filename}" if exc.filename is not None else "cannot write the output"
        error(f"{where}: {exc.strerror or exc}")
        discard_stdout()
        return EXIT_BAD_INPUT
    return status


def _catch_signals() -> dict[int, signal._HANDLER]:
    def terminated(signum: int, _frame: FrameType | None) -> None:
        raise Terminated(signum)

    previous: dict[int, signal._HANDLER] = {}
    try:
        for signum in CAUGHT_SIGNALS:
            previous[signum] = signal.signal(signum, terminated)
    except ValueError:  # not the main thread: leave signals alone
        pass
    return previous


def _die_of(signum: int) -> None:
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def command_parser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    """The parser of subcommand ``name``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser | None = action.choices.get(name)
            return found
    return None


def unrecognized(parser: argparse.ArgumentParser, args: argparse.Namespace, argv: list[str],
                 extras: list[str]) -> int:
    """Options no parser knows: the error and usage of the subcommand they were given to
    (argparse would print the top-level usage), and for a command that takes a QEMU command
    line, the same line with ``--`` where QEMU's options start."""
    sub = command_parser(parser, args.command) if args.command else None
    if sub is None:
        parser.error(f"unrecognized arguments: {' '.join(extras)}")
    assert sub is not None
    sub.print_usage(sys.stderr)
    print(clean(f"{sub.prog}: error: unrecognized arguments: {' '.join(extras)}"), file=sys.stderr)
    if hasattr(args, "qemu_args") and "--" not in argv:
        start = argv.index(args.command) + 1
        first = next(i for i in range(start, len(argv)) if argv[i] in extras)
        fixed = ["vmtrace", *argv[:first], "--", *argv[first:]]
        print(clean(f"{sub.prog}: QEMU's options go after `--`: {shlex.join(fixed)}"), file=sys.stderr)
    return 2
