"""Shared fixtures for the TUI tests: the QEMU-like trace and an app factory."""

from __future__ import annotations

import pytest
from tui_fixtures import qemu_like_trace

from tracer.replay import Replay
from tracer.trace import Trace
from tracer.tui.app import VmtraceApp


@pytest.fixture
def qemu_trace() -> Trace:
    return qemu_like_trace()


def make_app(trace: Trace | None = None, name: str = "qemu-like.json") -> VmtraceApp:
    """The app as ``vmtrace view`` builds it: indexes first, then the UI."""
    return VmtraceApp(Replay(trace if trace is not None else qemu_like_trace()), name)
