"""The Q35 host bridge and its MCH function (``hw/pci-host/q35.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import (
    device_realize,
    object_property_add_child,
    qdev_prop_set,
    qdev_realize,
)
from model.hw.pci_host.i440fx import pci_root_bus_new
from tracer.recorder import traced

PCIE_BASE_ADDR_UNMAPPED = 2**64 - 1


@traced("hw/pci-host/q35.c", args=lambda board, host, below, above, hole64: {
    "below-4g-mem-size": below, "above-4g-mem-size": above})
def q35_host_create(board: Board, host: Device, below: int, above: int, hole64: int) -> tuple[Device, Bus]:
    """``/machine/q35`` (created by the board before its RAM, which needs the host's 64-bit hole
    size) with the RAM split the board computed; realize makes ``pcie.0`` and the MCH."""
    object_property_add_child(board, board.machine, "q35", host)
    qdev_prop_set(host, "pci-hole64-size", hole64)
    qdev_prop_set(host, "below-4g-mem-size", below)
    qdev_prop_set(host, "above-4g-mem-size", above)
    qdev_realize(board, host, board.sysbus)
    return host, host.buses[0]


@device_realize("q35-pcihost")
@traced("hw/pci-host/q35.c", args=lambda board, dev: {})
def q35_host_realize(board: Board, dev: Device) -> None:
    """The root bus, explicitly named ``pcie.0`` (so the automatic ``pcie.N`` names of root
    ports start at 0 too), then the MCH (child ``mch``, created at instance init) at 00.0.
    MMCONFIG stays unmapped (``MCFG`` = -1) until firmware programs PCIEXBAR."""
    assert dev.node is not None
    qdev_prop_set(dev, "MCFG", PCIE_BASE_ADDR_UNMAPPED)
    bus = pci_root_bus_new(board, dev, "PCIE", "pcie.0")
    mch = dev.embedded["mch"]
    qdev_prop_set(mch, "addr", 0)
    qdev_prop_set(mch, "multifunction", False)
    qdev_realize(board, mch, bus)
    board.has_smram = True  # the MCH owns SMRAM
