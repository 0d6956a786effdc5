"""The timeline exports checked against their formats' rules.

Chrome Trace Event format (the JSON Object form that Perfetto and chrome://tracing load):
every ``X`` has a numeric ``ts`` and ``dur`` in microseconds, ``M`` events name the process and
thread through ``args.name``, instants have a scope, and complete events on one thread nest.
speedscope (``src/lib/file-format-spec.ts``): the ``$schema`` URL, frames shared by index, an
evented profile whose ``O``/``C`` events balance like a stack and whose ``at`` never decreases,
all within ``startValue``..``endValue``.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_diff_fixtures import call, point, trace_of

from tracer.export import ExportError, export_bytes
from tracer.export.chrome import chrome_trace
from tracer.export.speedscope import SCHEMA_URL
from tracer.synthetic import deep_events, synthetic_events, synthetic_trace
from tracer.trace import Trace

NUMBER = {"type": "number"}
CHROME_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["traceEvents"],
    "properties": {
        "displayTimeUnit": {"enum": ["ms", "ns"]},
        "otherData": {"type": "object", "additionalProperties": {"type": "string"}},
        "traceEvents": {"type": "array", "items": {
            "type": "object",
            "required": ["ph", "pid", "tid"],
            "properties": {"ph": {"enum": ["X", "M", "i"]}, "pid": {"type": "integer"}, "tid": {"type": "integer"},
                           "name": {"type": "string"}, "cat": {"type": "string"}, "args": {"type": "object"}},
            "allOf": [
                {"if": {"properties": {"ph": {"const": "X"}}},
                 "then": {"required": ["name", "ts", "dur"],
                          "properties": {"ts": {**NUMBER, "minimum": 0}, "dur": {**NUMBER, "minimum": 0}}}},
                {"if": {"properties": {"ph": {"const": "M"}}},
                 "then": {"required": ["name", "args"],
                          "properties": {"name": {"enum": ["process_name", "thread_name"]},
                                         "args": {"required": ["name"],
                                                  "properties": {"name": {"type": "string"}}}}}},
                {"if": {"properties": {"ph": {"const": "i"}}},
                 "then": {"required": ["name", "ts", "s"], "properties": {"s": {"enum": ["g", "p", "t"]}}}},
            ],
        }},
    },
}

SPEEDSCOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["$schema", "shared", "profiles"],
    "properties": {
        "$schema": {"const": "https://www.speedscope.app/file-format-schema.json"},
        "shared": {"type": "object", "required": ["frames"], "properties": {"frames": {"type": "array", "items": {
            "type": "object", "required": ["name"],
            "properties": {"name": {"type": "string"}, "file": {"type": "string"}, "line": NUMBER, "col": NUMBER}}}}},
        "name": {"type": "string"},
        "activeProfileIndex": {"type": "integer", "minimum": 0},
        "exporter": {"type": "string"},
        "profiles": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["type", "name", "unit", "startValue", "endValue", "events"],
            "properties": {
                "type": {"const": "evented"}, "name": {"type": "string"},
                "unit": {"enum": ["none", "nanoseconds", "microseconds", "milliseconds", "seconds", "bytes"]},
                "startValue": NUMBER, "endValue": NUMBER,
                "events": {"type": "array", "items": {
                    "type": "object", "required": ["type", "at", "frame"],
                    "properties": {"type": {"enum": ["O", "C"]}, "at": NUMBER,
                                   "frame": {"type": "integer", "minimum": 0}}}}}}},
    },
}


def check_chrome(trace: Trace) -> dict[str, Any]:
    doc = json.loads(export_bytes(trace, "chrome"))
    jsonschema.validate(doc, CHROME_SCHEMA)
    xs = [e for e in doc["traceEvents"] if e["ph"] == "X"]
    assert len(xs) == sum(1 for e in trace.events if e.kind == "call")
    stack: list[tuple[float, float]] = []  # complete events on the one thread must nest
    for x in sorted(xs, key=lambda e: (e["ts"], -e["dur"])):
        start, end = x["ts"], x["ts"] + x["dur"]
        while stack and stack[-1][1] <= start + 1e-9:  # touching intervals are siblings
            stack.pop()
        if stack:
            assert end <= stack[-1][1] + 1e-9, (x, stack[-1])
        stack.append((start, end))
    names = {e["name"] for e in doc["traceEvents"] if e["ph"] == "M"}
    assert names == {"process_name", "thread_name"}
    return doc


def check_speedscope(trace: Trace) -> dict[str, Any]:
    doc = json.loads(export_bytes(trace, "speedscope"))
    jsonschema.validate(doc, SPEEDSCOPE_SCHEMA)
    frames = doc["shared"]["frames"]
    profile = doc["profiles"][0]
    stack: list[int] = []
    last = profile["startValue"]
    for ev in profile["events"]:
        assert ev["frame"] < len(frames)
        assert ev["at"] >= last
        last = ev["at"]
        if ev["type"] == "O":
            stack.append(ev["frame"])
        else:
            assert stack and stack.pop() == ev["frame"]
    assert stack == []
    assert profile["startValue"] <= last <= profile["endValue"]
    assert sum(1 for ev in profile["events"] if ev["type"] == "O") == sum(1 for e in trace.events if e.kind == "call")
    return doc


EXAMPLE = trace_of(call("main", call("lookup_opt", name="cpu", ret="max"),
                        call("type_initialize", point("type_register", type="x86_64-cpu", parent="cpu"),
                             type="x86_64-cpu"),
                        call("x86_cpu_realizefn", type="max-x86_64-cpu", error="feature unavailable"),
                        point("warn_report", text="careful")),
                   argv=["qemu-system-x86_64", "-cpu", "max"], cpu={"type": "max-x86_64-cpu"}, machine="pc-i440fx-7.2")


def test_chrome_events_carry_arguments_results_and_metadata() -> None:
    doc = check_chrome(EXAMPLE)
    by_name = {e["name"]: e for e in doc["traceEvents"] if e["ph"] in ("X", "i")}
    main = by_name["main"]
    assert main["ts"] == 0 and main["dur"] == 9.0  # 10 events 1000 ns apart: 9 µs from first to last
    lookup = by_name["lookup_opt"]
    assert lookup["ts"] == 1.0 and lookup["dur"] == 1.0
    assert lookup["args"] == {"name": "cpu", "seq": 1, "src": "src/lookup_opt.c", "return_value": "max"}
    realize = by_name["x86_cpu_realizefn"]
    assert realize["cat"] == "call,error" and realize["args"]["error"] == "feature unavailable"
    warn = by_name["warn_report"]
    assert warn["ph"] == "i" and warn["s"] == "t" and warn["args"]["text"] == "careful"
    process = next(e for e in doc["traceEvents"] if e["ph"] == "M" and e["name"] == "process_name")
    assert process["args"]["name"].startswith("qemu-system-x86_64 -cpu max")
    assert doc["displayTimeUnit"] == "ns"
    assert doc["otherData"]["cpu_type"] == "max-x86_64-cpu" and doc["otherData"]["exit_status"] == "0"


def test_chrome_closes_unfinished_calls_at_the_end_of_the_trace() -> None:
    trace = trace_of(call("main", call("a"), call("qemu_init", call("inner", unfinished=True), unfinished=True),
                          unfinished=True))
    doc = check_chrome(trace)
    xs = {e["name"]: e for e in doc["traceEvents"] if e["ph"] == "X"}
    last_us = (trace.events[-1].ts - trace.events[0].ts) / 1000
    for name in ("main", "qemu_init", "inner"):
        assert xs[name]["ts"] + xs[name]["dur"] == last_us
        assert xs[name]["args"]["unfinished"] is True
    assert "unfinished" not in xs["a"]["args"]


def test_chrome_keeps_a_call_argument_named_like_a_reserved_field() -> None:
    doc = chrome_trace(trace_of(call("main", call("f", seq="mine", ret=3))))
    f = next(e for e in doc["traceEvents"] if e.get("name") == "f")
    assert f["args"]["seq"] == "mine" and f["args"]["vmtrace.seq"] == 1 and f["args"]["return_value"] == 3


def test_speedscope_frames_are_shared_and_named_by_key_argument() -> None:
    trace = trace_of(call("main", call("type_initialize", type="cpu"), call("type_initialize", type="cpu"),
                          call("type_initialize", type="device"), call("object_new", flag=True)))
    doc = check_speedscope(trace)
    names = [f["name"] for f in doc["shared"]["frames"]]
    assert names == ["main", "type_initialize(cpu)", "type_initialize(device)", "object_new"]
    assert doc["shared"]["frames"][1]["file"] == "src/type_initialize.c"
    assert doc["$schema"] == SCHEMA_URL
    profile = doc["profiles"][0]
    assert profile["unit"] == "nanoseconds" and profile["startValue"] == 0
    assert profile["endValue"] == trace.events[-1].ts - trace.events[0].ts


def test_speedscope_balances_unfinished_calls() -> None:
    doc = check_speedscope(trace_of(call("main", call("a", call("b", unfinished=True), unfinished=True),
                                         unfinished=True)))
    assert [e["type"] for e in doc["profiles"][0]["events"]] == ["O", "O", "O", "C", "C", "C"]


def test_exports_clamp_a_clock_that_goes_backwards() -> None:
    trace = trace_of(call("main", call("a"), call("b")))
    events = [e if e.seq != 3 else e.__class__(**{**{f: getattr(e, f) for f in e.__struct_fields__}, "ts": 0})
              for e in trace.events]
    skewed = trace.__class__(**{**{f: getattr(trace, f) for f in trace.__struct_fields__}, "events": events})
    check_chrome(skewed)
    check_speedscope(skewed)


def test_deep_trace_exports() -> None:
    trace = synthetic_trace(deep_events(5000))
    check_chrome(trace)
    check_speedscope(trace)


def test_empty_trace_exports() -> None:
    trace = trace_of()
    assert check_chrome(trace)["traceEvents"][0]["ph"] == "M"
    assert check_speedscope(trace)["profiles"][0]["events"] == []


@given(st.integers(1, 400), st.integers(0, 10_000), st.integers(0, 400))
@settings(max_examples=40, deadline=None)
def test_random_and_truncated_traces_export_valid_documents(n: int, seed: int, cut: int) -> None:
    events = synthetic_events(n, seed=seed)
    events = events[: max(1, len(events) - cut)]  # a prefix of a trace: calls left open
    trace = synthetic_trace(events)
    check_chrome(trace)
    check_speedscope(trace)


def test_timeline_files_say_whose_timings_they_carry() -> None:
    chrome = json.loads(export_bytes(EXAMPLE, "chrome"))
    assert chrome["otherData"]["clock"] == "model"
    assert "not QEMU's" in chrome["otherData"]["timings"]
    speedscope = json.loads(export_bytes(EXAMPLE, "speedscope"))
    assert "not QEMU's" in speedscope["profiles"][0]["name"] and "not QEMU's" in speedscope["exporter"]


def test_steps_clock_gives_each_event_one_unit() -> None:
    chrome = json.loads(export_bytes(EXAMPLE, "chrome", clock="steps"))
    jsonschema.validate(chrome, CHROME_SCHEMA)
    by_name = {e["name"]: e for e in chrome["traceEvents"] if e["ph"] == "X"}
    for x in by_name.values():
        seq = x["args"]["seq"]
        assert x["ts"] == seq, "event N is at N µs"
    main_end = len(EXAMPLE.events) - 1
    assert by_name["main"]["dur"] == main_end
    assert chrome["otherData"]["clock"] == "steps"
    speedscope = json.loads(export_bytes(EXAMPLE, "speedscope", clock="steps"))
    jsonschema.validate(speedscope, SPEEDSCOPE_SCHEMA)
    profile = speedscope["profiles"][0]
    assert profile["unit"] == "none" and profile["endValue"] == main_end
    assert [e["at"] for e in profile["events"]] == sorted(e["at"] for e in profile["events"])
    assert profile["events"][0] == {"type": "O", "frame": 0, "at": 0}


def test_steps_clock_does_not_apply_to_graphs() -> None:
    with pytest.raises(ExportError, match="--clock applies to the timeline formats"):
        export_bytes(EXAMPLE, "dot", clock="steps")
