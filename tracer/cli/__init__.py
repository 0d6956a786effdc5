"""The ``vmtrace`` command: one module per subcommand, each with ``register(subparsers)``.

Subcommand modules import heavy libraries (rich, textual) inside their handlers, so
``vmtrace --help`` and ``vmtrace record`` start quickly.
"""

from __future__ import annotations

import argparse
import importlib
import shlex
import sys
from collections.abc import Sequence

from tracer import __version__

# Order is the order in `vmtrace --help`.
COMMAND_MODULES = ("record", "show", "why", "types", "view", "tui", "diff", "export")

EPILOG = """\
examples:
  vmtrace record -o pc.json -- -machine pc -cpu Skylake-Client,+avx512f
  vmtrace show pc.json --depth 4 --match type_initialize
  vmtrace types --tree max-x86_64-cpu

Run `vmtrace COMMAND --help` for each command's options and an example.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args, extras = parser.parse_known_args(argv)
    if extras:
        return unrecognized(parser, args, argv, extras)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        status: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `vmtrace show big.json | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return 0
    return status


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
    print(f"{sub.prog}: error: unrecognized arguments: {' '.join(extras)}", file=sys.stderr)
    if hasattr(args, "qemu_args") and "--" not in argv:
        start = argv.index(args.command) + 1
        first = next(i for i in range(start, len(argv)) if argv[i] in extras)
        fixed = ["vmtrace", *argv[:first], "--", *argv[first:]]
        print(f"{sub.prog}: QEMU's options go after `--`: {shlex.join(fixed)}", file=sys.stderr)
    return 2
