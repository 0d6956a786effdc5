"""The standard PCI-PCI bridge, ``pci-bridge`` (``hw/pci-bridge/pci_bridge_dev.c``).

Realize makes the secondary ``PCI`` bus and windows, then (``shpc=on``, the default) the SHPC
BAR and controller, then the slot-id capability, which needs a chassis number: without
``chassis_nr`` the bridge fails there, after its regions were made, and undoes SHPC and the
bridge windows before the error is reported.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop
from model.hw.devices_generic import realize_from_facts
from model.hw.pci.pci_bridge import pci_bridge_exitfn, pci_bridge_initfn
from model.hw.pci.shpc import shpc_bar_size, shpc_cleanup, shpc_init
from model.softmmu.region_init import memory_region_init
from tracer.recorder import traced


@device_realize("pci-bridge")
@traced("hw/pci-bridge/pci_bridge_dev.c", args=lambda board, dev: {"chassis_nr": prop(dev, "chassis_nr"),
                                                                   "shpc": prop(dev, "shpc")})
def pci_bridge_dev_realize(board: Board, dev: Device) -> None:
    """Bus and windows, SHPC, then the chassis number check (``slotid_cap_init``)."""
    pci_bridge_initfn(board, dev, "PCI")
    bar = None
    if prop(dev, "shpc"):
        bar = dev.own(memory_region_init(board.types, dev.typename, "shpc-bar", shpc_bar_size()))
        shpc_init(board, dev, bar, 0)
    if not prop(dev, "chassis_nr"):  # slotid_cap_init fails: undo SHPC, then the bridge
        if bar is not None:
            shpc_cleanup(board, dev, bar)
        pci_bridge_exitfn(board, dev)
        raise QemuError("Bridge chassis not specified. Each bridge is required to be assigned a unique "
                        "chassis id > 0.")
    realize_from_facts(board, dev, make_buses=False)
