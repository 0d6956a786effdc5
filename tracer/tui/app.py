"""``vmtrace view``: step through a trace like a debugger replaying a recording.

The app owns one :class:`~tracer.replay.Replay` (the cursor and every motion, pure logic) and
renders it in widgets that only display what they are given: the call tree, the event panel
and the type graph. This module is the shell: it lays the screen out and puts the action
groups together, each in its own module (:mod:`~tracer.tui.replay_actions` for motions and
breakpoints, :mod:`~tracer.tui.view_actions` for filter, folding and focus,
:mod:`~tracer.tui.prompt_answers` for the questions asked in the prompt line,
:mod:`~tracer.tui.class_actions` for the class and object views), all built on
:class:`~tracer.tui.app_base.ReplayAppBase`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer

from tracer.replay import Replay
from tracer.trace import Trace
from tracer.tui import actions_io
from tracer.tui.calltree_view import CallTreeView
from tracer.tui.class_actions import ClassActions
from tracer.tui.event_panel import EventPanel
from tracer.tui.keys import KEY_ACTIONS, app_bindings
from tracer.tui.machine_panel import MachinePanel
from tracer.tui.prompt import Prompt
from tracer.tui.prompt_answers import PromptAnswers
from tracer.tui.status_line import StatusLine
from tracer.tui.type_panel import TypePanel
from tracer.tui.view_actions import ViewActions


class VmtraceApp(PromptAnswers, ViewActions, ClassActions):
    """The main screen: call tree (left), event panel and type graph (right), status line."""

    CSS_PATH = "app.tcss"
    TITLE = "vmtrace"
    BINDINGS: ClassVar[list[BindingType]] = app_bindings()  # type: ignore[assignment]

    @classmethod
    def from_trace(cls, trace: Trace, name: str = "") -> VmtraceApp:
        return cls(Replay(trace), name)

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield CallTreeView(id="tree")
            with Vertical(id="side"):
                with VerticalScroll(id="event-box"):
                    yield EventPanel(id="event")
                yield TypePanel(id="types")
                with VerticalScroll(id="machine-box"):
                    yield MachinePanel(id="machine")
        yield Prompt(id="prompt")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.show_trace()

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


def run_app(replay: Replay, name: str) -> int:
    """Run the TUI on an indexed trace, as ``vmtrace view`` and ``vmtrace tui`` do.

    The trace is immutable and holds millions of objects in a large trace; freezing them out
    of the cyclic garbage collector keeps collection pauses (which would otherwise walk every
    event while the UI allocates) independent of the trace's size.
    """
    gc.collect()
    gc.freeze()
    app = VmtraceApp(replay, name)
    app.run()
    return app.return_code or 0  # 1 after a crash (Textual has printed the traceback)
