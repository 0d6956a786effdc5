"""Sequence alignment (tracer.diff.align): always a common subsequence, the longest one when
the inputs are close, and every fallback path (patience anchors, greedy window) exercised."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.diff import align as align_module
from tracer.diff.align import _greedy, _longest_increasing, _unique_anchors, align, max_edits


def lcs_length(a: list[int], b: list[int]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def assert_common_subsequence(a: list[int], b: list[int], pairs: list[tuple[int, int]]) -> None:
    for (i, j), (i2, j2) in itertools.pairwise(pairs):
        assert i < i2 and j < j2
    for i, j in pairs:
        assert a[i] == b[j]


small_lists = st.lists(st.integers(0, 5), max_size=30)


@given(small_lists, small_lists)
@settings(max_examples=300, deadline=None)
def test_align_is_a_common_subsequence_and_optimal_within_the_edit_budget(a: list[int], b: list[int]) -> None:
    pairs = align(a, b)
    assert_common_subsequence(a, b, pairs)
    best = lcs_length(a, b)
    assert len(pairs) <= best
    # The budget applies to the middle left once equal ends are matched (as align trims them).
    pre = 0
    while pre < min(len(a), len(b)) and a[pre] == b[pre]:
        pre += 1
    suf = 0
    while suf < min(len(a), len(b)) - pre and a[-1 - suf] == b[-1 - suf]:
        suf += 1
    if len(a) + len(b) - 2 * best <= max_edits(len(a) - pre - suf, len(b) - pre - suf):
        assert len(pairs) == best


@given(small_lists)
def test_align_with_itself_matches_everything(a: list[int]) -> None:
    assert align(a, a) == [(i, i) for i in range(len(a))]


def test_align_of_empty_sides() -> None:
    assert align([], [1, 2]) == []
    assert align([1, 2], []) == []


def test_one_insertion_in_a_long_list_is_found_without_quadratic_work() -> None:
    a = list(range(200_000))
    b = [*a[:100000], -1, *a[100000:]]
    pairs = align(a, b)
    assert len(pairs) == len(a)
    assert pairs[100_000] == (100_000, 100_001)


def test_very_different_lists_fall_back_to_patience_anchors() -> None:
    rng = random.Random(7)
    a = [rng.randrange(10**9) for _ in range(5000)]
    b = [rng.randrange(10**9) for _ in range(5000)]
    shared = [10**10 + k for k in range(50)]
    for k, key in enumerate(shared):  # the same 50 unique keys, in order, on both sides
        a[k * 100] = key
        b[k * 100 + 7] = key
    pairs = align(a, b)
    assert_common_subsequence(a, b, pairs)
    assert [(a[i]) for i, _ in pairs] == shared


def test_patience_anchors_keep_the_longest_increasing_run() -> None:
    a = [1, 2, 3, 4, 9, 9]
    b = [3, 1, 2, 4, 9]
    anchors = _unique_anchors(a, 0, len(a), b, 0, len(b))
    assert anchors == [(0, 1), (1, 2), (3, 3)]  # 3 is crossed out; 9 is not unique in a
    assert _longest_increasing([]) == []


def test_greedy_window_matches_repeated_keys_in_order() -> None:
    a = [5, 5, 6, 5, 6]
    b = [6, 5, 5, 6, 6]
    pairs = _greedy(a, 0, len(a), b, 0, len(b))
    assert_common_subsequence(a, b, pairs)
    assert len(pairs) >= 3


def test_lists_without_unique_keys_use_the_greedy_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    # Force Myers to give up at once so the no-anchor path runs on repeated keys.
    monkeypatch.setattr(align_module, "max_edits", lambda n, m: 0)
    a = [1, 2] * 50 + [3]
    b = [2, 1] * 50 + [4]
    pairs = align(a, b)
    assert_common_subsequence(a, b, pairs)
    assert len(pairs) >= 90
