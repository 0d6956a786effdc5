"""The xHCI USB controller (``hw/usb/hcd-xhci.c`` and its PCI face, ``hcd-xhci-pci.c``).

``qemu-xhci`` (and ``nec-usb-xhci``) is a PCI function wrapping the controller core, a
``base-xhci`` device its instance_init embeds as ``xhci-core``. The PCI realize realizes the
core first: the core gives the PCI device its USB bus, then builds BAR 0, a 16 KiB container
holding the capability, operational, runtime and doorbell register blocks and one 16-byte
block per port (USB 3 ports first unless ``superspeed-ports-first`` is off), each mapped as
it is made. Back in the PCI realize, MSI-X (unless ``msix=off``) puts its table at 0x3000 and
its PBA at 0x3800 inside that same BAR.
"""

from __future__ import annotations

from typing import Any

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import REALIZE_OWNS, device_realize, prop, qdev_realize
from model.hw.pci.msix import MSIX_OWNED, msix_init
from model.hw.usb.bus import usb_bus_new, usb_register_ports
from model.softmmu.physmem import memory_region_add_subregion
from model.softmmu.region_init import memory_region_init, memory_region_init_io
from tracer.recorder import traced

SRC = "hw/usb/hcd-xhci.c"
SRC_PCI = "hw/usb/hcd-xhci-pci.c"
LEN_REGS = 0x4000
LEN_CAP = 0x40
OFF_OPER = LEN_CAP
OFF_RUNTIME = 0x1000
OFF_DOORBELL = 0x2000
OFF_MSIX_TABLE = 0x3000
OFF_MSIX_PBA = 0x3800
MAXPORTS_2 = MAXPORTS_3 = 15
MAXINTRS = 16
MAXSLOTS = 64
# The port register blocks follow p2/p3 (clamped to 15 each): this realize names them.
REALIZE_OWNS["base-xhci"] = frozenset({"usb2 port #*", "usb3 port #*"})
REALIZE_OWNS["pci-xhci"] = MSIX_OWNED  # unless msix=off


def _setting(dev: Device, name: str, default: Any) -> Any:
    """A property the PCI type may expose (``nec-usb-xhci``) or fix in its instance_init."""
    value = prop(dev, name)
    return default if value is None else value


def port_names(usb2: int, usb3: int, superspeed_first: bool) -> list[str]:
    """The port register blocks in order: the USB 3 ports first, or the USB 2 ports first."""
    two = [f"usb2 port #{i + 1}" for i in range(min(usb2, MAXPORTS_2))]
    three = [f"usb3 port #{i + 1}" for i in range(min(usb3, MAXPORTS_3))]
    return three + two if superspeed_first else two + three


@device_realize("base-xhci")
@traced(SRC, args=lambda board, xhci: {})
def usb_xhci_realize(board: Board, xhci: Device) -> None:
    """The core: the USB bus on its host, then BAR 0 and its register blocks."""
    host = xhci.container or xhci
    usb2, usb3 = (min(int(_setting(host, name, 4)), MAXPORTS_2) for name in ("p2", "p3"))
    bus = usb_bus_new(board, host)  # usb_xhci_init: a root port for each pair of USB 2/3 registers
    usb_register_ports(bus, max(usb2, usb3))
    types, mm = board.types, board.memory_map
    numintrs = int(_setting(host, "intrs", MAXINTRS))
    numslots = int(_setting(host, "slots", MAXSLOTS))
    mem = xhci.own(memory_region_init(types, xhci.typename, "xhci", LEN_REGS))
    blocks = [("capabilities", LEN_CAP, 0), ("operational", 0x400, OFF_OPER),
              ("runtime", 0x20 * (numintrs + 1), OFF_RUNTIME), ("doorbell", 0x20 * (numslots + 1), OFF_DOORBELL)]
    made = [(xhci.own(memory_region_init_io(types, xhci.typename, name, size)), offset)
            for name, size, offset in blocks]
    for mr, offset in made:
        memory_region_add_subregion(types, mm, mem, offset, mr)
    names = port_names(usb2, usb3, bool(_setting(host, "superspeed-ports-first", True)))
    for i, name in enumerate(names):
        port = xhci.own(memory_region_init_io(types, xhci.typename, name, 0x10))
        if xhci.node is not None:
            xhci.node.add_child(name + "[*]", "memory-region")
        memory_region_add_subregion(types, mm, mem, OFF_OPER + 0x400 + 0x10 * i, port)


@device_realize("pci-xhci")
@traced(SRC_PCI, args=lambda board, dev: {"type": dev.typename})
def usb_xhci_pci_realize(board: Board, dev: Device) -> None:
    """Realize the embedded core, then MSI-X inside its BAR 0."""
    xhci = dev.embedded["xhci-core"]
    qdev_realize(board, xhci, None)
    if _setting(dev, "msix", "auto") != "off":
        mem = xhci.region("xhci")
        msix_init(board, dev, int(_setting(dev, "intrs", MAXINTRS)), mem, OFF_MSIX_TABLE, mem, OFF_MSIX_PBA)
