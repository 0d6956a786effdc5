"""Diff mode's twin call trees: one Line-API view, A on the left and B on the right.

The rows are :class:`tracer.diff.StructuralDiff`'s merged tree (a matched pair, or a node that
exists on one side only), so the two trees are scrolled together by construction: a row is
always the same height on both sides, and a node missing on one side leaves that half blank.
Only the lines on screen are rendered.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracer.calltree import CallTree
from tracer.diff.structural import Row, StructuralDiff
from tracer.labels import node_text

# The marker between the halves says how the row differs, as in a code diff.
MARKERS = {"same": " ", "changed": "~", "only_a": "-", "only_b": "+"}
MIN_LABEL_WIDTH = 14


def indent_guides(depth: int, room: int) -> str:
    """Tree guides for a row at ``depth`` in ``room`` columns: ``│ `` per level while they fit;
    deeper, the outer levels fold into a count (``…12│ │ │ ``) and the innermost levels keep
    their full guides, so siblings and parents near the row still line up."""
    if 2 * depth <= room:
        return "│ " * depth
    shown = max((room - len(f"…{depth}")) // 2, 0)
    while shown > 0 and len(f"…{depth - shown}") + 2 * shown > room:
        shown -= 1
    return (f"…{depth - shown}" + "│ " * shown).ljust(room)


class DiffView(ScrollView, can_focus=True):
    """Rows of the merged tree; posts :class:`DiffView.RowChosen` when the user moves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "row(-1)", "Row up", show=False),
        Binding("down", "row(1)", "Row down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "app.first_row", "First row", show=False),
        Binding("end", "app.last_row", "Last row", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "diffview--cursor", "diffview--gutter", "diffview--same", "diffview--changed",
        "diffview--only-a", "diffview--only-b", "diffview--guide",
    }

    DEFAULT_CSS = """
    DiffView { background: $surface; overflow-x: hidden; }
    DiffView > .diffview--cursor { background: $primary 50%; text-style: bold; }
    DiffView > .diffview--gutter { color: $text-muted; }
    DiffView > .diffview--same { color: $foreground 70%; }
    DiffView > .diffview--changed { color: $text-warning; }
    DiffView > .diffview--only-a { color: $text-error; }
    DiffView > .diffview--only-b { color: $text-success; }
    DiffView > .diffview--guide { color: $text-disabled; }
    """

    class RowChosen(Message):
        """The user moved to row ``row`` of the merged tree."""

        def __init__(self, row: int) -> None:
            self.row = row
            super().__init__()

    def __init__(self, diff: StructuralDiff, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.diff = diff
        self.trees: tuple[CallTree, CallTree] = diff.call_trees()
        self.cursor = 0 if diff.rows else -1
        """The highlighted row."""

    def on_mount(self) -> None:
        self.virtual_size = Size(self.size.width, max(len(self.diff.rows), 1))

    def show_row(self, row: int, center: bool = False) -> None:
        """Highlight ``row``; when it is off screen (or ``center``), scroll it a third of the
        way down, so the rows leading to a difference are visible too."""
        self.cursor = row
        self.virtual_size = Size(self.size.width, max(len(self.diff.rows), 1))
        height = max(self.scrollable_content_region.height, 1)
        top = int(self.scroll_y)
        if center or row < top or row >= top + height:
            self.scroll_to(y=max(row - height // 3, 0), animate=False, force=True)
        self.refresh()

    def _choose(self, row: int) -> None:
        if self.diff.rows:
            self.post_message(self.RowChosen(min(max(row, 0), len(self.diff.rows) - 1)))

    def action_row(self, delta: int) -> None:
        self._choose(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._choose(self.cursor + direction * max(self.scrollable_content_region.height - 1, 1))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self._choose(offset.y + int(self.scroll_y))

    # -- rendering ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = y + int(self.scroll_y)
        rows = self.diff.rows
        if not rows:
            text = Text(" (both traces are empty)" if y == 0 else "")
            return self._strip(text, width, base)
        if row >= len(rows):
            return Strip.blank(width, base)
        style = base + self.get_component_rich_style("diffview--cursor") if row == self.cursor else base
        return self._strip(self.row_text(rows[row], width), width, style)

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        text.truncate(width, overflow="ellipsis")
        segments = [Segment(s.text, style + s.style if s.style else style) for s in text.render(self.app.console)]
        return Strip(segments).adjust_cell_length(width, style)

    def row_text(self, row: Row, width: int) -> Text:
        """``seqA label-A  ~  seqB label-B``: two halves of equal width around the marker."""
        half = max((width - 3) // 2, 1)
        status_class = "diffview--" + row.status.replace("_", "-")
        line = self._half(0, row.a, half, status_class)
        line.append(f" {MARKERS[row.status]} ", style=self._style(status_class))
        line.append_text(self._half(1, row.b, half, status_class))
        return line

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _half(self, side: int, seq: int | None, width: int, status_class: str) -> Text:
        tree = self.trees[side]
        gutter = len(str(max(len(tree.events) - 1, 0)))
        if seq is None:
            return Text(" " * width)
        ev = tree.events[seq]
        text = Text(f"{seq:>{gutter}} ", style=self._style("diffview--gutter"), no_wrap=True, overflow="ellipsis")
        room = max(width - gutter - 1 - MIN_LABEL_WIDTH, 2)  # columns the indentation may take
        text.append(indent_guides(ev.depth, room), style=self._style("diffview--guide"))
        label = ("• " if ev.kind == "point" else "") + node_text(ev, tree.closing(seq))  # bounded labels
        text.append(label, style=self._style(status_class))
        text.truncate(width, overflow="ellipsis", pad=True)
        return text
