"""speedscope's file format: one *evented* profile of the trace's calls.

``{"$schema": "https://www.speedscope.app/file-format-schema.json", "shared": {"frames": [...]},
"profiles": [{"type": "evented", "name", "unit": "nanoseconds", "startValue", "endValue",
"events": [{"type": "O" | "C", "frame", "at"}]}], "name", "activeProfileIndex", "exporter"}``.

A frame is a function with its key argument (``type_initialize(x86_64-cpu)``), shared by
every call that has both, so speedscope's left-heavy and sandwich views aggregate per QOM type;
``file`` is the QEMU source. Each call opens (``O``) at its timestamp and closes (``C``) at its
return or error, relative to the first event; ``at`` is clamped to be non-decreasing and calls
still open at the end close there, innermost first, so the events always balance as the
format requires. Point events have no duration and are not part of an evented profile.

The times are the model's own run times in nanoseconds, or with the ``steps`` clock one unit
(``unit: "none"``) per event; the profile's name and the ``exporter`` field say which.
"""

from __future__ import annotations

from typing import Any

from tracer import __version__
from tracer.export.clock import CLOCK_NOTES, STEP_NS, Clock, event_times
from tracer.trace import Event, Trace

SCHEMA_URL = "https://www.speedscope.app/file-format-schema.json"


def frame_name(ev: Event) -> str:
    """``fn(key)`` when the first argument is a string or number, else ``fn``."""
    if ev.args:
        first = next(iter(ev.args.values()))
        if isinstance(first, (str, int, float)) and not isinstance(first, bool):
            return f"{ev.fn}({first})"
    return ev.fn


def speedscope_file(trace: Trace, clock: Clock = "model") -> dict[str, Any]:
    """The trace as a speedscope document (see the module docstring)."""
    events = trace.events
    scale = STEP_NS if clock == "steps" else 1
    frames: list[dict[str, Any]] = []
    frame_ids: dict[tuple[str, str], int] = {}
    out: list[dict[str, Any]] = []
    stack: list[int] = []
    at = 0
    for ev, now in zip(events, event_times(trace, clock), strict=True):
        at = now // scale
        if ev.kind == "call":
            name = frame_name(ev)
            key = (ev.fn, name)
            frame = frame_ids.get(key)
            if frame is None:
                frame = frame_ids[key] = len(frames)
                entry: dict[str, Any] = {"name": name}
                info = trace.functions.get(ev.fn)
                if info is not None and info.src:
                    entry["file"] = info.src
                frames.append(entry)
            stack.append(frame)
            out.append({"type": "O", "frame": frame, "at": at})
        elif ev.kind != "point":
            out.append({"type": "C", "frame": stack.pop(), "at": at})
    end = at
    while stack:
        out.append({"type": "C", "frame": stack.pop(), "at": end})
    name = " ".join(trace.meta.argv)
    timing = "one unit per event" if clock == "steps" else "vmtrace model timings, not QEMU's"
    return {
        "$schema": SCHEMA_URL,
        "shared": {"frames": frames},
        "profiles": [{"type": "evented", "name": f"{name} ({timing})",
                      "unit": "none" if clock == "steps" else "nanoseconds",
                      "startValue": 0, "endValue": end, "events": out}],
        "name": name,
        "activeProfileIndex": 0,
        "exporter": f"vmtrace {__version__}; clock {clock}: {CLOCK_NOTES[clock]}",
    }
