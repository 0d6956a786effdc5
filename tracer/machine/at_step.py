"""The composition tree as it stood at any event of a trace, rebuilt from the trace alone.

The model records each ``object_property_add_child`` and each unparent as a point event
(``qom_add_child`` / ``qom_del_child``) with the child's full path and type, and a family of
``NAME[N]`` children added at once as one ``qom_add_children`` with a count, so replaying the
events up to step N gives ``info qom-tree`` at that step. ``/machine`` exists from the moment
the machine object is created.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from tracer.machine.qomtree import QomNode
from tracer.trace import Event, Trace

ADD = "qom_add_child"
ADD_MANY = "qom_add_children"  # path ends in NAME[*]: ``count`` children, each the first free index
DELETE = "qom_del_child"


@dataclass
class _Node:
    type: str
    children: dict[str, _Node] = field(default_factory=dict)

    def view(self, name: str) -> QomNode:
        return QomNode(name, self.type, tuple(child.view(n) for n, child in self.children.items()))


class QomIndex:
    """The composition events of a trace, kept apart so the tree at any step is rebuilt from
    those few hundred events rather than by scanning the whole trace (the TUI does it per step)."""

    def __init__(self, trace: Trace) -> None:
        self.events = [e for e in trace.events if e.kind == "point" and e.fn in (ADD, ADD_MANY, DELETE)]
        self.seqs = [e.seq for e in self.events]

    def tree_at(self, seq: int | None = None) -> QomNode | None:
        """``/machine`` after event ``seq`` (the end when None); None before the machine exists."""
        end = len(self.events) if seq is None else bisect.bisect_right(self.seqs, seq)
        return _replay(self.events[:end])

    def added_at(self, seq: int) -> list[str]:
        """The paths an event added (the cursor's own event), for highlighting."""
        i = bisect.bisect_left(self.seqs, seq)
        args = self.events[i].args if i < len(self.seqs) and self.seqs[i] == seq else None
        return [str(args.get("path", ""))] if args is not None else []


def qom_tree_at(trace: Trace, seq: int | None = None) -> QomNode | None:
    """``/machine`` after event ``seq`` (the end of the trace when None); None before it exists."""
    return QomIndex(trace).tree_at(seq)


def _replay(events: Sequence[Event]) -> QomNode | None:
    root = _Node("container")
    for event in events:
        if event.args is None:
            continue
        parts = [p for p in str(event.args.get("path", "")).split("/") if p]
        if not parts:
            continue
        parent: _Node | None = root
        for part in parts[:-1]:
            parent = parent.children.get(part) if parent is not None else None
        if parent is None:
            continue
        if event.fn == ADD:
            parent.children[parts[-1]] = _Node(str(event.args.get("type", "")))
        elif event.fn == ADD_MANY and parts[-1].endswith("[*]"):
            base, index = parts[-1][:-3], 0
            for _ in range(int(event.args.get("count", 0))):
                while f"{base}[{index}]" in parent.children:
                    index += 1
                parent.children[f"{base}[{index}]"] = _Node(str(event.args.get("type", "")))
        else:
            parent.children.pop(parts[-1], None)
    machine = root.children.get("machine")
    return machine.view("machine") if machine is not None else None
