"""Exporting a trace to the tools people already use.

``chrome`` (Chrome Trace Event JSON for Perfetto and chrome://tracing) and ``speedscope``
(speedscope's evented profile) carry the call timeline; ``dot``, ``graphml`` and ``mermaid``
carry the QOM type graph (the whole graph, or one type's ancestry and subtree with
``type_name``). Each format has its own module; :func:`export_trace` writes atomically.
"""

from __future__ import annotations

from pathlib import Path

from tracer.fileio import write_atomic
from tracer.trace import Trace

FORMATS = ("chrome", "speedscope", "dot", "graphml", "mermaid")
TIMELINE_FORMATS = ("chrome", "speedscope")
GRAPH_FORMATS = ("dot", "graphml", "mermaid")


class ExportError(Exception):
    """An export that cannot be made (unknown format or type); the message is one line."""


def export_bytes(trace: Trace, fmt: str, type_name: str | None = None) -> bytes:
    """The exported document as bytes (UTF-8 for the text formats)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt in TIMELINE_FORMATS:
        if type_name is not None:
            raise ExportError(f"--type applies to the type-graph formats ({', '.join(GRAPH_FORMATS)}), not {fmt}")
        import msgspec

        if fmt == "chrome":
            from tracer.export.chrome import chrome_trace

            return msgspec.json.encode(chrome_trace(trace))
        from tracer.export.speedscope import speedscope_file

        return msgspec.json.encode(speedscope_file(trace))
    from tracer.export import graphs

    graph = graphs.export_graph(trace, type_name)
    if fmt == "dot":
        return graphs.to_dot(graph).encode()
    if fmt == "graphml":
        return graphs.to_graphml(graph)
    return graphs.to_mermaid(graph).encode()


def export_trace(trace: Trace, fmt: str, out: Path, type_name: str | None = None) -> None:
    """Write ``trace`` in format ``fmt`` to ``out`` atomically (temporary file, then rename).

    Raises :class:`ExportError` for an unknown format or type, ``OSError`` if ``out`` cannot
    be written.
    """
    write_atomic(out, export_bytes(trace, fmt, type_name))
