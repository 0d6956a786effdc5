"""The virtio block device (``hw/block/virtio-blk.c``)."""

from __future__ import annotations

from model.errors import QemuError
from model.hw.block.block import GEOMETRY, blkconf_geometry
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import prop
from model.hw.devices_generic import realize_from_facts
from model.hw.virtio.virtio import virtio_device_realize_for
from tracer.recorder import traced


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


