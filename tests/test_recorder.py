"""The recorder: explicit nesting, errors closing frames, JSON-safe arguments only."""

from __future__ import annotations

import pytest

from tracer.fileio import check_nesting
from tracer.recorder import Recorder, block, point, traced


@traced("demo.c", args=lambda n: {"n": n}, ret=lambda r: r)
def fact(n: int) -> int:
    """Compute n! recursively (a docstring's first paragraph becomes the explanation)."""
    point("step", f"n={n}")
    return 1 if n <= 1 else n * fact(n - 1)


@traced("demo.c")
def boom(obj: object) -> None:
    raise ValueError("bad value")


def test_calls_nest_with_depth_parent_and_matching_returns() -> None:
    with Recorder() as rec:
        assert fact(3) == 6
    events = rec.events()
    assert [(e.kind, e.fn, e.depth, e.parent) for e in events[:4]] == [
        ("call", "fact", 0, -1), ("point", "step", 1, 0), ("call", "fact", 1, 0), ("point", "step", 2, 2)]
    returns = [e for e in events if e.kind == "return"]
    assert [(e.call, e.ret) for e in returns] == [(4, 1), (2, 2), (0, 6)]
    assert check_nesting(events) is None
    assert rec.functions["fact"].src == "demo.c"
    assert rec.functions["fact"].doc.startswith("Compute n! recursively")


def test_an_exception_becomes_an_error_event_and_propagates() -> None:
    with Recorder() as rec, pytest.raises(ValueError):
        boom(object())
    call, err = rec.events()
    assert (call.kind, err.kind, err.text, err.call) == ("call", "error", "bad value", 0)
    assert call.args is None  # no args function: nothing of the object is recorded, never a repr


def test_a_block_is_a_frame_marked_as_not_a_function() -> None:
    with Recorder() as rec, block("qemu_init: first pass", "vl.c", option="-cpu"):
        point("inside")
    kinds = [(e.kind, e.fn) for e in rec.events()]
    assert kinds == [("call", "qemu_init: first pass"), ("point", "inside"), ("return", "qemu_init: first pass")]
    assert rec.functions["qemu_init: first pass"].block
    assert rec.events()[0].args == {"option": "-cpu"}


def test_a_function_is_not_a_block() -> None:
    with Recorder() as rec:
        fact(1)
    assert not rec.functions["fact"].block


def test_only_one_recorder_at_a_time() -> None:
    with Recorder(), pytest.raises(RuntimeError), Recorder():
        pass


def test_point_without_recorder_is_a_no_op() -> None:
    point("nothing", "recorded")
    assert fact(2) == 2
