"""``vmtrace show --flat``: matching calls in order with event number, type, hook and caller;
hook kinds as the recorder marks them; glob breakpoints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tracer.calltree import CallTree
from tracer.fileio import save_trace
from tracer.flat import flat_rows, format_rows
from tracer.record import record_trace
from tracer.recorder import Recorder, run_hook, traced
from tracer.replay import Breakpoint, Replay
from tracer.synthetic import synthetic_events, synthetic_trace
from tracer.trace import Trace

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def q35(tmp_path_factory: pytest.TempPathFactory) -> tuple[Trace, Path]:
    """A fresh recording (the golden traces may predate hook kinds)."""
    trace = record_trace(["-machine", "q35", "-cpu", "max"])
    path = tmp_path_factory.mktemp("flat") / "q35.json"
    save_trace(trace, path)
    return trace, path


def vmtrace(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tracer.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, check=False)


def test_run_hook_marks_the_hooks_call_and_nothing_else() -> None:
    @traced("x.c")
    def hook_fn() -> None:
        inner()

    @traced("x.c")
    def inner() -> None:
        pass

    def untraced() -> None:
        inner()

    @traced("x.c")
    def caller() -> None:
        run_hook("class_init", hook_fn)
        run_hook("instance_init", untraced)

    with Recorder() as rec:
        caller()
    events = rec.events()
    marked = {(e.fn, e.hook) for e in events if e.kind == "call"}
    assert marked == {("caller", None), ("hook_fn", "class_init"), ("inner", None)}


def test_q35_class_inits_in_order_with_their_caller(q35: tuple[Trace, Path]) -> None:
    trace, _ = q35
    rows = flat_rows(CallTree(trace), "*class_init")
    assert [r.seq for r in rows] == sorted(r.seq for r in rows)
    names = [r.fn for r in rows]
    # QOM initialises parents first: object, then device ... and the machine's chain in order.
    assert names[0] == "object_class_init"
    machine_chain = [r.type_name for r in rows if r.fn in (
        "machine_class_init", "x86_machine_class_init", "pc_machine_class_init")]
    assert machine_chain == ["machine", "x86-machine", "generic-pc-machine"]
    assert all(r.hook == "class_init" for r in rows)
    assert all(r.caller.startswith("type_initialize(") for r in rows)
    assert all(r.caller == f"type_initialize({r.type_name})" for r in rows)


def test_instance_hooks_of_the_cpu_root_first_then_post_init_leaf_first(q35: tuple[Trace, Path]) -> None:
    trace, _ = q35
    rows = flat_rows(CallTree(trace), "max-x86_64-cpu", {"instance_init", "instance_post_init"})
    assert [(r.fn, r.hook) for r in rows] == [
        ("device_initfn", "instance_init"), ("cpu_common_initfn", "instance_init"),
        ("x86_cpu_initfn", "instance_init"), ("max_x86_cpu_initfn", "instance_init"),
        ("x86_cpu_post_initfn", "instance_post_init"), ("device_post_init", "instance_post_init"),
    ]
    assert rows[0].caller == "object_init_with_type(device)"


def test_format_rows_aligns_columns() -> None:
    trace = synthetic_trace(synthetic_events(200, seed=3))
    lines = format_rows(flat_rows(CallTree(trace), "type_initialize"))
    assert lines
    starts = {line.index("<- ") for line in lines}
    assert len(starts) == 1, "the caller column lines up"


def test_cli_flat_match_and_hook(q35: tuple[Trace, Path]) -> None:
    _, path = q35
    done = vmtrace("show", str(path), "--flat", "--hook", "instance_init", "--match", "max-x86_64-cpu")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].split()[1:4] == ["device_initfn", "[instance_init]", "max-x86_64-cpu"]
    assert lines[-1].endswith("<- object_init_with_type(max-x86_64-cpu)")


def test_cli_flat_no_match_exits_1_and_says_so(q35: tuple[Trace, Path]) -> None:
    _, path = q35
    done = vmtrace("show", str(path), "--flat", "--match", "no_such_function_anywhere")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "vmtrace: show: no event matches\n"


def test_cli_hook_on_a_trace_without_hook_kinds_says_why(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    save_trace(synthetic_trace(synthetic_events(50)), path)
    done = vmtrace("show", str(path), "--hook", "class_init")
    assert done.returncode == 1
    assert "records no QOM hook kinds" in done.stderr


def test_cli_unknown_hook_kind_is_a_usage_error() -> None:
    done = vmtrace("show", "traces/pc.json", "--hook", "class_int")
    assert done.returncode == 2
    assert "unknown hook kind class_int (choose from class_base_init, class_init" in done.stderr


def test_glob_breakpoints_take_search_globs(q35: tuple[Trace, Path]) -> None:
    trace, _ = q35
    replay = Replay(trace)
    bp = replay.breakpoint_for("*class_init")
    assert bp == Breakpoint("*class_init", "glob") and str(bp) == "*class_init"
    replay.toggle_breakpoint(bp)
    hits = []
    while (nxt := replay.continue_()) is not None:
        hits.append(nxt)
        replay.go(nxt)
    expected = [r.seq for r in flat_rows(CallTree(trace), "*class_init")]
    assert hits == expected
    # A glob also matches type arguments, case-insensitively, as search does.
    assert Breakpoint("*-X86_64-CPU", "glob").hit(trace.events[expected[0]]) is False
    cpu_event = next(e for e in trace.events if e.fn == "x86_cpu_initfn")
    assert Breakpoint("MAX-*", "glob").hit(cpu_event)
