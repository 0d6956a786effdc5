"""The i440FX host bridge (``hw/pci-host/i440fx.c``): the PCI root of the ``pc`` machines."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device, PamRegion
from model.hw.core.qdev import (
    device_realize,
    object_property_add_child,
    prop,
    qbus_new,
    qdev_realize,
    sysbus_add_io,
)
from model.hw.pci.pci import pci_create_simple
from model.hw.pci_host.pam import PAM_SEGMENTS, init_pam, pam_update
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import (
    memory_region_add_subregion,
    memory_region_add_subregion_overlap,
    memory_region_set_enabled,
    transaction,
)
from model.softmmu.region_init import memory_region_init, memory_region_init_alias
from tracer.recorder import traced

SMRAM_BASE, SMRAM_SIZE = 0xA0000, 0x20000  # the legacy VGA window
PCI_CONFIG_ADDR, PCI_CONFIG_DATA = 0xCF8, 0xCFC


@traced("hw/pci-host/i440fx.c", args=lambda board, host, pci, ram: {"pci-hole64-size": prop(host, "pci-hole64-size")})
def i440fx_init(board: Board, host: Device, pci: MemoryRegion, ram: MemoryRegion | None) -> tuple[Device, Bus]:
    """The host bridge (created by the board before its RAM, which needs the bridge's 64-bit
    hole size) becomes ``/machine/i440fx`` and owns the root bus ``pci.0``; the i440FX PCI
    function is then created at 00.0 on it. Then the memory map: the PCI space under system
    memory, the SMRAM window (PCI at 0xa0000 outside SMM) and ``smram`` (RAM there, for the
    CPUs' SMM view), the 13 PAM segments, and the mappings as at reset."""
    object_property_add_child(board, board.machine, "i440fx", host)
    bus = pci_root_bus_new(board, host, "PCI", pci, board.memory_map.io)
    qdev_realize(board, host, board.sysbus)
    f = pci_create_simple(board, bus, 0, "i440FX")
    types, mm = board.types, board.memory_map
    assert mm.system is not None
    ram = ram or MemoryRegion("ram", SMRAM_BASE + SMRAM_SIZE, "ram")
    memory_region_add_subregion_overlap(types, mm, mm.system, 0, pci, -1)
    smram_region = f.own(memory_region_init_alias(types, f.typename, "smram-region", SMRAM_SIZE, pci, SMRAM_BASE))
    memory_region_add_subregion_overlap(types, mm, mm.system, SMRAM_BASE, smram_region, 1)
    memory_region_set_enabled(types, mm, smram_region, True)
    smram = board.smram = f.own(memory_region_init(types, f.typename, "smram", 2**32))
    memory_region_set_enabled(types, mm, smram, True)
    low = f.own(memory_region_init_alias(types, f.typename, "smram-low", SMRAM_SIZE, ram, SMRAM_BASE))
    memory_region_set_enabled(types, mm, low, True)
    memory_region_add_subregion(types, mm, smram, SMRAM_BASE, low)
    pams = [init_pam(board, host.typename, ram, mm.system, pci, start, size) for start, size in PAM_SEGMENTS]
    i440fx_update_memory_mappings(board, pams, smram_region, smram)
    return host, bus


@traced("hw/pci-host/i440fx.c", args=lambda board, pams, smram_region, smram: {})
def i440fx_update_memory_mappings(board: Board, pams: list[PamRegion], smram_region: MemoryRegion,
                                  smram: MemoryRegion) -> None:
    """Apply the PAM and SMRAM registers as at reset, in one transaction: every segment reads
    from PCI, the SMRAM window shows PCI (closed), and SMRAM itself is off (SMRAME clear)."""
    with transaction(board.types, board.memory_map):
        for pam in pams:
            pam_update(board, pam, 0)
        memory_region_set_enabled(board.types, board.memory_map, smram_region, True)
        memory_region_set_enabled(board.types, board.memory_map, smram, False)


@traced("hw/pci/pci.c", args=lambda board, host, bus_type, mem, io, name=None: {
    "host": host.typename, "type": bus_type, "name": name}, ret=lambda bus: bus.name)
def pci_root_bus_new(board: Board, host: Device, bus_type: str, mem: MemoryRegion, io: MemoryRegion | None,
                     name: str | None = None) -> Bus:
    """A host bridge's root bus, a QOM child of the bridge; i440FX lets qdev name it (``pci.0``
    from the PCI bus class's counter), Q35 names it ``pcie.0`` itself. Its devices' BARs go in
    the host's PCI memory space and the system I/O space. Realizing the bus (with its host)
    registers its machine-done notifier (``pci_bus_realize``)."""
    assert host.node is not None
    bus = qbus_new(board, host, bus_type, name)
    bus.address_space_mem, bus.address_space_io = mem, io
    return bus


@device_realize("i440FX-pcihost")
@traced("hw/pci-host/i440fx.c", args=lambda board, dev: {})
def i440fx_pcihost_realize(board: Board, dev: Device) -> None:
    """The configuration ports its instance init made: address at 0xcf8, data at 0xcfc."""
    pci_host_config_ports(board, dev)


def pci_host_config_ports(board: Board, dev: Device) -> None:
    """A PC host bridge's ``sysbus_add_io`` of its config address and data ports (i440FX, Q35)."""
    sysbus_add_io(board, PCI_CONFIG_ADDR, dev.region("pci-conf-idx"))
    sysbus_add_io(board, PCI_CONFIG_DATA, dev.region("pci-conf-data"))
