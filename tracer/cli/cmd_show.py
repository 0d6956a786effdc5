"""``vmtrace show``: print a trace's call tree with rich, usable in a pipe."""

from __future__ import annotations

import argparse
import sys

from tracer.cli.common import EXIT_BAD_INPUT, add_command, load_or_exit


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "show", "print a trace's call tree",
        "Print the call tree of a trace: one line per call (with its key arguments and return value)\n"
        "or point event, indented by nesting, each prefixed by its event number.",
        "  vmtrace show pc.json --depth 3\n"
        "  vmtrace show pc.json --match parse_cpu_option     # matches with their context\n"
        "  vmtrace show pc.json --match 'x86_cpu_*' | less -R",
    )
    parser.add_argument("trace", metavar="FILE", help="a trace written by `vmtrace record`")
    parser.add_argument("--depth", type=int, metavar="N", help="hide calls nested deeper than N (0 = main only)")
    parser.add_argument("--match", metavar="NAME",
                        help="only calls whose function name or an argument matches NAME "
                             "(substring, or a glob with * ? []), with their callers and callees")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # deferred: rich is loaded by the commands that print with it, not by every vmtrace start
    from rich.console import Console

    from tracer.render.tree_text import render_call_tree

    if args.depth is not None and args.depth < 0:
        print("vmtrace: show: --depth must be 0 or more", file=sys.stderr)
        return EXIT_BAD_INPUT
    trace = load_or_exit(args.trace)
    if trace is None:
        return EXIT_BAD_INPUT
    console = Console(highlight=False, soft_wrap=True)
    render_call_tree(console, trace, max_depth=args.depth, pattern=args.match)
    return 0
