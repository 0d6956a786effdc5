"""The recorder the model emits into, and the ``@traced`` decorator that instruments it.

One module-level slot holds the active recorder. When it is empty a traced function costs one
global read and one extra call, so the model runs at full speed outside ``vmtrace record``.
Events are appended as immutable :class:`Event` structs (positional construction, a C-level
call in msgspec), so the finished event list needs no second pass.
"""

from __future__ import annotations

import functools
import gc
import inspect
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

import msgspec

from tracer.trace import Event, EventKind, FunctionInfo, HookKind

P = ParamSpec("P")
R = TypeVar("R")

ArgsFn = Callable[..., dict[str, Any]]
RetFn = Callable[[Any], Any]

_active: Recorder | None = None
TRACED_NAME = "__vmtrace_name__"
"""The attribute ``@traced`` leaves on a wrapper: the QEMU function name its calls record."""
_clock = time.perf_counter_ns



class StopRun(BaseException):
    """Raised by a watch (see :class:`Recorder`) to end the model run where it stands.

    A ``BaseException`` so that no ``except Exception`` in the model takes it for QEMU's own
    error handling; every traced frame it unwinds is still closed in the recording."""


class _WatchedRows(list[Event]):
    """The event list of a recorder with a watch: once event ``at`` is appended, ``then`` runs,
    with the model's state exactly as it was when that event was recorded, and again after
    each later event until it raises :class:`StopRun` (a watcher that wants a later moment,
    the first at which some state settles, returns to be called again)."""

    def __init__(self, at: int, then: Callable[[], None]) -> None:
        super().__init__()
        self._at = at
        self._then = then

    def append(self, event: Event) -> None:
        super().append(event)
        if len(self) > self._at:
            self._then()


class Recorder:
    """Collects events of one model run; use as a context manager to make it active.

    ``watch=(seq, then)`` calls ``then()`` right after event ``seq`` is recorded (which is how
    ``vmtrace info --at`` looks at the machine mid-startup), and after every later event until
    ``then`` raises :class:`StopRun` to end the run there. Without a watch the event list is a plain list,
    so ordinary recording pays nothing for the feature.
    """

    def __init__(self, watch: tuple[int, Callable[[], None]] | None = None) -> None:
        self._rows: list[Event] = [] if watch is None else _WatchedRows(*watch)
        # The seqs of the calls still open, below a -1 sentinel: the top is always the parent
        # of the next event and the depth is ``len - 1``, with no test for an empty stack.
        self._stack: list[int] = [-1]
        self.functions: dict[str, FunctionInfo] = {}
        self._gc_was_enabled = True

    def __enter__(self) -> Recorder:
        global _active
        if _active is not None:
            raise RuntimeError("a recorder is already active")
        _active = self
        # Recording allocates a tuple per event; with the cyclic GC on, those allocations
        # trigger collections that rescan the model's whole (large, long-lived) heap, which
        # cost more than the recording itself. A recording is short and bounded, so the GC
        # is paused while it runs and whatever cycles it left are collected afterwards.
        self._gc_was_enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc: object) -> None:
        global _active
        _active = None
        if self._gc_was_enabled:
            gc.enable()

    # -- emitting -------------------------------------------------------------------------
    def open_call(self, fn: str, args: dict[str, Any] | None) -> int:
        """Record a call and make it the parent of what follows until it closes."""
        seq = len(self._rows)
        stack = self._stack
        self._rows.append(Event(seq, "call", fn, len(stack) - 1, stack[-1], _clock(), args))
        stack.append(seq)
        return seq

    def close_call(self, call: int, fn: str, ret: Any, error: str | None = None) -> None:
        """Record the return (or the error) that closes ``call``."""
        stack = self._stack
        stack.pop()
        kind: EventKind = "return" if error is None else "error"
        self._rows.append(Event(len(self._rows), kind, fn, len(stack) - 1, stack[-1], _clock(), None, ret, call, error))

    def point(self, fn: str, text: str | None = None, args: dict[str, Any] | None = None) -> int:
        """Record a fact worth seeing (type registered, warning printed) inside the current call."""
        rows = self._rows
        seq = len(rows)
        stack = self._stack
        rows.append(Event(seq, "point", fn, len(stack) - 1, stack[-1], _clock(), args, None, None, text))
        return seq

    def mark_hook(self, seq: int, fn: str, hook: HookKind) -> None:
        """Say that the call of ``fn`` recorded at ``seq`` was made through a QOM hook.

        QOM knows it is calling a hook; the hook's own ``@traced`` wrapper does not. So the
        caller notes the seq the hook's call will take, runs it, and marks it here. Only a
        call of ``fn`` one level below the caller is marked, never a call the hook made.
        """
        rows = self._rows
        if seq < len(rows):
            row = rows[seq]
            if row.kind == "call" and row.fn == fn and row.depth == len(self._stack) - 1:
                rows[seq] = msgspec.structs.replace(row, hook=hook)

    def describe(self, fn: str, src: str, doc: str) -> None:
        """Remember where ``fn`` lives in QEMU and what it does, once per function."""
        if fn not in self.functions:
            self.functions[fn] = FunctionInfo(src=src, doc=doc)

    @property
    def next_seq(self) -> int:
        """The sequence number the next event will get."""
        return len(self._rows)

    def events(self) -> list[Event]:
        """The recorded events as immutable structs (calls still open are left open)."""
        return list(self._rows)


def active() -> Recorder | None:
    """The recorder events go to right now, or None when nothing records."""
    return _active


def point(fn: str, text: str | None = None, **args: Any) -> None:
    """Emit a point event into the active recorder, if any."""
    rec = _active
    if rec is not None:
        rows, stack = rec._rows, rec._stack
        rows.append(Event(len(rows), "point", fn, len(stack) - 1, stack[-1], _clock(), args or None, None, None, text))


def run_hook(hook: HookKind, func: Callable[P, None], *args: P.args, **kwargs: P.kwargs) -> None:
    """Run a QOM hook and mark its call in the trace with the hook's kind (see ``mark_hook``)."""
    rec = _active
    name = getattr(func, TRACED_NAME, None)
    if rec is None or name is None:
        func(*args, **kwargs)
        return
    rows = rec._rows
    seq = len(rows)
    func(*args, **kwargs)
    # mark_hook, inlined: a startup runs some 1,500 hooks
    if seq < len(rows):
        row = rows[seq]
        if row.kind == "call" and row.fn == name and row.depth == len(rec._stack) - 1:
            rows[seq] = msgspec.structs.replace(row, hook=hook)


def first_paragraph(doc: str | None) -> str:
    """The docstring's opening paragraph, dedented and joined: the explanation the TUI shows."""
    if not doc:
        return ""
    text = inspect.cleandoc(doc)
    return " ".join(text.split("\n\n", 1)[0].split())


def traced(
    src: str,
    *,
    name: str | None = None,
    args: ArgsFn | None = None,
    ret: RetFn | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Instrument a model function as the QEMU function ``name`` found in ``src``.

    ``args`` receives the call's arguments and returns the JSON-safe values worth recording
    (type names, option strings); ``ret`` maps the return value likewise. Without them nothing
    of the arguments or the value is recorded: Python object reprs never reach a trace.
    An exception (QEMU's ``exit()`` is one in the model) becomes an ``error`` event carrying its
    message, then propagates unchanged, so every frame it unwinds is closed in the trace.
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        fn_name = name or func.__name__
        doc = first_paragraph(func.__doc__)

        info = FunctionInfo(src=src, doc=doc)

        # The hot path of recording: open and close inline rather than through Recorder
        # methods, which keeps the recorder's cost per traced call to a few list operations.
        @functools.wraps(func)
        def wrapper(*a: P.args, **kw: P.kwargs) -> R:
            rec = _active
            if rec is None:
                return func(*a, **kw)
            rows, stack = rec._rows, rec._stack
            if fn_name not in rec.functions:
                rec.functions[fn_name] = info
            seq = len(rows)
            depth = len(stack) - 1
            parent = stack[-1]
            rows.append(Event(seq, "call", fn_name, depth, parent, _clock(),
                              None if args is None else args(*a, **kw)))
            stack.append(seq)
            try:
                value = func(*a, **kw)
            except BaseException as exc:
                stack.pop()
                rows.append(Event(len(rows), "error", fn_name, depth, parent, _clock(),
                                  None, None, seq, str(exc) or type(exc).__name__))
                raise
            stack.pop()
            rows.append(Event(len(rows), "return", fn_name, depth, parent, _clock(),
                              None, None if ret is None else ret(value), seq))
            return value

        setattr(wrapper, TRACED_NAME, fn_name)
        return wrapper

    return decorate


@contextmanager
def block(name: str, src: str, doc: str = "", **args: Any) -> Iterator[None]:
    """Trace a block of code inside a QEMU function as a frame of its own, marked as a block
    (``FunctionInfo.block``): ``name`` says whose block it is and what it does, e.g.
    ``qemu_init: first pass over the options``."""
    rec = _active
    if rec is None:
        yield
        return
    if name not in rec.functions:
        rec.functions[name] = FunctionInfo(src=src, doc=doc, block=True)
    seq = rec.open_call(name, args or None)
    try:
        yield
    except BaseException as exc:
        rec.close_call(seq, name, None, str(exc) or type(exc).__name__)
        raise
    rec.close_call(seq, name, None)
