"""IDE and AHCI controllers and their buses (``hw/ide/piix.c``, ``ahci.c``, ``isa.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, qbus_init
from tracer.recorder import traced


@device_realize("piix3-ide")
@traced("hw/ide/piix.c", args=lambda board, dev: {"type": dev.typename})
def pci_piix_ide_realize(board: Board, dev: Device) -> None:
    """Two IDE buses (``ide.N``); each channel's legacy ports (0x1f0/0x3f6, 0x170/0x376) are
    port lists with no owner, so their four regions land in ``/machine/unattached`` as ``ide[N]``."""
    for _ in range(2):
        qbus_init(board, dev, "IDE", None)
        board.unattached.add_owned("ide", "memory-region", 2)


@device_realize("ich9-ahci")
@traced("hw/ide/ich.c", args=lambda board, dev: {})
def pci_ich9_ahci_realize(board: Board, dev: Device) -> None:
    """Six SATA ports, each an IDE bus of its own."""
    for _ in range(6):
        qbus_init(board, dev, "IDE", None)


@device_realize("isa-ide")
@traced("hw/ide/isa.c", args=lambda board, dev: {})
def isa_ide_realizefn(board: Board, dev: Device) -> None:
    """One IDE bus per ISA IDE controller."""
    qbus_init(board, dev, "IDE", None)
