"""The Q35/ICH9 boards (``hw/i386/pc_q35.c``): ``pc-q35-*``.

``pc_q35_init`` in QEMU 7.2's order: CPUs, memory and firmware config, GSIs, the Q35 host
(with the MCH), the ICH9 LPC bridge (ISA bus and DMA) wired to all 24 GSIs, PICs, IOAPIC,
the basic devices (no floppy), AHCI, USB, and the ICH9 SMBus with the SPD EEPROMs.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Bus
from model.hw.core.irq import qdev_connect_gpio_out
from model.hw.core.qdev import qdev_new, qdev_prop_set, qdev_realize
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
from model.hw.ide.ide import AHCI_PORTS, ide_create_devs  # (also registers AHCI's realize)
from model.hw.intc.ioapic import ioapic_init_gsi
from model.hw.isa.southbridge import ich9_lpc_pm_init
from model.hw.pci.pci import pci_create_simple, pci_new
from model.hw.pci_host import q35 as _q35  # noqa: F401  (registers the host's realize)
from model.hw.pci_host.q35 import q35_host_create
from model.qom.object import Object
from model.softmmu.memory import pc_lowmem
from model.state import QemuInit
from tracer.recorder import traced

ICH9_LPC_DEVFN = 0x1F << 3
ICH9_SATA1_DEVFN = 0x1F << 3 | 2
ICH9_SMB_DEVFN = 0x1F << 3 | 3
ICH9_EHCI_SLOT = 0x1D


@traced("hw/i386/pc_q35.c", args=lambda q, ms: {"machine": ms.typename})
def pc_q35_init(q: QemuInit, ms: Object) -> None:
    """The Q35 board."""
    board, pc = q.board, q.pc_board
    pc_lowmem_check(q, ms, q35=True)
    x86_cpus_init(q, ms, ms.klass.fields.get("default_cpu_version", 0))
    if board is None or pc is None:
        pc_memory_checks(q, ms)
        return
    opts = PcOptions.of(ms)
    below, above = split_ram(opts.ram_size, pc_lowmem(True, opts.ram_size, max_ram_below_4g(q)))
    # The PCI address space and the host exist before the RAM: pc_memory_init puts the option
    # ROMs and BIOS in the former and needs the latter's 64-bit PCI hole size.
    pci_memory = pci_address_space_new(board)
    host = qdev_new(board, "q35-pcihost")
    pc_guest_info_init(board, ms)
    pc_memory_init(q, ms, board, pc, above, pci_memory)
    host, bus = q35_host_create(board, host, below, above)
    lpc = pci_create_simple(board, bus, ICH9_LPC_DEVFN, "ICH9-LPC", multifunction=True)
    gsi = pc_gsi_create(board)
    for n, irq in enumerate(gsi):
        qdev_connect_gpio_out(board, lpc, "gsi", n, irq)
    isa_bus = lpc.buses[0]
    pc_i8259_create(board, isa_bus)
    assert host.node is not None
    ioapic_init_gsi(board, host.node)
    pc_basic_device_init(board, pc, isa_bus, opts, False, 0xFF0104)
    ich9_lpc_pm_init(board, lpc)
    q35_pci_devices(board, bus, opts)


def q35_pci_devices(board: Board, bus: Bus, opts: PcOptions) -> None:
    """AHCI at 1f.2 (``sata``), EHCI with its UHCI companions at 1d (``usb``), SMBus at 1f.3
    (``smbus``) with eight SPD EEPROMs. Part of ``pc_q35_init``; not traced apart."""
    if opts.sata:
        ahci = pci_create_simple(board, bus, ICH9_SATA1_DEVFN, "ich9-ahci", multifunction=True)
        ide_create_devs(board, ahci, AHCI_PORTS)  # a disk per port: index N is port N
    if opts.usb:
        ehci_create_ich9_with_companions(board, bus, ICH9_EHCI_SLOT)
    if opts.smbus:
        smb = pci_create_simple(board, bus, ICH9_SMB_DEVFN, "ICH9-SMB", multifunction=True)
        smbus_eeprom_init(board, smb.buses[0], 8)


@traced("hw/usb/hcd-ehci-pci.c", args=lambda board, bus, slot: {"slot": slot})
def ehci_create_ich9_with_companions(board: Board, bus: Bus, slot: int) -> None:
    """EHCI at function 7, then three UHCI companions at functions 0-2 sharing its ports."""
    ehci = pci_new(board, "ich9-usb-ehci1", slot << 3 | 7, True)
    qdev_realize(board, ehci, bus)
    usb_bus = "usb-bus.0"
    for n, (name, port) in enumerate((("ich9-usb-uhci1", 0), ("ich9-usb-uhci2", 2), ("ich9-usb-uhci3", 4))):
        uhci = pci_new(board, name, slot << 3 | n, True)
        qdev_prop_set(uhci, "masterbus", usb_bus)
        qdev_prop_set(uhci, "firstport", port)
        qdev_realize(board, uhci, bus)
