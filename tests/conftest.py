"""Suite-wide rules. Live tests (marker ``live``) compare the model with the real binary, which
is only the oracle in the version the harvested data came from: on any other QEMU (a
distribution that ships 8.x, say) they skip with the reason instead of failing, and the
committed data stays the reference."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess

import pytest

ORACLE_VERSION = "7.2.22"


@functools.cache
def live_skip_reason() -> str | None:
    """None when ``qemu-system-x86_64 --version`` is the oracle's version, else why not."""
    binary = shutil.which("qemu-system-x86_64")
    if binary is None:
        return "qemu-system-x86_64 is not installed"
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"qemu-system-x86_64 --version failed: {exc}"
    match = re.search(r"version (\d+\.\d+\.\d+)", done.stdout)
    found = match.group(1) if match else "unknown"
    if found != ORACLE_VERSION:
        return f"qemu-system-x86_64 is {found}; live tests compare with QEMU {ORACLE_VERSION} (the harvested data)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    live = [item for item in items if item.get_closest_marker("live") is not None]
    if not live:
        return
    reason = live_skip_reason()
    if reason is not None:
        for item in live:
            item.add_marker(pytest.mark.skip(reason=reason))
