"""Golden traces: recording the same command lines again gives the committed files (after
normalising timestamps). Regenerate them on purpose with ``make golden`` and review the diff."""

from __future__ import annotations

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
