"""PIIX4's power management function (``hw/acpi/piix4.c``): ACPI registers and the SMBus
controller of the ``pc`` machines (function 1.3).

Realize in QEMU 7.2's order: the APM control ports (0xb2), the SMBus controller (its ``i2c``
bus, then ``pm-smbus`` mapped at ``smb_io_base``), the ACPI PM register block (``piix4-pm``,
64 bytes, mapped at 0 but disabled until firmware sets its base: timer, PM1 event and control
registers inside it), then the general-purpose event block (0xafe0), PCI hotplug (0xae00) and
CPU hotplug (0xaf00) registers.
"""

from __future__ import annotations

from model.hw.acpi.memory_hotplug import acpi_memory_hotplug_init
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop, qbus_new
from model.hw.isa.isa_bus import isa_register_ioport
from model.softmmu.physmem import memory_region_add_subregion, memory_region_set_enabled
from model.softmmu.region_init import memory_region_init, memory_region_init_io
from tracer.recorder import traced

APM_CNT_IOPORT = 0xB2
GPE_BASE, GPE_LEN = 0xAFE0, 4
PCI_HOTPLUG_BASE, PCI_HOTPLUG_SIZE = 0xAE00, 0x18
CPU_HOTPLUG_BASE, CPU_HOTPLUG_SIZE = 0xAF00, 0x20
SMBUS_SIZE = 0x40


def apm_init(board: Board, dev: Device) -> None:
    """The APM control and status ports (``hw/isa/apm.c``), shared by PIIX4 and ICH9."""
    ports = dev.own(memory_region_init_io(board.types, dev.typename, "apm-io", 2))
    isa_register_ioport(board, dev, ports, APM_CNT_IOPORT)


def pm_smbus_init(board: Board, dev: Device) -> None:
    """The SMBus host controller (``hw/i2c/pm_smbus.c``): its ``i2c`` bus, then its 64 ports."""
    qbus_new(board, dev, "i2c-bus", "i2c")
    dev.own(memory_region_init_io(board.types, dev.typename, "pm-smbus", SMBUS_SIZE))


@device_realize("PIIX4_PM")
@traced("hw/acpi/piix4.c", args=lambda board, dev: {"smb_io_base": hex(prop(dev, "smb_io_base") or 0)})
def piix4_pm_realize(board: Board, dev: Device) -> None:
    """APM, SMBus, the ACPI PM block (disabled) and the hot-add registers (see the module)."""
    types, mm = board.types, board.memory_map
    assert mm.io is not None
    apm_init(board, dev)
    pm_smbus_init(board, dev)
    smbus = dev.region("pm-smbus")
    memory_region_set_enabled(types, mm, smbus, True)  # the SMBus I/O enable bit, set at reset
    memory_region_add_subregion(types, mm, mm.io, int(prop(dev, "smb_io_base") or 0), smbus)
    pm = dev.own(memory_region_init(types, dev.typename, "piix4-pm", 64))
    memory_region_set_enabled(types, mm, pm, False)
    memory_region_add_subregion(types, mm, mm.io, 0, pm)
    for name, size, offset in (("acpi-tmr", 4, 8), ("acpi-evt", 4, 0), ("acpi-cnt", 2, 4)):
        memory_region_add_subregion(types, mm, pm, offset, dev.own(memory_region_init_io(types, dev.typename,
                                                                                          name, size)))
    for name, base, size in (("acpi-gpe0", GPE_BASE, GPE_LEN), ("acpi-pci-hotplug", PCI_HOTPLUG_BASE,
                                                                   PCI_HOTPLUG_SIZE),
                             ("acpi-cpu-hotplug", CPU_HOTPLUG_BASE, CPU_HOTPLUG_SIZE)):
        memory_region_add_subregion(types, mm, mm.io, base, dev.own(memory_region_init_io(types, dev.typename,
                                                                                           name, size)))
    if prop(dev, "memory-hotplug-support") is not False:
        acpi_memory_hotplug_init(board, dev)
