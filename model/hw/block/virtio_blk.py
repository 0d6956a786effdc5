"""The virtio block device (``hw/block/virtio-blk.c``)."""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import prop
from model.hw.devices_generic import realize_from_facts
from model.hw.virtio.virtio import virtio_device_realize_for
from tracer.recorder import traced


@virtio_device_realize_for("virtio-blk-device")
@traced("hw/block/virtio-blk.c", args=lambda board, vdev: {"type": vdev.typename})
def virtio_blk_device_realize(board: Board, vdev: Device) -> None:
    """A virtio block device needs its backing drive (``drive=``, from ``-drive``/``-blockdev``,
    set on the proxy and aliased to it)."""
    if not prop(vdev, "drive"):
        raise QemuError("drive property not set")
    realize_from_facts(board, vdev)
