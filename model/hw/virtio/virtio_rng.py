"""The virtio entropy device (``hw/virtio/virtio-rng.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import prop
from model.hw.devices_generic import realize_from_facts
from model.hw.virtio.virtio import virtio_device_realize_for
from tracer.recorder import traced


@virtio_device_realize_for("virtio-rng-device")
@traced("hw/virtio/virtio-rng.c", args=lambda board, vdev: {"rng": prop(vdev, "rng")})
def virtio_rng_device_realize(board: Board, vdev: Device) -> None:
    """Without an ``rng=`` backend object the device makes its own, an ``rng-builtin`` (the
    host's getrandom), and links it as ``rng``."""
    if not prop(vdev, "rng"):
        board.types.object_new("rng-builtin")
    realize_from_facts(board, vdev)
