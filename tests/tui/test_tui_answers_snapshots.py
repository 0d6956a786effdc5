"""SVG snapshots of the issue-13 screens: the type graph at step 0 (the run's key types) and
the class view (``K``).

Regenerate on purpose with ``pytest tests/tui/test_tui_answers_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

from class_fixtures import class_trace
from conftest import make_app
from textual.pilot import Pilot

from tracer.tui.app import VmtraceApp


def test_step_zero_type_graph(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(140, 36))


def test_class_view(snap_compare: Any) -> None:
    async def open_class_view(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, VmtraceApp)
        app.replay.go(37)
        app.refresh_views()
        await pilot.pause()
        await pilot.press("K")
        await pilot.pause()

    assert snap_compare(make_app(class_trace()), run_before=open_class_view, terminal_size=(140, 30))
