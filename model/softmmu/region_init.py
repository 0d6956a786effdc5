"""Creating memory regions: ``memory_region_init`` and its flavours (``softmmu/memory.c``).

A ``MemoryRegion`` is a QOM object (type ``memory-region``) embedded in its owner's state, so
each flavour ends in ``object_initialize``, which runs ``memory_region_initfn`` (the region's
``instance_init`` hook) without an ``object_new``. The owner and name then make it a child of
the owner in the composition tree (a region without owner goes under
``/machine/unattached``); the callers add that node, since they know where the owner sits.

The flavours the binary shows, each with its own frame: ``memory_region_init`` (containers),
``memory_region_init_io`` (callbacks; subpages too, with no owner and no name),
``memory_region_init_alias``, ``memory_region_init_ram`` (which calls
``memory_region_init_ram_flags_nomigrate``, the one a RAM memory backend calls directly) and
``memory_region_init_resizeable_ram`` (fw_cfg's ROM blobs). A size of ``UINT64_MAX`` means the
whole 64-bit space.

Each returns the :class:`MemoryRegion` it made, which the board maps (``physmem``) so that
memory transactions see what QEMU's see.
"""

from __future__ import annotations

from collections.abc import Callable

from model.qom.object import TypeRegistry
from model.softmmu.memory_region import SPACE_END, MemoryRegion
from tracer.recorder import traced

SRC = "softmmu/memory.c"
UINT64_MAX = 2**64 - 1


def _args(types: TypeRegistry, owner: str | None, name: str | None, size: int, *_: object,
          **__: object) -> dict[str, object]:
    """The arguments every flavour's frame shows: the owner's type, the name and the size."""
    return {"owner": owner, "name": name, "size": hex(size)}


def _region(types: TypeRegistry, name: str | None, size: int, kind: str) -> MemoryRegion:
    types.object_initialize("memory-region")
    return MemoryRegion(name or "", SPACE_END if size == UINT64_MAX else size, kind)


@traced(SRC, args=_args)
def memory_region_init(types: TypeRegistry, owner: str | None, name: str | None, size: int) -> MemoryRegion:
    """A container (or a region whose contents its owner sets up itself)."""
    return _region(types, name, size, "container")


@traced(SRC, args=_args)
def memory_region_init_io(types: TypeRegistry, owner: str | None, name: str | None, size: int) -> MemoryRegion:
    """A region whose accesses call the owner's read/write callbacks (MMIO or port I/O)."""
    return _region(types, name, size, "io")


@traced(SRC, args=_args)
def memory_region_init_alias(types: TypeRegistry, owner: str | None, name: str | None, size: int,
                             target: MemoryRegion | None = None, offset: int = 0) -> MemoryRegion:
    """A window of ``size`` bytes at ``offset`` into ``target`` (which region and the offset are
    not shown). Without a target the window reads as RAM, which is all a memory transaction
    needs to know of a page-aligned window."""
    mr = _region(types, name, size, "container")
    mr.kind, mr.alias, mr.alias_offset = "alias", target or MemoryRegion("", mr.size, "ram"), offset
    return mr


@traced(SRC, args=_args)
def memory_region_init_ram_flags_nomigrate(types: TypeRegistry, owner: str | None, name: str | None,
                                           size: int) -> MemoryRegion:
    """RAM allocated now, not registered for migration (a memory backend registers it itself)."""
    return _region(types, name, size, "ram")


@traced(SRC, args=_args)
def memory_region_init_ram_nomigrate(types: TypeRegistry, owner: str | None, name: str | None,
                                     size: int) -> MemoryRegion:
    """RAM the caller registers for migration itself (VGA's video RAM): the flags flavour with
    no flags."""
    return memory_region_init_ram_flags_nomigrate(types, owner, name, size)


@traced(SRC, args=_args)
def memory_region_init_ram(types: TypeRegistry, owner: str | None, name: str | None, size: int) -> MemoryRegion:
    """RAM registered for migration: the ``nomigrate`` flavour, then ``vmstate_register_ram``."""
    return memory_region_init_ram_flags_nomigrate(types, owner, name, size)


@traced(SRC, args=_args)
def memory_region_init_resizeable_ram(types: TypeRegistry, owner: str | None, name: str | None,
                                      size: int) -> MemoryRegion:
    """RAM whose used length can change later (fw_cfg's ROM blobs, the ACPI tables among them)."""
    return _region(types, name, size, "ram")


@traced(SRC, args=_args)
def memory_region_init_rom(types: TypeRegistry, owner: str | None, name: str | None, size: int) -> MemoryRegion:
    """Read-only RAM (a PCI option ROM): the ``nomigrate`` RAM flavour, made read-only."""
    mr = memory_region_init_ram_flags_nomigrate(types, owner, name, size)
    mr.readonly = True
    return mr


@traced(SRC, args=lambda types, mrtypename, owner, name, size: {"owner": owner, "name": name, "size": hex(size)})
def memory_region_init_iommu(types: TypeRegistry, mrtypename: str, owner: str | None, name: str | None,
                             size: int) -> MemoryRegion:
    """An IOMMU region: an object of the IOMMU's own region type (``virtio-iommu-memory-region``)
    whose accesses are translated; as a region it terminates like an I/O one."""
    types.object_initialize(mrtypename)
    return MemoryRegion(name or "", SPACE_END if size == UINT64_MAX else size, "io")


FLAVOURS: dict[str, Callable[[TypeRegistry, str | None, str | None, int], MemoryRegion]] = {
    fn.__name__: fn for fn in (memory_region_init, memory_region_init_io, memory_region_init_alias,
                               memory_region_init_ram, memory_region_init_ram_nomigrate,
                               memory_region_init_ram_flags_nomigrate,
                               memory_region_init_resizeable_ram, memory_region_init_rom)}
"""Each flavour by its QEMU name (harvested instance_init effects name them)."""
