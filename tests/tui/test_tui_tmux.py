"""The real ``vmtrace view`` in a real terminal: tmux runs it, sends keys, reads the screen.

This catches what Pilot cannot: the console script's wiring, terminal setup, and that the
screen a user sees shows the right step. Skipped only when tmux is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_fixtures import qemu_like_trace

from tracer.fileio import save_trace

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def vmtrace_command() -> list[str]:
    script = Path(sys.executable).with_name("vmtrace")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracer.cli"]


class Tmux:
    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    trace = tmp_path / "qemu-like.json"
    save_trace(qemu_like_trace(), trace)
    session = Tmux(f"vmtrace-test-{os.getpid()}")
    command = " ".join([*vmtrace_command(), "view", str(trace)])
    # remain-on-exit keeps a crashed app's last screen (a traceback) readable in the assertion.
    session.run("new-session", "-d", "-s", session.name, "-x", "100", "-y", "30", command)
    session.run("set-option", "-t", session.name, "remain-on-exit", "on")
    try:
        yield session
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session.name], capture_output=True)


def test_vmtrace_view_steps_through_a_trace_in_a_terminal(tmux: Tmux) -> None:
    tmux.wait_for("step 0 / 60")
    screen = tmux.wait_for("Help")
    assert "main() -> 0" in screen and "qemu_init()" in screen
    assert "Into" in screen and "Over" in screen, "the footer shows key hints"

    tmux.keys(":")
    tmux.wait_for("Go to event number")
    tmux.keys("46", "Enter")
    screen = tmux.wait_for("step 46 / 60")
    assert "object_new" in screen
    assert "qom/object.c:object_new" in screen, "the event panel shows QEMU's source location"
    assert "Type graph: host-x86_64-cpu" in screen

    tmux.keys("f")
    screen = tmux.wait_for("step 56 / 60")

    tmux.keys("/")
    tmux.wait_for("Search")
    tmux.keys("warn_report", "Enter")
    screen = tmux.wait_for("search: warn_report")
    assert "step 53 / 60" in screen
    assert "warn_report: host doesn" in screen, "the row of the warning, with its text"

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


def test_vmtrace_view_rejects_a_bad_file_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "vmtrace", "version": 99}')
    for path in (bad, tmp_path / "missing.json"):
        result = subprocess.run([*vmtrace_command(), "view", str(path)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2
        assert result.stderr.startswith("vmtrace: ") and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr
