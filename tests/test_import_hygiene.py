"""The model and the tracer core load neither textual nor rich (DESIGN.md section 1)."""

from __future__ import annotations

import subprocess
import sys

CORE = ["model", "model.run", "model.softmmu.vl", "model.target_i386.realize", "model.harvest.session",
        "tracer", "tracer.trace", "tracer.fileio", "tracer.recorder", "tracer.calltree", "tracer.labels",
        "tracer.select", "tracer.typegraph", "tracer.typestate", "tracer.record", "tracer.why", "tracer.synthetic",
        "tracer.diff", "tracer.export", "tracer.replay"]


def test_core_modules_do_not_import_textual_or_rich() -> None:
    code = (f"import importlib, sys\nfor m in {CORE!r}: importlib.import_module(m)\n"
            "from model.run import run_qemu\nrun_qemu(['-machine', 'pc', '-cpu', 'max'])\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
