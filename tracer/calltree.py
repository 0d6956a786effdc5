"""The call-tree index every view shares: built in one forward pass, no recursion.

Nodes are ``call`` and ``point`` events (a ``return`` or ``error`` closes its call and is found
through :meth:`CallTree.end`). Children are kept as first-child/next-sibling arrays rather than
lists per node, so a million-event trace costs a few flat integer lists and a view can
materialise the children of one node only when it is expanded.
"""

from __future__ import annotations

from collections.abc import Iterator

from tracer.trace import Event, Trace

NONE = -1


class CallTree:
    """Parent, child, sibling and call/return links over ``trace.events``."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        events = trace.events
        n = len(events)
        self.events: list[Event] = events
        self._end = [NONE] * n
        self._first_child = [NONE] * n
        self._next_sibling = [NONE] * n
        last_child: dict[int, int] = {}
        first_root = NONE
        for ev in events:
            if ev.kind == "return" or ev.kind == "error":
                if ev.call is not None:
                    self._end[ev.call] = ev.seq
                continue
            parent = ev.parent
            prev = last_child.get(parent, NONE)
            if prev == NONE:
                if parent == NONE:
                    first_root = ev.seq
                else:
                    self._first_child[parent] = ev.seq
            else:
                self._next_sibling[prev] = ev.seq
            last_child[parent] = ev.seq
        self._first_root = first_root

    def __len__(self) -> int:
        return len(self.events)

    def roots(self) -> list[int]:
        """Top-level nodes (normally just ``main``)."""
        return list(self._siblings_from(self._first_root))

    def children(self, seq: int) -> list[int]:
        """The calls and points directly inside call ``seq``, in order."""
        return list(self._siblings_from(self._first_child[seq]))

    def has_children(self, seq: int) -> bool:
        return self._first_child[seq] != NONE

    def _siblings_from(self, seq: int) -> Iterator[int]:
        nxt = self._next_sibling
        while seq != NONE:
            yield seq
            seq = nxt[seq]

    def end(self, seq: int) -> int:
        """The ``return``/``error`` event closing call ``seq``, or -1 (a point, or still open)."""
        return self._end[seq]

    def closing(self, seq: int) -> Event | None:
        end = self._end[seq]
        return self.events[end] if end != NONE else None

    def node_of(self, seq: int) -> int:
        """The tree node showing event ``seq``: a return or error maps to its call."""
        ev = self.events[seq]
        if (ev.kind == "return" or ev.kind == "error") and ev.call is not None:
            return ev.call
        return seq

    def ancestors(self, seq: int) -> list[int]:
        """Enclosing calls of ``seq``, innermost first."""
        out = []
        parent = self.events[seq].parent
        while parent != NONE:
            out.append(parent)
            parent = self.events[parent].parent
        return out

    def duration_ns(self, seq: int) -> int | None:
        end = self._end[seq]
        if end == NONE:
            return None
        return self.events[end].ts - self.events[seq].ts

    def preorder(self, max_depth: int | None = None) -> Iterator[Event]:
        """Nodes in file order (which is preorder), optionally cut below ``max_depth``."""
        for ev in self.events:
            if ev.kind == "return" or ev.kind == "error":
                continue
            if max_depth is not None and ev.depth > max_depth:
                continue
            yield ev
