"""A whole-machine startup: ``vmtrace record`` of a Q35 with a NIC, an xHCI controller and a
tablet, against the real binary starting the same machine to ``-S`` and quitting over QMP.

Both are measured side by side in one run (medians of interleaved repetitions) and printed as
a ratio; the binary's side is skipped when ``qemu-system-x86_64`` is not installed.

    python -m bench.bench_machine [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from model.harvest.session import BASE_ARGS, QemuSession, qemu_binary
from tracer.fileio import encode_trace
from tracer.record import record_trace

ARGS = ["-machine", "q35", "-device", "virtio-net-pci", "-device", "qemu-xhci", "-device", "usb-tablet"]


def _binary_start() -> None:
    with QemuSession(ARGS, timeout=60):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_machine", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    full = [*BASE_ARGS, *ARGS]
    record_trace(full)  # warm the data caches
    have_binary = qemu_binary() is not None
    model, binary = [], []
    trace = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        trace = record_trace(full)
        encode_trace(trace)
        t1 = time.perf_counter()
        model.append(t1 - t0)
        if have_binary:
            _binary_start()
            binary.append(time.perf_counter() - t1)
    assert trace is not None
    print(f"machine: qemu-system-x86_64 {' '.join(full)}")
    print(f"  events per startup:                 {len(trace.events)}")
    print(f"  vmtrace record (model + encode):    {statistics.median(model) * 1000:.0f} ms")
    if binary:
        print(f"  real binary to -S and QMP quit:     {statistics.median(binary) * 1000:.0f} ms")
        print(f"  record / binary:                    {statistics.median(model) / statistics.median(binary):.2f}x")
    else:
        print("  real binary:                        not installed, ratio skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
