"""Class state in the trace: what each class hook set, the properties it added, and property
values set on objects; ``vmtrace class`` and :mod:`tracer.classstate` reading them back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli import vmtrace
from test_diff_fixtures import call, trace_of

from tracer.classstate import class_state, earlier_class_init, object_history
from tracer.fileio import save_trace
from tracer.record import record_trace
from tracer.trace import Trace, TypeEntry
from tracer.typestate import index_milestones

HOST_ARGS = ["-machine", "pc", "-accel", "kvm", "-cpu", "host,+avx512f"]
OLD_MACHINE_ARGS = ["-machine", "pc-i440fx-2.0", "-cpu", "Skylake-Client,+avx512f,family=6",
                    "-global", "Skylake-Client-x86_64-cpu.stepping=1"]


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> tuple[Trace, Path]:
    trace = record_trace(HOST_ARGS)
    path = tmp_path_factory.mktemp("class") / "host.json"
    save_trace(trace, path)
    return trace, path


def test_every_field_setting_names_the_hook_call_that_made_it(host: tuple[Trace, Path]) -> None:
    trace, _ = host
    settings = [e for e in trace.events if e.kind == "point" and e.fn == "class_field_set"]
    assert settings
    for ev in settings:
        assert ev.args is not None
        call = trace.events[ev.args["call"]]
        assert call.kind == "call" and call.fn == ev.args["by"] and call.hook in ("class_init", "class_base_init")
        assert call.args is not None and call.args.get("type") == ev.args["type"]
        assert ev.parent == call.parent, "recorded in the type_initialize that ran the hook"


def test_host_cpu_gets_class_by_name_and_parse_features_from_the_common_x86_class(host: tuple[Trace, Path]) -> None:
    trace, _ = host
    state = class_state(trace, "host-x86_64-cpu")
    fields = {f.name: f for f in state.fields}
    for name, value in (("class_by_name", "x86_cpu_class_by_name"), ("parse_features", "x86_cpu_parse_featurestr"),
                        ("realize", "x86_cpu_realizefn")):
        assert (fields[name].value, fields[name].owner, fields[name].by) == (value, "x86_64-cpu",
                                                                           "x86_cpu_common_class_init")
        assert state.inherited(fields[name])
    assert [h.by for h in state.history if h.name == "parse_features"] == ["cpu_class_init",
                                                                           "x86_cpu_common_class_init"]
    assert fields["parse_features"].overrides, "cpu_class_init set it first"
    assert "parent_realize" in fields, "the realize it replaced is saved"
    assert (fields["ordering"].value, fields["ordering"].owner, fields["ordering"].overrides) == (8, "host-x86_64-cpu",
                                                                                              (9,))
    added = {g.owner: g for g in state.properties}
    assert "avx512f" in added["x86_64-cpu"].properties and "migratable" in added["max-x86_64-cpu"].properties


def test_the_lookup_under_parse_cpu_option_finds_a_class_made_earlier(host: tuple[Trace, Path]) -> None:
    trace, _ = host
    milestones = index_milestones(trace)
    parse = next(e.seq for e in trace.events if e.fn == "parse_cpu_option")
    lookup = next(e.seq for e in trace.events[parse:] if e.fn == "object_class_by_name"
                  and e.args and e.args["type"] == "host-x86_64-cpu")
    link = earlier_class_init(trace, lookup, milestones.class_initialised)
    assert link == ("host-x86_64-cpu", milestones.class_initialised["host-x86_64-cpu"])
    assert link[1] < parse
    first = milestones.class_initialised["host-x86_64-cpu"]
    assert earlier_class_init(trace, first, milestones.class_initialised) is None, "type_initialize is no lookup"


def test_property_values_say_where_they_came_from() -> None:
    trace = record_trace(OLD_MACHINE_ARGS)
    history = {(e.name, e.kind): e for e in object_history(trace, "Skylake-Client-x86_64-cpu")}
    assert history[("stepping", "property")].how == "global"
    assert history[("family", "property")].how == "global", "-cpu feature strings are global properties"
    assert history[("arat", "property")].how == "compat", "pc-i440fx-2.0's compat props"
    assert history[("vme", "property")].how == "tcg_cpu_instance_init"
    assert history[("avx512f", "property")].how == "x86_cpu_expand_features"
    assert history[("apic-id", "property")].how == "x86_cpu_new"
    assert history[("avx512f", "feature")].how == "filtered", "the last decision about the feature"
    # Which instance initialiser set what while the object was created:
    assert history[("vme", "property")].hook == "x86_cpu_post_initfn"
    assert history[("arat", "property")].hook == "device_post_init"
    assert history[("apic-id", "property")].hook == "", "set after creation, by the board"
    model_features = [e for e in object_history(trace, "Skylake-Client-x86_64-cpu") if e.how == "model"]
    assert model_features and {e.hook for e in model_features} == {"x86_cpu_initfn"}


def test_cli_class_prints_fields_who_set_them_and_when(host: tuple[Trace, Path]) -> None:
    trace, path = host
    done = vmtrace("class", str(path), "host-x86_64-cpu")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "host-x86_64-cpu: host-x86_64-cpu < max-x86_64-cpu < x86_64-cpu < cpu < device < object"
    by_field = {line.split()[0]: line for line in lines if line.startswith("  ") and len(line.split()) > 3}
    seq = class_state(trace, "host-x86_64-cpu")
    expected = next(f.seq for f in seq.fields if f.name == "class_by_name")
    setter = f"{expected}  x86_cpu_common_class_init (class_init)  [inherited from x86_64-cpu]"
    assert setter in by_field["class_by_name"]
    assert "objects of host-x86_64-cpu: property values as they were set" in lines


def test_cli_class_json_and_history(host: tuple[Trace, Path]) -> None:
    _, path = host
    doc = json.loads(vmtrace("class", str(path), "x86_64-cpu", "--json").stdout)
    assert doc["type"] == "x86_64-cpu" and doc["ancestry"][-1] == "object"
    fields = {f["field"]: f for f in doc["fields"]}
    assert "overrides" in fields["parse_features"] and fields["parse_features"]["owner"] == "x86_64-cpu"
    history = vmtrace("class", str(path), "x86_64-cpu", "--history").stdout
    assert "parse_features" in history and "cpu_class_init (class_init)  [on cpu]" in history


def test_cli_class_unknown_type_suggests_near_names(host: tuple[Trace, Path]) -> None:
    _, path = host
    done = vmtrace("class", str(path), "host-x86_64")
    assert done.returncode == 2
    assert done.stderr.startswith("vmtrace: class: host-x86_64: not a type of ")
    assert "did you mean host-x86_64-cpu" in done.stderr


def test_cli_class_on_a_trace_without_class_events_says_so(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    save_trace(trace_of(call("main", call("type_initialize", call("class_init", type="cpu"), type="cpu")),
                        types=[TypeEntry(name="cpu")]), path)
    done = vmtrace("class", str(path), "cpu")
    assert done.returncode == 0
    assert done.stdout.splitlines()[1:] == ["  class initialised at event 4",  # class_init returned
                                            "  this trace records no class fields (record it again with this vmtrace)"]


def test_cli_class_of_a_type_never_initialised_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    save_trace(trace_of(call("main"), types=[TypeEntry(name="cpu")]), path)
    done = vmtrace("class", str(path), "cpu")
    assert (done.returncode, done.stdout) == (1, "cpu: cpu\n  class never initialised in this run\n")
