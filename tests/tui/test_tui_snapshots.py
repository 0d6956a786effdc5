"""SVG snapshots of the main screen, the help screen and a search in progress.

Regenerate on purpose with ``pytest tests/tui/test_tui_snapshots.py --snapshot-update`` and look
at the SVGs before committing them.
"""

from __future__ import annotations

from typing import Any

from conftest import make_app
from textual.pilot import Pilot

from tracer.tui.app import VmtraceApp


async def cursor_in_type_initialize(pilot: Pilot[Any]) -> None:
    """Stop inside the class initialisation of host-x86_64-cpu (max-x86_64-cpu's class_init)."""
    app = pilot.app
    assert isinstance(app, VmtraceApp)
    app.replay.go(30)
    app.refresh_views()
    await pilot.pause()


def test_main_screen_80x24(snap_compare: Any) -> None:
    assert snap_compare(make_app(), run_before=cursor_in_type_initialize, terminal_size=(80, 24))


def test_main_screen_large(snap_compare: Any) -> None:
    assert snap_compare(make_app(), run_before=cursor_in_type_initialize, terminal_size=(140, 40))


def test_help_screen(snap_compare: Any) -> None:
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=(100, 40))


def test_search_in_progress(snap_compare: Any) -> None:
    assert snap_compare(make_app(), press=["slash", *"class_i"], terminal_size=(100, 30))


def test_light_theme(snap_compare: Any) -> None:
    async def light(pilot: Pilot[Any]) -> None:
        pilot.app.theme = "textual-light"
        await cursor_in_type_initialize(pilot)

    assert snap_compare(make_app(), run_before=light, terminal_size=(100, 30))
