"""The composition tree panel: ``/machine`` as it stands at the cursor's step.

Shown in place of the type graph (``m`` switches). The tree is rebuilt from the trace's
composition events (:class:`tracer.machine.at_step.QomIndex`), so it grows as you step forward
through board init and shrinks as you step back. Devices, buses and containers are listed with
their QOM types; the memory regions and irqs a device owns are summed up on its line, and what
the current event added is highlighted.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from tracer.labels import clean
from tracer.machine.at_step import QomIndex
from tracer.machine.qomtree import QomNode
from tracer.replay import Replay
from tracer.trace import Trace

_OWNED = frozenset({"memory-region", "irq"})


def machine_lines(node: QomNode | None, highlight: frozenset[str] = frozenset()) -> list[Text]:
    """One line per composition node (depth-indented, sorted as the monitor sorts)."""
    if node is None:
        return [Text("no machine yet: /machine is created by qemu_create_machine", style="dim")]
    lines: list[Text] = []

    def walk(n: QomNode, path: str, depth: int) -> None:
        owned = sum(1 for c in n.children if c.type in _OWNED)
        line = Text("  " * depth + "/" + clean(n.name), style="bold green" if path in highlight else "")
        line.append(f" ({clean(n.type)})", style="cyan")
        if owned:
            line.append(f"  +{owned} regions/irqs", style="dim")
        lines.append(line)
        for child in n.sorted_children():
            if child.type not in _OWNED:
                walk(child, f"{path}/{child.name}", depth + 1)

    walk(node, "/" + node.name, 0)
    return lines


class MachinePanel(Static):
    """The composition tree at the cursor; it owns the index of the trace's composition events."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index: QomIndex | None = None
        self._trace: Trace | None = None

    def attach(self, replay: Replay) -> None:
        """Take the trace; its index is built the first time the panel is shown (``m``), since
        building it reads every event and the first paint must not grow with the trace."""
        self._trace = replay.trace
        self.index = None

    def show(self, replay: Replay) -> None:
        if self.parent is None or not self.parent.display:
            return
        if self.index is None:
            if self._trace is None:
                return
            self.index = QomIndex(self._trace)
        seq = replay.pos
        box = self.parent
        if isinstance(box, Widget):
            box.border_title = f"Machine at step {seq}"
        added = frozenset(p.removesuffix("[*]") for p in self.index.added_at(seq))
        self.update(Text("\n").join(machine_lines(self.index.tree_at(seq), added)))
