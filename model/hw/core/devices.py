"""The machine's devices and buses as the model builds them (QEMU's ``DeviceState``/``BusState``).

A :class:`Device` wraps the QOM object with what qdev keeps beside it: its id, the bus it is
plugged into, the buses it provides, where its composition-tree node is, its sysbus MMIO
mappings and its PCI devfn. :class:`Board` is the whole machine: the composition tree, the main
system bus and every device in creation order. Lists keep QEMU's insertion order; the monitor
prints a bus's devices and a device's buses newest first, which the view builders apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from model.block.block_backend import BlockState
from model.errors import Console
from model.hw.core.composition import QomChild
from model.hw.core.facts import DeviceFact
from model.qom.object import Object, TypeRegistry
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import MemoryMap

UNMAPPED = 2**64 - 1  # a sysbus MMIO region or PCI BAR no one has mapped yet


@dataclass(eq=False)
class Irq:
    """A board irq (``qemu_allocate_irqs``): what it does, and its composition node once adopted."""

    handler: str
    number: int
    node: QomChild | None = None


@dataclass(eq=False)
class Bus:
    """A qbus: its name, QOM type (``PCI``, ``ISA``, ``System``...), parent device and children."""

    name: str
    type: str
    parent: Device | None
    node: QomChild
    children: list[Device] = field(default_factory=list)
    # PCI: devfn -> device; a bus's lowest usable devfn (``devfn_min``).
    pci_slots: dict[int, Device] = field(default_factory=dict)
    # PCI: the memory and I/O spaces its devices' BARs live in (``address_space_mem``/``_io``):
    # the host's PCI space and the system I/O space on a root bus, a bridge's windows below.
    # ISA: the memory space legacy windows go to (``isa_address_space``): PIIX3's PCI space,
    # system memory behind ICH9's LPC and on boards without PCI.
    address_space_mem: MemoryRegion | None = None
    address_space_io: MemoryRegion | None = None
    # PCI: the IOMMU serving the bus (``pci_setup_iommu``): the DMA space root of the
    # function at a devfn of a bus below it.
    iommu_fn: Callable[[Board, Bus, int], MemoryRegion] | None = None
    # USB: the paths of the free ports, in registration order ("1", "2", a hub's "2.1"...).
    usb_free: list[str] = field(default_factory=list)
    # IDE: the channel's drive slots (``ide_init2``), None on other buses.
    ide: IdeChannel | None = None


@dataclass(eq=False)
class PamRegion:
    """A PAM segment's four aliases (QEMU's ``PAMMemoryRegion.alias[]``: pci, rom, pci, ram)
    and which of them is on (``hw/pci-host/pam.c``)."""

    aliases: list[MemoryRegion]
    current: int = 0


@dataclass
class IdeChannel:
    """An IDE bus's two drive states: the serial numbers ``ide_init1`` gave them (a process-wide
    count from 1), how many units the bus takes (2, one on an AHCI port), who holds each."""

    serials: tuple[int, int]
    max_units: int
    units: dict[int, Device] = field(default_factory=dict)


@dataclass(frozen=True)
class VirtioPciLayout:
    """Where a virtio PCI proxy puts things: (offset, size) of the common, ISR, device and
    notify windows in its modern BAR, and the BAR index of its MSI-X structures."""

    windows: tuple[tuple[int, int], ...]
    msix_bar: int


@dataclass(eq=False)
class Device:
    """A qdev device and the qdev state kept beside its QOM object."""

    obj: Object
    fact: DeviceFact
    id: str | None = None
    node: QomChild | None = None
    parent_bus: Bus | None = None
    buses: list[Bus] = field(default_factory=list)
    mmio: list[int] = field(default_factory=list)  # base address of each MMIO region, in init order
    realized: bool = False
    # Properties the user set with -device (a realize never overrides those).
    user_props: set[str] = field(default_factory=set)
    # Created by -device (or inside such a device): realized from the harvested facts unless
    # the model has a realize of its own for the type.
    generic: bool = False
    # Devices embedded in this one by its instance_init (object_initialize_child), by child name.
    embedded: dict[str, Device] = field(default_factory=dict)
    # The device this one is embedded in, if any (the owner whose instance_init made it).
    container: Device | None = None
    # A host bridge's PAM segments (i440FX, Q35 MCH).
    pams: list[PamRegion] = field(default_factory=list)
    # Properties a modelled rule resolved (auto queue counts, vectors): what the harvested
    # facts saw for one instance must not overwrite them.
    decided: set[str] = field(default_factory=set)
    # The name its first child bus takes (``virtio_device_set_child_bus_name``), if set.
    child_bus_name: str | None = None
    # A USB device's port on its bus (``dev->port->path``), once claimed.
    usb_port: str | None = None
    # A virtio PCI proxy's BAR layout where its own realize changed it (virtio-vga).
    virtio_layout: VirtioPciLayout | None = None

    def region(self, name: str) -> MemoryRegion:
        """Its first memory region called ``name`` (its board or bus maps it)."""
        return self.obj.region(name)

    def own(self, mr: MemoryRegion) -> MemoryRegion:
        """Keep a region the device just made."""
        self.obj.regions.append(mr)
        return mr

    @property
    def typename(self) -> str:
        return self.obj.typename


@dataclass(eq=False)
class Board:
    """Everything the machine has built so far."""

    types: TypeRegistry
    root: QomChild
    machine: QomChild
    unattached: QomChild
    peripheral: QomChild
    peripheral_anon: QomChild
    sysbus: Bus
    devices: list[Device] = field(default_factory=list)
    by_id: dict[str, Device] = field(default_factory=dict)
    # qbus automatic names: the next number per bus type (``ide.0``, ``ide.1``...).
    automatic_bus_ids: dict[str, int] = field(default_factory=dict)
    # NICs in creation order (their names, for ``net_check_clients``) and MACs handed out.
    nics: list[str] = field(default_factory=list)
    macs_assigned: int = 0
    serial_ports: int = 0
    parallel_ports: int = 0
    # The SMRAM region (``/machine/smram``) a host bridge made, which the CPUs alias.
    smram: MemoryRegion | None = None
    # The machine's RAM and, on PCI boards, the PCI memory space (what host bridges alias).
    ram: MemoryRegion | None = None
    pci_memory: MemoryRegion | None = None
    # ``machine_init_done`` notifiers, run once every device exists.
    done_notifiers: list[Callable[[Board], None]] = field(default_factory=list)
    # The ISA bus's interrupt lines (``isa_bus_irqs``): the GSIs on PC boards.
    isa_irqs: list[Irq] = field(default_factory=list)
    # The address spaces' mapped sections, shared with the process state (subpages).
    memory_map: MemoryMap = field(default_factory=MemoryMap)
    # The graphic consoles display devices made (``ui/console.c``'s list), in order.
    consoles: list[Object] = field(default_factory=list)
    # ``-smp cpus``: what automatic queue counts follow (``virtio_pci_optimal_num_queues``).
    smp_cpus: int = 1
    # ``-m slots``: DIMM slots, each with ACPI hotplug status registers.
    ram_slots: int = 0
    # PCIe chassis (``hw/pci/pcie_port.c``'s list): chassis number -> slot numbers taken.
    pcie_chassis: dict[int, set[int]] = field(default_factory=dict)
    # The process's block backends (shared with its state): what ``drive=`` properties name.
    block: BlockState = field(default_factory=BlockState)
    # The files fw_cfg serves (``fw_cfg_add_file``): a name can be added once.
    fw_cfg_files: set[str] = field(default_factory=set)
    # RAM blocks registered for migration without a device path (``vmstate_register_ram`` with
    # no owner): such a name can exist once (a "global" VGA's ``vga.vram``).
    global_ram_blocks: set[str] = field(default_factory=set)
    # The -audiodev ids (shared with the process state): what ``audiodev=`` properties name.
    audiodevs: list[str] = field(default_factory=list)
    # The -chardev ids: what ``chardev=`` properties name (the model opens none of them).
    chardevs: list[str] = field(default_factory=list)
    chardevs_in_use: set[str] = field(default_factory=set)
    # Where warnings go (the process's console), for a realize that warns.
    console: Console = field(default_factory=Console)
    # IDE drive states made so far (``ide_init1``'s static ``drive_serial``, from 1).
    ide_drive_serials: int = 0
    # The virtio IOMMU DMA spaces made so far in the process (``mr_index``, static in QEMU).
    virtio_iommu_regions: int = 0

    @property
    def has_smram(self) -> bool:
        return self.smram is not None

    def buses(self) -> list[Bus]:
        """Every bus, depth first from the main system bus (qbus_find's search order)."""
        found: list[Bus] = []
        stack = [self.sysbus]
        while stack:
            bus = stack.pop(0)
            found.append(bus)
            for dev in bus.children:
                stack.extend(dev.buses)
        return found

    def device_at(self, path: str) -> Device | None:
        return next((d for d in self.devices if d.node is not None and d.node.path == path), None)


@dataclass
class PcMachineDevices:
    """What ``pc_machine_initfn`` leaves for the board: the speaker and the flash devices."""

    pcspk: Device
    pflash: list[Device]


def new_board(types: TypeRegistry, machine_type: str) -> Board:
    """``/machine`` with its containers and the main system bus (``/machine/unattached/sysbus``)."""
    root = QomChild("", "container")
    machine = root.add_child("machine", machine_type)
    peripheral = machine.add_child("peripheral", "container")
    anon = machine.add_child("peripheral-anon", "container")
    unattached = machine.add_child("unattached", "container")
    sysbus_node = unattached.add_child("sysbus", "System")
    sysbus = Bus("main-system-bus", "System", None, sysbus_node)
    return Board(types, root, machine, unattached, peripheral, anon, sysbus)
