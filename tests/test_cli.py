"""The record/show/why/types commands as a user runs them: output, exit status, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracer.cli import main

ROOT = Path(__file__).parent.parent


def vmtrace(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line (a fresh process, no tty, like a pipe)."""
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "tracer.cli", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, check=False)


def test_record_behaves_like_the_binary(tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    done = vmtrace("record", "-o", str(out), "--", "-machine", "pc", "-cpu", "Skylake-Client,+avx512f")
    assert done.returncode == 0
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert "qemu-system-x86_64: warning: TCG doesn't support requested feature: CPUID.07H:EBX.avx512f [bit 16]" \
        in lines
    assert all(line.startswith("qemu-system-x86_64: ") for line in lines)
    assert json.loads(out.read_text())["result"]["exit_status"] == 0


def test_record_failure_keeps_qemus_message_and_status(tmp_path: Path) -> None:
    done = vmtrace("record", "-o", str(tmp_path / "t.json"), "--", "-cpu", "nosuch")
    assert (done.returncode, done.stderr) == (1, "qemu-system-x86_64: unable to find CPU model 'nosuch'\n")
    assert (tmp_path / "t.json").exists()


def test_record_help_output_goes_to_stdout(tmp_path: Path) -> None:
    done = vmtrace("record", "-o", str(tmp_path / "t.json"), "--", "-machine", "help")
    assert done.returncode == 0
    assert done.stdout == (ROOT / "model" / "data" / "machine_help.txt").read_text()


def test_record_without_output_uses_a_default_path_and_says_so(tmp_path: Path) -> None:
    done = vmtrace("record", "--", "-machine", "q35", cwd=tmp_path)
    assert done.returncode == 0
    written = list((tmp_path / "vmtrace-traces").glob("*.json"))
    assert len(written) == 1
    assert done.stderr.startswith("vmtrace: trace written to vmtrace-traces/")


def test_record_bad_host_profile(tmp_path: Path) -> None:
    bad = tmp_path / "host.json"
    bad.write_text("{}")
    done = vmtrace("record", "--host-profile", str(bad), "--", "-accel", "kvm", "-cpu", "host")
    assert done.returncode == 2
    assert done.stderr.startswith("vmtrace: ") and "missing field" in done.stderr
    assert "Traceback" not in done.stderr


def test_record_with_host_profile_uses_it(tmp_path: Path) -> None:
    profile = json.loads((ROOT / "model" / "data" / "hosts" / "EPYC-7713.json").read_text())
    profile.update(name="tiny", model_id="Tiny Test CPU", features=["fpu", "lm", "sse", "sse2", "avx"])
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(profile))
    out = tmp_path / "t.json"
    done = vmtrace("record", "--host-profile", str(path), "-o", str(out), "--", "-accel", "kvm", "-cpu", "host")
    assert done.returncode == 0
    trace = json.loads(out.read_text())
    assert trace["meta"]["host_profile"] == "tiny"
    cpu = trace["result"]["cpu"]
    assert (cpu["model-id"], cpu["avx"], cpu["avx2"]) == ("Tiny Test CPU", True, False)


def test_hosts_lists_the_shipped_profiles_with_the_default_marked() -> None:
    done = vmtrace("hosts")
    assert done.returncode == 0
    default = [line for line in done.stdout.splitlines() if line.startswith("* ")]
    assert len(default) == 1 and "EPYC-7713" in default[0] and "AMD EPYC 7713 64-Core Processor" in default[0]
    listed = json.loads(vmtrace("hosts", "--json").stdout)
    assert {"EPYC-7601", "EPYC-7713", "Xeon-Platinum-8268", "Ryzen-9-3900X"} <= {r["name"] for r in listed}
    assert all(r["source"] for r in listed)  # every profile says where it came from


def test_record_picks_a_host_profile_by_name_and_records_the_default(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    done = vmtrace("record", "--host-profile", "xeon-platinum-8268", "-o", str(out), "--",
                   "-accel", "kvm", "-cpu", "host")
    assert done.returncode == 0, done.stderr
    trace = json.loads(out.read_text())
    assert trace["meta"]["host_profile"] == "Xeon-Platinum-8268"
    assert (trace["result"]["cpu"]["model-id"], trace["result"]["cpu"]["phys-bits"]) == (
        "Intel(R) Xeon(R) Platinum 8268 CPU @ 2.90GHz", 46)
    done = vmtrace("record", "-o", str(out), "--", "-cpu", "qemu64")
    assert json.loads(out.read_text())["meta"]["host_profile"] == "EPYC-7713"
    done = vmtrace("record", "--host-profile", "nosuch", "-o", str(out), "--", "-cpu", "host")
    assert done.returncode == 2 and "nosuch: no such host profile" in done.stderr


def test_why_names_the_host_profile_for_a_feature_kvm_does_not_offer(tmp_path: Path) -> None:
    out = tmp_path / "h.json"
    assert vmtrace("record", "-o", str(out), "--", "-accel", "kvm", "-cpu", "host").returncode == 0
    done = vmtrace("why", str(out), "avx512f")
    assert "avx512f off: host profile EPYC-7713 does not offer it" in done.stdout
    assert "host profile" not in vmtrace("why", str(out), "avx2").stdout


def test_show_prints_the_tree_without_colour_in_a_pipe() -> None:
    done = vmtrace("show", "traces/pc-kvm-host.json", "--match", "parse_cpu_option")
    assert done.returncode == 0
    assert "\x1b[" not in done.stdout
    assert 'parse_cpu_option("host") -> host-x86_64-cpu' in done.stdout
    assert "x86_cpu_class_by_name(\"host\") -> host-x86_64-cpu" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("exit status 0  machine pc-i440fx-7.2  cpu host-x86_64-cpu")


def test_show_depth_limits_nesting(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(ROOT / "traces" / "pc.json"), "--depth", "1"]) == 0
    body = capsys.readouterr().out.splitlines()[1:-1]
    assert body and all(line[9:].startswith(("main", "  ")) and not line[9:].startswith("    ") for line in body)


def test_show_strips_terminal_escapes_from_untrusted_strings(tmp_path: Path) -> None:
    from tracer.fileio import save_trace
    from tracer.synthetic import synthetic_trace
    from tracer.trace import Event

    evil = "\x1b]0;pwned\x07\x1b[31m[bold]red[/bold]"
    events = [Event(seq=0, kind="call", fn="main" + evil, depth=0, parent=-1, ts=0, args={"x": evil}),
              Event(seq=1, kind="return", fn="main" + evil, depth=0, parent=-1, ts=1, call=0, ret=evil)]
    path = tmp_path / "evil.json"
    save_trace(synthetic_trace(events), path)
    done = vmtrace("show", str(path))
    assert done.returncode == 0
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "[bold]red[/bold]" in done.stdout


@pytest.mark.parametrize("content", ["", "{", '{"format": "vmtrace", "version": 9}', "[1, 2]"])
def test_bad_trace_files_give_one_line_and_exit_2(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    for command in (["show", str(path)], ["why", str(path), "avx"], ["types", "--trace", str(path)]):
        done = vmtrace(*command)
        assert done.returncode == 2, command
        assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"vmtrace: {path}: "), done.stderr
        assert "Traceback" not in done.stderr


def test_why_explains_a_feature_with_event_numbers() -> None:
    done = vmtrace("why", "traces/skylake-avx512f.json", "avx512f")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == "avx512f (CPUID.07H:EBX bit 16): off"
    assert any("avx512f on: plus" in line for line in lines)
    assert any("avx512f off: filtered (TCG lacks it)" in line for line in lines)
    assert all(line.split()[0].isdigit() for line in lines[1:])


def test_why_accepts_legacy_spellings() -> None:
    done = vmtrace("why", "traces/skylake-avx512f.json", "sse4_2", "--json")
    chain = json.loads(done.stdout)
    assert (chain["feature"], chain["final"]) == ("sse4.2", True)
    assert [s["reason"] for s in chain["steps"]] == ["model"]


def test_why_unknown_feature() -> None:
    done = vmtrace("why", "traces/pc.json", "nosuch")
    assert (done.returncode, done.stderr) == (2, "vmtrace: why: nosuch: not a CPU feature\n")


def test_types_tree_shows_ancestry_and_subtree() -> None:
    done = vmtrace("types", "--tree", "max-x86_64-cpu")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0].startswith("ancestry: object (abstract) -> device (abstract) -> cpu")
    assert "host-x86_64-cpu" in done.stdout


def test_types_unknown_name_suggests() -> None:
    done = vmtrace("types", "--tree", "host-x86-64-cpu")
    assert done.returncode == 2
    assert "did you mean host-x86_64-cpu" in done.stderr


def test_every_command_has_help_with_an_example() -> None:
    from tracer.cli import COMMAND_MODULES

    top = vmtrace("--help")
    assert top.returncode == 0 and "examples:" in top.stdout
    for name in COMMAND_MODULES:
        done = vmtrace(name, "--help")
        assert done.returncode == 0 and "example" in done.stdout, name


def test_why_on_a_failed_run_says_no_cpu_was_realized() -> None:
    done = vmtrace("why", "traces/pc-host.json", "avx")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == "avx (CPUID.01H:ECX bit 28): no CPU was realized (exit status 1)"


def test_types_tree_with_an_empty_name_is_an_error() -> None:
    done = vmtrace("types", "--tree", "")
    assert (done.returncode, done.stderr) == (2, "vmtrace: types: unknown type ''\n")
