"""The rows of the call-tree view: which nodes are shown, in order, given what is expanded.

Pure logic, no Textual. The rows are the seqs of visible nodes in preorder; since preorder is
file order, the list is sorted and finding a node's row is a bisection. Expanding a node
splices in the rows of its (expanded) subtree; collapsing deletes a contiguous slice. Only
expanded nodes ever have their children listed, so a million-event trace costs no more to
open than its top level.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator

from tracer.calltree import NONE, CallTree


class Outline:
    """Visible rows (node seqs) of a call tree with a set of expanded calls."""

    def __init__(
        self,
        tree: CallTree,
        visible: Callable[[int], bool] = lambda seq: True,
        expandable: Callable[[int], bool] | None = None,
    ) -> None:
        self.tree = tree
        self.visible = visible
        self.expandable: Callable[[int], bool] = expandable or tree.has_children
        self.expanded: set[int] = set()
        self.transient: set[int] = set()
        """Calls opened only to show a jump's target (a search match, a breakpoint hit): they
        close again when the next jump lands elsewhere, so a search does not leave every
        subtree it passed through open."""
        self.rows: list[int] = []
        self.rebuild()

    def __len__(self) -> int:
        return len(self.rows)

    def rebuild(self) -> None:
        """Recompute the rows from scratch (after a filter change): only expanded subtrees."""
        self.rows = self._rows_under(None)

    def row_of(self, seq: int) -> int | None:
        """The row showing node ``seq``, or None when it is not shown."""
        i = bisect_left(self.rows, seq)
        return i if i < len(self.rows) and self.rows[i] == seq else None

    def is_expanded(self, seq: int) -> bool:
        return seq in self.expanded

    def expand(self, seq: int) -> None:
        """Show the children of ``seq`` (and the already-expanded parts below them)."""
        self.transient.discard(seq)
        self._expand(seq)

    def _expand(self, seq: int) -> None:
        if seq in self.expanded or not self.expandable(seq):
            return
        self.expanded.add(seq)
        row = self.row_of(seq)
        if row is not None:
            self.rows[row + 1 : row + 1] = self._rows_under(seq)

    def collapse(self, seq: int) -> None:
        """Hide everything below ``seq``; the expanded state of its descendants is kept."""
        self.transient.discard(seq)
        if seq not in self.expanded:
            return
        self.expanded.discard(seq)
        row = self.row_of(seq)
        if row is not None:
            del self.rows[row + 1 : bisect_right(self.rows, self._subtree_last(seq))]

    def toggle(self, seq: int) -> None:
        if seq in self.expanded:
            self.collapse(seq)
        else:
            self.expand(seq)

    def reveal(self, seq: int, transient: bool = False) -> int | None:
        """Expand the ancestors of ``seq`` so it has a row; return that row.

        A ``transient`` reveal (a jump) first closes what earlier jumps opened and ``seq`` does
        not need, and remembers what it opens itself. A plain reveal (a step) keeps what is
        open: the user is now walking there.
        """
        if transient and self.transient:
            needed = set(self.tree.ancestors(seq))
            for node in sorted(self.transient - needed):
                self.collapse(node)
        elif not transient:
            self.transient.clear()
        if self.row_of(seq) is None:
            for ancestor in reversed(self.tree.ancestors(seq)):
                if ancestor not in self.expanded and transient:
                    self.transient.add(ancestor)
                self._expand(ancestor)
        return self.row_of(seq)

    def expand_all(self) -> None:
        """Every visible node gets a row: one pass over the events, no per-node child lists."""
        tree = self.tree
        rows = []
        expanded = set()
        for ev in tree.events:
            if ev.kind == "return" or ev.kind == "error" or not self.visible(ev.seq):
                continue
            rows.append(ev.seq)
            if ev.kind == "call" and self.expandable(ev.seq):
                expanded.add(ev.seq)
        self.rows = rows
        self.expanded = expanded
        self.transient.clear()

    def collapse_all(self) -> None:
        self.expanded.clear()
        self.transient.clear()
        self.rebuild()

    def _subtree_last(self, seq: int) -> int:
        end = self.tree.end(seq)
        return end if end != NONE else len(self.tree.events) - 1

    def _rows_under(self, seq: int | None) -> list[int]:
        """Preorder of visible nodes below ``seq`` (the roots when None), through expanded calls.

        Iterative, with one iterator per open level, so 10,000-deep nesting is fine; the inner
        ``for`` keeps the common case (a long run of collapsed siblings) a tight loop.
        """
        tree = self.tree
        visible = self.visible
        expanded = self.expanded
        rows: list[int] = []
        append = rows.append
        stack: list[Iterator[int]] = [iter(tree.roots() if seq is None else tree.children(seq))]
        while stack:
            for node in stack[-1]:
                if visible(node):
                    append(node)
                    if node in expanded:
                        stack.append(iter(tree.children(node)))
                        break
            else:
                stack.pop()
        return rows
