"""What block devices share (``hw/block/block.c``, ``hd-geometry.c``): their geometry.

A disk's cylinders, heads and sectors, unless all three are given, are guessed from its image:
with no partition table to go by (the model opens no image; a null image reads as zeros),
16 heads and 63 sectors a track and as many cylinders as fit. A BIOS translation left on
``auto`` follows: none for a disk a plain CHS BIOS can address (at most 1024 cylinders, 16
heads, 63 sectors), else LBA.
"""

from __future__ import annotations

from model.block.block_backend import guess_chs_for_size
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import prop, qdev_prop_set
from tracer.recorder import point

GEOMETRY = ("cyls", "heads", "secs")


def hd_bios_chs_auto_trans(cyls: int, heads: int, secs: int) -> str:
    return "none" if cyls <= 1024 and heads <= 16 and secs <= 63 else "lba"


def blkconf_geometry(board: Board, dev: Device, drive: str, trans: str | None = None) -> None:
    """Guess the geometry from the image's size when none of it was given, and settle the
    translation property ``trans`` (IDE's ``bios-chs-trans``) when it is ``auto``."""
    given = [int(prop(dev, name) or 0) for name in GEOMETRY]
    if not any(given):
        size = board.block.size_of(drive)
        if size is None:
            point("geometry_unknown", f"drive {drive}: its image is not opened, so its size and geometry are unknown",
                  drive=drive)
            return
        given = list(guess_chs_for_size(size))
        for name, value in zip(GEOMETRY, given, strict=True):
            qdev_prop_set(dev, name, value)
            dev.decided.add(name)
    if trans is not None and prop(dev, trans) == "auto":
        qdev_prop_set(dev, trans, hd_bios_chs_auto_trans(*given))
        dev.decided.add(trans)
