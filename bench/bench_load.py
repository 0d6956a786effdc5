"""Loading: a synthetic 1,000,000-event trace, vmtrace's load vs a plain ``orjson.loads`` of the
same bytes (the parse floor); size on disk per event; peak memory per loaded event.

    python -m bench.bench_load [--events N]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc

import orjson

from tracer.fileio import decode_trace, encode_trace
from tracer.synthetic import synthetic_events, synthetic_trace


def best_of(n: int, fn: object) -> float:
    times = []
    for _ in range(n):
        gc.collect()
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    print(f"load: building a synthetic {args.events:,}-event trace...", file=sys.stderr)
    data = encode_trace(synthetic_trace(synthetic_events(args.events)))
    n = len(decode_trace(data).events)
    floor = best_of(3, lambda: orjson.loads(data))
    ours = best_of(3, lambda: decode_trace(data))
    gc.collect()
    tracemalloc.start()
    trace = decode_trace(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del trace
    print(f"load: {n:,} events, {len(data) / 1e6:.1f} MB")
    print(f"  size on disk per event:             {len(data) / n:.0f} bytes")
    print(f"  vmtrace load / orjson.loads:        {ours / floor:.2f}x   (goal <= 1.5x; includes validation)")
    print(f"  peak memory per loaded event:       {peak / n:.0f} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
