"""CLI manners from issue 13: ``view --at`` outside the trace, and friends."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from test_cli import ROOT, vmtrace

from tracer.fileio import load_trace


def test_view_at_outside_the_trace_is_one_line_and_exit_2() -> None:
    last = len(load_trace(ROOT / "traces" / "pc.json").events) - 1
    for at in (str(last + 1), "-1"):
        done = vmtrace("view", "traces/pc.json", "--at", at)
        assert done.returncode == 2
        assert done.stderr == (f"vmtrace: view: --at {at}: no such event in traces/pc.json "
                               f"(events are numbered 0 to {last})\n")
        assert done.stdout == ""


def test_view_at_with_two_traces_says_it_does_not_apply() -> None:
    done = vmtrace("view", "traces/pc.json", "traces/epyc.json", "--at", "5")
    assert done.returncode == 2
    assert done.stderr.startswith("vmtrace: view: --at opens one trace")


def test_record_without_double_dash_suggests_it() -> None:
    done = vmtrace("record", "-cpu", "max")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0].startswith("usage: vmtrace record ")
    assert "vmtrace record: error: unrecognized arguments: -cpu" in lines
    assert lines[-1] == "vmtrace record: QEMU's options go after `--`: vmtrace record -- -cpu max"


def test_record_suggestion_keeps_vmtraces_own_options_first(tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    done = vmtrace("record", "-o", str(out), "-machine", "q35", "-cpu", "Skylake-Client,+avx512f")
    assert done.returncode == 2 and not out.exists()
    assert done.stderr.splitlines()[-1].endswith(
        f"vmtrace record -o {out} -- -machine q35 -cpu Skylake-Client,+avx512f")


def test_an_option_error_prints_the_subcommands_usage() -> None:
    done = vmtrace("show", "traces/pc.json", "--bogus")
    assert done.returncode == 2
    assert done.stderr.startswith("usage: vmtrace show ")
    assert done.stderr.rstrip().endswith("vmtrace show: error: unrecognized arguments: --bogus")
    assert "QEMU" not in done.stderr, "show takes no QEMU command line"


def test_why_suggests_near_feature_names() -> None:
    done = vmtrace("why", "traces/skylake-avx512f.json", "avx512")
    assert done.returncode == 2
    assert done.stderr.startswith("vmtrace: why: avx512: not a CPU feature; did you mean avx512f, avx512bw, ")
    assert "more)?" in done.stderr
    assert done.stderr.count("\n") == 1


def test_why_matches_a_feature_case_insensitively() -> None:
    done = vmtrace("why", "traces/skylake-avx512f.json", "AVX512F")
    assert done.returncode == 0
    assert done.stdout.startswith("avx512f (CPUID.07H:EBX bit 16): off")


def test_why_without_anything_near_says_only_that() -> None:
    done = vmtrace("why", "traces/pc.json", "zzzz")
    assert (done.returncode, done.stderr) == (2, "vmtrace: why: zzzz: not a CPU feature\n")


def test_record_output_in_a_missing_directory_is_created_and_said(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "t.json"
    done = vmtrace("record", "-o", str(out), "--", "-machine", "pc")
    assert done.returncode == 0 and out.exists()
    assert done.stderr == f"vmtrace: record: created directory {out.parent}\n"


def test_diff_save_creates_a_missing_directory_and_says_so(tmp_path: Path) -> None:
    save = tmp_path / "pairs"
    done = vmtrace("diff", "--cpu", "qemu64", "--cpu", "max", "--save", str(save), "--stat", "--", "-machine", "pc")
    assert done.returncode == 1, done.stderr
    assert f"vmtrace: diff: created directory {save}\n" in done.stderr
    assert sorted(p.name for p in save.iterdir()) == ["a-qemu64.json", "b-max.json"]


def test_diff_save_onto_a_file_is_refused(tmp_path: Path) -> None:
    save = tmp_path / "file"
    save.write_text("")
    done = vmtrace("diff", "--cpu", "qemu64", "--cpu", "max", "--save", str(save), "--", "-machine", "pc")
    assert done.returncode == 2
    assert f"{save} is not a directory" in done.stderr


def test_export_clock_steps_on_the_command_line() -> None:
    done = vmtrace("export", "traces/pc.json", "--format", "chrome", "--clock", "steps")
    assert done.returncode == 0
    doc = json.loads(done.stdout)
    assert doc["otherData"]["clock"] == "steps"
    main = next(e for e in doc["traceEvents"] if e.get("name") == "main" and e["ph"] == "X")
    last = len(load_trace(ROOT / "traces" / "pc.json").events) - 1
    assert (main["ts"], main["dur"]) == (0, last)


def readme_blocks(command_prefix: str) -> list[tuple[str, str]]:
    """``$ COMMAND`` examples in README.md's code blocks, with the output shown under each."""
    text = (ROOT / "README.md").read_text()
    found = []
    for block in re.findall(r"```\n(.*?)```", text, re.S):
        lines = block.splitlines()
        if lines and lines[0].startswith(f"$ {command_prefix}"):
            found.append((lines[0][2:], "\n".join(lines[1:]) + "\n"))
    return found


def test_readme_why_example_is_what_vmtrace_prints_for_the_golden_trace() -> None:
    examples = readme_blocks("vmtrace why traces/")
    assert examples, "the README shows a `why` example on a golden trace"
    for command, shown in examples:
        done = vmtrace(*shlex.split(command)[1:])
        assert done.returncode == 0, done.stderr
        assert done.stdout == shown, f"README.md's `{command}` example is stale; it now prints:\n{done.stdout}"
