"""What every PC board shares (``hw/i386/pc.c``, ``x86.c``): the machine's own devices, memory,
the CPUs' place in the tree, firmware config, and the basic ISA devices.

The machine's options (``hpet``, ``pit``, ``i8042``, ``vmport``, ``smm``, ``acpi``, ``usb``,
``sata``, ``smbus``) start from ``pc_machine_initfn``'s defaults and take ``-machine`` values;
:class:`PcOptions` is that state, read once by the board.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from model.data_files import load_json
from model.errors import QemuError
from model.hw.acpi import piix4 as _piix4  # noqa: F401  (registers PIIX4 PM's realize)
from model.hw.audio import pcspk as _pcspk  # noqa: F401  (registers the speaker's realize)
from model.hw.block import fdc as _fdc  # noqa: F401  (registers the floppy controller's realize)
from model.hw.core.devices import Board, Bus, Device, Irq, PcMachineDevices, new_board
from model.hw.core.irq import qdev_connect_gpio_out, qemu_allocate_irqs
from model.hw.core.loader import firmware_sizes
from model.hw.core.qdev import (
    object_property_add_child,
    prop,
    qdev_new,
    qdev_prop_set,
    qdev_realize,
    qdev_try_new,
    sysbus_add_io,
    sysbus_mmio_map,
)
from model.hw.i386.x86 import x86_bios_rom_init
from model.hw.input import i8042 as _i8042  # noqa: F401  (registers the i8042 realize)
from model.hw.intc.i8259 import i8259_init
from model.hw.isa.isa_bus import isa_create, isa_register_ioport
from model.hw.machine import version_key
from model.hw.misc import pc_ports as _pc_ports  # noqa: F401  (registers vmport's and port 92's realize)
from model.hw.nvram.fw_cfg import FW_CFG_IO_BASE, fw_cfg_find
from model.hw.rtc.mc146818rtc import mc146818_rtc_init
from model.hw.timer import i8254 as _i8254  # noqa: F401  (registers the PIT's realize)
from model.qom.object import Object
from model.softmmu.memory import (
    GiB,
    max_ram_below_4g_size,
    pc_check_device_memory,
    pc_has_reserved_memory,
    pc_lowmem_warning,
    pc_max_used_gpa_check,
    round_up,
)
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import (
    memory_region_add_subregion,
    memory_region_add_subregion_overlap,
    memory_region_set_readonly,
)
from model.softmmu.region_init import (
    UINT64_MAX,
    memory_region_init,
    memory_region_init_alias,
    memory_region_init_io,
    memory_region_init_ram,
    memory_region_init_resizeable_ram,
)
from model.state import QemuInit
from model.target_i386.cpu_qom import cpu_state
from tracer.recorder import point, traced

HPET_BASE = 0xFED00000
PC_ROM_MIN_VGA = 0xC0000  # option ROM space: 0xc0000-0xdffff
PC_ROM_SIZE = 0x20000
ACPI_BUILD_TABLE_SIZE = 0x20000
LEGACY_ACPI_TABLES_SIZE = 0x2000
ACPI_BUILD_ALIGN_SIZE = 0x1000
RSDP_V1_SIZE = 20  # an ACPI 1.0 RSDP
GSI_NUM_PINS = 24
MAX_FD = 2  # floppy drives on the controller
HPET_LEGACY_PIT_INT = 0
HPET_LEGACY_RTC_INT = 1


def _on(value: Any, default: bool) -> bool:
    """An OnOffAuto or bool machine option: ``auto`` (or unset) takes the board's default."""
    if value is None or value == "auto":
        return default
    return value is True or value == "on"


@dataclass(frozen=True)
class PcOptions:
    """The PC machine state the board reads (``PCMachineState`` after ``-machine`` is applied)."""

    hpet: bool
    pit: bool
    i8042: bool
    vmport: bool
    smm: bool
    acpi: bool
    usb: bool
    sata: bool
    smbus: bool
    ram_size: int

    @classmethod
    def of(cls, ms: Object, pci: bool = True) -> PcOptions:
        """Defaults from ``pc_machine_initfn``: everything on, ``usb`` off; ``vmport``, ``smm`` and
        ``acpi`` are ``auto``, which under TCG (not Xen) means on. A board without PCI (``isapc``)
        has no HPET and builds no ACPI tables."""
        state = ms.state
        return cls(hpet=pci and _on(state.get("hpet"), True), pit=_on(state.get("pit"), True),
                   i8042=_on(state.get("i8042"), True), vmport=_on(state.get("vmport"), True),
                   smm=_on(state.get("smm"), True), acpi=pci and _on(state.get("acpi"), True),
                   usb=_on(state.get("usb"), False), sata=_on(state.get("sata"), True),
                   smbus=_on(state.get("smbus"), True), ram_size=int(state.get("ram_size", 128 * 2**20)))


def make_pc_machine_initfn(q: QemuInit) -> Callable[[Object], None]:
    """``pc_machine_initfn`` bound to this run's state, where it leaves the devices it creates."""

    @traced("hw/i386/pc.c", name="pc_machine_initfn", args=lambda ms: {"type": ms.typename})
    def initfn(ms: Object) -> None:
        """The PC machine's instance init creates (but does not realize) the two flash devices,
        children ``pflash0``/``pflash1`` of the machine, and the PC speaker, realized later
        only if the board gets a PIT."""
        q.board = board = ensure_board(q, ms)
        q.pc_board = pc_machine_devices(board, ms.klass.fields.get("init") != "pc_init_isa")

    return initfn


def ensure_board(q: QemuInit, ms: Object) -> Board:
    """The machine's composition tree, created with the machine object."""
    if q.board is None:
        q.board = new_board(q.types, ms.typename)
        q.board.memory_map = q.memory_map
        q.board.block = q.block
        q.board.audiodevs = q.audiodevs
        q.board.chardevs = [str(items.get("id")) for items, _ in q.other.chardevs]
        q.board.console = q.console
    return q.board


def pc_machine_devices(board: Board, pci_enabled: bool) -> PcMachineDevices:
    """The devices ``pc_machine_initfn`` creates: the system flash only on PCI boards
    (``pc_system_flash_create``; not on ``isapc``, as the binary shows), then the speaker."""
    flashes = []
    for n in range(2 if pci_enabled else 0):
        dev = qdev_new(board, "cfi.pflash01")
        object_property_add_child(board, board.machine, f"pflash{n}", dev)
        flashes.append(dev)
    return PcMachineDevices(qdev_new(board, "isa-pcspk"), flashes)


@traced("hw/i386/pc.c", args=lambda board, ms: {"machine": ms.typename})
def pc_machine_done(board: Board, ms: Object) -> None:
    """Once every device exists, the ACPI tables are built and handed to firmware through
    fw_cfg as ROM blobs (``etc/acpi/tables``, ``etc/table-loader``, ``etc/acpi/rsdp``)."""
    opts = PcOptions.of(ms, ms.klass.fields.get("init") != "pc_init_isa")
    flags = machine_acpi_flags(ms.klass.fields.get("name", ""))
    if opts.acpi and flags["has_acpi_build"]:
        acpi_setup(board, flags["rsdp_in_ram"])


def machine_acpi_flags(name: str) -> dict[str, bool]:
    """``has_acpi_build`` (pc-i440fx 1.7 and later) and ``rsdp_in_ram`` (2.3 and later), as
    harvested by ``model/harvest/machine_compat.py``."""
    flags: dict[str, bool] = load_json("machine/device_compat.json")["acpi"].get(name, {})
    return {"has_acpi_build": flags.get("has_acpi_build", True), "rsdp_in_ram": flags.get("rsdp_in_ram", True)}


@traced("hw/i386/acpi-build.c", args=lambda board, rsdp_in_ram: {"rsdp_in_ram": rsdp_in_ram})
def acpi_setup(board: Board, rsdp_in_ram: bool) -> None:
    """Each blob is a ROM memory region owned by fw_cfg, named ``/rom@PATH`` (QOM escapes the
    slashes of a child's name as ``\\x2f``); older machines keep the RSDP in the BIOS area.
    The tables are padded to ``ACPI_BUILD_TABLE_SIZE`` (128 KiB); the machines before 2.3
    (those keeping the RSDP in the BIOS) pad them to whole pages instead, two with their
    default devices, and the linker script is padded to a page."""
    tables = ACPI_BUILD_TABLE_SIZE if rsdp_in_ram else LEGACY_ACPI_TABLES_SIZE
    add_acpi_blobs(board, [("etc/acpi/tables", tables), ("etc/table-loader", ACPI_BUILD_ALIGN_SIZE),
                           *([("etc/acpi/rsdp", RSDP_V1_SIZE)] if rsdp_in_ram else [])])


@traced("hw/core/loader.c", args=lambda board, ms, name: {"file": name})
def rom_add_option(board: Board, ms: Object, name: str) -> None:
    """An option ROM file (``kvmvapic.bin`` for the TCG APIC) handed to firmware through fw_cfg
    as ``genroms/NAME``. It gets a memory region of its own, owned by fw_cfg, only where the
    machine gives ROM files regions (``rom_file_has_mr``) and option ROMs too
    (``option_rom_has_mr``): of 7.2's machines, pc-i440fx-1.7 alone."""
    fields = ms.klass.fields
    if fields.get("option_rom_has_mr") and fields.get("rom_file_has_mr", True):
        fw_cfg_rom_regions(board, [(f"genroms/{name}", firmware_sizes()[name])])


@traced("hw/core/loader.c", args=lambda board, blobs: {"blobs": [path for path, _ in blobs]})
def add_acpi_blobs(board: Board, blobs: list[tuple[str, int]]) -> None:
    """The ROM blobs ACPI table set-up hands to fw_cfg (``rom_add_blob``; shared by the PC and
    microvm set-ups): each a resizeable RAM region of the blob's size owned by fw_cfg, made
    read-only at once."""
    fw_cfg_rom_regions(board, blobs)


def fw_cfg_rom_regions(board: Board, blobs: list[tuple[str, int]]) -> None:
    """``rom_set_mr`` for each blob: ``/rom@PATH``, owned by fw_cfg, read-only."""
    dev = fw_cfg_find(board)
    if dev is None or dev.node is None:
        return
    for path, size in blobs:
        name = "/rom@" + path
        mr = dev.own(memory_region_init_resizeable_ram(board.types, dev.typename, name, size))
        memory_region_set_readonly(board.types, board.memory_map, mr, True)
        dev.node.add_child(name.replace("/", "\\x2f") + "[*]", "memory-region")


@traced("hw/i386/pc_sysfw.c", args=lambda board, pc: {})
def pc_system_flash_cleanup_unused(board: Board, pc: PcMachineDevices) -> None:
    """Without ``-machine pflash0=...`` the flash devices are not needed and are unparented."""
    for dev in pc.pflash:
        if dev.node is not None:
            dev.node.unparent()
            dev.node = None
        board.devices.remove(dev)


def split_ram(ram_size: int, lowmem: int) -> tuple[int, int]:
    """RAM below and above 4 GiB: everything up to ``lowmem`` stays low."""
    if ram_size >= lowmem:
        return lowmem, ram_size - lowmem
    return ram_size, 0


def max_ram_below_4g(q: QemuInit) -> int:
    """The machine's ``max-ram-below-4g`` (0: the board's default)."""
    return max_ram_below_4g_size(q.machine_opts.get("max-ram-below-4g"))


def pc_lowmem_check(q: QemuInit, ms: Object, q35: bool) -> None:
    """Where RAM splits around 4 GiB, as the board computes it first; ``max-ram-below-4g``
    values that split it badly are warned about."""
    warning = pc_lowmem_warning(q35, int(ms.state.get("ram_size", 0)), max_ram_below_4g(q))
    if warning:
        q.console.warn_report(warning)


def pc_memory_checks(q: QemuInit, ms: Object) -> None:
    """The device-memory range for hot-pluggable DIMMs must fit the board's limits and the
    CPU's physical address bits (errors are fatal)."""
    name = str(ms.klass.fields.get("name", ""))
    version = version_key(name)
    ram, maxram, slots = (int(ms.state.get(k, 0)) for k in ("ram_size", "maxram_size", "ram_slots"))
    try:
        pc_check_device_memory(name, version, ram, maxram, slots)
        if q.cpus:
            first = cpu_state(q.cpus[0]).props
            pc_max_used_gpa_check(ms.klass.fields.get("family") == "pc_q35", name != "isapc", version, ram,
                                  maxram, slots,
                                  pc_has_reserved_memory(name, version), str(first.get("vendor", "")),
                                  int(first.get("phys-bits", 40)), max_ram_below_4g(q))
    except QemuError as err:
        raise q.console.fatal(err) from None


@traced("hw/i386/pc.c", args=lambda board, ms: {})
def pc_guest_info_init(board: Board, ms: Object) -> None:
    """Register ``pc_machine_done`` (ACPI tables and the rest of the firmware hand-off) to run
    once the machine is complete."""
    board.done_notifiers.append(lambda b: pc_machine_done(b, ms))


def pci_address_space_new(board: Board) -> MemoryRegion:
    """The board's PCI memory space (``pci``, the whole 64-bit range, no owner), made by the
    board code before its host bridge. Part of ``pc_init1``/``pc_q35_init``; not traced apart."""
    pci = board.pci_memory = memory_region_init(board.types, None, "pci", UINT64_MAX)
    board.unattached.add_child("pci[*]", "memory-region")
    return pci


@traced("hw/i386/pc.c", args=lambda q, ms, board, pc, above_4g, pci_memory: {
    "above_4g": above_4g, "pci": pci_memory is not None})
def pc_memory_init(q: QemuInit, ms: Object, board: Board, pc: PcMachineDevices, above_4g: int,
                   pci_memory: MemoryRegion | None) -> None:
    """RAM below 4 GiB and above it (aliases of the machine's RAM) and the device-memory range
    for hot-pluggable DIMMs (within the board's limits), the BIOS and its ISA alias, option ROM
    space (in the PCI address space on PCI boards, read-only there) and ``fw_cfg``.

    The regions have no owner, so they appear as ``/machine/unattached/NAME[N]``.
    """
    pc_memory_checks(q, ms)
    types, mm = board.types, board.memory_map
    assert mm.system is not None
    ram_size = int(ms.state.get("ram_size", 0))
    ram = board.ram = q.machine_ram or MemoryRegion("ram", ram_size, "ram")
    below = memory_region_init_alias(types, None, "ram-below-4g", ram_size - above_4g, ram, 0)
    board.unattached.add_child("ram-below-4g[*]", "memory-region")
    memory_region_add_subregion(types, mm, mm.system, 0, below)
    if above_4g:
        above = memory_region_init_alias(types, None, "ram-above-4g", above_4g, ram, ram_size - above_4g)
        board.unattached.add_child("ram-above-4g[*]", "memory-region")
        memory_region_add_subregion(types, mm, mm.system, 2**32, above)
    pc_device_memory_init(board, ms, above_4g)
    rom_memory = pci_memory or mm.system
    pc_system_flash_cleanup_unused(board, pc)
    x86_bios_rom_init(board, ms, rom_memory, pci_memory is None)
    option_rom = memory_region_init_ram(types, None, "pc.rom", PC_ROM_SIZE)
    board.unattached.add_child("pc.rom[*]", "memory-region")
    if pci_memory is not None:
        memory_region_set_readonly(types, mm, option_rom, True)
    memory_region_add_subregion_overlap(types, mm, rom_memory, PC_ROM_MIN_VGA, option_rom, 1)
    fw_cfg_init_io_dma(board)
    for name in q.option_roms:
        rom_add_option(board, ms, name)


def pc_device_memory_init(board: Board, ms: Object, above_4g: int) -> None:
    """Part of ``pc_memory_init``: with ``maxmem`` above the RAM (where the board reserves the
    room), an empty ``device-memory`` container for DIMMs, owned by the machine, after the RAM
    above 4 GiB rounded up to 1 GiB and as large as the difference, plus 1 GiB a slot from
    2.2 on (each DIMM may need 1 GiB alignment). (The base ignores AMD's relocation of RAM
    above the HyperTransport hole: it shows in no view.)"""
    name = str(ms.klass.fields.get("name", ""))
    version = version_key(name)
    ram, maxram, slots = (int(ms.state.get(k, 0)) for k in ("ram_size", "maxram_size", "ram_slots"))
    if not pc_has_reserved_memory(name, version) or ram >= maxram:
        return
    size = maxram - ram + (GiB * slots if (version or (99,)) >= (2, 2) else 0)
    base = round_up(2**32 + above_4g, GiB)
    assert board.memory_map.system is not None
    region = memory_region_init(board.types, ms.typename, "device-memory", size)
    board.machine.add_child("device-memory[*]", "memory-region")
    memory_region_add_subregion(board.types, board.memory_map, board.memory_map.system, base, region)


def adopt_early_regions(board: Board) -> None:
    """``system`` and ``io``, made by ``memory_map_init`` before the model's composition tree
    exists, take their places under ``/machine/unattached`` once it does."""
    for name in ("system", "io"):
        board.unattached.add_child(name + "[*]", "memory-region")


@traced("hw/nvram/fw_cfg.c", args=lambda board: {})
def fw_cfg_init_io_dma(board: Board) -> Device:
    """Firmware configuration on I/O ports 0x510 (DMA at 0x514): ``/machine/fw_cfg``. Realize
    makes the port regions; this maps them (``sysbus_add_io``), each mapping a transaction."""
    dev = qdev_new(board, "fw_cfg_io")
    object_property_add_child(board, board.machine, "fw_cfg", dev)
    qdev_realize(board, dev, board.sysbus)
    sysbus_add_io(board, FW_CFG_IO_BASE, dev.region("fwcfg"))
    if prop(dev, "dma_enabled"):
        sysbus_add_io(board, FW_CFG_IO_BASE + 4, dev.region("fwcfg.dma"))
    return dev


@traced("hw/i386/x86.c", args=lambda board: {}, ret=lambda irqs: len(irqs))
def pc_gsi_create(board: Board) -> list[Irq]:
    """The 24 global system interrupts, routed to the PICs and the IOAPIC."""
    board.isa_irqs = qemu_allocate_irqs(board, "gsi_handler", GSI_NUM_PINS)
    return board.isa_irqs


@traced("hw/i386/pc.c", args=lambda board, bus: {"bus": bus.name})
def pc_i8259_create(board: Board, bus: Bus) -> None:
    """The PICs, driving the interrupt input of the first CPU (``x86_allocate_cpu_irq``)."""
    i8259_init(board, bus, qemu_allocate_irqs(board, "pic_irq_request", 1)[0])


@traced("hw/i386/pc.c", args=lambda board, pc, bus, opts, create_fdctrl, hpet_irqs: {
    "hpet": opts.hpet, "pit": opts.pit, "floppy": create_fdctrl, "hpet_irqs": hex(hpet_irqs)})
def pc_basic_device_init(board: Board, pc: PcMachineDevices, bus: Bus, opts: PcOptions, create_fdctrl: bool,
                         hpet_irqs: int) -> None:
    """Port 0x80/0xf0 regions, the HPET (taking over the PIT and RTC interrupts in legacy mode),
    the RTC, the PIT with the speaker, then the super I/O devices."""
    for name, port in (("ioport80", 0x80), ("ioportF0", 0xF0)):  # POST codes; FPU error
        mr = memory_region_init_io(board.types, None, name, 1)
        board.unattached.add_child(name + "[*]", "memory-region")
        isa_register_ioport(board, None, mr, port)
    gsi = board.isa_irqs
    pit_irq: Irq | None = gsi[0]
    rtc_irq: Irq | None = gsi[8]
    if opts.hpet:
        hpet = qdev_try_new(board, "hpet")
        if hpet is None:
            raise QemuError("couldn't create HPET device")
        if not prop(hpet, "hpet-intcap"):
            qdev_prop_set(hpet, "hpet-intcap", hpet_irqs)
        qdev_realize(board, hpet, board.sysbus)
        sysbus_mmio_map(board, hpet, 0, HPET_BASE)
        for n in range(GSI_NUM_PINS):
            qdev_connect_gpio_out(board, hpet, "sysbus-irq", n, gsi[n])
        pit_irq = rtc_irq = None  # the HPET's own legacy inputs
    mc146818_rtc_init(board, bus, 2000, rtc_irq)
    if opts.pit:
        pit = isa_create(board, bus, "isa-pit", {"iobase": 0x40})
        qdev_connect_gpio_out(board, pit, "", 0, pit_irq)
        qdev_realize(board, pc.pcspk, bus)
    pc_superio_init(board, bus, create_fdctrl, opts)


@traced("hw/i386/pc.c", args=lambda board, bus, create_fdctrl, opts: {
    "floppy": create_fdctrl, "i8042": opts.i8042, "vmport": opts.vmport})
def pc_superio_init(board: Board, bus: Bus, create_fdctrl: bool, opts: PcOptions) -> None:
    """Floppy controller, then (unless ``i8042=off``) the keyboard controller, VMware's backdoor
    port and mouse, and port 92; the two A20 gate outputs get lines of their own."""
    floppies = [blk for unit in range(MAX_FD) if (blk := board.block.drive_get("floppy", 0, unit)) is not None]
    if create_fdctrl or floppies:  # a floppy drive brings the controller even where the board has none
        fdc = isa_create(board, bus, "isa-fdc")
        for blk in board.block.claim("floppy", MAX_FD, fdc.typename):
            point("drive_attach", f"drive {blk.name} (unit {blk.drive.unit if blk.drive else 0}) goes to a floppy "
                  "on isa-fdc: that device is not modelled", drive=blk.name, type="floppy")
    if not opts.i8042:
        return
    i8042 = isa_create(board, bus, "i8042")
    if opts.vmport:
        isa_create(board, bus, "vmport")
        vmmouse = qdev_try_new(board, "vmmouse")  # isa_try_new: the board does without it
        if vmmouse is not None:
            qdev_realize(board, vmmouse, bus)
    port92 = isa_create(board, bus, "port92")
    a20 = qemu_allocate_irqs(board, "handle_a20_line_change", 2)
    qdev_connect_gpio_out(board, i8042, "a20", 0, a20[0])
    qdev_connect_gpio_out(board, port92, "a20", 0, a20[1])
