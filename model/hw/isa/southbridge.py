"""The PCI-to-ISA bridges of the PC boards: PIIX3 (``hw/isa/piix3.c``) and ICH9's LPC (``lpc_ich9.c``)."""

from __future__ import annotations

from model.hw.acpi.memory_hotplug import acpi_memory_hotplug_init
from model.hw.acpi.piix4 import apm_init
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import REALIZE_OWNS, device_realize, prop, qbus_new
from model.hw.dma.i8257 import i8257_dma_init
from model.hw.isa.isa_bus import isa_register_ioport
from model.hw.pci.pci import pci_address_space
from model.softmmu.physmem import memory_region_add_subregion, memory_region_set_enabled
from model.softmmu.region_init import memory_region_init, memory_region_init_io
from tracer.recorder import traced

RCR_IOPORT = 0xCF9  # the reset control register
ICH9_CC_SIZE = 0x4000
ICH9_PMIO_SIZE = 128
ACPI_PCIHP_ADDR_ICH9 = 0xCC0
ICH9_CPU_HOTPLUG_IO_BASE = 0xCD8

REALIZE_OWNS["ICH9-LPC"] = frozenset({"acpi-pci-hotplug"})


@device_realize("PIIX3")
@traced("hw/isa/piix3.c", args=lambda board, dev: {})
def pci_piix3_realize(board: Board, dev: Device) -> None:
    """PIIX3 creates the ISA bus (``isa.0``), its reset control register (0xcf9, over the PCI
    configuration ports) and the DMA controllers behind the bus."""
    bus = qbus_new(board, dev, "ISA", None)
    bus.address_space_mem = pci_address_space(dev)
    reset = dev.own(memory_region_init_io(board.types, dev.typename, "piix3-reset-control", 1))
    isa_register_ioport(board, dev, reset, RCR_IOPORT, 1)
    i8257_dma_init(board, bus, False)


@device_realize("ICH9-LPC")
@traced("hw/isa/lpc_ich9.c", args=lambda board, dev: {})
def ich9_lpc_realize(board: Board, dev: Device) -> None:
    """The LPC bridge creates the ISA bus, its chipset configuration registers (``lpc-rcrb-mmio``,
    mapped when firmware sets RCBA), the APM ports, the reset control register (0xcf9) and the
    DMA controllers, like PIIX3. Its ACPI part comes later (``ich9_lpc_pm_init``)."""
    bus = qbus_new(board, dev, "ISA", None)
    bus.address_space_mem = board.memory_map.system
    dev.own(memory_region_init_io(board.types, dev.typename, "lpc-rcrb-mmio", ICH9_CC_SIZE))
    apm_init(board, dev)
    reset = dev.own(memory_region_init_io(board.types, dev.typename, "lpc-reset-control", 1))
    isa_register_ioport(board, dev, reset, RCR_IOPORT, 1)
    i8257_dma_init(board, bus, False)


@traced("hw/isa/lpc_ich9.c", args=lambda board, dev: {})
def ich9_lpc_pm_init(board: Board, dev: Device) -> None:
    """The LPC's ACPI power management (``ich9_pm_init``): the PM register block (``ich9-pm``,
    128 bytes at 0, disabled until firmware sets PMBASE) holding the timer, PM1 event and
    control, GPE0, SMI and (``enable_tco``) TCO registers; then the PCI hotplug registers at
    0xcc0 when hotplug with bridges is on (Q35 6.1 and later), CPU hotplug at 0xcd8, and memory
    hotplug at 0xa00 when the machine has DIMM slots."""
    types, mm = board.types, board.memory_map
    assert mm.io is not None
    types.object_new("irq")  # the SCI line (qemu_allocate_irq: ich9_set_sci)
    pm = dev.own(memory_region_init(types, dev.typename, "ich9-pm", ICH9_PMIO_SIZE))
    memory_region_set_enabled(types, mm, pm, False)
    memory_region_add_subregion(types, mm, mm.io, 0, pm)
    blocks = [("acpi-tmr", 4, 8), ("acpi-evt", 4, 0), ("acpi-cnt", 2, 4), ("acpi-gpe0", 16, 0x20),
              ("acpi-smi", 8, 0x30), *([("sm-tco", 0x20, 0x60)] if prop(dev, "enable_tco") is not False else [])]
    for name, size, offset in blocks:
        memory_region_add_subregion(types, mm, pm, offset, dev.own(memory_region_init_io(types, dev.typename,
                                                                                          name, size)))
    if prop(dev, "acpi-pci-hotplug-with-bridge-support"):
        pcihp = dev.own(memory_region_init_io(types, dev.typename, "acpi-pci-hotplug", 0x18))
        memory_region_add_subregion(types, mm, mm.io, ACPI_PCIHP_ADDR_ICH9, pcihp)
        if dev.node is not None:
            dev.node.add_child("acpi-pci-hotplug[*]", "memory-region")
    cpuhp = dev.own(memory_region_init_io(types, dev.typename, "acpi-cpu-hotplug", 0x20))
    memory_region_add_subregion(types, mm, mm.io, ICH9_CPU_HOTPLUG_IO_BASE, cpuhp)
    if prop(dev, "memory-hotplug-support") is not False:
        acpi_memory_hotplug_init(board, dev)
