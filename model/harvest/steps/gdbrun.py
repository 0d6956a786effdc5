"""Run the real binary once under gdb and return what the breakpoints logged.

The raw log is a list of rows: ``call`` (function and decoded arguments), ``type`` (a TypeInfo
seen by ``type_new``: name, parent, abstract, hook addresses), ``hook`` (kind, address, the
class or object type it ran for), ``end`` (a bounded function returned) and ``exit``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.harvest.session import BASE_ARGS, HarvestError, qemu_binary
from model.harvest.steps.vocabulary import ENDS, STOP_AT, WATCHED

GDB_SCRIPT = Path(__file__).resolve().parent / "gdbscript.py"


@dataclass
class RawRun:
    """One observed run: the breakpoint log, the exit status (None: stopped at the main loop)
    and what the binary printed."""

    rows: list[list[Any]]
    exit_status: int | None
    stdout: str
    stderr: str
    hooks: dict[int, str] = field(default_factory=dict)
    walk: list[str] = field(default_factory=list)


def gdb_binary() -> str | None:
    return shutil.which("gdb")


def run_under_gdb(args: Sequence[str], known_hooks: dict[int, str] | None = None, timeout: float = 120.0,
                  walk: bool = False) -> RawRun:
    """Run ``qemu-system-x86_64 BASE_ARGS ARGS`` under gdb until it exits or reaches its main loop.

    ``known_hooks`` (address -> kind, from an earlier run) lets the script watch the
    executable's hooks from the first instruction instead of stopping at each registration
    that brings a new one: the log is the same, the run is faster.
    """
    binary, gdb = qemu_binary(), gdb_binary()
    if binary is None or gdb is None:
        raise HarvestError("the steps harvester needs qemu-system-x86_64 and gdb (apt-get install qemu-system-x86 gdb)")
    with tempfile.TemporaryDirectory(prefix="vmtrace-steps-") as tmp:
        work = Path(tmp)
        config = {
            "binary": binary, "argv": [*BASE_ARGS, *args],
            "out": str(work / "log.jsonl"), "stdout": str(work / "stdout"), "stderr": str(work / "stderr"),
            "watch": {name: [how for _, how in args] for name, args in WATCHED.items()},
            "stop_at": [STOP_AT], "finish": list(ENDS),
            "known_hooks": {str(addr): kind for addr, kind in (known_hooks or {}).items()},
            "walk": walk,
        }
        (work / "config.json").write_text(json.dumps(config))
        try:
            proc = subprocess.run([gdb, "-batch", "-nx", "-x", str(GDB_SCRIPT)], capture_output=True, text=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL, check=False, cwd=tmp,
                                  env=_env(work / "config.json"))
        except subprocess.TimeoutExpired as err:
            raise HarvestError(f"gdb did not finish within {timeout:.0f} s for {' '.join(args)}") from err
        log = work / "log.jsonl"
        if not log.exists():
            raise HarvestError(f"gdb failed for {' '.join(args)}: {proc.stderr.strip()[-400:]}")
        rows = [json.loads(line) for line in log.read_text().splitlines()]
        if not rows or rows[-1][0] != "exit":
            raise HarvestError(f"gdb stopped early for {' '.join(args)}: {proc.stderr.strip()[-400:]}")
        stdout = (work / "stdout").read_text(errors="replace")
        stderr = (work / "stderr").read_text(errors="replace")
    hooks = {addr: kind for row in rows if row[0] == "type" for kind, addr in row[4].items()}
    return RawRun(rows=[r for r in rows[:-1] if r[0] != "visit"], exit_status=rows[-1][1], stdout=stdout,
                  stderr=stderr, hooks=hooks, walk=first_walk(rows))


def first_walk(rows: list[list[Any]]) -> list[str]:
    """The names the first type-table walk visited (a walk visits each entry once, so the
    first name seen again starts the next walk)."""
    walk: list[str] = []
    seen: set[str] = set()
    for row in rows:
        if row[0] == "visit":
            if row[1] in seen:
                break
            seen.add(row[1])
            walk.append(row[1])
    return walk


def _env(config: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["VMTRACE_STEPS_CONFIG"] = str(config)
    return env
