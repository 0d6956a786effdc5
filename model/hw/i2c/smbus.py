"""SMBus controllers and the SPD EEPROMs on them (``hw/i2c/pm_smbus.c``, ``smbus_ich9.c``, ``smbus_eeprom.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import device_realize, qbus_new, qdev_new, qdev_prop_set, qdev_realize
from tracer.recorder import traced


@device_realize("PIIX4_PM")
@traced("hw/acpi/piix4.c", args=lambda board, dev: {})
def piix4_pm_realize(board: Board, dev: Device) -> None:
    """PIIX4's power management function carries the SMBus controller and its ``i2c`` bus."""
    qbus_new(board, dev, "i2c-bus", "i2c")


@device_realize("ICH9-SMB")
@traced("hw/i2c/smbus_ich9.c", args=lambda board, dev: {})
def ich9_smbus_realize(board: Board, dev: Device) -> None:
    """ICH9's SMBus function provides the ``i2c`` bus."""
    qbus_new(board, dev, "i2c-bus", "i2c")


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
