"""``vmtrace info``: the machine a recorded trace built, as the monitor shows it."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from model.harvest.machine import CASES_FILE, read_jsonl, read_mtree
from tracer.cli import main
from tracer.fileio import save_trace
from tracer.machine.at_step import qom_tree_at
from tracer.machine.qomtree import render_qom_tree
from tracer.record import record_trace
from tracer.trace import Trace

_, CASES = read_jsonl(CASES_FILE)
BINARY = {" ".join(c["args"]): c for c in CASES}
BASE = ["-accel", "tcg", "-S", "-display", "none", "-nodefaults"]


@pytest.fixture(scope="module")
def pc_trace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Trace, Path]:
    trace = record_trace([*BASE, "-machine", "pc", "-device", "e1000"])
    path = tmp_path_factory.mktemp("info") / "pc.json"
    save_trace(trace, path)
    return trace, path


def _binary(view: str) -> str:
    text: str = BINARY["-machine pc -device e1000"][view]
    return text.replace("\r\n", "\n")


@pytest.mark.parametrize(("view", "key"), [("qom-tree", "qom_tree"), ("qtree", "qtree")])
def test_views_print_as_the_monitor_does(pc_trace: tuple[Trace, Path], view: str, key: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(pc_trace[1]), view]) == 0
    assert capsys.readouterr().out == _binary(key)


def test_pci_prints_query_pci(pc_trace: tuple[Trace, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(pc_trace[1]), "pci"]) == 0
    assert json.loads(capsys.readouterr().out) == BINARY["-machine pc -device e1000"]["pci"]


def test_json_trees(pc_trace: tuple[Trace, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(pc_trace[1]), "qom-tree", "--json"]) == 0
    tree = json.loads(capsys.readouterr().out)
    assert tree["name"] == "machine" and tree["type"] == "pc-i440fx-7.2-machine"
    assert main(["info", str(pc_trace[1]), "qtree", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "main-system-bus"


def test_the_tree_rebuilt_from_events_ends_as_recorded(pc_trace: tuple[Trace, Path]) -> None:
    trace = pc_trace[0]
    rebuilt = qom_tree_at(trace)
    assert rebuilt is not None and trace.result.machine_views is not None
    assert render_qom_tree(rebuilt, "\n") == trace.result.machine_views.qom_tree


def test_the_tree_grows_as_devices_are_created(pc_trace: tuple[Trace, Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    trace, path = pc_trace
    first_i440fx = next(e.seq for e in trace.events if e.fn == "qom_add_child" and e.text == "/machine/i440fx")
    before = qom_tree_at(trace, first_i440fx - 1)
    after = qom_tree_at(trace, first_i440fx)
    assert before is not None and after is not None
    assert before.find("/machine/i440fx") is None and after.find("/machine/i440fx") is not None
    assert main(["info", str(path), "qom-tree", "--at", str(first_i440fx)]) == 0
    assert "/i440fx (i440FX-pcihost)" in capsys.readouterr().out


@pytest.mark.parametrize(("extra", "message"), [
    (["qtree", "--at", "5"], "no machine exists yet at event 5"),
    (["pci", "--at", "5"], "no machine exists yet at event 5"),
    (["mtree", "--at", "5"], "no machine exists yet at event 5"),
    (["pci", "--at", "-1"], "the trace has events 0 to"),
    (["qom-tree", "--at", "99999999"], "the trace has events 0 to"),
    (["qom-tree", "--at", "0"], "no machine exists yet at event 0"),
])
def test_bad_requests_get_one_line(pc_trace: tuple[Trace, Path], extra: list[str], message: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(pc_trace[1]), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vmtrace: info: ") and message in err and err.count("\n") == 1


def test_failed_startup_has_no_machine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    save_trace(record_trace([*BASE, "-machine", "pc", "-device", "nosuch"]), path)
    assert main(["info", str(path), "qtree"]) == 2
    assert "startup failed (exit status 1)" in capsys.readouterr().err


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.json"
    path.write_text("{")
    assert main(["info", str(path), "qtree"]) == 2
    assert capsys.readouterr().err.startswith("vmtrace: ")


def test_mtree_prints_the_flat_views_as_the_monitor_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """isapc's memory map is modelled: ``info mtree -f`` as harvested (canonical block order)."""
    path = tmp_path / "isapc.json"
    save_trace(record_trace([*BASE, "-machine", "isapc"]), path)
    assert main(["info", str(path), "mtree"]) == 0
    assert capsys.readouterr().out == read_mtree()[("-machine", "isapc")]
    assert main(["info", str(path), "mtree", "--json"]) == 0
    blocks = json.loads(capsys.readouterr().out)
    assert [b["root"] for b in blocks] == ["io", "system"] and blocks[1]["spaces"][0] == ["memory", "system"]


def test_mtree_of_microvm_with_pcie_shows_the_gpex_windows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "microvm.json"
    save_trace(record_trace([*BASE, "-machine", "microvm,pcie=on"]), path)
    assert main(["info", str(path), "mtree"]) == 0
    assert capsys.readouterr().out == read_mtree()[("-machine", "microvm,pcie=on")]


def test_a_trace_without_a_memory_map_gets_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A trace written before vmtrace modelled a board's memory map has none: one line, exit 2."""
    trace = record_trace([*BASE, "-machine", "isapc"])
    views = trace.result.machine_views
    assert views is not None
    older = msgspec.structs.replace(trace, result=msgspec.structs.replace(
        trace.result, machine_views=msgspec.structs.replace(views, mtree=None)))
    path = tmp_path / "old.json"
    save_trace(older, path)
    assert main(["info", str(path), "mtree"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vmtrace: info: mtree: this trace has no memory map") and err.count("\n") == 1
