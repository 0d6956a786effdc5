"""The i440FX host bridge (``hw/pci-host/i440fx.c``): the PCI root of the ``pc`` machines."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import object_property_add_child, qbus_new, qdev_prop_set, qdev_realize
from model.hw.pci.pci import pci_create_simple
from tracer.recorder import traced


@traced("hw/pci-host/i440fx.c", args=lambda board, host, hole64: {"pci-hole64-size": hole64})
def i440fx_init(board: Board, host: Device, hole64: int) -> tuple[Device, Bus]:
    """The host bridge (created by the board before its RAM, which needs the bridge's 64-bit
    hole size) becomes ``/machine/i440fx`` and owns the root bus ``pci.0``; the i440FX PCI
    function is then created at 00.0 on it."""
    object_property_add_child(board, board.machine, "i440fx", host)
    qdev_prop_set(host, "pci-hole64-size", hole64)
    bus = pci_root_bus_new(board, host, "PCI")
    qdev_realize(board, host, board.sysbus)
    pci_create_simple(board, bus, 0, "i440FX")
    board.has_smram = True  # the i440FX function owns SMRAM
    return host, bus


@traced("hw/pci/pci.c", args=lambda board, host, bus_type, name=None: {"host": host.typename, "type": bus_type,
                                                                        "name": name}, ret=lambda bus: bus.name)
def pci_root_bus_new(board: Board, host: Device, bus_type: str, name: str | None = None) -> Bus:
    """A host bridge's root bus, a QOM child of the bridge; i440FX lets qdev name it (``pci.0``
    from the PCI bus class's counter), Q35 names it ``pcie.0`` itself."""
    assert host.node is not None
    return qbus_new(board, host, bus_type, name)
