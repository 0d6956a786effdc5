"""Host CPU profiles: what ``-cpu host`` and ``-cpu max`` see under (modelled) KVM.

KVM cannot run where vmtrace runs, so "the host" is a JSON profile of a real CPU: vendor,
family, model, stepping, model-id, the CPUID levels KVM reports, physical address bits, the TSC
frequency (0 when it was not recorded), the feature names KVM offers for ``-cpu host`` and
``xcr0``, the XSAVE components KVM offers (see :mod:`model.target_i386.xsave`; when a profile
omits it, every component its features use, as a Linux host enables them).
vmtrace ships profiles built from public recordings of real machines (libvirt's test data:
QEMU's own expansion of ``host`` under KVM and raw CPUID dumps); each file says where it came
from in ``source``. ``--host-profile NAME`` picks a shipped one, ``--host-profile FILE`` reads
one captured with ``python -m model.harvest.host_profile``; the default is
:data:`DEFAULT_HOST`, a modern server CPU, so a libvirt command line under ``-accel kvm`` is
not drowned in warnings about features a real server has.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model.data_files import DATA_DIR
from model.state import QemuInit
from model.target_i386.xsave import default_xcr0

HOSTS_DIR = DATA_DIR / "hosts"
DEFAULT_HOST = "EPYC-7713"
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
    source: str = ""
    # Offered by KVM but never enabled by -cpu host itself (QEMU's no_autoenable_flags).
    kvm_extra: frozenset[str] = frozenset()
    # XSAVE components (XCR0 bits) KVM supports on this host; None: derived from the features.
    xcr0_bits: int | None = None

    @property
    def xcr0(self) -> int:
        """The XCR0 mask KVM reports for this host (CPUID 0xD.0 EDX:EAX of KVM's supported CPUID)."""
        return default_xcr0(self.features) if self.xcr0_bits is None else self.xcr0_bits

    def offers(self, feature: str) -> bool:
        """Whether KVM on this host reports ``feature`` (a canonical QEMU feature name)."""
        return feature in self.features


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
            tsc_frequency=int(data.get("tsc_frequency", 0)), source=_source_line(data.get("source")),
            kvm_extra=frozenset(str(f) for f in data.get("kvm_extra", [])),
            xcr0_bits=_xcr0(data.get("xcr0")),
        )
    except (TypeError, ValueError) as exc:
        raise HostProfileError(f"{source}: bad field value ({exc})") from None


def _xcr0(value: Any) -> int | None:
    """``xcr0`` as a number or a hex string such as ``"0x207"``; absent means derived."""
    if value is None:
        return None
    bits = int(value, 0) if isinstance(value, str) else int(value)
    if not 0 <= bits < 1 << 64:
        raise ValueError(f"xcr0 {value!r} is not a 64-bit mask")
    return bits


def load_profile(path: str | Path) -> HostProfile:
    try:
        data = json.loads(Path(path).read_text())
    except OSError as exc:
        raise HostProfileError(f"{path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise HostProfileError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    return parse_profile(data, str(path))


def _source_line(source: Any) -> str:
    """A one-line provenance: the repository, commit and files a shipped profile came from."""
    if isinstance(source, dict):
        files = ", ".join(str(f) for f in source.get("files", []))
        where = " ".join(str(source[k]) for k in ("repo", "commit") if k in source)
        return f"{where}: {files}" if files else str(source.get("captured_by", where))
    return "" if source is None else str(source)


def shipped_profiles() -> list[HostProfile]:
    """Every profile in ``model/data/hosts``, by name."""
    return list(_shipped_profiles())


@functools.cache
def _shipped_profiles() -> tuple[HostProfile, ...]:
    """The shipped files, read once per process: every recording resolves its profile by name,
    and profiles are frozen, so one parse serves them all."""
    return tuple(sorted((load_profile(path) for path in HOSTS_DIR.glob("*.json")), key=lambda p: p.name.lower()))


def resolve_profile(spec: str) -> HostProfile:
    """``--host-profile SPEC``: a shipped profile's name (any case), else a profile file."""
    for profile in shipped_profiles():
        if profile.name.lower() == spec.lower():
            return profile
    path = Path(spec)
    if not path.exists() and path.suffix != ".json" and "/" not in spec:
        names = ", ".join(p.name for p in shipped_profiles())
        raise HostProfileError(f"{spec}: no such host profile (shipped: {names}) and no such file")
    return load_profile(path)


def default_profile() -> HostProfile:
    return resolve_profile(DEFAULT_HOST)


def host_profile(q: QemuInit) -> HostProfile:
    """The run's profile: the one given to the model, else the shipped default."""
    if q.host_profile is not None:
        return parse_profile(q.host_profile, "host profile")
    return default_profile()
