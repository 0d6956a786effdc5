"""``-msg timestamp=on,guest-name=on`` (softmmu/vl.c ``configure_msg``, util/qemu-error.c).

QEMU's ``error_report``/``warn_report`` put the current time (``g_time_val_to_iso8601``: UTC,
microseconds, ``Z``) before the program name of every report line when ``timestamp=on``, and
the guest's name (``-name guest=...``) after it when ``guest-name=on``. Raw ``error_printf``
text (hints, help) gets neither. The time differs on every run, so conformance compares the
shape: :func:`mask_timestamps` replaces each timestamp with :data:`TIMESTAMP_MASK`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

TIMESTAMP_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z ")
TIMESTAMP_MASK = "YYYY-MM-DDTHH:MM:SS.UUUUUUZ "


def timestamp_now() -> str:
    """The prefix QEMU prints with ``-msg timestamp=on``, e.g. ``2026-12-06T03:15:54.938840Z ``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ ")


def mask_timestamps(lines: list[str]) -> list[str]:
    """Each line with a leading ``-msg timestamp=on`` time replaced by the fixed mask."""
    return [TIMESTAMP_RE.sub(TIMESTAMP_MASK, line, count=1) for line in lines]
