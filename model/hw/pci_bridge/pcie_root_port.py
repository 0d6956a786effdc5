"""PCIe root ports (``hw/pci-bridge/pcie_root_port.c``, ``gen_pcie_root_port.c``).

Every root port (``pcie-root-port-base``: the generic ``pcie-root-port``, Intel's ``ioh3420``)
realizes alike: the secondary ``PCIE`` bus and its windows, the port's interrupts (the generic
port: one MSI-X vector in a BAR of its own; ioh3420: MSI, no region), the PCIe capabilities,
then its slot in its chassis, which must be free: a port that finds it taken undoes its
interrupts and its bridge windows before the error is reported.
"""

from __future__ import annotations

from collections.abc import Callable

from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import REALIZE_OWNS, device_realize
from model.hw.devices_generic import realize_from_facts
from model.hw.pci.msix import MSIX_OWNED, msix_init_exclusive_bar, msix_uninit_exclusive_bar
from model.hw.pci.pci_bridge import pci_bridge_exitfn, pci_bridge_initfn
from model.hw.pci.pcie_port import pcie_chassis_add_slot
from tracer.recorder import traced

GEN_PCIE_ROOT_PORT_MSIX_NR_VECTOR = 1


@traced("hw/pci-bridge/gen_pcie_root_port.c", args=lambda board, dev: {"type": dev.typename})
def gen_rp_interrupts_init(board: Board, dev: Device) -> None:
    """The generic port signals with MSI-X: one vector, its own BAR."""
    msix_init_exclusive_bar(board, dev, GEN_PCIE_ROOT_PORT_MSIX_NR_VECTOR)


@traced("hw/pci-bridge/gen_pcie_root_port.c", args=lambda board, dev: {"type": dev.typename})
def gen_rp_interrupts_uninit(board: Board, dev: Device) -> None:
    msix_uninit_exclusive_bar(board, dev)


# ``PCIERootPortClass.interrupts_init`` and ``_uninit`` by type (a type not listed uses MSI,
# which makes no regions).
INTERRUPTS: dict[str, tuple[Callable[[Board, Device], None], Callable[[Board, Device], None]]] = {
    "pcie-root-port": (gen_rp_interrupts_init, gen_rp_interrupts_uninit)}


REALIZE_OWNS["pcie-root-port-base"] = MSIX_OWNED


@device_realize("pcie-root-port-base")
@traced("hw/pci-bridge/pcie_root_port.c", args=lambda board, dev: {"type": dev.typename})
def rp_realize(board: Board, dev: Device) -> None:
    """Bus and windows, interrupts, then the chassis slot (refused when taken)."""
    pci_bridge_initfn(board, dev, "PCIE")
    hooks = next((INTERRUPTS[oc.name] for oc in dev.obj.klass.ancestry() if oc.name in INTERRUPTS), None)
    if hooks is not None:
        hooks[0](board, dev)
    try:
        pcie_chassis_add_slot(board, dev)
    except QemuError:  # undo the interrupts, then the bridge
        if hooks is not None:
            hooks[1](board, dev)
        pci_bridge_exitfn(board, dev)
        raise
    realize_from_facts(board, dev, make_buses=False)
