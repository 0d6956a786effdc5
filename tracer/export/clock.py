"""The time axis of the timeline exports: the model's own clock, or one unit per event.

A trace's timestamps are how long the *Python model* took at each step, not how long QEMU
does: they show where the model spends its time, and only roughly the shape of QEMU's
startup. The ``steps`` clock gives every event one unit instead, so a call's width is the
number of events inside it: the shape of the startup, which is what the model knows.
Both exporters say which clock they used in the file itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from tracer.trace import Trace

Clock = Literal["model", "steps"]
CLOCKS: tuple[Clock, ...] = ("model", "steps")

STEP_NS = 1000
"""One event on the ``steps`` clock, in the nanoseconds the exporters count in (1 µs)."""

CLOCK_NOTES: dict[Clock, str] = {
    "model": "timings are the vmtrace model's own run times (Python), not QEMU's; "
             "export with --clock steps for the shape of the startup",
    "steps": "each event takes one unit (1 µs in chrome): call widths count events, not time",
}


def event_times(trace: Trace, clock: Clock) -> Iterator[int]:
    """Each event's time in nanoseconds from the first event, never decreasing (a hand-edited
    trace whose clock went backwards still nests)."""
    if clock == "steps":
        for ev in trace.events:
            yield ev.seq * STEP_NS
        return
    events = trace.events
    t0 = events[0].ts if events else 0
    now = t0
    for ev in events:
        now = max(now, ev.ts)
        yield now - t0
