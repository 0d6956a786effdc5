"""How the modelled binary reports problems: QEMU's ``error_report``/``warn_report`` and ``exit``.

QEMU prints ``qemu-system-x86_64: [LOCATION: ]message`` where LOCATION is the command-line
option being processed (``-m 5x``) while options are parsed, and nothing once ``loc_set_none``
has run. ``exit()`` in QEMU never returns; in the model it is the :class:`QemuExit` exception,
which unwinds every traced frame (each closes with an ``error`` event) up to ``main``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.softmmu.msg import timestamp_now
from tracer.recorder import point

PROGNAME = "qemu-system-x86_64"


class QemuExit(BaseException):
    """``exit(status)``: a BaseException so model code cannot swallow it by accident."""

    def __init__(self, status: int) -> None:
        super().__init__(f"exit({status})")
        self.status = status


class QemuError(Exception):
    """An ``Error *`` on its way up to ``error_fatal``/``error_abort``: the message QEMU prints."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class Console:
    """The process's stdout, stderr and current error location (QEMU's ``Location`` stack)."""

    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    location: str | None = None
    # -msg timestamp=on / guest-name=on (with -name guest=...): prefixes of every report line.
    timestamp: bool = False
    guest_name_enabled: bool = False
    guest_name: str | None = None

    def print_out(self, text: str) -> None:
        """Append text written to stdout, split into lines (a trailing newline ends a line)."""
        self.stdout.extend(text.splitlines())

    def _report(self, kind: str, message: str) -> None:
        """The program name, the location if any, then the message (QEMU's error_vprintf)."""
        prefix = f"{PROGNAME}: " + (f"{self.location}: " if self.location else "")
        if self.guest_name_enabled and self.guest_name:
            prefix = f"{self.guest_name} {prefix}"
        if self.timestamp:
            prefix = timestamp_now() + prefix
        self.stderr.extend((prefix + ("warning: " if kind == "warn_report" else "") + message).split("\n"))
        point(kind, message)

    def error_report(self, message: str) -> None:
        """``error_report``: ``qemu-system-x86_64: [LOCATION: ]message``."""
        self._report("error_report", message)

    def warn_report(self, message: str) -> None:
        """``warn_report``: like error_report with ``warning: `` before the message."""
        self._report("warn_report", message)

    def error_printf(self, text: str) -> None:
        """``error_printf``: raw text on stderr (used for hints after an error)."""
        self.stderr.extend(text.rstrip("\n").split("\n"))

    def fatal(self, err: QemuError) -> QemuExit:
        """``error_fatal``: report the error (and its hint) and return the exit to raise."""
        self.error_report(err.message)
        if err.hint:
            self.error_printf(err.hint)
        return QemuExit(1)
