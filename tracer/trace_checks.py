"""What loading checks beyond field types: a trace may come from anyone.

msgspec's typed decoder checks every field's type (and the integer ranges declared in
:mod:`tracer.trace`); the checks here are the ones a type cannot say, each a single pass with
explicit stacks (no recursion, so no shape of a hostile file can exhaust Python's stack):

- the events describe a well formed nesting (``seq``, ``parent``, ``depth``, ``call``);
- argument and return values are JSON of bounded depth whose integers fit in 64 bits (every
  view and exporter can then render and re-encode them);
- the type table names each type once and has no parent cycle (the type graph is a forest,
  so walking ancestry or a subtree always ends);
- ``result.cpu`` has the shapes of QMP ``qom-get``: scalars, lists of scalars, and feature
  words with 32-bit leaves and masks.

Each check returns the first problem as one line, or None.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from tracer.machine.mtree import parse_mtree
from tracer.machine.qomtree import ViewParseError, parse_qom_tree
from tracer.machine.qtree import parse_qtree
from tracer.trace import Event, MachineViews, Result, Trace, TypeEntry

MAX_VALUE_DEPTH = 32
"""Nesting allowed inside one argument or return value (QEMU's are at most 3 deep)."""
INT_MIN = -(2**63)
INT_MAX = 2**64 - 1
FEATURE_WORD_PROPERTIES = frozenset({"feature-words", "filtered-features"})

U32 = Annotated[int, msgspec.Meta(ge=0, le=2**32 - 1)]
U16 = Annotated[int, msgspec.Meta(ge=0, le=2**16 - 1)]
U8 = Annotated[int, msgspec.Meta(ge=0, le=255)]
MAX_VIEW_DEPTH = 64
"""Indentation levels allowed in the recorded monitor views (QEMU's machines nest about 10)."""


class PciId(msgspec.Struct):
    vendor: U16
    device: U16


class PciDevice(msgspec.Struct):
    """What the views and the machine diff read of a ``query-pci`` device (other fields pass)."""

    bus: U8
    slot: U8
    function: U8
    id: PciId
    qdev_id: str


class PciBus(msgspec.Struct):
    bus: U8
    devices: list[PciDevice]


class FeatureWord(msgspec.Struct, forbid_unknown_fields=True, rename="kebab"):
    """One CPUID feature word as QMP's ``X86CPUFeatureWordInfo``."""

    cpuid_input_eax: U32
    cpuid_register: Literal["EAX", "EBX", "ECX", "EDX"]
    features: U32
    cpuid_input_ecx: U32 | None = None


def check_trace(trace: Trace) -> str | None:
    """The first problem :mod:`msgspec` could not see, or None."""
    return (check_nesting(trace.events) or check_values(trace.events) or check_types(trace.types)
            or check_result(trace.result))


def check_nesting(events: list[Event]) -> str | None:
    """Return the first inconsistency in the event nesting, or None when it is well formed.

    One forward pass with an explicit stack of open calls.
    """
    open_calls: list[int] = []
    for i, ev in enumerate(events):
        if ev.seq != i:
            return f"event {i}: seq is {ev.seq}, expected {i}"
        expected_parent = open_calls[-1] if open_calls else -1
        kind = ev.kind
        if kind == "return" or kind == "error":
            if not open_calls or ev.call != open_calls[-1]:
                return f"event {i}: {kind} closes call {ev.call}, but the open call is {expected_parent}"
            open_calls.pop()
            expected_parent = open_calls[-1] if open_calls else -1
            if events[ev.call].fn != ev.fn:
                return f"event {i}: {kind} of {ev.fn!r} closes a call of {events[ev.call].fn!r}"
        if ev.parent != expected_parent:
            return f"event {i}: parent is {ev.parent}, expected {expected_parent}"
        if ev.depth != len(open_calls):
            return f"event {i}: depth is {ev.depth}, expected {len(open_calls)}"
        if kind == "call":
            open_calls.append(i)
    return None


def check_values(events: list[Event]) -> str | None:
    """Arguments and return values: bounded depth, 64-bit integers. Scalars (nearly every
    value) cost one type test each."""
    for ev in events:
        args = ev.args
        if args:
            for key, value in args.items():
                kind = type(value)
                if kind not in _FLAT and not (kind is int and INT_MIN <= value <= INT_MAX):
                    problem = value_problem(value)
                    if problem:
                        return f"event {ev.seq}: argument {key!r}: {problem}"
        ret = ev.ret
        if type(ret) not in _FLAT:
            problem = value_problem(ret)
            if problem:
                return f"event {ev.seq}: return value: {problem}"
    return None


_FLAT = frozenset({str, bool, float, type(None)})


def value_problem(value: Any) -> str | None:
    """Why a decoded JSON value is unusable (too deep, an integer beyond 64 bits), or None."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        if kind is int:
            if not INT_MIN <= item <= INT_MAX:
                return "integer out of range (more than 64 bits)"
        elif kind is dict or kind is list:
            if depth >= MAX_VALUE_DEPTH:
                return f"nested more than {MAX_VALUE_DEPTH} levels deep"
            children = item.values() if kind is dict else item
            stack.extend((child, depth + 1) for child in children if type(child) not in _FLAT)
    return None


def check_types(types: list[TypeEntry]) -> str | None:
    """Each type listed once, and following parents from any type ends (no cycle)."""
    parents: dict[str, str | None] = {}
    for entry in types:
        if entry.name in parents:
            return f"type {entry.name!r} is listed twice in the type table"
        parents[entry.name] = entry.parent
    done: set[str] = set()
    for name in parents:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = name
        while node is not None and node not in done:
            if node in on_path:
                cycle = [*path[path.index(node):], node]
                shown = " -> ".join(repr(n[:60]) for n in cycle[:6]) + (" -> ..." if len(cycle) > 6 else "")
                return f"the type table has a parent cycle: {shown}"
            path.append(node)
            on_path.add(node)
            node = parents.get(node)
        done.update(path)
    return None


def check_machine_views(views: MachineViews) -> str | None:
    """The monitor views parse as QEMU's text, nest boundedly, and ``pci`` has QMP's shape."""
    problem = value_problem(views.pci)
    if problem:
        return f"pci: {problem}"
    try:
        msgspec.convert(views.pci, list[PciBus])
    except msgspec.ValidationError as exc:
        return f"pci: not query-pci's shape ({exc})"
    for name, text in (("qom_tree", views.qom_tree), ("qtree", views.qtree)):
        indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
        if indent > 2 * MAX_VIEW_DEPTH:
            return f"{name}: nested more than {MAX_VIEW_DEPTH} levels deep"
    try:
        parse_qom_tree(views.qom_tree)
        parse_qtree(views.qtree)
        if views.mtree is not None:
            parse_mtree(views.mtree)
    except (ViewParseError, RecursionError) as exc:
        return f"not QEMU's monitor text ({exc})"
    return None


def check_result(result: Result) -> str | None:
    """``result.cpu`` as ``qom-get`` gives it: scalars, lists of scalars, feature words."""
    if not INT_MIN <= result.exit_status <= INT_MAX:
        return "result: exit_status out of range"
    if result.machine_views is not None:
        problem = check_machine_views(result.machine_views)
        if problem:
            return f"result.machine_views: {problem}"
    for name, value in (result.cpu or {}).items():
        where = f"result.cpu[{name!r}]"
        if name in FEATURE_WORD_PROPERTIES:
            try:
                msgspec.convert(value, list[FeatureWord])
            except msgspec.ValidationError as exc:
                return f"{where}: not a list of CPUID feature words ({exc})"
        elif isinstance(value, list):
            if any(isinstance(item, (list, dict)) for item in value):
                return f"{where}: a list property holds a nested value"
            problem = value_problem(value)
            if problem:
                return f"{where}: {problem}"
        elif isinstance(value, dict):
            return f"{where}: an object where a property value is expected"
        elif type(value) is int and not INT_MIN <= value <= INT_MAX:
            return f"{where}: integer out of range (more than 64 bits)"
    return None
