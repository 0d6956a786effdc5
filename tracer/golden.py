"""The golden traces under ``traces/``: regenerate with ``make golden`` (``python -m tracer.golden``).

Each is a real recording of the model. Tests re-record them and compare after normalising what
legitimately changes between runs (timestamps and the creation time), so a change in the
model's behaviour or in the trace format shows up as a reviewable diff of these files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec

from tracer.fileio import save_trace
from tracer.record import record_trace
from tracer.trace import Event, Trace

TRACES_DIR = Path(__file__).resolve().parent.parent / "traces"

GOLDEN: dict[str, list[str]] = {
    "pc.json": ["-machine", "pc"],
    "q35-max.json": ["-machine", "q35", "-cpu", "max"],
    "pc-kvm-host.json": ["-machine", "pc", "-accel", "kvm", "-cpu", "host"],
    "pc-host.json": ["-machine", "pc", "-cpu", "host"],
    "skylake-avx512f.json": ["-machine", "pc", "-cpu", "Skylake-Client,+avx512f"],
    "epyc.json": ["-machine", "pc", "-cpu", "EPYC"],
}


def normalised(trace: Trace) -> Trace:
    """The trace with timestamps replaced by sequence numbers and a fixed creation time."""
    events = [msgspec.structs.replace(e, ts=e.seq) for e in trace.events]
    meta = msgspec.structs.replace(trace.meta, created="2026-01-01T00:00:00Z")
    return msgspec.structs.replace(trace, events=events, meta=meta)


def record_golden(name: str) -> Trace:
    return normalised(record_trace(GOLDEN[name]))


def main() -> int:
    TRACES_DIR.mkdir(exist_ok=True)
    for i, name in enumerate(GOLDEN, 1):
        trace = record_golden(name)
        save_trace(trace, TRACES_DIR / name)
        print(f"[{i}/{len(GOLDEN)}] traces/{name}: {len(trace.events)} events, exit {trace.result.exit_status}",
              file=sys.stderr)
    return 0


def first_difference(a: list[Event], b: list[Event]) -> str | None:
    """Where two event lists first disagree (for readable test failures)."""
    for x, y in zip(a, b, strict=False):
        if x != y:
            return f"event {x.seq}: {x} != {y}"
    if len(a) != len(b):
        return f"lengths differ: {len(a)} != {len(b)}"
    return None


if __name__ == "__main__":
    sys.exit(main())
