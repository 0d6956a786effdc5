"""ISA devices (``hw/isa/isa-bus.c``): created with ``isa_new``, realized onto the ISA bus."""

from __future__ import annotations

from typing import Any

from model.hw.core.devices import Board, Bus, Device
from model.hw.core.qdev import qdev_new, qdev_prop_set, qdev_realize


def isa_create(board: Board, bus: Bus, typename: str, props: dict[str, Any] | None = None) -> Device:
    """``isa_new`` + ``qdev_prop_set_*`` + ``isa_realize_and_unref``."""
    dev = qdev_new(board, typename)
    for key, value in (props or {}).items():
        qdev_prop_set(dev, key, value)
    qdev_realize(board, dev, bus)
    return dev
