"""Synthetic traces of any size, for benchmarks and for testing views on shapes the model
never produces (very deep nesting, huge fan-out, unicode and hostile strings)."""

from __future__ import annotations

import itertools
import random

from tracer import __version__
from tracer.trace import FORMAT_NAME, FORMAT_VERSION, Event, FunctionInfo, Meta, Result, Trace, TypeEntry

_FUNCS = ("type_initialize", "object_class_by_name", "object_new", "lookup_opt", "x86_cpu_realizefn")
_TYPES = ("object", "device", "cpu", "x86_64-cpu", "max-x86_64-cpu", "host-x86_64-cpu")


def synthetic_events(n_events: int, max_depth: int = 12, seed: int = 1) -> list[Event]:
    """About ``n_events`` well-nested events (calls, returns and points), all calls closed."""
    rng = random.Random(seed)
    events: list[Event] = []
    stack: list[int] = []
    while len(events) + len(stack) < n_events:
        seq = len(events)
        parent = stack[-1] if stack else -1
        roll = rng.random()
        if stack and (roll < 0.45 or len(stack) >= max_depth):
            call = stack.pop()
            events.append(Event(seq=seq, kind="return", fn=events[call].fn, depth=len(stack),
                                parent=stack[-1] if stack else -1, ts=seq * 1000, call=call,
                                ret=_TYPES[seq % len(_TYPES)]))
        elif roll < 0.5:
            events.append(Event(seq=seq, kind="point", fn="type_register", depth=len(stack),
                                parent=parent, ts=seq * 1000, args={"type": _TYPES[seq % len(_TYPES)]}))
        else:
            fn = _FUNCS[rng.randrange(len(_FUNCS))]
            events.append(Event(seq=seq, kind="call", fn=fn, depth=len(stack), parent=parent,
                                ts=seq * 1000, args={"type": _TYPES[seq % len(_TYPES)]}))
            stack.append(seq)
    while stack:
        call = stack.pop()
        seq = len(events)
        events.append(Event(seq=seq, kind="return", fn=events[call].fn, depth=len(stack),
                            parent=stack[-1] if stack else -1, ts=seq * 1000, call=call))
    return events


def deep_events(depth: int) -> list[Event]:
    """One chain of ``depth`` nested calls, then all their returns."""
    events = [Event(seq=i, kind="call", fn="type_initialize", depth=i, parent=i - 1, ts=i,
                    args={"type": f"t{i}"}) for i in range(depth)]
    for j in range(depth):
        call = depth - 1 - j
        events.append(Event(seq=depth + j, kind="return", fn="type_initialize", depth=call,
                            parent=call - 1, ts=depth + j, call=call))
    return events


def synthetic_trace(events: list[Event]) -> Trace:
    """Wrap events in a complete, schema-valid document with a small type table."""
    types = [TypeEntry(name=_TYPES[0], abstract=True)]
    types += [TypeEntry(name=t, parent=p, abstract=i < 3) for i, (p, t) in enumerate(itertools.pairwise(_TYPES))]
    return Trace(
        format=FORMAT_NAME, version=FORMAT_VERSION,
        meta=Meta(argv=["qemu-system-x86_64", "(synthetic)"], vmtrace_version=__version__,
                  qemu_version="7.2.22", created="2026-01-01T00:00:00Z"),
        types=types,
        functions={fn: FunctionInfo(src="synthetic.c", doc=f"Synthetic {fn}.") for fn in (*_FUNCS, "type_register")},
        events=events,
        result=Result(exit_status=0),
    )
