"""Every step is QEMU's: the model's call sequence against the binary's, watched under gdb.

``model/data/steps/`` holds, for each command line of ``model/harvest/steps/cases.py``, what
the real binary did in its whole startup (to ``qemu_main_loop`` or its exit): the exported
functions it called with their key arguments, every QOM hook with the type that declared it
and the type it ran for, and the order it registered types. The conformance tests project the
model's trace onto the same vocabulary and require equality, on the prefix up to the CPUs'
realize and on the whole startup; the live test re-harvests a sample with gdb.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

import pytest

from model.harvest.steps import store
from model.harvest.steps.__main__ import binary_projection, model_projection
from model.harvest.steps.cases import CASES, LIVE_SAMPLE
from model.harvest.steps.compare import compare_case, prefix, split
from model.harvest.steps.gdbrun import RawRun
from model.harvest.steps.model_side import hook_owner, project_trace
from model.harvest.steps.project import Projected, owner_of, project
from model.harvest.steps.vocabulary import call_step, projection_of, token
from tracer.trace import Event, Meta, Result, Trace, TypeEntry

# Known differences, each with its reason; strict xfails, so a case that starts matching fails
# the suite until it is removed from here.
KNOWN: dict[str, str] = {}


WHOLE_KNOWN: dict[str, str] = {}
"""Differences on the whole startup (beyond the prefix), each with its reason; strict xfails."""


@cache
def committed() -> store.StepsData:
    return store.load()


def _params(known: dict[str, str] = KNOWN) -> list[object]:
    marks = {name: [pytest.mark.xfail(reason=known[name], strict=True)] if name in known else []
             for name in CASES}
    return [pytest.param(name, id=name, marks=marks[name]) for name in CASES]


@cache
def _model(name: str) -> Projected:
    return model_projection(committed().case(name))


def _problems(name: str, whole: bool) -> list[str]:
    result = compare_case(name, binary_projection(committed().case(name)), _model(name), whole)
    return [f"{p}: {r.first.describe()}" for p, r in result.projections.items() if r.first is not None]


@pytest.mark.parametrize("name", _params())
def test_model_steps_are_the_binarys_up_to_the_cpus(name: str) -> None:
    problems = _problems(name, whole=False)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", _params(WHOLE_KNOWN))
def test_model_steps_are_the_binarys_through_the_whole_startup(name: str) -> None:
    problems = _problems(name, whole=True)
    assert not problems, "\n".join(problems)


# -- the committed data ---------------------------------------------------------------------

def test_data_is_compact_versioned_and_complete() -> None:
    data = committed()
    assert data.qemu_version.startswith("7.2")
    assert [c.name for c in data.cases] == list(CASES)
    assert all(c.argv == list(CASES[c.name]) for c in data.cases)
    size = sum(p.stat().st_size for p in store.STEPS_DIR.iterdir())
    assert size < 2_500_000


def test_rendering_the_loaded_data_gives_the_committed_files() -> None:
    regs, cases = store.render(committed())
    assert regs == (store.STEPS_DIR / "types.json").read_text()
    assert cases == (store.STEPS_DIR / "cases.json").read_text()


def test_the_table_walk_is_qom_list_types_reversed() -> None:
    """``qom-list-types`` builds its list by prepending while it walks the same hash table, so
    its order (``qom_types.json``, with every module loaded) read backwards is the walk order
    the binary shows at start-up, once the module types are left out."""
    from model.data_files import load_json

    facts = committed().types
    startup = {t.name for t in facts.startup}
    listed = [t["name"] for t in load_json("qom_types.json")["types"]]
    assert [n for n in reversed(listed) if n in startup] == facts.walk
    assert sorted(facts.walk) == sorted(startup)


def test_runs_are_whole_and_mark_where_the_prefix_ends() -> None:
    """A run that reaches the main loop is recorded to it, with an ``end`` line where the prefix
    ends (x86_cpus_init's return; the ``none`` board has none: its whole board init) and after
    ``qdev_prop_check_globals``; one that exits before the CPUs are realized has no cut, one
    that exits later (a bad ``-device``) has its cut and no main loop."""
    for case in committed().cases:
        if case.exit_status is None:
            assert case.cut is not None and f"end {case.cut}" in case.steps
            assert prefix(case.steps)[-1] == f"end {case.cut}"
            assert case.steps[-1] == "call qemu_main_loop"
            assert case.steps.index("call qdev_prop_check_globals") > case.steps.index(f"end {case.cut}")
        else:  # an exit: cut where the first bounding function returned, if one did
            ends = [s.removeprefix("end ") for s in case.steps if s.startswith("end ")]
            assert case.cut == (ends[0] if ends else None)
            assert "call qemu_main_loop" not in case.steps
    assert committed().case("device-nosuch").exit_status == 1
    assert committed().case("none").cut == "machine_run_board_init"


def test_every_binary_hook_has_a_known_owner() -> None:
    for case in committed().cases:
        owners = [s for s in case.steps if projection_of(s) == "hooks" and " ? " in f" {s} "]
        assert not owners, f"{case.name}: {owners[:3]}"


# -- the projections ------------------------------------------------------------------------

def test_tokens_quote_what_would_split_a_line() -> None:
    assert token(None) == "NULL"
    assert token("") == '""'
    assert token("a b") == '"a b"'
    assert token(False) == "false"
    assert call_step("cpu_class_by_name", ("x86_64-cpu", "max")) == "call cpu_class_by_name x86_64-cpu max"


def test_binary_hook_owners_follow_the_ancestry() -> None:
    """A class_base_init belongs to the nearest proper ancestor declaring that address, an
    instance hook to the nearest type in the object's own ancestry."""
    rows: list[list[object]] = [
        ["type", "device", "object", True, {"class_base_init": 10, "instance_init": 11}],
        ["type", "pci-device", "device", True, {"class_base_init": 20}],
        ["type", "e1000", "pci-device", False, {"class_init": 30, "instance_init": 31}],
        ["type", "e1000::iface", "iface", True, {}],
        ["call", "object_new", "e1000"],
        ["hook", "class_base_init", 20, "e1000"],
        ["hook", "class_base_init", 10, "e1000"],
        ["hook", "class_init", 30, "e1000"],
        ["hook", "instance_init", 11, "e1000"],
        ["hook", "instance_init", 31, "e1000"],
        ["end", "x86_cpus_init"],
        ["end", "machine_run_board_init"],
        ["call", "qemu_main_loop"],
    ]
    p = project(RawRun(rows=rows, exit_status=None, stdout="", stderr=""))
    assert p.steps == ["call object_new e1000", "class_base_init pci-device e1000", "class_base_init device e1000",
                       "class_init e1000 e1000", "instance_init device e1000", "instance_init e1000 e1000",
                       "end x86_cpus_init", "end machine_run_board_init", "call qemu_main_loop"]
    assert prefix(p.steps)[-1] == "end x86_cpus_init"
    assert p.registrations == ["device", "pci-device", "e1000"]
    assert p.cut == "x86_cpus_init"
    assert owner_of("class_base_init", 10, "device", {}) == "?"


def _trace(events: list[Event], types: list[TypeEntry]) -> Trace:
    return Trace(format="vmtrace", version=1, meta=Meta(argv=[], vmtrace_version="0", qemu_version="7.2.22",
                                                        created="now"),
                 types=types, functions={}, events=events, result=Result(exit_status=0))


def test_model_trace_projection_reads_hooks_from_the_type_table() -> None:
    types = [TypeEntry("device", "object", hooks={"class_base_init": "device_class_base_init"}),
             TypeEntry("cpu", "device", hooks={"class_init": "cpu_class_init"})]
    events = [
        Event(0, "point", "type_register", 0, -1, 0, {"type": "device"}),
        Event(1, "call", "object_class_by_name", 0, -1, 0, {"type": "cpu"}),
        Event(2, "call", "device_class_base_init", 1, 1, 0, {"type": "cpu"}),
        Event(3, "return", "device_class_base_init", 1, 1, 0, call=2),
        Event(4, "call", "cpu_class_init", 1, 1, 0, {"type": "cpu"}),
        Event(5, "return", "cpu_class_init", 1, 1, 0, call=4),
        Event(6, "return", "object_class_by_name", 0, -1, 0, call=1),
        Event(7, "call", "x86_cpus_init", 0, -1, 0, {"machine": "m"}),
        Event(8, "return", "x86_cpus_init", 0, -1, 0, call=7),
        Event(9, "call", "qemu_main_loop", 0, -1, 0, {}),
    ]
    p = project_trace(_trace(events, types))
    assert p.steps == ["call object_class_by_name cpu", "class_base_init device cpu", "class_init cpu cpu",
                       "call x86_cpus_init m ?", "end x86_cpus_init", "call qemu_main_loop"]
    assert p.registrations == ["device"]
    assert split(p)["hooks"] == ["class_base_init device cpu", "class_init cpu cpu"]
    assert hook_owner("class_init", "nosuch", "cpu", {t.name: t for t in types}) == "?"


# -- live: the binary still does what the data says --------------------------------------------

def _live_skip_reason() -> str | None:
    if shutil.which("gdb") is None:
        return "gdb is not installed"
    if shutil.which("qemu-system-x86_64") is None:
        return "qemu-system-x86_64 is not installed"
    out = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True, timeout=30,
                         check=False).stdout
    if "version 7.2.22" not in out:
        return f"the binary is not QEMU 7.2.22 ({out.splitlines()[0] if out else 'no version'})"
    return None


@pytest.mark.live
def test_live_binary_steps_still_match_the_data() -> None:
    reason = _live_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    from model.harvest.steps.__main__ import main

    assert main(["--check", "--cases", *LIVE_SAMPLE]) == 0
