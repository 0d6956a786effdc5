"""The call tree: a Line-API view over :class:`~tracer.tui.outline.Outline` rows.

Textual's ``Tree`` creates a node object per row and re-flattens every expanded node on each
change, which does not scale to a trace whose top level alone has tens of thousands of calls.
This view renders only the lines on screen from a sorted list of seqs, so opening or stepping
through a million-event trace costs what a small one does.

The view does not own the replay cursor: the app sets :attr:`CallTreeView.cursor` and the view
posts :class:`CallTreeView.NodeChosen` when the user moves along the rows (attributes down,
messages up).
"""

from __future__ import annotations

import re
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

from tracer.calltree import NONE
from tracer.labels import MAX_VALUE_CHARS, args_text, frame_name, hook_suffix, outcome_text, short
from tracer.replay import ERROR_FUNCTIONS, WARNING_FUNCTIONS, Replay
from tracer.tui.outline import Outline

# Indentation stops growing where it would leave the label fewer columns than this; deeper rows
# show their depth as a number instead (a 10,000-deep trace stays readable at 80 columns).
MIN_LABEL_WIDTH = 24
MAX_TEXT = 4 * MAX_VALUE_CHARS
"""Characters of a point's text drawn in a row (the event panel and `v` show more)."""


class CallTreeView(ScrollView, can_focus=True):
    """Chronological call tree, lazily expanded; one row per call or point event."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "row(-1)", "Row up", show=False),
        Binding("down", "row(1)", "Row down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("right,l", "expand", "Expand / first child", show=False),
        Binding("left,h", "collapse", "Collapse / parent", show=False),
        Binding("enter,space", "toggle_node", "Expand / collapse", show=False),
        # ScrollView binds Home/End to scrolling; here they are the app's go to start/end.
        Binding("home", "app.go_start", "Start", show=False),
        Binding("end", "app.go_end", "End", show=False),
    ]
    """
    | Key | Description |
    | :- | :- |
    | up/down | Previous/next row (moves the replay cursor). |
    | pageup/pagedown | A screenful of rows up/down. |
    | right, l | Expand the call, or go to its first child. |
    | left, h | Collapse the call, or go to its parent. |
    | enter, space | Toggle the call's children. |
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "calltree--cursor",
        "calltree--gutter",
        "calltree--fn",
        "calltree--ret",
        "calltree--error",
        "calltree--warning",
        "calltree--point",
        "calltree--breakpoint",
        "calltree--guide",
        "calltree--match",
    }

    DEFAULT_CSS = """
    CallTreeView { background: $surface; overflow-x: hidden; }
    CallTreeView > .calltree--cursor { background: $primary 40%; text-style: bold; }
    CallTreeView:focus > .calltree--cursor { background: $primary 70%; }
    CallTreeView > .calltree--gutter { color: $text-muted; }
    CallTreeView > .calltree--fn { text-style: bold; }
    CallTreeView > .calltree--ret { color: $text-success; }
    CallTreeView > .calltree--error { color: $text-error; text-style: bold; }
    CallTreeView > .calltree--warning { color: $text-warning; }
    CallTreeView > .calltree--point { color: $text-secondary; }
    CallTreeView > .calltree--breakpoint { color: $text-error; }
    CallTreeView > .calltree--guide { color: $text-disabled; }
    CallTreeView > .calltree--match { background: $accent 40%; text-style: bold underline; }
    """

    class NodeChosen(Message):
        """The user moved to a row; the app moves the replay cursor to ``seq``."""

        def __init__(self, seq: int) -> None:
            self.seq = seq
            """The node (call or point event) of the chosen row."""
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.replay: Replay | None = None
        self.outline: Outline | None = None
        self.cursor: int = NONE
        """The node whose row is highlighted (the replay cursor's node)."""

    # -- attributes down ---------------------------------------------------------------------

    def attach(self, replay: Replay, outline: Outline) -> None:
        """Show a (new) trace."""
        self.replay = replay
        self.outline = outline
        self.cursor = NONE
        self.rows_changed()

    def rows_changed(self) -> None:
        """The outline's rows changed: resize the virtual canvas and repaint."""
        rows = len(self.outline) if self.outline is not None else 0
        self.virtual_size = Size(self.size.width, max(rows, 1))
        self.refresh()

    def show_cursor(self, seq: int, jump: bool = False) -> None:
        """Highlight node ``seq`` (revealing it) and scroll it into view. A ``jump`` (search,
        breakpoint, go to) opens the calls around ``seq`` only until the next jump."""
        if self.outline is None:
            return
        before = len(self.outline), len(self.outline.expanded)
        row = self.outline.reveal(seq, transient=jump) if seq != NONE else None
        self.cursor = seq
        if (len(self.outline), len(self.outline.expanded)) != before:
            self.rows_changed()
        else:
            self.refresh()
        if row is not None:
            self._scroll_to_row(row)

    def _scroll_to_row(self, row: int) -> None:
        height = max(self.scrollable_content_region.height, 1)
        top = int(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, force=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, force=True)

    @property
    def cursor_row(self) -> int | None:
        return self.outline.row_of(self.cursor) if self.outline is not None and self.cursor != NONE else None

    # -- user actions (messages up) ----------------------------------------------------------

    def _choose_row(self, row: int) -> None:
        if self.outline is None or not self.outline.rows:
            return
        row = min(max(row, 0), len(self.outline) - 1)
        self.post_message(self.NodeChosen(self.outline.rows[row]))

    def action_row(self, delta: int) -> None:
        row = self.cursor_row
        self._choose_row(0 if row is None else row + delta)

    def action_page(self, direction: int) -> None:
        row = self.cursor_row
        height = max(self.scrollable_content_region.height - 1, 1)
        self._choose_row(0 if row is None else row + direction * height)

    def action_expand(self) -> None:
        outline, seq = self.outline, self.cursor
        if outline is None or seq == NONE:
            return
        if outline.is_expanded(seq):
            row = outline.row_of(seq)
            if row is not None and row + 1 < len(outline) and self._parent_of(outline.rows[row + 1]) == seq:
                self.post_message(self.NodeChosen(outline.rows[row + 1]))
            return
        outline.expand(seq)
        self.rows_changed()

    def action_collapse(self) -> None:
        outline, seq = self.outline, self.cursor
        if outline is None or seq == NONE:
            return
        if outline.is_expanded(seq):
            outline.collapse(seq)
            self.rows_changed()
            return
        parent = self._parent_of(seq)
        if parent != NONE:
            self.post_message(self.NodeChosen(parent))

    def action_toggle_node(self) -> None:
        if self.outline is not None and self.cursor != NONE:
            self.outline.toggle(self.cursor)
            self.rows_changed()

    def _parent_of(self, seq: int) -> int:
        assert self.replay is not None
        return self.replay.events[seq].parent

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self.outline is None:
            return
        row = offset.y + int(self.scroll_y)
        if 0 <= row < len(self.outline):
            self.post_message(self.NodeChosen(self.outline.rows[row]))

    # -- rendering ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = y + int(self.scroll_y)
        outline = self.outline
        if outline is None or self.replay is None:
            return Strip.blank(width, base)
        if not outline.rows:
            if y == 0:
                text = Text(" (no events to show)" if not self.replay.events else " (everything is filtered out)")
                return self._strip(text, width, base)
            return Strip.blank(width, base)
        if row >= len(outline):
            return Strip.blank(width, base)
        seq = outline.rows[row]
        line = self.row_text(seq, width)
        style = base + self.get_component_rich_style("calltree--cursor") if seq == self.cursor else base
        return self._strip(line, width, style)

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        text.truncate(width, overflow="ellipsis")
        segments = [Segment(s.text, style + s.style if s.style else style) for s in text.render(self.app.console)]
        return Strip(segments).adjust_cell_length(width, style)

    def row_text(self, seq: int, width: int) -> Text:
        """One row: seq gutter, breakpoint mark, indentation, expander and the label, with
        the current search's matches highlighted (a plain search's text; a glob's whole row)."""
        line = self._row_text(seq, width)
        query = self.replay.query if self.replay is not None else None
        if query is not None and query.text:
            match_style = self.get_component_rich_style("calltree--match", partial=True)
            if not query.is_glob:
                line.highlight_regex(re.compile(re.escape(query.text), re.IGNORECASE), match_style)
            elif self.replay is not None and query.hit(self.replay.events[seq], self.replay.tree.closing(seq)):
                line.stylize(match_style, len(line.plain) - len(line.plain.lstrip()))
        return line

    def _row_text(self, seq: int, width: int) -> Text:
        assert self.replay is not None and self.outline is not None
        replay = self.replay
        ev = replay.events[seq]
        def style(name: str) -> Style:
            # Partial: foreground and text style only, so the cursor's background shows through.
            return self.get_component_rich_style(name, partial=True)

        gutter = len(str(max(len(replay.events) - 1, 0)))
        line = Text(f"{seq:>{gutter}}", style=style("calltree--gutter"))
        hit = any(bp.hit(ev) for bp in replay.breakpoints)
        line.append("●" if hit else " ", style=style("calltree--breakpoint"))
        depth = ev.depth
        room = max(2, (width - gutter - 1 - MIN_LABEL_WIDTH) // 2)
        if depth > room:
            line.append(f"…{depth} ".ljust(2 * room), style=style("calltree--guide"))
        else:
            line.append("│ " * depth, style=style("calltree--guide"))
        if ev.kind == "point":
            kind_style = "calltree--point"
            if ev.fn in WARNING_FUNCTIONS:
                kind_style = "calltree--warning"
            elif ev.fn in ERROR_FUNCTIONS:
                kind_style = "calltree--error"
            line.append("• ")
            detail = short(ev.text, MAX_TEXT) if ev.text else args_text(ev.args)  # bounded: cost per row is fixed
            line.append(short(ev.fn) + (f": {detail}" if detail else ""), style=style(kind_style))
            return line
        expandable = replay.has_visible_children(seq) if replay.filter.active else replay.tree.has_children(seq)
        marker = ("▾ " if self.outline.is_expanded(seq) else "▸ ") if expandable else "  "
        line.append(marker)
        info = replay.trace.functions.get(ev.fn)
        if info is not None and info.block:  # code inside a function, not a function: set apart
            line.append(frame_name(ev, True), style=style("calltree--fn") + Style(italic=True, bold=False))
            if ev.args:
                line.append(f" ({args_text(ev.args)})")
        else:
            line.append(short(ev.fn), style=style("calltree--fn"))
            line.append(f"({args_text(ev.args)})")
        if ev.hook:
            line.append(hook_suffix(ev), style=style("calltree--guide"))
        closing = replay.tree.closing(seq)
        outcome = outcome_text(closing)
        if closing is not None and closing.kind == "error":
            line.append(outcome, style=style("calltree--error"))
        elif outcome:
            line.append(outcome, style=style("calltree--ret"))
        return line
