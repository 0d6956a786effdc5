"""Chrome Trace Event JSON, which Perfetto (ui.perfetto.dev) and chrome://tracing open.

The JSON Object form: ``{"traceEvents": [...], "displayTimeUnit": "ns", "otherData": {...}}``.

- each call is one complete event (``ph: "X"``) with ``ts`` and ``dur`` in microseconds
  (fractional: the trace's nanoseconds / 1000), ``ts`` relative to the first event; its
  ``args`` hold the call's arguments plus ``seq`` (the event number, to find it in vmtrace),
  ``src`` (QEMU source), and ``return_value`` or ``error`` (viztracer's names);
- a call the trace leaves open ends at the last timestamp, with ``args.unfinished: true``;
- each point event (type registered, warning, ...) is a thread-scoped instant (``ph: "i"``);
- metadata events (``ph: "M"``) name the process (the command line) and the thread (main).

Timestamps are clamped to be non-decreasing, so complete events always nest as the calls
did, even in a hand-edited trace whose clock went backwards. They are the model's own run
times, or one microsecond per event with the ``steps`` clock; ``otherData.clock`` and
``otherData.timings`` say which (:mod:`tracer.export.clock`).
"""

from __future__ import annotations

from typing import Any

from tracer import __version__
from tracer.export.clock import CLOCK_NOTES, Clock, event_times
from tracer.trace import Trace

PID = 1
TID = 1
RESERVED_ARGS = ("seq", "src", "return_value", "error", "unfinished", "text")


def _with_reserved(args: dict[str, Any] | None, extra: dict[str, Any]) -> dict[str, Any]:
    """The call's own arguments, then vmtrace's fields (prefixed if a call argument has the name)."""
    out: dict[str, Any] = dict(args) if args else {}
    for key, value in extra.items():
        out[key if key not in out else f"vmtrace.{key}"] = value
    return out


def chrome_trace(trace: Trace, clock: Clock = "model") -> dict[str, Any]:
    """The trace as a Chrome Trace Event JSON object (see the module docstring)."""
    events = trace.events
    functions = trace.functions
    out: list[dict[str, Any]] = [
        {"ph": "M", "pid": PID, "tid": TID, "name": "process_name",
         "args": {"name": " ".join(trace.meta.argv) + " (vmtrace model)"}},
        {"ph": "M", "pid": PID, "tid": TID, "name": "thread_name", "args": {"name": "main"}},
    ]
    open_calls: list[tuple[int, float, int]] = []  # (seq, start µs, index in out)
    now = 0
    for ev, now in zip(events, event_times(trace, clock), strict=True):
        ts_us = now / 1000
        kind = ev.kind
        if kind == "call":
            info = functions.get(ev.fn)
            extra: dict[str, Any] = {"seq": ev.seq}
            if info is not None:
                extra["src"] = info.src
            out.append({"ph": "X", "pid": PID, "tid": TID, "name": ev.fn, "cat": "call", "ts": ts_us, "dur": 0.0,
                        "args": _with_reserved(ev.args, extra)})
            open_calls.append((ev.seq, ts_us, len(out) - 1))
        elif kind == "point":
            extra = {"seq": ev.seq}
            if ev.text is not None:
                extra["text"] = ev.text
            out.append({"ph": "i", "s": "t", "pid": PID, "tid": TID, "name": ev.fn, "cat": "point", "ts": ts_us,
                        "args": _with_reserved(ev.args, extra)})
        else:
            _seq, start, index = open_calls.pop()
            x = out[index]
            x["dur"] = ts_us - start
            if kind == "error":
                x["cat"] = "call,error"
                x["args"] = _with_reserved(x["args"], {"error": ev.text})
            elif ev.ret is not None:
                x["args"] = _with_reserved(x["args"], {"return_value": ev.ret})
    end_us = now / 1000
    while open_calls:
        _seq, start, index = open_calls.pop()
        x = out[index]
        x["dur"] = end_us - start
        x["args"] = _with_reserved(x["args"], {"unfinished": True})
    result = trace.result
    other = {"vmtrace_version": __version__, "trace_vmtrace_version": trace.meta.vmtrace_version,
             "qemu_version": trace.meta.qemu_version, "argv": " ".join(trace.meta.argv),
             "created": trace.meta.created, "exit_status": str(result.exit_status),
             "clock": clock, "timings": CLOCK_NOTES[clock]}
    if result.machine:
        other["machine"] = result.machine
    if result.cpu and isinstance(result.cpu.get("type"), str):
        other["cpu_type"] = result.cpu["type"]
    return {"traceEvents": out, "displayTimeUnit": "ns", "otherData": other}
