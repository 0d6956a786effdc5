"""SVG snapshots of the issue-13 screens: the type graph at step 0 (the run's key types).

Regenerate on purpose with ``pytest tests/tui/test_tui_answers_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

from conftest import make_app


def test_step_zero_type_graph(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(140, 36))
