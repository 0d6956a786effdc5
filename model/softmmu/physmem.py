"""Memory transactions and the subpages they allocate (``softmmu/memory.c``, ``physmem.c``).

vmtrace does not model guest memory, but one effect of QEMU's memory API shows in the QOM
steps: every change to the region tree happens in a transaction, and when the outermost
``memory_region_transaction_commit`` finds a change pending it throws away every flat view and
regenerates one per distinct flat-view root, in address-space order. Building a view's
dispatch table gives each page that some range covers only in part a fresh *subpage*, a
``memory-region`` object with no owner and no name (``subpage_init``). So once a region is
mapped at a sub-page offset (the kvmvapic's two I/O ports), every later change initialises
one more memory region per such page and view, and the steps show them.

What sets a change pending is QEMU's rule: adding or removing a subregion when both it and
its container are enabled; enabling or disabling a region (if that changes it); making an enabled region
read-only or writable; turning VGA dirty logging on or off. ``address_space_init`` generates
the view of a root not seen since the last regeneration. :class:`MemoryMap` is that state (the
region tree, the address spaces, the pending flag and depth), shared by the process state and
the board.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from model.qom.object import TypeRegistry
from model.softmmu.memory_region import AddressSpace, MemoryRegion, flat_extents, flatview_root
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

PAGE_SIZE = 4096  # TARGET_PAGE_SIZE on x86
SRC = "softmmu/memory.c"


@dataclass
class MemoryMap:
    """The memory API's global state: the system memory and I/O roots once ``memory_map_init``
    made them, every address space in creation order, and the transaction state."""

    system: MemoryRegion | None = None
    io: MemoryRegion | None = None
    spaces: list[AddressSpace] = field(default_factory=list)
    pending: bool = False
    depth: int = 0
    # The flat-view roots generated since the last regeneration (QEMU's flat_views table).
    views: set[int] = field(default_factory=set)
    # Making new flat views (a commit, a new address space): the spaces still show the old ones.
    regenerating: bool = False

    @property
    def settled(self) -> bool:
        """No transaction open and no view being made: every space shows the tree as it is,
        which is when ``info mtree -f`` (each space's current view) and the tree agree."""
        return self.depth == 0 and not self.regenerating


def subpage_pages(ranges: list[tuple[int, int]]) -> list[int]:
    """The pages that some range covers only in part (each needs a subpage)."""
    pages: set[int] = set()
    for offset, size in ranges:
        end = offset + size
        if offset % PAGE_SIZE:
            pages.add(offset // PAGE_SIZE)
        if end % PAGE_SIZE:
            pages.add((end - 1) // PAGE_SIZE)
    return sorted(pages)


def _generate(types: TypeRegistry, mm: MemoryMap, root: MemoryRegion | None) -> None:
    """``generate_memory_topology`` for one root, once per regeneration."""
    if id(root) in mm.views:
        return
    mm.views.add(id(root))
    for _page in subpage_pages(flat_extents(root)):
        subpage_init(types)


@contextmanager
def transaction(types: TypeRegistry, mm: MemoryMap) -> Iterator[None]:
    """``memory_region_transaction_begin`` ... ``_commit``: changes made inside take effect at
    the outermost commit."""
    mm.depth += 1
    try:
        yield
    finally:
        memory_region_transaction_commit(types, mm)


@traced(SRC, args=lambda types, mm: {"pending": mm.pending, "depth": mm.depth})
def memory_region_transaction_commit(types: TypeRegistry, mm: MemoryMap) -> None:
    """Close a transaction; the outermost, with a change pending, regenerates every address
    space's flat view (and so its subpages)."""
    mm.depth -= 1
    if mm.depth or not mm.pending:
        return
    mm.pending = False
    mm.views.clear()
    mm.regenerating = True
    for space in mm.spaces:
        _generate(types, mm, flatview_root(space.root))
    mm.regenerating = False


def _sub_args(types: TypeRegistry, mm: MemoryMap, parent: MemoryRegion, offset: int, sub: MemoryRegion,
              priority: int = 0) -> dict[str, object]:
    return {"mr": parent.name, "offset": hex(offset), "subregion": sub.name, "priority": priority}


@traced(SRC, args=_sub_args)
def memory_region_add_subregion(types: TypeRegistry, mm: MemoryMap, parent: MemoryRegion, offset: int,
                                sub: MemoryRegion, priority: int = 0) -> None:
    """Map ``sub`` into ``parent`` at ``offset`` (priority 0)."""
    _add(types, mm, parent, offset, sub, priority)


@traced(SRC, args=_sub_args)
def memory_region_add_subregion_overlap(types: TypeRegistry, mm: MemoryMap, parent: MemoryRegion, offset: int,
                                        sub: MemoryRegion, priority: int = 0) -> None:
    """Map ``sub`` into ``parent`` at ``offset`` with a priority: it may overlap its siblings."""
    _add(types, mm, parent, offset, sub, priority)


def _add(types: TypeRegistry, mm: MemoryMap, parent: MemoryRegion, offset: int, sub: MemoryRegion,
         priority: int) -> None:
    with transaction(types, mm):
        parent.add(offset, sub, priority)
        mm.pending |= parent.enabled and sub.enabled


@traced(SRC, args=lambda types, mm, parent, sub: {"mr": parent.name, "subregion": sub.name})
def memory_region_del_subregion(types: TypeRegistry, mm: MemoryMap, parent: MemoryRegion, sub: MemoryRegion) -> None:
    """Unmap ``sub`` from ``parent``: a change (so a regeneration) if both were enabled."""
    with transaction(types, mm):
        parent.subregions.remove(sub)
        mm.pending |= parent.enabled and sub.enabled


@traced(SRC, args=lambda types, mm, mr, enabled: {"mr": mr.name, "enabled": enabled})
def memory_region_set_enabled(types: TypeRegistry, mm: MemoryMap, mr: MemoryRegion, enabled: bool) -> None:
    """Show or hide a region (nothing happens if it already is so)."""
    if mr.enabled == enabled:
        return
    with transaction(types, mm):
        mr.enabled = enabled
        mm.pending = True


@traced(SRC, args=lambda types, mm, mr, readonly: {"mr": mr.name, "readonly": readonly})
def memory_region_set_readonly(types: TypeRegistry, mm: MemoryMap, mr: MemoryRegion, readonly: bool) -> None:
    """Make a RAM region read-only (ROM) or writable."""
    if mr.readonly == readonly:
        return
    with transaction(types, mm):
        mr.readonly = readonly
        mm.pending |= mr.enabled


@traced(SRC, args=lambda types, mm, mr, log: {"mr": mr.name, "log": log})
def memory_region_set_log(types: TypeRegistry, mm: MemoryMap, mr: MemoryRegion, log: bool) -> None:
    """Start or stop VGA dirty logging on a RAM region. Users are counted; only the first start
    and the last stop change the region (a transaction, pending if it is enabled)."""
    before = mr.vga_logging
    mr.vga_logging += 1 if log else -1
    if bool(before) == bool(mr.vga_logging):
        return
    with transaction(types, mm):
        mm.pending |= mr.enabled


@traced(SRC, args=lambda types, mm, root, name: {"root": root.name, "name": name})
def address_space_init(types: TypeRegistry, mm: MemoryMap, root: MemoryRegion, name: str) -> AddressSpace:
    """A new address space over ``root``: its flat view is generated now unless a space with the
    same flat-view root already has one."""
    space = AddressSpace(name, root)
    mm.spaces.append(space)
    mm.regenerating = True
    _generate(types, mm, flatview_root(root))
    mm.regenerating = False
    return space


@traced("softmmu/physmem.c", args=lambda types: {})
def subpage_init(types: TypeRegistry) -> None:
    """A subpage: an I/O region (no owner, no name) that dispatches within one page."""
    memory_region_init_io(types, None, None, PAGE_SIZE)
