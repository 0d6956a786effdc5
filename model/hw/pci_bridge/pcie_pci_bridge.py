"""The PCIe-to-PCI bridge, ``pcie-pci-bridge`` (``hw/pci-bridge/pcie_pci_bridge.c``).

A conventional ``PCI`` secondary bus behind a PCIe link, always with an SHPC BAR; its PCIe,
power-management, AER and MSI capabilities add no regions.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize
from model.hw.devices_generic import realize_from_facts
from model.hw.pci.pci_bridge import pci_bridge_initfn
from model.hw.pci.shpc import shpc_bar_size, shpc_init
from model.softmmu.region_init import memory_region_init
from tracer.recorder import traced


@device_realize("pcie-pci-bridge")
@traced("hw/pci-bridge/pcie_pci_bridge.c", args=lambda board, dev: {"type": dev.typename})
def pcie_pci_bridge_realize(board: Board, dev: Device) -> None:
    """Bus and windows, then the SHPC BAR and controller."""
    pci_bridge_initfn(board, dev, "PCI")
    bar = dev.own(memory_region_init(board.types, dev.typename, "shpc-bar", shpc_bar_size()))
    shpc_init(board, dev, bar, 0)
    realize_from_facts(board, dev, make_buses=False)
