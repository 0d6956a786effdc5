"""The model's machine against the real binary, for every harvested command line
(``model/data/machine/cases.jsonl``, from ``python -m model.harvest.machine``).

For each command line: the exit status and stderr byte for byte; and when QEMU came up,
``info qom-tree``, ``info qtree`` (byte for byte, rendered as the monitor prints them) and
``query-pci`` (as data), and ``info mtree -f`` (byte for byte, in the canonical block order,
from ``model/data/machine/mtree.jsonl``). A difference the model does not reproduce yet is a strict xfail with
the reason, so fixing it turns the test red until the entry is removed.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess

import pytest

from model.harvest.machine import CASES_FILE, HELP_FILE, read_jsonl, read_mtree
from model.harvest.session import BASE_ARGS
from model.run import ModelRun, run_qemu
from model.softmmu.qdev_monitor import user_creatable_buses
from tracer.machine.mtree import render_mtree
from tracer.machine.pci import pci_to_data
from tracer.machine.qomtree import render_qom_tree
from tracer.machine.qtree import render_qtree

HEADER, CASES = read_jsonl(CASES_FILE)
BY_KEY = {" ".join(c["args"]): c for c in CASES}


# case -> (reason, the views that differ); "status" is exit status + stderr.
KNOWN: dict[str, tuple[str, frozenset[str]]] = {}

VIEWS = ("status", "qom-tree", "qtree", "pci", "mtree")
MTREE = read_mtree()


@functools.cache
def model_run(key: str) -> ModelRun:
    return run_qemu([*HEADER["base_args"], *BY_KEY[key]["args"]])


def _params() -> list[object]:
    out: list[object] = []
    for key, case in BY_KEY.items():
        for view in VIEWS:
            if view != "status" and "qom_tree" not in case:
                continue
            reason, views = KNOWN.get(key, ("", frozenset()))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if view in views else []
            out.append(pytest.param(key, view, marks=marks, id=f"{view}: {key}"))
    return out


def _model_view(run: ModelRun, view: str) -> object:
    if view == "status":
        return run.exit_status, "".join(line + "\n" for line in run.stderr)
    if run.views is None:
        return None
    if view == "qom-tree":
        return render_qom_tree(run.views.qom_tree)
    if view == "qtree":
        return render_qtree(run.views.qtree)
    if view == "mtree":
        return None if run.mtree is None else render_mtree(run.mtree)
    return pci_to_data(run.views.pci)


def _binary_view(case: dict[str, object], view: str) -> object:
    if view == "status":
        return case["exit_status"], case["stderr"]
    if view == "mtree":
        return MTREE[tuple(case["args"])]  # type: ignore[arg-type]
    return case[{"qom-tree": "qom_tree", "qtree": "qtree", "pci": "pci"}[view]]


@pytest.mark.parametrize(("key", "view"), _params())
def test_machine_matches_the_binary(key: str, view: str) -> None:
    assert _model_view(model_run(key), view) == _binary_view(BY_KEY[key], view)


def test_the_harvest_is_large_enough_and_current() -> None:
    """At least 60 command lines came up; every known difference names a harvested case."""
    assert sum("qom_tree" in c for c in CASES) >= 60
    assert set(KNOWN) <= set(BY_KEY)
    assert HEADER["base_args"] == list(BASE_ARGS)


def _binary_version() -> str | None:
    binary = shutil.which("qemu-system-x86_64")
    if binary is None:
        return None
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
    return out.split()[3] if out.startswith("QEMU emulator version") else None


@pytest.mark.live
@pytest.mark.skipif(_binary_version() != HEADER["qemu_version"],
                    reason=f"needs qemu-system-x86_64 {HEADER['qemu_version']}")
def test_a_sample_still_matches_the_binary() -> None:
    """Re-harvest three cases spread over the list and compare with the committed records."""
    from model.harvest import machine  # deferred: the harvester imports the QMP client

    assert machine.main(["--check", "--only", "3"]) == 0


@pytest.mark.live
@pytest.mark.skipif(_binary_version() != HEADER["qemu_version"],
                    reason=f"needs qemu-system-x86_64 {HEADER['qemu_version']}")
def test_inferred_compat_properties_still_match_the_binary() -> None:
    from model.harvest import machine_compat  # deferred: the harvester imports the QMP client

    assert machine_compat.main(["--check"]) == 0


HELP_HEADER, HELPS = read_jsonl(HELP_FILE)


@pytest.mark.parametrize("record", HELPS, ids=lambda r: f"-device {r['device']},help")
def test_device_help_matches_the_binary(record: dict[str, object]) -> None:
    """``-device help`` and every catalogue device's ``-device NAME,help``, byte for byte."""
    arg = "help" if record["device"] == "help" else f"{record['device']},help"
    run = run_qemu([*HEADER["base_args"], "-device", arg])
    assert (run.exit_status, "".join(line + "\n" for line in run.stdout)) == (record["exit_status"], record["stdout"])


LISTED = sorted(name for name in user_creatable_buses() if not name.endswith("-x86_64-cpu"))


@pytest.mark.parametrize("driver", LISTED[::8])
def test_any_listed_device_is_created_or_refused_cleanly(driver: str) -> None:
    """Devices outside the catalogue get their properties and bus from the harvest: the model
    builds them or refuses them with a QEMU-style line, never with a Python error."""
    run = run_qemu([*HEADER["base_args"], "-machine", "q35", "-device", driver])
    assert run.exit_status in (0, 1)
    assert not run.stderr or run.stderr[0].startswith("qemu-system-x86_64: ")


def test_pci_view_is_json() -> None:
    run = model_run("-machine pc")
    assert run.views is not None
    assert json.loads(json.dumps(pci_to_data(run.views.pci)))[0]["bus"] == 0
