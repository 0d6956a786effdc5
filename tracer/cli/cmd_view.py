"""``vmtrace view``: open a trace in the TUI (two traces: side by side, diff mode)."""

from __future__ import annotations

import argparse

from tracer.cli.common import EXIT_BAD_INPUT, add_command, error, load_or_exit
from tracer.replay import Replay
from tracer.trace import Trace


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "view", "step through a trace in the terminal UI",
        "Open a trace in the TUI and step through QEMU's startup like a debugger replaying a\n"
        "recording: call tree, event details with QEMU's source and explanation, and the QOM\n"
        "type graph at the current step. Press ? in the TUI for every key.",
        "  vmtrace view traces/pc-host.json\n"
        "  vmtrace view pc.json --at 14372     # open at an event number (as vmtrace diff/show print them)\n"
        "  vmtrace view a.json b.json          # diff mode: the two call trees side by side",
    )
    parser.add_argument("trace", metavar="FILE", help="a trace written by `vmtrace record`")
    parser.add_argument("other", metavar="FILE2", nargs="?", help="a second trace: compare the two (diff mode)")
    parser.add_argument("--at", type=int, metavar="EVENT", help="open with the cursor on event number EVENT")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    trace = load_or_exit(args.trace)
    if trace is None:
        return EXIT_BAD_INPUT
    if args.other is not None:
        if args.at is not None:
            error("view: --at opens one trace; diff mode starts at the first difference")
            return EXIT_BAD_INPUT
        other = load_or_exit(args.other)
        if other is None:
            return EXIT_BAD_INPUT
        return run_diff(args.trace, trace, args.other, other)

    from tracer.tui.app import run_app  # deferred: Textual loads only when a TUI opens

    replay = Replay(trace)
    if args.at is not None:
        last = len(trace.events) - 1
        if not 0 <= args.at <= last:
            where = f"events are numbered 0 to {last}" if last >= 0 else "the trace has no events"
            error(f"view: --at {args.at}: no such event in {args.trace} ({where})")
            return EXIT_BAD_INPUT
        replay.go(replay.event_number(args.at))
    return run_app(replay, args.trace)


def run_diff(name_a: str, trace_a: Trace, name_b: str, trace_b: Trace) -> int:
    # deferred: Textual and the diff (networkx) load only when two traces are compared
    from tracer.diff import diff_traces
    from tracer.tui.diff_app import run_diff_app

    return run_diff_app(diff_traces(trace_a, trace_b, name_a, name_b))
