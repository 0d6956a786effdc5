"""The structural diff (tracer.diff.structural) on hand-built trees whose answer can be read off,
on deep and large synthetic traces, and as properties over random edits."""

from __future__ import annotations

import json
import random

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st
from test_diff_fixtures import call, events_of, point, trace_of

from tracer.diff import diff_traces, diff_trees
from tracer.diff.schema import DIFF_SCHEMA
from tracer.diff.structural import FieldChange, Row, StructuralDiff
from tracer.synthetic import deep_events, synthetic_events, synthetic_trace
from tracer.trace import Event, Trace


def nodes(trace: Trace) -> list[int]:
    return [e.seq for e in trace.events if e.kind in ("call", "point")]


def assert_rows_cover_both_trees(d: StructuralDiff) -> None:
    """Every node of A and of B appears exactly once, in pre-order, in its column."""
    assert [r.a for r in d.rows if r.a is not None] == nodes(d.a)
    assert [r.b for r in d.rows if r.b is not None] == nodes(d.b)
    for r in d.rows:
        assert (r.status == "only_a") == (r.b is None)
        assert (r.status == "only_b") == (r.a is None)


def statuses(d: StructuralDiff) -> list[tuple[int | None, int | None, str]]:
    return [(r.a, r.b, r.status) for r in d.rows]


def test_identical_trees_are_equal() -> None:
    t = trace_of(call("main", call("a", point("type_register", type="cpu"), ret="x"), call("b")))
    d = diff_trees(t, t)
    assert d.equal and d.first_divergence is None
    assert d.counts == {"same": 4, "changed": 0, "only_a": 0, "only_b": 0}
    assert d.differences() == [] and d.hunks() == []
    assert_rows_cover_both_trees(d)


def test_timestamps_do_not_count() -> None:
    spec = call("main", call("a", ret=1))
    a = trace_of(spec)
    b = a.__class__(**{**{f: getattr(a, f) for f in a.__struct_fields__},
                       "events": events_of(spec, ts_step=7)})
    assert diff_trees(a, b).equal


def test_a_different_return_value_is_a_changed_call() -> None:
    a = trace_of(call("main", call("lookup_opt", name="cpu", ret="Skylake-Client")))
    b = trace_of(call("main", call("lookup_opt", name="cpu", ret="EPYC")))
    d = diff_trees(a, b)
    assert statuses(d) == [(0, 0, "same"), (1, 1, "changed")]
    assert d.first_divergence == 1
    assert d.changes(1) == [FieldChange("return", "Skylake-Client", "EPYC")]
    assert d.changes(0) == []
    assert d.path(1) == ["main", "lookup_opt"]


def test_calls_differing_in_their_key_argument_face_each_other_and_align_their_children() -> None:
    a = trace_of(call("main", call("parse_cpu_option", call("type_initialize", type="x86_64-cpu"),
                                   call("class_init_skylake", type="Skylake-Client-x86_64-cpu"),
                                   cpu_option="Skylake-Client")))
    b = trace_of(call("main", call("parse_cpu_option", call("type_initialize", type="x86_64-cpu"),
                                   call("class_init_epyc", type="EPYC-x86_64-cpu"),
                                   cpu_option="EPYC")))
    d = diff_trees(a, b)
    assert statuses(d) == [(0, 0, "same"), (1, 1, "changed"), (2, 2, "same"), (4, None, "only_a"),
                           (None, 4, "only_b")]
    assert d.changes(1) == [FieldChange("args.cpu_option", "Skylake-Client", "EPYC")]


def test_a_subtree_only_in_b_is_reported_whole() -> None:
    a = trace_of(call("main", call("x"), call("z")))
    b = trace_of(call("main", call("x"), call("y", call("y1"), point("type_register", type="t")), call("z")))
    d = diff_trees(a, b)
    assert statuses(d) == [(0, 0, "same"), (1, 1, "same"), (None, 3, "only_b"), (None, 4, "only_b"),
                           (None, 6, "only_b"), (3, 8, "same")]
    assert d.hunks() == [(2, 5)]
    assert d.counts["only_b"] == 3
    assert_rows_cover_both_trees(d)


def test_error_versus_return_is_an_outcome_change() -> None:
    a = trace_of(call("main", call("x86_cpu_realizefn", type="cpu", ret=None)))
    b = trace_of(call("main", call("x86_cpu_realizefn", type="cpu", error="feature avx512f not available")))
    d = diff_trees(a, b)
    assert d.rows[1].status == "changed"
    assert d.changes(1) == [FieldChange("outcome", "return", "error"),
                            FieldChange("error", None, "feature avx512f not available")]


def test_warning_texts_differ_as_a_changed_point() -> None:
    a = trace_of(call("main", point("warn_report", text="host doesn't support avx512f")))
    b = trace_of(call("main", point("warn_report", text="host doesn't support svm")))
    d = diff_trees(a, b)
    assert d.rows[1] == Row(1, 1, "changed")
    assert d.changes(1) == [FieldChange("text", "host doesn't support avx512f", "host doesn't support svm")]


def test_an_unfinished_call_differs_from_a_finished_one() -> None:
    a = trace_of(call("main", call("qemu_init", unfinished=True), unfinished=True))
    b = trace_of(call("main", call("qemu_init")))
    d = diff_trees(a, b)
    assert [r.status for r in d.rows] == ["changed", "changed"]
    assert d.changes(1) == [FieldChange("outcome", "open", "return")]


def test_added_and_removed_arguments_are_listed() -> None:
    a = trace_of(call("main", call("f", type="t", extra=1)))
    b = trace_of(call("main", call("f", type="t", other=[1, 2])))
    assert diff_trees(a, b).changes(1) == [FieldChange("args.extra", 1, None), FieldChange("args.other", None, [1, 2])]


def test_navigation_between_differences_and_twin_rows() -> None:
    a = trace_of(call("main", call("a", ret=1), call("b"), call("c"), call("d", ret=1), call("e")))
    b = trace_of(call("main", call("a", ret=2), call("b"), call("c"), call("d", ret=2), call("e")))
    d = diff_trees(a, b)
    assert d.hunks() == [(1, 2), (4, 5)]
    assert d.next_difference(0) == 1
    assert d.next_difference(1) == 4
    assert d.next_difference(4) is None
    assert d.previous_difference(4) == 1
    assert d.previous_difference(1) is None
    assert d.previous_difference(5) == 4 and d.previous_difference(0) is None
    assert d.row_of_a(0) == 0
    assert d.row_of_a(2) == 1  # the return of `a` shows on the row of its call
    assert d.row_of_b(7) == 4
    assert d.row_of_a(10_000) is None


def test_a_trace_deeper_than_the_recursion_limit_diffs_iteratively() -> None:
    depth = 20_000
    a_events = deep_events(depth)
    b_events = list(a_events)
    last = depth - 1
    e = b_events[last]
    b_events[last] = Event(seq=e.seq, kind=e.kind, fn=e.fn, depth=e.depth, parent=e.parent, ts=e.ts,
                           args={"type": "different"})
    d = diff_trees(synthetic_trace(a_events), synthetic_trace(b_events))
    assert d.first_divergence == last
    assert d.counts == {"same": depth - 1, "changed": 1, "only_a": 0, "only_b": 0}
    assert d.path(last)[:2] == ["type_initialize", "type_initialize"] and len(d.path(last)) == depth


def test_a_large_flat_sibling_list_with_one_insertion() -> None:
    a = trace_of(call("main", *(call("type_initialize", type=f"t{i}") for i in range(20_000))))
    b = trace_of(call("main", *(call("type_initialize", type=f"t{i}") for i in range(10_000)),
                      call("object_new", type="extra"),
                      *(call("type_initialize", type=f"t{i}") for i in range(10_000, 20_000))))
    d = diff_trees(a, b)
    assert d.counts == {"same": 20_001, "changed": 0, "only_a": 0, "only_b": 1}
    assert d.rows[d.first_divergence or 0].b == 1 + 2 * 10_000


def mutate(events: list[Event], rng: random.Random, edits: int) -> list[Event]:
    """Change some arguments and return values, and drop some whole subtrees."""
    out = list(events)
    calls = [e.seq for e in events if e.kind == "call"]
    for _ in range(edits):
        e = out[rng.choice(calls)]
        out[e.seq] = Event(seq=e.seq, kind=e.kind, fn=e.fn, depth=e.depth, parent=e.parent, ts=e.ts,
                           args={"type": f"edited-{rng.randrange(3)}"})
    closes = [e for e in out if e.kind == "return"]
    for e in closes[: edits]:
        out[e.seq] = Event(seq=e.seq, kind=e.kind, fn=e.fn, depth=e.depth, parent=e.parent, ts=e.ts, call=e.call,
                           ret=f"r{rng.randrange(3)}")
    return _drop_subtree(out, rng.choice(calls)) if edits % 2 else out


def _drop_subtree(events: list[Event], seq: int) -> list[Event]:
    end = next(e.seq for e in events if e.kind in ("return", "error") and e.call == seq)
    kept = events[:seq] + events[end + 1:]
    renumber = {e.seq: i for i, e in enumerate(kept)}
    renumber[-1] = -1
    return [Event(seq=i, kind=e.kind, fn=e.fn, depth=e.depth, parent=renumber[e.parent], ts=e.ts, args=e.args,
                  ret=e.ret, call=None if e.call is None else renumber[e.call], text=e.text)
            for i, e in enumerate(kept)]


@given(st.integers(20, 400), st.integers(0, 10_000))
@settings(max_examples=40, deadline=None)
def test_diff_with_itself_is_empty(n: int, seed: int) -> None:
    t = synthetic_trace(synthetic_events(n, seed=seed))
    d = diff_traces(t, t)
    assert d.equal and d.structural.counts["same"] == len(nodes(t))
    assert d.to_json()["structural"]["differences"] == []


@given(st.integers(30, 400), st.integers(0, 10_000), st.integers(1, 5))
@settings(max_examples=40, deadline=None)
def test_rows_always_cover_both_trees_and_same_rows_really_are_same(n: int, seed: int, edits: int) -> None:
    a_events = synthetic_events(n, seed=seed)
    b_events = mutate(a_events, random.Random(seed), edits)
    a, b = synthetic_trace(a_events), synthetic_trace(b_events)
    d = diff_trees(a, b)
    assert_rows_cover_both_trees(d)
    jsonschema.validate(json.loads(json.dumps(diff_traces(a, b).to_json())), DIFF_SCHEMA)
    for i, row in enumerate(d.rows):
        if row.a is not None and row.b is not None:
            ea, eb = a.events[row.a], b.events[row.b]
            assert ea.fn == eb.fn and ea.kind == eb.kind and ea.depth == eb.depth
            assert (d.changes(i) == []) == (row.status == "same")
            if ea.parent != -1:  # matched nodes hang under matched parents
                assert d.rows[d.row_of_a(ea.parent) or 0].b == eb.parent


def test_first_divergence_of_the_json_matches_the_rows() -> None:
    a = trace_of(call("main", call("a"), call("b", ret=1)))
    b = trace_of(call("main", call("a"), call("b", ret=2)))
    doc = diff_traces(a, b, "a.json", "b.json").to_json()
    first = doc["structural"]["first_divergence"]
    assert first == {"row": 2, "status": "changed", "a": 3, "b": 3, "depth": 1, "path": ["main", "b"],
                     "a_label": "b() -> 1", "b_label": "b() -> 2",
                     "changes": [{"field": "return", "a": 1, "b": 2}]}


def test_first_divergence_passes_over_the_command_line_of_main() -> None:
    a = trace_of(call("main", call("x"), call("lookup_opt", ret="cpu max"), argv=["-cpu", "max"]))
    b = trace_of(call("main", call("x"), call("lookup_opt", ret="cpu EPYC"), argv=["-cpu", "EPYC"]))
    d = diff_trees(a, b)
    assert d.rows[0].status == "changed" and d.differences() == [0, 2]
    assert d.first_divergence == 2
    only_main = diff_trees(trace_of(call("main", argv=["a"])), trace_of(call("main", argv=["b"])))
    assert only_main.first_divergence == 0


def test_tree_index_hashes_equal_subtrees_equally_and_tells_kinds_apart() -> None:
    from tracer.diff.tree_index import Interner, TreeIndex

    keys, fns = Interner(), Interner()
    a = TreeIndex(trace_of(call("main", call("f", call("g", ret=1), type="t"), point("f", text="boom"))), keys, fns)
    b = TreeIndex(trace_of(call("main", point("x"), call("f", call("g", ret=1), type="t"),
                                call("f", error="boom"))), keys, fns)
    assert a.sub[1] == b.sub[2] and a.size[1] == b.size[2] == 2 and a.subtree(1) == [1, 2]
    assert b.subtree(2) == [2, 3]
    assert a.key[1] == b.key[2] and a.fn_id[1] == b.fn_id[2]
    # a point `f: boom` and a call of f that raised "boom" are different nodes
    assert a.own[5] != b.own[6] and a.key[5] != b.key[6] and a.fn_id[5] == b.fn_id[6]
    assert a.sub[0] != b.sub[0] and a.roots == [0] and a.children[0] == [1, 5]


def test_a_repeated_call_pairs_with_its_exact_twin() -> None:
    a = trace_of(call("main", call("type_initialize", call("g"), type="t"), call("type_initialize", call("h"),
                                                                                  type="t")))
    b = trace_of(call("main", call("type_initialize", call("h"), type="t")))
    d = diff_trees(a, b)
    # key alignment alone would pair the first type_initialize(t) and report g/h as changed
    assert statuses(d) == [(0, 0, "same"), (1, None, "only_a"), (2, None, "only_a"), (5, 1, "same"),
                           (6, 2, "same")]


@given(st.integers(30, 600), st.integers(0, 10_000), st.randoms(use_true_random=False))
@settings(max_examples=60, deadline=None)
def test_a_removed_subtree_is_exactly_what_is_only_in_a(n: int, seed: int, rng: random.Random) -> None:
    a_events = synthetic_events(n, seed=seed)
    calls = [e.seq for e in a_events if e.kind == "call"]
    victim = rng.choice(calls)
    end = next(e.seq for e in a_events if e.call == victim)
    removed = sum(1 for e in a_events[victim:end + 1] if e.kind in ("call", "point"))
    a, b = synthetic_trace(a_events), synthetic_trace(_drop_subtree(a_events, victim))
    d = diff_trees(a, b)
    assert d.counts == {"same": len(nodes(b)), "changed": 0, "only_a": removed, "only_b": 0}
    reverse = diff_trees(b, a)
    assert reverse.counts == {"same": len(nodes(b)), "changed": 0, "only_a": 0, "only_b": removed}
