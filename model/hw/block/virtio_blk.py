"""The virtio block device (``hw/block/virtio-blk.c``)."""

from __future__ import annotations

from model.block.block_backend import guess_chs_for_size
from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import prop, qdev_prop_set
from model.hw.devices_generic import realize_from_facts
from model.hw.virtio.virtio import virtio_device_realize_for
from tracer.recorder import point, traced

GEOMETRY = ("cyls", "heads", "secs")


@virtio_device_realize_for("virtio-blk-device")
@traced("hw/block/virtio-blk.c", args=lambda board, vdev: {"type": vdev.typename})
def virtio_blk_device_realize(board: Board, vdev: Device) -> None:
    """A virtio block device needs its backing drive (``drive=``, from ``-drive``/``-blockdev``,
    set on the proxy and aliased to it). Its geometry, unless given, is guessed from the
    image's size (``blkconf_geometry``: 16 heads, 63 sectors, as many cylinders as fit)."""
    drive = prop(vdev, "drive")
    if not drive:
        raise QemuError("drive property not set")
    blkconf_geometry(board, vdev, str(drive))
    realize_from_facts(board, vdev, decided=frozenset(GEOMETRY))


def blkconf_geometry(board: Board, dev: Device, drive: str) -> None:
    """Cylinders, heads and sectors from the image's size when none of them was given."""
    if any(prop(dev, name) for name in GEOMETRY):
        return
    size = board.block.size_of(drive)
    if size is None:
        point("geometry_unknown", f"drive {drive}: its image is not opened, so its size and geometry are unknown",
              drive=drive)
        return
    for name, value in zip(GEOMETRY, guess_chs_for_size(size), strict=True):
        qdev_prop_set(dev, name, value)
