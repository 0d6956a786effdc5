"""PCIe chassis and slots (``hw/pci/pcie_port.c``).

A PCIe slot (a root port, a switch's downstream port) is numbered ``slot`` within chassis
``chassis`` (both 0 unless set). Realize creates the chassis on first use and adds the slot to
it; a second slot with the same numbers in the same chassis is refused with -EBUSY, which is
why two root ports left at their defaults cannot coexist.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import prop
from tracer.recorder import traced

EBUSY = 16


@traced("hw/pci/pcie_port.c", args=lambda board, dev: {"chassis": prop(dev, "chassis"), "slot": prop(dev, "slot")})
def pcie_chassis_add_slot(board: Board, dev: Device) -> None:
    """``pcie_chassis_create`` then ``pcie_chassis_add_slot``, with the caller's error."""
    slots = board.pcie_chassis.setdefault(int(prop(dev, "chassis") or 0), set())
    slot = int(prop(dev, "slot") or 0)
    if slot in slots:
        raise QemuError(f"Can't add chassis slot, error {-EBUSY}")
    slots.add(slot)
