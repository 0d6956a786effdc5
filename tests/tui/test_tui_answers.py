"""Pilot tests for the TUI answers of issue 13: glob breakpoints, search that opens only the
match's ancestors, the status line, the step-0 type graph, the class and object views.

Positions refer to ``tui_fixtures.qemu_like_trace`` (27, 30, 33 are the CPU class_inits).
"""

from __future__ import annotations

from conftest import make_app
from test_tui_keys import at, type_answer

from tracer.replay import Breakpoint


async def test_capital_b_takes_a_glob_like_search() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 0)
        await pilot.press("B")
        await type_answer(pilot, "*class_init")
        assert app.replay.breakpoints == {Breakpoint("*class_init", "glob")}
        assert "breakpoint set: *class_init" in app.message
        hits = []
        for _ in range(4):
            await pilot.press("c")
            await pilot.pause()
            hits.append(app.replay.pos)
        assert hits == [27, 30, 33, 33], "every class_init, then nowhere further"
        assert app.message == "no breakpoint hit after this"
