"""``vmtrace view``: step through a trace like a debugger replaying a recording.

The app owns one :class:`~tracer.replay.Replay` (the cursor and every motion, pure logic) and
renders it in three widgets that only display what they are given: the call tree, the event
panel and the type graph. Each action asks the replay where to go, moves, and refreshes the
views; when there is nowhere to go the status line says why instead of doing nothing silently.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

import networkx as nx
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer

from tracer.calltree import NONE
from tracer.fileio import TraceFormatError, load_trace
from tracer.labels import clean
from tracer.replay import Filter, Replay
from tracer.trace import Trace
from tracer.tui import actions_io
from tracer.tui.calltree_view import CallTreeView
from tracer.tui.event_panel import EventPanel
from tracer.tui.help_screen import HelpScreen
from tracer.tui.keys import KEY_ACTIONS, app_bindings
from tracer.tui.outline import Outline
from tracer.tui.prompt import Prompt
from tracer.tui.status_line import StatusLine
from tracer.tui.type_panel import TypePanel
from tracer.typegraph import build_type_graph

INITIAL_EXPAND_LEVELS = 2
INITIAL_EXPAND_MAX_SIBLINGS = 64


class VmtraceApp(App[None]):
    """The main screen: call tree (left), event panel and type graph (right), status line."""

    CSS_PATH = "app.tcss"
    TITLE = "vmtrace"
    BINDINGS: ClassVar[list[BindingType]] = app_bindings()  # type: ignore[assignment]

    def __init__(self, replay: Replay, name: str = "") -> None:
        """``replay`` carries the already-built indexes (built before the app so that the
        one linear pass over the trace is not on the path to the first paint)."""
        super().__init__()
        self.replay = replay
        self.trace_name = name
        self.message = ""
        """The outcome of the last action when it needs saying (e.g. "no earlier call")."""
        self.graph: nx.DiGraph = build_type_graph(replay.trace.types)
        self.outline = self._make_outline(replay)
        self._search_origin = NONE

    @classmethod
    def from_trace(cls, trace: Trace, name: str = "") -> VmtraceApp:
        return cls(Replay(trace), name)

    @staticmethod
    def _make_outline(replay: Replay) -> Outline:
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

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield CallTreeView(id="tree")
            with Vertical(id="side"):
                with VerticalScroll(id="event-box"):
                    yield EventPanel(id="event")
                yield TypePanel(id="types")
        yield Prompt(id="prompt")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._show_trace()

    def _show_trace(self) -> None:
        tree = self.query_one(CallTreeView)
        tree.attach(self.replay, self.outline)
        tree.border_title = "Calls"
        tree.border_subtitle = " ".join(clean(a) for a in self.replay.trace.meta.argv)[:60]
        self.query_one("#event-box").border_title = "Event"
        self.query_one(TypePanel).attach(self.graph)
        tree.focus()
        self.message = outcome_message(self.replay.trace)
        self.refresh_views()

    def load(self, replay: Replay, name: str) -> None:
        """Replace the trace being shown (``o``)."""
        self.replay = replay
        self.trace_name = name
        self.graph = build_type_graph(replay.trace.types)
        self.outline = self._make_outline(replay)
        self._show_trace()

    # -- refreshing --------------------------------------------------------------------------

    def refresh_views(self) -> None:
        """Show the cursor everywhere: tree row, event details, type graph, status line."""
        replay = self.replay
        with self.batch_update():
            self.query_one(CallTreeView).show_cursor(replay.node)
            self.query_one(EventPanel).show(replay)
            self.query_one(TypePanel).show(replay)
            self.query_one(StatusLine).show(replay, self.trace_name, self.message)

    def go(self, target: int | None, failure: str) -> None:
        """Move the cursor to ``target``, or say ``failure`` when there is nowhere to go."""
        self.message = "" if self.replay.go(target) else failure
        self.refresh_views()

    def _filter_changed(self, new: Filter) -> None:
        self.replay.set_filter(new)
        self.outline.rebuild()
        self.query_one(CallTreeView).rows_changed()
        self.message = f"filter: {new.describe()}"
        self.refresh_views()

    # -- replay ------------------------------------------------------------------------------

    def action_next_event(self) -> None:
        self.go(self.replay.next_event(), "at the last event")

    def action_prev_event(self) -> None:
        self.go(self.replay.prev_event(), "at the first event")

    def action_step_into(self) -> None:
        self.go(self.replay.step_into(), "no later call")

    def action_step_into_back(self) -> None:
        self.go(self.replay.step_into_back(), "no earlier call")

    def action_step_over(self) -> None:
        self.go(self.replay.step_over(), "no later call at this level")

    def action_step_over_back(self) -> None:
        self.go(self.replay.step_over_back(), "no earlier call")

    def action_step_out(self) -> None:
        self.go(self.replay.step_out(), "already at the top level")

    def action_step_out_back(self) -> None:
        self.go(self.replay.step_out_back(), "already at the top level")

    def action_go_start(self) -> None:
        self.go(self.replay.start(), "empty trace")

    def action_go_end(self) -> None:
        self.go(self.replay.end(), "empty trace")

    def action_matching(self) -> None:
        self.go(self.replay.matching(), "a point event has no matching call or return")

    def action_go_to(self) -> None:
        self.ask("goto", f"Go to event number (0-{max(len(self.replay) - 1, 0)})")

    def action_next_match(self) -> None:
        self.go(self.replay.next_match(1), "no match (search with /)")

    def action_prev_match(self) -> None:
        self.go(self.replay.next_match(-1), "no match (search with /)")

    def action_search(self) -> None:
        self._search_origin = self.replay.pos
        self.ask("search", "Search (function, argument or return; * ? [ ] glob)")

    def action_next_problem(self) -> None:
        self.go(self.replay.next_problem(), "no errors or warnings in this trace")

    # -- breakpoints -------------------------------------------------------------------------

    def action_toggle_breakpoint(self) -> None:
        event = self.replay.event
        if event is None:
            return
        fn = self.replay.events[self.replay.node].fn
        bp = self.replay.breakpoint_for(fn)
        self.message = f"breakpoint {'set' if self.replay.toggle_breakpoint(bp) else 'cleared'}: {bp}"
        self.refresh_views()
        self.query_one(CallTreeView).refresh()

    def action_add_breakpoint(self) -> None:
        self.ask("breakpoint", "Breakpoint on a function or type name (again to clear)")

    def action_continue(self) -> None:
        if not self.replay.breakpoints:
            self.go(None, "no breakpoints (b or B sets one)")
            return
        self.go(self.replay.continue_(1) if self.replay.pos != NONE else None, "no breakpoint hit after this")

    def action_reverse_continue(self) -> None:
        if not self.replay.breakpoints:
            self.go(None, "no breakpoints (b or B sets one)")
            return
        self.go(self.replay.continue_(-1), "no breakpoint hit before this")

    # -- filter and folding ------------------------------------------------------------------

    def action_hide(self) -> None:
        self.ask("hide", "Hide functions matching (substring or glob; empty shows all)", self.replay.filter.hide or "")

    def action_depth_less(self) -> None:
        current = self.replay.filter.max_depth
        event = self.replay.event
        if current is None:
            current = event.depth + 1 if event is not None else 1
        self._filter_changed(Filter(self.replay.filter.hide, max(current - 1, 0)))

    def action_depth_more(self) -> None:
        current = self.replay.filter.max_depth
        if current is None:
            self.go(None, "no depth limit")
            return
        self._filter_changed(Filter(self.replay.filter.hide, current + 1))

    def action_clear_filter(self) -> None:
        self._filter_changed(Filter())

    def action_collapse_all(self) -> None:
        self.outline.collapse_all()
        self.query_one(CallTreeView).rows_changed()
        self.refresh_views()

    def action_expand_all(self) -> None:
        self.outline.expand_all()
        self.query_one(CallTreeView).rows_changed()
        self.refresh_views()

    # -- jumps -------------------------------------------------------------------------------

    def action_feature(self) -> None:
        event = self.replay.event
        guess = ""
        if event is not None and event.args and isinstance(event.args.get("feature"), str):
            guess = event.args["feature"]
        self.ask("feature", "CPU feature (e.g. avx512f): events that decided it", guess)

    def action_focus_types(self) -> None:
        self.query_one(TypePanel).focus()

    def action_focus_tree(self) -> None:
        self.query_one(CallTreeView).focus()

    @on(TypePanel.TypeChosen)
    def _type_chosen(self, message: TypePanel.TypeChosen) -> None:
        step = self.replay.class_init_step(message.name)
        self.go(step, f"{message.name}: class never initialised in this trace")

    @on(CallTreeView.NodeChosen)
    def _node_chosen(self, message: CallTreeView.NodeChosen) -> None:
        self.go(message.seq, "")

    # -- files -------------------------------------------------------------------------------

    def action_open(self) -> None:
        self.ask("open", "Open trace file")

    def action_export(self) -> None:
        self.ask("export", f"Export as FORMAT PATH ({actions_io.export_formats_hint()})")

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    # -- prompts -----------------------------------------------------------------------------

    def ask(self, purpose: str, label: str, value: str = "") -> None:
        self.query_one(Prompt).ask(purpose, label, value)

    @on(Prompt.Typed)
    def _typed(self, message: Prompt.Typed) -> None:
        if message.purpose == "search":
            self.replay.go(self._search_origin)
            self.replay.set_search(message.value)
            self.go(self.replay.search(origin=self._search_origin) if message.value else None,
                    "no match" if message.value else "")

    @on(Prompt.Cancelled)
    def _cancelled(self, message: Prompt.Cancelled) -> None:
        if message.purpose == "search":
            self.replay.go(self._search_origin)
            self.replay.set_search("")
        self.message = ""
        self.refresh_views()
        self.query_one(CallTreeView).focus()

    @on(Prompt.Answered)
    def _answered(self, message: Prompt.Answered) -> None:
        self.query_one(CallTreeView).focus()
        value = message.value.strip()
        handler = getattr(self, f"_answer_{message.purpose}", None)
        if handler is not None:
            handler(value)

    def _answer_search(self, text: str) -> None:
        self.replay.set_search(text)
        self.refresh_views()

    def _answer_goto(self, text: str) -> None:
        try:
            number = int(text.replace(",", "").replace("_", "").lstrip("#"))
        except ValueError:
            self.go(None, f"not an event number: {text!r}")
            return
        self.go(self.replay.event_number(number), "empty trace")

    def _answer_breakpoint(self, name: str) -> None:
        if not name:
            return
        bp = self.replay.breakpoint_for(name)
        self.message = f"breakpoint {'set' if self.replay.toggle_breakpoint(bp) else 'cleared'}: {bp}"
        self.refresh_views()
        self.query_one(CallTreeView).refresh()

    def _answer_hide(self, pattern: str) -> None:
        self._filter_changed(Filter(pattern or None, self.replay.filter.max_depth))

    def _answer_feature(self, name: str) -> None:
        if not name:
            return
        seqs = self.replay.feature_events(name)
        if not seqs:
            self.go(None, f"no events decided feature {name!r}")
            return
        self.replay.set_marks(seqs, f"feature {name}")
        self.go(self.replay.next_match(1) if self.replay.pos < seqs[0] else seqs[0], "")

    def _answer_open(self, path: str) -> None:
        if not path:
            return
        try:
            trace = load_trace(Path(path).expanduser())
        except TraceFormatError as exc:
            self.go(None, str(exc))
            return
        self.load(Replay(trace), path)

    def _answer_export(self, text: str) -> None:
        self.go(None, actions_io.export(self.replay, text, self.query_one(TypePanel).focus_type))

    # -- command palette ---------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key in KEY_ACTIONS:
            if key.action == "quit":
                continue
            yield SystemCommand(f"{key.description} ({key.display})", key.group, self._runner(key.action))

    def _runner(self, action: str) -> actions_io.Callback:
        async def run() -> None:
            await self.run_action(action)

        return run


def outcome_message(trace: Trace) -> str:
    """How the modelled QEMU ended, when it failed: ``e`` then finds where."""
    result = trace.result
    if result.exit_status == 0:
        return ""
    first = next((line for line in result.stderr if line.strip()), "")
    return f"QEMU exited with status {result.exit_status}" + (f": {first}" if first else "")


def run_app(replay: Replay, name: str) -> None:
    """Run the TUI on an indexed trace, as ``vmtrace view`` and ``vmtrace tui`` do.

    The trace is immutable and holds millions of objects in a large trace; freezing them out
    of the cyclic garbage collector keeps collection pauses (which would otherwise walk every
    event while the UI allocates) independent of the trace's size.
    """
    gc.collect()
    gc.freeze()
    VmtraceApp(replay, name).run()
