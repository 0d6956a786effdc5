"""Diff mode (``vmtrace view A.json B.json``): Pilot tests for each key and SVG snapshots.

A is the QEMU-like ``-cpu host,+avx512f`` trace and B the same command line with ``-cpu max``;
their merged tree has four runs of differences starting at rows 14, 17, 33 and 37 (see
``tracer.diff``'s alignment rules), the first divergence being row 14 (``lookup_opt``'s value).
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Console
from textual.command import CommandPalette
from textual.pilot import Pilot
from tui_fixtures import hostile_trace, make_trace, qemu_like_trace

from tracer.diff import diff_traces
from tracer.tui.diff_app import DiffApp, row_detail, semantic_text
from tracer.tui.diff_view import DiffView
from tracer.tui.help_screen import HelpScreen
from tracer.tui.keys import DIFF_KEY_ACTIONS


def make_diff_app() -> DiffApp:
    return DiffApp(diff_traces(qemu_like_trace("host"), qemu_like_trace("max"), "host.json", "max.json"))


def status(app: DiffApp) -> str:
    return str(app.query_one("#status").render())


async def test_opens_at_the_first_divergence() -> None:
    app = make_diff_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.row == 14
        assert app.query_one(DiffView).cursor == 14
        assert status(app).startswith("row 14 / 39 · difference 1 / 4")


@pytest.mark.parametrize(("keys", "start", "expected"), [
    (("right_square_bracket",), 14, 17), (("right_square_bracket",) * 3, 14, 37),
    (("left_square_bracket",), 37, 33), (("left_square_bracket",), 20, 17),
    (("d",), 30, 14), (("g",), 30, 0), (("home",), 30, 0), (("G",), 3, 39), (("end",), 3, 39),
    (("down",), 14, 15), (("up",), 14, 13), (("pagedown",), 0, None), (("pageup",), 39, None),
])
async def test_keys_move_the_shared_cursor(keys: tuple[str, ...], start: int, expected: int | None) -> None:
    app = make_diff_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.go(start, "")
        await pilot.press(*keys)
        await pilot.pause()
        if expected is None:
            assert abs(app.row - start) > 5, "a page moves a screenful"
        else:
            assert app.row == expected
        assert app.query_one(DiffView).cursor == app.row


async def test_no_difference_beyond_the_last_says_so() -> None:
    app = make_diff_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.go(38, "")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.row == 38 and "no later difference" in status(app)


async def test_row_panel_shows_what_changed() -> None:
    app = make_diff_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.row == 17
        console = Console(width=120, color_system=None)
        with console.capture() as capture:
            console.print(row_detail(app.diff, app.row))
        text = capture.get()
        assert "row 17  changed" in text and "main > qemu_init > parse_cpu_option" in text
        assert "return: host-x86_64-cpu → max-x86_64-cpu" in text


async def test_help_and_quit() -> None:
    app = make_diff_app()
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_every_diff_action_is_in_the_command_palette() -> None:
    app = make_diff_app()
    async with app.run_test() as pilot:
        titles = {cmd.title for cmd in app.get_system_commands(app.screen)}
        assert all(f"{k.description} ({k.display})" in titles for k in DIFF_KEY_ACTIONS if k.action != "quit")
        app.go(0, "")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        for ch in "Next difference":
            await pilot.press(ch if ch != " " else "space")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.row == 14


def test_semantic_panel_is_the_cli_summary_without_escapes() -> None:
    text = semantic_text(diff_traces(qemu_like_trace("host"), qemu_like_trace("max"))).plain
    assert "cpu type" in text and "host-x86_64-cpu → max-x86_64-cpu" in text
    assert "first divergence" in text and "\x1b" not in text


@pytest.mark.parametrize("pair", ["empty", "identical", "hostile"])
async def test_odd_pairs_do_not_crash(pair: str) -> None:
    a, b = {"empty": (make_trace([]), make_trace([])), "identical": (qemu_like_trace(), qemu_like_trace()),
            "hostile": (hostile_trace(), qemu_like_trace())}[pair]
    app = DiffApp(diff_traces(a, b))
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("right_square_bracket", "left_square_bracket", "d", "G", "g", "down", "up", "pagedown"):
            await pilot.press(key)
        await pilot.pause()
        assert app.is_running
        view = app.query_one(DiffView)
        lines = [view.render_line(y).text for y in range(view.size.height)]
        assert all("\x1b" not in line for line in lines)
        if pair == "identical":
            assert "identical" in status(app)


def test_diff_screen_snapshot(snap_compare: Any) -> None:
    assert snap_compare(make_diff_app(), terminal_size=(120, 30))


def test_diff_screen_80x24_after_next_difference(snap_compare: Any) -> None:
    async def settle(pilot: Pilot[Any]) -> None:
        await pilot.pause()

    assert snap_compare(make_diff_app(), press=["right_square_bracket"], terminal_size=(80, 24), run_before=settle)
