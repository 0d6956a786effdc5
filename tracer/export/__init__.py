"""Exporting a trace to the tools people already use.

``chrome`` (Chrome Trace Event JSON for Perfetto and chrome://tracing) and ``speedscope``
(speedscope's evented profile) carry the call timeline; ``dot``, ``graphml`` and ``mermaid``
carry the QOM type graph (the whole graph, or one type's ancestry and subtree with
``type_name``). Each format has its own module; :func:`export_trace` writes atomically.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from tracer.export import graphs
from tracer.export.chrome import chrome_trace
from tracer.export.clock import CLOCKS, Clock
from tracer.export.errors import ExportError
from tracer.export.speedscope import speedscope_file
from tracer.fileio import write_output
from tracer.labels import json_for_terminal
from tracer.trace import Trace

__all__ = ["CLOCKS", "FORMATS", "GRAPH_FORMATS", "TIMELINE_FORMATS", "ExportError", "export_bytes", "export_trace"]

FORMATS = ("chrome", "speedscope", "dot", "graphml", "mermaid")
TIMELINE_FORMATS = ("chrome", "speedscope")
GRAPH_FORMATS = ("dot", "graphml", "mermaid")


def export_bytes(trace: Trace, fmt: str, type_name: str | None = None, clock: Clock = "model") -> bytes:
    """The exported document as bytes (UTF-8 for the text formats); ``clock`` is the timeline
    formats' time axis (:mod:`tracer.export.clock`)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt in TIMELINE_FORMATS:
        if type_name is not None:
            raise ExportError(f"--type applies to the type-graph formats ({', '.join(GRAPH_FORMATS)}), not {fmt}")
        # Escaping DEL, C1 and bidi characters keeps the JSON the same and safe to `cat`.
        if fmt == "chrome":
            return json_for_terminal(msgspec.json.encode(chrome_trace(trace, clock)))
        return json_for_terminal(msgspec.json.encode(speedscope_file(trace, clock)))
    if clock != "model":
        raise ExportError(f"--clock applies to the timeline formats ({', '.join(TIMELINE_FORMATS)}), not {fmt}")
    graph = graphs.export_graph(trace, type_name)
    if fmt == "dot":
        return graphs.to_dot(graph).encode()
    if fmt == "graphml":
        return graphs.to_graphml(graph)
    return graphs.to_mermaid(graph).encode()


def export_trace(trace: Trace, fmt: str, out: Path, type_name: str | None = None, clock: Clock = "model") -> None:
    """Write ``trace`` in format ``fmt`` to ``out`` atomically (temporary file, then rename).

    Raises :class:`ExportError` for an unknown format or type, ``OSError`` if ``out`` cannot
    be written.
    """
    write_output(out, export_bytes(trace, fmt, type_name, clock))
