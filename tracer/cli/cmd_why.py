"""``vmtrace why``: explain how one CPU feature got its final value."""

from __future__ import annotations

import argparse
import json

from tracer.cli.common import (
    EXIT_BAD_INPUT,
    add_command,
    error,
    load_or_exit,
    stops_quietly_when_the_reader_goes,
    terminal_console,
)
from tracer.labels import clean, value_text
from tracer.trace import Trace
from tracer.why import MAX_SUGGESTIONS, FeatureChain, feature_chain, near_features


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "why", "explain why a CPU feature ended up on or off",
        "Print every recorded step that decided FEATURE on the realized CPU: the model definition,\n"
        "version props, machine compat props, accelerator defaults, +feat/-feat, feat=on|off, max/host\n"
        "expansion, dependencies, TCG filtering. Each line starts with its event number (`:N` in the TUI).\n"
        "Legacy spellings work (sse4_2, xd, lahf_lm...).",
        "  vmtrace why sky.json avx512f\n"
        "  vmtrace why sky.json sse4_2 --json",
    )
    parser.add_argument("trace", metavar="TRACE", help="a trace written by `vmtrace record`")
    parser.add_argument("feature", metavar="FEATURE", help="a feature property name, e.g. avx512f or sse4_2")
    parser.add_argument("--json", action="store_true", help="print the chain as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    trace = load_or_exit(args.trace)
    if trace is None:
        return EXIT_BAD_INPUT
    chain = feature_chain(trace, args.feature)
    known = trace.result.cpu is not None and chain.feature in trace.result.cpu
    if not chain.steps and not known:
        near = near_features(trace, args.feature) if trace.result.cpu is not None else []
        if near and near[0].lower() == args.feature.lower():
            chain = feature_chain(trace, near[0])  # AVX512F: the same feature, in QEMU's spelling
        else:
            reason = "no CPU was realized in this trace" if trace.result.cpu is None else "not a CPU feature"
            if near:
                shown = ", ".join(clean(n) for n in near[:MAX_SUGGESTIONS])
                more = f" (and {len(near) - MAX_SUGGESTIONS} more)" if len(near) > MAX_SUGGESTIONS else ""
                reason += f"; did you mean {shown}{more}?"
            error(f"why: {args.feature}: {reason}")
            return EXIT_BAD_INPUT
    with stops_quietly_when_the_reader_goes():
        print_chain(trace, chain, args.json)
    return 0


def print_chain(trace: Trace, chain: FeatureChain, as_json: bool) -> None:
    # deferred: rich is loaded by the commands that print with it, not by every vmtrace start
    from rich.text import Text

    if as_json:  # ensure_ascii: nothing from the trace reaches the terminal unescaped
        print(json.dumps({"query": chain.query, "feature": chain.feature, "word": chain.word, "bit": chain.bit,
                          "final": chain.final,
                          "steps": [s.__dict__ for s in chain.steps]}, indent=1))
        return
    console = terminal_console()
    where = f" ({clean(chain.word)} bit {chain.bit})" if chain.word is not None else ""
    if trace.result.cpu is None:
        final = f"no CPU was realized (exit status {trace.result.exit_status})"
    else:
        final = ("on" if chain.final is True else "off" if chain.final is False else "unknown" if chain.final is None
                 else value_text(chain.final))
    head = Text(f"{clean(chain.feature)}{where}: ", style="bold")
    head.append(final, style="green" if chain.final else "red")
    if chain.feature != chain.query:
        head.append(f"   ({clean(chain.query)} is a legacy name for it)", style="dim")
    console.print(head)
    if not chain.steps:
        console.print(Text("  never set: it keeps the default of the CPU type (off)", style="dim"))
    for step in chain.steps:
        line = Text(f"{step.seq:>8}  ", style="dim")
        if step.kind == "change":
            line.append(f"{'on ' if step.value else 'off'}  ", style="green" if step.value else "red")
            line.append(clean(step.text))
        elif step.kind == "warning":
            line.append("warn ", style="yellow")
            line.append(clean(step.text), style="yellow")
        else:
            line.append("ask  ", style="cyan")
            line.append(clean(step.text))
        console.print(line)
