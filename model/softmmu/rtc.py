"""``-rtc base=utc|localtime|DATE,clock=host|rt|vm,driftfix=none|slew`` (softmmu/rtc.c).

The option is parsed into its QemuOpts list when read (unknown parameters fail there, with
the option as location); ``configure_rtc`` checks the values once the machine exists, with no
location, as QEMU prints them.
"""

from __future__ import annotations

import re

from model.errors import QemuError
from model.state import QemuInit
from tracer.recorder import traced

_DATE = re.compile(r"^\d+-\d+-\d+(T\d+:\d+:\d+)?$")


@traced("softmmu/rtc.c", args=lambda q: {"rtc": dict(q.other.rtc)})
def configure_rtc(q: QemuInit) -> None:
    """The base date (``utc``, ``localtime`` or an ISO date or date-time), the clock, the drift fix."""
    opts = q.other.rtc
    base = opts.get("base")
    if base is not None and base not in ("utc", "localtime") and not _DATE.match(base):
        raise QemuError("invalid datetime format", hint="valid formats: '2006-06-17T16:01:21' or '2006-06-17'")
    clock = opts.get("clock")
    if clock is not None and clock not in ("host", "rt", "vm"):
        raise QemuError(f"invalid option value '{clock}'")
    driftfix = opts.get("driftfix")
    if driftfix is not None and driftfix not in ("slew", "none"):
        raise QemuError(f"invalid option value '{driftfix}'")
