"""The flat-view rules of ``softmmu/memory.c`` on small region trees (each rule on its own)."""

from __future__ import annotations

from model.softmmu.memory_region import (
    SPACE_END,
    AddressSpace,
    MemoryRegion,
    alias,
    flat_ranges,
    flat_views,
    flatview_root,
)
from tracer.machine.mtree import FlatRange


def _rows(root: MemoryRegion) -> list[tuple[int, int, str, int]]:
    return [(r.start, r.last, r.region, r.offset) for r in flat_ranges(root)]


def test_higher_priority_wins_and_the_lower_fills_the_gaps_with_offsets() -> None:
    io = MemoryRegion("io", 0x100, "io")
    io.add(0x10, MemoryRegion("a", 0x10, "io"))
    assert _rows(io) == [(0, 0xF, "io", 0), (0x10, 0x1F, "a", 0), (0x20, 0xFF, "io", 0x20)]


def test_on_equal_priority_the_region_added_later_wins() -> None:
    root = MemoryRegion("system", SPACE_END)
    root.add(0, MemoryRegion("first", 0x20, "ram"))
    root.add(0x10, MemoryRegion("second", 0x20, "io"))
    assert _rows(root) == [(0, 0xF, "first", 0), (0x10, 0x2F, "second", 0)]
    low = MemoryRegion("system", SPACE_END)
    low.add(0x10, MemoryRegion("second", 0x20, "io"), -1)
    low.add(0, MemoryRegion("first", 0x20, "ram"))
    assert _rows(low) == [(0, 0x1F, "first", 0), (0x20, 0x2F, "second", 0x10)]


def test_alias_shows_its_target_at_the_offset_and_clips_to_its_size() -> None:
    ram = MemoryRegion("ram", 0x1000, "ram")
    root = MemoryRegion("system", SPACE_END)
    root.add(0x8000, alias("window", ram, 0x200, 0x100))
    assert flat_ranges(root) == (FlatRange(0x8000, 0x80FF, 0, "ram", "ram", 0x200),)


def test_disabled_regions_render_nothing_and_readonly_prints_rom() -> None:
    root = MemoryRegion("system", SPACE_END)
    root.add(0, MemoryRegion("off", 0x10, "ram", enabled=False))
    root.add(0x10, MemoryRegion("bios", 0x10, "ram", readonly=True))
    assert _rows(root) == [(0x10, 0x1F, "bios", 0)] and flat_ranges(root)[0].kind == "rom"


def test_a_subregion_is_clipped_to_its_container() -> None:
    box = MemoryRegion("box", 0x10)
    box.add(0x8, MemoryRegion("big", 0x100, "io"))
    root = MemoryRegion("system", SPACE_END)
    root.add(0x100, box)
    assert _rows(root) == [(0x108, 0x10F, "big", 0)]


def test_pieces_of_one_region_merge_when_contiguous() -> None:
    ram = MemoryRegion("ram", 0x100, "ram")
    root = MemoryRegion("system", SPACE_END)
    root.add(0, alias("low", ram, 0, 0x80))
    root.add(0x80, alias("high", ram, 0x80, 0x80))
    assert _rows(root) == [(0, 0xFF, "ram", 0)]


def test_spaces_share_a_view_when_their_roots_reduce_to_one_region() -> None:
    system, io = MemoryRegion("system", SPACE_END), MemoryRegion("io", 0x10000, "io")
    smm = MemoryRegion("memory", SPACE_END)
    smm.add(0, alias("memory", system, 0, SPACE_END))
    assert flatview_root(system) is None and flatview_root(smm) is None  # nothing mapped yet
    ram = system.add(0, MemoryRegion("ram", 0x1000, "ram"))
    assert flatview_root(smm) is ram  # a lone child at 0 stands for its container
    system.add(0x1000, MemoryRegion("mmio", 0x1000, "io"))
    assert flatview_root(smm) is system
    blocks = flat_views([AddressSpace("memory", system), AddressSpace("I/O", io), AddressSpace("cpu-smm-0", smm)])
    assert [(b.number, b.spaces, b.root) for b in blocks] == [
        (0, (("I/O", "io"),), "io"), (1, (("memory", "system"), ("cpu-smm-0", "memory")), "system")]
