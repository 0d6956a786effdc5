"""The TUI benchmark still runs and prints every figure (tiny sizes; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_tui_prints_the_ratio_table() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_tui", "--small", "50", "--large", "300", "--steps", "2"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for figure in ("load file", "build indexes", "first paint", "step: s", "step: n", "step: f", "step: u",
                   "step: %", "worst ratio in the goal"):
        assert figure in out, out
