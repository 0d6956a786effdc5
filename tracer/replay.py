"""The replay cursor: debugger motions over a recorded event sequence, with no UI attached.

A :class:`Replay` holds a position (an event ``seq``) and answers where each motion would go:
step into/over/out forwards and backwards, start/end, matching call or return, search matches,
breakpoint hits, errors and warnings, feature provenance. Motions return the target seq (or
``None`` when there is nowhere to go) and never move by themselves; :meth:`Replay.go` moves.
Keeping the decision apart from the move lets the TUI report "no earlier call" instead of
silently doing nothing, and lets tests check every motion without a terminal.

Every motion is O(1) or a forward/backward scan that stops at the first hit: the indexes it
relies on (:class:`~tracer.calltree.CallTree`, type milestones) are built once, up front.
"""

from __future__ import annotations

from collections.abc import Callable

from tracer.calltree import NONE, CallTree
from tracer.replay_match import (
    ERROR_FUNCTIONS,
    TYPE_KEYS,
    WARNING_FUNCTIONS,
    Breakpoint,
    Filter,
    Query,
    hidden_mask,
    is_closing,
    is_problem,
)
from tracer.trace import Event, Trace
from tracer.typestate import TypeMilestones, index_milestones
from tracer.why import feature_chain

__all__ = [
    "ERROR_FUNCTIONS", "TYPE_KEYS", "WARNING_FUNCTIONS", "Breakpoint", "Filter", "Query", "Replay", "is_closing",
    "is_problem",
]

# How far up the call stack to look for the type in play: enough for any QEMU path, and bounded
# so a 10,000-deep hostile trace does not make every step walk the whole stack.
TYPE_LOOKUP_DEPTH = 64


class Replay:
    """A cursor over one trace, with its indexes, filter, breakpoints and current search."""

    def __init__(self, trace: Trace, tree: CallTree | None = None, milestones: TypeMilestones | None = None) -> None:
        self.trace = trace
        self.tree = tree if tree is not None else CallTree(trace)
        self.events = trace.events
        self.milestones = milestones if milestones is not None else index_milestones(trace)
        self.type_names = frozenset(t.name for t in trace.types)
        self.pos = 0 if self.events else NONE
        """The current event seq; -1 only for an empty trace."""
        self.filter = Filter()
        self.breakpoints: set[Breakpoint] = set()
        self.query: Query | None = None
        self.marks: list[int] | None = None
        """A fixed list of events to visit with next/previous match (a feature's chain)."""
        self.match_label = ""
        """What next/previous match steps through, for the status line."""
        self._hidden: bytearray | None = None
        self._problems: list[int] | None = None

    # -- state -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.events)

    @property
    def event(self) -> Event | None:
        return self.events[self.pos] if self.pos != NONE else None

    @property
    def node(self) -> int:
        """The tree node showing the current event (a return maps to its call)."""
        return self.tree.node_of(self.pos) if self.pos != NONE else NONE

    def go(self, target: int | None) -> bool:
        """Move to ``target`` if there is one and the filter shows it; else False and no move."""
        if target is None or not 0 <= target < len(self.events) or not self.visible(target):
            return False
        self.pos = target
        return True

    def visible(self, seq: int) -> bool:
        return self._hidden is None or not self._hidden[seq]

    def set_filter(self, new: Filter) -> None:
        """Apply a filter (one pass over the events) and keep the cursor on a visible event."""
        self.filter = new
        self._hidden = hidden_mask(self.tree, new) if new.active else None
        if self.pos == NONE and self.events:
            first = self.start()
            self.pos = NONE if first is None else first
        elif self.pos != NONE and not self.visible(self.pos):
            self.pos = self._visible_ancestor(self.pos)

    def has_visible_children(self, seq: int) -> bool:
        if not self.tree.has_children(seq):
            return False
        if self._hidden is None:
            return True
        return any(self.visible(c) for c in self.tree.children(seq))

    def _visible_ancestor(self, seq: int) -> int:
        for parent in self.tree.ancestors(seq):
            if self.visible(parent):
                return parent
        first = self._scan(0, 1, lambda s: True)
        return NONE if first is None else first

    # -- stepping ----------------------------------------------------------------------------

    def next_event(self) -> int | None:
        """The next event of any kind (returns and errors included)."""
        return self._scan(self.pos + 1, 1, lambda s: True)

    def prev_event(self) -> int | None:
        return self._scan(self.pos - 1, -1, lambda s: True)

    def step_into(self) -> int | None:
        """The next call or point, entering calls: the next row in a fully expanded tree."""
        return self._scan(self.pos + 1, 1, self._is_node)

    def step_into_back(self) -> int | None:
        """Reverse step into: the previous call or point, diving into the call just before."""
        return self._scan(self.pos - 1, -1, self._is_node)

    def step_over(self) -> int | None:
        """The next call or point after the current call's subtree (its callees are skipped)."""
        if self.pos == NONE:
            return None
        start = self.pos
        if self.events[start].kind == "call":
            end = self.tree.end(start)
            if end == NONE:
                return None
            start = end
        return self._scan(start + 1, 1, self._is_node)

    def step_over_back(self) -> int | None:
        """The previous call or point at this level or above, skipping over its callees."""
        seq = self.pos - 1
        while seq >= 0:
            ev = self.events[seq]
            if is_closing(ev) and ev.call is not None:
                seq = ev.call
            if self.visible(seq):
                return seq
            seq -= 1
        return None

    def step_out(self) -> int | None:
        """Finish: the return (or error) of the call enclosing the current event."""
        if self.pos == NONE:
            return None
        parent = self.events[self.pos].parent
        if parent == NONE:
            return None
        end = self.tree.end(parent)
        return end if end != NONE else None

    def step_out_back(self) -> int | None:
        """Up (reverse finish): the call enclosing the current event."""
        if self.pos == NONE:
            return None
        parent = self.events[self.pos].parent
        return parent if parent != NONE else None

    def start(self) -> int | None:
        return self._scan(0, 1, lambda s: True)

    def end(self) -> int | None:
        return self._scan(len(self.events) - 1, -1, lambda s: True)

    def event_number(self, seq: int) -> int | None:
        """Event ``seq``, or the nearest visible event after (else before) it when it is hidden."""
        if not self.events:
            return None
        seq = min(max(seq, 0), len(self.events) - 1)
        found = self._scan(seq, 1, lambda s: True)
        return found if found is not None else self._scan(seq, -1, lambda s: True)

    def matching(self) -> int | None:
        """The return of the current call, or the call of the current return or error."""
        ev = self.event
        if ev is None:
            return None
        if ev.kind == "call":
            end = self.tree.end(ev.seq)
            return end if end != NONE else None
        if is_closing(ev) and ev.call is not None:
            return ev.call
        return None

    # -- search, breakpoints, problems ---------------------------------------------------------

    def search(self, text: str | None = None, direction: int = 1, origin: int | None = None) -> int | None:
        """The next (or previous) node matching the query, wrapping around the trace.

        ``text`` replaces the current query; ``origin`` is where the search starts from (the
        position when the search began, for a search typed incrementally).
        """
        if text is not None:
            self.query = Query(text) if text else None
        query = self.query
        if query is None or not self.events:
            return None
        here = self.pos if origin is None else origin
        closing = self.tree.closing

        def hit(seq: int) -> bool:
            ev = self.events[seq]
            return self._is_node(seq) and query.hit(ev, closing(seq))

        # Forward from the event after the cursor; backward from the row before the cursor's row
        # (a return's call is the row the user sees, so it is not a "previous" match).
        first = here + 1 if direction > 0 else self.tree.node_of(here) - 1
        found = self._scan(first, direction, hit)
        if found is None:
            found = self._scan(0 if direction > 0 else len(self.events) - 1, direction, hit)
        return found

    def set_search(self, text: str) -> None:
        """Make ``text`` the query that next/previous match follow."""
        self.query = Query(text) if text else None
        self.marks = None
        self.match_label = f"search: {text}" if text else ""

    def set_marks(self, seqs: list[int], label: str) -> None:
        """Make a fixed list of events (e.g. a feature's chain) what next/previous match visit."""
        self.marks = sorted(seqs)
        self.match_label = f"{label} ({len(seqs)} events)"

    def next_match(self, direction: int = 1) -> int | None:
        """The next (or previous) mark, or search match, from the cursor; wraps around."""
        if self.marks is None:
            return self.search(direction=direction)
        marks = [s for s in self.marks if self.visible(s)]
        if not marks:
            return None
        if direction > 0:
            after = [s for s in marks if s > self.pos]
            return after[0] if after else marks[0]
        before = [s for s in marks if s < self.pos]
        return before[-1] if before else marks[-1]

    def toggle_breakpoint(self, bp: Breakpoint) -> bool:
        """Add or remove ``bp``; True when it is now set."""
        if bp in self.breakpoints:
            self.breakpoints.discard(bp)
            return False
        self.breakpoints.add(bp)
        return True

    def breakpoint_for(self, name: str) -> Breakpoint:
        """A glob when ``name`` has ``*?[`` (functions and types, as search), a type breakpoint
        when it is a type of this trace, else a function breakpoint."""
        if Query(name).is_glob:
            return Breakpoint(name, "glob")
        return Breakpoint(name, "type" if name in self.type_names else "function")

    def continue_(self, direction: int = 1) -> int | None:
        """The next (or previous) call or point where a breakpoint hits."""
        if not self.breakpoints or self.pos == NONE:
            return None
        bps = tuple(self.breakpoints)

        def hit(seq: int) -> bool:
            ev = self.events[seq]
            return self._is_node(seq) and any(bp.hit(ev) for bp in bps)

        return self._scan(self.pos + direction, direction, hit)

    def problems(self) -> list[int]:
        """Seqs of every error and warning, computed on first use."""
        if self._problems is None:
            self._problems = [ev.seq for ev in self.events if is_problem(ev)]
        return self._problems

    def next_problem(self) -> int | None:
        """The next visible error or warning after the cursor, else the first one."""
        visible = [s for s in self.problems() if self.visible(s)]
        after = [s for s in visible if s > self.pos]
        return after[0] if after else (visible[0] if visible else None)

    def feature_events(self, feature: str) -> list[int]:
        """The events that decided a CPU feature, earliest first: the chain ``vmtrace why``
        prints (requests, each change and its reason, warnings), legacy spellings resolved."""
        return sorted(feature_chain(self.trace, feature).seqs)

    # -- types -------------------------------------------------------------------------------

    def type_in_play(self, seq: int | None = None) -> str | None:
        """The QOM type the event at ``seq`` (default: the cursor) is about.

        The node's own type argument or returned type name, else the nearest enclosing call's,
        looking at most ``TYPE_LOOKUP_DEPTH`` calls up.
        """
        seq = self.pos if seq is None else seq
        if seq == NONE:
            return None
        node = self.tree.node_of(seq)
        for _ in range(TYPE_LOOKUP_DEPTH):
            found = self._type_of(node)
            if found is not None:
                return found
            node = self.events[node].parent
            if node == NONE:
                return None
        return None

    def _type_of(self, seq: int) -> str | None:
        ev = self.events[seq]
        if ev.args:
            for key in TYPE_KEYS:
                value = ev.args.get(key)
                if isinstance(value, str) and value in self.type_names:
                    return value
        closing = self.tree.closing(seq)
        if closing is not None and isinstance(closing.ret, str) and closing.ret in self.type_names:
            return closing.ret
        return None

    def class_init_step(self, type_name: str) -> int | None:
        """Where ``type_name``'s class is initialised: its ``class_init`` call (for a type whose
        TypeInfo sets none, its ``type_initialize``)."""
        return self.milestones.class_init_call.get(type_name)

    # -- helpers -----------------------------------------------------------------------------

    def _is_node(self, seq: int) -> bool:
        return not is_closing(self.events[seq])

    def _scan(self, seq: int, direction: int, accept: Callable[[int], bool]) -> int | None:
        """The first visible seq from ``seq`` on (in ``direction``) that ``accept`` takes."""
        n = len(self.events)
        hidden = self._hidden
        while 0 <= seq < n:
            if (hidden is None or not hidden[seq]) and accept(seq):
                return seq
            seq += direction
        return None
