"""One pass over a trace building what the structural diff needs: keys, subtree hashes, sizes.

The pass keeps an explicit stack of open calls (no recursion: traces can be 10,000+ deep) and
hashes each subtree when its call closes, from the call's own content and its children's
subtree hashes, so identical subtrees of two traces are recognised in O(1). Hashes are Python's
64-bit ``hash`` (collisions are negligible at this size) and are only compared within one
process; keys and function names are interned to small integers shared by both traces so the
sibling alignment compares ints.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import msgspec

from tracer.trace import Event, Trace

_encode = msgspec.json.encode

PROSE_ARGS = frozenset({"detail", "call"})
"""Arguments of point events that are not data of the run: wording for a reader
(``x86_feature``'s ``detail`` names the run's model, "Skylake-Client definition", so it
differs between two runs whose feature is on for the same reason) and references to event
numbers (``class_field_set``'s ``call``, which shift whenever anything earlier differs)."""


def point_data(args: dict[str, Any] | None, text: str | None) -> tuple[dict[str, Any] | None, str | None]:
    """What a point event's comparison looks at: its arguments without the prose ones, and its
    text only when it has no arguments (a warning's text is its data; a feature's text is a
    sentence made from its arguments)."""
    if not args:
        return None, text
    if PROSE_ARGS.isdisjoint(args):
        return args, None
    return {k: v for k, v in args.items() if k not in PROSE_ARGS}, None


class Interner:
    """Maps hashable keys to small integers shared by both traces (fast equality in align)."""

    def __init__(self) -> None:
        self.ids: dict[Hashable, int] = {}

    def __call__(self, key: Hashable) -> int:
        ids = self.ids
        found = ids.get(key)
        if found is None:
            found = ids[key] = len(ids)
        return found


class TreeIndex:
    """What the diff needs of one trace, built in one forward pass with an explicit stack.

    Per event number (lists of length ``len(events)``; entries of return/error events unused):
    ``key`` and ``fn_id`` (interned), ``own`` (hash of the node's own content), ``sub`` (hash of
    its whole subtree), ``size`` (nodes in its subtree), ``pos`` (its index in ``nodes``);
    ``children`` maps a call to its child nodes; ``nodes`` lists the nodes in pre-order, so a
    subtree is the slice ``nodes[pos[s]:pos[s] + size[s]]``.
    """

    def __init__(self, trace: Trace, keys: Interner, fns: Interner) -> None:
        # One tight loop: this pass is most of the cost of diffing a large trace.
        events = trace.events
        n = len(events)
        self.events = events
        self.key = key = [0] * n
        self.fn_id = fn_id = [0] * n
        self.own = own = [0] * n
        self.sub = sub = [0] * n
        self.size = size = [1] * n
        self.pos = pos = [-1] * n
        self.nodes: list[int] = []
        self.children: dict[int, list[int]] = {}
        self.roots: list[int] = []
        nodes, roots, children = self.nodes, self.roots, self.children
        key_ids, fn_ids = keys.ids, fns.ids
        encode = _encode
        open_calls: list[int] = []
        open_kids: list[list[int]] = []
        kids = roots  # the child list new nodes go to: the innermost open call's, or the roots
        for ev in events:
            kind = ev.kind
            if kind == "return" or kind == "error":  # _close_call, inlined for speed
                seq = open_calls.pop()
                closed = open_kids.pop()
                call = events[seq]
                h = hash((call.fn, encode(call.args) if call.args else b"",
                          encode(ev.ret) if kind == "return" else ev.text or ""))
                own[seq] = h
                if closed:
                    children[seq] = closed
                    sub[seq] = hash((h, *map(sub.__getitem__, closed)))
                else:
                    sub[seq] = h
                size[seq] = len(nodes) - pos[seq]
                kids = open_kids[-1] if open_kids else roots
                continue
            seq = ev.seq
            fn = ev.fn
            pos[seq] = len(nodes)
            nodes.append(seq)
            kids.append(seq)
            args = ev.args
            if args:
                name, value = next(iter(args.items()))
                if type(value) is not str and not isinstance(value, (int, float, bool)) and value is not None:
                    value = encode(value)
                k: Hashable = (kind, fn, name, value)
            else:
                k = (kind, fn)
            found = key_ids.get(k)
            if found is None:
                found = key_ids[k] = len(key_ids)
            key[seq] = found
            found = fn_ids.get(fn)
            if found is None:
                found = fn_ids[fn] = len(fn_ids)
            fn_id[seq] = found
            if kind == "call":
                open_calls.append(seq)
                kids = []
                open_kids.append(kids)
            else:
                data, text = point_data(args, ev.text)
                sub[seq] = own[seq] = hash(("point", fn, encode(data) if data else b"", text))
        while open_calls:  # calls the trace leaves open (it ended inside them)
            self._close_call(open_calls.pop(), open_kids.pop(), None)

    def _close_call(self, seq: int, kids: list[int], closing: Event | None) -> None:
        """Hash a call's own content and its subtree once its children are all known (the
        loop in ``__init__`` inlines this for closed calls; keep the two in step)."""
        call = self.events[seq]
        if closing is None:
            outcome: Any = None
        elif closing.kind == "error":
            outcome = closing.text or ""
        else:
            outcome = _encode(closing.ret)
        h = hash((call.fn, _encode(call.args) if call.args else b"", outcome))
        self.own[seq] = h
        if kids:
            self.children[seq] = kids
            self.sub[seq] = hash((h, *map(self.sub.__getitem__, kids)))
        else:
            self.sub[seq] = h
        self.size[seq] = len(self.nodes) - self.pos[seq]

    def subtree(self, seq: int) -> list[int]:
        """``seq`` and its descendants, in pre-order."""
        start = self.pos[seq]
        return self.nodes[start: start + self.size[seq]]
