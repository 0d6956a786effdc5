"""Reading and writing vmtrace files: the one reader of the format.

A trace may come from someone else, so loading checks everything a view relies on (the format
name and version, field types, and that ``seq``/``parent``/``depth``/``call`` describe a well
formed nesting) and reports the first problem as one line naming the file. Saving writes a
temporary file next to the target and renames it, so a crash never leaves half a trace.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import msgspec

from tracer.trace import FORMAT_NAME, FORMAT_VERSION, Event, Trace


class TraceFormatError(Exception):
    """A file that is not a trace this version of vmtrace can read; the message is one line."""

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class _Header(msgspec.Struct):
    """Just enough of a document to tell a foreign or newer file from a damaged one."""

    format: object = None
    version: object = None


_decoder = msgspec.json.Decoder(Trace)
_header_decoder = msgspec.json.Decoder(_Header)
_encoder = msgspec.json.Encoder()


def decode_trace(data: bytes, path: str | os.PathLike[str] = "<bytes>") -> Trace:
    """Parse and validate a trace document held in memory."""
    try:
        trace = _decoder.decode(data)
    except msgspec.ValidationError as exc:
        _check_header(data, path)
        raise TraceFormatError(path, f"invalid trace: {exc}") from None
    except msgspec.DecodeError as exc:
        problem = str(exc)
        if "truncated" in problem.lower() or not data.strip():
            problem = "truncated or empty file (not a complete JSON document)"
        raise TraceFormatError(path, f"malformed JSON: {problem}") from None
    _check_identity(trace.format, trace.version, path)
    nesting_problem = check_nesting(trace.events)
    if nesting_problem:
        raise TraceFormatError(path, nesting_problem)
    return trace


def load_trace(path: str | os.PathLike[str]) -> Trace:
    """Read a trace file; any problem is a :class:`TraceFormatError`, never a traceback."""
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise TraceFormatError(path, "is a directory, not a trace file") from None
    except OSError as exc:
        raise TraceFormatError(path, str(exc.strerror or exc)) from None
    return decode_trace(data, path)


def encode_trace(trace: Trace) -> bytes:
    """The document's bytes: compact JSON, fields in format order."""
    return _encoder.encode(trace)


def save_trace(trace: Trace, path: str | os.PathLike[str]) -> None:
    """Write atomically: a temporary file in the target's directory, then a rename."""
    write_atomic(Path(path), encode_trace(trace))


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it over ``target``,
    so a crash never leaves half a file (traces and exports alike)."""
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a trace is an ordinary file
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_header(data: bytes, path: str | os.PathLike[str]) -> None:
    """Prefer 'unknown version' over a field-type complaint for a newer or foreign file."""
    try:
        header = _header_decoder.decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return
    _check_identity(header.format, header.version, path)


def _check_identity(fmt: object, version: object, path: str | os.PathLike[str]) -> None:
    if fmt != FORMAT_NAME:
        raise TraceFormatError(path, f"not a vmtrace file (format is {fmt!r}, expected {FORMAT_NAME!r})")
    if version != FORMAT_VERSION:
        raise TraceFormatError(
            path, f"unsupported trace format version {version!r} (this vmtrace reads version {FORMAT_VERSION})"
        )


def check_nesting(events: list[Event]) -> str | None:
    """Return the first inconsistency in the event nesting, or None when it is well formed.

    One forward pass with an explicit stack of open calls: no recursion, so the depth of a
    hostile file cannot exhaust Python's stack.
    """
    open_calls: list[int] = []
    for i, ev in enumerate(events):
        if ev.seq != i:
            return f"event {i}: seq is {ev.seq}, expected {i}"
        expected_parent = open_calls[-1] if open_calls else -1
        kind = ev.kind
        if kind == "return" or kind == "error":
            if not open_calls or ev.call != open_calls[-1]:
                return f"event {i}: {kind} closes call {ev.call}, but the open call is {expected_parent}"
            open_calls.pop()
            expected_parent = open_calls[-1] if open_calls else -1
            if events[ev.call].fn != ev.fn:
                return f"event {i}: {kind} of {ev.fn!r} closes a call of {events[ev.call].fn!r}"
        if ev.parent != expected_parent:
            return f"event {i}: parent is {ev.parent}, expected {expected_parent}"
        if ev.depth != len(open_calls):
            return f"event {i}: depth is {ev.depth}, expected {len(open_calls)}"
        if kind == "call":
            open_calls.append(i)
    return None
