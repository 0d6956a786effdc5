"""Diffs that show only real differences: point events compare by their data, not their text."""

from __future__ import annotations

from pathlib import Path

from test_diff_fixtures import Node, call, point, trace_of

from tracer.diff.structural import diff_trees
from tracer.fileio import load_trace

ROOT = Path(__file__).parent.parent


def feature(name: str, value: bool, reason: str, model: str) -> Node:
    return point("x86_feature", f"{name} {'on' if value else 'off'}: {reason} ({model} definition)",
                 feature=name, value=value, reason=reason, detail=f"{model} definition")


def test_a_feature_on_for_the_same_reason_is_the_same_whatever_the_wording() -> None:
    a = trace_of(call("x86_cpu_load_model", feature("apic", True, "model", "Skylake-Client")))
    b = trace_of(call("x86_cpu_load_model", feature("apic", True, "model", "EPYC")))
    diff = diff_trees(a, b)
    assert [r.status for r in diff.rows] == ["same", "same"]


def test_a_feature_whose_value_or_reason_differs_is_changed() -> None:
    a = trace_of(call("f", feature("apic", True, "model", "A"), feature("avx", True, "model", "A")))
    b = trace_of(call("f", feature("apic", False, "model", "B"), feature("avx", True, "plus", "B")))
    diff = diff_trees(a, b)
    assert [r.status for r in diff.rows] == ["same", "changed", "changed"]
    assert [c.field for c in diff.changes(1)] == ["args.value"]
    assert [c.field for c in diff.changes(2)] == ["args.reason"]


def test_points_about_different_subjects_are_not_paired() -> None:
    a = trace_of(call("f", feature("hle", True, "model", "A")))
    b = trace_of(call("f", feature("fxsr-opt", True, "model", "B")))
    assert [r.status for r in diff_trees(a, b).rows] == ["same", "only_a", "only_b"]


def test_a_point_without_arguments_compares_by_its_text() -> None:
    a = trace_of(call("f", point("warn_report", "TCG doesn't support pcid")))
    b = trace_of(call("f", point("warn_report", "TCG doesn't support avx512f")))
    diff = diff_trees(a, b)
    assert [r.status for r in diff.rows] == ["same", "changed"]
    assert [c.field for c in diff.changes(1)] == ["text"]


def test_skylake_versus_epyc_changes_only_what_differs() -> None:
    a = load_trace(ROOT / "traces" / "skylake-avx512f.json")
    b = load_trace(ROOT / "traces" / "epyc.json")
    diff = diff_trees(a, b)
    changed_points = [r for r in diff.rows if r.status == "changed" and a.events[r.a or 0].kind == "point"]
    # A point may change only where its data does (the CPU object added to the composition tree
    # has each run's type); none differs by its wording alone.
    for r in changed_points:
        assert a.events[r.a or 0].args != b.events[r.b or 0].args, "a point differs by wording alone"
    # Every changed row is a call whose arguments or result differ (mostly naming the CPU model).
    for index, r in enumerate(diff.rows):
        if r.status == "changed":
            assert diff.changes(index), f"row {index} is changed with nothing to show"
    # 91 rows changed when points compared by their text; 41 remain with the whole board (calls and
    # composition points naming each run's CPU type).
    assert diff.counts["changed"] <= 45


def test_event_numbers_in_a_point_are_not_data() -> None:
    a = trace_of(call("type_initialize", point("class_field_set", type="cpu", field="realize", value=None,
                                               by="cpu_class_init", call=12), type="cpu"))
    b = trace_of(call("type_initialize", point("class_field_set", type="cpu", field="realize", value=None,
                                               by="cpu_class_init", call=40), type="cpu"))
    assert [r.status for r in diff_trees(a, b).rows] == ["same", "same"]
