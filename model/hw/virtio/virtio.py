"""Virtio devices, whatever their transport (``hw/virtio/virtio.c``).

A virtio device is two objects: the transport the guest sees (a PCI function, an MMIO
window) and the device proper (``virtio-net-device``...), embedded in the transport by its
``instance_init`` as its child ``virtio-backend``, with every backend property aliased on the
transport (``virtio_instance_init_common``). Realizing the transport realizes the backend on
the transport's virtio bus; the backend's realize (``virtio_device_realize``) runs the
device's own realize, then tells the transport it is plugged, which is when a PCI transport
makes its BARs.
"""

from __future__ import annotations

from collections.abc import Callable

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import Realize, device_realize
from model.hw.devices_generic import realize_from_facts
from model.qom.object import Object, ObjectClass, object_initialize_child_with_props
from tracer.recorder import traced

SRC = "hw/virtio/virtio.c"
BACKEND = "virtio-backend"

# Each virtio device's own realize (QEMU's ``VirtioDeviceClass.realize``), by type name.
VIRTIO_DEVICE_REALIZE: dict[str, Realize] = {}
# The size of a device's configuration space (``vdev->config_len``), where it follows the
# device's features (virtio-net); other devices' transports keep the harvested BAR sizes.
VIRTIO_CONFIG_LEN: dict[str, Callable[[Device], int]] = {}
# What a transport does when a device is plugged into its bus, by transport type
# (``virtio_bus_device_plugged`` calls the bus's ``device_plugged``).
DEVICE_PLUGGED: dict[str, Callable[[Board, Device, Device], None]] = {}


def backend_by_name(proxy_type: str) -> str | None:
    """QEMU names each PCI proxy after its device (``virtio_pci_types_register``):
    ``virtio-X-pci`` (and its ``-transitional``/``-non-transitional`` variants) wraps
    ``virtio-X-device``."""
    base = proxy_type.removesuffix("-non-transitional").removesuffix("-transitional")
    return base.removesuffix("-pci") + "-device" if base.endswith("-pci") else None


@traced(SRC, args=lambda proxy, backend, class_ready=None: {"proxy": proxy.typename, "type": backend})
def virtio_instance_init_common(proxy: Object, backend: str,
                                class_ready: Callable[[ObjectClass], None] | None = None) -> Object:
    """Embed the backend and alias its properties on the transport."""
    vdev = object_initialize_child_with_props(proxy, BACKEND, backend, class_ready)
    qdev_alias_all_properties(vdev, proxy)
    return vdev


@traced("hw/core/qdev.c", args=lambda target, source: {"target": target.typename, "source": source.typename})
def qdev_alias_all_properties(target: Object, source: Object) -> None:
    """Walk the target's classes up to ``device`` (found by name at each step, which is the
    ``object_class_by_name`` the steps show), aliasing each class's properties on ``source``."""
    oc: ObjectClass | None = target.klass
    while oc is not None:
        oc = oc.parent  # (the aliases themselves are not modelled: -device sets reach the backend at realize)
        if oc is target.registry.object_class_by_name("device"):
            break


def virtio_device_realize_for(typename: str) -> Callable[[Realize], Realize]:
    """Register a virtio device's own realize (``vdc->realize``)."""
    def register(fn: Realize) -> Realize:
        VIRTIO_DEVICE_REALIZE[typename] = fn
        return fn
    return register


@device_realize("virtio-device")
@traced(SRC, args=lambda board, vdev: {"type": vdev.typename})
def virtio_device_realize(board: Board, vdev: Device) -> None:
    """The device's own realize (what the harvested facts say it leaves, for devices the model
    does not write out), then the plug into its transport."""
    own = next((VIRTIO_DEVICE_REALIZE[oc.name] for oc in vdev.obj.klass.ancestry()
                if oc.name in VIRTIO_DEVICE_REALIZE), None)
    if own is not None:
        own(board, vdev)
    else:
        realize_from_facts(board, vdev)
    virtio_bus_device_plugged(board, vdev)


@traced("hw/virtio/virtio-bus.c", args=lambda board, vdev: {"type": vdev.typename})
def virtio_bus_device_plugged(board: Board, vdev: Device) -> None:
    """Tell the transport (the bus's parent) that its device is here."""
    bus = vdev.parent_bus
    proxy = bus.parent if bus is not None else None
    if proxy is None:
        return
    plugged = next((DEVICE_PLUGGED[oc.name] for oc in proxy.obj.klass.ancestry() if oc.name in DEVICE_PLUGGED),
                   None)
    if plugged is not None:
        plugged(board, proxy, vdev)
