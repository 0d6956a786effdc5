"""The replay cursor (tracer.replay): every motion, search, breakpoints, filters, on small
hand-made traces whose answers can be read off the event list, plus hostile shapes."""

from __future__ import annotations

from typing import Any

import pytest

from tracer.replay import Breakpoint, Filter, Query, Replay
from tracer.synthetic import deep_events, synthetic_trace
from tracer.trace import Event


def ev(seq: int, kind: str, fn: str, depth: int, parent: int, **fields: Any) -> Event:
    return Event(seq=seq, kind=kind, fn=fn, depth=depth, parent=parent, ts=seq * 10, **fields)  # type: ignore[arg-type]


# 0 main
# 1   a(type=cpu)
# 2     • type_register(type=device)
# 3     b()
# 4     return b -> "ret-b"
# 5   return a
# 6   • warn_report "careful"
# 7   c()
# 8     d(type=host-x86_64-cpu)
# 9     error d "boom"
# 10  return c
# 11 return main
EVENTS = [
    ev(0, "call", "main", 0, -1),
    ev(1, "call", "a", 1, 0, args={"type": "cpu"}),
    ev(2, "point", "type_register", 2, 1, args={"type": "device", "parent": "object"}),
    ev(3, "call", "b", 2, 1),
    ev(4, "return", "b", 2, 1, call=3, ret="ret-b"),
    ev(5, "return", "a", 1, 0, call=1),
    ev(6, "point", "warn_report", 1, 0, text="careful"),
    ev(7, "call", "c", 1, 0),
    ev(8, "call", "d", 2, 7, args={"type": "host-x86_64-cpu"}),
    ev(9, "error", "d", 2, 7, call=8, text="boom"),
    ev(10, "return", "c", 1, 0, call=7),
    ev(11, "return", "main", 0, -1, call=0),
]


def make(pos: int = 0, events: list[Event] | None = None) -> Replay:
    replay = Replay(synthetic_trace(EVENTS if events is None else events))
    replay.go(pos)
    return replay


@pytest.mark.parametrize(
    ("motion", "start", "expected"),
    [
        ("next_event", 0, 1), ("next_event", 4, 5), ("next_event", 11, None),
        ("prev_event", 5, 4), ("prev_event", 0, None),
        ("step_into", 0, 1), ("step_into", 3, 6), ("step_into", 4, 6), ("step_into", 8, None),
        ("step_into_back", 6, 3), ("step_into_back", 7, 6), ("step_into_back", 0, None),
        ("step_over", 1, 6), ("step_over", 2, 3), ("step_over", 3, 6), ("step_over", 0, None), ("step_over", 10, None),
        ("step_over_back", 6, 1), ("step_over_back", 3, 2), ("step_over_back", 2, 1), ("step_over_back", 1, 0),
        ("step_over_back", 11, 7), ("step_over_back", 0, None),
        ("step_out", 2, 5), ("step_out", 3, 5), ("step_out", 5, 11), ("step_out", 8, 10), ("step_out", 0, None),
        ("step_out_back", 3, 1), ("step_out_back", 5, 0), ("step_out_back", 9, 7), ("step_out_back", 0, None),
        ("start", 7, 0), ("end", 3, 11),
        ("matching", 1, 5), ("matching", 5, 1), ("matching", 8, 9), ("matching", 9, 8), ("matching", 2, None),
    ],
)
def test_motion(motion: str, start: int, expected: int | None) -> None:
    # GIVEN the cursor at `start`  WHEN asking for the motion  THEN it names the expected event
    replay = make(start)
    assert getattr(replay, motion)() == expected
    assert replay.pos == start, "asking must not move"


def test_go_moves_and_refuses_nowhere() -> None:
    replay = make(3)
    assert replay.go(replay.step_out())
    assert replay.pos == 5
    assert not replay.go(None)
    assert not replay.go(99)
    assert replay.pos == 5


def test_node_maps_returns_to_their_call() -> None:
    assert make(4).node == 3
    assert make(9).node == 8
    assert make(6).node == 6


def test_event_number_clamps_and_skips_hidden() -> None:
    replay = make()
    assert replay.event_number(7) == 7
    assert replay.event_number(-5) == 0
    assert replay.event_number(500) == 11
    replay.set_filter(Filter(hide="b"))
    assert replay.event_number(3) == 5


@pytest.mark.parametrize(
    ("text", "start", "direction", "expected"),
    [
        ("type_reg", 0, 1, 2),       # function name
        ("DEVICE", 0, 1, 2),         # argument value, case-insensitive
        ("ret-b", 0, 1, 3),          # a call's return value finds the call
        ("boom", 0, 1, 8),           # error text finds the failing call
        ("careful", 0, 1, 6),        # a point's text
        ("warn_*", 0, 1, 6),         # glob
        ("boo", 3, 1, 8),            # the next match after the cursor ("boom")
        ("type_register", 6, 1, 2),  # wraps to the top
        ("cpu", 7, -1, 1),           # backwards
        ("nothing-like-this", 0, 1, None),
    ],
)
def test_search(text: str, start: int, direction: int, expected: int | None) -> None:
    replay = make(start)
    assert replay.search(text, direction) == expected


def test_search_backwards_from_a_return_starts_before_its_row() -> None:
    replay = make(4)  # the return of b: its row is b (3), so b is not "before" it
    assert replay.search("type_register", -1) == 2
    assert replay.search("ret-b", -1) == 3, "wrapping around finds the row itself last"


def test_incremental_search_from_origin() -> None:
    replay = make(7)
    assert replay.search("d", origin=0) == 2, "from the origin (device), not from the cursor"
    assert replay.search("d") == 8


def test_next_match_follows_search_then_marks() -> None:
    replay = make(0)
    replay.set_search("type_register")
    assert replay.next_match(1) == 2
    assert replay.match_label == "search: type_register"
    replay.set_marks([8, 2], "feature x")
    assert replay.next_match(1) == 2
    replay.go(2)
    assert replay.next_match(1) == 8
    assert replay.next_match(-1) == 8  # wraps backwards
    assert replay.match_label == "feature x (2 events)"


def test_breakpoints_function_and_type() -> None:
    replay = make(0)
    assert replay.breakpoint_for("host-x86_64-cpu") == Breakpoint("host-x86_64-cpu", "type")
    assert replay.breakpoint_for("type_initialize") == Breakpoint("type_initialize", "function")
    assert replay.continue_() is None  # no breakpoints
    assert replay.toggle_breakpoint(Breakpoint("b"))
    assert replay.continue_() == 3
    assert replay.toggle_breakpoint(Breakpoint("host-x86_64-cpu", "type"))
    replay.go(3)
    assert replay.continue_() == 8
    replay.go(11)
    assert replay.continue_(-1) == 8
    assert not replay.toggle_breakpoint(Breakpoint("b"))
    assert replay.breakpoints == {Breakpoint("host-x86_64-cpu", "type")}
    assert str(Breakpoint("host-x86_64-cpu", "type")) == "type:host-x86_64-cpu"


def test_problems_visit_warnings_and_errors_then_wrap() -> None:
    replay = make(0)
    assert replay.problems() == [6, 9]
    assert replay.next_problem() == 6
    replay.go(6)
    assert replay.next_problem() == 9
    replay.go(9)
    assert replay.next_problem() == 6


def test_filter_hides_subtrees_by_name_and_keeps_cursor_visible() -> None:
    replay = make(4)
    replay.set_filter(Filter(hide="b"))
    assert not replay.visible(3) and not replay.visible(4)
    assert replay.pos == 1, "the cursor moves to the nearest visible caller"
    assert replay.step_into() == 2
    replay.go(2)
    assert replay.step_into() == 6
    assert replay.has_visible_children(1)
    replay.set_filter(Filter(hide="type_*"))
    assert not replay.visible(2) and replay.visible(3)


def test_filter_by_depth() -> None:
    replay = make(9)
    replay.set_filter(Filter(max_depth=1))
    assert replay.pos == 7
    assert not replay.has_visible_children(7)
    assert replay.step_into() is None, "returns are not rows and d is too deep"
    assert not replay.go(8), "a hidden event cannot be the cursor"
    replay.go(0)
    assert replay.step_into() == 1
    replay.go(1)
    assert replay.step_into() == 6
    assert Filter(hide="x", max_depth=2).describe() == "hide x, depth ≤ 2"
    replay.set_filter(Filter())
    assert replay.visible(9) and not replay.filter.active


def test_type_in_play_and_class_init() -> None:
    events = [*EVENTS[:11], ev(11, "call", "type_initialize", 1, 0, args={"type": "cpu"}),
              ev(12, "return", "type_initialize", 1, 0, call=11), ev(13, "return", "main", 0, -1, call=0)]
    replay = make(0, events)
    assert replay.type_in_play(2) == "device"
    assert replay.type_in_play(3) == "cpu", "b has no type: its caller a's"
    assert replay.type_in_play(0) is None
    assert replay.class_init_step("cpu") == 11
    assert replay.class_init_step("device") is None


def test_feature_events_are_the_why_chain() -> None:
    events = [ev(0, "call", "main", 0, -1),
              ev(1, "point", "x86_feature", 1, 0, args={"feature": "avx512f", "value": True, "reason": "plus"}),
              ev(2, "point", "x86_feature", 1, 0, args={"feature": "sse", "value": True, "reason": "model"}),
              ev(3, "point", "x86_feature", 1, 0, args={"feature": "avx512f", "value": False, "reason": "filtered"}),
              ev(4, "point", "warn_report", 1, 0,
                 text="host doesn't support requested feature: CPUID.07H:EBX.avx512f [bit 16]"),
              ev(5, "return", "main", 0, -1, call=0)]
    assert make(0, events).feature_events("avx512f") == [1, 3, 4]
    assert make(0, events).feature_events("nope") == []


def test_empty_trace_is_inert() -> None:
    replay = make(0, [])
    assert replay.pos == -1 and replay.event is None and replay.node == -1
    for motion in ("next_event", "prev_event", "step_into", "step_into_back", "step_over", "step_over_back",
                   "step_out", "step_out_back", "start", "end", "matching", "next_problem"):
        assert getattr(replay, motion)() is None, motion
    assert replay.search("x") is None
    assert replay.event_number(3) is None
    assert replay.type_in_play() is None


def test_one_event_trace() -> None:
    replay = make(0, [ev(0, "point", "warn_report", 0, -1, text="only")])
    assert replay.next_event() is None and replay.step_over() is None and replay.step_out() is None
    assert replay.next_problem() == 0
    assert replay.end() == 0


def test_deep_nesting_is_iterative() -> None:
    depth = 10_000
    replay = make(depth - 1, deep_events(depth))
    assert replay.step_out() == depth + 1  # the return of the innermost call's caller
    assert replay.step_out_back() == depth - 2
    assert replay.step_over() is None  # the innermost call's return is followed only by returns
    replay.go(0)
    assert replay.step_over() is None
    assert replay.step_into() == 1
    assert replay.type_in_play(depth - 1) is None  # t9999 is not a type of the trace: bounded lookup
    replay.go(depth - 1)
    replay.set_filter(Filter(max_depth=5))
    assert replay.pos == 5
    replay.set_filter(Filter(hide="type_init*"))
    assert replay.pos == -1 and replay.start() is None and replay.step_into() is None
    replay.set_filter(Filter())
    assert replay.pos == 0


def test_query_matches_unicode_and_non_string_values() -> None:
    event = ev(0, "call", "lookup_opt", 0, -1, args={"value": "ünïcødé 漢字", "n": 42, "flag": True})
    assert Query("漢字").hit(event, None)
    assert Query("42").hit(event, None)
    assert Query("true").hit(event, None)
    assert not Query("").hit(event, None)
