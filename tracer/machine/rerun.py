"""``info qtree``, ``query-pci`` and ``info mtree -f`` at any event of a trace, by running the
model again to it.

A trace records the composition tree event by event (see :mod:`tracer.machine.at_step`), but
not the buses, properties, PCI slots and memory regions: those live in the model's state. So
to show them at event N the model runs the trace's own command line again, with a recorder
that stops the run the moment event N is recorded, and the views are taken from the state as
it stands then. The memory map is the one exception: QEMU's monitor prints each address
space's current flat view, which a memory transaction replaces only when it commits, so an
event inside a transaction (or inside the making of the new views) sees the views of before
it while the region tree has already changed. There the run goes on to the first event at
which the memory map has settled, and the views say which event that was.
The re-run must reproduce the trace: every event up to N is compared with the file's, and a
trace that the model does not reproduce (another vmtrace version, an edited file, a host
profile this installation lacks) is refused rather than shown with another run's state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import msgspec

from model.hw.core.views import qtree, query_pci
from model.run import run_qemu
from model.softmmu.memory_region import flat_views
from model.state import QemuInit
from model.target_i386.host_profile import HostProfileError
from tracer.machine.mtree import FlatViewBlock
from tracer.machine.pci import PciBus
from tracer.machine.qtree import QtreeBus
from tracer.record import profile_for_model
from tracer.recorder import Recorder, StopRun
from tracer.trace import Event, Trace


class RerunError(Exception):
    """The views at that event cannot be shown; the message says why, in one line."""


@dataclass(frozen=True)
class ViewsAt:
    """The machine as the monitor would show it right after one event (None: no board yet)."""

    qtree: QtreeBus | None
    pci: tuple[PciBus, ...] | None
    # ``info mtree -f`` as of event ``mtree_at`` (the asked one, or the first after it at which
    # the memory map had settled; None: the run ended first).
    mtree: tuple[FlatViewBlock, ...] | None = None
    mtree_at: int | None = None


def _comparable(event: Event) -> Any:
    """An event as JSON data without what legitimately differs between two runs: the clock,
    and the hook mark, which QOM sets when a hook's call returns (after a mid-hook stop)."""
    return msgspec.to_builtins(msgspec.structs.replace(event, ts=0, hook=None))


def _first_difference(recorded: list[Event], rerun: list[Event], upto: int) -> int | None:
    for seq in range(upto + 1):
        if seq >= len(rerun) or _comparable(recorded[seq]) != _comparable(rerun[seq]):
            return seq
    return None


def views_at(trace: Trace, seq: int) -> ViewsAt:
    """``info qtree``, ``query-pci`` and ``info mtree -f`` right after event ``seq`` of ``trace``."""
    if not 0 <= seq < len(trace.events):
        raise RerunError(f"--at {seq}: the trace has events 0 to {len(trace.events) - 1}")
    argv = trace.meta.argv
    try:
        _, profile = profile_for_model(trace.meta.host_profile)
    except HostProfileError as exc:
        raise RerunError(f"the trace was recorded with host profile {trace.meta.host_profile!r}, "
                         f"which this installation cannot load ({exc})") from None
    state: list[QemuInit] = []
    taken: list[ViewsAt] = []
    events: list[int] = []

    def look() -> None:
        """Called after event ``seq`` and each one after it, the return events of the frames a
        stop unwinds included: those find the views taken and stop again."""
        if taken and (taken[0].mtree_at is not None or taken[0].qtree is None):
            raise StopRun
        q = state[0]
        board = q.board
        if not taken:
            taken.append(ViewsAt(None, None) if board is None else ViewsAt(qtree(board), query_pci(board)))
        events.append(seq + len(events))
        if board is None or q.memory_map.settled:
            if board is not None:
                taken[0] = replace(taken[0], mtree=flat_views(q.memory_map.spaces), mtree_at=events[-1])
            raise StopRun

    recorder = Recorder(watch=(seq, look))
    with recorder:
        try:
            run_qemu(argv[1:], host_profile=profile, on_start=state.append)
        except StopRun:
            pass
    differs = _first_difference(trace.events, recorder.events(), seq)
    if differs is not None:
        raise RerunError(f"this vmtrace does not reproduce the trace (event {differs} differs; it was recorded "
                         f"by vmtrace {trace.meta.vmtrace_version}), so its machine at event {seq} is unknown")
    return taken[0]
