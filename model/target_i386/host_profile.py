"""Host CPU profiles: what ``-cpu host`` and ``-cpu max`` see under (modelled) KVM.

KVM cannot run where vmtrace runs, so the host is a JSON profile captured once from a real
machine with ``python -m model.harvest.host_profile`` (see the README): vendor, family, model,
stepping, model-id, CPUID levels, physical address bits, the TSC frequency KVM reports, and the
feature names KVM supports.
``vmtrace record --host-profile FILE`` picks one; the shipped default was captured on the
machine vmtrace was developed on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model.data_files import DATA_DIR
from model.state import QemuInit

DEFAULT_PROFILE = DATA_DIR / "hosts" / "default.json"
REQUIRED = ("name", "vendor", "family", "model", "stepping", "model_id", "level", "xlevel", "phys_bits",
            "features")


class HostProfileError(ValueError):
    """A profile file that cannot be used; the message is one line."""


@dataclass(frozen=True)
class HostProfile:
    name: str
    vendor: str
    family: int
    model: int
    stepping: int
    model_id: str
    level: int
    xlevel: int
    phys_bits: int
    features: frozenset[str]
    method: str = "unknown"
    tsc_frequency: int = 0


def parse_profile(data: Any, source: str) -> HostProfile:
    """Validate a decoded profile document."""
    if not isinstance(data, dict):
        raise HostProfileError(f"{source}: a host profile is a JSON object")
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise HostProfileError(f"{source}: missing field(s): {', '.join(missing)}")
    try:
        return HostProfile(
            name=str(data["name"]), vendor=str(data["vendor"]), family=int(data["family"]),
            model=int(data["model"]), stepping=int(data["stepping"]), model_id=str(data["model_id"]),
            level=int(data["level"]), xlevel=int(data["xlevel"]), phys_bits=int(data["phys_bits"]),
            features=frozenset(str(f) for f in data["features"]), method=str(data.get("method", "unknown")),
            tsc_frequency=int(data.get("tsc_frequency", 0)),
        )
    except (TypeError, ValueError) as exc:
        raise HostProfileError(f"{source}: bad field value ({exc})") from None


def load_profile(path: str | Path) -> HostProfile:
    try:
        data = json.loads(Path(path).read_text())
    except OSError as exc:
        raise HostProfileError(f"{path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise HostProfileError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    return parse_profile(data, str(path))


def host_profile(q: QemuInit) -> HostProfile:
    """The run's profile: the one given to the model, else the shipped default."""
    if q.host_profile is not None:
        return parse_profile(q.host_profile, "host profile")
    return load_profile(DEFAULT_PROFILE)
