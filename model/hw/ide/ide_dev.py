"""IDE disks and CD-ROMs, ``-device ide-hd`` and ``ide-cd`` (``hw/ide/ide-dev.c``).

A drive takes a unit on its channel (``unit``, else the master's place if it is free, else the
slave's); an AHCI port has one unit. A disk needs its ``drive=``; a CD-ROM without one is an
empty tray. Then what realize settles: the discard granularity (512), a disk's geometry and
BIOS translation (guessed from the image, see :mod:`model.hw.block.block`), and the serial
number, ``QM`` and the drive state's number when none was given.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.block.block import GEOMETRY, blkconf_geometry
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop, qdev_prop_set
from model.hw.devices_generic import realize_from_facts
from tracer.recorder import traced

UNSET_UNIT = 0xFFFFFFFF  # -1 in the uint32 ``unit`` property
DISCARD_UNSET = 0xFFFFFFFF


@device_realize("ide-device")
@traced("hw/ide/ide-dev.c", args=lambda board, dev: {"type": dev.typename, "unit": prop(dev, "unit")})
def ide_qdev_realize(board: Board, dev: Device) -> None:
    """The unit on the channel, then the drive's own set-up."""
    bus = dev.parent_bus
    assert bus is not None and bus.ide is not None
    channel = bus.ide
    unit = int(prop(dev, "unit"))
    if unit == UNSET_UNIT:
        unit = 1 if 0 in channel.units else 0
    if unit >= channel.max_units:
        raise QemuError(f"Can't create IDE unit {unit}, bus supports only {channel.max_units} units")
    if unit in channel.units:
        raise QemuError(f"IDE unit {unit} is in use")
    channel.units[unit] = dev
    qdev_prop_set(dev, "unit", unit)
    ide_dev_initfn(board, dev, channel.serials[unit])


@traced("hw/ide/ide-dev.c", args=lambda board, dev, serial: {"type": dev.typename})
def ide_dev_initfn(board: Board, dev: Device, serial: int) -> None:
    """Drive, discard granularity, geometry (disks), serial number."""
    cd = dev.obj.klass.is_a("ide-cd")
    drive = prop(dev, "drive")
    if not drive and not cd:
        raise QemuError("No drive specified")
    decided = {"unit"}
    if int(prop(dev, "discard_granularity")) == DISCARD_UNSET:
        qdev_prop_set(dev, "discard_granularity", 512)
        decided.add("discard_granularity")
    if not cd and drive:
        blkconf_geometry(board, dev, str(drive), "bios-chs-trans")
        decided |= {*GEOMETRY, "bios-chs-trans"}
    if not prop(dev, "serial"):
        qdev_prop_set(dev, "serial", f"QM{serial:05d}")
        decided.add("serial")
    realize_from_facts(board, dev, decided=frozenset(decided))
