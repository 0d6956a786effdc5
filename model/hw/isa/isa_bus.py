"""ISA devices (``hw/isa/isa-bus.c``): created with ``isa_new``, realized onto the ISA bus."""

from __future__ import annotations

from typing import Any

from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import qdev_new, qdev_prop_set, qdev_realize
from model.softmmu.ioport import portio_list_add
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import memory_region_add_subregion, memory_region_add_subregion_overlap
from tracer.recorder import traced

SRC = "hw/isa/isa-bus.c"


def isa_create(board: Board, bus: Bus, typename: str, props: dict[str, Any] | None = None) -> Device:
    """``isa_new`` + ``qdev_prop_set_*`` + ``isa_realize_and_unref``."""
    dev = qdev_new(board, typename)
    for key, value in (props or {}).items():
        qdev_prop_set(dev, key, value)
    qdev_realize(board, dev, bus)
    return dev


def isa_address_space(dev: Device) -> MemoryRegion:
    """The memory space of the device's ISA bus, where legacy memory windows go."""
    assert dev.parent_bus is not None and dev.parent_bus.address_space_mem is not None
    return dev.parent_bus.address_space_mem


@traced(SRC, args=lambda board, dev, mr, port, priority=None: {"region": mr.name, "port": hex(port)})
def isa_register_ioport(board: Board, dev: Device | None, mr: MemoryRegion, port: int,
                        priority: int | None = None) -> None:
    """Map one of the device's regions into the ISA I/O space (the system I/O space on PCs);
    with a priority, over whatever else is there (``memory_region_add_subregion_overlap``)."""
    mm = board.memory_map
    assert mm.io is not None
    if priority is None:
        memory_region_add_subregion(board.types, mm, mm.io, port, mr)
    else:
        memory_region_add_subregion_overlap(board.types, mm, mm.io, port, mr, priority)


@traced(SRC, args=lambda board, dev, start, pieces, name: {"name": name, "start": hex(start)})
def isa_register_portio_list(board: Board, dev: Device | None, start: int, pieces: list[tuple[int, int]],
                             name: str) -> None:
    """A port list in the ISA I/O space (the system I/O space on PCs): ``portio_list_add``
    makes and maps its regions. A list added without a device (IDE channels of a PCI
    controller) has no owner."""
    mm = board.memory_map
    assert mm.io is not None
    owner = dev.typename if dev is not None else None
    for mr in portio_list_add(board.types, mm, owner, mm.io, start, pieces, name):
        if dev is not None:
            dev.own(mr)
