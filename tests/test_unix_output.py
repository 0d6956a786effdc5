"""vmtrace writes and exits like a good Unix tool (issue 15): what ``-o`` does to what is
already at the path, temporary files after signals, a full disk, a closed pipe, arguments
that are not UTF-8, the size limit, and output that stays linear in a deep trace.

These run real processes: signals, pipes and ``/dev/full`` are about the process.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile_corpus import base_doc

from tracer.fileio import decode_trace, load_trace, remove_stale_temporaries, save_trace, write_output
from tracer.synthetic import deep_events, synthetic_trace

ROOT = Path(__file__).parent.parent
VMTRACE = [sys.executable, "-m", "tracer.cli"]
MERMAID = ["export", "-f", "mermaid"]


def run(*args: str | bytes, stdout: int | None = subprocess.PIPE, **kw: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*VMTRACE, *args], stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT, timeout=120,
                          check=False, **kw)  # type: ignore[call-overload,no-any-return]


@pytest.fixture
def trace(tmp_path: Path) -> Path:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(base_doc()))
    return path


def temporaries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# -- -o: what is at the path --------------------------------------------------------------


def test_o_replaces_a_regular_file_keeping_its_mode(trace: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mmd"
    out.write_text("old")
    out.chmod(0o400)
    done = run("export", str(trace), "-f", "mermaid", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("flowchart TD")
    assert stat.S_IMODE(out.stat().st_mode) == 0o400, "a 0400 file came back 0644"
    assert temporaries(tmp_path) == []


def test_o_through_a_symlink_replaces_the_target_and_keeps_the_link(trace: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.mmd"
    real.write_text("old")
    link = tmp_path / "link.mmd"
    link.symlink_to(real)
    assert run(*MERMAID[:1], str(trace), *MERMAID[1:], "-o", str(link)).returncode == 0
    assert link.is_symlink() and real.read_text().startswith("flowchart TD")


def test_o_writes_through_a_symlink_to_stdout(trace: Path, tmp_path: Path) -> None:
    link = tmp_path / "stdout.mmd"
    link.symlink_to("/proc/self/fd/1")
    done = run("export", str(trace), "-f", "mermaid", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"flowchart TD")
    assert link.is_symlink(), "the link to /proc/self/fd/1 was replaced by a plain file"


def test_o_writes_through_a_fifo(trace: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # never blocks, even if vmtrace replaced the FIFO
    writer = subprocess.Popen([*VMTRACE, "export", str(trace), "-f", "mermaid", "-o", str(fifo)], cwd=ROOT,
                              stderr=subprocess.PIPE)
    data = b""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            try:
                chunk = os.read(reader, 65536)
            except BlockingIOError:
                chunk = b""
            data += chunk
            if not chunk and writer.poll() is not None:
                break
            time.sleep(0.01)
    finally:
        os.close(reader)
    assert writer.wait(timeout=60) == 0
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the FIFO was replaced by a regular file"
    assert data.startswith(b"flowchart TD")


def test_o_writes_through_a_device(trace: Path, tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot mknod here ({exc}): the device case runs where the test may make one")
    done = run("export", str(trace), "-f", "mermaid", "-o", str(node))
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(node.stat().st_mode), "the device was replaced by a regular file"
    assert run("export", str(trace), "-f", "chrome", "-o", "/dev/null").returncode == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_o_refuses_a_directory_in_one_line(trace: Path, tmp_path: Path) -> None:
    for args in (("export", str(trace), "-f", "dot", "-o", str(tmp_path)),
                 ("record", "-o", str(tmp_path), "--", "-machine", "none")):
        done = run(*args)
        assert done.returncode == 2
        lines = done.stderr.decode().splitlines()
        assert len(lines) == 1 and lines[0].startswith("vmtrace: ") and "is a directory" in lines[0], lines


# -- temporary files ----------------------------------------------------------------------


def test_stale_temporaries_of_dead_processes_are_removed(trace: Path, tmp_path: Path) -> None:
    dead = subprocess.run(["true"], check=True)
    del dead
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = tmp_path / f".out.mmd.vmtrace-{gone.pid}-deadbeef.tmp"
    mine = tmp_path / f".out.mmd.vmtrace-{os.getpid()}-0badf00d.tmp"  # a live writer's: kept
    other = tmp_path / ".out.mmd.something.tmp"  # not ours: kept
    for path in (stale, mine, other):
        path.write_text("partial")
    assert run("export", str(trace), "-f", "mermaid", "-o", str(tmp_path / "out.mmd")).returncode == 0
    assert temporaries(tmp_path) == sorted([mine.name, other.name])
    assert remove_stale_temporaries(tmp_path, ".out.mmd.vmtrace-") == []


SLOW_WRITE = """
import os, sys, time
import tracer.fileio as fileio
real_fsync = os.fsync
def slow_fsync(fd):
    open(sys.argv[1], "w").close()   # tell the test the temporary exists
    time.sleep(60)
fileio.os.fsync = slow_fsync
from tracer.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, -signal.SIGTERM), (signal.SIGHUP, -signal.SIGHUP),
                                                (signal.SIGINT, 130)])
def test_a_signal_during_a_write_removes_the_temporary(trace: Path, tmp_path: Path, signum: int,
                                                       status: int) -> None:
    out = tmp_path / "out.json"
    out.write_text("previous")
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITE, str(ready), "export", str(trace), "-f", "chrome",
                             "-o", str(out)], cwd=ROOT, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), "the write never started"
    assert any(name.startswith(".out.json.vmtrace-") for name in temporaries(tmp_path))
    proc.send_signal(signum)
    assert proc.wait(timeout=30) == status
    assert b"Traceback" not in (proc.stderr.read() if proc.stderr else b"")
    assert temporaries(tmp_path) == [], "the temporary was left behind"
    assert out.read_text() == "previous", "the target must be intact"


# -- standard output ----------------------------------------------------------------------


@pytest.mark.parametrize("args", [("show", "{T}"), ("export", "{T}", "-f", "chrome"), ("diff", "{T}", "{T}"),
                                  ("types",), ("record", "-o", "{O}", "--", "-cpu", "help")])
def test_stdout_on_a_full_disk_is_one_line_and_a_failure(args: tuple[str, ...], trace: Path, tmp_path: Path) -> None:
    argv = [a.replace("{T}", str(trace)).replace("{O}", str(tmp_path / "r.json")) for a in args]
    with open("/dev/full", "wb") as full:
        done = run(*argv, stdout=full.fileno())
    assert done.returncode != 0
    lines = done.stderr.decode().splitlines()
    assert lines[-1] == "vmtrace: cannot write the output: No space left on device", lines
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr


def closed_pipe_run(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run with stdout a pipe whose reader has already gone (as `| head -1` leaves it)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return run(*args, stdout=write_end)
    finally:
        os.close(write_end)


def test_a_closed_pipe_keeps_the_exit_status_quietly(trace: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    doc = base_doc()
    doc["result"]["cpu"]["avx"] = False
    other.write_text(json.dumps(doc))
    for args, status in ((("diff", str(trace), str(trace)), 0), (("diff", str(trace), str(other)), 1),
                         (("diff", str(trace), str(other), "--json"), 1), (("show", str(trace)), 0),
                         (("export", str(trace), "-f", "chrome"), 0), (("types",), 0),
                         (("why", str(trace), "avx"), 0), (("diff", str(trace), str(tmp_path / "missing")), 2)):
        done = closed_pipe_run(*args)
        assert done.returncode == status, (args, done.returncode, done.stderr)
        if status != 2:
            assert done.stderr == b"", (args, done.stderr)


# -- arguments that are not UTF-8 -----------------------------------------------------------


def test_a_non_utf8_qemu_argument_is_carried_in_argv_raw(tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    raw = b"caf\xe9"
    done = subprocess.run([*VMTRACE, "record", "-o", str(out), "--", "-machine", "none", "-name", raw],
                          capture_output=True, cwd=ROOT, timeout=120, check=False)
    assert b"Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    trace = load_trace(out)
    assert trace.meta.argv_raw is not None and trace.meta.argv_raw[-1] == raw
    assert trace.meta.argv[-1] == "caf\ufffd"
    document = json.loads(out.read_bytes())
    assert base64.b64decode(document["meta"]["argv_raw"][-1]) == raw
    plain = subprocess.run([*VMTRACE, "record", "-o", str(out), "--", "-machine", "none"], capture_output=True,
                           cwd=ROOT, timeout=120, check=False)
    assert plain.returncode == 0 and "argv_raw" not in json.loads(out.read_bytes())["meta"]


def test_diff_records_a_non_utf8_cpu_without_a_traceback() -> None:
    done = subprocess.run([*VMTRACE, "diff", "--cpu", b"qemu64", "--cpu", b"caf\xe9", "--stat", "--",
                           "-machine", "none"], capture_output=True, cwd=ROOT, timeout=300, check=False)
    assert b"Traceback" not in done.stderr and done.returncode in (0, 1, 2), done.stderr
    assert b"\xe9" not in done.stdout + done.stderr, "undecodable bytes are shown, not sent raw"


def test_a_non_utf8_file_name_in_an_error_line() -> None:
    done = subprocess.run([*VMTRACE, "show", b"/nonexistent/caf\xe9\x1b[2J.json"], capture_output=True, cwd=ROOT,
                          timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr == b"vmtrace: /nonexistent/caf\\xe9.json: No such file or directory\n"


# -- size limit and linear output -----------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_reading(trace: Path, tmp_path: Path) -> None:
    sparse = tmp_path / "huge.json"
    with open(sparse, "wb") as out:
        out.truncate(5 * 2**30)  # 5 GiB, no disk used: reading it would take 5 GB of memory
    done = run("show", str(sparse))
    assert done.returncode == 2 and b"over the limit of 536,870,912 bytes" in done.stderr, done.stderr
    small = run("show", str(trace), env={**os.environ, "VMTRACE_MAX_TRACE_SIZE": "1K"})
    assert small.returncode == 2 and b"over the limit of 1,024 bytes" in small.stderr
    assert run("show", str(trace), env={**os.environ, "VMTRACE_MAX_TRACE_SIZE": "1M"}).returncode == 0
    bad = run("show", str(trace), env={**os.environ, "VMTRACE_MAX_TRACE_SIZE": "lots"})
    assert bad.returncode == 2 and b"is not a size" in bad.stderr


def test_show_of_a_10000_deep_trace_is_linear_in_events(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    save_trace(synthetic_trace(deep_events(10_000)), path)
    done = run("show", str(path))
    assert done.returncode == 0
    lines = done.stdout.count(b"\n")
    assert lines >= 10_000
    assert len(done.stdout) < 10_002 * 200, f"{len(done.stdout):,} bytes: indentation grows with depth"
    assert b"\xe2\x80\xa69999 " in done.stdout  # "…9999": the depth as a number past the cap


# -- the writer as a library ----------------------------------------------------------------


def test_write_output_keeps_owner_and_mode_and_refuses_directories(tmp_path: Path) -> None:
    target = tmp_path / "f"
    write_output(target, b"one")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    target.chmod(0o640)
    write_output(target, b"two")
    assert target.read_bytes() == b"two" and stat.S_IMODE(target.stat().st_mode) == 0o640
    with pytest.raises(IsADirectoryError):
        write_output(tmp_path, b"x")
    assert decode_trace(json.dumps(base_doc()).encode()).meta.argv_raw is None
