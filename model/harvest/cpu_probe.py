"""Shared plumbing for the x86 CPU harvesters: run QEMU, read the realized CPU, write JSON.

A *probe* is one run of the real binary with a command line: either QEMU exits before QMP is
up (a bad command line; we keep its exit status, stdout and stderr) or it comes up paused with
the first CPU realized, and we read that CPU's QOM properties before quitting it. Probes are
independent processes, so :func:`run_parallel` runs two at a time (the machines have 2 cores).
"""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from model.harvest.session import BASE_ARGS, QemuSession

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
WARNING_PREFIX = "qemu-system-x86_64: warning: "

T = TypeVar("T")
R = TypeVar("R")


# QemuSession reads QEMU's stdout and stderr while it runs (a long expansion session would
# otherwise fill the pipe and block QEMU); the name is kept for the harvesters that use it.
DrainingSession = QemuSession


@dataclass
class Probe:
    """What one run of the binary showed. ``props`` is empty when no CPU was realized."""

    args: list[str]
    exited: bool
    exit_status: int | None
    stdout: str
    stderr: str
    cpu_type: str | None = None
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()

    def warnings(self) -> list[str]:
        """The warning texts (without the ``qemu-system-x86_64: warning: `` prefix)."""
        return [line[len(WARNING_PREFIX):] for line in self.stderr_lines if line.startswith(WARNING_PREFIX)]


PropSelector = Callable[[list[dict[str, str]]], list[str]]


def all_props(listing: list[dict[str, str]]) -> list[str]:
    """Every property whose value QMP can show (links and child objects are skipped)."""
    return [p["name"] for p in listing if not p["type"].startswith(("link<", "child<"))
            and p["type"] != "GuestPanicInformation"]


def probe(args: Sequence[str], select: PropSelector | Iterable[str] = all_props,
          extra: Callable[[QemuSession, str], dict[str, Any]] | None = None, timeout: float = 30.0,
          base_args: Sequence[str] = BASE_ARGS) -> Probe:
    """Start QEMU with ``args``; read the first CPU's properties chosen by ``select``.

    ``select`` is either a list of property names or a function choosing them from the
    ``qom-list`` of the realized CPU. ``extra(session, qom_path)`` may run more QMP commands
    while QEMU is up; its result is merged into ``props``.
    """
    session = DrainingSession(list(args), base_args, timeout=timeout)
    done = session.try_start()
    if done is not None:
        return Probe(list(args), True, done.exit_status, done.stdout, done.stderr)
    try:
        cpus = session.cmd("query-cpus-fast")
        props: dict[str, Any] = {}
        cpu_type: str | None = None
        if cpus:
            path = cpus[0]["qom-path"]
            listing = session.cmd("qom-list", path=path)
            names = select(listing) if callable(select) else list(select)
            cpu_type = session.cmd("qom-get", path=path, property="type")
            for name in names:
                reply = session.cmd_raw("qom-get", path=path, property=name)
                props[name] = reply.get("return", {"error": reply.get("error", {}).get("desc")})
            if extra is not None:
                props.update(extra(session, path))
    finally:
        session.close()
    return Probe(list(args), False, None, "", session.stderr_text, cpu_type, props)


def run_parallel(func: Callable[[T], R], items: Sequence[T], label: str, workers: int = 2) -> list[R]:
    """``[func(x) for x in items]`` two at a time, with ``label n/total`` progress on stderr."""
    results: list[R] = []
    total = len(items)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for n, result in enumerate(pool.map(func, items), 1):
            results.append(result)
            if sys.stderr.isatty():
                print(f"\r{label}: {n}/{total}", end="\n" if n == total else "", file=sys.stderr, flush=True)
            elif n == total or n % 25 == 0:
                print(f"{label}: {n}/{total}", file=sys.stderr, flush=True)
    return results


def dump_json(obj: Any) -> str:
    """The one JSON spelling of every data file: sorted keys, one-space indent, final newline."""
    return json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(dump_json(obj), encoding="utf-8")
    tmp.replace(path)


def compare_text(path: Path, fresh: str) -> list[str]:
    """Differences between a committed file and a fresh harvest, as unified-diff lines."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old == fresh:
        return []
    return list(difflib.unified_diff(old.splitlines(), fresh.splitlines(), str(path), "fresh harvest",
                                     lineterm="", n=1))
