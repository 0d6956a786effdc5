"""``vmtrace tui``: record a QEMU command line with the model and open the trace at once."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracer.cli.common import EXIT_BAD_INPUT, add_command, error, make_directory
from tracer.fileio import save_trace
from tracer.replay import Replay


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "tui", "record a QEMU command line and step through it in the TUI",
        "Run the model of qemu-system-x86_64 7.2 on QEMU_ARGS, then open the trace in the TUI\n"
        "(as `vmtrace view` does). With -o the trace is also saved.",
        "  vmtrace tui -- -machine pc -cpu Skylake-Client,+avx512f\n"
        "  vmtrace tui --host-profile EPYC-7601 -o pc-host.json -- -accel kvm -cpu host",
    )
    parser.add_argument("--host-profile", metavar="NAME|FILE",
                        help="the host CPU to model for -cpu host / kvm (`vmtrace hosts` lists the shipped ones)")
    parser.add_argument("-o", "--output", metavar="FILE", help="also save the recorded trace to FILE")
    parser.add_argument("qemu_args", metavar="-- QEMU_ARGS", nargs=argparse.REMAINDER,
                        help="the qemu-system-x86_64 command line (after --)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    qemu_args = list(args.qemu_args)
    if qemu_args and qemu_args[0] == "--":
        qemu_args = qemu_args[1:]
    from tracer.record import record_trace  # deferred: loads the whole model, only when this command runs

    try:
        trace = record_trace(qemu_args, host_profile=args.host_profile)
    except (OSError, ValueError) as exc:  # a bad --host-profile (HostProfileError is a ValueError)
        error(f"tui: {exc}")
        return EXIT_BAD_INPUT
    name = "qemu-system-x86_64 " + " ".join(qemu_args)
    if args.output:
        try:
            make_directory(Path(args.output).parent, "tui")
            save_trace(trace, args.output)
        except OSError as exc:
            error(f"tui: cannot write {args.output}: {exc.strerror or exc}")
            return EXIT_BAD_INPUT
        name = args.output

    from tracer.tui.app import run_app  # deferred: Textual loads only when a TUI opens

    return run_app(Replay(trace), name)
