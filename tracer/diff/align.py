"""Aligning two sequences of integer keys: the sibling lists of two call trees.

:func:`align` returns index pairs ``(i, j)`` with ``a[i] == b[j]``, increasing in both ``i``
and ``j``: a common subsequence. It is the longest one whenever the sequences are close (the
usual case: two runs of the same program), and a good one otherwise, in near-linear time:

1. equal prefixes and suffixes are matched by a plain scan (most sibling lists end here);
2. the middle is diffed with Myers' O((N+M)·D) greedy algorithm, with the edit distance D
   capped so that its D² work stays proportional to the input (``max_edits``);
3. when the middle differs more than that, keys occurring exactly once on both sides anchor
   the alignment (patience diff: a longest increasing subsequence, O(K log K)), and the gaps
   between anchors are aligned again from step 1;
4. a gap without such anchors falls back to a greedy windowed scan, linear in its length.

Everything is iterative (an explicit work list): no input can exhaust Python's stack.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from math import isqrt

MAX_EDITS = 1000
"""Upper bound on the edit distance Myers' algorithm explores in one gap (D² ≈ 10⁶ steps)."""

GREEDY_WINDOW = 64
"""How far ahead the last-resort greedy scan looks for the next equal key."""


def max_edits(n: int, m: int) -> int:
    """The edit distance explored for a gap of ``n`` and ``m`` items: D² ≤ 16·(n+m), at most
    :data:`MAX_EDITS`, so one gap never costs much more than reading it."""
    return min(n + m, MAX_EDITS, max(16, isqrt(16 * (n + m))))


def align(a: Sequence[int], b: Sequence[int]) -> list[tuple[int, int]]:
    """Matched index pairs of a common subsequence of ``a`` and ``b``, in increasing order."""
    pairs: list[tuple[int, int]] = []
    work = [(0, len(a), 0, len(b))]
    while work:
        a0, a1, b0, b1 = work.pop()
        while a0 < a1 and b0 < b1 and a[a0] == b[b0]:
            pairs.append((a0, b0))
            a0 += 1
            b0 += 1
        while a0 < a1 and b0 < b1 and a[a1 - 1] == b[b1 - 1]:
            a1 -= 1
            b1 -= 1
            pairs.append((a1, b1))
        if a0 == a1 or b0 == b1:
            continue
        found = _myers(a, a0, a1, b, b0, b1, max_edits(a1 - a0, b1 - b0))
        if found is not None:
            pairs.extend(found)
            continue
        anchors = _unique_anchors(a, a0, a1, b, b0, b1)
        if not anchors:
            pairs.extend(_greedy(a, a0, a1, b, b0, b1))
            continue
        prev_i, prev_j = a0, b0
        for i, j in anchors:
            pairs.append((i, j))
            work.append((prev_i, i, prev_j, j))
            prev_i, prev_j = i + 1, j + 1
        work.append((prev_i, a1, prev_j, b1))
    pairs.sort()
    return pairs


def _myers(
    a: Sequence[int], a0: int, a1: int, b: Sequence[int], b0: int, b1: int, limit: int
) -> list[tuple[int, int]] | None:
    """Myers' greedy LCS on ``a[a0:a1]`` and ``b[b0:b1]``; None if it needs more than
    ``limit`` edits. Keeps one copy of the frontier per edit step for the backtrack."""
    n = a1 - a0
    m = b1 - b0
    offset = limit + 1
    v = [0] * (2 * limit + 3)
    history: list[list[int]] = []
    for d in range(limit + 1):
        history.append(v[offset - d - 1: offset + d + 2])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            while x < n and y < m and a[a0 + x] == b[b0 + y]:
                x += 1
                y += 1
            v[offset + k] = x
            if x >= n and y >= m:
                return _backtrack(history, d, n, m, a0, b0)
    return None


def _backtrack(history: list[list[int]], steps: int, n: int, m: int, a0: int, b0: int) -> list[tuple[int, int]]:
    """Walk the saved frontiers back from (n, m), collecting the diagonal (matched) moves."""
    pairs: list[tuple[int, int]] = []
    x, y = n, m
    for d in range(steps, 0, -1):
        saved = history[d]  # the frontier before step d, covering diagonals -d-1 .. d+1
        base = d + 1
        k = x - y
        if k == -d or (k != d and saved[base + k - 1] < saved[base + k + 1]):
            prev_k = k + 1
        else:
            prev_k = k - 1
        prev_x = saved[base + prev_k]
        prev_y = prev_x - prev_k
        while x > prev_x and y > prev_y:
            x -= 1
            y -= 1
            pairs.append((a0 + x, b0 + y))
        x, y = prev_x, prev_y
    while x > 0 and y > 0:
        x -= 1
        y -= 1
        pairs.append((a0 + x, b0 + y))
    return pairs


def _unique_anchors(
    a: Sequence[int], a0: int, a1: int, b: Sequence[int], b0: int, b1: int
) -> list[tuple[int, int]]:
    """Keys found exactly once in each range, paired, then the longest run of pairs that is
    increasing in both sequences (patience sorting)."""
    count_a: dict[int, int] = {}
    where_a: dict[int, int] = {}
    for i in range(a0, a1):
        key = a[i]
        count_a[key] = count_a.get(key, 0) + 1
        where_a[key] = i
    count_b: dict[int, int] = {}
    where_b: dict[int, int] = {}
    for j in range(b0, b1):
        key = b[j]
        count_b[key] = count_b.get(key, 0) + 1
        where_b[key] = j
    candidates = sorted(
        (where_a[key], where_b[key]) for key, c in count_a.items() if c == 1 and count_b.get(key) == 1
    )
    return _longest_increasing(candidates)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (sorted by first item) increasing in the second."""
    tails: list[int] = []
    tail_index: list[int] = []
    back = [-1] * len(pairs)
    for idx, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_index.append(idx)
        else:
            tails[pos] = j
            tail_index[pos] = idx
        back[idx] = tail_index[pos - 1] if pos > 0 else -1
    out: list[tuple[int, int]] = []
    idx = tail_index[-1] if tail_index else -1
    while idx != -1:
        out.append(pairs[idx])
        idx = back[idx]
    out.reverse()
    return out


def _greedy(a: Sequence[int], a0: int, a1: int, b: Sequence[int], b0: int, b1: int) -> list[tuple[int, int]]:
    """Match each ``a`` key to its next occurrence in ``b`` if that is within a short window:
    linear, and good enough for long runs of repeated keys that Myers gave up on."""
    positions: dict[int, list[int]] = {}
    for j in range(b1 - 1, b0 - 1, -1):
        positions.setdefault(b[j], []).append(j)  # reversed: the next occurrence is last
    pairs: list[tuple[int, int]] = []
    j = b0
    for i in range(a0, a1):
        stack = positions.get(a[i])
        if not stack:
            continue
        while stack and stack[-1] < j:
            stack.pop()
        if stack and stack[-1] - j < GREEDY_WINDOW:
            j = stack.pop()
            pairs.append((i, j))
            j += 1
    return pairs
