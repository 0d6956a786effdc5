"""The in-memory trace: the typed shape of a vmtrace file, format version 1.

Every view (the CLI, the TUI, diff, the exporters) consumes these structures. They are
``msgspec`` structs so that decoding a file is one typed pass that also validates field types,
which is what keeps loading a million-event trace close to the raw JSON parse.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

FORMAT_NAME = "vmtrace"
FORMAT_VERSION = 1

Seq = Annotated[int, msgspec.Meta(ge=0, le=2**62)]
"""An event number; bounded so that no reader ever meets an integer it cannot index with."""
Parent = Annotated[int, msgspec.Meta(ge=-1, le=2**62)]
Nanoseconds = Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]
"""A monotonic clock reading; bounded so durations and microsecond floats never overflow."""
ExitStatus = Annotated[int, msgspec.Meta(ge=-(2**31), le=2**31 - 1)]

EventKind = Literal["call", "return", "error", "point"]
"""``call`` opens a traced function, ``return``/``error`` close it, ``point`` is a fact."""

HookKind = Literal["class_base_init", "class_init", "instance_init", "instance_post_init"]
"""The QOM hooks of a ``TypeInfo``: a call QOM made through one of them says which."""
HOOK_KINDS: tuple[HookKind, ...] = ("class_base_init", "class_init", "instance_init", "instance_post_init")


class Event(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """One recorded event; ``seq`` is its index in ``Trace.events`` and the logical clock.

    ``depth`` and ``parent`` make nesting explicit: ``parent`` is the ``seq`` of the enclosing
    call (-1 at top level) and ``depth`` its nesting level, so a reader rebuilds the call tree
    in one forward pass. A ``return`` or ``error`` carries the same depth and parent as its call
    and names it in ``call``. A call of a QOM hook carries the hook's kind in ``hook``.
    """

    seq: Seq
    kind: EventKind
    fn: str
    depth: Seq
    parent: Parent
    ts: Nanoseconds
    args: dict[str, Any] | None = None
    ret: Any = None
    call: Seq | None = None
    text: str | None = None
    hook: HookKind | None = None
    """On a call QOM made through a ``TypeInfo`` hook, which hook: what ``show --hook`` selects."""


class TypeEntry(msgspec.Struct, frozen=True, omit_defaults=True):
    """One QOM type as the model registered it (``qom-list-types`` plus what the graph needs).

    ``hooks`` maps each hook kind the type's TypeInfo sets (``class_init``, ``class_base_init``,
    ``instance_init``, ``instance_post_init``) to the traced function that implements it, so a
    reader can tell which type declared a hook that ran for another (a ``class_base_init`` runs
    for every subclass) and jump from a type to its ``class_init``.
    """

    name: str
    parent: str | None = None
    abstract: bool = False
    interfaces: list[str] = msgspec.field(default_factory=list)
    hooks: dict[str, str] = msgspec.field(default_factory=dict)


class FunctionInfo(msgspec.Struct, frozen=True, omit_defaults=True):
    """Where a traced QEMU function lives and what it does (the model's docstring).

    ``block`` marks a frame that is not a QEMU function but a block of code inside one (its
    name says which, e.g. ``qemu_init: first pass over the options``); views draw it apart so
    no one looks for it in QEMU's sources. ``src`` is then the file of the enclosing function.
    """

    src: str
    doc: str = ""
    block: bool = False


class Meta(msgspec.Struct, frozen=True, omit_defaults=True):
    """Who made the trace, from which command line, reproducing which QEMU."""

    argv: list[str]
    vmtrace_version: str
    qemu_version: str
    created: str
    host_profile: str | None = None
    argv_raw: list[bytes] | None = None
    """Present only when an argument was not valid UTF-8: every argument's exact bytes (base64
    in the file). ``argv`` then shows each undecodable byte as U+FFFD."""


class MachineViews(msgspec.Struct, frozen=True):
    """The machine at the end of startup as QEMU's monitor shows it: ``info qom-tree`` and
    ``info qtree`` as text (lines end with ``\n``), ``query-pci`` as QMP returns it, and
    ``info mtree -f`` (flat views in the canonical block order of :mod:`tracer.machine.mtree`)
    or None when the model does not know the board's memory map."""

    qom_tree: str
    qtree: str
    pci: list[Any]
    mtree: str | None = None


class Result(msgspec.Struct, frozen=True, omit_defaults=True):
    """What the modelled binary did: exit status, output, machine and the realized CPU.

    ``cpu`` holds the first CPU's properties keyed by QOM property name with values as QMP
    ``qom-get`` returns them; it is absent when no CPU was realized. ``machine_views`` is
    absent when startup failed.
    """

    exit_status: ExitStatus
    stdout: list[str] = msgspec.field(default_factory=list)
    stderr: list[str] = msgspec.field(default_factory=list)
    machine: str | None = None
    cpu: dict[str, Any] | None = None
    machine_views: MachineViews | None = None


class Trace(msgspec.Struct, frozen=True, omit_defaults=True):
    """A whole vmtrace document."""

    format: str
    version: int
    meta: Meta
    types: list[TypeEntry]
    functions: dict[str, FunctionInfo]
    events: list[Event]
    result: Result
