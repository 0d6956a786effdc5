"""Reading QEMU's per-bit feature warnings (``PREFIX: CPUID.07H:EBX.avx512f [bit 16]``).

Both the feature harvest (which bits exist, which TCG filters) and the dependency-table
reconstruction (which bits a missing parent clears) learn from these lines, so the parser
lives here, where each can import it without importing the other.
"""

from __future__ import annotations

import re

WARN_RE = re.compile(r"^(?P<prefix>.*): (?P<label>CPUID\.[0-9A-F]+H:E[A-D]X|MSR\([0-9A-F]+H\))"
                     r"\.(?P<name>\S+) \[bit (?P<bit>\d+)\]$")


def parse_warning(line: str) -> tuple[str, str, str, int] | None:
    """``(prefix, label, name, bit)`` of a feature warning, or None for any other warning."""
    m = WARN_RE.match(line)
    if m is None:
        return None
    return m["prefix"], m["label"], m["name"], int(m["bit"])
