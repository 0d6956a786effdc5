"""CI and packaging: live tests skip (never fail) on a QEMU that is not the oracle's version,
and the host-profile capture runs from a plain install (``qemu.qmp`` is an optional extra)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def root_conftest() -> object:
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "tests" / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_live_tests_skip_with_the_reason_on_another_qemu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "qemu-system-x86_64"
    fake.write_text("#!/bin/sh\necho 'QEMU emulator version 8.2.2 (Debian 1:8.2.2+ds-0ubuntu1)'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    gate = root_conftest()
    reason = gate.live_skip_reason()  # type: ignore[attr-defined]
    assert reason is not None and "8.2.2" in reason and "7.2.22" in reason
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    gate = root_conftest()
    assert gate.live_skip_reason() == "qemu-system-x86_64 is not installed"  # type: ignore[attr-defined]


BLOCK_QMP = """
import sys
sys.modules["qemu"] = None          # as if the qmp extra were not installed
sys.modules["qemu.qmp"] = None
from model.harvest import host_profile
sys.exit(host_profile.main(sys.argv[1:]))
"""


def test_host_profile_capture_works_without_qemu_qmp(tmp_path: Path) -> None:
    out = tmp_path / "host.json"
    done = subprocess.run([sys.executable, "-c", BLOCK_QMP, "-o", str(out), "--cpuinfo"], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["method"] == "cpuinfo"


def test_the_exact_capture_names_the_extra_when_qemu_qmp_is_missing(tmp_path: Path) -> None:
    code = BLOCK_QMP.replace("sys.exit(host_profile.main(sys.argv[1:]))",
                             "try:\n    host_profile.from_kvm('x')\nexcept host_profile.CaptureError as exc:\n"
                             "    print(exc)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "pip install 'vmtrace[qmp]'" in done.stdout and done.stdout.count("\n") == 1
