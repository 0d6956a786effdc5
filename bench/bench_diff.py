"""Diff time as traces grow: two similar traces of 10k, 100k and 1M events.

Run: ``python -m bench.bench_diff [--sizes 10000,100000,1000000] [--repeat 3]``.

Trace B is trace A with a few edits spread over it (about one per 2,000 events: arguments
and return values changed, whole subtrees removed and inserted), the shape of two runs of the
same QEMU command line with different CPU models. Each size is timed ``--repeat`` times in
this one process and the best time kept; the scaling exponent is the least-squares slope of
log(time) over log(events), so 1.0 is linear and 2.0 quadratic. The goal is an exponent of at
most 1.2 and the 1M pair within a few seconds. Building the traces is not timed.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections.abc import Sequence

from tracer.diff import diff_traces
from tracer.synthetic import synthetic_events, synthetic_trace
from tracer.trace import Event, Trace

EDIT_EVERY = 2000


def _renumbered(events: list[Event]) -> list[Event]:
    """Events with seq, parent and call renumbered after subtrees were cut or spliced in."""
    index = {ev.seq: i for i, ev in enumerate(events)}
    index[-1] = -1
    return [Event(seq=i, kind=ev.kind, fn=ev.fn, depth=ev.depth, parent=index[ev.parent], ts=i * 1000,
                  args=ev.args, ret=ev.ret, call=None if ev.call is None else index[ev.call], text=ev.text)
            for i, ev in enumerate(events)]


def similar_pair(n_events: int, seed: int = 1) -> tuple[Trace, Trace]:
    """Trace A of about ``n_events`` events, and B: A with an edit every ~2,000 events."""
    a_events = synthetic_events(n_events, seed=seed)
    rng = random.Random(seed + 1)
    b_events = list(a_events)
    calls = [ev.seq for ev in a_events if ev.kind == "call" and ev.depth > 0]
    edits = max(3, n_events // EDIT_EVERY)
    for seq in rng.sample(calls, min(len(calls), edits)):
        ev = b_events[seq]
        b_events[seq] = Event(seq=ev.seq, kind=ev.kind, fn=ev.fn, depth=ev.depth, parent=ev.parent, ts=ev.ts,
                              args={"type": f"edited-{seq}"})
    closes = [ev.seq for ev in a_events if ev.kind == "return"]
    for seq in rng.sample(closes, min(len(closes), edits)):
        ev = b_events[seq]
        b_events[seq] = Event(seq=ev.seq, kind=ev.kind, fn=ev.fn, depth=ev.depth, parent=ev.parent, ts=ev.ts,
                              call=ev.call, ret=f"changed-{seq}")
    ends = {ev.call: ev.seq for ev in a_events if ev.call is not None}
    cut: set[int] = set()
    for seq in sorted(rng.sample(calls, min(len(calls), max(1, edits // 4)))):
        if seq not in cut:
            cut.update(range(seq, ends[seq] + 1))
    kept = [ev for ev in b_events if ev.seq not in cut]
    # Splice a small new subtree after the first kept top-level event: work only in B.
    top = next(i for i, ev in enumerate(kept) if ev.depth == 0 and ev.kind != "return")
    anchor = kept[top]
    parent, depth = (anchor.seq, 1) if anchor.kind == "call" else (-1, 0)
    new_seq = n_events * 10
    spliced = [Event(seq=new_seq, kind="call", fn="object_new", depth=depth, parent=parent, ts=0,
                     args={"type": "inserted"}),
               Event(seq=new_seq + 1, kind="point", fn="type_register", depth=depth + 1, parent=new_seq, ts=0,
                     args={"type": "inserted"}),
               Event(seq=new_seq + 2, kind="return", fn="object_new", depth=depth, parent=parent, ts=0,
                     call=new_seq)]
    kept[top + 1: top + 1] = spliced
    return synthetic_trace(a_events), synthetic_trace(_renumbered(kept))


def time_diff(a: Trace, b: Trace, repeat: int) -> tuple[float, str]:
    best = math.inf
    summary = ""
    for _ in range(repeat):
        start = time.perf_counter()
        diff = diff_traces(a, b)
        best = min(best, time.perf_counter() - start)
        c = diff.structural.counts
        summary = f"same {c['same']}, changed {c['changed']}, only A {c['only_a']}, only B {c['only_b']}"
    return best, summary


def scaling_exponent(sizes: Sequence[int], seconds: Sequence[float]) -> float:
    """Least-squares slope of log(seconds) against log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(t) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_diff", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated event counts")
    parser.add_argument("--repeat", type=int, default=3, help="timings per size (the best is kept)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if len(sizes) < 2:
        parser.error("give at least two sizes")
    measured: list[float] = []
    print(f"{'events':>10} {'diff (s)':>10} {'µs/event':>9} {'ratio':>7}  rows")
    for n in sizes:
        a, b = similar_pair(n)
        seconds, summary = time_diff(a, b, args.repeat)
        ratio = f"{seconds / measured[-1]:7.1f}" if measured else f"{'':>7}"
        measured.append(seconds)
        print(f"{len(a.events):>10} {seconds:>10.3f} {seconds / len(a.events) * 1e6:>9.2f} {ratio}  {summary}")
    exponent = scaling_exponent(sizes, measured)
    verdict = "near-linear" if exponent <= 1.2 else "SUPERLINEAR (goal: <= 1.2)"
    print(f"scaling exponent: {exponent:.2f} ({verdict}); largest pair: {measured[-1]:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
