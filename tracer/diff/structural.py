"""The structural diff: two call trees aligned node by node.

Nodes are ``call`` and ``point`` events. Two nodes can only be matched when their parents are
matched (so a match always has the same call path); among siblings, nodes are aligned with
:func:`tracer.diff.align.align` first as identical subtrees, then by their *key* (kind,
function and key argument, i.e. the first ``args`` entry), then, inside each gap left, by
function name alone, so that ``parse_cpu_option("Skylake-Client")`` faces ``parse_cpu_option("EPYC")``
as one *changed* call (with its subtrees aligned in turn) rather than a deletion and an
insertion. Everything not matched is *only in A* or *only in B*, with its whole subtree.

A matched node is ``same`` when its own content (function, all arguments, and for a call how
it ended: return value, or error text) is equal, ``changed`` otherwise. Timestamps and
sequence numbers never count. Every subtree is summarised by a hash computed bottom-up in one
forward pass (:mod:`tracer.diff.tree_index`); matched subtrees with equal hashes are emitted
as ``same`` in one slice without being aligned, so two similar traces are diffed in
near-linear time.

The result is pure data (:class:`StructuralDiff`): the rows of the merged tree in display
order (pre-order: a node, then its subtree), each ``Row(a, b, status)`` with the event numbers
on each side (None where the node exists only on the other side). Renderers (``vmtrace diff``,
the TUI's diff mode) lay these rows out; no rendering library is imported here.
"""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from tracer.calltree import CallTree
from tracer.diff.align import align
from tracer.diff.tree_index import Interner, TreeIndex, point_data
from tracer.trace import Event, Trace

Status = Literal["same", "changed", "only_a", "only_b"]
STATUSES: tuple[Status, ...] = ("same", "changed", "only_a", "only_b")


class Row(NamedTuple):
    """One line of the merged tree: event ``a`` of trace A facing event ``b`` of trace B."""

    a: int | None
    b: int | None
    status: Status


class FieldChange(NamedTuple):
    """One difference between two matched nodes: ``field`` is ``fn``, ``args.NAME``,
    ``return``, ``error``, ``text`` or ``outcome`` (returned versus raised versus still open)."""

    field: str
    a: Any
    b: Any


_MISSING = object()
_PAIR, _ONLY_A, _ONLY_B = 0, 1, 2  # work items of the alignment walk


@dataclass
class StructuralDiff:
    """The aligned call trees of traces ``a`` and ``b``.

    ``rows`` is the merged tree in display order; ``counts`` maps each status to its number of
    rows; ``first_divergence`` is the index in ``rows`` of the first row whose status is not
    ``same``, not counting a changed top-level call such as ``main(argv)`` when something below
    it differs (None when the trees are equal). Navigation helpers serve the TUI:
    :meth:`next_difference`, :meth:`previous_difference` (jump between divergences) and
    :meth:`row_of_a` / :meth:`row_of_b` (keep twin panes in step).
    """

    a: Trace
    b: Trace
    rows: list[Row]
    counts: dict[Status, int]
    first_divergence: int | None
    _difference_rows: list[int] = field(default_factory=list, repr=False)
    _hunk_starts: list[int] = field(default_factory=list, repr=False)
    _row_of_a: list[int] | None = field(default=None, repr=False)
    _row_of_b: list[int] | None = field(default=None, repr=False)
    _trees: tuple[CallTree, CallTree] | None = field(default=None, repr=False)

    @property
    def equal(self) -> bool:
        """True when every row is ``same``."""
        return self.first_divergence is None

    def differences(self) -> list[int]:
        """Indices in ``rows`` of every row that is not ``same``."""
        return self._difference_rows

    def hunks(self) -> list[tuple[int, int]]:
        """Runs of consecutive non-``same`` rows as ``(start, end)`` row ranges (end excluded)."""
        out: list[tuple[int, int]] = []
        diffs = self._difference_rows
        for start in self._hunk_starts:
            end_idx = bisect_left(diffs, start)
            end = start
            while end_idx < len(diffs) and diffs[end_idx] == end:
                end += 1
                end_idx += 1
            out.append((start, end))
        return out

    def next_difference(self, row: int) -> int | None:
        """The first row of the next run of differences strictly after ``row``, or None."""
        starts = self._hunk_starts
        i = bisect_right(starts, row)
        return starts[i] if i < len(starts) else None

    def previous_difference(self, row: int) -> int | None:
        """The first row of the nearest run of differences that starts before ``row`` (so from
        inside a run, its own start; from a run's start, the previous run), or None."""
        starts = self._hunk_starts
        i = bisect_left(starts, row)
        return starts[i - 1] if i > 0 else None

    def row_of_a(self, seq: int) -> int | None:
        """The row showing event ``seq`` of trace A (a return/error maps to its call)."""
        if self._row_of_a is None:
            self._row_of_a = _row_index(self.rows, 0, len(self.a.events))
        return _lookup(self._row_of_a, self.a.events, seq)

    def row_of_b(self, seq: int) -> int | None:
        """The row showing event ``seq`` of trace B (a return/error maps to its call)."""
        if self._row_of_b is None:
            self._row_of_b = _row_index(self.rows, 1, len(self.b.events))
        return _lookup(self._row_of_b, self.b.events, seq)

    def changes(self, row: int) -> list[FieldChange]:
        """What differs between the two nodes of a matched row (empty for ``same`` rows and
        for rows present on one side only)."""
        r = self.rows[row]
        if r.a is None or r.b is None or r.status == "same":
            return []
        tree_a, tree_b = self.call_trees()
        return node_changes(self.a.events[r.a], tree_a.closing(r.a), self.b.events[r.b], tree_b.closing(r.b))

    def call_trees(self) -> tuple[CallTree, CallTree]:
        """The call-tree indexes of A and B (built on first use, then kept)."""
        if self._trees is None:
            self._trees = (CallTree(self.a), CallTree(self.b))
        return self._trees

    def path(self, row: int) -> list[str]:
        """Function names from the root down to the row's node: its call path."""
        r = self.rows[row]
        trace, seq = (self.a, r.a) if r.a is not None else (self.b, r.b)
        assert seq is not None
        events = trace.events
        names = [events[seq].fn]
        parent = events[seq].parent
        while parent != -1:
            names.append(events[parent].fn)
            parent = events[parent].parent
        names.reverse()
        return names


def _row_index(rows: list[Row], side: Literal[0, 1], n: int) -> list[int]:
    index = [-1] * n
    for i, row in enumerate(rows):
        seq = row.a if side == 0 else row.b
        if seq is not None:
            index[seq] = i
    return index


def _lookup(index: list[int], events: list[Event], seq: int) -> int | None:
    if not 0 <= seq < len(index):
        return None
    ev = events[seq]
    if (ev.kind == "return" or ev.kind == "error") and ev.call is not None:
        seq = ev.call
    found = index[seq]
    return found if found >= 0 else None


def _outcome(closing: Event | None) -> tuple[str, Any]:
    if closing is None:
        return ("open", None)
    if closing.kind == "error":
        return ("error", closing.text)
    return ("return", closing.ret)


def node_changes(ea: Event, closing_a: Event | None, eb: Event, closing_b: Event | None) -> list[FieldChange]:
    """Field-by-field differences between two nodes, given the events that closed them
    (:meth:`tracer.calltree.CallTree.closing`; None for a point or a call left open)."""
    out: list[FieldChange] = []
    if ea.fn != eb.fn:
        out.append(FieldChange("fn", ea.fn, eb.fn))
    if ea.kind == "point" and eb.kind == "point":
        return out + _point_changes(ea, eb)
    out.extend(_arg_changes(ea.args or {}, eb.args or {}))
    if ea.kind == "point" or eb.kind == "point":
        if ea.text != eb.text:
            out.append(FieldChange("text", ea.text, eb.text))
        return out
    (ka, va), (kb, vb) = _outcome(closing_a), _outcome(closing_b)
    if ka != kb:
        out.append(FieldChange("outcome", ka, kb))
    if ka == kb == "return" and (va != vb or type(va) is not type(vb)):
        out.append(FieldChange("return", va, vb))
    elif ka == kb == "error" and va != vb:
        out.append(FieldChange("error", va, vb))
    elif ka != kb:  # the outcome kind differs: add the value or message each side had, if any
        if ka != "open" and va is not None:
            out.append(FieldChange(ka, va, None))
        if kb != "open" and vb is not None:
            out.append(FieldChange(kb, None, vb))
    return out


def _point_changes(ea: Event, eb: Event) -> list[FieldChange]:
    """Two points differ in their data (:func:`~tracer.diff.tree_index.point_data`), never in
    the wording alone."""
    (args_a, text_a), (args_b, text_b) = point_data(ea.args, ea.text), point_data(eb.args, eb.text)
    out = _arg_changes(args_a or {}, args_b or {})
    if text_a != text_b:
        out.append(FieldChange("text", text_a, text_b))
    return out


def _arg_changes(args_a: dict[str, Any], args_b: dict[str, Any]) -> list[FieldChange]:
    out = []
    for name in [*args_a, *(k for k in args_b if k not in args_a)]:
        va, vb = args_a.get(name, _MISSING), args_b.get(name, _MISSING)
        if va != vb or type(va) is not type(vb):
            out.append(FieldChange(f"args.{name}", None if va is _MISSING else va, None if vb is _MISSING else vb))
    return out


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the diff allocates millions of small objects that all
    stay alive (nothing here makes reference cycles), and generational passes over them would
    make its cost grow faster than linear. Nests: only the outermost use re-enables it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def diff_trees(a: Trace, b: Trace) -> StructuralDiff:
    """Align the call trees of ``a`` and ``b`` (see the module docstring for the rules)."""
    with no_gc():
        return _diff_trees(a, b)


def _diff_trees(a: Trace, b: Trace) -> StructuralDiff:
    keys, fns = Interner(), Interner()
    ia, ib = TreeIndex(a, keys, fns), TreeIndex(b, keys, fns)
    rows_a: list[int | None] = []
    rows_b: list[int | None] = []
    rows_s: list[Status] = []
    work: list[tuple[int, int, int]] = []
    work.extend(reversed(_align_children(ia, ia.roots, ib, ib.roots)))
    while work:
        what, x, y = work.pop()
        if what == _ONLY_A:
            nodes = ia.subtree(x)
            rows_a.extend(nodes)
            rows_b.extend([None] * len(nodes))
            rows_s.extend(["only_a"] * len(nodes))
        elif what == _ONLY_B:
            nodes = ib.subtree(y)
            rows_a.extend([None] * len(nodes))
            rows_b.extend(nodes)
            rows_s.extend(["only_b"] * len(nodes))
        elif ia.sub[x] == ib.sub[y] and ia.size[x] == ib.size[y]:
            nodes = ia.subtree(x)
            rows_a.extend(nodes)
            rows_b.extend(ib.subtree(y))
            rows_s.extend(["same"] * len(nodes))
        else:
            rows_a.append(x)
            rows_b.append(y)
            rows_s.append("same" if ia.own[x] == ib.own[y] else "changed")
            ca, cb = ia.children.get(x, []), ib.children.get(y, [])
            if ca or cb:
                work.extend(reversed(_align_children(ia, ca, ib, cb)))
    rows = list(map(Row._make, zip(rows_a, rows_b, rows_s, strict=True)))
    return _summarise(a, b, rows, rows_s)


def _summarise(a: Trace, b: Trace, rows: list[Row], statuses: list[Status]) -> StructuralDiff:
    counts: dict[Status, int] = {status: statuses.count(status) for status in STATUSES}
    differences = [i for i, status in enumerate(statuses) if status != "same"] if counts["same"] != len(rows) else []
    hunk_starts = [i for k, i in enumerate(differences) if k == 0 or differences[k - 1] != i - 1]
    return StructuralDiff(a, b, rows, counts, _first_divergence(a, rows, differences), differences, hunk_starts)


def _first_divergence(a: Trace, rows: list[Row], differences: list[int]) -> int | None:
    """The first row that differs, passing over a changed top-level call (``main``: its arguments
    are the command line, which differ whenever the two runs were asked different things) when
    anything below it differs too: the divergence worth jumping to is where the walk parts."""
    for i in differences:
        row = rows[i]
        if not (row.status == "changed" and row.a is not None and a.events[row.a].parent == -1):
            return i
    return differences[0] if differences else None


def _align_children(ia: TreeIndex, ca: Sequence[int], ib: TreeIndex, cb: Sequence[int]) -> list[tuple[int, int, int]]:
    """Work items for two sibling lists, in display order: pairs to descend into, and whole
    subtrees present on one side only.

    Three passes, each aligning what the previous one left unmatched between its matches:
    identical subtrees first (so a repeated call is paired with its exact twin, not with a
    neighbour of the same name), then equal keys (function and key argument), then equal
    functions (a call whose key argument changed).
    """
    items: list[tuple[int, int, int]] = []
    _cascade(ia, ca, ib, cb, 0, items)
    return items


def _level_keys(index: TreeIndex, level: int, seqs: Sequence[int]) -> list[int]:
    if level == 0:
        sub = index.sub
        return [sub[s] for s in seqs]
    if level == 1:
        key = index.key
        return [key[s] for s in seqs]
    # A call whose key argument changed is one changed call; a point about another subject
    # (x86_feature hle versus fxsr-opt) is another fact, so points pair only by key.
    fn_id, key, events = index.fn_id, index.key, index.events
    return [-1 - key[s] if events[s].kind == "point" else fn_id[s] for s in seqs]


def _cascade(ia: TreeIndex, ga: Sequence[int], ib: TreeIndex, gb: Sequence[int], level: int,
             items: list[tuple[int, int, int]]) -> None:
    """Align ``ga`` and ``gb`` at ``level`` (0 subtree hash, 1 key, 2 function) and hand each
    gap between matches to the next level; the last level's leftovers are one-sided."""
    matched = align(_level_keys(ia, level, ga), _level_keys(ib, level, gb))
    i0 = j0 = 0
    for i, j in [*matched, (len(ga), len(gb))]:
        if i > i0 and j > j0 and level < 2:
            _cascade(ia, ga[i0:i], ib, gb[j0:j], level + 1, items)
        else:
            items.extend((_ONLY_A, s, -1) for s in ga[i0:i])
            items.extend((_ONLY_B, -1, s) for s in gb[j0:j])
        if i < len(ga):
            items.append((_PAIR, ga[i], gb[j]))
        i0, j0 = i + 1, j + 1
