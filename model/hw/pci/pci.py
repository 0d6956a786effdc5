"""PCI devices on a PCI bus: devfn allocation and multifunction rules (``hw/pci/pci.c``).

``do_pci_register_device`` gives a device its devfn: the one its ``addr`` asks for, which must
be free, or else the first slot from the bus's lowest devfn whose function 0 is free. A
function other than 0 may only join a slot whose function 0 is multifunction; a
function-0 device may not arrive after other functions of its slot without being
multifunction itself.
"""

from __future__ import annotations

from dataclasses import replace

from model.errors import QemuError
from model.hw.core.devices import Board, Bus, Device
from model.hw.core.facts import PciRegionFact
from model.hw.core.qdev import (
    BUS_REALIZE,
    DEVICE_REALIZE_AFTER,
    device_realize,
    prop,
    qdev_new,
    qdev_prop_set,
    qdev_realize,
)
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import address_space_init, memory_region_add_subregion, memory_region_set_enabled
from model.softmmu.region_init import UINT64_MAX, memory_region_init, memory_region_init_alias, memory_region_init_rom
from tracer.recorder import traced

PCI_FUNC_MAX = 8
PCI_SLOT_MAX = 32


def _user(dev: Device) -> str:
    return f"{dev.typename},id={dev.id if dev.id is not None else '(null)'}"


@traced("hw/pci/pci.c", args=lambda board, bus, dev: {"bus": bus.name, "type": dev.typename,
                                                       "addr": prop(dev, "addr")},
        ret=lambda devfn: f"{devfn >> 3:02x}.{devfn & 7:x}")
def do_pci_register_device(board: Board, bus: Bus, dev: Device) -> int:
    """Choose and check the devfn, then occupy it."""
    devfn: int = prop(dev, "addr")
    if devfn is None or devfn < 0:
        free = [d for d in range(0, PCI_SLOT_MAX * PCI_FUNC_MAX, PCI_FUNC_MAX) if d not in bus.pci_slots]
        if not free:
            raise QemuError(f"PCI: no slot/function available for {dev.typename}, all in use or reserved")
        devfn = free[0]
    elif devfn in bus.pci_slots:
        raise QemuError(f"PCI: slot {devfn >> 3} function {devfn & 7} not available for {dev.typename}, "
                        f"in use by {_user(bus.pci_slots[devfn])}")
    slot, fn = devfn >> 3, devfn & 7
    if fn:
        f0 = bus.pci_slots.get(slot << 3)
        if f0 is not None and not prop(f0, "multifunction"):
            raise QemuError(f"PCI: single function device can't be populated in function {slot:x}.{fn:x}")
    elif not prop(dev, "multifunction"):
        taken = [f for f in range(1, PCI_FUNC_MAX) if (slot << 3 | f) in bus.pci_slots]
        if taken:
            raise QemuError(f"PCI: {slot:x}.0 indicates single function, but {slot:x}.{taken[0]:x} "
                            "is already populated.")
    qdev_prop_set(dev, "addr", devfn)
    bus.pci_slots[devfn] = dev
    # Its DMA address space: an empty container until machine done gives it the bus-master
    # window (``pci_init_bus_master``); named after the device.
    container = dev.own(memory_region_init(board.types, dev.typename, "bus master container", UINT64_MAX))
    address_space_init(board.types, board.memory_map, container, dev.typename)
    return devfn


def pci_bus_realize(board: Board, bus: Bus) -> None:
    """A PCI bus, once realized, waits for the machine to be done (``pci_bus_realize``); the
    notifier list is a stack, so the bus realized last is served first."""
    board.done_notifiers.append(lambda b: pcibus_machine_done(b, bus))


BUS_REALIZE["PCI"] = pci_bus_realize


def settle_bar(dev: Device, bar: int, size: int | None, kind: str = "memory", prefetch: bool | None = None,
               mem_type_64: bool | None = None) -> PciRegionFact | None:
    """A BAR whose size the device's realize settles (``pci_register_bar`` with a region sized
    from its properties), over what the harvested facts saw for one instance: resized, added
    where that instance had none, or dropped (``size`` None: not registered this time)."""
    fact = dev.fact.pci
    if fact is None:
        return None
    found = next((r for r in fact.regions if r.bar == bar), None)
    kept = [r for r in fact.regions if r.bar != bar]
    settled = None
    if size is not None:
        settled = replace(found, size=size) if found is not None else PciRegionFact(bar, kind, size, prefetch,
                                                                                    mem_type_64)
        kept.append(settled)
    dev.fact = replace(dev.fact, pci=replace(fact, regions=tuple(sorted(kept, key=lambda r: r.bar))))
    return settled


def pci_address_space(dev: Device) -> MemoryRegion:
    """The memory space of the bus the device is on, where its memory BARs go."""
    assert dev.parent_bus is not None and dev.parent_bus.address_space_mem is not None
    return dev.parent_bus.address_space_mem


def pci_address_space_io(dev: Device) -> MemoryRegion:
    """The I/O space of the bus the device is on."""
    assert dev.parent_bus is not None and dev.parent_bus.address_space_io is not None
    return dev.parent_bus.address_space_io


@traced("hw/pci/pci.c", args=lambda board, bus: {"bus": bus.name})
def pcibus_machine_done(board: Board, bus: Bus) -> None:
    """Once the machine is complete, every device on the bus, in devfn order, gets its
    bus-master window."""
    for devfn in sorted(bus.pci_slots):
        pci_init_bus_master(board, bus.pci_slots[devfn])


def pci_device_iommu_address_space(board: Board, dev: Device) -> MemoryRegion:
    """The root of the device's DMA space: what the nearest IOMMU up the bus tree gives it
    (``pci_setup_iommu``), else system memory. Behind a conventional PCI bus the IOMMU sees
    the bridge's requester id, so the bridge's devfn on its parent bus is asked for; behind
    a PCIe-to-PCI bridge, devfn 0 of the bridge's own bus. A root bus whose host says
    ``bypass-iommu`` skips it."""
    assert dev.parent_bus is not None and board.memory_map.system is not None
    bus = iommu_bus = dev.parent_bus
    devfn = int(prop(dev, "addr"))  # the devfn do_pci_register_device settled
    while iommu_bus.iommu_fn is None and iommu_bus.parent is not None and iommu_bus.parent.fact.pci is not None:
        bridge = iommu_bus.parent
        parent_bus = bridge.parent_bus
        assert parent_bus is not None
        if iommu_bus.type != "PCIE":
            if bridge.obj.klass.is_a("pcie-pci-bridge"):
                devfn, bus = 0, iommu_bus
            else:
                devfn, bus = int(prop(bridge, "addr")), parent_bus
        iommu_bus = parent_bus
    root = bus
    while root.parent is not None and root.parent.fact.pci is not None and root.parent.parent_bus is not None:
        root = root.parent.parent_bus
    host = root.parent
    bypass = host is not None and host.fact.pci is None and prop(host, "bypass-iommu") is True
    if iommu_bus.iommu_fn is not None and not bypass:
        return iommu_bus.iommu_fn(board, bus, devfn)
    return board.memory_map.system


@traced("hw/pci/pci.c", args=lambda board, dev: {"type": dev.typename})
def pci_init_bus_master(board: Board, dev: Device) -> None:
    """``bus master``: an alias of the device's DMA space (system memory, or what its IOMMU
    gives it), off until the guest sets Bus Master Enable, inside the device's DMA container."""
    types, mm = board.types, board.memory_map
    dma = pci_device_iommu_address_space(board, dev)
    window = dev.own(memory_region_init_alias(types, dev.typename, "bus master", UINT64_MAX, dma, 0))
    memory_region_set_enabled(types, mm, window, False)
    memory_region_add_subregion(types, mm, dev.region("bus master container"), 0, window)


@device_realize("pci-device")
def pci_qdev_realize(board: Board, dev: Device) -> None:
    """Every PCI device's realize starts by taking its place on the bus."""
    assert dev.parent_bus is not None
    do_pci_register_device(board, dev.parent_bus, dev)


def pci_new(board: Board, typename: str, devfn: int, multifunction: bool = False) -> Device:
    """``pci_new_multifunction``: a PCI device asking for ``devfn`` (-1: any free slot)."""
    dev = qdev_new(board, typename)
    qdev_prop_set(dev, "addr", devfn)
    qdev_prop_set(dev, "multifunction", multifunction)
    return dev


def pci_create_simple(board: Board, bus: Bus, devfn: int, typename: str, multifunction: bool = False) -> Device:
    """``pci_create_simple_multifunction``: new, placed and realized on ``bus``."""
    dev = pci_new(board, typename, devfn, multifunction)
    qdev_realize(board, dev, bus)
    return dev


@traced("hw/pci/pci.c", args=lambda board, dev: {"type": dev.typename, "romfile": prop(dev, "romfile")})
def pci_add_option_rom(board: Board, dev: Device) -> None:
    """After the device's own realize: a ``romfile`` becomes a ROM region (``TYPE.rom``, as
    large as the file rounded up to a power of two: the ROM BAR's size) for BAR 6. An empty
    ``romfile=`` means no ROM at all, and ``rombar=0`` a ROM firmware gets through fw_cfg
    instead (not modelled): either way no BAR 6 and ``romsize`` left unset."""
    romfile = prop(dev, "romfile")
    fact = dev.fact.pci
    rom_bar = next((r for r in fact.regions if r.bar == PCI_ROM_SLOT), None) if fact else None
    if fact is not None and rom_bar is not None and (not romfile or not prop(dev, "rombar")):  # no BAR 6
        dev.fact = replace(dev.fact, pci=replace(fact, regions=tuple(r for r in fact.regions if r.bar != PCI_ROM_SLOT)))
        qdev_prop_set(dev, "romsize", ROMSIZE_UNSET)
        return
    if not romfile or rom_bar is None or not prop(dev, "rombar"):
        return
    # named after the device's migration state (``vga.rom``), else its type (``e1000.rom``)
    name = next((c[0] for c in dev.fact.children if c[0].endswith(".rom")), f"{dev.typename}.rom")
    dev.own(memory_region_init_rom(board.types, dev.typename, name, rom_bar.size))
    if dev.node is not None:
        dev.node.add_owned(name, "memory-region", 1)


PCI_ROM_SLOT = 6
ROMSIZE_UNSET = 0xFFFFFFFF


DEVICE_REALIZE_AFTER["pci-device"] = pci_add_option_rom
