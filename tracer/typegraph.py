"""The QOM type-inheritance graph of a trace, built with networkx from the trace's type table.

Edges run parent -> child, so a type's ancestry is the path to the root and its subtree the
descendants. Built from the file alone: the type graph of a trace recorded elsewhere is exact.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from tracer.trace import TypeEntry


def build_type_graph(types: Iterable[TypeEntry]) -> nx.DiGraph:
    """A DiGraph with one node per type (attribute ``abstract``) and parent -> child edges."""
    graph = nx.DiGraph()
    for entry in types:
        graph.add_node(entry.name, abstract=entry.abstract, interfaces=list(entry.interfaces))
    for entry in types:
        if entry.parent is not None:
            if entry.parent not in graph:
                graph.add_node(entry.parent, abstract=True, interfaces=[])
            graph.add_edge(entry.parent, entry.name)
    return graph


def ancestry(graph: nx.DiGraph, name: str) -> list[str]:
    """``name`` then its parent, grandparent, ... up to the root (``object``)."""
    chain = [name]
    seen = {name}
    node = name
    while True:
        parents = list(graph.predecessors(node))
        if not parents or parents[0] in seen:
            return chain
        node = parents[0]
        seen.add(node)
        chain.append(node)


def children(graph: nx.DiGraph, name: str) -> list[str]:
    """Direct subtypes of ``name``, sorted by name."""
    return sorted(graph.successors(name))


def subtree(graph: nx.DiGraph, name: str) -> nx.DiGraph:
    """``name`` and every type derived from it, as a subgraph."""
    nodes = {name} | nx.descendants(graph, name)
    return graph.subgraph(nodes).copy()


def focus_graph(graph: nx.DiGraph, name: str) -> nx.DiGraph:
    """A type's ancestry plus its subtree: the view of one type in play."""
    nodes = set(ancestry(graph, name)) | nx.descendants(graph, name)
    return graph.subgraph(nodes).copy()
