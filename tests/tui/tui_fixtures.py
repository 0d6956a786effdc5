"""Deterministic traces for the TUI tests: a QEMU-like startup and hostile shapes.

The QEMU-like trace follows the model's event conventions (``type_register`` points,
``type_initialize`` calls, ``x86_feature`` points, ``warn_report``) with fixed timestamps, so
snapshots do not change when the model does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tracer.trace import FORMAT_NAME, FORMAT_VERSION, Event, FunctionInfo, Meta, Result, Trace, TypeEntry

TYPES = (
    ("object", None, True),
    ("device", "object", True),
    ("cpu", "device", True),
    ("x86_64-cpu", "cpu", True),
    ("max-x86_64-cpu", "x86_64-cpu", False),
    ("host-x86_64-cpu", "max-x86_64-cpu", False),
    ("base-x86_64-cpu", "x86_64-cpu", False),
    ("Skylake-Client-x86_64-cpu", "x86_64-cpu", False),
    ("machine", "object", True),
    ("x86-machine", "machine", True),
    ("pc-machine", "x86-machine", True),
    ("pc-i440fx-7.2-machine", "pc-machine", False),
)

FUNCTIONS = {
    "main": ("softmmu/main.c:main", "The program entry point: qemu_init() then the main loop."),
    "qemu_init": ("softmmu/vl.c:qemu_init", "Parse the command line, pick machine and accelerator, build the board."),
    "type_register": ("qom/object.c:type_register", "Add a TypeInfo to the type table; nothing is initialised yet."),
    "lookup_opt": ("softmmu/vl.c:lookup_opt", "Find the option table entry for one command-line switch."),
    "select_machine": ("softmmu/vl.c:select_machine", "Pick the machine type from -machine or the default."),
    "find_machine": ("softmmu/vl.c:find_machine", "Look a machine up by name or alias."),
    "parse_cpu_option": ("cpu.c:parse_cpu_option", "Split -cpu into a model name and features; resolve the class."),
    "cpu_class_by_name": ("cpu.c:cpu_class_by_name", "Ask the CPU base type's class_by_name hook for the model."),
    "x86_cpu_class_by_name": ("target/i386/cpu.c:x86_cpu_class_by_name", "Append -x86_64-cpu and look the class up."),
    "object_class_by_name": ("qom/object.c:object_class_by_name", "Find a type and initialise its class on demand."),
    "type_initialize": ("qom/object.c:type_initialize",
                        "Initialise a class: parents first, copy the parent class, then run class_init.\n\n"
                        "This is why asking for host-x86_64-cpu initialises max-x86_64-cpu first."),
    "x86_cpu_common_class_init": ("target/i386/cpu.c:x86_cpu_common_class_init", "Common x86 CPU class hooks."),
    "max_x86_cpu_class_init": ("target/i386/cpu.c:max_x86_cpu_class_init", "The max model: all the accel can do."),
    "host_x86_cpu_class_init": ("target/i386/host-cpu.c:host_x86_cpu_class_init", "The host model: the host's CPUID."),
    "x86_cpu_parse_featurestr": ("target/i386/cpu.c:x86_cpu_parse_featurestr", "+feat/-feat to global properties."),
    "x86_feature": ("target/i386/cpu.c", "A feature bit was decided, and why."),
    "warn_report": ("util/qemu-error.c:warn_report", "Print a warning to stderr."),
    "machine_run_board_init": ("hw/core/machine.c:machine_run_board_init", "Check the CPU type and build the board."),
    "x86_cpus_init": ("hw/i386/x86.c:x86_cpus_init", "Create every boot CPU."),
    "x86_cpu_new": ("hw/i386/x86.c:x86_cpu_new", "Create and realize one CPU."),
    "object_new": ("qom/object.c:object_new", "Allocate an instance and run instance_init up the hierarchy."),
    "x86_cpu_realizefn": ("target/i386/cpu.c:x86_cpu_realizefn", "Expand and filter features, then start the vCPU."),
    "x86_cpu_filter_features": ("target/i386/cpu.c:x86_cpu_filter_features",
                                "Drop features the accelerator cannot provide, warning for each."),
    "kvm_arch_get_supported_cpuid": ("target/i386/kvm/kvm.c:kvm_arch_get_supported_cpuid", "Ask KVM for CPUID."),
}


class TraceBuilder:
    """Builds a well-nested event list with a deterministic clock (1 µs per event)."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.stack: list[int] = []

    def _add(self, kind: str, fn: str, **fields: Any) -> int:
        seq = len(self.events)
        parent = self.stack[-1] if self.stack else -1
        depth = len(self.stack)
        if kind in ("return", "error"):
            call = self.stack.pop()
            parent = self.stack[-1] if self.stack else -1
            depth = len(self.stack)
            fields["call"] = call
        self.events.append(Event(seq=seq, kind=kind, fn=fn, depth=depth, parent=parent,  # type: ignore[arg-type]
                                 ts=seq * 1000, **fields))
        return seq

    @contextmanager
    def call(self, fn: str, ret: Any = None, error: str | None = None, **args: Any) -> Iterator[None]:
        seq = self._add("call", fn, args=args or None)
        self.stack.append(seq)
        yield
        if error is not None:
            self._add("error", fn, text=error)
        else:
            self._add("return", fn, ret=ret)

    def leaf(self, fn: str, ret: Any = None, error: str | None = None, **args: Any) -> None:
        with self.call(fn, ret, error, **args):
            pass

    def point(self, fn: str, text: str | None = None, **args: Any) -> None:
        self._add("point", fn, text=text, args=args or None)


def make_trace(events: list[Event], types: tuple[tuple[str, str | None, bool], ...] = TYPES,
               argv: list[str] | None = None, cpu_type: str = "host-x86_64-cpu") -> Trace:
    return Trace(
        format=FORMAT_NAME, version=FORMAT_VERSION,
        meta=Meta(argv=argv or ["qemu-system-x86_64", "-machine", "pc", "-cpu", "host,+avx512f"],
                  vmtrace_version="0.1.0", qemu_version="7.2.22", created="2026-01-01T00:00:00Z"),
        types=[TypeEntry(name=n, parent=p, abstract=a) for n, p, a in types],
        functions={fn: FunctionInfo(src=src, doc=doc) for fn, (src, doc) in FUNCTIONS.items()},
        events=events,
        result=Result(exit_status=0, machine="pc-i440fx-7.2", cpu={"type": cpu_type}),
    )


def qemu_like_trace(model: str = "host") -> Trace:
    """``-machine pc -cpu host,+avx512f`` on a host without AVX-512, in miniature.

    ``model="max"`` is the same command line with ``-cpu max,+avx512f``: the host class and its
    class_init are never reached and nothing is filtered, which gives diff mode changed rows,
    rows only in A and rows only in B.
    """
    cpu = f"{model}-x86_64-cpu"
    b = TraceBuilder()
    with b.call("main", ret=0):
        with b.call("qemu_init"):
            for name, parent, _ in TYPES:
                b.point("type_register", type=name, parent=parent)
            b.leaf("lookup_opt", ret=f"{model},+avx512f", name="cpu")
            with b.call("select_machine", ret="pc-i440fx-7.2-machine"):
                b.leaf("find_machine", ret="pc-i440fx-7.2-machine", name="pc")
            with b.call("parse_cpu_option", ret=cpu, cpu_option=f"{model},+avx512f"):
                with b.call("cpu_class_by_name", ret=cpu, typename="x86_64-cpu", cpu_model=model):
                    with b.call("x86_cpu_class_by_name", ret=cpu, cpu_model=model):
                        with b.call("object_class_by_name", ret=cpu, typename=cpu):
                            _initialize_cpu_class(b, model)
                with b.call("x86_cpu_parse_featurestr", typename=cpu, features="+avx512f"):
                    b.point("x86_feature", feature="avx512f", value=True, reason="+avx512f on the command line")
            with b.call("machine_run_board_init", machine="pc-i440fx-7.2-machine"):
                with b.call("x86_cpus_init", ret=None, smp_cpus=1):
                    with b.call("x86_cpu_new", ret="/machine/unattached/device[0]", type=cpu):
                        b.leaf("object_new", ret=cpu, type=cpu)
                        with b.call("x86_cpu_realizefn", ret=True, type=cpu):
                            _realize(b, model)
    argv = ["qemu-system-x86_64", "-machine", "pc", "-cpu", f"{model},+avx512f"]
    return make_trace(b.events, argv=argv, cpu_type=cpu)


def _initialize_cpu_class(b: TraceBuilder, model: str) -> None:
    if model == "host":
        with b.call("type_initialize", type="host-x86_64-cpu"):
            _initialize_max(b)
            b.leaf("host_x86_cpu_class_init", type="host-x86_64-cpu")
    else:
        _initialize_max(b)


def _initialize_max(b: TraceBuilder) -> None:
    with b.call("type_initialize", type="max-x86_64-cpu"):
        with b.call("type_initialize", type="x86_64-cpu"):
            b.leaf("x86_cpu_common_class_init", type="x86_64-cpu")
        b.leaf("max_x86_cpu_class_init", type="max-x86_64-cpu")


def _realize(b: TraceBuilder, model: str) -> None:
    b.leaf("kvm_arch_get_supported_cpuid", error="KVM is not available", function=7)
    with b.call("x86_cpu_filter_features", ret=model != "host", verbose=True):
        if model == "host":
            b.point("x86_feature", feature="avx512f", value=False, reason="filtered: the host does not support it")
            b.point("warn_report", text="host doesn't support requested feature: CPUID.07H:EBX.avx512f [bit 16]")
        else:
            b.point("x86_feature", feature="avx512f", value=True, reason="max: TCG can emulate it")


def hostile_trace() -> Trace:
    """Markup, ANSI escapes, control characters and wide unicode in every string field."""
    b = TraceBuilder()
    with b.call("main", ret="[bold red]ret[/]"):
        b.leaf("lookup_opt", ret="\x1b[31mred\x1b[0m", name="[b]cpu[/b]", value="ünïcødé 漢字 🚀")
        b.point("warn_report", text="\x1b]0;title\x07[link=file:///etc/passwd]x[/link] \r\n tab\tend")
        b.leaf("[red]fn[/red]", error="\x1b[2J cleared? [/]", type="host-x86_64-cpu")
        b.point("type_register", type="漢字-cpu", parent="[bold]")
    return make_trace(b.events)
