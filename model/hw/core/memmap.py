"""The memory regions a finished board has mapped, and so ``info mtree -f`` at the end of startup.

Every machine starts with ``system`` (a 2^64 container) and ``io`` (64 KiB of port I/O that
answers unassigned accesses itself, so it fills every gap of the I/O view) and the address
spaces ``memory`` and ``I/O`` over them (``memory_map_init``). The board then maps RAM and
firmware, and each device maps its own regions when it is realized: ISA devices their ports
at their ``iobase``-style properties, sysbus devices their MMIO at the address the board
passed to ``sysbus_mmio_map``. A TCG x86 CPU adds ``cpu-memory-N`` (over ``system``) and
``cpu-smm-N`` (a ``memory`` container holding an alias of all of ``system``); the first local
APIC maps ``apic-msi`` above everything (priority 0x1000).

The rules below are QEMU 7.2's, per device type, with names and sizes as the devices create
them. On the i440FX and the Q35 MCH the PCI address space lies below system memory, the PAM
and SMRAM windows show PCI as they do at reset (the CPUs' SMRAM is closed, MMCONFIG unmapped),
and each PCI function has a (disabled) bus-master space; BARs are unassigned until firmware
runs, so only legacy VGA ports and windows show. microvm with ``pcie=on`` is not covered yet
(the GPEX ECAM and MMIO windows): :func:`address_spaces` returns None for it rather than a
wrong map.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache

from model.data_files import DATA_DIR
from model.hw.core.devices import UNMAPPED, Board, Device
from model.hw.core.qdev import prop
from model.qom.object import Object
from model.softmmu.memory import max_ram_below_4g_size, pc_gigabyte_align, pc_lowmem
from model.softmmu.memory_region import SPACE_END, AddressSpace, MemoryRegion, alias

APIC_DEFAULT_ADDRESS = 0xFEE00000
APIC_SPACE_SIZE = 0x100000
APIC_MSI_PRIORITY = 0x1000
ISA_BIOS_MAX = 128 * 1024
PC_ROM = (0xC0000, 0x20000)  # option ROM space
LOWMEM = {"pc_init_isa": 0xE0000000, "pc_init1": 0xE0000000, "pc_q35_init": 0xB0000000,
          "microvm_machine_state_init": 0xC0000000}
MODELLED = ("pc_init_isa", "pc_init1", "pc_q35_init", "microvm_machine_state_init", "machine_none_init")
FIRMWARE = {"microvm_machine_state_init": "bios-microvm.bin"}
PAM_SEGMENTS = [(0xF0000, 0x10000), *((0xC0000 + i * 0x4000, 0x4000) for i in range(12))]
SMRAM = (0xA0000, 0x20000)

PortRules = Callable[[Device], list[tuple[str, int, int]]]  # (name, port, size)


def _num(dev: Device, name: str, default: int) -> int:
    value = prop(dev, name)
    return default if value is None else int(value)


def _i8257(dev: Device) -> list[tuple[str, int, int]]:
    """Channel and control registers (spaced ``1 << dshift`` apart), and the page registers
    as the port list has them: three ports at page+1, one at page+7."""
    base, page, shift = _num(dev, "base", 0), _num(dev, "page-base", 0x80), _num(dev, "dshift", 0)
    size = 8 << shift
    return [("dma-chan", base, size), ("dma-cont", base + size, size),
            ("dma-page", page + 1, 3), ("dma-page", page + 7, 1)]


def _pcihp(dev: Device) -> bool:
    """ICH9 maps ACPI PCI hotplug only when it is on (Q35 machines before 6.1 turn it off)."""
    return prop(dev, "acpi-pci-hotplug-with-bridge-support") is not False


def _pic(dev: Device) -> list[tuple[str, int, int]]:
    elcr = _num(dev, "elcr_addr", -1)
    return [("pic", _num(dev, "iobase", -1), 2), *([("elcr", elcr, 1)] if elcr >= 0 else [])]


def _fw_cfg(dev: Device) -> list[tuple[str, int, int]]:
    dma = [("fwcfg.dma", _num(dev, "dma_iobase", 0x514), 8)] if prop(dev, "dma_enabled") is not False else []
    return [("fwcfg", _num(dev, "iobase", 0x510), 2), *dma]


# A VGA-compatible display (``vga_init``): the legacy VGA ports and the Bochs VBE ports.
_VGA_PORTS = [("vga", 0x3B4, 2), ("vga", 0x3BA, 1), ("vga", 0x3C0, 16), ("vga", 0x3D4, 2), ("vga", 0x3DA, 1),
              ("vbe", 0x1CE, 4)]


def _mem_hotplug(dev: Device) -> list[tuple[str, int, int]]:
    """The memory hotplug ports, where realize made them (a machine with DIMM slots)."""
    return [("acpi-mem-hotplug", 0xA00, 24)] if any(r.name == "acpi-mem-hotplug" for r in dev.obj.regions) else []


VBE_DISPI_LFB_PHYSICAL_ADDRESS = 0xE0000000
# Address spaces a device makes over the I/O space at realize (``address_space_init``).
DEVICE_SPACES = {"lsi53c895a": "lsi-pci-io"}


PORTS: dict[str, PortRules] = {
    "i8257": _i8257,
    "isa-i8259": _pic,
    "isa-pit": lambda d: [("pit", _num(d, "iobase", 0x40), 4)],
    "isa-pcspk": lambda d: [("pcspk", _num(d, "iobase", 0x61), 1)],
    "i8042": lambda d: [("i8042-data", 0x60, 1), ("i8042-cmd", 0x64, 1)],
    "vmport": lambda d: [("vmport", 0x5658, 1)],
    "port92": lambda d: [("port92", 0x92, 1)],
    "isa-fdc": lambda d: [("fdc", _num(d, "iobase", 0x3F0) + 1, 5), ("fdc", _num(d, "iobase", 0x3F0) + 7, 1)],
    "isa-ide": lambda d: [("ide", _num(d, "iobase", 0x1F0), 8), ("ide", _num(d, "iobase2", 0x3F6), 1)],
    "isa-serial": lambda d: [("serial", _num(d, "iobase", 0x3F8), 8)],
    "kvmvapic": lambda d: [("kvmvapic", 0x7E, 2)],
    **{name: (lambda d: _VGA_PORTS) for name in ("VGA", "qxl-vga", "virtio-vga", "isa-vga")},
    "cirrus-vga": lambda d: [("cirrus-io", 0x3B0, 0x30)],
    "pvpanic": lambda d: [("pvpanic", _num(d, "ioport", 0x505), 1)],
    "fw_cfg_io": _fw_cfg,
    "i440FX-pcihost": lambda d: [("pci-conf-idx", 0xCF8, 4), ("pci-conf-data", 0xCFC, 4)],
    "q35-pcihost": lambda d: [("pci-conf-idx", 0xCF8, 4), ("pci-conf-data", 0xCFC, 4)],
    "PIIX3": lambda d: [("piix3-reset-control", 0xCF9, 1)],
    "ICH9-LPC": lambda d: [("lpc-reset-control", 0xCF9, 1), ("apm-io", 0xB2, 2),
                           *([("acpi-pci-hotplug", 0xCC0, 0x18)] if _pcihp(d) else []),
                           ("acpi-cpu-hotplug", 0xCD8, 0x20), *_mem_hotplug(d)],
    "piix3-ide": lambda d: [("ide", 0x1F0, 8), ("ide", 0x3F6, 1), ("ide", 0x170, 8), ("ide", 0x376, 1)],
    "PIIX4_PM": lambda d: [("apm-io", 0xB2, 2), ("acpi-pci-hotplug", 0xAE00, 0x18), ("acpi-cpu-hotplug", 0xAF00, 0x20),
                           ("acpi-gpe0", 0xAFE0, 4), ("pm-smbus", 0xB100, 0x40), *_mem_hotplug(d)],
}
# Ports mapped above the others (PIIX3's reset control sits inside the PCI config index port).
PORT_PRIORITY = {"piix3-reset-control": 1, "lpc-reset-control": 1}
# Sysbus MMIO region names by sysbus index (their sizes are the harvested device facts').
MMIO: dict[str, tuple[str, ...]] = {
    "ioapic": ("ioapic",), "hpet": ("hpet",), "virtio-mmio": ("virtio-mmio",),
    "acpi-ged-x86": ("acpi-ged", "acpi-mem-hotplug", "acpi-ged-regs"),
}


def firmware_for(ms: Object) -> str:
    """The BIOS file a machine loads: its own default (``firmware=`` in its default options,
    microvm's own), else ``bios.bin``."""
    init = str(ms.klass.fields.get("init") or "")
    opts = str(ms.klass.fields.get("default_machine_opts") or "")
    firmware = opts.split("firmware=", 1)[1].split(",")[0] if "firmware=" in opts else "bios.bin"
    return FIRMWARE.get(init, firmware)


@cache
def firmware_sizes() -> dict[str, int]:
    """The size of each firmware file as the harvest found it in QEMU's data directories."""
    found: dict[str, int] = {}
    for line in (DATA_DIR / "machine" / "mtree.jsonl").read_text(encoding="utf-8").splitlines():
        found.update(json.loads(line).get("firmware", {}))
    return found


def _rtc(dev: Device, io: MemoryRegion) -> None:
    """The RTC's two ports, with the index port as a subregion of its own (coalesced) region."""
    rtc = io.add(_num(dev, "iobase", 0x70), MemoryRegion("rtc", 2, "io"))
    rtc.add(0, MemoryRegion("rtc-index", 1, "io"))


def _bios(system: MemoryRegion, firmware: str, ram_fw: bool) -> None:
    """``x86_bios_rom_init``: the BIOS at the top of 4 GiB, its last 128 KiB (at most) aliased
    below 1 MiB above RAM; read-only unless the board runs it from RAM (isapc, microvm)."""
    size = firmware_sizes()[firmware]
    bios = MemoryRegion("pc.bios", size, "ram", readonly=not ram_fw)
    isa_size = min(size, ISA_BIOS_MAX)
    isa_bios = alias("isa-bios", bios, size - isa_size, isa_size)
    isa_bios.readonly = not ram_fw
    system.add(0x100000 - isa_size, isa_bios, 1)
    system.add((-size) % 2**32, bios)


def _ram(system: MemoryRegion, ms: Object, init: str, machine_ram: MemoryRegion | None) -> MemoryRegion:
    """The machine's RAM (the board's own region: a backend's, or the NUMA nodes' container)
    mapped below and above 4 GiB."""
    ram = machine_ram or MemoryRegion(str(ms.klass.fields.get("default_ram_id") or "ram"),
                                      int(ms.state.get("ram_size", 0)), "ram")
    low = min(ram.size, LOWMEM[init])
    if init in ("pc_init1", "pc_init_isa", "pc_q35_init"):
        low = min(ram.size, pc_lowmem(init == "pc_q35_init", ram.size,
                                      max_ram_below_4g_size(ms.state.get("max-ram-below-4g")),
                                      pc_gigabyte_align(str(ms.klass.fields.get("name", "")))))
    system.add(0, alias("ram-below-4g", ram, 0, low))
    if ram.size > low:
        system.add(2**32, alias("ram-above-4g", ram, low, ram.size - low))
    return ram


def _i440fx(system: MemoryRegion, ram: MemoryRegion) -> tuple[MemoryRegion, MemoryRegion]:
    """The PCI address space below system memory (priority -1) holding the option ROM space and
    the BIOS, the i440FX's PAM windows as they are at reset (every segment reads from PCI) and
    its SMRAM window (PCI at 0xa0000 outside SMM); and the ``smram`` region the CPUs see in SMM
    (RAM at 0xa0000). Returns (pci, smram)."""
    pci = system.add(0, MemoryRegion("pci", SPACE_END), -1)
    pci.add(PC_ROM[0], MemoryRegion("pc.rom", PC_ROM[1], "ram", readonly=True), 1)
    for start, size in PAM_SEGMENTS:
        system.add(start, alias("pam-pci", pci, start, size), 1)
    system.add(SMRAM[0], alias("smram-region", pci, SMRAM[0], SMRAM[1]), 1)
    smram = MemoryRegion("smram", 2**32)
    low = smram.add(SMRAM[0], alias("smram-low", ram, SMRAM[0], SMRAM[1]))
    low.enabled = False  # SMRAM is closed at reset (SMRAME clear)
    return pci, smram


def _isa_vga(system: MemoryRegion, dev: Device) -> None:
    """An ISA VGA puts its legacy window straight in system memory (above RAM, priority 1) and
    its VBE linear framebuffer, the whole VRAM, at 0xe0000000."""
    system.add(SMRAM[0], MemoryRegion("vga-lowmem", SMRAM[1], "io"), 1)
    system.add(VBE_DISPI_LFB_PHYSICAL_ADDRESS, MemoryRegion("vga.vram", _num(dev, "vgamem_mb", 8) << 20, "ram"))


def _vga_window(pci: MemoryRegion, typename: str) -> None:
    """The legacy VGA window at 0xa0000 in PCI space, above RAM and SMRAM (priority 1); Cirrus
    puts its low-memory handler in a container of its own (the bank aliases stay unmapped)."""
    if typename != "cirrus-vga":
        pci.add(SMRAM[0], MemoryRegion("vga-lowmem", SMRAM[1], "io"), 1)
        return
    container = pci.add(SMRAM[0], MemoryRegion("cirrus-lowmem-container", SMRAM[1]), 1)
    container.add(0, MemoryRegion("cirrus-low-memory", SMRAM[1], "io"))


def _bus_master(name: str, system: MemoryRegion) -> AddressSpace:
    """A PCI function's DMA space: an alias of system memory that stays disabled until the
    guest sets Bus Master Enable, so nothing is mapped at the end of startup."""
    container = MemoryRegion("bus master container", SPACE_END)
    window = alias("bus master", system, 0, SPACE_END)
    window.enabled = False
    container.add(0, window)
    return AddressSpace(name, container)


def address_spaces(board: Board, ms: Object, cpus: int) -> list[AddressSpace] | None:
    """Every address space of the finished machine in creation order; None for boards whose
    memory map is not modelled."""
    init = str(ms.klass.fields.get("init") or "machine_none_init")
    if init not in MODELLED or ms.state.get("pcie") in (True, "on"):
        return None
    system, io = MemoryRegion("system", SPACE_END), MemoryRegion("io", 0x10000, "io")
    smram: MemoryRegion | None = None
    rom_memory = system
    if init != "machine_none_init":
        ram = _ram(system, ms, init, board.ram)
        if init in ("pc_init1", "pc_q35_init"):
            rom_memory, smram = _i440fx(system, ram)
        elif init == "pc_init_isa":
            system.add(PC_ROM[0], MemoryRegion("pc.rom", PC_ROM[1], "ram"), 1)
        if init != "microvm_machine_state_init":
            for name, port in (("ioport80", 0x80), ("ioportF0", 0xF0)):
                io.add(port, MemoryRegion(name, 1, "io"))
        _bios(rom_memory, firmware_for(ms), rom_memory is system)
    bus_masters: list[AddressSpace] = []
    device_spaces: list[AddressSpace] = []
    for dev in board.devices:
        if not dev.realized and dev.typename != "kvmvapic":  # created but never realized: maps nothing
            continue
        if dev.typename == "mc146818rtc":
            _rtc(dev, io)
        rules = PORTS.get(dev.typename)
        for name, port, size in rules(dev) if rules is not None else []:
            io.add(port, MemoryRegion(name, size, "io"), PORT_PRIORITY.get(name, 0))
        if dev.typename in ("VGA", "qxl-vga", "virtio-vga", "cirrus-vga") and rom_memory is not system:
            _vga_window(rom_memory, dev.typename)
        if dev.typename == "isa-vga":
            _isa_vga(system, dev)
        if dev.typename in DEVICE_SPACES:  # a device's own view of a bus's space, made at realize
            device_spaces.append(AddressSpace(DEVICE_SPACES[dev.typename], io))
        if dev.fact.pci is not None:
            bus_masters.append(_bus_master(dev.typename, system))
        for name, size, addr in zip(MMIO.get(dev.typename, ()), dev.fact.mmio_sizes, dev.mmio, strict=False):
            if addr != UNMAPPED:
                system.add(addr, MemoryRegion(name, size, "io"))
    spaces = [AddressSpace("memory", system), AddressSpace("I/O", io), *device_spaces, *bus_masters]
    for n in range(cpus):
        root = MemoryRegion("memory", SPACE_END)
        root.add(0, alias("memory", system, 0, SPACE_END))
        if smram is not None and board.has_smram:
            root.add(0, alias("smram", smram, 0, smram.size), 1)
        spaces += [AddressSpace(f"cpu-memory-{n}", system), AddressSpace(f"cpu-smm-{n}", root)]
    if any(d.typename == "apic" or (d.node is not None and "lapic" in d.node.children) for d in board.devices):
        system.add(APIC_DEFAULT_ADDRESS, MemoryRegion("apic-msi", APIC_SPACE_SIZE, "io"), APIC_MSI_PRIORITY)
    return spaces
