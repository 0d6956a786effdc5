"""A vmtrace trace projected onto the steps vocabulary, to compare with the binary's.

Calls: every traced call of an exported function in the vocabulary, with the arguments the
vocabulary names (read from the event's ``args`` by name). Hooks: every traced call of a
hook (its event says which kind; in older traces, the type table), with the type
that declared it and the type it ran for (the event's ``type`` argument). Registrations: the
``type_register`` points. The whole trace is projected, with an ``end`` line where a bounding
function (``x86_cpus_init``, ``machine_run_board_init``) returned, as on the binary's side.
"""

from __future__ import annotations

from typing import Any

from model.harvest.steps.project import Projected, declaring_type
from model.harvest.steps.vocabulary import ENDS, INLINED, WATCHED, call_step, hook_step, recorded_args
from tracer.trace import Trace, TypeEntry


def hook_owner(kind: str, function: str, target: str, table: dict[str, TypeEntry]) -> str:
    """The type whose TypeInfo sets ``function`` as its ``kind`` hook, nearest to ``target``."""
    return declaring_type(kind, function, target, table)


def project_trace(trace: Trace) -> Projected:
    table = {t.name: t for t in trace.types}
    hook_kinds = {fn: kind for t in trace.types for kind, fn in t.hooks.items()}
    steps: list[str] = []
    registrations: list[str] = []
    cut: str | None = None
    for ev in trace.events:
        if ev.kind == "point" and ev.fn == "type_register" and ev.args:
            registrations.append(str(ev.args.get("type")))
        elif ev.kind == "call":
            args: dict[str, Any] = ev.args or {}
            kind = ev.hook or hook_kinds.get(ev.fn)
            if ev.fn in WATCHED:
                caller = trace.events[ev.parent].fn if ev.parent >= 0 else None
                if ev.fn not in INLINED or INLINED[ev.fn] != caller:
                    steps.append(call_step(ev.fn, _values(ev.fn, args)))
            elif kind is not None:
                target = str(args.get("type"))
                owner = args.get("owner") or hook_owner(kind, ev.fn, target, table)
                steps.append(hook_step(kind, str(owner), target))
        elif ev.kind == "return" and ev.fn in ENDS:
            steps.append(f"end {ev.fn}")
            cut = cut or ev.fn
    return Projected(steps, registrations, cut, trace.result.exit_status, list(trace.result.stderr))


def _values(function: str, args: dict[str, Any]) -> tuple[object, ...]:
    """The named arguments, in the vocabulary's order; a name the event lacks reads as ``?``."""
    return tuple(args.get(name, "?") for name, _ in recorded_args(function))
