"""Choosing which call-tree nodes a view shows: depth limits and name matches with context."""

from __future__ import annotations

import fnmatch

from tracer.calltree import NONE, CallTree
from tracer.trace import Event


def name_matcher(pattern: str) -> tuple[str, bool]:
    """A pattern with ``*?[`` is a glob on the function name; otherwise a substring."""
    return pattern, any(c in pattern for c in "*?[")


def matches(event: Event, pattern: str) -> bool:
    """Does the node's function name, or one of its argument values, match ``pattern``?"""
    pat, is_glob = name_matcher(pattern)
    candidates = [event.fn]
    if event.args:
        candidates.extend(str(v) for v in event.args.values())
    if is_glob:
        return any(fnmatch.fnmatchcase(c, pat) for c in candidates)
    return any(pat in c for c in candidates)


def visible_nodes(tree: CallTree, max_depth: int | None = None, pattern: str | None = None) -> list[int]:
    """Node seqs to print, in order: matches, their ancestors (for context) and their subtrees.

    Linear in the trace: ancestors are marked by walking up until an already-marked node, and
    a matched call's subtree is the contiguous seq range up to its closing event.
    """
    events = tree.events
    keep = bytearray(len(events))
    if pattern is None:
        for ev in events:
            keep[ev.seq] = 1
    else:
        covered_until = -1
        for ev in events:
            if ev.kind in ("return", "error"):
                continue
            if ev.seq <= covered_until:
                keep[ev.seq] = 1
                continue
            if matches(ev, pattern):
                keep[ev.seq] = 1
                end = tree.end(ev.seq)
                covered_until = max(covered_until, end if end != NONE else ev.seq)
                parent = ev.parent
                while parent != NONE and not keep[parent]:
                    keep[parent] = 1
                    parent = events[parent].parent
    return [
        ev.seq
        for ev in events
        if keep[ev.seq] and ev.kind not in ("return", "error") and (max_depth is None or ev.depth <= max_depth)
    ]
