"""The memory API as the steps see it: transactions, pending changes and subpages.

A subpage is a ``memory-region`` QOM object, so each one is an ``instance_init`` hook in the
steps; QEMU makes one per page cut by a flat range, per distinct flat-view root, at every
outermost commit with a change pending. These tests pin QEMU 7.2's rules on small trees.
"""

from __future__ import annotations

from model.harvest.steps import effects
from model.harvest.steps.store import load
from model.qom.init_effects import EFFECTS_FILE, Child, Irq, Region, init_effects, parse
from model.softmmu.memory_region import SPACE_END, MemoryRegion
from model.softmmu.physmem import (
    MemoryMap,
    address_space_init,
    memory_region_add_subregion,
    memory_region_add_subregion_overlap,
    memory_region_set_enabled,
    memory_region_set_readonly,
    subpage_pages,
    transaction,
)


class _Types:
    """Counts the memory-region objects initialised (subpages, here)."""

    def __init__(self) -> None:
        self.regions = 0

    def object_initialize(self, name: str) -> None:
        assert name == "memory-region"
        self.regions += 1


def _machine() -> tuple[_Types, MemoryMap]:
    types, mm = _Types(), MemoryMap()
    mm.system, mm.io = MemoryRegion("system", SPACE_END), MemoryRegion("io", 0x10000, "io")
    address_space_init(types, mm, mm.system, "memory")
    address_space_init(types, mm, mm.io, "I/O")
    return types, mm


def test_pages_cut_by_a_range_need_subpages() -> None:
    assert subpage_pages([(0, 0x7E), (0x7E, 2), (0x80, 0xFF80)]) == [0]
    assert subpage_pages([(0, 0x1000), (0x1000, 0x3000)]) == []
    assert subpage_pages([(0xFED00000, 0x400)]) == [0xFED00]


def test_each_commit_with_a_change_regenerates_every_view() -> None:
    types, mm = _machine()
    assert types.regions == 0  # empty system container, whole-page io region
    assert mm.io is not None and mm.system is not None
    memory_region_add_subregion(types, mm, mm.io, 0x7E, MemoryRegion("kvmvapic", 2, "io"))
    assert types.regions == 1  # io page 0
    hpet = MemoryRegion("hpet", 0x400, "io")
    memory_region_add_subregion(types, mm, mm.system, 0xFED00000, hpet)
    assert types.regions == 1 + 2  # io page 0 and the HPET's page, each view once
    memory_region_set_enabled(types, mm, hpet, True)  # already on: no transaction at all
    assert types.regions == 3
    memory_region_set_readonly(types, mm, hpet, True)  # an enabled region changed: both views again
    assert types.regions == 5


def test_a_transaction_commits_once_and_disabled_regions_set_nothing_pending() -> None:
    types, mm = _machine()
    assert mm.io is not None and mm.system is not None
    memory_region_add_subregion(types, mm, mm.io, 0x7E, MemoryRegion("kvmvapic", 2, "io"))
    start = types.regions
    with transaction(types, mm):
        for _ in range(4):
            alias = MemoryRegion("pam-pci", 0x4000, "ram")
            memory_region_set_enabled(types, mm, alias, False)
            memory_region_add_subregion_overlap(types, mm, mm.system, 0xC0000, alias, 1)
    assert types.regions == start + 1  # one regeneration for the whole transaction
    hidden = MemoryRegion("piix4-pm", 64)
    hidden.enabled = False
    memory_region_add_subregion(types, mm, mm.io, 0, hidden)
    assert types.regions == start + 1  # adding a disabled region changes nothing


def test_a_space_sharing_a_root_shares_its_view() -> None:
    types, mm = _machine()
    assert mm.io is not None and mm.system is not None
    memory_region_add_subregion(types, mm, mm.system, 0xFED00000, MemoryRegion("hpet", 0x400, "io"))
    start = types.regions
    root = MemoryRegion("memory", SPACE_END)
    alias = MemoryRegion("memory", SPACE_END, "alias", alias=mm.system)
    memory_region_add_subregion_overlap(types, mm, root, 0, alias, 0)
    assert types.regions == start + 1  # the commit regenerates system memory's view only
    address_space_init(types, mm, root, "cpu-smm-0")
    assert types.regions == start + 1  # its flat-view root is system memory: no new view
    memory_region_add_subregion_overlap(types, mm, root, 0, MemoryRegion("smram", 2**32), 1)
    assert types.regions == start + 1 + 2  # now a view of its own, cut at the same page


def test_instance_init_effects_are_what_the_committed_steps_show() -> None:
    data = load()
    assert effects.render(effects.collect(data.cases), data.qemu_version) == EFFECTS_FILE.read_text()
    found = init_effects()
    assert found["i8042"][2:] == (Child("ps2kbd", "ps2-kbd"), Child("ps2mouse", "ps2-mouse"), Irq(), Irq())
    assert found["hpet"] == (Region("memory_region_init_io", "hpet", "0x400"),)
    assert parse('{"instance_init": {"t": [["irq"], ["child", "c", "ct"]]}}') == {"t": (Irq(), Child("c", "ct"))}


def test_a_type_doing_two_different_things_is_an_error() -> None:
    from model.harvest.steps.store import Case

    def case(name: str, region: str) -> Case:
        return Case(name, [], None, [], None, ["instance_init x x", f"call memory_region_init_io x {region} 0x1",
                                               "instance_init memory-region memory-region",
                                               "instance_post_init device x"], [])

    try:
        effects.collect([case("a", "one"), case("b", "two")])
    except ValueError as err:
        assert "x's instance_init did different things in b" in str(err)
    else:
        raise AssertionError("no error")
