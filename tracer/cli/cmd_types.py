"""``vmtrace types``: the QOM types of the model (or of a trace), flat or as a tree."""

from __future__ import annotations

import argparse
import difflib
import json
import sys

from model.data_files import load_json
from tracer.cli.common import EXIT_BAD_INPUT, add_command, load_or_exit
from tracer.labels import clean
from tracer.trace import TypeEntry


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "types", "list QOM types with their parents, or show one type's tree",
        "List every QOM type the modelled binary registers, with its parent and whether it is abstract\n"
        "(like QMP's qom-list-types), or print one type's ancestry and subtree.",
        "  vmtrace types | grep x86_64-cpu\n"
        "  vmtrace types --json > types.json\n"
        "  vmtrace types --tree max-x86_64-cpu\n"
        "  vmtrace types --trace pc.json --tree device",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list of {name, parent, abstract}")
    parser.add_argument("--tree", metavar="NAME", help="print NAME's ancestry and the types derived from it")
    parser.add_argument("--trace", metavar="FILE", help="use the type table of a recorded trace")
    parser.set_defaults(func=run)


def model_types() -> list[TypeEntry]:
    return [TypeEntry(name=t["name"], parent=t.get("parent"), abstract=bool(t.get("abstract")),
                      interfaces=list(t.get("interfaces", []))) for t in load_json("qom_types.json")["types"]]


def run(args: argparse.Namespace) -> int:
    if args.trace:
        trace = load_or_exit(args.trace)
        if trace is None:
            return EXIT_BAD_INPUT
        types = trace.types
    else:
        types = model_types()
    if args.tree is not None:
        return print_tree(types, args.tree)
    entries = sorted(types, key=lambda t: t.name)
    if args.json:
        print(json.dumps([{"name": t.name, **({"parent": t.parent} if t.parent else {}), "abstract": t.abstract}
                          for t in entries], indent=1))
        return 0
    width = max((len(t.name) for t in entries), default=10)
    for t in entries:
        print(f"{t.name:<{width}}  {t.parent or '-'}{'  (abstract)' if t.abstract else ''}")
    return 0


def print_tree(types: list[TypeEntry], name: str) -> int:
    # deferred: rich and networkx (under typegraph) only for --tree
    from rich.console import Console
    from rich.text import Text
    from rich.tree import Tree

    from tracer.typegraph import ancestry, build_type_graph, children

    graph = build_type_graph(types)
    if name not in graph:
        close = difflib.get_close_matches(name, list(graph.nodes), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        print(f"vmtrace: types: unknown type '{clean(name)}'{hint}", file=sys.stderr)
        return EXIT_BAD_INPUT
    console = Console(highlight=False)

    def label(node: str) -> Text:
        abstract = graph.nodes[node].get("abstract")
        return Text(clean(node) + (" (abstract)" if abstract else ""), style="dim" if abstract else "bold")

    chain = list(reversed(ancestry(graph, name)))
    line = Text("ancestry: ")
    for i, node in enumerate(chain):
        line.append_text(label(node))
        if i < len(chain) - 1:
            line.append(" -> ")
    console.print(line)
    root = Tree(label(name))
    stack = [(root, name)]
    count = 0
    while stack:
        branch, node = stack.pop()
        added = [(branch.add(label(child)), child) for child in children(graph, node)]
        count += len(added)
        stack.extend(reversed(added))
    console.print(root)
    console.print(Text(f"{count} type(s) derived from {clean(name)}", style="dim"))
    return 0
