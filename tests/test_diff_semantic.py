"""The semantic CPU diff (tracer.diff.semantic) on results shaped exactly like QMP's qom-get."""

from __future__ import annotations

import json
from typing import Any

from test_diff_fixtures import call, point, trace_of

from tracer.diff import diff_traces, semantic_diff
from tracer.diff.cpuid import CPUID_BIT_NAMES, bit_name, word_label
from tracer.diff.semantic import BitChange, Change, ListDiff, cpuid_changes

# Real words as QEMU 7.2 reports them (cpuid-input-ecx only for leaves that take a subleaf).
SKYLAKE_WORDS = [
    {"cpuid-register": "EBX", "cpuid-input-ecx": 0, "cpuid-input-eax": 7, "features": 1573801},
    {"cpuid-register": "ECX", "cpuid-input-eax": 1, "features": 4141363715},
    {"cpuid-register": "EAX", "cpuid-input-eax": 6, "features": 4},
]


def cpu(**props: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"type": "Skylake-Client-x86_64-cpu", "family": 6, "model": 94, "stepping": 3,
                            "model-id": "Intel Core Processor (Skylake)", "vendor": "GenuineIntel", "level": 13,
                            "sse4.2": True, "sse4_2": True, "sse4-2": True, "avx512f": False, "realized": True,
                            "feature-words": SKYLAKE_WORDS, "filtered-features": []}
    base.update(props)
    return base


def test_same_results_are_semantically_equal() -> None:
    t = trace_of(call("main"), cpu=cpu(), machine="pc-i440fx-7.2")
    sem = semantic_diff(t, t)
    assert sem.equal
    assert sem.ancestry_a == ["Skylake-Client-x86_64-cpu", "x86_64-cpu", "cpu", "device", "object"]


def test_cpu_type_ancestry_identity_and_features() -> None:
    a = trace_of(call("main"), cpu=cpu(), machine="pc-i440fx-7.2")
    b = trace_of(call("main"), machine="pc-i440fx-7.2", cpu=cpu(**{
        "type": "EPYC-x86_64-cpu", "family": 23, "model": 1, "stepping": 2, "vendor": "AuthenticAMD",
        "model-id": "AMD EPYC Processor", "sse4.2": False, "sse4_2": False, "sse4-2": False, "avx512f": True,
        "svm": True, "realized": False}))
    sem = semantic_diff(a, b)
    assert not sem.equal
    assert sem.machine is None
    assert sem.cpu_type == Change("type", "Skylake-Client-x86_64-cpu", "EPYC-x86_64-cpu")
    assert sem.ancestry_b == ["EPYC-x86_64-cpu", "x86_64-cpu", "cpu", "device", "object"]
    assert [c.name for c in sem.properties] == ["family", "model", "stepping", "model-id", "vendor"]
    assert sem.properties[0] == Change("family", 6, 23)
    # aliases fold into the canonical name; `realized` is not a CPU feature
    assert sem.features_added == ["avx512f", "svm"]
    assert sem.features_removed == ["sse4.2"]


def test_cpuid_words_compare_bit_by_bit_with_feature_names() -> None:
    other = [dict(w) for w in SKYLAKE_WORDS]
    other[0]["features"] |= 1 << 16  # avx512f on
    other[1]["features"] &= ~(1 << 20)  # sse4.2 off
    a = trace_of(call("main"), cpu=cpu())
    b = trace_of(call("main"), cpu=cpu(**{"feature-words": other}))
    sem = semantic_diff(a, b)
    assert sem.cpuid == [BitChange(1, None, "ECX", 20, "sse4.2", True, False),
                         BitChange(7, 0, "EBX", 16, "avx512f", False, True)]
    assert sem.cpuid[1].word == "CPUID[0x7,0].EBX"


def test_a_word_missing_on_one_side_counts_as_zero() -> None:
    changes = cpuid_changes({(6, None, "EAX"): 4}, {})
    assert changes == [BitChange(6, None, "EAX", 2, "arat", True, False)]


def test_filtered_features_are_named() -> None:
    filtered = [{"cpuid-register": "EBX", "cpuid-input-ecx": 0, "cpuid-input-eax": 7, "features": 1 << 16},
                {"cpuid-register": "EAX", "cpuid-input-ecx": 0, "cpuid-input-eax": 13, "features": 1 << 5}]
    a = trace_of(call("main"), cpu=cpu())
    b = trace_of(call("main"), cpu=cpu(**{"filtered-features": filtered}))
    sem = semantic_diff(a, b)
    assert sem.filtered == ListDiff([], ["avx512f", "CPUID[0xd,0].EAX component 5"])  # leaf order


def test_initialisers_that_ran_on_one_side_only() -> None:
    a = trace_of(call("main", call("x86_cpu_common_class_init", type="x86_64-cpu"),
                      call("x86_cpu_cpudef_class_init", type="Skylake-Client-x86_64-cpu"),
                      call("x86_cpu_initfn", type="Skylake-Client-x86_64-cpu"),
                      call("x86_cpu_post_init", type="Skylake-Client-x86_64-cpu")))
    b = trace_of(call("main", call("x86_cpu_common_class_init", type="x86_64-cpu"),
                      call("x86_cpu_cpudef_class_init", type="EPYC-x86_64-cpu"),
                      call("x86_cpu_initfn", type="EPYC-x86_64-cpu"),
                      call("x86_cpu_post_init", type="EPYC-x86_64-cpu")))
    sem = semantic_diff(a, b)
    assert sem.class_init == ListDiff([("x86_cpu_cpudef_class_init", "Skylake-Client-x86_64-cpu")],
                                      [("x86_cpu_cpudef_class_init", "EPYC-x86_64-cpu")])
    assert sem.instance_init.only_a == [("x86_cpu_initfn", "Skylake-Client-x86_64-cpu"),
                                        ("x86_cpu_post_init", "Skylake-Client-x86_64-cpu")]


def test_warnings_errors_output_and_exit_status() -> None:
    a = trace_of(call("main", point("warn_report", text="host doesn't support requested feature: avx512f")),
                 stderr=["qemu-system-x86_64: warning: host doesn't support requested feature: avx512f"])
    b = trace_of(call("main", point("error_report", text="unknown CPU model"),
                      call("parse_cpu_option", error="unknown CPU model"),
                      call("other", error="unknown CPU model")),
                 exit_status=1, stderr=["qemu-system-x86_64: unable to find CPU model 'nope'"])
    sem = semantic_diff(a, b)
    assert sem.warnings == ListDiff(["host doesn't support requested feature: avx512f"], [])
    assert sem.errors == ListDiff([], ["unknown CPU model"])  # one error, however many frames it unwound
    assert sem.exit_status == Change("exit_status", 0, 1)
    assert sem.stderr.only_b == ["qemu-system-x86_64: unable to find CPU model 'nope'"]


def test_list_diff_keeps_multiplicity_and_order() -> None:
    d = ListDiff.of(["x", "y", "x", "z"], ["x", "z", "w"])
    assert d == ListDiff(["y", "x"], ["w"])


def test_json_shape_of_the_whole_diff() -> None:
    a = trace_of(call("main", call("lookup_opt", name="cpu", ret="a")), cpu=cpu())
    b = trace_of(call("main", call("lookup_opt", name="cpu", ret="b")), cpu=cpu(avx512f=True), exit_status=1)
    doc = diff_traces(a, b, "A.json", "B.json").to_json()
    assert set(doc) == {"format", "version", "equal", "a", "b", "structural", "semantic", "devices"}
    assert doc["format"] == "vmtrace-diff" and doc["version"] == 1 and doc["equal"] is False
    assert doc["a"] == {"label": "A.json", "argv": ["qemu-system-x86_64", "-machine", "pc"], "events": 4,
                        "qemu_version": "7.2.22", "host_profile": None}
    sem = doc["semantic"]
    assert set(sem) == {"equal", "machine", "cpu_realized", "cpu_type", "ancestry", "machine_ancestry",
                        "class_init", "instance_init",
                        "features", "properties", "cpuid", "filtered_features", "warnings", "errors", "stderr",
                        "stdout", "exit_status"}
    assert sem["features"] == {"added": ["avx512f"], "removed": []}
    assert sem["exit_status"] == {"name": "exit_status", "a": 0, "b": 1}
    assert sem["class_init"] == {"only_a": [], "only_b": []}
    st = doc["structural"]
    assert st["counts"] == {"same": 1, "changed": 1, "only_a": 0, "only_b": 0}
    assert st["differences"][0]["changes"] == [{"field": "return", "a": "a", "b": "b"}]


def test_only_subtrees_are_listed_once_in_json() -> None:
    a = trace_of(call("main"))
    b = trace_of(call("main", call("extra", call("inner"), point("type_register", type="t")), call("more")))
    diffs = diff_traces(a, b).to_json()["structural"]["differences"]
    assert [(d["b"], d["status"], d["subtree"]) for d in diffs] == [(1, "only_b", 3), (6, "only_b", 1)]


def test_cpuid_table_shape() -> None:
    assert all(len(names) == 32 for names in CPUID_BIT_NAMES.values())
    assert bit_name((1, None, "EDX"), 0) == "fpu"
    assert bit_name((0x80000001, None, "EDX"), 0) == "fpu"  # AMD alias of leaf 1
    assert bit_name((0x80000001, None, "EDX"), 11) == "syscall"
    assert bit_name((0x80000001, None, "EDX"), 10) is None
    assert bit_name((0x1234, None, "EAX"), 0) is None
    assert word_label((0x80000001, None, "ECX")) == "CPUID[0x80000001].ECX"


def test_a_run_without_a_cpu_is_not_compared_property_by_property() -> None:
    a = trace_of(call("main", call("parse_cpu_option", error="exit(1)"), error="exit(1)"), exit_status=1,
                 stderr=["qemu-system-x86_64: unable to find CPU model 'nope'"])
    b = trace_of(call("main"), cpu=cpu())
    sem = semantic_diff(a, b)
    assert sem.cpu_realized == Change("cpu_realized", False, True)
    assert sem.cpu_type == Change("type", None, "Skylake-Client-x86_64-cpu")
    assert sem.ancestry_a == [] and sem.properties == [] and sem.features_added == [] and sem.cpuid == []
    assert sem.errors.equal  # exit(1) unwinding frames is the exit status, not an error message
    assert sem.exit_status == Change("exit_status", 1, 0)
    assert sem.to_json()["cpu_realized"] == {"name": "cpu_realized", "a": False, "b": True}


def test_machine_type_ancestry() -> None:
    a = trace_of(call("main"), machine="pc-i440fx-7.2")
    b = trace_of(call("main"), machine="q35")
    sem = semantic_diff(a, b)
    assert sem.machine == Change("machine", "pc-i440fx-7.2", "q35")
    assert sem.machine_ancestry_a == ["pc-i440fx-7.2-machine", "machine", "object"]
    assert sem.machine_ancestry_b == ["q35-machine"]  # not in this trace's type table


def test_documents_validate_against_the_published_schema() -> None:
    import jsonschema

    from tracer.diff.schema import DIFF_SCHEMA

    jsonschema.Draft202012Validator.check_schema(DIFF_SCHEMA)
    a = trace_of(call("main", call("lookup_opt", name="cpu", ret="a"), call("gone", call("inner")),
                      point("warn_report", text="w")),
                 cpu=cpu(), machine="pc-i440fx-7.2", stderr=["x"])
    b = trace_of(call("main", call("lookup_opt", name="cpu", ret="b"), call("new")),
                 cpu=cpu(avx512f=True, family=23), exit_status=1, machine="q35")
    for x, y in ((a, b), (a, a), (trace_of(), b)):
        jsonschema.validate(json.loads(json.dumps(diff_traces(x, y).to_json())), DIFF_SCHEMA)
