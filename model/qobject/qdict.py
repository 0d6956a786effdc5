"""``QDict`` iteration order (qobject/qdict.c).

A QDict is a hash table of 512 buckets; ``qdict_first``/``qdict_next`` walk the buckets in
index order, newest entry first within a bucket. A visitor that reports "the first" leftover
key of a keyval dictionary (``Parameter 'smp.bar' is unexpected``) therefore names the key
that hashes to the lowest bucket, not the first one typed.
"""

from __future__ import annotations

from collections.abc import Iterable

QDICT_BUCKET_MAX = 512


def tdb_hash(name: str) -> int:
    """The hash QDict uses for its keys (``tdb_hash``, 32-bit unsigned arithmetic)."""
    data = name.encode()
    value = (0x238F13AF * len(data)) & 0xFFFFFFFF
    for i, byte in enumerate(data):
        value = (value + (byte << (i * 5 % 24))) & 0xFFFFFFFF
    return (1103515243 * value + 12345) & 0xFFFFFFFF


def qdict_order(keys: Iterable[str]) -> list[str]:
    """Keys in the order ``qdict_first``/``qdict_next`` visit them after inserting ``keys`` in order."""
    inserted = list(dict.fromkeys(keys))
    position = {key: index for index, key in enumerate(inserted)}
    return sorted(inserted, key=lambda k: (tdb_hash(k) % QDICT_BUCKET_MAX, -position[k]))
