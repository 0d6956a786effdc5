"""Feature provenance: every reason a bit can change is recorded, and `why` reads it back."""

from __future__ import annotations

import pytest

from tracer.record import record_trace
from tracer.why import canonical_feature, feature_chain


def reasons(args: list[str], feature: str) -> list[tuple[str, bool | None]]:
    chain = feature_chain(record_trace(args), feature)
    return [(s.reason, s.value) for s in chain.steps if s.kind == "change"]


@pytest.mark.parametrize(("args", "feature", "expected", "final"), [
    (["-cpu", "Skylake-Client"], "avx2", [("model", True)], True),
    (["-cpu", "Skylake-Client-v3"], "hle", [("model", True), ("version", False)], False),
    (["-machine", "pc-i440fx-2.0"], "abm", [("compat", True)], True),
    (["-cpu", "Skylake-Client"], "vme", [("model", True), ("accel-default", False)], False),
    (["-cpu", "qemu64,+avx"], "avx", [("plus", True)], True),
    (["-cpu", "Skylake-Client,-avx2"], "avx2", [("model", True), ("minus", False)], False),
    (["-cpu", "qemu64,avx=on"], "avx", [("global", True)], True),
    (["-cpu", "max"], "avx2", [("max", True)], True),
    (["-machine", "pc", "-accel", "kvm", "-cpu", "host"], "vaes", [("host", True)], True),
    (["-machine", "pc", "-accel", "kvm", "-cpu", "host"], "movdiri", [("host", False)], False),
    (["-cpu", "qemu64,+vmx-ept"], "vmx-ept", [("plus", True), ("dependency", False)], False),
    (["-cpu", "Skylake-Client"], "pcid", [("model", True), ("filtered", False)], False),
])
def test_each_reason_is_recorded(args: list[str], feature: str, expected: list[tuple[str, bool]],
                                 final: bool) -> None:
    trace = record_trace(["-machine", "pc", *args] if "-machine" not in args else args)
    chain = feature_chain(trace, feature)
    assert [(s.reason, s.value) for s in chain.steps if s.kind == "change"] == expected
    assert chain.final is final


def test_enforce_failure_is_explained() -> None:
    trace = record_trace(["-machine", "pc", "-cpu", "Skylake-Client,enforce"])
    assert trace.result.exit_status == 1
    assert trace.result.stderr[-1] == "qemu-system-x86_64: TCG doesn't support requested features"
    assert any(e.fn == "enforce" for e in trace.events if e.kind == "point")
    chain = feature_chain(trace, "pcid")
    assert ("filtered", False) in [(s.reason, s.value) for s in chain.steps]
    assert any(s.kind == "warning" for s in chain.steps)


def test_legacy_names_resolve_through_the_traces_alias_table() -> None:
    trace = record_trace(["-machine", "pc", "-cpu", "qemu64,-sse4_2,xd=off"])
    assert canonical_feature(trace, "sse4_2") == "sse4.2"
    assert canonical_feature(trace, "xd") == "nx"
    assert canonical_feature(trace, "lahf_lm") == "lahf-lm"
    nx = feature_chain(trace, "xd")
    assert nx.feature == "nx" and nx.final is False
    assert [s.reason for s in nx.steps] == ["model", "global property", "global"]
