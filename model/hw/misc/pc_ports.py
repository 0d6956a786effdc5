"""Small PC port devices: VMware's backdoor port (``hw/i386/vmport.c``) and port 92, the fast
A20 gate (``hw/i386/port92.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize
from model.hw.isa.isa_bus import isa_register_ioport
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

VMPORT_IOPORT = 0x5658
PORT92 = 0x92


@device_realize("vmport")
@traced("hw/i386/vmport.c", args=lambda board, dev: {})
def vmport_realizefn(board: Board, dev: Device) -> None:
    """One port, 0x5658 ("VX"), through which guests talk to the VMware backdoor."""
    port = dev.own(memory_region_init_io(board.types, dev.typename, "vmport", 1))
    isa_register_ioport(board, dev, port, VMPORT_IOPORT)


@device_realize("port92")
@traced("hw/i386/port92.c", args=lambda board, dev: {})
def port92_realizefn(board: Board, dev: Device) -> None:
    """Map the port its instance init made."""
    isa_register_ioport(board, dev, dev.region("port92"), PORT92)
