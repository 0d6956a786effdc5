"""The ISA floppy controller (``hw/block/fdc-isa.c``)."""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, qbus_init
from tracer.recorder import traced


@device_realize("isa-fdc")
@traced("hw/block/fdc-isa.c", args=lambda board, dev: {})
def isabus_fdc_realize(board: Board, dev: Device) -> None:
    """The controller provides the floppy bus its drives plug into (``floppy-bus.0``)."""
    qbus_init(board, dev, "floppy-bus", None)
