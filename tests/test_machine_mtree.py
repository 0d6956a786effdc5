"""``info mtree -f`` texts: the parser and renderer against every harvested text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model.harvest.machine import MTREE_FILE, read_jsonl, read_mtree
from tracer.fileio import TraceFormatError, decode_trace
from tracer.machine.mtree import (
    FlatRange,
    FlatViewBlock,
    MtreeParseError,
    canonical,
    canonical_text,
    parse_mtree,
    render_mtree,
)

ROOT = Path(__file__).resolve().parent.parent

TEXTS = sorted({r["text"] for r in read_jsonl(MTREE_FILE)[1] if "text" in r})


@pytest.mark.parametrize("text", TEXTS, ids=[str(n) for n in range(len(TEXTS))])
def test_round_trip(text: str) -> None:
    blocks = parse_mtree(text)
    assert render_mtree(blocks) == text
    assert canonical(blocks) == blocks  # the harvest stores the canonical order
    assert render_mtree(parse_mtree(text.replace("\n", "\r\n")), "\r\n") == text.replace("\n", "\r\n")


def test_harvest_is_compact_and_covers_every_case_that_came_up() -> None:
    header, cases = read_jsonl(MTREE_FILE.with_name("cases.jsonl"))
    assert header["qemu_version"] == read_jsonl(MTREE_FILE)[0]["qemu_version"]
    up = {tuple(c["args"]) for c in cases if c["exit_status"] == 0}
    assert set(read_mtree()) == up
    assert len(TEXTS) < len(up)  # distinct texts are stored once
    assert MTREE_FILE.stat().st_size < 1_500_000


def test_canonical_order_does_not_depend_on_qemus_order() -> None:
    text = read_mtree()[("-machine", "pc")]
    blocks = parse_mtree(text)
    assert len(blocks) == 4
    shuffled = [FlatViewBlock(n, b.spaces, b.root, b.ranges) for n, b in enumerate(reversed(blocks))]
    assert canonical_text(render_mtree(shuffled)) == text


def test_fields() -> None:
    blocks = parse_mtree(read_mtree()[("-machine", "pc")])
    memory = next(b for b in blocks if b.spaces[0] == ("memory", "system"))
    assert ("cpu-memory-0", "system") in memory.spaces and memory.root == "system"
    assert FlatRange(0xE0000, 0xFFFFF, 0, "rom", "pc.bios", 0x20000) in memory.ranges
    assert next(b for b in blocks if b.root is None).ranges == ()


@pytest.mark.parametrize("bad", ["FlatView #x\n", "FlatView #0\n Root memory region: io\n  junk\n",
                                 "hello\n", "FlatView #0\n AS \"a\", root: b\n"])
def test_bad_text(bad: str) -> None:
    with pytest.raises(MtreeParseError):
        parse_mtree(bad)


def test_a_trace_whose_mtree_is_not_mtree_text_is_refused_on_load() -> None:
    """Like the qom-tree and qtree, the recorded mtree is checked when a trace is read, so
    `vmtrace info TRACE mtree` never prints text that is not QEMU's."""
    doc = json.loads((ROOT / "traces" / "pc.json").read_text())
    doc["result"]["machine_views"]["mtree"] = "garbage\n"
    with pytest.raises(TraceFormatError, match="machine_views: not QEMU's monitor text"):
        decode_trace(json.dumps(doc).encode())
