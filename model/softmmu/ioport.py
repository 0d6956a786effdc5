"""Port I/O lists (``softmmu/ioport.c``): how devices with scattered legacy ports map them.

A device describes its ports as a list of (offset, length) pieces; ``portio_list_add`` turns
each run of contiguous pieces into one I/O region named after the list and maps it into the
given I/O space at ``start`` plus its offset as soon as it is made, so each region's mapping
is a transaction of its own (and regenerates the flat views, with their subpages).
"""

from __future__ import annotations

from model.qom.object import TypeRegistry
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import MemoryMap, memory_region_add_subregion
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced


def portio_runs(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pieces merged into runs of contiguous ports: (offset, size) per region."""
    runs: list[tuple[int, int]] = []
    for offset, size in sorted(pieces):
        if runs and runs[-1][0] + runs[-1][1] == offset:
            runs[-1] = (runs[-1][0], runs[-1][1] + size)
        else:
            runs.append((offset, size))
    return runs


@traced("softmmu/ioport.c", args=lambda types, mm, owner, space, start, pieces, name: {
    "name": name, "start": hex(start)})
def portio_list_add(types: TypeRegistry, mm: MemoryMap, owner: str | None, space: MemoryRegion, start: int,
                    pieces: list[tuple[int, int]], name: str) -> list[MemoryRegion]:
    """One region per run, each mapped at once; the regions, in order, for the owner to keep."""
    made: list[MemoryRegion] = []
    for offset, size in portio_runs(pieces):
        mr = memory_region_init_io(types, owner, name, size)
        memory_region_add_subregion(types, mm, space, start + offset, mr)
        made.append(mr)
    return made
