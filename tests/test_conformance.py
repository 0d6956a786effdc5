"""The model against the real binary, field by field, on harvested command lines.

Expectations were harvested from qemu-system-x86_64 7.2 by ``model/harvest/conformance.py``
and ``model/harvest/init_cases.py`` (regenerate or ``--check`` them with those modules); these
tests need no QEMU. A case passes when exit status, stdout, every stderr line, the CPU type,
every feature bit and every harvested property equal the binary's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from model.run import run_qemu
from model.softmmu.msg import mask_timestamps
from model.target_i386.qom_view import feature_names

CONFORMANCE = Path(__file__).parent / "conformance"

# Known differences, each with its reason; a strict xfail, so one that starts passing fails the
# suite and must be removed from here.
KNOWN: dict[tuple[str, ...], str] = {
    ("-d", "int,cpu_reset,guest_errors"):
        "-d cpu_reset logs each CPU's register file at reset; the model keeps no register state to print",
}


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CONFORMANCE / name).read_text())
    return data


def _params(name: str) -> list[Any]:
    doc = _load(name)
    params = []
    for case in doc["cases"]:
        args = tuple(case["args"])
        marks = [pytest.mark.xfail(reason=KNOWN[args], strict=True)] if args in KNOWN else []
        base = case.get("base_args", doc["base_args"])  # a few cases choose the accelerator themselves
        params.append(pytest.param(base, case, id=" ".join(args) or "(none)", marks=marks))
    return params


def mismatches(base_args: list[str], case: dict[str, Any]) -> list[str]:
    """Every field where the model differs from the binary (empty when it conforms)."""
    expect = case["expect"]
    run = run_qemu([*base_args, *case["args"]])
    problems = []
    want_status = 0 if expect["status"] == "running" else expect["exit_status"]
    if run.exit_status != want_status:
        problems.append(f"exit status {run.exit_status} != {want_status}")
    stderr = mask_timestamps(run.stderr)  # -msg timestamp=on: compared by shape, as harvested
    if stderr != expect["stderr"]:
        problems.append(f"stderr {stderr} != {expect['stderr']}")
    if expect["status"] == "exited":
        stdout = "\n".join(run.stdout) + ("\n" if run.stdout else "")
        if stdout != expect["stdout"]:
            problems.append("stdout differs")
    cpu = expect.get("cpu")
    if cpu:
        if run.cpu is None:
            return [*problems, "no CPU realized"]
        if run.cpu["type"] != cpu["qom_type"]:
            problems.append(f"type {run.cpu['type']} != {cpu['qom_type']}")
        on = {n for n in feature_names() if run.cpu.get(n)}
        if on != set(cpu["features_on"]):
            problems.append(f"features: extra {sorted(on - set(cpu['features_on']))}, "
                            f"missing {sorted(set(cpu['features_on']) - on)}")
        problems += [f"{k}: {run.cpu.get(k)!r} != {v!r}" for k, v in cpu["props"].items() if run.cpu.get(k) != v]
    return problems


@pytest.mark.parametrize(("base_args", "case"), _params("cases.json"))
def test_cpu_command_line_matches_binary(base_args: list[str], case: dict[str, Any]) -> None:
    assert mismatches(base_args, case) == []


@pytest.mark.parametrize(("base_args", "case"), _params("models.json"))
def test_every_model_plain_on_pc_matches_binary(base_args: list[str], case: dict[str, Any]) -> None:
    assert mismatches(base_args, case) == []


@pytest.mark.parametrize(("base_args", "case"), _params("init_cases.json"))
def test_qemu_init_command_line_matches_binary(base_args: list[str], case: dict[str, Any]) -> None:
    assert mismatches(base_args, case) == []


def test_every_listed_model_is_covered() -> None:
    """All 132 models of `-cpu help` have a plain case on pc."""
    listed = [line.split()[1] for line in (Path(__file__).parent.parent / "model" / "data" / "x86_cpu_help.txt")
              .read_text().splitlines() if line.startswith("x86 ")]
    covered = {case["args"][-1] for case in _load("models.json")["cases"]}
    assert len(listed) == 132
    assert set(listed) <= covered
