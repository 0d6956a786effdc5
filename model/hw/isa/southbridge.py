"""The PCI-to-ISA bridges of the PC boards: PIIX3 (``hw/isa/piix3.c``) and ICH9's LPC (``lpc_ich9.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import REALIZE_OWNS, device_realize, prop, qbus_new
from model.hw.dma.i8257 import i8257_dma_init
from tracer.recorder import traced

REALIZE_OWNS["ICH9-LPC"] = frozenset({"acpi-pci-hotplug"})


@device_realize("PIIX3")
@traced("hw/isa/piix3.c", args=lambda board, dev: {})
def pci_piix3_realize(board: Board, dev: Device) -> None:
    """PIIX3 creates the ISA bus (``isa.0``) and the DMA controllers behind it."""
    bus = qbus_new(board, dev, "ISA", None)
    i8257_dma_init(board, bus, False)


@device_realize("ICH9-LPC")
@traced("hw/isa/lpc_ich9.c", args=lambda board, dev: {})
def ich9_lpc_realize(board: Board, dev: Device) -> None:
    """The LPC bridge creates the ISA bus and the DMA controllers, like PIIX3; its ACPI part has
    the PCI hotplug registers only when hotplug with bridges is on (Q35 6.1 and later)."""
    bus = qbus_new(board, dev, "ISA", None)
    i8257_dma_init(board, bus, False)
    if prop(dev, "acpi-pci-hotplug-with-bridge-support") and dev.node is not None:
        dev.node.add_child("acpi-pci-hotplug[*]", "memory-region")
