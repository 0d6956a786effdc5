"""Trace format v1: exact round trips, the JSON Schema, and one-line errors for bad files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.fileio import TraceFormatError, check_nesting, decode_trace, encode_trace, load_trace, save_trace
from tracer.synthetic import deep_events, synthetic_events, synthetic_trace
from tracer.trace import Event, Result, Trace
from tracer.trace_checks import FEATURE_WORD_PROPERTIES

ROOT = Path(__file__).parent.parent
SCHEMA = json.loads((ROOT / "tracer" / "schema" / "trace-v1.schema.json").read_text())

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=8)


@st.composite
def traces(draw: st.DrawFn) -> Trace:
    """Well-nested random traces with arbitrary JSON arguments, return values and texts."""
    events: list[Event] = []
    stack: list[int] = []
    for _ in range(draw(st.integers(0, 30))):
        seq = len(events)
        parent = stack[-1] if stack else -1
        action = draw(st.sampled_from(["call", "point", "close"] if stack else ["call", "point"]))
        if action == "close":
            call = stack.pop()
            kind = draw(st.sampled_from(["return", "error"]))
            events.append(Event(seq=seq, kind=kind, fn=events[call].fn, depth=len(stack),
                                parent=stack[-1] if stack else -1, ts=seq, call=call,
                                ret=draw(json_values) if kind == "return" else None,
                                text=draw(st.text(max_size=20)) if kind == "error" else None))
        else:
            events.append(Event(seq=seq, kind=action, fn=draw(st.text(min_size=1, max_size=12)), depth=len(stack),
                                parent=parent, ts=seq,
                                args=draw(st.none() | st.dictionaries(st.text(max_size=6), json_values, max_size=3)),
                                text=draw(st.none() | st.text(max_size=20)) if action == "point" else None))
            if action == "call":
                stack.append(seq)
    base = synthetic_trace(events)
    # result.cpu holds what qom-get returns: scalars and lists of scalars (feature words aside)
    cpu_values = json_scalars | st.lists(json_scalars, max_size=3)
    cpu = draw(st.none() | st.dictionaries(st.text(max_size=8).filter(lambda k: k not in FEATURE_WORD_PROPERTIES),
                                           cpu_values, max_size=4))
    return msgspec.structs.replace(base, result=Result(exit_status=draw(st.integers(0, 255)),
                                                       stderr=draw(st.lists(st.text(max_size=20), max_size=3)),
                                                       cpu=cpu))


@settings(max_examples=120, deadline=None)
@given(traces())
def test_save_then_load_is_exact(tmp_path_factory: pytest.TempPathFactory, trace: Trace) -> None:
    path = tmp_path_factory.mktemp("rt") / "t.json"
    save_trace(trace, path)
    assert load_trace(path) == trace
    assert encode_trace(load_trace(path)) == path.read_bytes()


@settings(max_examples=60, deadline=None)
@given(traces())
def test_every_encoded_trace_is_schema_valid(trace: Trace) -> None:
    jsonschema.validate(json.loads(encode_trace(trace)), SCHEMA)


def test_committed_traces_are_schema_valid_and_load() -> None:
    files = sorted((ROOT / "traces").glob("*.json"))
    assert files, "traces/ holds the golden traces"
    for path in files:
        jsonschema.validate(json.loads(path.read_bytes()), SCHEMA)
        assert load_trace(path).events


def test_recorded_trace_is_schema_valid() -> None:
    from tracer.record import record_trace

    trace = record_trace(["-machine", "pc", "-cpu", "Skylake-Client,+avx512f"])
    jsonschema.validate(json.loads(encode_trace(trace)), SCHEMA)
    assert trace.result.cpu is not None and trace.result.cpu["avx512f"] is False


def _write(tmp_path: Path, content: bytes | str) -> Path:
    path = tmp_path / "bad.json"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _good_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(encode_trace(synthetic_trace(synthetic_events(50))))
    return doc


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d.update(version=2), "unsupported trace format version 2"),
    (lambda d: d.update(format="perfetto"), "not a vmtrace file"),
    (lambda d: d["events"][3].update(seq="x"), "Expected `int`"),
    (lambda d: d["events"][3].update(kind="jump"), "invalid trace"),
    (lambda d: d["events"][3].update(seq=99), "seq is 99"),
    (lambda d: d["events"][5].update(depth=7), "depth is 7"),
    (lambda d: d["events"][4].update(parent=0), "parent is 0"),
    (lambda d: d.pop("events"), "missing required field `events`"),
    (lambda d: d["result"].update(exit_status="zero"), "Expected `int`"),
])
def test_bad_documents_give_one_line_naming_file_and_problem(tmp_path: Path, mutate: Any, message: str) -> None:
    doc = _good_doc()
    mutate(doc)
    path = _write(tmp_path, json.dumps(doc))
    with pytest.raises(TraceFormatError) as info:
        load_trace(path)
    text = str(info.value)
    assert text.startswith(str(path) + ": ")
    assert message in text
    assert "\n" not in text


@pytest.mark.parametrize("content", [b"", b"{", b'{"format": "vmtrace", "version": 1, "events": [', b"\x00\xff",
                                     b"[]", b"null"])
def test_truncated_or_malformed_files(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(TraceFormatError) as info:
        load_trace(_write(tmp_path, content))
    assert "\n" not in str(info.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(TraceFormatError, match="No such file"):
        load_trace(tmp_path / "nope.json")
    with pytest.raises(TraceFormatError, match="is a directory"):
        load_trace(tmp_path)


def test_deep_nesting_loads_without_recursion() -> None:
    trace = synthetic_trace(deep_events(20_000))
    assert decode_trace(encode_trace(trace)) == trace


def test_check_nesting_rejects_a_return_of_the_wrong_call() -> None:
    events = [Event(seq=0, kind="call", fn="a", depth=0, parent=-1, ts=0),
              Event(seq=1, kind="call", fn="b", depth=1, parent=0, ts=1),
              Event(seq=2, kind="return", fn="a", depth=0, parent=-1, ts=2, call=0)]
    assert "closes call 0" in (check_nesting(events) or "")


def test_save_is_atomic_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.json"
    good = synthetic_trace(synthetic_events(20))
    save_trace(good, path)
    before = path.read_bytes()

    def fail(*args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        save_trace(synthetic_trace(synthetic_events(200)), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


def test_saved_trace_has_ordinary_permissions(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    old = os.umask(0o022)
    try:
        save_trace(synthetic_trace(synthetic_events(5)), path)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644
