"""CLI manners from issue 13: ``view --at`` outside the trace, and friends."""

from __future__ import annotations

from test_cli import vmtrace


def test_view_at_outside_the_trace_is_one_line_and_exit_2() -> None:
    for at in ("9859", "-1"):
        done = vmtrace("view", "traces/pc.json", "--at", at)
        assert done.returncode == 2
        assert done.stderr == (f"vmtrace: view: --at {at}: no such event in traces/pc.json "
                               "(events are numbered 0 to 9858)\n")
        assert done.stdout == ""


def test_view_at_with_two_traces_says_it_does_not_apply() -> None:
    done = vmtrace("view", "traces/pc.json", "traces/epyc.json", "--at", "5")
    assert done.returncode == 2
    assert done.stderr.startswith("vmtrace: view: --at opens one trace")
