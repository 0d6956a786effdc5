"""Recording overhead: the model's full ``-machine pc`` startup with the recorder on vs off.

Prints ratios measured in one run (medians of interleaved repetitions), not absolute goals:
the machines are shared and noisy, so each side is timed in CPU time of this thread
(``time.thread_time``), which time spent waiting for a core does not inflate. Also events per
startup and bytes on disk.

    python -m bench.bench_record [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time

from model.run import run_qemu
from tracer.fileio import encode_trace
from tracer.record import record_trace

_clock = time.thread_time
ARGS = ["-machine", "pc", "-cpu", "Skylake-Client,+avx512f"]


def measure(repeat: int) -> dict[str, float]:
    run_qemu(ARGS)  # warm the data caches so both sides measure the model, not JSON loading
    record_trace(ARGS)
    off, on, encode = [], [], []
    events, size = 0, 0
    for _ in range(repeat):
        # Each side starts from the same heap: no trace of the previous repetition left to free
        # (its 14k events were otherwise deallocated inside the "on" timing) and no garbage of
        # the other side for the cyclic GC to collect (each side still pays for its own).
        gc.collect()
        t0 = _clock()
        run_qemu(ARGS)
        t1 = _clock()
        gc.collect()
        t1_5 = _clock()
        trace = record_trace(ARGS)
        t2 = _clock()
        data = encode_trace(trace)
        t3 = _clock()
        off.append(t1 - t0)
        on.append(t2 - t1_5)
        encode.append(t3 - t2)
        events, size = len(trace.events), len(data)
        del trace, data
    return {"off": statistics.median(off), "on": statistics.median(on), "encode": statistics.median(encode),
            "events": events, "bytes": size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_record", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    m = measure(args.repeat)
    print(f"record: qemu-system-x86_64 {' '.join(ARGS)}")
    print(f"  events per startup:                 {m['events']:.0f}")
    per_event = m["bytes"] / m["events"]
    print(f"  trace size:                         {m['bytes'] / 1e6:.2f} MB ({per_event:.0f} bytes/event)")
    print(f"  recorder on / off (model only):     {m['on'] / m['off']:.2f}x   (goal <= 1.5x)")
    print(f"  record+encode / model only:         {(m['on'] + m['encode']) / m['off']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
