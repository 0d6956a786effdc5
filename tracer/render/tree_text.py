"""The call tree as rich text lines: the body of ``vmtrace show``.

Labels come from :mod:`tracer.labels` (control characters already stripped) and are wrapped
in ``Text`` objects, never parsed as markup, so a hostile trace cannot style or move the
terminal.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from tracer.calltree import CallTree
from tracer.labels import call_text, clean, outcome_text
from tracer.select import visible_nodes
from tracer.trace import Trace

WARNING_POINTS = frozenset({"warn_report"})
ERROR_POINTS = frozenset({"error_report"})


def node_line(tree: CallTree, seq: int) -> Text:
    """``#seq  indent fn(args) -> ret`` styled by kind."""
    ev = tree.events[seq]
    closing = tree.closing(seq)
    line = Text(f"{seq:>7}  ", style="dim")
    line.append("  " * ev.depth)
    if ev.kind == "point":
        style = "yellow" if ev.fn in WARNING_POINTS else "bold red" if ev.fn in ERROR_POINTS else "cyan"
        line.append("• " + call_text(ev), style=style)
        return line
    line.append(clean(ev.fn), style="bold")
    line.append(call_text(ev)[len(clean(ev.fn)):])
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
