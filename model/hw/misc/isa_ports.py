"""Two small ISA devices that are nothing but ports: ``isa-debug-exit`` (``hw/misc/debugexit.c``),
which ends QEMU with a status the guest writes, and the ``ib700`` watchdog (``hw/watchdog/wdt_ib700.c``).

The debug-exit port region is ``iosize`` bytes at ``iobase``, mapped by realize. The IB700's
two registers (disable at 0x441, enable at 0x443, two bytes each) are one port list, which
maps them as a single four-byte region.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop
from model.hw.devices_generic import realize_from_facts
from model.hw.isa.isa_bus import isa_register_ioport, isa_register_portio_list
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

IB700_PORTS = [(0x441, 2), (0x443, 2)]


@device_realize("isa-debug-exit")
@traced("hw/misc/debugexit.c", args=lambda board, dev: {"iobase": hex(int(prop(dev, "iobase"))),
                                                        "iosize": int(prop(dev, "iosize"))})
def debug_exit_realizefn(board: Board, dev: Device) -> None:
    """The port region, mapped at ``iobase``."""
    ports = dev.own(memory_region_init_io(board.types, dev.typename, "isa-debug-exit", int(prop(dev, "iosize"))))
    isa_register_ioport(board, dev, ports, int(prop(dev, "iobase")))
    realize_from_facts(board, dev)


@device_realize("ib700")
@traced("hw/watchdog/wdt_ib700.c", args=lambda board, dev: {})
def wdt_ib700_realize(board: Board, dev: Device) -> None:
    """Its two registers, one port list from 0."""
    isa_register_portio_list(board, dev, 0, IB700_PORTS, "ib700")
    realize_from_facts(board, dev)
