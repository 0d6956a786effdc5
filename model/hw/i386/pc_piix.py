"""The i440FX/PIIX boards (``hw/i386/pc_piix.c``): ``pc-i440fx-*`` and the ISA-only ``isapc``.

``pc_init1`` in QEMU 7.2's order: CPUs, memory and firmware config, GSIs, the host bridge and
PIIX3 (or, on ``isapc``, a bare ISA bus), PICs, IOAPIC, the basic devices, IDE, USB, and
PIIX4's ACPI/SMBus function with the SPD EEPROMs.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Bus
from model.hw.core.irq import qdev_connect_gpio_out, qemu_allocate_irqs
from model.hw.core.qdev import qbus_new, qdev_new, qdev_prop_set, qdev_realize
from model.hw.dma.i8257 import i8257_dma_init
from model.hw.i2c.smbus import smbus_eeprom_init
from model.hw.i386.pc import (
    PcOptions,
    max_ram_below_4g,
    pc_basic_device_init,
    pc_gsi_create,
    pc_guest_info_init,
    pc_i8259_create,
    pc_lowmem_check,
    pc_memory_checks,
    pc_memory_init,
    pci_address_space_new,
    split_ram,
)
from model.hw.i386.x86 import x86_cpus_init
from model.hw.ide.ide import MAX_IDE_BUS, MAX_IDE_DEVS, ide_create_devs  # (also registers the IDE realizes)
from model.hw.intc.ioapic import ioapic_init_gsi
from model.hw.isa import southbridge as _southbridge  # noqa: F401  (registers PIIX3's realize)
from model.hw.isa.isa_bus import isa_create
from model.hw.pci.pci import pci_create_simple, pci_new
from model.hw.pci_host.i440fx import i440fx_init
from model.qom.object import Object
from model.softmmu.memory import pc_gigabyte_align, pc_lowmem
from model.state import QemuInit
from tracer.recorder import traced


@traced("hw/i386/pc_piix.c", args=lambda q, ms: {"machine": ms.typename})
def pc_init1(q: QemuInit, ms: Object) -> None:
    """The i440FX board (also ``isapc``, which has no PCI)."""
    board, pc = q.board, q.pc_board
    pc_lowmem_check(q, ms, q35=False)
    x86_cpus_init(q, ms, ms.klass.fields.get("default_cpu_version", 0))
    if board is None or pc is None:
        pc_memory_checks(q, ms)
        return
    pci_enabled = ms.klass.fields.get("init") != "pc_init_isa"
    opts = PcOptions.of(ms, pci_enabled)
    gigabyte_align = pc_gigabyte_align(str(ms.klass.fields.get("name", "")))
    _, above = split_ram(opts.ram_size, pc_lowmem(False, opts.ram_size, max_ram_below_4g(q), gigabyte_align))
    # The PCI address space and the host bridge exist before the RAM: pc_memory_init puts the
    # option ROMs and BIOS in the former and needs the latter's 64-bit PCI hole size.
    pci_memory = pci_address_space_new(board) if pci_enabled else None
    host = qdev_new(board, "i440FX-pcihost") if pci_enabled else None
    pc_guest_info_init(board, ms)
    pc_memory_init(q, ms, board, pc, above, pci_memory)
    pc_gsi_create(board)
    if host is not None and pci_memory is not None:
        host, pci_bus = i440fx_init(board, host, pci_memory, q.machine_ram)
        piix3 = pci_create_simple(board, pci_bus, -1, "PIIX3", multifunction=True)
        isa_bus = piix3.buses[0]
    else:
        isa_bus = isabus_bridge(board)
    pc_i8259_create(board, isa_bus)
    if host is not None:
        assert host.node is not None
        ioapic_init_gsi(board, host.node)
    pc_basic_device_init(board, pc, isa_bus, opts, True, 0x4)
    if pci_enabled:
        pc_piix_pci_devices(board, pci_bus, opts)
    else:
        for n, (iobase, iobase2, irq) in enumerate(((0x1F0, 0x3F6, 14), (0x170, 0x376, 15))):
            ide = isa_create(board, isa_bus, "isa-ide", {"iobase": iobase, "iobase2": iobase2, "irq": irq})
            ide_create_devs(board, ide, MAX_IDE_DEVS, MAX_IDE_DEVS * n)  # isa_ide_init: its two drives


def isabus_bridge(board: Board) -> Bus:
    """``isa_bus_new`` without a PCI bridge: a sysbus ``isabus-bridge`` owns ``isa.0``; the DMA
    controllers follow at once, as the south bridges create them on PCI boards. Part of
    ``pc_init1``; not traced apart."""
    bridge = qdev_new(board, "isabus-bridge")
    qdev_realize(board, bridge, board.sysbus)
    bus = qbus_new(board, bridge, "ISA", None)
    bus.address_space_mem = board.memory_map.system
    i8257_dma_init(board, bus, False)
    return bus


def pc_piix_pci_devices(board: Board, bus: Bus, opts: PcOptions) -> None:
    """PIIX3's other functions: IDE at .1, USB at .2 (``usb=on``), PIIX4 PM with SMBus at .3
    (``acpi``, with the SMI line and eight SPD EEPROMs). Part of ``pc_init1``; not traced apart."""
    ide_create_devs(board, pci_create_simple(board, bus, 1 << 3 | 1, "piix3-ide"), MAX_IDE_BUS * MAX_IDE_DEVS)
    if opts.usb:
        pci_create_simple(board, bus, 1 << 3 | 2, "piix3-usb-uhci")
    if not opts.acpi:
        return
    smi_irq = qemu_allocate_irqs(board, "pc_acpi_smi_interrupt", 1)[0]
    pm = pci_new(board, "PIIX4_PM", 1 << 3 | 3)
    qdev_prop_set(pm, "smb_io_base", 0xB100)
    qdev_prop_set(pm, "smm-enabled", opts.smm)
    qdev_realize(board, pm, bus)
    qdev_connect_gpio_out(board, pm, "", 0, board.isa_irqs[9])
    qdev_connect_gpio_out(board, pm, "smi-irq", 0, smi_irq)
    smbus_eeprom_init(board, pm.buses[0], 8)

