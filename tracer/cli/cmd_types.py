"""``vmtrace types``: the QOM types of the model (or of a trace), flat or as a tree."""

from __future__ import annotations

import argparse
import difflib
import json

from model.data_files import load_json
from tracer.cli.common import (
    EXIT_BAD_INPUT,
    add_command,
    error,
    load_or_exit,
    stops_quietly_when_the_reader_goes,
    terminal_console,
)
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
    with stops_quietly_when_the_reader_goes():
        print_list(types, args.json)
    return 0


def print_list(types: list[TypeEntry], as_json: bool) -> None:
    """One line per type (names through the sanitiser), or JSON (ASCII, escapes for the rest)."""
    entries = sorted(types, key=lambda t: t.name)
    if as_json:
        print(json.dumps([{"name": t.name, **({"parent": t.parent} if t.parent else {}), "abstract": t.abstract}
                          for t in entries], indent=1))
        return
    names = {t.name: clean(t.name) for t in entries}
    width = min(max((len(n) for n in names.values()), default=10), 60)
    for t in entries:
        print(f"{names[t.name]:<{width}}  {clean(t.parent) if t.parent else '-'}{'  (abstract)' if t.abstract else ''}")


def print_tree(types: list[TypeEntry], name: str) -> int:
    """The ancestry on one line, then the subtree indented by depth: iterative and with the
    indentation capped (:data:`tracer.render.tree_text.MAX_INDENT`), so the output stays linear
    in the number of types however deep a hostile type table is."""
    # deferred: rich and networkx (under typegraph) only for --tree
    from rich.text import Text

    from tracer.render.tree_text import indent
    from tracer.typegraph import ancestry, build_type_graph, children

    graph = build_type_graph(types)
    if name not in graph:
        close = difflib.get_close_matches(name, list(graph.nodes), n=3) if len(name) <= 200 else []
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        error(f"types: unknown type '{name}'{hint}")
        return EXIT_BAD_INPUT
    console = terminal_console()

    def label(node: str) -> Text:
        abstract = graph.nodes[node].get("abstract")
        return Text(clean(node) + (" (abstract)" if abstract else ""), style="dim" if abstract else "bold")

    chain = list(reversed(ancestry(graph, name)))
    line = Text("ancestry: ")
    for i, node in enumerate(chain):
        line.append_text(label(node))
        if i < len(chain) - 1:
            line.append(" -> ")
    count = 0
    with stops_quietly_when_the_reader_goes():
        console.print(line)
        console.print(label(name))
        stack = [(child, 1) for child in reversed(children(graph, name))]
        seen = {name}
        while stack:
            node, depth = stack.pop()
            if node in seen:  # a cycle (refused when loading a file) cannot loop here
                continue
            seen.add(node)
            count += 1
            row = Text(indent(depth - 1) + "└── ", style="dim")
            row.append_text(label(node))
            console.print(row)
            stack.extend((child, depth + 1) for child in reversed(children(graph, node)))
        console.print(Text(f"{count} type(s) derived from {clean(name)}", style="dim"))
    return 0
