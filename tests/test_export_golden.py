"""Every export of every golden trace under traces/ is valid, and golden pairs diff sensibly."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import networkx as nx
import pytest
from test_export_graphs import parse_dot, parse_mermaid
from test_export_timeline import check_chrome, check_speedscope

from tracer.diff import diff_traces
from tracer.diff.schema import DIFF_SCHEMA
from tracer.export import export_bytes
from tracer.export.graphs import export_graph
from tracer.fileio import load_trace

TRACES = Path(__file__).resolve().parent.parent / "traces"
GOLDEN = sorted(TRACES.glob("*.json"))


@pytest.mark.parametrize("path", GOLDEN, ids=[p.name for p in GOLDEN])
def test_golden_trace_exports_are_valid(path: Path) -> None:
    trace = load_trace(path)
    check_chrome(trace)
    check_speedscope(trace)
    expected = export_graph(trace)
    graphml = nx.read_graphml(io.BytesIO(export_bytes(trace, "graphml")))
    assert set(graphml.nodes) == set(expected.nodes) and set(graphml.edges) == set(expected.edges)
    assert set(parse_dot(export_bytes(trace, "dot").decode()).edges) == set(expected.edges)
    assert set(parse_mermaid(export_bytes(trace, "mermaid").decode()).edges) == set(expected.edges)


@pytest.mark.parametrize("path", GOLDEN, ids=[p.name for p in GOLDEN])
def test_golden_trace_diffs_equal_with_itself(path: Path) -> None:
    trace = load_trace(path)
    assert diff_traces(trace, trace).equal


@pytest.mark.skipif(not (TRACES / "pc.json").exists() or not (TRACES / "epyc.json").exists(),
                    reason="golden traces pc.json and epyc.json are not in this tree")
def test_default_cpu_against_epyc() -> None:
    d = diff_traces(load_trace(TRACES / "pc.json"), load_trace(TRACES / "epyc.json"))
    jsonschema.validate(json.loads(json.dumps(d.to_json())), DIFF_SCHEMA)
    sem = d.semantic
    assert sem.cpu_type is not None and sem.cpu_type.b == "EPYC-x86_64-cpu"
    assert "svm" not in sem.features_removed and "sse4a" not in sem.features_removed
    assert any(b.name == "avx2" and b.b for b in sem.cpuid)
    first = d.structural.rows[d.structural.first_divergence or 0]
    assert first.status == "changed"
