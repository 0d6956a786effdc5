"""What every group of the app's actions builds on: the replay, the views, moving and saying why.

The app is split by concern (replay motions, view and filter actions, prompt answers), each a
mixin over this base, so that each module has one job and the shell (:mod:`tracer.tui.app`)
only composes the screen and wires the groups together. The base owns the state the groups
share and the three primitives they all use: refresh every view, move the cursor (or say why
not), and ask a question in the prompt line.
"""

from __future__ import annotations

import networkx as nx
from rich.text import Text
from textual.app import App

from tracer.calltree import NONE
from tracer.key_types import key_types
from tracer.labels import short
from tracer.replay import Filter, Replay
from tracer.trace import Trace
from tracer.tui.calltree_view import CallTreeView
from tracer.tui.event_panel import EventPanel
from tracer.tui.machine_panel import MachinePanel
from tracer.tui.outline import Outline
from tracer.tui.prompt import Prompt
from tracer.tui.status_line import StatusLine
from tracer.tui.type_panel import TypePanel
from tracer.typegraph import build_type_graph

INITIAL_EXPAND_LEVELS = 2
INITIAL_EXPAND_MAX_SIBLINGS = 64


def make_outline(replay: Replay) -> Outline:
    """Collapsed, except the first call of the first levels (``main`` -> ``qemu_init``), so
    the first screen shows the startup's phases rather than one line."""
    outline = Outline(replay.tree, replay.visible, replay.has_visible_children)
    level = outline.rows
    for _ in range(INITIAL_EXPAND_LEVELS):
        if len(level) > INITIAL_EXPAND_MAX_SIBLINGS:
            break
        first_call = next((seq for seq in level if replay.events[seq].kind == "call"), None)
        if first_call is None:
            break
        outline.expand(first_call)
        level = replay.tree.children(first_call)
    return outline


def outcome_message(trace: Trace) -> str:
    """How the modelled QEMU ended, when it failed: ``e`` then finds where."""
    result = trace.result
    if result.exit_status == 0:
        return ""
    first = next((line for line in result.stderr if line.strip()), "")
    return f"QEMU exited with status {result.exit_status}" + (f": {first}" if first else "")


class ReplayAppBase(App[None]):
    """The shared state of the TUI (one replay, its outline and type graph) and its primitives."""

    def __init__(self, replay: Replay, name: str = "") -> None:
        """``replay`` carries the already-built indexes (built before the app so that the
        one linear pass over the trace is not on the path to the first paint)."""
        super().__init__()
        self.replay = replay
        self.trace_name = name
        self.message = ""
        """The outcome of the last action when it needs saying (e.g. "no earlier call")."""
        self.graph: nx.DiGraph = build_type_graph(replay.trace.types)
        self.outline = make_outline(replay)
        self._search_origin = NONE

    def show_trace(self) -> None:
        """Attach the views to the current replay and paint its first screen."""
        tree = self.query_one(CallTreeView)
        tree.attach(self.replay, self.outline)
        tree.border_title = "Calls"
        tree.border_subtitle = Text(short(" ".join(self.replay.trace.meta.argv)[:200], 60))  # text, never markup
        self.query_one("#event-box").border_title = "Event"
        self.query_one(TypePanel).attach(self.graph, key_types(self.replay.trace))
        self.query_one(MachinePanel).attach(self.replay)
        tree.focus()
        self.message = outcome_message(self.replay.trace)
        self.refresh_views()

    def load(self, replay: Replay, name: str) -> None:
        """Replace the trace being shown (``o``)."""
        self.replay = replay
        self.trace_name = name
        self.graph = build_type_graph(replay.trace.types)
        self.outline = make_outline(replay)
        self.show_trace()

    def refresh_views(self, jump: bool = False) -> None:
        """Show the cursor everywhere: tree row, event details, type graph, status line.

        ``jump``: the cursor jumped (search, breakpoint, go to) rather than stepped, so the
        tree opens the calls around it only until the next jump.
        """
        replay = self.replay
        with self.batch_update():
            self.query_one(CallTreeView).show_cursor(replay.node, jump)
            self.query_one(EventPanel).show(replay)
            self.query_one(TypePanel).show(replay)
            self.query_one(MachinePanel).show(replay)
            self.query_one(StatusLine).show(replay, self.trace_name, self.message)

    def go(self, target: int | None, failure: str, jump: bool = False) -> None:
        """Move the cursor to ``target``, or say ``failure`` when there is nowhere to go."""
        self.message = "" if self.replay.go(target) else failure
        self.refresh_views(jump)

    def jump(self, target: int | None, failure: str) -> None:
        """``go`` for a jump: what it opens in the tree closes at the next jump."""
        self.go(target, failure, jump=True)

    def ask(self, purpose: str, label: str, value: str = "") -> None:
        """Open the prompt line; the answer comes back to ``_answer_<purpose>``."""
        self.query_one(Prompt).ask(purpose, label, value)

    def filter_changed(self, new: Filter) -> None:
        """Apply a new filter: the outline's rows are rebuilt. The status line shows an active
        filter already, so the message only says when there is no filter any more."""
        self.replay.set_filter(new)
        self.outline.rebuild()
        self.query_one(CallTreeView).rows_changed()
        self.message = "" if new.active else "filter cleared"
        self.refresh_views()

    def rows_changed(self) -> None:
        """The outline was folded or unfolded as a whole: repaint the tree and the cursor."""
        self.query_one(CallTreeView).rows_changed()
        self.refresh_views()
