"""What a ``-device`` option leaves for device creation (QEMU keeps these in QemuOpts and a list)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DeviceOption:
    """One ``-device``: where it was given (for error locations) and its properties in order."""

    location: str
    props: dict[str, Any] = field(default_factory=dict)
    from_json: bool = False
    help: bool = False
