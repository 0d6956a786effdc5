"""The view keys: what the call tree shows (filter, depth, folding) and where focus is.

These change the rows and panels rather than the cursor, except the jumps a panel asks for
(a type chosen in the type graph goes to its class init; a row chosen in the tree becomes
the cursor).
"""

from __future__ import annotations

from textual import on

from tracer.calltree import NONE
from tracer.replay import Filter
from tracer.tui.app_base import ReplayAppBase
from tracer.tui.calltree_view import CallTreeView
from tracer.tui.type_panel import TypePanel
from tracer.tui.value_screen import ValueScreen


class ViewActions(ReplayAppBase):
    """Filter and folding of the call tree, the feature chain, and focus between panels."""

    def action_hide(self) -> None:
        self.ask("hide", "Hide functions matching (substring or glob; empty shows all)", self.replay.filter.hide or "")

    def action_depth_less(self) -> None:
        current = self.replay.filter.max_depth
        event = self.replay.event
        if current is None:
            current = event.depth + 1 if event is not None else 1
        self.filter_changed(Filter(self.replay.filter.hide, max(current - 1, 0)))

    def action_depth_more(self) -> None:
        current = self.replay.filter.max_depth
        if current is None:
            self.go(None, "no depth limit")
            return
        self.filter_changed(Filter(self.replay.filter.hide, current + 1))

    def action_clear_filter(self) -> None:
        self.filter_changed(Filter())

    def action_collapse_all(self) -> None:
        self.outline.collapse_all()
        self.rows_changed()

    def action_expand_all(self) -> None:
        self.outline.expand_all()
        self.rows_changed()

    def action_feature(self) -> None:
        event = self.replay.event
        guess = ""
        if event is not None and event.args and isinstance(event.args.get("feature"), str):
            guess = event.args["feature"]
        self.ask("feature", "CPU feature (e.g. avx512f): events that decided it", guess)

    def action_full_values(self) -> None:
        """``v``: the event's values in full (rows and panels cut long ones to stay fast)."""
        if self.replay.pos == NONE:
            self.go(None, "no event at the cursor")
            return
        self.push_screen(ValueScreen(self.replay, self.replay.pos))

    def action_toggle_machine(self) -> None:
        """Swap the type graph for the composition tree (``/machine`` at this step), and back."""
        box, types = self.query_one("#machine-box"), self.query_one(TypePanel)
        box.display, types.display = not box.display, box.display
        self.message = "composition tree (m: back to the type graph)" if box.display else ""
        self.refresh_views()

    def action_focus_types(self) -> None:
        self.query_one(TypePanel).focus()

    def action_focus_tree(self) -> None:
        self.query_one(CallTreeView).focus()

    @on(TypePanel.TypeChosen)
    def _type_chosen(self, message: TypePanel.TypeChosen) -> None:
        step = self.replay.class_init_step(message.name)
        self.jump(step, f"{message.name}: class never initialised in this trace")

    @on(CallTreeView.NodeChosen)
    def _node_chosen(self, message: CallTreeView.NodeChosen) -> None:
        self.go(message.seq, "")
