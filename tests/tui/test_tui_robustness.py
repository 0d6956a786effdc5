"""The TUI survives any schema-valid trace: empty, one event, 10,000-deep nesting, hostile
strings (markup, ANSI escapes, control characters, wide unicode), random shapes."""

from __future__ import annotations

import pytest
from conftest import make_app
from hypothesis import given, settings
from hypothesis import strategies as st
from tui_fixtures import TraceBuilder, hostile_trace, make_trace

from tracer.replay import Replay
from tracer.synthetic import deep_events, synthetic_events, synthetic_trace
from tracer.trace import Event, Trace
from tracer.tui.calltree_view import CallTreeView
from tracer.tui.keys import KEY_ACTIONS

# Every key that does not open a prompt or leave the app, each pressed once.
NO_PROMPT = {"go_to", "search", "add_breakpoint", "hide", "feature", "open", "export", "help", "quit"}
ALL_KEYS = [k.keys.split(",")[0] for k in KEY_ACTIONS if k.action not in NO_PROMPT]
TREE_KEYS = ["down", "up", "right", "left", "enter", "pagedown", "pageup"]


def screen_lines(app: object) -> list[str]:
    tree = app.query_one(CallTreeView)  # type: ignore[attr-defined]
    return [tree.render_line(y).text for y in range(tree.size.height)]


def one_event() -> Trace:
    b = TraceBuilder()
    b.point("warn_report", text="lonely")
    return make_trace(b.events)


@pytest.mark.parametrize("trace_factory", [
    lambda: make_trace([]),
    one_event,
    lambda: synthetic_trace(deep_events(10_000)),
    hostile_trace,
    lambda: synthetic_trace(synthetic_events(3_000, seed=7)),
], ids=["empty", "one-event", "deep-10000", "hostile", "synthetic-3000"])
async def test_every_key_on_odd_traces(trace_factory: object) -> None:
    trace = trace_factory()  # type: ignore[operator]
    app = make_app(trace)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in [*ALL_KEYS, *TREE_KEYS, "G", "s", "f", "u", "Z", "G", "z"]:
            await pilot.press(key)
        await pilot.pause()
        assert app.is_running
        pos = app.replay.pos
        assert (pos == -1) == (not trace.events)
        assert all("\x1b" not in line for line in screen_lines(app))


async def test_empty_trace_says_so() -> None:
    app = make_app(make_trace([]))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "(no events to show)" in screen_lines(app)[0]
        assert str(app.query_one("#status").render()).startswith("step - / 0")


async def test_deep_rows_show_their_depth_instead_of_a_huge_indent() -> None:
    app = make_app(synthetic_trace(deep_events(10_000)))
    async with app.run_test(size=(80, 24)) as pilot:
        app.replay.go(9_999)
        app.refresh_views()
        await pilot.pause()
        lines = screen_lines(app)
        assert any("…9999" in line and "type_initialize" in line for line in lines), lines


async def test_hostile_strings_are_shown_literally_and_never_interpreted() -> None:
    app = make_app(hostile_trace())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("Z")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "[bold red]ret[/]" in text, "markup in a return value is text"
        assert "[b]cpu[/b]" in text and "漢字" in text and "🚀" in text
        assert "\x1b" not in text and "\x07" not in text and "\r" not in text
        assert "[red]fn[/red]" in text
        await pilot.press("j")  # the lookup_opt call: the event panel shows the same strings
        await pilot.pause()
        svg = app.export_screenshot()
        assert "ünïcødé" in svg and "\x1b" not in svg


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=400),
    seed=st.integers(min_value=0, max_value=10_000),
    motions=st.lists(st.sampled_from([
        "next_event", "prev_event", "step_into", "step_into_back", "step_over", "step_over_back",
        "step_out", "step_out_back", "start", "end", "matching", "next_problem",
    ]), max_size=30),
)
def test_any_motion_sequence_keeps_the_cursor_on_a_real_event(n: int, seed: int, motions: list[str]) -> None:
    replay = Replay(synthetic_trace(synthetic_events(n, seed=seed)))
    for motion in motions:
        before = replay.pos
        target = getattr(replay, motion)()
        moved = replay.go(target)
        assert moved == (target is not None)
        if target is None:
            assert replay.pos == before
        event: Event | None = replay.event
        assert (event is None) == (n == 0 or not replay.events)
        if event is not None:
            assert event.seq == replay.pos
