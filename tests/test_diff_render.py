"""The diff's rendering (tracer.render.diff_text) and the purity of the diff and export core."""

from __future__ import annotations

import io
import subprocess
import sys

from rich.console import Console
from test_diff_fixtures import Node, call, point, trace_of

from tracer.diff import diff_traces, diff_trees
from tracer.render.diff_text import hunk_ranges, render_diff, row_lines


def render(a_spec: Node, b_spec: Node, context: int = 3) -> str:
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    diff = diff_traces(trace_of(a_spec), trace_of(b_spec), "a.json", "b.json")
    render_diff(console, diff, context=context)
    return console.export_text()


def test_core_modules_import_neither_rich_nor_textual() -> None:
    code = ("import sys, tracer.diff, tracer.diff.semantic, tracer.export, tracer.export.chrome, "
            "tracer.export.speedscope, tracer.export.graphs; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'textual')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_hunks_take_context_and_merge_when_close() -> None:
    a = trace_of(call("main", *(call(f"f{i}", ret=0) for i in range(20))))
    b = trace_of(call("main", *(call(f"f{i}", ret=1 if i in (3, 5, 15) else 0) for i in range(20))))
    d = diff_trees(a, b)
    assert d.hunks() == [(4, 5), (6, 7), (16, 17)]
    assert hunk_ranges(d, 1) == [(3, 8), (15, 18)]
    assert hunk_ranges(d, 0) == [(4, 5), (6, 7), (16, 17)]
    assert hunk_ranges(d, 100) == [(0, 21)]


def test_row_lines_mark_each_status() -> None:
    a = trace_of(call("main", call("same"), call("changed", ret=1), call("gone")))
    b = trace_of(call("main", call("same"), call("changed", ret=2), point("new", text="hi")))
    d = diff_trees(a, b)
    tree_a, tree_b = d.call_trees()
    text = [[line.plain for line in row_lines(d, i, tree_a, tree_b)] for i in range(len(d.rows))]
    assert text[1] == ["        1       1    same()"]
    assert text[2] == ["-       3       3    changed() -> 1", "+       3       3    changed() -> 2"]
    assert text[3] == ["-       5            gone()"]
    assert text[4] == ["+               5    • new: hi"]


def test_render_of_an_empty_trace_against_a_full_one() -> None:
    out = render(call("main"), call("main", call("x")))
    assert "1 same  0 changed  0 only in A  1 only in B" in out
    a = trace_of()
    d = diff_traces(a, trace_of(call("main")))
    assert d.structural.counts["only_b"] == 1 and not d.equal
    assert diff_traces(a, a).equal


def test_context_zero_prints_only_the_changes() -> None:
    out = render(call("main", call("a"), call("b", ret=1), call("c")), call("main", call("a"), call("b", ret=2),
                                                                               call("c")), context=0)
    body = out.split("@@", 2)[2].splitlines()[1:]
    assert [line.split()[0] for line in body if line.strip()] == ["-", "+"]


def test_on_a_terminal_removed_lines_are_red_and_added_lines_green() -> None:
    console = Console(width=200, file=io.StringIO(), force_terminal=True, color_system="standard")
    a = trace_of(call("main", call("gone"), call("f", ret=1)))
    b = trace_of(call("main", call("f", ret=2), call("new")))
    render_diff(console, diff_traces(a, b))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    red, green = "\x1b[31m", "\x1b[32m"
    assert f"{red}- " in out and f"{green}+ " in out
    assert any(red in line and "gone()" in line for line in out.splitlines())
    assert any(green in line and "new()" in line for line in out.splitlines())


def test_long_one_sided_runs_fold_unless_asked() -> None:
    a = trace_of(call("main"))
    b = trace_of(call("main", call("extra", *(point("type_register", type=f"t{i}") for i in range(30)))))
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    render_diff(console, diff_traces(a, b), fold=5)
    folded = console.export_text()
    assert "+ … 26 more rows only in B (--fold 0 shows them)" in folded
    assert "t3" in folded and "t4" not in folded
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    render_diff(console, diff_traces(a, b), fold=0)
    assert "t29" in console.export_text() and "more rows" not in console.export_text()


def test_the_same_initialisers_on_another_type_read_as_one_line() -> None:
    def run(cpu_type: str) -> Node:
        return call("main", call("x86_cpu_initfn", type=cpu_type), call("x86_cpu_post_initfn", type=cpu_type))

    out = render(run("host-x86_64-cpu"), run("max-x86_64-cpu"))
    assert ("instance init  the same 2 ran, on host-x86_64-cpu → max-x86_64-cpu: x86_cpu_initfn, "
            "x86_cpu_post_initfn") in out
    mixed = render(run("host-x86_64-cpu"), call("main", call("x86_cpu_initfn", type="max-x86_64-cpu")))
    assert "instance init  - x86_cpu_post_initfn(host-x86_64-cpu)" in mixed


def test_a_different_model_version_is_noted_in_the_header() -> None:
    a = trace_of(call("main"))
    b = a.__class__(**{**{f: getattr(a, f) for f in a.__struct_fields__},
                       "meta": a.meta.__class__(**{**{f: getattr(a.meta, f) for f in a.meta.__struct_fields__},
                                                  "qemu_version": "7.2.0", "host_profile": "epyc-host"})})
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    render_diff(console, diff_traces(a, b))
    out = console.export_text()
    assert "note: the QEMU model version differs: 7.2.22 → 7.2.0" in out
    assert "note: the host profile differs: None → epyc-host" in out
