"""Comparing two traces: a structural call-tree diff and a semantic CPU diff (pure data).

    >>> d = diff_traces(a, b)                   # both parts
    >>> d.structural.rows[i]                    # Row(a=seq | None, b=seq | None, status)
    >>> d.structural.first_divergence           # row index, or None when the trees agree
    >>> d.semantic.features_added               # CPU features on in B only
    >>> d.to_json()                             # what `vmtrace diff --json` prints

:mod:`tracer.diff.structural` aligns the call trees (``diff_trees``), :mod:`.semantic` compares
what the runs mean for the CPU (``semantic_diff``), :mod:`.align` is the sequence alignment
both rely on. Nothing here imports ``rich`` or ``textual``: the CLI (``tracer.render.diff_text``)
and the TUI's diff mode render these structures.

The ``--json`` document (``DIFF_FORMAT``, version ``DIFF_VERSION``)::

    {"format": "vmtrace-diff", "version": 1,
     "equal": bool,                              # no structural and no semantic difference
     "a": {"label", "argv", "events", "qemu_version", "host_profile"}, "b": {...},
     "structural": {
        "equal": bool,
        "counts": {"same", "changed", "only_a", "only_b"},      # rows of the merged tree
        "first_divergence": null | DIFFERENCE,
        "differences": [DIFFERENCE, ...]},         # in tree order
     "semantic": {... see SemanticDiff.to_json ...},
     "devices": {... see MachineDiff.to_json: the machines' devices, buses, PCI and properties ...}}

    DIFFERENCE = {"row": int, "status": "changed" | "only_a" | "only_b",
                  "a": seq | null, "b": seq | null,  # event numbers in each trace
                  "depth": int, "path": [fn, ...],   # call path from the root
                  "a_label": str | null, "b_label": str | null,    # "fn(args) -> ret"
                  "changes": [{"field", "a", "b"}],  # changed rows: what differs
                  "subtree": int}                    # only_a/only_b: nodes in the subtree

An ``only_a``/``only_b`` difference stands for its node *and its whole subtree* (``subtree``
nodes): descendants are not listed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracer.calltree import CallTree
from tracer.diff.machine import MachineDiff, machine_diff
from tracer.diff.semantic import SemanticDiff, semantic_diff
from tracer.diff.structural import FieldChange, Row, Status, StructuralDiff, diff_trees, no_gc
from tracer.labels import node_text
from tracer.trace import Trace

DIFF_FORMAT = "vmtrace-diff"
DIFF_VERSION = 1

__all__ = [
    "DIFF_FORMAT",
    "DIFF_VERSION",
    "FieldChange",
    "MachineDiff",
    "Row",
    "SemanticDiff",
    "Status",
    "StructuralDiff",
    "TraceDiff",
    "diff_traces",
    "diff_trees",
    "semantic_diff",
]


@dataclass(frozen=True)
class TraceDiff:
    """Both halves of a comparison, and the labels the two sides go by (file names, CPUs)."""

    structural: StructuralDiff
    semantic: SemanticDiff
    label_a: str = "A"
    label_b: str = "B"
    devices: MachineDiff = field(default_factory=lambda: MachineDiff(available=False))

    @property
    def equal(self) -> bool:
        return self.structural.equal and self.semantic.equal and self.devices.equal

    def to_json(self) -> dict[str, Any]:
        """The ``vmtrace diff --json`` document (shape in this package's docstring)."""
        st = self.structural
        a, b = st.a, st.b
        return {
            "format": DIFF_FORMAT,
            "version": DIFF_VERSION,
            "equal": self.equal,
            "a": _side_json(self.label_a, a),
            "b": _side_json(self.label_b, b),
            "structural": structural_json(st),
            "semantic": self.semantic.to_json(),
            "devices": self.devices.to_json(),
        }


def _side_json(label: str, trace: Trace) -> dict[str, Any]:
    meta = trace.meta
    return {"label": label, "argv": list(meta.argv), "events": len(trace.events),
            "qemu_version": meta.qemu_version, "host_profile": meta.host_profile}


def diff_traces(a: Trace, b: Trace, label_a: str = "A", label_b: str = "B") -> TraceDiff:
    """The structural and the semantic diff of ``a`` and ``b``."""
    with no_gc():  # see tracer.diff.structural.no_gc: both halves allocate many live objects
        return TraceDiff(diff_trees(a, b), semantic_diff(a, b), label_a, label_b, machine_diff(a, b))


def structural_json(st: StructuralDiff) -> dict[str, Any]:
    """The ``structural`` object: counts, the first divergence and every difference."""
    tree_a, tree_b = st.call_trees()
    differences: list[dict[str, Any]] = []
    covered_a = covered_b = -1  # subtree ends already reported as one only_a/only_b entry
    for i in st.differences():
        row = st.rows[i]
        if row.status == "only_a" and row.a is not None and row.a < covered_a:
            continue
        if row.status == "only_b" and row.b is not None and row.b < covered_b:
            continue
        entry = difference_json(st, i, tree_a, tree_b)
        if row.status == "only_a" and row.a is not None:
            covered_a = _subtree_end(tree_a, row.a)
        elif row.status == "only_b" and row.b is not None:
            covered_b = _subtree_end(tree_b, row.b)
        differences.append(entry)
    first = difference_json(st, st.first_divergence, tree_a, tree_b) if st.first_divergence is not None else None
    return {"equal": st.equal, "counts": dict(st.counts), "first_divergence": first, "differences": differences}


def _subtree_end(tree: CallTree, seq: int) -> int:
    end = tree.end(seq)
    if end >= 0:
        return end
    return seq + 1 if tree.events[seq].kind == "point" else len(tree.events)


def difference_json(st: StructuralDiff, row_index: int, tree_a: CallTree, tree_b: CallTree) -> dict[str, Any]:
    """One DIFFERENCE object for row ``row_index``."""
    row = st.rows[row_index]
    seq, tree = (row.a, tree_a) if row.a is not None else (row.b, tree_b)
    assert seq is not None
    entry: dict[str, Any] = {
        "row": row_index, "status": row.status, "a": row.a, "b": row.b,
        "depth": tree.events[seq].depth, "path": st.path(row_index),
        "a_label": node_text(tree_a.events[row.a], tree_a.closing(row.a)) if row.a is not None else None,
        "b_label": node_text(tree_b.events[row.b], tree_b.closing(row.b)) if row.b is not None else None,
    }
    if row.status == "changed":
        entry["changes"] = [{"field": c.field, "a": c.a, "b": c.b} for c in st.changes(row_index)]
    else:
        end = _subtree_end(tree, seq)
        entry["subtree"] = sum(1 for ev in tree.events[seq:end] if ev.kind in ("call", "point"))
    return entry
