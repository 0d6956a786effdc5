"""``vmtrace class``: a QOM type's class fields, who set each and at which event, and the
property history of its objects."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import Any

from tracer.classstate import ClassState, PropertyEvent, class_state, object_history
from tracer.cli.common import EXIT_BAD_INPUT, add_command, load_or_exit
from tracer.labels import clean
from tracer.render.class_text import class_report


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "class", "show a QOM type's class fields, who set each, and its objects' properties",
        "Print the fields of TYPE's class as the trace leaves them: each field's value, the hook that\n"
        "set it (class_init or class_base_init) and its event number; a field inherited from an\n"
        "ancestor names that ancestor, and an override says what it replaced. Then the class\n"
        "properties each hook added and, when objects of TYPE were created, every property value set\n"
        "on them and every CPU feature decided for them, with where it came from.",
        "  vmtrace class host.json host-x86_64-cpu\n"
        "  vmtrace class pc.json pc-i440fx-7.2-machine --history   # every setting, overridden ones too\n"
        "  vmtrace class pc.json x86_64-cpu --json",
    )
    parser.add_argument("trace", metavar="TRACE", help="a trace written by `vmtrace record`")
    parser.add_argument("type_name", metavar="TYPE", help="a QOM type name, e.g. host-x86_64-cpu")
    parser.add_argument("--history", action="store_true",
                        help="list every field setting along the ancestry, not only the final values")
    parser.add_argument("--json", action="store_true", help="print the class state as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    trace = load_or_exit(args.trace)
    if trace is None:
        return EXIT_BAD_INPUT
    names = {t.name for t in trace.types}
    if args.type_name not in names:
        near = difflib.get_close_matches(args.type_name, sorted(names), n=5, cutoff=0.6)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        print(f"vmtrace: class: {clean(args.type_name)}: not a type of {args.trace}{hint}", file=sys.stderr)
        return EXIT_BAD_INPUT
    state = class_state(trace, args.type_name)
    objects = object_history(trace, args.type_name)
    if args.json:
        print(json.dumps(as_json(state, objects), indent=1, default=str))
        return 0
    for _, line in class_report(trace, state, objects, args.history):
        print(line)
    return 0 if state.initialised_at is not None else 1


def as_json(state: ClassState, objects: list[PropertyEvent]) -> dict[str, Any]:
    def setting(r: Any) -> dict[str, Any]:
        out = {"field": r.name, "value": r.value, "owner": r.owner, "by": r.by, "hook": r.hook, "event": r.seq,
               "call": r.call}
        if r.overrides:
            out["overrides"] = r.overrides[0]
        return out

    return {
        "type": state.type_name, "ancestry": state.ancestry, "class_initialised_at": state.initialised_at,
        "fields": [setting(r) for r in state.fields],
        "history": [setting(r) for r in state.history],
        "properties_added": [{"owner": g.owner, "by": g.by, "event": g.seq, "properties": list(g.properties)}
                             for g in state.properties],
        "objects": [{"event": o.seq, "kind": o.kind, "name": o.name, "value": o.value, "how": o.how}
                    for o in objects],
    }
