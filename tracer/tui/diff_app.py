"""``vmtrace view A.json B.json``: two traces side by side, divergences coloured.

The comparison is :func:`tracer.diff.diff_traces` (the same as ``vmtrace diff``); this module
only lays it out: the merged call tree in :class:`~tracer.tui.diff_view.DiffView` (A left, B
right, one scroll), what differs on the cursor's row, and the semantic diff (CPU type,
properties, features, CPUID bits, warnings) as ``vmtrace diff`` prints it.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.console import Console, Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tracer.diff import TraceDiff
from tracer.labels import clean, short, value_text
from tracer.render.diff_text import render_semantic, render_structural_summary
from tracer.tui.actions_io import Callback
from tracer.tui.diff_view import DiffView
from tracer.tui.help_screen import HelpScreen, help_table
from tracer.tui.keys import DIFF_KEY_ACTIONS, DIFF_VIEW_KEYS, app_bindings

MIN_SEMANTIC_WIDTH = 20
UNWRAPPED = 10_000
"""Render width for the semantic diff before it is wrapped to the panel (one fact per line)."""
VALUE_COLUMN = 17
"""Where values start in the semantic diff's lines (two spaces and a 15-column name)."""

DIFF_INTRO = (
    "Trace A is on the left, trace B on the right; each row is a call matched across the two runs "
    "(~ changed), or present in one run only (- only in A, + only in B). ] and [ jump between differences.\n"
)


def semantic_text(diff: TraceDiff, width: int = 200) -> Text:
    """The semantic diff and call-tree summary as ``vmtrace diff`` prints them, wrapped to
    ``width`` columns (the panel's), so a long fact continues on the next line, never cut.

    Every trace string in that renderer is cleaned of control characters before it is styled,
    so the only escape sequences in its output are rich's own colours, decoded back here.
    """
    out = io.StringIO()
    console = Console(file=out, width=UNWRAPPED, force_terminal=True, color_system="standard",
                      highlight=False, soft_wrap=True)
    render_semantic(console, diff.semantic)
    render_structural_summary(console, diff.structural)
    width = max(width, MIN_SEMANTIC_WIDTH)  # narrower panels scroll sideways
    lines: list[Text] = []
    for raw in out.getvalue().strip("\n").split("\n"):
        lines.extend(hanging_wrap(console, Text.from_ansi(raw), width))
    return Text("\n").join(lines)


def hanging_wrap(console: Console, line: Text, width: int) -> list[Text]:
    """``line`` wrapped to ``width``, continuation lines indented under the value column (a
    fact's name stays alone in the left column, as in ``vmtrace diff``)."""
    if line.cell_len <= width:
        return [line]
    indent = VALUE_COLUMN if line.plain.startswith("  ") and width > 2 * VALUE_COLUMN else 0
    wrapped = list(line.wrap(console, width - indent))
    return [wrapped[0], *(Text(" " * indent) + rest for rest in wrapped[1:])]


class SemanticPanel(Static):
    """The semantic diff, rendered again at the panel's width whenever that changes."""

    def __init__(self, diff: TraceDiff, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.diff = diff
        self._width = -1

    def on_resize(self) -> None:
        width = self.size.width
        if width > 0 and width != self._width:
            self._width = width
            self.update(semantic_text(self.diff, width))


def row_detail(diff: TraceDiff, row: int) -> RenderableType:
    """The cursor row: its status, call path and, for a changed call, each field that differs."""
    st = diff.structural
    if not st.rows:
        return Text("Both traces are empty.", style="dim")
    r = st.rows[row]
    head = Text(f"row {row}  ", style="bold")
    head.append({"same": "same", "changed": "changed", "only_a": "only in A", "only_b": "only in B"}[r.status],
                style={"same": "dim", "changed": "yellow", "only_a": "red", "only_b": "green"}[r.status])
    head.append(f"   A #{r.a if r.a is not None else '-'}  B #{r.b if r.b is not None else '-'}", style="dim")
    path = Text(" > ".join(clean(fn) for fn in st.path(row)), style="italic")
    parts: list[RenderableType] = [head, path]
    for change in st.changes(row):
        line = Text(f"{clean(change.field)}: ", style="bold")
        line.append(value_text(change.a, bare=True), style="red")
        line.append(" → ")
        line.append(value_text(change.b, bare=True), style="green")
        parts.append(line)
    return Group(*parts)


class DiffApp(App[None]):
    """Twin call trees with the semantic diff beside them."""

    CSS_PATH = "app.tcss"
    TITLE = "vmtrace diff"
    BINDINGS: ClassVar[list[BindingType]] = app_bindings(DIFF_KEY_ACTIONS)  # type: ignore[assignment]

    def __init__(self, diff: TraceDiff) -> None:
        super().__init__()
        self.diff = diff
        self.row = 0 if diff.structural.rows else -1
        self.message = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield DiffView(self.diff.structural, id="diff")
            with Vertical(id="side"):
                with VerticalScroll(id="row-box"):
                    yield Static(id="row-detail")
                with ScrollableContainer(id="semantic-box"):
                    yield SemanticPanel(self.diff, id="semantic")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(DiffView)
        names = (Path(self.diff.label_a).name, Path(self.diff.label_b).name)
        view.border_title = Text(f"- A {short(names[0], 60)}    + B {short(names[1], 60)}")  # never markup
        self.query_one("#row-box").border_title = "Row"
        self.query_one("#semantic-box").border_title = "Semantic diff"
        view.focus()
        first = self.diff.structural.first_divergence
        self.row = first if first is not None else self.row
        self.refresh_views()
        # Once laid out, scroll again so the first divergence sits a third of the way down.
        self.call_after_refresh(self._center)

    def _center(self) -> None:
        if self.row >= 0:
            self.query_one(DiffView).show_row(self.row, center=True)

    def go(self, row: int | None, failure: str) -> None:
        rows = self.diff.structural.rows
        if row is None or not 0 <= row < len(rows):
            self.message = failure
        else:
            self.row = row
            self.message = ""
        self.refresh_views()

    def refresh_views(self) -> None:
        st = self.diff.structural
        with self.batch_update():
            if self.row >= 0:
                self.query_one(DiffView).show_row(self.row)
                self.query_one("#row-detail", Static).update(row_detail(self.diff, self.row))
            else:
                self.query_one("#row-detail", Static).update(row_detail(self.diff, 0))
            status = Text(f"row {max(self.row, 0)} / {max(len(st.rows) - 1, 0)}", style="bold")
            hunks = st.hunks()
            if hunks:
                index = sum(1 for start, _ in hunks if start <= self.row)
                status.append(f" · difference {index} / {len(hunks)}")
            else:
                status.append(" · the call trees are identical", style="green")
            if self.message:
                status.append(f" · {clean(self.message)}", style="bold magenta")
            status.no_wrap = True
            status.overflow = "ellipsis"
            self.query_one("#status", Static).update(status)

    @on(DiffView.RowChosen)
    def _row_chosen(self, message: DiffView.RowChosen) -> None:
        self.go(message.row, "")

    def action_next_difference(self) -> None:
        self.go(self.diff.structural.next_difference(self.row), "no later difference")

    def action_previous_difference(self) -> None:
        self.go(self.diff.structural.previous_difference(self.row), "no earlier difference")

    def action_first_divergence(self) -> None:
        self.go(self.diff.structural.first_divergence, "the call trees are identical")

    def action_first_row(self) -> None:
        self.go(0, "both traces are empty")

    def action_last_row(self) -> None:
        self.go(len(self.diff.structural.rows) - 1, "both traces are empty")

    def action_help(self) -> None:
        self.push_screen(HelpScreen(DIFF_INTRO, help_table(DIFF_KEY_ACTIONS, DIFF_VIEW_KEYS, "Twin trees")))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key in DIFF_KEY_ACTIONS:
            if key.action != "quit":
                yield SystemCommand(f"{key.description} ({key.display})", key.group, self._runner(key.action))

    def _runner(self, action: str) -> Callback:
        async def run() -> None:
            await self.run_action(action)

        return run


def run_diff_app(diff: TraceDiff) -> int:
    """Run diff mode (the traces are frozen out of the cyclic GC, as in :func:`run_app`)."""
    gc.collect()
    gc.freeze()
    app = DiffApp(diff)
    app.run()
    return app.return_code or 0  # 1 after a crash (Textual has printed the traceback)
