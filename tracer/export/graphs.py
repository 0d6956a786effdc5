"""The QOM type graph as DOT (Graphviz), GraphML and Mermaid.

The graph is :func:`tracer.typegraph.build_type_graph` (edges parent -> child), optionally
narrowed to one type's ancestry and subtree (:func:`tracer.typegraph.focus_graph`). Every
string passes through :func:`export_text`: the sanitiser (no control characters), minus what
XML 1.0 cannot carry (U+FFFE, U+FFFF), and at most :data:`MAX_NAME` characters (Graphviz's
scanner refuses very long strings; a cut name keeps a hash of the whole so names stay
distinct). No QOM type name needs any of this; a hostile trace's do. Each format then escapes
for itself: DOT quotes with backslash escapes, Mermaid uses entity codes for every character
its parser or renderer gives a meaning (``# " % & < > ` ``), GraphML is XML written by networkx.
Each node
carries ``abstract`` (bool), ``interfaces`` (comma-separated) and ``state``: how far the trace
took the type (``instantiated``, ``class_initialised``, ``registered`` or ``unknown``, from
:mod:`tracer.typestate`).

GraphML is written by networkx (``nx.write_graphml``). networkx's DOT writer needs pydot or
pygraphviz, which vmtrace does not depend on, and networkx has no Mermaid writer, so those two
are written here; both quote every name, so any type name (even a hostile one) stays a label.
"""

from __future__ import annotations

import hashlib
import io
import re

import networkx as nx

from tracer.export.errors import ExportError
from tracer.labels import clean
from tracer.trace import Trace
from tracer.typegraph import build_type_graph, focus_graph
from tracer.typestate import TypeState, index_milestones

STATE_NAMES = {
    TypeState.UNKNOWN: "unknown",
    TypeState.REGISTERED: "registered",
    TypeState.CLASS_INITIALISED: "class_initialised",
    TypeState.INSTANTIATED: "instantiated",
}
MAX_NAME = 200
_NOT_XML = re.compile("[\ufffe\uffff]")
_MERMAID_SPECIAL = re.compile(r"[#\"%&<>`{}\[\]|\\]")
DOT_FILL = {"instantiated": "#b7e1a1", "class_initialised": "#c6dbef", "registered": "#ffffff", "unknown": "#eeeeee"}


def export_graph(trace: Trace, type_name: str | None = None) -> nx.DiGraph:
    """The type graph with export attributes, whole or focused on ``type_name``."""
    graph = build_type_graph(trace.types)
    if type_name is not None:
        if type_name not in graph:
            raise ExportError(f"unknown type {type_name!r} (the trace has {graph.number_of_nodes()} types)")
        graph = focus_graph(graph, type_name)
    milestones = index_milestones(trace)
    last = len(trace.events) - 1
    out = nx.DiGraph(name=export_text(f"QOM types of {' '.join(trace.meta.argv)[:MAX_NAME]}"))
    for node, data in sorted(graph.nodes(data=True)):
        out.add_node(export_text(node), abstract=bool(data.get("abstract", False)),
                     interfaces=export_text(",".join(data.get("interfaces", [])), 8 * MAX_NAME),
                     state=STATE_NAMES[milestones.state_at(node, last)])
    out.add_edges_from(sorted((export_text(parent), export_text(child)) for parent, child in graph.edges()))
    return out


def export_text(text: str, limit: int = 0) -> str:
    """``text`` as every graph format can carry it (see the module docstring)."""
    limit = limit or MAX_NAME
    shown = _NOT_XML.sub("\ufffd", clean(text[: 4 * limit]))
    if len(shown) <= limit and len(text) <= 4 * limit:
        return shown
    digest = hashlib.blake2s(text.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return f"{shown[: limit - 10]}…{digest}"


def to_graphml(graph: nx.DiGraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def dot_id(text: str) -> str:
    """A double-quoted DOT ID: backslashes, quotes and line breaks escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(graph: nx.DiGraph) -> str:
    """A Graphviz digraph: abstract types dashed, filled by how far the trace took them."""
    lines = [f"digraph {dot_id(str(graph.graph.get('name', 'qom')))} {{",
             "  rankdir=LR;",
             '  node [shape=box, style="rounded,filled", fontname="monospace"];']
    for node, data in graph.nodes(data=True):
        state = str(data.get("state", "unknown"))
        style = "rounded,filled,dashed" if data.get("abstract") else "rounded,filled"
        attrs = [f"abstract={dot_id('true' if data.get('abstract') else 'false')}",
                 f"interfaces={dot_id(str(data.get('interfaces', '')))}",
                 f"state={dot_id(state)}", f"style={dot_id(style)}", f"fillcolor={dot_id(DOT_FILL[state])}"]
        lines.append(f"  {dot_id(str(node))} [{', '.join(attrs)}];")
    lines.extend(f"  {dot_id(str(parent))} -> {dot_id(str(child))};" for parent, child in graph.edges())
    lines.append("}")
    return "\n".join(lines) + "\n"


def mermaid_label(text: str) -> str:
    """Text safe inside a quoted Mermaid label: ``#NNN;`` entity codes for ``#`` (entities),
    ``"`` (the quote), ``%`` (``%%{init}%%`` directives are found anywhere in the text), ``&``
    (HTML entities), ``<`` ``>`` (HTML), backticks (Markdown strings), braces and brackets."""
    return _MERMAID_SPECIAL.sub(lambda m: f"#{ord(m.group())};", text)


def to_mermaid(graph: nx.DiGraph) -> str:
    """A Mermaid flowchart, parent above child; node ids are ``t0``, ``t1``... with the type
    name as the label; classes mark abstract types and the trace state."""
    ids = {node: f"t{i}" for i, node in enumerate(graph.nodes())}
    lines = ["flowchart TD"]
    lines.extend(f'    {ids[node]}["{mermaid_label(str(node))}"]' for node in graph.nodes())
    lines.extend(f"    {ids[parent]} --> {ids[child]}" for parent, child in graph.edges())
    lines.append("    classDef abstract stroke-dasharray: 5 5")
    lines.append("    classDef instantiated fill:#b7e1a1")
    lines.append("    classDef class_initialised fill:#c6dbef")
    for node, data in graph.nodes(data=True):
        if data.get("abstract"):
            lines.append(f"    class {ids[node]} abstract")
        state = data.get("state")
        if state in ("instantiated", "class_initialised"):
            lines.append(f"    class {ids[node]} {state}")
    return "\n".join(lines) + "\n"
