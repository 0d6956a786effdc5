"""IDE and AHCI controllers and their buses (``hw/ide/piix.c``, ``ahci.c``, ``isa.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device, IdeChannel
from model.hw.core.qdev import device_realize, prop, qbus_init, qdev_new, qdev_prop_set, qdev_realize
from model.hw.isa.isa_bus import isa_register_portio_list
from model.softmmu.physmem import memory_region_add_subregion
from model.softmmu.region_init import memory_region_init, memory_region_init_io
from tracer.recorder import traced

AHCI_PORTS = 6
MAX_IDE_BUS = 2  # a PC's two IDE channels
MAX_IDE_DEVS = 2  # master and slave on each


@device_realize("piix3-ide")
@traced("hw/ide/piix.c", args=lambda board, dev: {"type": dev.typename})
def pci_piix_ide_realize(board: Board, dev: Device) -> None:
    """The bus-master DMA registers (a 16-byte BAR container, per channel ``piix-bmdma`` and the
    PRD address ``bmdma``), then two IDE buses (``ide.N``): each channel's legacy ports
    (0x1f0/0x3f6, 0x170/0x376) are port lists with no owner, so their four regions land in
    ``/machine/unattached`` as ``ide[N]``, and its DMA engine takes the channel's irq."""
    types, mm = board.types, board.memory_map
    bar = dev.own(memory_region_init(types, dev.typename, "piix-bmdma-container", 16))
    for channel in range(2):
        for name, offset in (("piix-bmdma", 0), ("bmdma", 4)):
            mr = dev.own(memory_region_init_io(types, dev.typename, name, 4))
            memory_region_add_subregion(types, mm, bar, channel * 8 + offset, mr)
    for iobase, iobase2 in ((0x1F0, 0x3F6), (0x170, 0x376)):
        ide_init2(board, qbus_init(board, dev, "IDE", None), 2)
        isa_register_portio_list(board, None, iobase, [(0, 8)], "ide")
        isa_register_portio_list(board, None, iobase2, [(0, 1)], "ide")
        board.unattached.add_owned("ide", "memory-region", 2)
        board.types.object_new("irq")  # bmdma_init: the DMA engine's completion irq


@device_realize("ich9-ahci")
@traced("hw/ide/ich.c", args=lambda board, dev: {})
def pci_ich9_ahci_realize(board: Board, dev: Device) -> None:
    """Six SATA ports (``ahci_realize``: an irq each for their interrupt status, then an IDE bus
    each), then the function's own interrupt line (``pci_allocate_irq``). Its registers
    (``ahci``, ``ahci-idp``) were made at instance init and are a BAR firmware maps."""
    for _ in range(AHCI_PORTS):
        board.types.object_new("irq")
    for _ in range(AHCI_PORTS):
        ide_init2(board, qbus_init(board, dev, "IDE", None), 1)
    board.types.object_new("irq")


@device_realize("isa-ide")
@traced("hw/ide/isa.c", args=lambda board, dev: {})
def isa_ide_realizefn(board: Board, dev: Device) -> None:
    """One IDE bus per ISA IDE controller, with its ports (``iobase``: eight, ``iobase2``: one)."""
    ide_init2(board, qbus_init(board, dev, "IDE", None), 2)
    isa_register_portio_list(board, dev, int(prop(dev, "iobase")), [(0, 8)], "ide")
    isa_register_portio_list(board, dev, int(prop(dev, "iobase2")), [(0, 1)], "ide")


def ide_init2(board: Board, bus: Bus, max_units: int) -> None:
    """The channel's two drive states, numbered on from the last channel's (a drive without a
    ``serial`` reports ``QM`` and its number). Part of the controller's realize."""
    first = board.ide_drive_serials + 1
    board.ide_drive_serials += 2
    bus.ide = IdeChannel((first, first + 1), max_units)


def ide_create_devs(board: Board, controller: Device, count: int, first: int = 0) -> None:
    """``ide_drive_get`` and the controller's ``*_create_devs``: the board takes the IDE drives
    at indexes ``0..count-1`` (``-drive if=ide``, the default interface on PC boards) and makes
    an ``ide-hd`` (``ide-cd`` for ``media=cdrom``) for each, on the channel and unit the index
    names: two units a channel on PIIX, one on each AHCI port; an ISA IDE controller serves
    the indexes from ``first``. (A later ``-device ...,drive=`` then finds the drive in use.)"""
    per_bus = max((bus.ide.max_units for bus in controller.buses if bus.ide is not None), default=1)
    for blk in board.block.claim("ide", count, controller.typename, first):
        assert blk.drive is not None
        index = blk.drive.bus * board.block.max_devs("ide") + blk.drive.unit - first
        ide_create_drive(board, controller.buses[index // per_bus], index % per_bus, blk.name,
                         "ide-cd" if blk.drive.media_cd else "ide-hd")


@traced("hw/ide/qdev.c", args=lambda board, bus, unit, drive, kind: {"bus": bus.name, "unit": unit, "drive": drive})
def ide_create_drive(board: Board, bus: Bus, unit: int, drive: str, kind: str) -> Device:
    """A disk or CD-ROM for a ``-drive``, realized at once on ``bus``."""
    dev = qdev_new(board, kind)
    qdev_prop_set(dev, "unit", unit)
    qdev_prop_set(dev, "drive", drive)
    qdev_realize(board, dev, bus)
    return dev
