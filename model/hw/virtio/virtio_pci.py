"""The virtio PCI transport, ``virtio-*-pci`` (``hw/virtio/virtio-pci.c``).

Realize (``virtio_pci_realize``) lays out the modern BAR 4 as an empty container large enough
for the four capability windows (common config at 0, ISR at 0x1000, device config at 0x2000,
notifications at 0x3000, 4 bytes a queue or a page with ``page-per-vq``), then gives the
transport its ``virtio-bus`` and runs the proxy's own realize, which realizes the backend on
that bus. When the backend is plugged (``virtio_pci_device_plugged``) the BARs are filled:
the modern windows, each mapped into BAR 4 as it is added (unless ``disable-modern``); the
MSI-X BAR 1 when the proxy has vectors; and the legacy I/O BAR 0 (unless legacy is
disabled), as large as the legacy header and the device's config rounded up to a power of
two, which the harvested BAR sizes give.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import REALIZE_OWNS, device_realize, prop, qbus_init, qdev_prop_set
from model.hw.devices_generic import realize_embedded, realize_from_facts
from model.hw.pci.msix import MSIX_OWNED, msix_init_exclusive_bar, pow2ceil
from model.hw.pci.pci import settle_bar
from model.hw.virtio.virtio import BACKEND, DEVICE_PLUGGED, VIRTIO_CONFIG_LEN
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import memory_region_add_subregion
from model.softmmu.region_init import memory_region_init, memory_region_init_io
from tracer.recorder import traced

SRC = "hw/virtio/virtio-pci.c"
VIRTIO_QUEUE_MAX = 1024
NOTIFY_OFFSET = 0x3000
COMMON_PREFIX = "virtio-pci-common-"
LEGACY_BAR = 0
MSIX_BAR = 1
# The legacy header before the device's configuration: 20 bytes, 24 with MSI-X.
VIRTIO_PCI_CONFIG_OFF, VIRTIO_PCI_CONFIG_OFF_MSIX = 20, 24
# BAR 4 and, with legacy on, the I/O BAR; MSI-X with vectors.
REALIZE_OWNS["virtio-pci"] = frozenset({"virtio-pci"}) | MSIX_OWNED
# A proxy type's own realize (``VirtioPCIClass.realize``: virtio-blk-pci's, virtio-scsi-pci's...),
# run before its backend is realized: proxy, backend.
PROXY_REALIZE: dict[str, Callable[[Board, Device, Device], None]] = {}


def notify_size(proxy: Device) -> int:
    """The notification window: 4 bytes a queue, or a page a queue with ``page-per-vq``."""
    return (0x1000 if prop(proxy, "page-per-vq") else 4) * VIRTIO_QUEUE_MAX


def _pcie_port(proxy: Device) -> bool:
    """On a PCI Express bus below a port (not the root bus): legacy is off by default there."""
    bus = proxy.parent_bus
    return (bus is not None and bus.type == "PCIE" and bus.parent is not None
            and bus.parent.obj.klass.is_a("pci-device"))


def legacy_enabled(proxy: Device) -> bool:
    """``disable-legacy`` once realize resolved it."""
    return prop(proxy, "disable-legacy") not in ("on", True)


# Proxies whose own realize makes them modern-only (``virtio_pci_force_virtio_1``) in 7.2: the
# devices that never had a legacy interface.
MODERN_ONLY = frozenset({"virtio-vga-base", "virtio-gpu-pci-base", "virtio-input-pci", "vhost-vsock-pci",
                         "vhost-user-vsock-pci", "virtio-iommu-pci"})


def virtio_pci_force_virtio_1(proxy: Device) -> None:
    """Legacy off and modern on, whatever was asked or resolved."""
    qdev_prop_set(proxy, "disable-legacy", "on")
    qdev_prop_set(proxy, "disable-modern", False)


def vdev_name(proxy: Device, vdev: Device) -> str:
    """The virtio device's name (``virtio-net``), which names the transport's windows: from the
    harvested region names, or else the backend type without ``-device``."""
    for child, _type, _count in proxy.fact.children:
        if child.startswith(COMMON_PREFIX):
            return child.removeprefix(COMMON_PREFIX)
    return vdev.typename.removesuffix("-device")


@device_realize("virtio-pci")
@traced(SRC, args=lambda board, dev: {"type": dev.typename})
def virtio_pci_realize(board: Board, dev: Device) -> None:
    """BAR 4's container, the virtio bus, then the proxy's own realize (the backend)."""
    size = pow2ceil(NOTIFY_OFFSET + notify_size(dev))
    dev.own(memory_region_init(board.types, dev.typename, "virtio-pci", size))
    _owns_region(dev)
    if prop(dev, "disable-legacy") in (None, "auto"):  # auto: legacy off below a PCIe port only
        qdev_prop_set(dev, "disable-legacy", "on" if _pcie_port(dev) else "off")
    bus = qbus_init(board, dev, "virtio-pci-bus", "virtio-bus")  # virtio_pci_bus_new
    if any(oc.name in MODERN_ONLY for oc in dev.obj.klass.ancestry()):  # the proxy's own realize
        virtio_pci_force_virtio_1(dev)
    vdev = dev.embedded.get(BACKEND)
    own = next((PROXY_REALIZE[oc.name] for oc in dev.obj.klass.ancestry() if oc.name in PROXY_REALIZE), None)
    if own is not None and vdev is not None:
        own(board, dev, vdev)
    realize_from_facts(board, dev, make_buses=False, decided=frozenset({"disable-legacy"}))
    if vdev is not None and not vdev.realized:  # a proxy the harvest never saw realized
        realize_embedded(board, dev, vdev, bus)


def modern_layout(proxy: Device) -> tuple[tuple[int, int], ...]:
    """Where the common, ISR, device and notify windows sit in the modern BAR, and their sizes:
    a page each from 0, the notifications from 0x3000."""
    return ((0, 0x1000), (0x1000, 0x1000), (0x2000, 0x1000), (NOTIFY_OFFSET, notify_size(proxy)))


@traced(SRC, args=lambda board, proxy, name, layout: {"name": name})
def virtio_pci_modern_regions_init(board: Board, proxy: Device, name: str,
                                   layout: tuple[tuple[int, int], ...]) -> list[MemoryRegion]:
    """The four capability windows and the PIO notification port, named after the device."""
    sizes = [*((part, size) for part, (_offset, size) in zip(("common", "isr", "device", "notify"), layout,
                                                             strict=True)), ("notify-pio", 4)]
    return [proxy.own(memory_region_init_io(board.types, proxy.typename, f"virtio-pci-{part}-{name}", size))
            for part, size in sizes]


@traced(SRC, args=lambda board, proxy, vdev: {"proxy": proxy.typename, "type": vdev.typename})
def virtio_pci_device_plugged(board: Board, proxy: Device, vdev: Device) -> None:
    """Fill the BARs now that the device (and so its name and config size) is known."""
    types, mm = board.types, board.memory_map
    if not prop(proxy, "disable-modern"):
        layout = proxy.virtio_layout.windows if proxy.virtio_layout else modern_layout(proxy)
        windows = virtio_pci_modern_regions_init(board, proxy, vdev_name(proxy, vdev), layout)
        modern_bar = proxy.region("virtio-pci")
        for (offset, _size), mr in zip(layout, windows, strict=False):
            memory_region_add_subregion(types, mm, modern_bar, offset, mr)
    vectors = prop(proxy, "vectors")
    msix_bar = proxy.virtio_layout.msix_bar if proxy.virtio_layout else MSIX_BAR
    if isinstance(vectors, int) and 0 < vectors < 0xFFFFFFFF:
        settle_bar(proxy, msix_bar, msix_init_exclusive_bar(board, proxy, vectors).size)
    elif vectors == 0:
        settle_bar(proxy, msix_bar, None)
    legacy_io = next((r for r in proxy.fact.pci.regions if r.bar == LEGACY_BAR and r.type == "io"), None) \
        if proxy.fact.pci else None
    config_len = next((VIRTIO_CONFIG_LEN[oc.name](vdev) for oc in vdev.obj.klass.ancestry()
                       if oc.name in VIRTIO_CONFIG_LEN), None)
    if legacy_io is not None and config_len is not None:
        msix = isinstance(vectors, int) and 0 < vectors < 0xFFFFFFFF
        legacy_io = settle_bar(proxy, LEGACY_BAR, pow2ceil(
            (VIRTIO_PCI_CONFIG_OFF_MSIX if msix else VIRTIO_PCI_CONFIG_OFF) + config_len))
    if legacy_enabled(proxy) and legacy_io is not None:
        proxy.own(memory_region_init_io(types, proxy.typename, "virtio-pci", legacy_io.size))
        _owns_region(proxy)
    elif not legacy_enabled(proxy):
        virtio_pci_modern_identity(proxy)


def _owns_region(proxy: Device) -> None:
    """A ``virtio-pci`` region in the composition tree: BAR 4's container always, the legacy
    I/O BAR only with legacy on (so the facts' count of them is left to this code)."""
    if proxy.node is not None:
        proxy.node.add_owned("virtio-pci", "memory-region", 1)


TRANSITIONAL_DEVICE_IDS = range(0x1000, 0x1040)
MODERN_DEVICE_BASE = 0x1040
PCI_SUBDEVICE_ID_QEMU = 0x1100


def virtio_pci_modern_identity(proxy: Device) -> None:
    """A pure virtio 1.0 function (legacy off): device id ``0x1040`` plus the virtio device id,
    revision 1, no legacy I/O BAR, and the PCI default subsystem (``1af4:1100``) in place of
    the legacy one, which is the virtio device id. Facts harvested from a transitional
    instance carry that id as their subsystem, so the modern identity follows from them."""
    fact = proxy.fact.pci
    if fact is None or fact.device not in TRANSITIONAL_DEVICE_IDS or fact.subsystem is None:
        return
    modern = replace(fact, device=MODERN_DEVICE_BASE + fact.subsystem, subsystem=PCI_SUBDEVICE_ID_QEMU,
                     regions=tuple(r for r in fact.regions if not (r.bar == LEGACY_BAR and r.type == "io")))
    proxy.fact = replace(proxy.fact, pci=modern)


DEVICE_PLUGGED["virtio-pci"] = virtio_pci_device_plugged
