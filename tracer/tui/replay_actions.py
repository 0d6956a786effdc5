"""The replay keys: motions over the event sequence, search matches and breakpoints.

Each action asks :class:`~tracer.replay.Replay` where to go (pure logic, tested on its own)
and hands the answer to :meth:`ReplayAppBase.go`, with the words to show when there is
nowhere to go, so a key never does nothing silently.
"""

from __future__ import annotations

from tracer.calltree import NONE
from tracer.tui.app_base import ReplayAppBase
from tracer.tui.calltree_view import CallTreeView


class ReplayActions(ReplayAppBase):
    """Forward and backward by event, step into / over / out, jumps, search and breakpoints."""

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
        self.jump(self.replay.next_match(1), "no match (search with /)")

    def action_prev_match(self) -> None:
        self.jump(self.replay.next_match(-1), "no match (search with /)")

    def action_search(self) -> None:
        self._search_origin = self.replay.pos
        self.ask("search", "Search (function, argument or return; * ? [ ] glob)")

    def action_next_problem(self) -> None:
        self.jump(self.replay.next_problem(), "no errors or warnings in this trace")

    # -- breakpoints -------------------------------------------------------------------------

    def action_toggle_breakpoint(self) -> None:
        if self.replay.event is None:
            return
        self.toggle_breakpoint(self.replay.events[self.replay.node].fn)

    def action_add_breakpoint(self) -> None:
        self.ask("breakpoint", "Breakpoint on a function, a type, or a glob such as *class_init (again to clear)")

    def toggle_breakpoint(self, name: str) -> None:
        bp = self.replay.breakpoint_for(name)
        self.message = f"breakpoint {'set' if self.replay.toggle_breakpoint(bp) else 'cleared'}: {bp}"
        self.refresh_views()
        self.query_one(CallTreeView).refresh()

    def action_continue(self) -> None:
        if not self.replay.breakpoints:
            self.go(None, "no breakpoints (b or B sets one)")
            return
        self.jump(self.replay.continue_(1) if self.replay.pos != NONE else None, "no breakpoint hit after this")

    def action_reverse_continue(self) -> None:
        if not self.replay.breakpoints:
            self.go(None, "no breakpoints (b or B sets one)")
            return
        self.jump(self.replay.continue_(-1), "no breakpoint hit before this")
