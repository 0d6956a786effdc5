"""The qemu_init model: type table, help texts, QOM order rules, the -cpu host walk, fuzzing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.data_files import load_json, load_text
from model.hw.machine import CPU_VERSION_LATEST, CPU_VERSION_LEGACY
from model.qom.object import ObjectClass, TypeInfo, TypeRegistry
from model.run import run_qemu
from model.softmmu.vl import QemuInit
from tracer.record import record_trace
from tracer.recorder import Recorder, traced

DATA = Path(__file__).parent.parent / "model" / "data"


def test_type_table_equals_harvested() -> None:
    """The types the binary registers, with the parent and abstract flag ``qom-list-types``
    reports; the types of loadable modules (``qom-list-types`` loads every module first) only
    once their module is loaded (for a TCG start, only the accelerator's)."""
    run = run_qemu(["-machine", "none"])
    model = {t["name"]: (t["parent"], t["abstract"]) for t in run.types}
    real = {t["name"]: (t.get("parent"), t.get("abstract", False)) for t in load_json("qom_types.json")["types"]}
    assert {name: real[name] for name in model} == model
    startup = [row[0] for row in load_json("steps/types.json")["startup"]]
    assert list(model)[:len(startup)] == startup
    assert sorted(set(model) - set(startup)) == ["chardev-vc", "tcg-accel-ops"]
    assert len(real) - len(model) == 31


def test_machine_help_is_byte_identical() -> None:
    run = run_qemu(["-machine", "help"])
    assert run.exit_status == 0
    assert "\n".join(run.stdout) + "\n" == (DATA / "machine_help.txt").read_text()


def test_cpu_help_is_byte_identical() -> None:
    run = run_qemu(["-cpu", "help"])
    assert run.exit_status == 0
    assert "\n".join(run.stdout) + "\n" == (DATA / "x86_cpu_help.txt").read_text()


def test_help_and_version_print_the_binary_texts() -> None:
    assert "\n".join(run_qemu(["-h"]).stdout) + "\n" == load_text("help.txt")
    assert "\n".join(run_qemu(["-version"]).stdout) + "\n" == load_text("version.txt")


def test_machine_classes_follow_qemu_rules_for_alias_default_and_cpu_version() -> None:
    """alias/is_default come from the options chain (newest of a family), the CPU version from
    the version rule; both must agree with what the binary reports."""
    q = QemuInit(argv=["qemu-system-x86_64"])
    from model.registry import qemu_init_subsystems

    qemu_init_subsystems(q)
    machines = {oc.fields["name"]: oc for oc in q.types.object_class_get_list("machine", False)}
    compat = load_json("x86_machine_cpu_compat.json")["machines"]
    expected_version = {"v1": 1, "legacy": CPU_VERSION_LEGACY, "latest": CPU_VERSION_LATEST}
    for facts in load_json("machines.json")["machines"]:
        mc = machines[facts["name"]]
        assert mc.fields["alias"] == facts["alias"], facts["name"]
        assert mc.fields["is_default"] == facts["is_default"], facts["name"]
        resolution = compat[facts["name"]]["unversioned_alias_resolution"]
        if facts["default_cpu_type"] is not None and resolution in expected_version:
            assert mc.fields["default_cpu_version"] == expected_version[resolution], facts["name"]


def _calls(trace: Any) -> list[tuple[str, dict[str, Any] | None]]:
    return [(e.fn, e.args) for e in trace.events if e.kind == "call"]


def test_cpu_host_walk_is_visible_in_qemu_order() -> None:
    """parse_cpu_option("host") -> cpu_class_by_name -> object_class_by_name("x86_64-cpu") ->
    x86_cpu_class_by_name("host") -> object_class_by_name("host-x86_64-cpu") -> parse_features."""
    trace = record_trace(["-machine", "pc", "-accel", "kvm", "-cpu", "host"])
    calls = _calls(trace)
    start = calls.index(("parse_cpu_option", {"option": "host"}))
    walk = [(fn, args) for fn, args in calls[start:start + 12] if fn != "type_initialize"]
    assert walk[:6] == [
        ("parse_cpu_option", {"option": "host"}),
        ("cpu_class_by_name", {"type": "x86_64-cpu", "model": "host"}),
        ("object_class_by_name", {"type": "x86_64-cpu"}),
        ("x86_cpu_class_by_name", {"model": "host"}),
        ("object_class_by_name", {"type": "host-x86_64-cpu"}),
        ("x86_cpu_parse_featurestr", {"type": "host-x86_64-cpu", "features": None}),
    ]
    assert trace.result.exit_status == 0
    assert trace.result.cpu is not None and trace.result.cpu["type"] == "host-x86_64-cpu"


def test_type_initialize_runs_parents_first_and_only_once() -> None:
    """Looking up host-x86_64-cpu on a fresh registry initialises object, device, cpu,
    x86_64-cpu, max, host, in that order (the interface classes device implements are
    initialised too, but their TypeInfos set no class_init); a second lookup initialises nothing."""
    q = QemuInit(argv=["qemu-system-x86_64"])
    from model.registry import module_call_init

    module_call_init(q)
    with Recorder() as rec:
        q.types.object_class_by_name("host-x86_64-cpu")
        first = [e.args["type"] for e in rec.events() if e.kind == "call" and e.hook == "class_init" and e.args]
        initialised = [e.args["type"] for e in rec.events() if e.kind == "call" and e.fn == "type_initialize"
                       and e.args]
        mark = rec.next_seq
        q.types.object_class_by_name("host-x86_64-cpu")
        again = [e for e in rec.events()[mark:] if e.hook is not None]
    chain = ["object", "device", "cpu", "x86_64-cpu", "max-x86_64-cpu", "host-x86_64-cpu"]
    assert first == chain
    assert {"interface", "vmstate-if", "resettable"} <= set(initialised)
    assert again == []


def test_class_base_init_runs_for_every_ancestor_from_parent_up() -> None:
    order: list[str] = []

    def base_init(name: str) -> Any:
        return lambda oc, data: order.append(f"{name}.base_init({oc.name})")

    def class_init(oc: ObjectClass, data: Any) -> None:
        order.append(f"class_init({oc.name})")

    reg = TypeRegistry()
    reg.type_register(TypeInfo("a", None, class_base_init=base_init("a"), class_init=class_init))
    reg.type_register(TypeInfo("b", "a", class_base_init=base_init("b"), class_init=class_init))
    reg.type_register(TypeInfo("c", "b", class_init=class_init))
    reg.object_class_by_name("c")
    assert order == ["class_init(a)", "a.base_init(b)", "class_init(b)", "b.base_init(c)", "a.base_init(c)",
                     "class_init(c)"]


def test_object_new_runs_instance_init_root_first_and_post_init_leaf_first() -> None:
    order: list[str] = []
    reg = TypeRegistry()
    for name, parent in (("a", None), ("b", "a"), ("c", "b")):
        reg.type_register(TypeInfo(
            name, parent,
            instance_init=lambda obj, n=name: order.append(f"init {n}"),  # type: ignore[misc]
            instance_post_init=lambda obj, n=name: order.append(f"post {n}"),  # type: ignore[misc]
        ))
    reg.object_new("c")
    assert order == ["init a", "init b", "init c", "post c", "post b", "post a"]


def test_class_is_a_copy_of_the_parent_class() -> None:
    reg = TypeRegistry()
    reg.type_register(TypeInfo("a", None, class_init=lambda oc, d: oc.fields.update(x=1, y=[1])))
    reg.type_register(TypeInfo("b", "a", class_init=lambda oc, d: oc.fields.update(x=2)))
    a, b = reg.object_class_by_name("a"), reg.object_class_by_name("b")
    assert a is not None and b is not None
    assert (a.fields["x"], b.fields["x"], b.fields["y"]) == (1, 2, [1])


def test_duplicate_type_registration_is_an_error() -> None:
    reg = TypeRegistry()
    reg.type_register(TypeInfo("a", None))
    try:
        reg.type_register(TypeInfo("a", None))
    except Exception as exc:
        assert "Registering `a' which already exists" in str(exc)
    else:
        raise AssertionError("duplicate registration accepted")


def test_listing_machines_initialises_every_type() -> None:
    trace = record_trace(["-machine", "pc"])
    initialised = {e.args["type"] for e in trace.events if e.fn == "type_initialize" and e.args}
    assert initialised == {t.name for t in trace.types}


def test_traced_functions_record_nothing_without_a_recorder() -> None:
    @traced("x.c")
    def f(a: int) -> int:
        return a + 1

    assert f(1) == 2


OPTION_WORDS = st.sampled_from(["-machine", "-M", "-cpu", "-m", "-smp", "-accel", "-enable-kvm", "-S", "-nodefaults",
                                "--machine", "-foo", "-global", "-prom-env", "disk.img", "-name"])
VALUES = st.sampled_from(["pc", "q35", "none", "isapc", "microvm", "help", "nosuch", "pc,foo=1", "pc,,x",
                          "qemu64", "max", "host", "Skylake-Client,+avx512f,-sse4.2", "base,family=zz",
                          "qemu64,tsc-freq=1G", "Skylake-Client,-x2apic,x2apic=on", "2", "300", "2,maxcpus=1",
                          "1G", "5x", "0x10", "tcg", "kvm", "nosuch", "", ",", "max,+nosuch", "qemu64,enforce",
                          "EPYC,hv-spinlocks=-1", "Cascadelake-Server-v4", "4,cores=2,threads=2"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(OPTION_WORDS, VALUES, st.text(max_size=12)), max_size=8))
def test_random_command_lines_fail_only_like_qemu(argv: list[str]) -> None:
    """Whatever the command line, no Python exception: exit 0 (running) or a QEMU-style message
    and exit status 1 (0 for help output)."""
    run = run_qemu(argv)
    assert run.exit_status in (0, 1)
    if run.exit_status == 1:
        assert run.stderr and all(line.startswith("qemu-system-x86_64: ") or not line.startswith("Traceback")
                                  for line in run.stderr)
        assert any(line.startswith("qemu-system-x86_64: ") for line in run.stderr)


def test_model_type_table_json_is_what_types_json_prints() -> None:
    import contextlib
    import io

    from tracer.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["types", "--json"]) == 0
    listed = json.loads(out.getvalue())
    assert len(listed) == 754
    assert {"name": "host-x86_64-cpu", "parent": "max-x86_64-cpu", "abstract": False} in listed
