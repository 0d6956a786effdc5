"""The run's key QOM types: the machine, the CPU model and the accelerator it ended up with.

At step 0 no type is in play yet, but a reader opening a trace wants to see where the run is
going: which machine type, which CPU class, which accelerator, and how far each is along
(registered, class initialised, instantiated). These come from the trace alone: the result
names the machine and the realized CPU; the accelerator is the one CPU creation asked for
(``accel`` arguments name it, e.g. ``tcg``, whose QOM type is ``tcg-accel``).
"""

from __future__ import annotations

from dataclasses import dataclass

from tracer.trace import Trace

ACCEL_SUFFIX = "-accel"
MACHINE_SUFFIX = "-machine"


@dataclass(frozen=True)
class KeyType:
    """One key type of the run: what role it plays (``machine``, ``cpu``, ``accel``) and its name."""

    role: str
    name: str


def key_types(trace: Trace) -> list[KeyType]:
    """The machine, CPU and accelerator types of the run, those the trace can name."""
    known = {t.name for t in trace.types}
    found: list[KeyType] = []
    machine = trace.result.machine
    if machine is not None:
        for candidate in (machine, machine + MACHINE_SUFFIX):
            if candidate in known:
                found.append(KeyType("machine", candidate))
                break
    cpu = trace.result.cpu.get("type") if trace.result.cpu else None
    if isinstance(cpu, str) and cpu in known:
        found.append(KeyType("cpu", cpu))
    accel = _accelerator(trace, known)
    if accel is not None:
        found.append(KeyType("accel", accel))
    return found


def _accelerator(trace: Trace, known: set[str]) -> str | None:
    """The last accelerator named in a call's ``accel`` argument that is a type of the trace."""
    for ev in reversed(trace.events):
        if ev.kind != "call" or not ev.args:
            continue
        value = ev.args.get("accel")
        if isinstance(value, str):
            name = value if value.endswith(ACCEL_SUFFIX) else value + ACCEL_SUFFIX
            if name in known:
                return name
    return None
