"""The keys that answer "what did this class get, and from whom": the class view (``K``), the
object view (``O``) and following the event pane's link to an earlier step (``L``).

At a class lookup such as ``object_class_by_name(host-x86_64-cpu)`` under ``parse_cpu_option``
the class usually exists already (``select_machine`` initialised every class); the event pane
says where, and ``L`` goes there.
"""

from __future__ import annotations

from tracer.classstate import class_state, earlier_class_init, object_history
from tracer.render.class_text import class_report, field_lines, object_lines
from tracer.tui.app_base import ReplayAppBase
from tracer.tui.class_view import LinesScreen
from tracer.tui.type_panel import TypePanel


class ClassActions(ReplayAppBase):
    """``K``, ``O`` and ``L``."""

    def _type_at_cursor(self) -> str | None:
        name = self.replay.type_in_play()
        return name if name is not None else self.query_one(TypePanel).focus_type

    def action_class_view(self) -> None:
        name = self._type_at_cursor()
        if name is None:
            self.go(None, "no QOM type at the cursor (K shows the class of the type in play)")
            return
        trace = self.replay.trace
        state = class_state(trace, name)
        if state.initialised_at is None:
            self.go(None, f"{name}: class never initialised in this trace")
            return
        lines = class_report(trace, state, [])
        if len(field_lines(state)) <= 2 and not state.properties:
            lines = [*lines, (None, "  (no field set by any hook)")]
        self.push_screen(LinesScreen(f"Class {name}", lines), self._jump_back)

    def action_object_view(self) -> None:
        name = self._type_at_cursor()
        if name is None:
            self.go(None, "no QOM type at the cursor (O shows the objects of the type in play)")
            return
        history = object_history(self.replay.trace, name)
        if not history:
            self.go(None, f"{name}: no property set on an object of this type")
            return
        self.push_screen(LinesScreen(f"Objects of {name}: property history", object_lines(name, history)),
                         self._jump_back)

    def action_follow_link(self) -> None:
        link = earlier_class_init(self.replay.trace, self.replay.node, self.replay.milestones.class_initialised)
        if link is None:
            self.go(None, "no link here (at a lookup of a class initialised earlier, L goes there)")
            return
        self.jump(link[1], "")

    def _jump_back(self, seq: int | None) -> None:
        if seq is not None:
            self.jump(seq, "")
