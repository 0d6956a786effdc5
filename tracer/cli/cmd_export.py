"""``vmtrace export``: write a trace for Perfetto, speedscope, Graphviz, yEd or Mermaid."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracer.cli.common import EXIT_BAD_INPUT, add_command, error, load_or_exit, stops_quietly_when_the_reader_goes
from tracer.fileio import write_output

FORMATS = ("chrome", "speedscope", "dot", "graphml", "mermaid")  # == tracer.export.FORMATS (not imported: fast --help)
CLOCKS = ("model", "steps")  # == tracer.export.CLOCKS


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "export", "export a trace to Perfetto, speedscope, Graphviz, GraphML or Mermaid",
        "Export a trace for the tools people already use:\n"
        "  chrome      Chrome Trace Event JSON: open in ui.perfetto.dev or chrome://tracing\n"
        "  speedscope  speedscope's evented profile: open in speedscope.app\n"
        "  dot         the QOM type graph for Graphviz (dot -Tsvg)\n"
        "  graphml     the QOM type graph as GraphML (yEd, Gephi, networkx)\n"
        "  mermaid     the QOM type graph as a Mermaid flowchart (Markdown)\n"
        "The graph formats take the whole type graph, or with --type NAME that type's ancestry\n"
        "and subtree. Without -o, the export goes to standard output.\n"
        "Timings in chrome/speedscope are the model's own run times, not QEMU's (the file says so);\n"
        "--clock steps gives each event one unit instead: the shape of the startup.",
        "  vmtrace export pc.json --format chrome -o pc.trace.json\n"
        "  vmtrace export pc.json --format speedscope -o pc.speedscope.json\n"
        "  vmtrace export pc.json --format chrome --clock steps -o pc.steps.json\n"
        "  vmtrace export pc.json --format dot --type x86_64-cpu | dot -Tsvg > cpus.svg",
    )
    parser.add_argument("trace", metavar="FILE", help="a trace written by `vmtrace record`")
    parser.add_argument("--format", "-f", required=True, choices=FORMATS, help="the output format")
    parser.add_argument("-o", "--output", metavar="OUT", type=Path,
                        help="file to write (a regular file is replaced atomically; a device or FIFO "
                             "is written through); default stdout")
    parser.add_argument("--type", metavar="NAME", dest="type_name",
                        help="graph formats: only this QOM type's ancestry and subtree")
    parser.add_argument("--clock", choices=CLOCKS, default="model",
                        help="timeline formats: the model's own run times (default; not QEMU's) or "
                             "steps (each event one unit)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tracer.export import ExportError, export_bytes  # deferred: the graph exporters load networkx

    trace = load_or_exit(args.trace)
    if trace is None:
        return EXIT_BAD_INPUT
    try:
        data = export_bytes(trace, args.format, args.type_name, args.clock)
    except ExportError as exc:
        error(f"export: {exc}")
        return EXIT_BAD_INPUT
    if args.output is None:
        with stops_quietly_when_the_reader_goes():
            sys.stdout.buffer.write(data)
        return 0
    try:
        write_output(args.output, data)
    except OSError as exc:
        error(f"export: cannot write {args.output}: {exc.strerror or exc}")
        return EXIT_BAD_INPUT
    return 0
