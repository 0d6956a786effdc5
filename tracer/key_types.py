"""The run's key QOM types: the machine, the CPU model and the accelerator it ended up with.

At step 0 no type is in play yet, but a reader opening a trace wants to see where the run is
going: which machine type, which CPU class, which accelerator, and how far each is along
(registered, class initialised, instantiated). These come from the trace alone: the result
names the machine and the realized CPU; the accelerator is the one CPU creation asked for
(``accel`` arguments name it, e.g. ``tcg``, whose QOM type is ``tcg-accel``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

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


# QEMU picks its accelerator before the board exists, in the first few tens of thousands of
# events of any real startup (about 11,900 of 14,000 for a whole q35 machine). Looking no
# further keeps the TUI's first paint independent of the trace's length: a million-event
# trace must open as fast as a small one.
ACCEL_SCAN_LIMIT = 100_000


def _accelerator(trace: Trace, known: set[str]) -> str | None:
    """The last accelerator named in a call's ``accel`` argument that is a type of the trace,
    among the first ``ACCEL_SCAN_LIMIT`` events."""
    found: str | None = None
    for ev in islice(trace.events, ACCEL_SCAN_LIMIT):
        if ev.kind != "call" or not ev.args:
            continue
        value = ev.args.get("accel")
        if isinstance(value, str):
            name = value if value.endswith(ACCEL_SUFFIX) else value + ACCEL_SUFFIX
            if name in known:
                found = name
    return found
