"""The questions the app asks in its prompt line, and what it does with each answer.

An action opens the prompt with a purpose (``search``, ``goto``, ``breakpoint``, ``hide``,
``feature``, ``open``, ``export``); the answer comes back as a message and is dispatched to
``_answer_<purpose>``. Search is live: each keystroke searches again from where the prompt
was opened, and Esc goes back there.
"""

from __future__ import annotations

from pathlib import Path

from textual import on

from tracer.fileio import TraceFormatError, load_trace
from tracer.replay import Filter, Replay
from tracer.tui import actions_io
from tracer.tui.calltree_view import CallTreeView
from tracer.tui.help_screen import HelpScreen
from tracer.tui.prompt import Prompt
from tracer.tui.replay_actions import ReplayActions
from tracer.tui.type_panel import TypePanel


class PromptAnswers(ReplayActions):
    """Answers to the prompt line, and the file actions that start with a question."""

    def action_open(self) -> None:
        self.ask("open", "Open trace file")

    def action_export(self) -> None:
        self.ask("export", f"Export as FORMAT PATH ({actions_io.export_formats_hint()})")

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    @on(Prompt.Typed)
    def _typed(self, message: Prompt.Typed) -> None:
        if message.purpose == "search":
            self.replay.go(self._search_origin)
            self.replay.set_search(message.value)
            self.jump(self.replay.search(origin=self._search_origin) if message.value else None,
                      "no match" if message.value else "")

    @on(Prompt.Cancelled)
    def _cancelled(self, message: Prompt.Cancelled) -> None:
        if message.purpose == "search":
            self.replay.go(self._search_origin)
            self.replay.set_search("")
        self.message = ""
        self.refresh_views(jump=message.purpose == "search")
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
        self.refresh_views(jump=True)

    def _answer_goto(self, text: str) -> None:
        try:
            number = int(text.replace(",", "").replace("_", "").lstrip("#"))
        except ValueError:
            self.go(None, f"not an event number: {text!r}")
            return
        self.jump(self.replay.event_number(number), "empty trace")

    def _answer_breakpoint(self, name: str) -> None:
        if name:
            self.toggle_breakpoint(name)

    def _answer_hide(self, pattern: str) -> None:
        self.filter_changed(Filter(pattern or None, self.replay.filter.max_depth))

    def _answer_feature(self, name: str) -> None:
        if not name:
            return
        seqs = self.replay.feature_events(name)
        if not seqs:
            self.go(None, f"no events decided feature {name!r}")
            return
        self.replay.set_marks(seqs, f"feature {name}")
        self.jump(self.replay.next_match(1) if self.replay.pos < seqs[0] else seqs[0], "")

    def _answer_open(self, path: str) -> None:
        if not path:
            return
        try:
            trace = load_trace(Path(path).expanduser())
        except RuntimeError as exc:  # ~nosuchuser
            self.go(None, f"{path}: {exc}")
            return
        except TraceFormatError as exc:
            self.go(None, str(exc))
            return
        self.load(Replay(trace), path)

    def _answer_export(self, text: str) -> None:
        self.go(None, actions_io.export(self.replay, text, self.query_one(TypePanel).focus_type))
