"""What the virtio PCI proxies' own realizes decide (``hw/virtio/virtio-blk-pci.c``,
``virtio-scsi-pci.c``, ``virtio-serial-pci.c``) before their device is realized.

A queue count left on *auto* becomes one queue a vCPU (``virtio_pci_optimal_num_queues``,
within the MSI-X table and the virtqueue limit, less the device's fixed queues), and unset
``vectors`` follow from it: a vector a queue, one for configuration changes, and one each for
virtio-scsi's control and event queues. A SCSI or serial proxy with an ``id`` names its
device's bus ``ID.0``, as the command line has always addressed it.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import prop, qdev_prop_set
from model.hw.virtio.virtio_pci import PROXY_REALIZE
from tracer.recorder import traced

DEV_NVECTORS_UNSPECIFIED = 0xFFFFFFFF
PCI_MSIX_FLAGS_QSIZE = 0x7FF
VIRTIO_QUEUE_MAX = 1024
VIRTIO_BLK_AUTO_NUM_QUEUES = 0xFFFF
VIRTIO_SCSI_AUTO_NUM_QUEUES = 0xFFFFFFFF
VIRTIO_SCSI_VQ_NUM_FIXED = 2  # the control and event queues


def virtio_pci_optimal_num_queues(board: Board, fixed_queues: int) -> int:
    """One queue a vCPU, within the MSI-X table size and the virtqueue limit."""
    return min(board.smp_cpus, PCI_MSIX_FLAGS_QSIZE - fixed_queues, VIRTIO_QUEUE_MAX - fixed_queues)


def _queues(board: Board, proxy: Device, vdev: Device, name: str, auto: int, fixed: int) -> int:
    """The device's queue count (set on the proxy, or the device's own value after globals),
    resolved when it is auto; the backend keeps the result."""
    value = int(prop(proxy, name) if name in proxy.user_props else prop(vdev, name))
    if value == auto:
        value = virtio_pci_optimal_num_queues(board, fixed)
    qdev_prop_set(vdev, name, value)
    vdev.decided.add(name)
    return value


def _vectors(proxy: Device, count: int) -> None:
    if prop(proxy, "vectors") == DEV_NVECTORS_UNSPECIFIED:
        qdev_prop_set(proxy, "vectors", count)
        proxy.decided.add("vectors")


def _bus_named_after_id(proxy: Device, vdev: Device) -> None:
    if proxy.id:
        vdev.child_bus_name = f"{proxy.id}.0"


@traced("hw/virtio/virtio-blk-pci.c", args=lambda board, proxy, vdev: {"type": proxy.typename})
def virtio_blk_pci_realize(board: Board, proxy: Device, vdev: Device) -> None:
    """Queues: one a vCPU unless ``num-queues`` says; vectors: one a queue, plus one."""
    queues = _queues(board, proxy, vdev, "num-queues", VIRTIO_BLK_AUTO_NUM_QUEUES, 0)
    _vectors(proxy, queues + 1)


@traced("hw/virtio/virtio-scsi-pci.c", args=lambda board, proxy, vdev: {"type": proxy.typename})
def virtio_scsi_pci_realize(board: Board, proxy: Device, vdev: Device) -> None:
    """Request queues: one a vCPU unless ``num_queues`` says; vectors: one a queue, plus the
    control, event and configuration ones; the SCSI bus is ``ID.0`` when the proxy has an id."""
    queues = _queues(board, proxy, vdev, "num_queues", VIRTIO_SCSI_AUTO_NUM_QUEUES, VIRTIO_SCSI_VQ_NUM_FIXED)
    _vectors(proxy, queues + VIRTIO_SCSI_VQ_NUM_FIXED + 1)
    _bus_named_after_id(proxy, vdev)


@traced("hw/virtio/virtio-serial-pci.c", args=lambda board, proxy, vdev: {"type": proxy.typename})
def virtio_serial_pci_realize(board: Board, proxy: Device, vdev: Device) -> None:
    """Vectors: a port each plus one, when unset; the serial bus is ``ID.0`` when the proxy has
    an id."""
    _vectors(proxy, int(prop(vdev, "max_ports")) + 1)
    _bus_named_after_id(proxy, vdev)


PROXY_REALIZE["virtio-blk-pci-base"] = virtio_blk_pci_realize
PROXY_REALIZE["virtio-scsi-pci-base"] = virtio_scsi_pci_realize
PROXY_REALIZE["virtio-serial-pci-base"] = virtio_serial_pci_realize
