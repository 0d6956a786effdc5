"""Export from the TUI (``x``) through :mod:`tracer.export`, when that package is installed.

Kept apart from the app so the guard (the exporters are a separate piece of work and may be
missing from a build) and the parsing of ``FORMAT PATH`` are testable on their own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Coroutine
from pathlib import Path
from types import ModuleType
from typing import Any

from tracer.replay import Replay

Callback = Callable[[], Coroutine[Any, Any, None]]


def _exporters() -> ModuleType | None:
    try:
        module = importlib.import_module("tracer.export")
    except ImportError:
        return None
    if not hasattr(module, "FORMATS") or not hasattr(module, "export_trace"):
        return None
    return module


def export_formats() -> tuple[str, ...]:
    module = _exporters()
    return tuple(module.FORMATS) if module is not None else ()


def export_formats_hint() -> str:
    formats = export_formats()
    return ", ".join(formats) if formats else "exporters not installed"


def export(replay: Replay, text: str, type_name: str | None) -> str:
    """Export ``replay``'s trace as asked by ``FORMAT PATH``; return the message to show."""
    module = _exporters()
    if module is None:
        return "export is not available: this build has no tracer.export"
    parts = text.split(maxsplit=1)
    if len(parts) != 2:
        return f"export: expected FORMAT PATH, e.g. chrome trace.json ({export_formats_hint()})"
    fmt, out = parts
    if fmt not in module.FORMATS:
        return f"export: unknown format {fmt!r} ({export_formats_hint()})"
    try:
        path = Path(out).expanduser()
    except RuntimeError as exc:  # ~nosuchuser
        return f"export: {out}: {exc}"
    # The type-graph formats export the type in play (its ancestry and subtree); the timeline
    # formats take the whole trace and refuse a type.
    graph_formats = tuple(getattr(module, "GRAPH_FORMATS", ()))
    scoped = type_name if fmt in graph_formats else None
    export_error: type[Exception] = getattr(module, "ExportError", ValueError)
    try:
        module.export_trace(replay.trace, fmt, path, type_name=scoped)
    except (OSError, ValueError, export_error) as exc:
        return f"export failed: {exc}"
    what = f" ({scoped} and its relatives)" if scoped else ""
    return f"exported {fmt}{what} to {path}"
