"""ISA character devices that need a backend (``hw/char/debugcon.c``, ``hw/char/parallel.c``),
and the serial BIOS option ROM (``hw/misc/sga.c``).

``isa-debugcon`` and ``isa-parallel`` refuse to realize without a connected ``chardev``: with
``-nodefaults`` there is none unless ``-chardev`` made one and the device names it. ``sga``
is deprecated in 7.2 and says so at realize.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop, qdev_prop_set
from model.hw.devices_generic import realize_from_facts
from model.hw.isa.isa_bus import isa_register_ioport, isa_register_portio_list
from model.hw.nvram.fw_cfg import rom_add_vga
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import traced

# type -> the word its "Can't create ... device, empty char device" error uses
NEEDS_CHARDEV = {"isa-debugcon": "debugcon", "isa-parallel": "parallel"}
PARALLEL_IOBASES = (0x378, 0x278, 0x3BC)  # isa_parallel_io[]: LPT1..LPT3
PARALLEL_PORT_SIZE = 8  # the software-emulated port list: eight ports from the base
UNSET = 0xFFFFFFFF  # -1 in a uint32 property


def _needs_backend(dev: Device) -> None:
    if not prop(dev, "chardev"):
        raise QemuError(f"Can't create {NEEDS_CHARDEV[dev.typename]} device, empty char device")


@device_realize("isa-debugcon")
@traced("hw/char/debugcon.c", args=lambda board, dev: {"chardev": prop(dev, "chardev")})
def debugcon_isa_realizefn(board: Board, dev: Device) -> None:
    """No backend, no device; else its one port at ``iobase`` (0xe9)."""
    _needs_backend(dev)
    port = dev.own(memory_region_init_io(board.types, dev.typename, dev.typename, 1))
    isa_register_ioport(board, dev, port, int(prop(dev, "iobase")))
    realize_from_facts(board, dev)


@device_realize("isa-parallel")
@traced("hw/char/parallel.c", args=lambda board, dev: {"chardev": prop(dev, "chardev"), "index": board.parallel_ports})
def parallel_isa_realizefn(board: Board, dev: Device) -> None:
    """No backend, no device; then the next LPT index unless ``index`` says, no more than
    three (the count goes up once the index is accepted); an unset I/O base is the index's;
    then its eight ports."""
    _needs_backend(dev)
    given = {name: prop(dev, name) for name in ("index", "iobase")}
    index = board.parallel_ports if given["index"] in (None, UNSET) else int(given["index"])
    if index >= len(PARALLEL_IOBASES):
        raise QemuError(f"Max. supported number of parallel ports is {len(PARALLEL_IOBASES)}.")
    board.parallel_ports += 1
    qdev_prop_set(dev, "index", index)
    base = PARALLEL_IOBASES[index] if given["iobase"] in (None, UNSET) else int(given["iobase"])
    qdev_prop_set(dev, "iobase", base)
    realize_from_facts(board, dev, decided=frozenset({"index", "iobase"}))
    isa_register_portio_list(board, dev, base, [(0, PARALLEL_PORT_SIZE)], "parallel")


@device_realize("sga")
@traced("hw/misc/sga.c", args=lambda board, dev: {})
def sga_realizefn(board: Board, dev: Device) -> None:
    """The deprecation warning; its option ROM goes to firmware (``vgaroms/sgabios.bin``)."""
    board.console.warn_report("-device sga is deprecated, use -machine graphics=off")
    rom_add_vga(board, "sgabios.bin")
    realize_from_facts(board, dev)
