"""Memory transactions and the subpages they allocate (``softmmu/memory.c``, ``physmem.c``).

vmtrace does not model guest memory, but one effect of QEMU's memory API shows in the QOM
steps: every ``memory_region_transaction_commit`` with pending changes regenerates the flat
view of every address space, and building a view's dispatch table gives each page that holds
a section smaller than the page a fresh *subpage*, a ``memory-region`` object with no owner
and no name (``subpage_init``). So the first region mapped at a sub-page offset (the
kvmvapic's two I/O ports) makes every later commit initialise one more memory region.

Only the mappings made before the CPUs are realized are tracked: by address space, each
mapped section's offset and size.
"""

from __future__ import annotations

from model.state import QemuInit
from tracer.recorder import traced

PAGE_SIZE = 4096  # TARGET_PAGE_SIZE on x86


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


@traced("softmmu/memory.c", args=lambda q, space, offset, size: {"space": space, "offset": hex(offset),
                                                                  "size": hex(size)})
def memory_region_add_subregion(q: QemuInit, space: str, offset: int, size: int) -> None:
    """Map a region into an address space's root at ``offset``; the change takes effect when
    the (implicit) transaction commits. (Sizes can be 2**64, QEMU's "whole address space",
    so the trace shows them in hex.)"""
    q.memory_map.setdefault(space, []).append((offset, size))
    memory_region_transaction_commit(q)


@traced("softmmu/memory.c", args=lambda q: {})
def memory_region_transaction_commit(q: QemuInit) -> None:
    """Regenerate every address space's flat view and dispatch table: a new subpage for each
    page holding a section smaller than the page."""
    for sections in q.memory_map.values():
        for _page in subpage_pages(sections):
            subpage_init(q)


@traced("softmmu/physmem.c", args=lambda q: {})
def subpage_init(q: QemuInit) -> None:
    """A subpage: an I/O region (no owner, no name) that dispatches within one page."""
    q.types.object_initialize("memory-region")
