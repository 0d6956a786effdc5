"""The virtio entropy device (``hw/virtio/virtio-rng.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import REALIZE_OWNS, prop
from model.hw.devices_generic import realize_from_facts
from model.hw.virtio.virtio import virtio_device_realize_for
from tracer.recorder import traced


@virtio_device_realize_for("virtio-rng-device")
@traced("hw/virtio/virtio-rng.c", args=lambda board, vdev: {"rng": prop(vdev, "rng")})
def virtio_rng_device_realize(board: Board, vdev: Device) -> None:
    """Without an ``rng=`` backend object the device makes its own, an ``rng-builtin`` (the
    host's getrandom), its child ``default-backend``, and links it as ``rng``."""
    if not prop(vdev, "rng"):
        board.types.object_new("rng-builtin")
        if vdev.node is not None:
            vdev.node.add_owned("default-backend", "rng-builtin", None)
    realize_from_facts(board, vdev)


REALIZE_OWNS["virtio-rng-device"] = frozenset({"default-backend"})  # only without rng=
