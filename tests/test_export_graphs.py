"""The type-graph exports (dot, graphml, mermaid) round-tripped back into networkx graphs,
including hostile type names, one type's focus (--type) and random type trees."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_diff_fixtures import call, point, trace_of

from tracer.export import ExportError, export_bytes
from tracer.export.graphs import export_graph
from tracer.trace import Trace, TypeEntry

TYPES = [
    TypeEntry("object", abstract=True),
    TypeEntry("device", "object", abstract=True),
    TypeEntry("cpu", "device", abstract=True),
    TypeEntry("x86_64-cpu", "cpu", abstract=True, interfaces=["nmi"]),
    TypeEntry("max-x86_64-cpu", "x86_64-cpu"),
    TypeEntry("host-x86_64-cpu", "max-x86_64-cpu"),
    TypeEntry("base-x86_64-cpu", "x86_64-cpu"),
    TypeEntry("machine", "object", abstract=True),
    TypeEntry("weird \"name\" \\ with # <b>x</b> --> end", "machine"),
]

TRACE = trace_of(call("main", point("type_register", type="max-x86_64-cpu"),
                      call("type_initialize", type="x86_64-cpu"),
                      call("object_new", type="max-x86_64-cpu")), types=TYPES)


def parse_dot(text: str) -> nx.DiGraph:
    """Read back the subset of DOT vmtrace writes: quoted IDs, node attribute lists, edges."""
    quoted = r'"((?:[^"\\]|\\.)*)"'

    def unquote(s: str) -> str:
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), s)

    graph = nx.DiGraph()
    for line in text.splitlines()[1:]:
        line = line.strip()
        if m := re.fullmatch(rf"{quoted} -> {quoted};", line):
            graph.add_edge(unquote(m.group(1)), unquote(m.group(2)))
        elif m := re.fullmatch(rf"{quoted} \[(.*)\];", line):
            attrs = {k: unquote(v) for k, v in re.findall(rf"(\w+)={quoted}", m.group(2))}
            graph.add_node(unquote(m.group(1)), **attrs)
    return graph


def parse_mermaid(text: str) -> nx.DiGraph:
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    names: dict[str, str] = {}
    graph = nx.DiGraph()
    for line in lines[1:]:
        if m := re.fullmatch(r'    (t\d+)\["([^"]*)"\]', line):
            # Mermaid's rules for a quoted label: no quote; every character its preprocessor,
            # entity decoder, HTML or Markdown renderer would act on is a #NNN; entity code.
            assert re.fullmatch(r'(?:[^"#%&<>`{}\[\]|\\\x00-\x1f]|#\d+;)*', m.group(2)), line
            names[m.group(1)] = re.sub(r"#(\d+);", lambda e: chr(int(e.group(1))), m.group(2))
            graph.add_node(names[m.group(1)])
        elif m := re.fullmatch(r"    (t\d+) --> (t\d+)", line):
            graph.add_edge(names[m.group(1)], names[m.group(2)])
        elif m := re.fullmatch(r"    class (t\d+) (\w+)", line):
            graph.nodes[names[m.group(1)]].setdefault("classes", set()).add(m.group(2))
        else:
            assert line.startswith("    classDef "), line
    return graph


def same_structure(g: nx.DiGraph, h: nx.DiGraph) -> None:
    assert set(g.nodes) == set(h.nodes)
    assert set(g.edges) == set(h.edges)


def test_graphml_round_trips_with_attributes() -> None:
    expected = export_graph(TRACE)
    back = nx.read_graphml(io.BytesIO(export_bytes(TRACE, "graphml")))
    same_structure(back, expected)
    assert back.nodes["x86_64-cpu"] == {"abstract": True, "interfaces": "nmi", "state": "class_initialised"}
    assert back.nodes["max-x86_64-cpu"]["state"] == "instantiated"
    assert back.nodes["base-x86_64-cpu"]["state"] == "unknown"


def test_dot_round_trips_with_attributes() -> None:
    text = export_bytes(TRACE, "dot").decode()
    assert text.startswith("digraph ")
    back = parse_dot(text)
    same_structure(back, export_graph(TRACE))
    assert back.nodes["x86_64-cpu"]["abstract"] == "true" and back.nodes["x86_64-cpu"]["interfaces"] == "nmi"
    assert "dashed" in back.nodes["object"]["style"]


def test_dot_reads_back_through_networkx_pydot() -> None:
    pytest.importorskip("pydot", reason="networkx reads DOT through pydot, which vmtrace does not require")
    back = nx.nx_pydot.read_dot(io.StringIO(export_bytes(TRACE, "dot").decode()))
    assert {n.strip('"') for n in back.nodes} >= {"object", "max-x86_64-cpu"}


def test_mermaid_round_trips_with_classes() -> None:
    back = parse_mermaid(export_bytes(TRACE, "mermaid").decode())
    same_structure(back, export_graph(TRACE))
    assert back.nodes["object"]["classes"] == {"abstract"}
    assert back.nodes["max-x86_64-cpu"]["classes"] == {"instantiated"}


def test_focus_on_one_type_keeps_its_ancestry_and_subtree() -> None:
    g = nx.read_graphml(io.BytesIO(export_bytes(TRACE, "graphml", type_name="max-x86_64-cpu")))
    assert set(g.nodes) == {"object", "device", "cpu", "x86_64-cpu", "max-x86_64-cpu", "host-x86_64-cpu"}
    assert set(parse_mermaid(export_bytes(TRACE, "mermaid", type_name="machine").decode()).nodes) == {
        "object", "machine", TYPES[-1].name}


def test_unknown_type_and_misplaced_type_option_are_errors() -> None:
    with pytest.raises(ExportError, match="unknown type 'nope'"):
        export_bytes(TRACE, "dot", type_name="nope")
    with pytest.raises(ExportError, match="--type applies to the type-graph formats"):
        export_bytes(TRACE, "chrome", type_name="cpu")
    with pytest.raises(ExportError, match="unknown format"):
        export_bytes(TRACE, "svg")


names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@given(st.lists(names, min_size=1, max_size=25, unique=True), st.randoms())
@settings(max_examples=50, deadline=None)
def test_random_type_trees_round_trip_in_every_graph_format(type_names: list[str], rng: object) -> None:
    import random

    assert isinstance(rng, random.Random)
    entries = [TypeEntry(type_names[0], abstract=True)]
    entries += [TypeEntry(name, type_names[rng.randrange(i + 1)], abstract=rng.random() < 0.3)
                for i, name in enumerate(type_names[1:])]
    trace: Trace = trace_of(call("main"), types=entries)
    expected = export_graph(trace)  # names cleaned of control characters
    assert expected.number_of_edges() <= len(entries) - 1
    same_structure(nx.read_graphml(io.BytesIO(export_bytes(trace, "graphml"))), expected)
    same_structure(parse_dot(export_bytes(trace, "dot").decode()), expected)
    same_structure(parse_mermaid(export_bytes(trace, "mermaid").decode()), expected)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_renders_the_dot_export_with_every_node() -> None:
    proc = subprocess.run(["dot", "-Tsvg"], input=export_bytes(TRACE, "dot"), capture_output=True, check=False)
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout.count(b'class="node"') == len(TYPES)
