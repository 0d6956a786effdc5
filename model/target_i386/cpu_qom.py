"""The x86 CPU's QOM names and its state inside an object (target/i386/cpu-qom.h, ``X86_CPU()``).

Kept apart from :mod:`model.target_i386.cpu` because every x86 module needs these few names
(realize, the accelerator hooks, ``-cpu help``, the QMP view), while ``cpu`` itself needs
those modules for its class hooks: with the names here, each depends on this file alone.
"""

from __future__ import annotations

from model.qom.object import Object
from model.target_i386.state import X86CPUState

TYPE_X86_CPU = "x86_64-cpu"
SUFFIX = "-x86_64-cpu"  # X86_CPU_TYPE_SUFFIX: a model's class is "<model>-x86_64-cpu"


def cpu_state(obj: Object) -> X86CPUState:
    """The x86 state of a CPU object (what ``X86_CPU(obj)->env`` reaches in QEMU)."""
    state: X86CPUState = obj.state["x86"]
    return state


def model_name(typename: str) -> str:
    """The ``-cpu`` model name of a CPU class (``Skylake-Client-x86_64-cpu`` -> ``Skylake-Client``)."""
    return typename.removesuffix(SUFFIX)
