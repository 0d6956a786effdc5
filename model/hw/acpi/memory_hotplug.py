"""ACPI memory hotplug registers (``hw/acpi/memory_hotplug.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.softmmu.physmem import memory_region_add_subregion
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

ACPI_MEMORY_HOTPLUG_BASE = 0x0A00
ACPI_MEMORY_HOTPLUG_IO_LEN = 24


@traced("hw/acpi/memory_hotplug.c", args=lambda board, dev: {"type": dev.typename, "slots": board.ram_slots})
def acpi_memory_hotplug_init(board: Board, dev: Device) -> None:
    """One status block a DIMM slot, behind 24 I/O ports at 0xa00 the power-management device
    owns; a machine with no slots (``-m slots=0``, the default) gets none."""
    if not board.ram_slots:
        return
    assert board.memory_map.io is not None
    region = dev.own(memory_region_init_io(board.types, dev.typename, "acpi-mem-hotplug", ACPI_MEMORY_HOTPLUG_IO_LEN))
    memory_region_add_subregion(board.types, board.memory_map, board.memory_map.io, ACPI_MEMORY_HOTPLUG_BASE, region)
    if dev.node is not None:
        dev.node.add_child("acpi-mem-hotplug[*]", "memory-region")
