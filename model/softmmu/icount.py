"""``-icount [shift=]N|auto,align=,sleep=`` (softmmu/icount.c ``icount_configure``).

The shift is a number or ``auto``; anything else fails when the option is read. Instruction
counting cannot run with multi-threaded TCG, so ``-accel tcg,thread=multi`` fails when the
accelerator is set up if ``-icount`` was given.
"""

from __future__ import annotations

from model.errors import QemuError
from model.qom.properties import parse_c_integer
from model.softmmu.qemu_opts_check import parse_list
from model.state import QemuInit
from tracer.recorder import traced


@traced("softmmu/icount.c", name="icount_configure", args=lambda q, arg, location: {"arg": arg})
def icount_configure(q: QemuInit, arg: str, location: str) -> None:
    items = parse_list(q, "icount", arg, "shift")
    shift = items.get("shift")
    if shift is not None and shift != "auto":
        if parse_c_integer(shift, signed=True) is None:
            raise QemuError("icount: Invalid shift value")
    q.other.icount = (items, location)
