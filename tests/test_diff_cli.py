"""``vmtrace diff`` end to end: exit statuses like diff(1), one-line errors, --json, rendering
of hostile strings, and the --cpu recording path."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import types
from collections.abc import Sequence
from pathlib import Path

import jsonschema
import pytest
from test_diff_fixtures import call, point, trace_of

from tracer.cli import COMMAND_MODULES, cmd_diff, cmd_export
from tracer.diff import diff_traces
from tracer.diff.schema import DIFF_SCHEMA
from tracer.fileio import load_trace, save_trace
from tracer.trace import Trace


def vmtrace(*argv: str) -> int:
    """Run ``vmtrace ARGV`` through a parser holding the diff and export subcommands, registered
    exactly as ``tracer.cli`` registers them (independent of the other subcommands' modules)."""
    parser = argparse.ArgumentParser(prog="vmtrace")
    sub = parser.add_subparsers(dest="command")
    cmd_diff.register(sub)
    cmd_export.register(sub)
    args = parser.parse_args(list(argv))
    status: int = args.func(args)
    return status


def test_diff_and_export_are_vmtrace_subcommands() -> None:
    assert {"diff", "export"} <= set(COMMAND_MODULES)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a = trace_of(call("main", call("parse_cpu_option", call("type_initialize", type="x86_64-cpu"),
                                   cpu_option="Skylake-Client", ret="Skylake-Client-x86_64-cpu")),
                 cpu={"type": "Skylake-Client-x86_64-cpu", "family": 6, "avx512f": False})
    b = trace_of(call("main", call("parse_cpu_option", call("type_initialize", type="x86_64-cpu"),
                                   cpu_option="EPYC", ret="EPYC-x86_64-cpu")),
                 cpu={"type": "EPYC-x86_64-cpu", "family": 23, "avx512f": True})
    pa, pb = tmp_path / "a.json", tmp_path / "b.json"
    save_trace(a, pa)
    save_trace(b, pb)
    return pa, pb


def one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vmtrace: "), err
    return lines[0]


def test_equal_traces_exit_0(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert vmtrace("diff", str(pair[0]), str(pair[0])) == 0
    out = capsys.readouterr().out
    assert "the call trees are identical" in out


def test_different_traces_exit_1_and_read_like_a_code_diff(pair: tuple[Path, Path],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert vmtrace("diff", str(pair[0]), str(pair[1])) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out  # not a terminal: plain text
    assert "cpu type       Skylake-Client-x86_64-cpu → EPYC-x86_64-cpu" in out
    assert "features       +avx512f" in out
    assert "family         6 → 23" in out
    assert "first divergence: A #1, B #1  main > parse_cpu_option" in out
    lines = out.splitlines()
    minus = next(line for line in lines if line.startswith("-") and "parse_cpu_option" in line)
    plus = next(line for line in lines if line.startswith("+") and "parse_cpu_option" in line)
    assert 'parse_cpu_option("Skylake-Client") -> Skylake-Client-x86_64-cpu' in minus
    assert 'parse_cpu_option("EPYC") -> EPYC-x86_64-cpu' in plus
    assert any(line.startswith(" ") and "type_initialize(x86_64-cpu)" in line for line in lines)


def test_stat_prints_no_hunks(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert vmtrace("diff", "--stat", str(pair[0]), str(pair[1])) == 1
    out = capsys.readouterr().out
    assert "@@" not in out and "1 changed" in out


def test_json_output_is_the_documented_document(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert vmtrace("diff", "--json", str(pair[0]), str(pair[1])) == 1
    doc = json.loads(capsys.readouterr().out)
    expected = diff_traces(load_trace(pair[0]), load_trace(pair[1]), str(pair[0]), str(pair[1])).to_json()
    assert doc == json.loads(json.dumps(expected))
    assert doc["structural"]["first_divergence"]["a"] == 1
    jsonschema.validate(doc, DIFF_SCHEMA)


def test_hostile_strings_are_shown_not_interpreted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = trace_of(call("main", point("warn_report", text="[bold red]fake[/] \x1b[2J\x1b]0;title\x07 done")))
    b = trace_of(call("main", point("warn_report", text="other")))
    save_trace(a, tmp_path / "a.json")
    save_trace(b, tmp_path / "b.json")
    assert vmtrace("diff", str(tmp_path / "a.json"), str(tmp_path / "b.json")) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "[bold red]fake[/]" in out


@pytest.mark.parametrize("argv, message", [
    (["diff", "only-one.json"], "expected two trace files"),
    (["diff", "a", "b", "c"], "expected two trace files"),
    (["diff", "--cpu", "max"], "--cpu needs exactly two models"),
    (["diff", "--cpu", "max", "--cpu", "host", "--", "-cpu", "EPYC"], "must not contain -cpu"),
    (["diff", "--context", "-1", "a", "b"], "--context and --fold must be 0 or more"),
    (["diff", "--fold", "-1", "a", "b"], "--context and --fold must be 0 or more"),
    (["diff", "--save", "/tmp", "a", "b"], "only apply with --cpu"),
])
def test_bad_options_exit_2_with_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert vmtrace(*argv) == 2
    assert message in one_line_error(capsys.readouterr().err)


def test_unreadable_or_foreign_files_exit_2(tmp_path: Path, pair: tuple[Path, Path],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "vmtrace", "version": 1, "events": [')
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"traceEvents": []}')
    for bad in (tmp_path / "missing.json", broken, foreign, tmp_path):
        assert vmtrace("diff", str(pair[0]), str(bad)) == 2
        assert str(bad) in one_line_error(capsys.readouterr().err)


class FakeRecorder:
    """Stands in for tracer.record while it is absent or to observe the arguments passed."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[tuple[list[str], str | None]] = []
        self.fail_on = fail_on

    def record_trace(self, qemu_args: Sequence[str], *, host_profile: str | None = None) -> Trace:
        self.calls.append((list(qemu_args), host_profile))
        model = qemu_args[-1]
        if model == self.fail_on:
            raise ValueError(f"unknown host profile {host_profile!r}")
        return trace_of(call("main", call("parse_cpu_option", cpu_option=model)), argv=["qemu", *qemu_args],
                        cpu={"type": f"{model}-x86_64-cpu"})


def install(monkeypatch: pytest.MonkeyPatch, fake: FakeRecorder) -> None:
    module = types.ModuleType("tracer.record")
    module.record_trace = fake.record_trace  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tracer.record", module)


def test_cpu_pair_records_both_models_with_the_common_args(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeRecorder()
    install(monkeypatch, fake)
    status = vmtrace("diff", "--cpu", "Skylake-Client", "--cpu", "EPYC,+avx512f", "--host-profile", "epyc-host",
                     "--save", str(tmp_path), "--", "-machine", "pc")
    assert status == 1
    assert fake.calls == [(["-machine", "pc", "-cpu", "Skylake-Client"], "epyc-host"),
                          (["-machine", "pc", "-cpu", "EPYC,+avx512f"], "epyc-host")]
    out = capsys.readouterr().out
    assert out.startswith("--- Skylake-Client")
    assert load_trace(tmp_path / "a-Skylake-Client.json").meta.argv[-1] == "Skylake-Client"
    assert load_trace(tmp_path / "b-EPYC_+avx512f.json").meta.argv[-1] == "EPYC,+avx512f"


def test_cpu_pair_without_common_args_keeps_the_default_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeRecorder()
    install(monkeypatch, fake)
    assert vmtrace("diff", "--cpu", "max", "--cpu", "max", "--json") == 0
    assert fake.calls[0][0] == ["-cpu", "max"]


def test_a_recording_failure_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    install(monkeypatch, FakeRecorder(fail_on="EPYC"))
    assert vmtrace("diff", "--cpu", "max", "--cpu", "EPYC") == 2
    assert "recording -cpu EPYC failed: unknown host profile" in one_line_error(capsys.readouterr().err)


def test_cpu_pair_with_the_real_model(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tracer.record", reason="the model's recorder (tracer.record) is not in this tree yet")
    status = vmtrace("diff", "--json", "--cpu", "Skylake-Client", "--cpu", "EPYC", "--", "-machine", "pc")
    assert status == 1
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, DIFF_SCHEMA)
    sem = doc["semantic"]
    assert sem["cpu_type"]["a"].startswith("Skylake-Client") and sem["cpu_type"]["b"].startswith("EPYC")
    assert doc["structural"]["first_divergence"] is not None


def test_the_installed_command_end_to_end(pair: tuple[Path, Path], tmp_path: Path) -> None:
    """Through ``python -m tracer.cli`` (what the ``vmtrace`` script runs): statuses and stderr."""
    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tracer.cli", *argv], capture_output=True, text=True,
                              check=False, timeout=120)

    same = run("diff", str(pair[0]), str(pair[0]))
    assert same.returncode == 0 and same.stderr == ""
    different = run("diff", "--json", str(pair[0]), str(pair[1]))
    assert different.returncode == 1 and json.loads(different.stdout)["equal"] is False
    bad = run("diff", str(pair[0]), str(tmp_path / "missing.json"))
    assert bad.returncode == 2 and bad.stdout == ""
    one_line_error(bad.stderr)
    exported = run("export", str(pair[0]), "--format", "speedscope")
    assert exported.returncode == 0 and json.loads(exported.stdout)["profiles"][0]["type"] == "evented"
