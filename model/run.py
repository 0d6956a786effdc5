"""Run the model on a command line: the one entry point the tracer and the tests use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from model.errors import PROGNAME, QemuExit
from model.hw.core.views import MachineViews, machine_views
from model.softmmu.memory_region import flat_views
from model.softmmu.vl import main
from model.state import QemuInit
from model.target_i386.qom_view import cpu_properties
from tracer.machine.mtree import FlatViewBlock


@dataclass
class ModelRun:
    """What the modelled binary did, and what it built."""

    exit_status: int
    stdout: list[str]
    stderr: list[str]
    machine: str | None
    cpu: dict[str, Any] | None
    types: list[dict[str, Any]] = field(default_factory=list)
    # The machine as the monitor shows it once startup is done (None if startup failed).
    views: MachineViews | None = None
    # ``info mtree -f`` once startup is done, from the address spaces the run built step by
    # step (model.softmmu.physmem); None if startup failed.
    mtree: tuple[FlatViewBlock, ...] | None = None


def run_qemu(args: Sequence[str], host_profile: dict[str, Any] | None = None,
             on_start: Callable[[QemuInit], None] | None = None) -> ModelRun:
    """Model ``qemu-system-x86_64 ARGS`` up to the main loop (args exclude the program name).

    ``on_start`` receives the process state before ``main`` runs, for a caller that looks at
    it mid-run (``vmtrace info --at``)."""
    q = QemuInit(argv=[PROGNAME, *args], host_profile=host_profile)
    if on_start is not None:
        on_start(q)
    try:
        status = main(q)
    except QemuExit as done:  # pragma: no cover - main() catches it; kept for safety
        status = done.status
    machine = q.machine.klass.fields.get("name") if q.machine is not None else None
    cpu = cpu_properties(q.cpus[0]) if q.cpus and status == 0 else None
    types = [{"name": t.name, "parent": t.info.parent, "abstract": t.info.abstract,
              "interfaces": list(t.info.interfaces), "hooks": t.info.hook_names()} for t in q.types.types.values()]
    views = machine_views(q.board) if q.board is not None and status == 0 else None
    mtree = flat_views(q.memory_map.spaces) if q.board is not None and status == 0 else None
    return ModelRun(status, q.console.stdout, q.console.stderr, machine, cpu, types, views, mtree)
