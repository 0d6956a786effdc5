"""``vmtrace export`` end to end: every format to a file and to stdout, and one-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest
from test_diff_cli import one_line_error, vmtrace
from test_diff_fixtures import call, point, trace_of

from tracer.export import FORMATS, export_bytes
from tracer.fileio import save_trace

TRACE = trace_of(call("main", point("type_register", type="x86_64-cpu"), call("type_initialize", type="cpu", ret=1)))


@pytest.fixture
def trace_file(tmp_path: Path) -> Path:
    path = tmp_path / "t.json"
    save_trace(TRACE, path)
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_to_a_file_equals_the_library_export(fmt: str, trace_file: Path, tmp_path: Path) -> None:
    out = tmp_path / f"out.{fmt}"
    assert vmtrace("export", str(trace_file), "--format", fmt, "-o", str(out)) == 0
    assert out.read_bytes() == export_bytes(TRACE, fmt)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # atomic: no leftovers


def test_stdout_is_the_default(trace_file: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert vmtrace("export", str(trace_file), "-f", "chrome") == 0
    doc = json.loads(capsysbinary.readouterr().out)
    assert any(e["ph"] == "X" and e["name"] == "type_initialize" for e in doc["traceEvents"])


def test_type_focus_from_the_command_line(trace_file: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert vmtrace("export", str(trace_file), "-f", "graphml", "--type", "x86_64-cpu") == 0
    graph = nx.read_graphml(io.BytesIO(capsysbinary.readouterr().out))
    assert set(graph.nodes) == {"object", "device", "cpu", "x86_64-cpu", "Skylake-Client-x86_64-cpu",
                                "EPYC-x86_64-cpu"}


@pytest.mark.parametrize("extra, message", [
    (["-f", "dot", "--type", "no-such-type"], "unknown type 'no-such-type'"),
    (["-f", "speedscope", "--type", "cpu"], "--type applies to the type-graph formats"),
    (["-f", "chrome", "-o", "/nonexistent-dir/x.json"], "cannot write /nonexistent-dir/x.json"),
])
def test_errors_are_one_line_exit_2(trace_file: Path, extra: list[str], message: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert vmtrace("export", str(trace_file), *extra) == 2
    assert message in one_line_error(capsys.readouterr().err)


def test_a_bad_trace_file_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    assert vmtrace("export", str(bad), "-f", "chrome") == 2
    assert "bad.json" in one_line_error(capsys.readouterr().err)


def test_an_unknown_format_is_refused_by_the_parser(trace_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        vmtrace("export", str(trace_file), "-f", "svg")
    assert exc.value.code == 2
    assert "invalid choice: 'svg'" in capsys.readouterr().err
