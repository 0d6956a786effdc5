"""``vmtrace show``: print a trace's call tree with rich, usable in a pipe."""

from __future__ import annotations

import argparse

from tracer.calltree import CallTree
from tracer.cli.common import (
    EXIT_BAD_INPUT,
    add_command,
    error,
    load_or_exit,
    stops_quietly_when_the_reader_goes,
    terminal_console,
)
from tracer.flat import flat_rows, format_rows
from tracer.labels import clean
from tracer.trace import HOOK_KINDS, HookKind, Trace


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "show", "print a trace's call tree",
        "Print the call tree of a trace: one line per call (with its key arguments and return value)\n"
        "or point event, indented by nesting, each prefixed by its event number.\n"
        "With --flat, only the matching calls, in order, one per line: event number, function,\n"
        "hook kind, the QOM type it is about, and its caller.",
        "  vmtrace show pc.json --depth 3\n"
        "  vmtrace show pc.json --match parse_cpu_option     # matches with their context\n"
        "  vmtrace show pc.json --match 'x86_cpu_*' | less -R\n"
        "  vmtrace show q35.json --flat --match '*class_init' # every class_init, in the order it ran\n"
        "  vmtrace show pc.json --flat --hook instance_init --match max-x86_64-cpu",
    )
    parser.add_argument("trace", metavar="FILE", help="a trace written by `vmtrace record`")
    parser.add_argument("--depth", type=int, metavar="N", help="hide calls nested deeper than N (0 = main only)")
    parser.add_argument("--match", metavar="NAME",
                        help="only calls whose function name or an argument matches NAME "
                             "(substring, or a glob with * ? []), with their callers and callees")
    parser.add_argument("--flat", action="store_true",
                        help="list only the matching calls, one per line, in event order")
    parser.add_argument("--hook", type=hook_kinds, metavar="KIND[,KIND]",
                        help="only calls QOM made through these TypeInfo hooks (implies --flat): "
                             + ", ".join(HOOK_KINDS))
    parser.set_defaults(func=run)


def hook_kinds(text: str) -> frozenset[HookKind]:
    """``instance_init,instance_post_init``: each a hook kind the trace records."""
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in HOOK_KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"unknown hook kind {', '.join(unknown) or repr(text)} (choose from {', '.join(HOOK_KINDS)})")
    return frozenset(k for k in HOOK_KINDS if k in kinds)


def run(args: argparse.Namespace) -> int:
    # deferred: rich (under the renderer) is loaded by the commands that print with it
    from tracer.render.tree_text import render_call_tree

    if args.depth is not None and args.depth < 0:
        error("show: --depth must be 0 or more")
        return EXIT_BAD_INPUT
    trace = load_or_exit(args.trace)
    if trace is None:
        return EXIT_BAD_INPUT
    if args.flat or args.hook is not None:
        return _run_flat(args, trace)
    console = terminal_console()
    with stops_quietly_when_the_reader_goes():
        render_call_tree(console, trace, max_depth=args.depth, pattern=args.match)
    return 0


def _run_flat(args: argparse.Namespace, trace: Trace) -> int:
    """One line per match; exit 1 (as grep does) when nothing matches, saying why on stderr."""
    rows = flat_rows(CallTree(trace), args.match, args.hook, args.depth)
    with stops_quietly_when_the_reader_goes():
        for line in format_rows(rows):
            print(clean(line))
    if not rows:
        why = "no event matches"
        if args.hook is not None and not any(ev.hook for ev in trace.events):
            why = "this trace records no QOM hook kinds (record it again with this vmtrace)"
        error(f"show: {why}")
        return 1
    return 0
