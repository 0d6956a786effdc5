"""A QMP session with a paused, display-less, network-less QEMU, via QEMU's own ``qemu.qmp``.

QEMU is started with ``-accel tcg -S -display none -nodefaults`` and connects back to a unix
socket we listen on, so nothing depends on QEMU's stdio. Never started with network options.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from qemu.qmp.legacy import QEMUMonitorProtocol

QEMU_BINARY = "qemu-system-x86_64"
BASE_ARGS = ("-accel", "tcg", "-S", "-display", "none", "-nodefaults")


def _drain(stream: IO[str] | None, sink: list[str]) -> None:
    if stream is not None:
        sink.extend(iter(stream.readline, ""))


class HarvestError(RuntimeError):
    """QEMU could not be started or did not answer as expected."""


def qemu_binary() -> str | None:
    """The path of the real binary, or None when it is not installed."""
    return shutil.which(os.environ.get("VMTRACE_QEMU", QEMU_BINARY))


@dataclass(frozen=True)
class Completed:
    """The outcome of running the binary to completion (no QMP): what a user would see."""

    exit_status: int
    stdout: str
    stderr: str


def run_binary(args: Sequence[str], timeout: float = 60.0) -> Completed:
    """Run ``qemu-system-x86_64 ARGS`` to completion and capture its output.

    Used for help texts and for command lines that fail before QMP would come up.
    """
    binary = qemu_binary()
    if binary is None:
        raise HarvestError("qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)")
    proc = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, check=False)
    return Completed(proc.returncode, proc.stdout, proc.stderr)


class QemuSession:
    """``with QemuSession(["-machine", "pc"]) as qmp: qmp.cmd("query-machines")``.

    If QEMU exits before connecting (a bad command line), :attr:`early_exit` holds what it
    printed and the session raises :class:`HarvestError`; use :meth:`try_start` to get that
    outcome instead of an exception.
    """

    def __init__(self, args: Sequence[str] = (), base_args: Sequence[str] = BASE_ARGS, timeout: float = 30.0):
        self.args = list(args)
        self.base_args = list(base_args)
        self.timeout = timeout
        self._dir = tempfile.TemporaryDirectory(prefix="vmtrace-qmp-")
        self._sock = str(Path(self._dir.name) / "qmp.sock")
        self._proc: subprocess.Popen[str] | None = None
        self._qmp: QEMUMonitorProtocol | None = None
        self.early_exit: Completed | None = None
        self.stderr_text = ""

    def start(self) -> QemuSession:
        binary = qemu_binary()
        if binary is None:
            raise HarvestError("qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)")
        self._qmp = QEMUMonitorProtocol(self._sock, server=True)
        argv = [binary, *self.base_args, "-qmp", f"unix:{self._sock}", *self.args]
        self._proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True)
        # Read both pipes while QEMU runs: it writes a warning per filtered feature, and a long
        # session would otherwise fill the pipe and block QEMU in write().
        self._out: list[str] = []
        self._err: list[str] = []
        self._readers = [threading.Thread(target=_drain, args=(stream, sink), daemon=True)
                         for stream, sink in ((self._proc.stdout, self._out), (self._proc.stderr, self._err))]
        for reader in self._readers:
            reader.start()
        try:
            self._qmp.accept(timeout=self.timeout)
        except Exception as exc:
            self._proc.wait(timeout=self.timeout)
            self._join()
            self.early_exit = Completed(self._proc.returncode, "".join(self._out), "".join(self._err))
            self._qmp = None
            raise HarvestError(f"QEMU did not connect: {''.join(self._err).strip() or exc}") from None
        return self

    def try_start(self) -> Completed | None:
        """Start QEMU; what it printed and its status when it exited before connecting (a bad
        command line is an outcome to record, not an error), None when it is up. Any other
        failure to start still raises :class:`HarvestError`."""
        try:
            self.start()
        except HarvestError:
            if self.early_exit is None:
                raise
            return self.early_exit
        return None

    def _join(self) -> None:
        for reader in self._readers:
            reader.join(timeout=self.timeout)

    def __enter__(self) -> QemuSession:
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def cmd(self, name: str, **arguments: Any) -> Any:
        """Run a QMP command and return its ``return`` value; QMP errors raise HarvestError."""
        if self._qmp is None:
            raise HarvestError("session is not started")
        reply: Any = self._qmp.cmd_raw(name, arguments or None)
        if "error" in reply:
            raise HarvestError(f"{name}: {reply['error'].get('desc', reply['error'])}")
        return reply["return"]

    def cmd_raw(self, name: str, **arguments: Any) -> Any:
        """The whole reply (``return`` or ``error``), for harvesting error texts."""
        if self._qmp is None:
            raise HarvestError("session is not started")
        return self._qmp.cmd_raw(name, arguments or None)

    def close(self) -> None:
        """Quit QEMU, collect its stderr (warnings printed while starting) and clean up."""
        if self._qmp is not None:
            try:
                self._qmp.cmd_raw("quit", None)
            except Exception:  # QEMU may close the socket while answering quit
                pass
            try:
                self._qmp.close()
            except Exception:
                pass
            self._qmp = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._join()
            self.stderr_text = "".join(self._err)
            self._proc = None
        self._dir.cleanup()


def qemu_version() -> str:
    """The binary's version as QMP reports it, e.g. ``7.2.22``."""
    with QemuSession(["-machine", "none"]) as qmp:
        info = qmp.cmd("query-version")
    q = info["qemu"]
    return f"{q['major']}.{q['minor']}.{q['micro']}"
