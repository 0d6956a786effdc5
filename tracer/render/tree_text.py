"""The call tree as rich text lines: the body of ``vmtrace show``.

A block of code inside a QEMU function (not a function of its own) is drawn in italics between
guillemets, ``«qemu_init: first pass over the options»``; a QOM hook's call ends with its kind,
``x86_cpu_common_class_init(x86_64-cpu) [class_init]``.

Labels come from :mod:`tracer.labels` (control characters already stripped) and are wrapped
in ``Text`` objects, never parsed as markup, so a hostile trace cannot style or move the
terminal.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from tracer.calltree import CallTree
from tracer.labels import args_text, call_text, clean, frame_name, hook_suffix, outcome_text, short
from tracer.select import visible_nodes
from tracer.trace import Trace

MAX_INDENT = 40
"""Levels of indentation drawn; deeper lines show their depth as a number instead, so the
output of a 10,000-deep trace grows with its events, not with the square of its depth."""
WARNING_POINTS = frozenset({"warn_report"})
ERROR_POINTS = frozenset({"error_report"})


def indent(depth: int) -> str:
    """Two spaces per level up to :data:`MAX_INDENT`, then ``…DEPTH`` in place of the rest."""
    if depth <= MAX_INDENT:
        return "  " * depth
    return "  " * MAX_INDENT + f"…{depth} "


def node_line(tree: CallTree, seq: int) -> Text:
    """``#seq  indent fn(args) -> ret`` styled by kind."""
    ev = tree.events[seq]
    closing = tree.closing(seq)
    line = Text(f"{seq:>7}  ", style="dim")
    line.append(indent(ev.depth))
    if ev.kind == "point":
        style = "yellow" if ev.fn in WARNING_POINTS else "bold red" if ev.fn in ERROR_POINTS else "cyan"
        line.append("• " + call_text(ev), style=style)
        return line
    info = tree.trace.functions.get(ev.fn)
    if info is not None and info.block:
        line.append(frame_name(ev, True), style="italic magenta")
        if ev.args:
            line.append(f" ({args_text(ev.args)})", style="dim")
    else:
        label = call_text(ev)
        name_length = len(short(ev.fn))
        line.append(label[:name_length], style="bold")
        line.append(label[name_length:])
    if ev.hook:
        line.append(hook_suffix(ev), style="dim cyan")
    outcome = outcome_text(closing)
    if outcome:
        line.append(outcome, style="red" if closing is not None and closing.kind == "error" else "green")
    return line


def render_call_tree(console: Console, trace: Trace, max_depth: int | None = None, pattern: str | None = None) -> None:
    tree = CallTree(trace)
    console.print(Text("$ " + " ".join(clean(a) for a in trace.meta.argv), style="bold"))
    for seq in visible_nodes(tree, max_depth, pattern):
        console.print(node_line(tree, seq))
    res = trace.result
    summary = Text(f"exit status {res.exit_status}", style="green" if res.exit_status == 0 else "red")
    if res.machine:
        summary.append(f"  machine {clean(res.machine)}")
    if res.cpu and isinstance(res.cpu.get("type"), str):
        summary.append(f"  cpu {clean(res.cpu['type'])}")
    summary.append(f"  {len(trace.events)} events")
    console.print(summary)
