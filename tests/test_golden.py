"""Golden traces: recording the same command lines again gives the committed files (after
normalising timestamps). Regenerate them on purpose with ``make golden`` and review the diff."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tracer.fileio import load_trace
from tracer.golden import GOLDEN, TRACES_DIR, first_difference, record_golden


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_trace_is_reproduced(name: str) -> None:
    committed = load_trace(TRACES_DIR / name)
    fresh = record_golden(name)
    assert first_difference(committed.events, fresh.events) is None
    assert committed.result == fresh.result
    assert committed.types == fresh.types
    assert committed.functions == fresh.functions
    assert committed.meta.argv == fresh.meta.argv


def test_goldens_show_what_their_names_promise() -> None:
    host = load_trace(TRACES_DIR / "pc-host.json")
    assert host.result.exit_status == 1
    assert host.result.stderr == ["qemu-system-x86_64: CPU model 'host' requires KVM or HVF"]
    kvm = load_trace(TRACES_DIR / "pc-kvm-host.json")
    assert kvm.result.exit_status == 0 and kvm.result.cpu is not None
    assert kvm.result.cpu["type"] == "host-x86_64-cpu"
    q35 = load_trace(TRACES_DIR / "q35-max.json")
    assert q35.result.machine == "pc-q35-7.2"


def test_recording_does_not_depend_on_string_hashing() -> None:
    """Python salts str hashes per process, so any walk over a set of names in the model would
    make two recordings of one command line differ (it once did: the CPU class's unplaced feature
    properties). Record in two processes with different hash seeds and compare the bytes."""
    script = ("import hashlib, msgspec\n"
              "from tracer.golden import record_golden\n"
              "print(hashlib.sha256(msgspec.json.encode(record_golden('q35-max.json'))).hexdigest())\n")
    digests = set()
    for seed in ("1", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                              timeout=120, check=True)
        digests.add(done.stdout.strip())
    assert len(digests) == 1
