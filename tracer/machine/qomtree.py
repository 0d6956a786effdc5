"""``info qom-tree``: the QOM composition tree below ``/machine``.

QEMU prints one line per object, ``/NAME (TYPE)``, indented two spaces per level, and lists each
object's children sorted by name with ``strcmp`` (so ``device[10]`` comes before ``device[1]``,
because ``0`` sorts before ``]``). The renderer applies that sort itself: a tree built in
creation order prints exactly as the monitor would.
"""

from __future__ import annotations

from dataclasses import dataclass

# HMP output reaches QMP's human-monitor-command with the terminal's line ends.
MONITOR_EOL = "\r\n"


class ViewParseError(ValueError):
    """The text is not what the monitor prints for this view."""


@dataclass(frozen=True)
class QomNode:
    """An object in the composition tree: its name in its parent, its QOM type, its children."""

    name: str
    type: str
    children: tuple[QomNode, ...] = ()

    def sorted_children(self) -> list[QomNode]:
        # strcmp order: compare the UTF-8 bytes, as C does.
        return sorted(self.children, key=lambda c: c.name.encode())

    def find(self, path: str) -> QomNode | None:
        """The node at ``/machine/...``-style ``path`` (relative to this node's parent)."""
        parts = [p for p in path.split("/") if p]
        if not parts or parts[0] != self.name:
            return None
        node: QomNode | None = self
        for part in parts[1:]:
            node = next((c for c in node.children if c.name == part), None) if node else None
        return node

    def walk(self) -> list[tuple[int, QomNode]]:
        """Every node with its depth, in the monitor's order."""
        out: list[tuple[int, QomNode]] = []
        stack: list[tuple[int, QomNode]] = [(0, self)]
        while stack:
            depth, node = stack.pop()
            out.append((depth, node))
            stack.extend((depth + 1, child) for child in reversed(node.sorted_children()))
        return out


def _split_line(line: str, number: int) -> tuple[int, str, str]:
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    if indent % 2 or not stripped.startswith("/") or not stripped.endswith(")") or " (" not in stripped:
        raise ViewParseError(f"qom-tree line {number}: not '/NAME (TYPE)': {line!r}")
    name, _, type_ = stripped[1:-1].rpartition(" (")
    return indent // 2, name, type_


def parse_qom_tree(text: str) -> QomNode:
    """The tree printed by ``info qom-tree`` (lines end with ``\\r\\n`` or ``\\n``)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise ViewParseError("qom-tree: empty")
    # Build bottom-up: each level's list of (name, type, children) collects until it closes.
    stack: list[tuple[str, str, list[QomNode]]] = []
    root: QomNode | None = None

    def close_to(depth: int) -> None:
        """Close the open levels deeper than ``depth``, each into its parent (or the root)."""
        nonlocal root
        while len(stack) > depth:
            done = stack.pop()
            node = QomNode(done[0], done[1], tuple(done[2]))
            if stack:
                stack[-1][2].append(node)
            else:
                root = node

    for number, line in enumerate(lines, 1):
        depth, name, type_ = _split_line(line, number)
        if depth > len(stack) or (depth == 0 and number > 1):
            raise ViewParseError(f"qom-tree line {number}: unexpected indentation")
        close_to(depth)
        stack.append((name, type_, []))
    close_to(0)
    assert root is not None
    return root


def render_qom_tree(root: QomNode, eol: str = MONITOR_EOL) -> str:
    """The tree as ``info qom-tree`` prints it."""
    return "".join(f"{'  ' * depth}/{node.name} ({node.type}){eol}" for depth, node in root.walk())
