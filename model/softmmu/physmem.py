"""Memory transactions and the subpages they allocate (``softmmu/memory.c``, ``physmem.c``).

vmtrace does not model guest memory, but one effect of QEMU's memory API shows in the QOM
steps: every ``memory_region_transaction_commit`` with pending changes regenerates the flat
view of every address space, and building a view's dispatch table gives each page that holds
a section smaller than the page a fresh *subpage*, a ``memory-region`` object with no owner
and no name (``subpage_init``). So the first region mapped at a sub-page offset (the
kvmvapic's two I/O ports, or fw_cfg's on microvm) makes every later commit initialise one
more memory region.

The mappings tracked are those made up to the CPUs' realize: by address space, each mapped
section's offset and size. The process state and the board share one :class:`MemoryMap`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.qom.object import TypeRegistry
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

PAGE_SIZE = 4096  # TARGET_PAGE_SIZE on x86


@dataclass
class MemoryMap:
    """Address space name -> the (offset, size) of each section mapped into its root."""

    sections: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def subpage_pages(sections: list[tuple[int, int]]) -> list[int]:
    """The pages that some section covers only in part (they need a subpage)."""
    pages: set[int] = set()
    for offset, size in sections:
        end = offset + size
        first, last = offset // PAGE_SIZE, (end - 1) // PAGE_SIZE
        if offset % PAGE_SIZE:
            pages.add(first)
        if end % PAGE_SIZE:
            pages.add(last)
    return sorted(pages)


@traced("softmmu/memory.c", args=lambda types, mm, space, offset, size: {
    "space": space, "offset": hex(offset), "size": hex(size)})
def memory_region_add_subregion(types: TypeRegistry, mm: MemoryMap, space: str, offset: int, size: int) -> None:
    """Map a region into an address space's root at ``offset``; the change takes effect when
    the (implicit) transaction commits. (Sizes can be 2**64, QEMU's "whole address space",
    so the trace shows them in hex.)"""
    mm.sections.setdefault(space, []).append((offset, size))
    memory_region_transaction_commit(types, mm)


@traced("softmmu/memory.c", args=lambda types, mm: {})
def memory_region_transaction_commit(types: TypeRegistry, mm: MemoryMap) -> None:
    """Regenerate every address space's flat view and dispatch table: a new subpage for each
    page holding a section smaller than the page."""
    for sections in mm.sections.values():
        for _page in subpage_pages(sections):
            subpage_init(types)


@traced("softmmu/physmem.c", args=lambda types: {})
def subpage_init(types: TypeRegistry) -> None:
    """A subpage: an I/O region (no owner, no name) that dispatches within one page."""
    memory_region_init_io(types, None, None, PAGE_SIZE)
