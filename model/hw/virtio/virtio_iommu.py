"""The virtio IOMMU, ``-device virtio-iommu-pci`` (``hw/virtio/virtio-iommu.c``).

Realizing the device makes it the IOMMU of its proxy's PCI bus (``pci_setup_iommu``). From
then on every function of that bus (and of the buses behind it) gets its DMA space from the
IOMMU when it asks, which it does at machine done (``pci_init_bus_master``): once per
requester, ``virtio_iommu_find_add_as`` builds a root container named
``virtio-iommu-memory-region-N-DEVFN`` (N counts every such space made in the process) with
an address space ``virtio-iommu-device`` over it, and puts in it both the translating IOMMU
region and a ``system`` alias of all system memory. With ``boot-bypass`` (the default) and no
endpoint attached yet, the device is bypassed: the IOMMU region is disabled and the alias
shows, so these spaces share system memory's flat view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import REALIZE_OWNS, prop
from model.hw.devices_generic import realize_from_facts
from model.hw.virtio.virtio import virtio_device_realize_for
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import (
    address_space_init,
    memory_region_add_subregion_overlap,
    memory_region_set_enabled,
)
from model.softmmu.region_init import UINT64_MAX, memory_region_init, memory_region_init_alias, memory_region_init_iommu
from tracer.recorder import traced

SRC = "hw/virtio/virtio-iommu.c"
TYPE_VIRTIO_IOMMU = "virtio-iommu-device"
TYPE_VIRTIO_IOMMU_MEMORY_REGION = "virtio-iommu-memory-region"
# Regions made per requester at machine done, not by realize: not taken from the facts.
REALIZE_OWNS[TYPE_VIRTIO_IOMMU] = frozenset({"system", TYPE_VIRTIO_IOMMU_MEMORY_REGION + "-*"})


@dataclass
class IommuDevice:
    """One requester's DMA space: its root container and the two regions inside it."""

    root: MemoryRegion
    iommu: MemoryRegion
    bypass: MemoryRegion


@dataclass
class VirtioIommu:
    """An IOMMU's per-bus table of requesters (``as_by_busptr``), by (bus, devfn)."""

    device: Device
    spaces: dict[tuple[int, int], IommuDevice] = field(default_factory=dict)


@virtio_device_realize_for(TYPE_VIRTIO_IOMMU)
@traced(SRC, args=lambda board, vdev: {"boot-bypass": prop(vdev, "boot-bypass")})
def virtio_iommu_device_realize(board: Board, vdev: Device) -> None:
    """Serve the proxy's PCI bus (the ``primary-bus`` link its realize set); the rest as the
    facts say."""
    proxy = vdev.parent_bus.parent if vdev.parent_bus is not None else None
    primary = proxy.parent_bus if proxy is not None else None
    if primary is not None:
        pci_setup_iommu(primary, VirtioIommu(vdev))
    realize_from_facts(board, vdev)


def pci_setup_iommu(bus: Bus, iommu: VirtioIommu) -> None:
    """The bus's DMA spaces come from this IOMMU from now on."""
    bus.iommu_fn = partial(virtio_iommu_find_add_as, iommu)


@traced(SRC, args=lambda iommu, board, bus, devfn: {"bus": bus.name, "devfn": devfn})
def virtio_iommu_find_add_as(iommu: VirtioIommu, board: Board, bus: Bus, devfn: int) -> MemoryRegion:
    """The requester's DMA space, made on first use."""
    key = (id(bus), devfn)
    found = iommu.spaces.get(key)
    if found is not None:
        return found.root
    types, mm, vdev = board.types, board.memory_map, iommu.device
    assert mm.system is not None and vdev.node is not None
    name = f"{TYPE_VIRTIO_IOMMU_MEMORY_REGION}-{board.virtio_iommu_regions}-{devfn}"
    board.virtio_iommu_regions += 1
    root = vdev.own(memory_region_init(types, TYPE_VIRTIO_IOMMU, name, UINT64_MAX))
    vdev.node.add_child(name + "[*]", "memory-region")
    address_space_init(types, mm, root, TYPE_VIRTIO_IOMMU)
    bypass = vdev.own(memory_region_init_alias(types, TYPE_VIRTIO_IOMMU, "system", UINT64_MAX, mm.system, 0))
    vdev.node.add_child("system[*]", "memory-region")
    iommu_mr = vdev.own(memory_region_init_iommu(types, TYPE_VIRTIO_IOMMU_MEMORY_REGION, TYPE_VIRTIO_IOMMU, name,
                                                 UINT64_MAX))
    vdev.node.add_child(name + "[*]", TYPE_VIRTIO_IOMMU_MEMORY_REGION)
    memory_region_add_subregion_overlap(types, mm, root, 0, iommu_mr, 0)
    memory_region_add_subregion_overlap(types, mm, root, 0, bypass, 0)
    space = iommu.spaces[key] = IommuDevice(root, iommu_mr, bypass)
    virtio_iommu_switch_address_space(board, iommu, space)
    return root


@traced(SRC, args=lambda board, iommu, space: {"bypassed": prop(iommu.device, "boot-bypass") is not False})
def virtio_iommu_switch_address_space(board: Board, iommu: VirtioIommu, space: IommuDevice) -> None:
    """Bypassed (no endpoint attached, ``boot-bypass`` on): the IOMMU region off, the system
    alias on; else the other way round, turning off first."""
    types, mm = board.types, board.memory_map
    if prop(iommu.device, "boot-bypass") is not False:
        memory_region_set_enabled(types, mm, space.iommu, False)
        memory_region_set_enabled(types, mm, space.bypass, True)
    else:
        memory_region_set_enabled(types, mm, space.bypass, False)
        memory_region_set_enabled(types, mm, space.iommu, True)
