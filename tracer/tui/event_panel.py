"""The event panel: everything about the event under the cursor, with QEMU's explanation.

Every string from the trace goes through :func:`tracer.labels.clean` into ``Text`` objects:
a trace is untrusted input and must not be able to style or move the terminal.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tracer.calltree import NONE
from tracer.classstate import earlier_class_init
from tracer.labels import BARE_KEYS, clean, frame_name, short, value_text
from tracer.replay import Replay

MAX_TEXT = 2_000
"""Characters of a point's text or an error shown here; ``v`` shows them all. Drawing cost
must not grow with one string of a hostile trace."""
MAX_DOC = 4_000


def format_duration(ns: int | None) -> str:
    """Nanoseconds in the unit a person reads at a glance."""
    if ns is None:
        return "(still running)"
    if ns < 1_000:
        return f"{ns} ns"
    if ns < 1_000_000:
        return f"{ns / 1_000:.1f} µs"
    if ns < 1_000_000_000:
        return f"{ns / 1_000_000:.2f} ms"
    return f"{ns / 1_000_000_000:.3f} s"


def describe_event(replay: Replay, seq: int) -> RenderableType:
    """The panel's content for event ``seq``: a heading, arguments and outcome, explanation."""
    events = replay.events
    ev = events[seq]
    node = replay.tree.node_of(seq)
    call = events[node]
    info = replay.trace.functions.get(ev.fn)
    block = info is not None and info.block
    heading = Text(frame_name(ev, block), style="bold italic" if block else "bold")
    if block:
        heading.append("  a block inside a QEMU function, not a function of its own", style="dim")
    if call.hook:
        heading.append(f"  QOM {call.hook} hook", style="cyan")
    facts = Text(f"{ev.kind} #{seq} · depth {ev.depth}", style="dim")
    if call.kind == "call":
        facts.append(f" · {format_duration(replay.tree.duration_ns(node))}")
    if seq != node:
        facts.append(f" · of call #{node} (%)")
    parts: list[RenderableType] = [heading, facts]
    if info is not None:
        parts.append(Text(clean(info.src), style="underline"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    if call.args:
        for key, value in call.args.items():
            grid.add_row(Text(clean(str(key))), Text(value_text(value, bare=key in BARE_KEYS)))
    if ev.kind == "point" and ev.text:
        grid.add_row(Text("text"), Text(short(ev.text, MAX_TEXT)))
    if call.kind == "call":
        grid.add_row(*_outcome(replay, node))
    if grid.row_count:
        parts.append(grid)
    link = earlier_class_init(replay.trace, node, replay.milestones.class_initialised)
    if link is not None:
        note = Text(f"class {clean(link[0])} was initialised earlier, at step {link[1]}", style="bold cyan")
        note.append("  (L goes there, K shows its fields)", style="dim")
        parts.append(note)
    doc = clean_doc(info.doc[:MAX_DOC] if info is not None else "")
    if info is not None and len(info.doc) > MAX_DOC:
        doc += " … (v shows every value in full)"
    if doc:
        parts.extend([Text(""), Text(doc, style="italic")])
    return Group(*parts)


def _outcome(replay: Replay, node: int) -> tuple[Text, Text]:
    closing = replay.tree.closing(node)
    if closing is None:
        return Text("returns"), Text("(no return recorded)", style="dim")
    if closing.kind == "error":
        return Text("error"), Text(short(closing.text or "error", MAX_TEXT), style="bold red")
    if closing.ret is None:
        return Text("returns"), Text("(nothing)", style="dim")
    return Text("returns"), Text(value_text(closing.ret, bare=True), style="green")


def clean_doc(doc: str) -> str:
    """A docstring with its paragraphs kept and control characters removed."""
    doc = doc.replace("``", "`")  # reST literals read as Markdown-style code in a terminal
    paragraphs = [" ".join(clean(line).strip() for line in para.splitlines()) for para in doc.split("\n\n")]
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


class EventPanel(Static):
    """Function, QEMU source, arguments, return value, duration and explanation."""

    DEFAULT_CSS = """
    EventPanel { height: auto; padding: 0 1; }
    """

    def show(self, replay: Replay) -> None:
        if replay.pos == NONE:
            empty = "The filter hides every event (= clears it)." if replay.events else "This trace has no events."
            self.update(Text(empty, style="dim"))
            return
        self.update(describe_event(replay, replay.pos))
