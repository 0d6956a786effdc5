"""The QOM composition tree (``/machine/...``): who owns whom, as ``info qom-tree`` shows it.

``object_property_add_child`` gives an object a parent and a name; a name ending in ``[*]``
takes the first free index (``device[0]``, ``device[1]``...), which is why the children of
``/machine/unattached`` are numbered in the order devices were realized without a parent.
Each addition and removal is a point event carrying the child's path and type (a family of
``NAME[N]`` children a device owns is one event with a count), so a reader can rebuild the
tree as it stood at any step of a trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracer.machine.qomtree import QomNode
from tracer.recorder import point


@dataclass(eq=False)
class QomChild:
    """One object in the composition tree (a device, bus, container, memory region or irq)."""

    name: str
    type: str
    parent: QomChild | None = None
    children: dict[str, QomChild] = field(default_factory=dict)

    @property
    def path(self) -> str:
        if self.parent is None:
            return "/" + self.name if self.name else ""
        return f"{self.parent.path}/{self.name}"

    def add_child(self, name: str, type_: str, quiet: bool = False) -> QomChild:
        """``object_property_add_child``: ``NAME[*]`` takes the first free index."""
        if name.endswith("[*]"):
            base = name[:-3]
            index = 0
            while f"{base}[{index}]" in self.children:
                index += 1
            name = f"{base}[{index}]"
        child = QomChild(name, type_, self)
        self.children[name] = child
        if not quiet:
            point("qom_add_child", child.path, path=child.path, type=type_)
        return child

    def add_owned(self, base: str, type_: str, count: int | None) -> None:
        """Memory regions and irqs a device owns: ``base[0..count-1]``, or one plain ``base``."""
        if count is None:
            self.add_child(base, type_)
            return
        # One event for the family (a device owns up to dozens of regions of one name).
        for _ in range(count):
            self.add_child(base + "[*]", type_, quiet=True)
        path = f"{self.path}/{base}[*]"
        point("qom_add_children", f"{path} x{count}", path=path, type=type_, count=count)

    def unparent(self) -> None:
        """``object_unparent``: drop this object (and what it owns) from the tree."""
        if self.parent is not None:
            point("qom_del_child", self.path, path=self.path)
            del self.parent.children[self.name]
            self.parent = None

    def find(self, path: str) -> QomChild | None:
        node: QomChild | None = self
        for part in [p for p in path.split("/") if p]:
            node = node.children.get(part) if node else None
        return node

    def view(self) -> QomNode:
        """The subtree as the monitor's typed view (children in insertion order; the renderer sorts)."""
        return QomNode(self.name, self.type, tuple(child.view() for child in self.children.values()))
