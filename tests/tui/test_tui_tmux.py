"""The real ``vmtrace view`` in a real terminal: tmux runs it, sends keys, reads the screen.

This catches what Pilot cannot: the console script's wiring, terminal setup, and that the
screen a user sees shows the right step. Skipped only when tmux is not installed.
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tui_fixtures import qemu_like_trace

from tracer.fileio import save_trace

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def vmtrace_command() -> list[str]:
    script = Path(sys.executable).with_name("vmtrace")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracer.cli"]


class Tmux:
    """One session on a tmux server of its own (``-L``): other users of the machine's default
    server (a developer's tmux, another test run) can neither clash with its name nor kill it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tmux = ["tmux", "-L", name]

    def run(self, *args: str) -> str:
        return subprocess.run([*self.tmux, *args], check=True, capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def wait_for(self, *texts: str, timeout: float = 20.0) -> str:
        """The screen once every one of ``texts`` is on it (frames may be captured half drawn)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        missing = [text for text in texts if text not in screen]
        raise AssertionError(f"{missing!r} never appeared; the screen was:\n{screen}")

    def alive(self) -> bool:
        return subprocess.run([*self.tmux, "has-session", "-t", self.name], capture_output=True).returncode == 0


@contextmanager
def running(*args: str) -> Iterator[Tmux]:
    """``vmtrace ARGS`` in a detached 100x30 tmux session, killed afterwards."""
    session = Tmux(f"vmtrace-test-{os.getpid()}-{secrets.token_hex(4)}")
    # COLUMNS/LINES from whoever started the tmux server would override the pane's real size.
    command = shlex.join(["env", "-u", "COLUMNS", "-u", "LINES", *vmtrace_command(), *args])
    # remain-on-exit keeps a crashed app's last screen (a traceback) readable in the assertion.
    session.run("new-session", "-d", "-s", session.name, "-x", "100", "-y", "30", command)
    session.run("set-option", "-t", session.name, "remain-on-exit", "on")
    # A detached session may still get the server's default size; insist on 100x30.
    session.run("resize-window", "-t", session.name, "-x", "100", "-y", "30")
    try:
        yield session
    finally:
        subprocess.run([*session.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    trace = tmp_path / "qemu-like.json"
    save_trace(qemu_like_trace(), trace)
    with running("view", str(trace)) as session:
        yield session


def test_vmtrace_view_steps_through_a_trace_in_a_terminal(tmux: Tmux) -> None:
    # The first screen: the tree with main and qemu_init, and the footer's key hints.
    tmux.wait_for("step 0 / 60", "main() -> 0", "qemu_init()", "Into", "Over", "Help")

    tmux.keys(":")
    tmux.wait_for("Go to event number")
    tmux.keys("46", "Enter")
    # The event panel shows QEMU's source location; the type graph follows the cursor.
    tmux.wait_for("step 46 / 60", "object_new", "qom/object.c:object_new", "Type graph: host-x86_64-cpu")

    tmux.keys("f")
    tmux.wait_for("step 56 / 60")

    tmux.keys("/")
    tmux.wait_for("Search")
    tmux.keys("warn_report", "Enter")
    tmux.wait_for("search: warn_report", "step 53 / 60", "warn_report: host doesn")

    tmux.keys("?")
    tmux.wait_for("vmtrace keys")
    tmux.keys("Escape")
    deadline = time.monotonic() + 10
    while "vmtrace keys" in tmux.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "vmtrace keys" not in tmux.screen()

    tmux.keys("q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "Pane is dead" not in tmux.screen():
        time.sleep(0.1)
    assert "Traceback" not in tmux.screen()


def test_vmtrace_view_at_opens_on_an_event(tmp_path: Path) -> None:
    trace = tmp_path / "qemu-like.json"
    save_trace(qemu_like_trace(), trace)
    with running("view", str(trace), "--at", "52") as tmux:
        tmux.wait_for("step 52 / 60", 'x86_feature: "avx512f"', "filtered: the host does not")
        tmux.keys("q")


def test_vmtrace_view_of_two_traces_is_diff_mode(tmp_path: Path) -> None:
    save_trace(qemu_like_trace("host"), tmp_path / "host.json")
    save_trace(qemu_like_trace("max"), tmp_path / "max.json")
    with running("view", str(tmp_path / "host.json"), str(tmp_path / "max.json")) as tmux:
        tmux.wait_for("row 14 / 39 · difference 1 / 4", "A host.json", "B max.json", "lookup_opt")
        tmux.keys("]")
        tmux.wait_for("row 17 / 39 · difference 2 / 4", "parse_cpu_opt")
        tmux.keys("q")


def test_vmtrace_tui_records_and_opens(tmp_path: Path) -> None:
    out = tmp_path / "max.json"
    with running("tui", "-o", str(out), "--", "-machine", "pc", "-cpu", "max") as tmux:
        tmux.wait_for("step 0 / ", "main(", "qemu_init(", timeout=60)
        assert out.exists(), "-o keeps the recorded trace"
        tmux.keys("/")
        tmux.wait_for("Search")
        # (x86_cpu_realizefn would first find the class field that stores it, x86_64-cpu's realize)
        tmux.keys("x86_cpu_new", "Enter")
        tmux.wait_for("search: x86_cpu_new", "max-x86_64-cpu")
        tmux.keys("q")


def test_vmtrace_tui_rejects_a_bad_host_profile_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "host.json"
    bad.write_text("not json")
    result = subprocess.run([*vmtrace_command(), "tui", "--host-profile", str(bad), "--", "-cpu", "host"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("vmtrace: ") and result.stderr.count("\n") == 1, result.stderr


def test_vmtrace_view_rejects_a_bad_file_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "vmtrace", "version": 99}')
    for path in (bad, tmp_path / "missing.json"):
        result = subprocess.run([*vmtrace_command(), "view", str(path)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2
        assert result.stderr.startswith("vmtrace: ") and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
