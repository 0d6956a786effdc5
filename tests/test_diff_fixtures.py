"""Hand-built traces for the diff and export tests: a tree of ``call``/``point`` specs becomes a
well-formed event list (checked by the format's own nesting check), so each test states the
shape it needs in a few readable lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracer.fileio import check_nesting
from tracer.trace import FORMAT_NAME, FORMAT_VERSION, Event, FunctionInfo, Meta, Result, Trace, TypeEntry


@dataclass
class Node:
    fn: str
    kind: str = "call"
    args: dict[str, Any] | None = None
    children: list[Node] = field(default_factory=list)
    ret: Any = None
    error: str | None = None
    text: str | None = None
    unfinished: bool = False


def call(fn: str, *children: Node, ret: Any = None, error: str | None = None, unfinished: bool = False,
         **args: Any) -> Node:
    return Node(fn, "call", args or None, list(children), ret, error, None, unfinished)


def point(fn: str, text: str | None = None, **args: Any) -> Node:
    return Node(fn, "point", args or None, text=text)


def events_of(*roots: Node, ts_step: int = 1000) -> list[Event]:
    """Flatten specs into events (pre-order, each call then its children then its close)."""
    events: list[Event] = []
    pending: dict[int, Node] = {}
    work: list[tuple[Node, int, int] | tuple[None, int, int]] = [(r, 0, -1) for r in reversed(roots)]
    # An explicit stack of (node, depth, parent) to open, and (None, call seq, 0) to close.
    while work:
        node, depth_or_call, parent = work.pop()
        seq = len(events)
        if node is None:
            opened = events[depth_or_call]
            src = pending[depth_or_call]
            kind = "error" if src.error is not None else "return"
            events.append(Event(seq=seq, kind=kind, fn=opened.fn, depth=opened.depth, parent=opened.parent,  # type: ignore[arg-type]
                                ts=seq * ts_step, call=opened.seq, ret=src.ret, text=src.error))
            continue
        depth = depth_or_call
        if node.kind == "point":
            events.append(Event(seq=seq, kind="point", fn=node.fn, depth=depth, parent=parent, ts=seq * ts_step,
                                args=node.args, text=node.text))
            continue
        events.append(Event(seq=seq, kind="call", fn=node.fn, depth=depth, parent=parent, ts=seq * ts_step,
                            args=node.args))
        pending[seq] = node
        if not node.unfinished:
            work.append((None, seq, 0))
        work.extend((child, depth + 1, seq) for child in reversed(node.children))
    problem = check_nesting(events)
    assert problem is None, problem
    return events


DEFAULT_TYPES = [
    TypeEntry("object", abstract=True),
    TypeEntry("device", "object", abstract=True),
    TypeEntry("cpu", "device", abstract=True),
    TypeEntry("x86_64-cpu", "cpu", abstract=True),
    TypeEntry("Skylake-Client-x86_64-cpu", "x86_64-cpu"),
    TypeEntry("EPYC-x86_64-cpu", "x86_64-cpu"),
    TypeEntry("machine", "object", abstract=True),
    TypeEntry("pc-i440fx-7.2-machine", "machine"),
]


def trace_of(*roots: Node, cpu: dict[str, Any] | None = None, machine: str | None = None, exit_status: int = 0,
             stdout: list[str] | None = None, stderr: list[str] | None = None,
             types: list[TypeEntry] | None = None, argv: list[str] | None = None) -> Trace:
    events = events_of(*roots)
    return Trace(
        format=FORMAT_NAME, version=FORMAT_VERSION,
        meta=Meta(argv=argv or ["qemu-system-x86_64", "-machine", "pc"], vmtrace_version="0.1.0",
                  qemu_version="7.2.22", created="2026-01-01T00:00:00Z"),
        types=DEFAULT_TYPES if types is None else types,
        functions={ev.fn: FunctionInfo(src=f"src/{ev.fn}.c", doc="") for ev in events},
        events=events,
        result=Result(exit_status=exit_status, stdout=stdout or [], stderr=stderr or [], machine=machine, cpu=cpu),
    )


def test_builder_makes_the_documented_shape() -> None:
    events = events_of(call("main", call("a", point("p", type="t"), ret=1), call("b", error="boom")))
    assert [(e.seq, e.kind, e.fn, e.depth, e.parent) for e in events] == [
        (0, "call", "main", 0, -1), (1, "call", "a", 1, 0), (2, "point", "p", 2, 1), (3, "return", "a", 1, 0),
        (4, "call", "b", 1, 0), (5, "error", "b", 1, 0), (6, "return", "main", 0, -1),
    ]
    assert events[3].ret == 1 and events[3].call == 1
    assert events[5].text == "boom" and events[5].call == 4


def test_builder_leaves_unfinished_calls_open() -> None:
    events = events_of(call("main", call("a"), call("b", unfinished=True), unfinished=True))
    assert [e.kind for e in events] == ["call", "call", "return", "call"]
