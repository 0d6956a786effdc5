"""Memory regions, address spaces and the flat views QEMU computes from them (``softmmu/memory.c``).

A region is a *container* (only subregions), a *terminating* region (RAM, ROM, a ROM device or
MMIO/port I/O callbacks; it may hold subregions too, which cover it), or an *alias* (a window
onto another region at an offset). The flat view of a tree is what an access at each address
reaches, computed by QEMU's rules (``render_memory_region``):

* a disabled region renders nothing; each region is clipped to its parent's window;
* subregions are kept sorted by priority, highest first; one added later is placed before
  the earlier ones of the same priority, so on equal priority the later one wins;
* a terminating region fills only the gaps its subregions (and anything rendered before it)
  left, each piece remembering its offset inside the region;
* an alias renders its target shifted by ``addr - alias_offset``; the printed priority and
  name are the target's;
* adjacent pieces of one region at contiguous offsets with the same attributes merge
  (``flatview_simplify``).

Address spaces whose roots reduce to the same region share one flat view
(``memory_region_get_flatview_root``: an alias covering its whole target stands for the
target, a container with one enabled child at 0 covering it stands for the child, an empty
container or a disabled region for nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracer.machine.mtree import FlatRange, FlatViewBlock, canonical

SPACE_END = 2**64  # QEMU's UINT64_MAX size means the whole 64-bit space


@dataclass(eq=False)
class MemoryRegion:
    """One region. ``kind`` is "container", "io", "ram", "rom" (RAM read-only) or "romd"
    (a ROM device in ROMD mode); ``alias`` makes it an alias of that region."""

    name: str
    size: int
    kind: str = "container"
    priority: int = 0
    addr: int = 0
    alias: MemoryRegion | None = None
    alias_offset: int = 0
    enabled: bool = True
    readonly: bool = False
    nonvolatile: bool = False
    # How many users asked for VGA dirty logging (``memory_region_set_log``).
    vga_logging: int = 0
    subregions: list[MemoryRegion] = field(default_factory=list)

    @property
    def terminates(self) -> bool:
        return self.alias is None and self.kind != "container"

    def add(self, offset: int, sub: MemoryRegion, priority: int = 0) -> MemoryRegion:
        """``memory_region_add_subregion(_overlap)``: insert before the first subregion of the
        same or lower priority, so the newest of equal priority is rendered first."""
        sub.addr, sub.priority = offset, priority
        at = next((i for i, o in enumerate(self.subregions) if priority >= o.priority), len(self.subregions))
        self.subregions.insert(at, sub)
        return sub

    def type_name(self) -> str:
        """``memory_region_type``: what the monitor calls the region (an alias: its target's)."""
        if self.alias is not None:
            return self.alias.type_name()
        return {"romd": "romd", "rom": "rom", "ram": "ram"}.get(self.kind, "i/o")


def alias(name: str, target: MemoryRegion, offset: int, size: int) -> MemoryRegion:
    """``memory_region_init_alias``."""
    return MemoryRegion(name, size, "alias", alias=target, alias_offset=offset)


@dataclass
class _Piece:
    start: int
    size: int
    mr: MemoryRegion
    offset: int
    readonly: bool
    nonvolatile: bool


def _render(view: list[_Piece], mr: MemoryRegion, base: int, clip: tuple[int, int], readonly: bool,
            nonvolatile: bool) -> None:
    if not mr.enabled:
        return
    base += mr.addr
    readonly, nonvolatile = readonly or mr.readonly, nonvolatile or mr.nonvolatile
    start, end = max(base, clip[0]), min(base + mr.size, clip[1])
    if start >= end:
        return
    if mr.alias is not None:
        _render(view, mr.alias, base - mr.alias.addr - mr.alias_offset, (start, end), readonly, nonvolatile)
        return
    for sub in mr.subregions:
        _render(view, sub, base, (start, end), readonly, nonvolatile)
    if not mr.terminates:
        return
    pos, i = start, 0
    while i < len(view) and pos < end:  # fill the gaps left by what was rendered already
        piece = view[i]
        if pos >= piece.start + piece.size:
            i += 1
            continue
        if pos < piece.start:
            now = min(end, piece.start) - pos
            view.insert(i, _Piece(pos, now, mr, pos - base, readonly, nonvolatile))
            pos += now
            i += 1
        pos = min(end, piece.start + piece.size)
        i += 1
    if pos < end:
        view.insert(i, _Piece(pos, end - pos, mr, pos - base, readonly, nonvolatile))


def _simplify(view: list[_Piece]) -> list[_Piece]:
    out: list[_Piece] = []
    for p in view:
        last = out[-1] if out else None
        if (last is not None and last.mr is p.mr and last.start + last.size == p.start
                and last.offset + last.size == p.offset and (last.readonly, last.nonvolatile)
                == (p.readonly, p.nonvolatile)):
            last.size += p.size
        else:
            out.append(_Piece(p.start, p.size, p.mr, p.offset, p.readonly, p.nonvolatile))
    return out


def flatview_root(mr: MemoryRegion | None) -> MemoryRegion | None:
    """The region a space's flat view is computed from (None: nothing is mapped)."""
    while mr is not None and mr.enabled:
        if mr.alias is not None:
            if not mr.alias_offset and mr.size >= mr.alias.size:
                mr = mr.alias
                continue
        elif not mr.terminates:
            enabled = [c for c in mr.subregions if c.enabled]
            if not enabled:
                return None
            if len(enabled) == 1 and not enabled[0].addr and mr.size >= enabled[0].size:
                mr = enabled[0]
                continue
        return mr
    return None


def flat_extents(root: MemoryRegion | None) -> list[tuple[int, int]]:
    """The (start, size) of each flat range below ``root``: what a dispatch table is built from."""
    view: list[_Piece] = []
    if root is not None:
        _render(view, root, 0, (0, SPACE_END), False, False)
    return [(p.start, p.size) for p in _simplify(view)]


def flat_ranges(root: MemoryRegion | None) -> tuple[FlatRange, ...]:
    """``generate_memory_topology``: the flat ranges of the tree below ``root``."""
    view: list[_Piece] = []
    if root is not None:
        _render(view, root, 0, (0, SPACE_END), False, False)
    return tuple(FlatRange(p.start, p.start + p.size - 1, p.mr.priority, "rom" if p.readonly else p.mr.type_name(),
                           p.mr.name, p.offset, p.nonvolatile) for p in _simplify(view))


@dataclass(frozen=True)
class AddressSpace:
    name: str
    root: MemoryRegion


def flat_views(spaces: list[AddressSpace]) -> tuple[FlatViewBlock, ...]:
    """``info mtree -f``: one block per distinct flat-view root, listing the spaces that share it
    in creation order; blocks in the canonical order of :func:`tracer.machine.mtree.canonical`."""
    groups: dict[int, tuple[MemoryRegion | None, list[AddressSpace]]] = {}
    for space in spaces:
        root = flatview_root(space.root)
        groups.setdefault(id(root), (root, []))[1].append(space)
    blocks = [FlatViewBlock(0, tuple((s.name, s.root.name) for s in members),
                            root.name if root is not None else None, flat_ranges(root))
              for root, members in groups.values()]
    return canonical(blocks)
