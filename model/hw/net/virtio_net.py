"""The virtio network device's configuration space (``hw/net/virtio-net.c``).

Its size follows the features the device offers (``virtio_net_set_config_size``): the MAC
always (6 bytes), then up to the end of the last field a feature needs: link status (8),
``max_virtqueue_pairs`` with ``mq`` (10), the MTU with ``host_mtu`` (12), speed and duplex
when either is given (17), the RSS/hash fields with ``rss`` or ``hash`` (24). A transport's
legacy I/O BAR is as large as its header and this, rounded up to a power of two.
"""

from __future__ import annotations

from model.hw.core.devices import Device
from model.hw.core.qdev import prop
from model.hw.virtio.virtio import VIRTIO_CONFIG_LEN

MAC_END, STATUS_END, MQ_END, MTU_END, DUPLEX_END, HASH_TYPES_END = 6, 8, 10, 12, 17, 24


def virtio_net_config_len(vdev: Device) -> int:
    """The configuration's size for the device's features (``virtio_get_config_size``)."""
    speed = prop(vdev, "speed")
    ends = [MAC_END,
            STATUS_END if prop(vdev, "status") is not False else 0,
            MQ_END if prop(vdev, "mq") is True else 0,
            MTU_END if int(prop(vdev, "host_mtu") or 0) else 0,
            DUPLEX_END if prop(vdev, "duplex") or (speed is not None and int(speed) >= 0) else 0,
            HASH_TYPES_END if prop(vdev, "rss") is True or prop(vdev, "hash") is True else 0]
    return max(ends)


VIRTIO_CONFIG_LEN["virtio-net-device"] = virtio_net_config_len
