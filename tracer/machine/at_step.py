"""The composition tree as it stood at any event of a trace, rebuilt from the trace alone.

The model records each ``object_property_add_child`` and each unparent as a point event
(``qom_add_child`` / ``qom_del_child``) with the child's full path and type, and a family of
``NAME[N]`` children added at once as one ``qom_add_children`` with a count, so replaying the
events up to step N gives ``info qom-tree`` at that step. ``/machine`` exists from the moment
the machine object is created.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracer.machine.qomtree import QomNode
from tracer.trace import Trace

ADD = "qom_add_child"
ADD_MANY = "qom_add_children"  # path ends in NAME[*]: ``count`` children, each the first free index
DELETE = "qom_del_child"


@dataclass
class _Node:
    type: str
    children: dict[str, _Node] = field(default_factory=dict)

    def view(self, name: str) -> QomNode:
        return QomNode(name, self.type, tuple(child.view(n) for n, child in self.children.items()))


def qom_tree_at(trace: Trace, seq: int | None = None) -> QomNode | None:
    """``/machine`` after event ``seq`` (the end of the trace when None); None before it exists."""
    root = _Node("container")
    for event in trace.events[: None if seq is None else seq + 1]:
        if event.kind != "point" or event.fn not in (ADD, ADD_MANY, DELETE) or event.args is None:
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
