"""The microvm machine (``hw/i386/microvm.c``): a minimal x86 board without PCI by default.

``microvm_machine_state_init`` in QEMU 7.2's order: RAM, the BIOS and fw_cfg, the CPUs, then
the devices: a bare ISA bus, the IOAPIC (and, with ACPI, a second one at 0xfec10000 taking
GSIs 24-47), the virtio-mmio transports (8 from GSI 5, or with ACPI 24 from GSI 24 with the
second IOAPIC), the ACPI generic event device, and the legacy PIC, PIT, RTC and ISA serial
port, each switchable with its machine option (``pic``, ``pit``, ``rtc``, ``isa-serial``).
"""

from __future__ import annotations

from dataclasses import dataclass

from model.hw.core.devices import Board, Bus, Device
from model.hw.core.irq import qdev_connect_gpio_out, qemu_allocate_irqs
from model.hw.core.qdev import (
    device_realize,
    prop,
    qbus_init,
    qbus_new,
    qdev_new,
    qdev_prop_set,
    qdev_realize,
    sysbus_mmio_map,
)
from model.hw.i386.pc import add_acpi_blobs, fw_cfg_init_io_dma, pc_i8259_create
from model.hw.i386.x86 import x86_bios_rom_init, x86_cpus_init
from model.hw.intc.ioapic import ioapic_init_gsi
from model.hw.isa.isa_bus import isa_create
from model.hw.machine import CPU_VERSION_LATEST
from model.hw.pci import pci as _pci  # noqa: F401  (registers the PCI devices' realize)
from model.hw.rtc.mc146818rtc import mc146818_rtc_init
from model.qom.object import Object
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import memory_region_add_subregion
from model.softmmu.region_init import UINT64_MAX, memory_region_init, memory_region_init_alias, memory_region_init_io
from model.state import QemuInit
from model.target_i386.cpu_qom import cpu_state
from tracer.recorder import traced

VIRTIO_MMIO_BASE = 0xFEB00000
VIRTIO_MMIO_SIZE = 0x200
IO_APIC_SECONDARY_ADDRESS = 0xFEC10000
GED_MMIO_BASE = 0xFEA00000
GED_MMIO_BASE_REGS = GED_MMIO_BASE + 0x200
GED_MMIO_IRQ = 9
ACPI_GED_PWR_DOWN_EVT = 2
MICROVM_PCIE_IRQ_BASE = 12
GPEX_NUM_IRQS = 4
# The size of the ACPI tables QEMU 7.2 builds for microvm's default devices, without and with
# the PCIe host (harvested: vmtrace does not build the tables, so other option sets differ).
MICROVM_ACPI_TABLES_SIZE = {False: 0x2AE, True: 0xD10}
GPEX_IOPORT_SIZE = 0x10000
MICROVM_LOWMEM = 0xC0000000  # RAM below 4 GiB: up to 3 GiB
PCIE_MMIO_BASE, PCIE_MMIO_SIZE = 0xC0000000, 0x20000000
PCIE_ECAM_BASE, PCIE_ECAM_SIZE = 0xE0000000, 0x10000000


def _auto(value: object, default: bool) -> bool:
    return default if value in (None, "auto") else value in (True, "on")


@dataclass(frozen=True)
class MicrovmOptions:
    """``MicrovmMachineState`` after ``-machine``: the legacy devices are ``auto`` (on under TCG)."""

    acpi: bool
    pic: bool
    pit: bool
    rtc: bool
    ioapic2: bool
    isa_serial: bool
    pcie: bool

    @classmethod
    def of(cls, ms: Object) -> MicrovmOptions:
        state = ms.state
        acpi = _auto(state.get("acpi"), True)
        return cls(acpi=acpi, pic=_auto(state.get("pic"), True), pit=_auto(state.get("pit"), True),
                   rtc=_auto(state.get("rtc"), True), ioapic2=_auto(state.get("ioapic2"), acpi),
                   isa_serial=_auto(state.get("isa-serial"), True), pcie=_auto(state.get("pcie"), False))


@traced("hw/i386/microvm.c", args=lambda q, ms: {"machine": ms.typename})
def microvm_machine_state_init(q: QemuInit, ms: Object) -> None:
    """Memory and firmware first, then the CPUs (latest CPU model versions), then the devices."""
    board = q.board
    if board is not None:
        microvm_memory_init(board, ms, q.machine_ram)
    x86_cpus_init(q, ms, CPU_VERSION_LATEST)
    if board is not None:
        opts = MicrovmOptions.of(ms)
        microvm_devices_init(board, ms, opts, int(cpu_state(q.cpus[0]).props["phys-bits"]))
        # microvm_machine_initfn registered its machine-done notifier before the board made
        # any (they run newest first), so the ACPI tables come after every other.
        board.done_notifiers.insert(0, lambda b: acpi_setup_microvm(b, opts))


@traced("hw/i386/acpi-microvm.c", args=lambda board, opts: {"acpi": opts.acpi, "pcie": opts.pcie})
def acpi_setup_microvm(board: Board, opts: MicrovmOptions) -> None:
    """At machine done, microvm's ACPI tables reach firmware as fw_cfg ROM blobs, RSDP (ACPI
    2.0) included, unpadded: the sizes are those of the tables QEMU 7.2 builds for microvm's
    default devices (vmtrace does not build ACPI tables)."""
    if not opts.acpi:
        return
    tables = MICROVM_ACPI_TABLES_SIZE[opts.pcie]
    add_acpi_blobs(board, [("etc/acpi/tables", tables), ("etc/table-loader", 0x680),
                           ("etc/acpi/rsdp", 36)])


@traced("hw/i386/microvm.c", args=lambda board, ms, ram: {"ram_size": hex(int(ms.state.get("ram_size", 0)))})
def microvm_memory_init(board: Board, ms: Object, ram: MemoryRegion | None) -> None:
    """RAM (below 4 GiB up to 3 GiB, the rest above: windows onto the machine's RAM, the
    ``microvm.ram`` backend's region) and fw_cfg; no PCI hole, no option ROMs. The BIOS comes
    last, after the devices (``x86_bios_rom_init``)."""
    ram_size = int(ms.state.get("ram_size", 0))
    board.ram = ram
    low = min(ram_size, MICROVM_LOWMEM)
    mm = board.memory_map
    assert mm.system is not None
    below = memory_region_init_alias(board.types, None, "ram-below-4g", low, ram)
    board.unattached.add_child("ram-below-4g[*]", "memory-region")
    memory_region_add_subregion(board.types, mm, mm.system, 0, below)
    if ram_size > low:
        above = memory_region_init_alias(board.types, None, "ram-above-4g", ram_size - low, ram, low)
        board.unattached.add_child("ram-above-4g[*]", "memory-region")
        memory_region_add_subregion(board.types, mm, mm.system, 2**32, above)
    fw_cfg_init_io_dma(board)


def isa_bus_new(board: Board) -> Bus:
    """An ISA bus without a PCI bridge: a sysbus ``isabus-bridge`` owns ``isa.0``."""
    bridge = qdev_new(board, "isabus-bridge")
    qdev_realize(board, bridge, board.sysbus)
    bus = qbus_new(board, bridge, "ISA", None)
    bus.address_space_mem = board.memory_map.system
    return bus


@traced("hw/i386/microvm.c", args=lambda board, ms, opts, phys_bits: {
    "acpi": opts.acpi, "ioapic2": opts.ioapic2, "pic": opts.pic, "pit": opts.pit, "rtc": opts.rtc, "pcie": opts.pcie})
def microvm_devices_init(board: Board, ms: Object, opts: MicrovmOptions, phys_bits: int) -> None:
    """The IOAPIC(s), the virtio-mmio transports, the GED, the legacy ISA devices, then the BIOS."""
    gsi = qemu_allocate_irqs(board, "gsi_handler", 48 if opts.ioapic2 else 24)
    bus = isa_bus_new(board)
    board.isa_irqs = gsi
    ioapic_init_gsi(board, board.machine)
    if opts.ioapic2:
        ioapic2 = qdev_new(board, "ioapic")
        qdev_realize(board, ioapic2, board.sysbus)
        sysbus_mmio_map(board, ioapic2, 0, IO_APIC_SECONDARY_ADDRESS)
    base, count = (24, 24) if opts.ioapic2 else ((16, 8) if opts.acpi else (5, 8))
    for i in range(count):
        dev = qdev_new(board, "virtio-mmio")
        qdev_realize(board, dev, board.sysbus)
        sysbus_mmio_map(board, dev, 0, VIRTIO_MMIO_BASE + i * VIRTIO_MMIO_SIZE)
        qdev_connect_gpio_out(board, dev, "sysbus-irq", 0, gsi[base + i])
    if opts.acpi:
        ged = qdev_new(board, "acpi-ged-x86")  # its regions exist from instance init: mapped first
        qdev_prop_set(ged, "ged-event", ACPI_GED_PWR_DOWN_EVT)
        sysbus_mmio_map(board, ged, 0, GED_MMIO_BASE)
        sysbus_mmio_map(board, ged, 2, GED_MMIO_BASE_REGS)
        qdev_connect_gpio_out(board, ged, "sysbus-irq", 0, gsi[GED_MMIO_IRQ])
        qdev_realize(board, ged, board.sysbus)
    if opts.pcie:
        gpex = create_gpex(board, phys_bits)
        for i in range(GPEX_NUM_IRQS):
            qdev_connect_gpio_out(board, gpex, "sysbus-irq", i, gsi[MICROVM_PCIE_IRQ_BASE + i])
    if opts.pic:
        pc_i8259_create(board, bus)
    if opts.pit:
        pit = isa_create(board, bus, "isa-pit", {"iobase": 0x40})
        qdev_connect_gpio_out(board, pit, "", 0, gsi[0])
    if opts.rtc:
        mc146818_rtc_init(board, bus, 2000, gsi[8])
    assert board.memory_map.system is not None
    x86_bios_rom_init(board, ms, board.memory_map.system, True)


def create_gpex(board: Board, phys_bits: int) -> Device:
    """The PCIe host (``pcie=on``), and its windows in system memory: the first 256 MiB of its
    ECAM at 0xe0000000 (``pcie-ecam``), PCI memory 1:1 at 0xc0000000 for 512 MiB
    (``pcie-mmio32``) and, with an address space over 16 MiB, in its top quarter
    (``pcie-mmio64``, as wide as the first CPU's physical address bits allow). Part of
    ``microvm_devices_init``; not traced apart."""
    gpex = qdev_new(board, "gpex-pcihost")
    qdev_realize(board, gpex, board.sysbus)
    types, mm = board.types, board.memory_map
    assert mm.system is not None
    ecam = memory_region_init_alias(types, gpex.typename, "pcie-ecam", PCIE_ECAM_SIZE, gpex.region("pcie-mmcfg-mmio"))
    memory_region_add_subregion(types, mm, mm.system, PCIE_ECAM_BASE, ecam)
    window = gpex.region("gpex_mmio_window") if prop(gpex, "allow-unmapped-accesses") is not False \
        else gpex.region("gpex_mmio")
    mmio32 = memory_region_init_alias(types, gpex.typename, "pcie-mmio32", PCIE_MMIO_SIZE, window, PCIE_MMIO_BASE)
    memory_region_add_subregion(types, mm, mm.system, PCIE_MMIO_BASE, mmio32)
    phys_size = 1 << phys_bits
    if phys_size > 0x1000000:
        size = phys_size // 4
        mmio64 = memory_region_init_alias(types, gpex.typename, "pcie-mmio64", size, window, phys_size - size)
        memory_region_add_subregion(types, mm, mm.system, phys_size - size, mmio64)
    return gpex


@device_realize("gpex-pcihost")
@traced("hw/pci-host/gpex.c", args=lambda board, dev: {})
def gpex_host_realize(board: Board, dev: Device) -> None:
    """The generic PCIe host: the PCI memory and I/O spaces (``gpex_mmio``, ``gpex_ioport``), each
    inside a window that answers unmapped accesses (``allow-unmapped-accesses``, on by
    default), which are its sysbus regions 1 and 2 after the ECAM (``pcie-mmcfg-mmio``, made
    at instance init); its root bus ``pcie.0`` over those spaces; and the root function
    embedded at instance init (child ``gpex_root``), realized at 00.0. The board maps the
    ECAM and MMIO windows through aliases, so these regions stay unmapped themselves."""
    types, mm, name = board.types, board.memory_map, dev.typename
    mmio = dev.own(memory_region_init(types, name, "gpex_mmio", UINT64_MAX))
    ioport = dev.own(memory_region_init(types, name, "gpex_ioport", GPEX_IOPORT_SIZE))
    if prop(dev, "allow-unmapped-accesses") is not False:
        mmio_window = dev.own(memory_region_init_io(types, name, "gpex_mmio_window", UINT64_MAX))
        ioport_window = dev.own(memory_region_init_io(types, name, "gpex_ioport_window", GPEX_IOPORT_SIZE))
        memory_region_add_subregion(types, mm, mmio_window, 0, mmio)
        memory_region_add_subregion(types, mm, ioport_window, 0, ioport)
    bus = qbus_new(board, dev, "PCIE", "pcie.0")
    bus.address_space_mem, bus.address_space_io = mmio, ioport
    root = dev.embedded["gpex_root"]
    qdev_prop_set(root, "addr", 0)
    qdev_prop_set(root, "multifunction", False)
    qdev_realize(board, root, bus)


@device_realize("virtio-mmio")
@traced("hw/virtio/virtio-mmio.c", args=lambda board, dev: {})
def virtio_mmio_realizefn(board: Board, dev: Device) -> None:
    """A transport provides its ``virtio-mmio-bus.N`` and its 512-byte register window (MMIO
    region 0, which the board maps); without KVM eventfds, ioeventfd is off."""
    qbus_init(board, dev, "virtio-mmio-bus", None)
    qdev_prop_set(dev, "ioeventfd", False)
    dev.own(memory_region_init_io(board.types, dev.typename, "virtio-mmio", VIRTIO_MMIO_SIZE))
