"""The Q35 host bridge and its MCH function (``hw/pci-host/q35.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import (
    DEVICE_RESET,
    device_realize,
    object_property_add_child,
    prop,
    qdev_prop_set,
    qdev_realize,
)
from model.hw.pci_host.i440fx import SMRAM_BASE, SMRAM_SIZE, pci_host_config_ports, pci_root_bus_new
from model.hw.pci_host.pam import PAM_SEGMENTS, init_pam, pam_update
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import (
    memory_region_add_subregion,
    memory_region_add_subregion_overlap,
    memory_region_set_enabled,
    transaction,
)
from model.softmmu.region_init import memory_region_init, memory_region_init_alias, memory_region_init_io
from tracer.recorder import traced

PCIE_BASE_ADDR_UNMAPPED = 2**64 - 1


@traced("hw/pci-host/q35.c", args=lambda board, host, below, above: {
    "below-4g-mem-size": below, "above-4g-mem-size": above})
def q35_host_create(board: Board, host: Device, below: int, above: int) -> tuple[Device, Bus]:
    """``/machine/q35`` (created by the board before its RAM, which needs the host's 64-bit hole
    size) with the RAM split the board computed; realize makes ``pcie.0`` and the MCH."""
    object_property_add_child(board, board.machine, "q35", host)
    qdev_prop_set(host, "below-4g-mem-size", below)
    qdev_prop_set(host, "above-4g-mem-size", above)
    qdev_realize(board, host, board.sysbus)
    return host, host.buses[0]


@device_realize("q35-pcihost")
@traced("hw/pci-host/q35.c", args=lambda board, dev: {})
def q35_host_realize(board: Board, dev: Device) -> None:
    """The configuration ports (0xcf8, 0xcfc), the root bus, explicitly named ``pcie.0`` (so the
    automatic ``pcie.N`` names of root ports start at 0 too), then the MCH (child ``mch``,
    created at instance init) at 00.0. MMCONFIG stays unmapped (``MCFG`` = -1) until firmware programs PCIEXBAR."""
    assert dev.node is not None
    qdev_prop_set(dev, "MCFG", PCIE_BASE_ADDR_UNMAPPED)
    pci_host_config_ports(board, dev)
    assert board.pci_memory is not None
    bus = pci_root_bus_new(board, dev, "PCIE", board.pci_memory, board.memory_map.io, "pcie.0")
    mch = dev.embedded["mch"]
    qdev_prop_set(mch, "addr", 0)
    qdev_prop_set(mch, "multifunction", False)
    qdev_realize(board, mch, bus)


SMRAM_OPEN_HIGH = 0xFEDA0000  # SMRAM visible high (TSEG-style) when open
SMBASE_BASE, SMBASE_SIZE = 0x30000, 0x20000  # the default SMBASE area


@device_realize("mch")
@traced("hw/pci-host/q35.c", args=lambda board, dev: {})
def mch_realize(board: Board, dev: Device) -> None:
    """The memory map of the Q35 chipset: the PCI space under system memory, the SMRAM windows
    (PCI at 0xa0000 outside SMM; the open-high window at 0xfeda0000 off), ``smram`` with its low
    and high RAM views for the CPUs' SMM space, the TSEG and SMBASE black holes and windows
    (empty or off until firmware enables them), then the 13 PAM segments."""
    types, mm = board.types, board.memory_map
    assert mm.system is not None and board.pci_memory is not None
    ram = board.ram or MemoryRegion("ram", 2**32, "ram")
    host = dev.parent_bus.parent if dev.parent_bus is not None else None
    below_4g = int(prop(host, "below-4g-mem-size") or 0) if host is not None else 0
    memory_region_add_subregion_overlap(types, mm, mm.system, 0, board.pci_memory, -1)

    def alias(name: str, size: int, target: MemoryRegion, offset: int) -> MemoryRegion:
        return dev.own(memory_region_init_alias(types, dev.typename, name, size, target, offset))

    region = alias("smram-region", SMRAM_SIZE, board.pci_memory, SMRAM_BASE)
    memory_region_add_subregion_overlap(types, mm, mm.system, SMRAM_BASE, region, 1)
    memory_region_set_enabled(types, mm, region, True)
    open_high = alias("smram-open-high", SMRAM_SIZE, ram, SMRAM_BASE)
    memory_region_add_subregion_overlap(types, mm, mm.system, SMRAM_OPEN_HIGH, open_high, 1)
    memory_region_set_enabled(types, mm, open_high, False)
    smram = board.smram = dev.own(memory_region_init(types, dev.typename, "smram", 2**32))
    memory_region_set_enabled(types, mm, smram, True)
    for name, at in (("smram-low", SMRAM_BASE), ("smram-high", SMRAM_OPEN_HIGH)):
        low = alias(name, SMRAM_SIZE, ram, SMRAM_BASE)
        memory_region_set_enabled(types, mm, low, True)
        memory_region_add_subregion(types, mm, smram, at, low)
    for hole, window, at, size in (("tseg-blackhole", "tseg-window", below_4g, 0),
                                   ("smbase-blackhole", "smbase-window", SMBASE_BASE, SMBASE_SIZE)):
        blackhole = dev.own(memory_region_init_io(types, dev.typename, hole, size))
        memory_region_set_enabled(types, mm, blackhole, False)
        memory_region_add_subregion_overlap(types, mm, mm.system, at, blackhole, 1)
        view = alias(window, size, ram, at)
        memory_region_set_enabled(types, mm, view, False)
        memory_region_add_subregion(types, mm, smram, at, view)
    dev.pams = [init_pam(board, dev.typename, ram, mm.system, board.pci_memory, start, size)
                for start, size in PAM_SEGMENTS]


def mch_reset(board: Board, dev: Device) -> None:
    """At system reset the MCH applies its registers (``mch_update``): every PAM segment reads
    from PCI, in one transaction; then the SMRAM windows as at reset (closed: the low and high
    RAM views off), in another."""
    if not dev.pams:
        return
    types, mm = board.types, board.memory_map
    with transaction(types, mm):
        for pam in dev.pams:
            pam_update(board, pam, 0)
    with transaction(types, mm):
        memory_region_set_enabled(types, mm, dev.region("smram-region"), True)
        for name in ("smram-open-high", "smram-low", "smram-high"):
            memory_region_set_enabled(types, mm, dev.region(name), False)


DEVICE_RESET["mch"] = mch_reset
