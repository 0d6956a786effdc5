"""``vmtrace diff``: compare two traces, or record two CPU models and compare them.

Exit status follows ``diff(1)``: 0 when the traces are equal (timestamps aside), 1 when they
differ, 2 on bad input (unreadable file, bad options, a recording that could not be made).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import msgspec

from tracer.cli.common import (
    EXIT_BAD_INPUT,
    add_command,
    error,
    load_or_exit,
    make_directory,
    stops_quietly_when_the_reader_goes,
    terminal_console,
)
from tracer.fileio import save_trace
from tracer.labels import clean, json_for_terminal
from tracer.trace import Trace

EXIT_EQUAL = 0
EXIT_DIFFERENT = 1


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "diff", "compare two traces (call trees and the resulting CPU)",
        "Compare two traces: the call trees aligned call by call (calls only in A, only in B,\n"
        "and matched calls whose arguments or results differ, with the first divergence), and\n"
        "what the runs mean: machine, CPU type and ancestry, class_init/instance_init that ran,\n"
        "CPU properties and features, CPUID bits, filtered features, warnings, errors, exit status.\n"
        "With --cpu twice, record both CPU models with the model first (COMMON_ARGS after --).\n"
        "Exit status: 0 equal, 1 different, 2 bad input.",
        "  vmtrace diff skylake.json epyc.json\n"
        "  vmtrace diff --cpu Skylake-Client --cpu EPYC -- -machine pc\n"
        "  vmtrace diff --cpu host --cpu max --stat -- -accel kvm\n"
        "  vmtrace diff a.json b.json --json | jq .structural.first_divergence",
    )
    parser.add_argument("files", metavar="FILE", nargs="*",
                        help="two traces A and B; with --cpu: the QEMU arguments both runs share (after --)")
    parser.add_argument("--cpu", action="append", metavar="MODEL", default=[],
                        help="record with -cpu MODEL (give exactly two: A then B)")
    parser.add_argument("--host-profile", metavar="NAME|FILE",
                        help="with --cpu: the host CPU profile both recordings use for -cpu host/max under "
                             "KVM (as in `vmtrace record`)")
    parser.add_argument("--save", metavar="DIR", type=Path,
                        help="with --cpu: also save the recordings as DIR/a-MODEL.json and DIR/b-MODEL.json")
    parser.add_argument("--json", action="store_true", help="print the diff as JSON (shape in the README)")
    parser.add_argument("--context", type=int, default=3, metavar="N", help="unchanged calls shown around each change")
    parser.add_argument("--stat", action="store_true", help="only the CPU section and the call-tree summary")
    parser.add_argument("--fold", type=int, default=40, metavar="N",
                        help="show at most N rows of a run present in one trace only, then count the rest "
                             "(default 40; 0 shows everything)")
    parser.set_defaults(func=run)


def fail(message: str) -> int:
    error(f"diff: {message}")
    return EXIT_BAD_INPUT


def run(args: argparse.Namespace) -> int:
    if args.context < 0 or args.fold < 0:
        return fail("--context and --fold must be 0 or more")
    if args.cpu:
        if len(args.cpu) != 2:
            return fail(f"--cpu needs exactly two models (A and B), got {len(args.cpu)}")
        loaded = _record_pair(args.cpu, args.files, args.host_profile, args.save)
    else:
        if args.host_profile or args.save:
            return fail("--host-profile and --save only apply with --cpu")
        if len(args.files) != 2:
            return fail(f"expected two trace files (or --cpu twice), got {len(args.files)}")
        loaded = _load_pair(args.files)
    if loaded is None:
        return EXIT_BAD_INPUT
    (label_a, a), (label_b, b) = loaded

    from tracer.diff import diff_traces  # deferred: the diff loads networkx; other commands never need it

    diff = diff_traces(a, b, label_a, label_b)
    status = EXIT_EQUAL if diff.equal else EXIT_DIFFERENT
    with stops_quietly_when_the_reader_goes():  # `| head -1` keeps diff's answer
        if args.json:
            document = msgspec.json.format(msgspec.json.encode(diff.to_json()), indent=2)
            sys.stdout.buffer.write(json_for_terminal(document) + b"\n")
        else:
            # deferred: rich (and the renderer built on it) only for the text output
            from tracer.render.diff_text import render_diff

            render_diff(terminal_console(), diff, context=args.context, stat_only=args.stat,
                        fold=args.fold)
    return status


def _load_pair(files: list[str]) -> tuple[tuple[str, Trace], tuple[str, Trace]] | None:
    a = load_or_exit(files[0])
    if a is None:
        return None
    b = load_or_exit(files[1])
    if b is None:
        return None
    # Labels go into the JSON document and onto the terminal: a file name's undecodable bytes
    # (surrogates, which no JSON can hold) and control characters go through the sanitiser.
    return (clean(files[0]), a), (clean(files[1]), b)


def _record_pair(
    cpus: list[str], common: list[str], host_profile: str | None, save: Path | None
) -> tuple[tuple[str, Trace], tuple[str, Trace]] | None:
    if any(arg in ("-cpu", "--cpu") or arg.startswith(("-cpu=", "--cpu=")) for arg in common):
        fail("COMMON_ARGS must not contain -cpu when --cpu is given")
        return None
    if save is not None and save.exists() and not save.is_dir():
        fail(f"--save: {save} is not a directory")
        return None
    try:
        from tracer.record import record_trace  # deferred: loads the whole model, only for --cpu pairs
    except ImportError:
        fail("recording is not available in this build (tracer.record is missing)")
        return None
    traces: list[tuple[str, Trace]] = []
    for cpu in cpus:
        try:
            trace = record_trace([*common, "-cpu", cpu], host_profile=host_profile)
        except (ValueError, OSError) as exc:  # a bad --host-profile (HostProfileError is a ValueError)
            fail(f"recording -cpu {cpu} failed: {exc}")
            return None
        traces.append((cpu, trace))
    if save is not None:
        try:
            make_directory(save, "diff")
        except OSError as exc:
            fail(f"--save: cannot create {save}: {exc.strerror or exc}")
            return None
        for side, (cpu, trace) in zip("ab", traces, strict=True):
            target = save / f"{side}-{_file_stem(cpu)}.json"
            try:
                save_trace(trace, target)
            except OSError as exc:
                fail(f"--save: cannot write {target}: {exc.strerror or exc}")
                return None
    return traces[0], traces[1]


def _file_stem(cpu: str) -> str:
    """A file name for a ``-cpu`` value such as ``Skylake-Client,+avx512f``."""
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", cpu).strip("._") or "cpu"
