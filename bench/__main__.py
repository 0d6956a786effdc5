"""Run every benchmark in turn: ``python -m bench`` (or ``make bench``).

Each prints ratios measured within its own run (never absolute goals): the machines are
shared and noisy, so only figures taken side by side in one process are compared.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("bench_record", "bench_machine", "bench_load", "bench_diff", "bench_tui")


def main() -> int:
    status = 0
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        status |= int(module.main([]) or 0)
        print(flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
