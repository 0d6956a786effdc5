"""``vmtrace record``: run the QEMU model on a command line and write its trace.

On the terminal it behaves like the binary: the same stdout, the same ``qemu-system-x86_64:``
stderr lines and the same exit status. Only when the trace path was not given does vmtrace
add one line of its own (on stderr, prefixed ``vmtrace:``) saying where the trace went.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from pathlib import Path

from tracer.cli.common import EXIT_BAD_INPUT, add_command, error, make_directory, stops_quietly_when_the_reader_goes
from tracer.fileio import save_trace
from tracer.labels import clean_line

DEFAULT_DIR = Path("vmtrace-traces")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "record", "run the QEMU 7.2 model on a command line and save the trace",
        "Model `qemu-system-x86_64 QEMU_ARGS` from main() to the realized first CPU and save every step\n"
        "as a trace. stdout, stderr and the exit status are the real binary's. Arguments after `--` are\n"
        "QEMU's. `-cpu host`/`-cpu max` with `-accel kvm` use a recorded host CPU profile.",
        "  vmtrace record -o pc.json -- -machine pc -cpu Skylake-Client,+avx512f\n"
        "  vmtrace record -- -machine q35 -cpu max           # trace goes to vmtrace-traces/\n"
        "  vmtrace record --host-profile Xeon-Platinum-8268 -o host.json -- -accel kvm -cpu host",
    )
    parser.add_argument("-o", "--output", metavar="FILE",
                        help=f"where to write the trace (default: {DEFAULT_DIR}/<time>-<args>.json, printed)")
    parser.add_argument("--host-profile", metavar="NAME|FILE",
                        help="host CPU for -cpu host/max under KVM: a shipped profile (`vmtrace hosts` lists "
                             "them; default EPYC-7713) or a file from `python -m model.harvest.host_profile -o FILE`")
    parser.add_argument("qemu_args", nargs=argparse.REMAINDER, metavar="-- QEMU_ARGS",
                        help="the qemu-system-x86_64 command line to model")
    parser.set_defaults(func=run)


def qemu_args_of(args: argparse.Namespace) -> list[str]:
    qemu_args: list[str] = list(args.qemu_args)
    if qemu_args and qemu_args[0] == "--":
        qemu_args = qemu_args[1:]
    return qemu_args


def default_trace_path(qemu_args: list[str]) -> Path:
    """``vmtrace-traces/20261124-170501-machine-pc-cpu-host.json``: sortable and recognisable."""
    slug = re.sub(r"[^A-Za-z0-9.+]+", "-", " ".join(qemu_args)).strip("-")[:60] or "default"
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return DEFAULT_DIR / f"{stamp}-{slug}.json"


def run(args: argparse.Namespace) -> int:
    # deferred: the model loads only when a command records (not for --help or other commands)
    from model.target_i386.host_profile import HostProfileError
    from tracer.record import record_trace

    qemu_args = qemu_args_of(args)
    try:
        trace = record_trace(qemu_args, host_profile=args.host_profile)
    except HostProfileError as exc:
        error(str(exc))
        return EXIT_BAD_INPUT
    with stops_quietly_when_the_reader_goes():  # the trace is still written, the status kept
        for line in trace.result.stdout:
            print(clean_line(line))
    try:
        for line in trace.result.stderr:
            print(clean_line(line), file=sys.stderr)
    except OSError:
        pass
    path = Path(args.output) if args.output else default_trace_path(qemu_args)
    try:
        if args.output:
            make_directory(path.parent, "record")
        else:  # the default directory: the "trace written to" line below says where it went
            path.parent.mkdir(parents=True, exist_ok=True)
        save_trace(trace, path)
    except OSError as exc:
        error(f"cannot write {path}: {exc.strerror or exc}")
        return EXIT_BAD_INPUT
    if not args.output:
        error(f"trace written to {path} ({len(trace.events)} events)")
    return trace.result.exit_status
