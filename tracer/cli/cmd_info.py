"""``vmtrace info``: the machine a trace built, as QEMU's monitor would show it."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from tracer.cli.common import EXIT_BAD_INPUT, add_command, error, load_or_exit, stops_quietly_when_the_reader_goes
from tracer.labels import clean_line
from tracer.machine.at_step import qom_tree_at
from tracer.machine.mtree import parse_mtree, render_mtree
from tracer.machine.pci import pci_to_data
from tracer.machine.qomtree import QomNode, parse_qom_tree, render_qom_tree
from tracer.machine.qtree import parse_qtree, render_qtree
from tracer.machine.rerun import RerunError, views_at
from tracer.trace import Trace

VIEWS = ("qom-tree", "qtree", "pci", "mtree")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "info", "show the machine a trace built, as QEMU's monitor shows it",
        "Print the machine at the end of startup exactly as QEMU 7.2's monitor does:\n"
        "  qom-tree  `info qom-tree`, the QOM composition tree below /machine\n"
        "  qtree     `info qtree`, buses and devices with their properties\n"
        "  pci       `query-pci` (QMP), as JSON\n"
        "  mtree     `info mtree -f`, the flat view of each address space. QEMU prints\n"
        "            the views in heap-address order, which changes from run to run; vmtrace\n"
        "            prints them in one fixed order (by their text) numbered from 0.\n"
        "--json prints qom-tree, qtree and mtree as JSON. --at N shows the machine right after\n"
        "event N: qom-tree from the trace itself (it records every child added and removed);\n"
        "qtree, pci and mtree by running the model again on the trace's command line up to\n"
        "event N (refused if this vmtrace does not reproduce the trace's events). A PCI device's\n"
        "BARs show once its realize has returned. An event inside a memory transaction shows\n"
        "the flat views once it has committed (QEMU swaps them in only then); a note on stderr\n"
        "names that event.",
        "  vmtrace info pc.json qom-tree\n"
        "  vmtrace info pc.json qtree | grep -A3 'dev: hpet'\n"
        "  vmtrace info pc.json qom-tree --at 12000\n"
        "  vmtrace info q35.json pci --at 15000\n"
        "  vmtrace info pc.json mtree --at 9000\n"
        "  vmtrace info isapc.json mtree",
    )
    parser.add_argument("trace", metavar="TRACE", help="a trace written by `vmtrace record`")
    parser.add_argument("view", choices=VIEWS, help="which monitor view")
    parser.add_argument("--json", action="store_true", help="print the view as JSON")
    parser.add_argument("--at", type=int, metavar="N", help="the machine right after event N")
    parser.set_defaults(func=run)


def _qom_json(node: QomNode) -> dict[str, Any]:
    return {"name": node.name, "type": node.type, "children": [_qom_json(c) for c in node.sorted_children()]}


def _fail(message: str) -> int:
    error(f"info: {message}")
    return EXIT_BAD_INPUT


def _write(text: str) -> None:
    """The monitor's text, line by line through the sanitiser (it comes from the trace)."""
    with stops_quietly_when_the_reader_goes():
        sys.stdout.write("".join(clean_line(line) + "\n" for line in text.splitlines()))


def run(args: argparse.Namespace) -> int:
    """Views come from the file: one that does not parse as the monitor's text is one line."""
    try:
        return _run(args)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError) as exc:
        return _fail(f"{args.trace}: the machine views in this trace are damaged ({type(exc).__name__})")


def _at(trace: Trace, view: str, seq: int, as_json: bool) -> int:
    """The view right after event ``seq``: see the command's help for where each comes from."""
    if not 0 <= seq < len(trace.events):
        return _fail(f"--at {seq}: the trace has events 0 to {len(trace.events) - 1}")
    if view == "qom-tree":
        node = qom_tree_at(trace, seq)
        if node is None:
            return _fail(f"no machine exists yet at event {seq}")
        _write(json.dumps(_qom_json(node), indent=1) if as_json else render_qom_tree(node, "\n"))
        return 0
    try:
        views = views_at(trace, seq)
    except RerunError as exc:
        return _fail(str(exc))
    if views.qtree is None or views.pci is None:
        return _fail(f"no machine exists yet at event {seq}")
    if view == "mtree":
        if views.mtree is None or views.mtree_at is None:
            return _fail(f"the memory map at event {seq} is unknown: the run ended inside a memory transaction")
        if views.mtree_at != seq:
            error(f"info: note: event {seq} is inside a memory transaction; these are the flat views "
                  f"in place once it committed, after event {views.mtree_at}")
        blocks = views.mtree
        _write(json.dumps([asdict(b) for b in blocks], indent=1) if as_json else render_mtree(blocks))
    elif view == "pci":
        _write(json.dumps(pci_to_data(views.pci), indent=2, sort_keys=True))
    else:
        _write(json.dumps(asdict(views.qtree), indent=1) if as_json else render_qtree(views.qtree, "\n"))
    return 0


def _run(args: argparse.Namespace) -> int:
    trace = load_or_exit(args.trace)
    if trace is None:
        return EXIT_BAD_INPUT
    views = trace.result.machine_views
    if args.at is not None:
        return _at(trace, args.view, args.at, args.json)
    if views is None:
        return _fail(f"no machine: startup failed (exit status {trace.result.exit_status})")
    if args.view == "mtree":
        if views.mtree is None:
            return _fail(f"mtree: this trace has no memory map ({trace.result.machine or 'its machine'}; "
                         "recorded by a vmtrace that did not model it)")
        text = views.mtree
        _write(json.dumps([asdict(b) for b in parse_mtree(text)], indent=1) if args.json else text)
    elif args.view == "pci":
        _write(json.dumps(views.pci, indent=2, sort_keys=True))
    elif args.view == "qom-tree":
        text = views.qom_tree
        _write(json.dumps(_qom_json(parse_qom_tree(text)), indent=1) if args.json else text)
    else:
        text = views.qtree
        _write(json.dumps(asdict(parse_qtree(text)), indent=1) if args.json else text)
    return 0
