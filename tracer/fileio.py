"""Reading and writing vmtrace files: the one reader of the format, and the one writer of outputs.

A trace may come from someone else, so loading reads only a regular file no larger than a limit
(checked before reading: :func:`max_trace_size`, ``VMTRACE_MAX_TRACE_SIZE``), then checks
everything a view relies on (:mod:`tracer.trace_checks`), and reports the first problem as one
line naming the file. A FIFO, a device or a directory is refused at once instead of blocking.

Writing (:func:`write_output`) replaces a regular file atomically: a temporary file beside it,
renamed over it, with the old file's mode and owner, so a crash never leaves half a file. The
temporary is named ``.NAME.vmtrace-PID-XXXXXXXX.tmp``: a later write to the same target removes
leftovers whose process is gone (after ``kill -9``). Anything else at the path (a device such
as ``/dev/null``, a FIFO, a symlink to one, ``/proc/self/fd/1``) is written through, never
replaced; a directory is refused.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from pathlib import Path

import msgspec

from tracer.labels import short
from tracer.trace import FORMAT_NAME, FORMAT_VERSION, Trace
from tracer.trace_checks import check_nesting, check_trace

__all__ = ["DEFAULT_MAX_TRACE_SIZE", "TraceFormatError", "check_nesting", "decode_trace", "encode_trace",
           "load_trace", "max_trace_size", "save_trace", "write_output"]

DEFAULT_MAX_TRACE_SIZE = 512 * 2**20
"""512 MiB: about four million events, which load into about 1.8 GB of memory."""
SIZE_ENV = "VMTRACE_MAX_TRACE_SIZE"
_SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


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


def max_trace_size() -> int:
    """The largest trace file read, in bytes: ``VMTRACE_MAX_TRACE_SIZE`` (bytes, or a number
    with K, M, G or T, binary units) or :data:`DEFAULT_MAX_TRACE_SIZE`. Raises ValueError."""
    text = os.environ.get(SIZE_ENV, "").strip()
    if not text:
        return DEFAULT_MAX_TRACE_SIZE
    match = re.fullmatch(r"(\d+)\s*([KMGT]?)(?:i?B)?", text, re.IGNORECASE)
    if match is None:
        raise ValueError(f"{SIZE_ENV}={text!r} is not a size (bytes, or a number with K, M, G or T)")
    return int(match.group(1)) * _SIZE_UNITS[match.group(2).upper()]


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
    except RecursionError:
        raise TraceFormatError(path, "JSON nested too deeply to be a trace") from None
    _check_identity(trace.format, trace.version, path)
    invalid = check_trace(trace)
    if invalid:
        raise TraceFormatError(path, invalid)
    return trace


def load_trace(path: str | os.PathLike[str]) -> Trace:
    """Read a trace file; any problem is a :class:`TraceFormatError`, never a traceback."""
    return decode_trace(read_regular_file(path), path)


def read_regular_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a regular file within :func:`max_trace_size`, or a TraceFormatError.

    The type is checked before opening (opening a device can have effects) and again on the
    open descriptor; the open is non-blocking, so a FIFO without a writer cannot hang it.
    """
    try:
        limit = max_trace_size()
    except ValueError as exc:
        raise TraceFormatError(path, str(exc)) from None
    try:
        _require_regular(path, os.stat(path))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            _require_regular(path, info)
            if info.st_size > limit:
                raise TraceFormatError(path, _too_big(info.st_size, limit))
            data = file.read(limit + 1)
    except OSError as exc:
        raise TraceFormatError(path, str(exc.strerror or exc)) from None
    except ValueError as exc:  # a NUL byte in the path
        raise TraceFormatError(path, str(exc)) from None
    if len(data) > limit:
        raise TraceFormatError(path, _too_big(len(data), limit))
    return data


def _require_regular(path: str | os.PathLike[str], info: os.stat_result) -> None:
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise TraceFormatError(path, "is a directory, not a trace file")
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
            else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a file")
    raise TraceFormatError(path, f"is {kind}; vmtrace reads traces from regular files only")


def _too_big(size: int, limit: int) -> str:
    return (f"file is {size:,} bytes, over the limit of {limit:,} bytes "
            f"(set {SIZE_ENV} to read larger traces)")


def encode_trace(trace: Trace) -> bytes:
    """The document's bytes: compact JSON, fields in format order."""
    return _encoder.encode(trace)


def save_trace(trace: Trace, path: str | os.PathLike[str]) -> None:
    """Write a trace with :func:`write_output` (atomic for a regular file)."""
    write_output(Path(path), encode_trace(trace))


def write_output(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` as a Unix tool should (see the module docstring).

    Raises OSError (``IsADirectoryError`` for a directory) with the path in ``filename``.
    """
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(target))
    if info is not None and not stat.S_ISREG(info.st_mode):
        with open(target, "wb") as out:  # a device, a FIFO, a terminal: write through it
            out.write(data)
        return
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    _write_replacing(real, data, info)


def _write_replacing(target: Path, data: bytes, old: os.stat_result | None) -> None:
    directory = target.parent if str(target.parent) else Path(".")
    prefix = f".{target.name[:180]}.vmtrace-"
    remove_stale_temporaries(directory, prefix)
    fd, tmp = _create_temporary(directory, prefix)
    try:
        if old is not None:
            os.fchmod(fd, stat.S_IMODE(old.st_mode))
            if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(fd, old.st_uid, old.st_gid)
                except PermissionError:
                    pass  # only root may give a file away; the mode is still kept
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)  # a new output is an ordinary file, as `>` makes it
        with os.fdopen(fd, "wb") as out:
            fd = -1
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        if fd != -1:
            os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise


def _create_temporary(directory: Path, prefix: str) -> tuple[int, Path]:
    while True:
        tmp = directory / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600), tmp
        except FileExistsError:
            continue


def remove_stale_temporaries(directory: Path, prefix: str) -> list[Path]:
    """Delete ``PREFIX<pid>-<token>.tmp`` files whose writing process no longer exists."""
    removed: list[Path] = []
    pattern = re.compile(re.escape(prefix) + r"(\d+)-[0-9a-f]{8}\.tmp")
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        match = pattern.fullmatch(name)
        if match is None or _process_exists(int(match.group(1))):
            continue
        try:
            (directory / name).unlink()
            removed.append(directory / name)
        except OSError:
            pass
    return removed


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _check_header(data: bytes, path: str | os.PathLike[str]) -> None:
    """Prefer 'unknown version' over a field-type complaint for a newer or foreign file."""
    try:
        header = _header_decoder.decode(data)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
        return
    _check_identity(header.format, header.version, path)


def _check_identity(fmt: object, version: object, path: str | os.PathLike[str]) -> None:
    if fmt != FORMAT_NAME:
        raise TraceFormatError(path, f"not a vmtrace file (format is {_shown(fmt)}, expected {FORMAT_NAME!r})")
    if version != FORMAT_VERSION:
        raise TraceFormatError(
            path, f"unsupported trace format version {_shown(version)} (this vmtrace reads version {FORMAT_VERSION})"
        )


def _shown(value: object) -> str:
    """A bounded repr: a hostile header value may be a megabyte string or a 4000-digit int."""
    if isinstance(value, str):
        return short(repr(value[:80]), 100)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return "a huge integer"
    if isinstance(value, (list, dict)):
        return f"a JSON {'array' if isinstance(value, list) else 'object'}"
    return short(repr(value), 100)
