"""The call-tree rows (tracer.tui.outline) as pure data: lazy expansion, reveal, filters."""

from __future__ import annotations

from tui_fixtures import qemu_like_trace

from tracer.calltree import CallTree
from tracer.replay import Filter, Replay
from tracer.synthetic import deep_events, synthetic_events, synthetic_trace
from tracer.tui.outline import Outline


def test_starts_with_the_roots_only() -> None:
    outline = Outline(CallTree(qemu_like_trace()))
    assert outline.rows == [0]
    assert outline.row_of(0) == 0 and outline.row_of(1) is None


def test_expand_splices_children_and_collapse_removes_the_subtree() -> None:
    outline = Outline(CallTree(qemu_like_trace()))
    outline.expand(0)
    assert outline.rows == [0, 1]
    outline.expand(1)
    assert outline.rows[:4] == [0, 1, 2, 3] and outline.rows[-1] == 43
    outline.expand(20)
    assert outline.rows[outline.row_of(20) + 1 :][:2] == [21, 39]  # type: ignore[operator]
    outline.collapse(1)
    assert outline.rows == [0, 1]
    outline.expand(1)
    assert outline.row_of(21) is not None, "re-expanding keeps the expanded state below"


def test_reveal_expands_exactly_the_ancestors() -> None:
    outline = Outline(CallTree(qemu_like_trace()))
    row = outline.reveal(27)
    assert row is not None and outline.rows[row] == 27
    assert outline.expanded == {0, 1, 20, 21, 22, 23, 24, 25, 26} - {26} | {26}
    assert outline.row_of(44) is None, "siblings' subtrees stay collapsed"


def test_expand_all_and_collapse_all() -> None:
    trace = qemu_like_trace()
    outline = Outline(CallTree(trace))
    outline.expand_all()
    assert outline.rows == [e.seq for e in trace.events if e.kind in ("call", "point")]
    outline.collapse_all()
    assert outline.rows == [0]


def test_rows_follow_the_filter() -> None:
    replay = Replay(qemu_like_trace())
    outline = Outline(replay.tree, replay.visible, replay.has_visible_children)
    outline.expand_all()
    replay.set_filter(Filter(hide="type_*"))
    outline.rebuild()
    assert 24 not in outline.rows and 2 not in outline.rows and 23 in outline.rows
    assert not replay.has_visible_children(23)


def test_ten_thousand_deep_reveal_is_iterative() -> None:
    depth = 10_000
    outline = Outline(CallTree(synthetic_trace(deep_events(depth))))
    assert outline.reveal(depth - 1) == depth - 1
    assert len(outline.rows) == depth
    outline.collapse(0)
    assert outline.rows == [0]
    outline.expand(0)
    assert len(outline.rows) == depth, "the expanded chain below comes back"


def test_large_trace_opens_with_its_top_level_only() -> None:
    trace = synthetic_trace(synthetic_events(20_000))
    tree = CallTree(trace)
    outline = Outline(tree)
    assert outline.rows == tree.roots()
    assert not outline.expanded
