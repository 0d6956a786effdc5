"""SMBus controllers and the SPD EEPROMs on them (``hw/i2c/pm_smbus.c``, ``smbus_ich9.c``, ``smbus_eeprom.c``)."""

from __future__ import annotations

from model.hw.acpi.piix4 import pm_smbus_init
from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import device_realize, qdev_new, qdev_prop_set, qdev_realize
from tracer.recorder import traced


@device_realize("ICH9-SMB")
@traced("hw/i2c/smbus_ich9.c", args=lambda board, dev: {})
def ich9_smbus_realize(board: Board, dev: Device) -> None:
    """ICH9's SMBus function: the controller (its ``i2c`` bus and ports, which are a PCI BAR
    mapped by firmware)."""
    pm_smbus_init(board, dev)


@traced("hw/i2c/smbus_eeprom.c", args=lambda board, bus, count: {"bus": bus.name, "count": count})
def smbus_eeprom_init(board: Board, bus: Bus, count: int) -> list[Device]:
    """One SPD EEPROM per memory slot at SMBus addresses 0x50, 0x51, ..."""
    eeproms = []
    for n in range(count):
        dev = qdev_new(board, "smbus-eeprom")
        qdev_prop_set(dev, "address", 0x50 + n)
        qdev_realize(board, dev, bus)
        eeproms.append(dev)
    return eeproms
