"""The part of the steps harvester that runs *inside* gdb (``gdb -batch -nx -x gdbscript.py``).

It starts ``qemu-system-x86_64`` stopped at its first instruction, puts breakpoints on the
exported functions named in the configuration and on every QOM hook address it learns from
the TypeInfo structures passed to ``type_new``, and logs one JSON line per hit. Breakpoints
never stop the program (``stop()`` returns False) except where gdb must act: a registration
that brings a hook address not yet watched (gdb cannot add breakpoints from inside ``stop()``),
and the entry of a function whose end we mark (a finish breakpoint is created there).

The configuration comes as JSON in the file named by ``VMTRACE_STEPS_CONFIG``. This module
imports nothing of vmtrace: gdb runs its own Python.
"""

from __future__ import annotations

import json
import os
from typing import Any

import gdb  # provided by gdb's embedded Python (mypy: ignore_missing_imports)

# include/qom/object.h (7.2): struct TypeInfo, 13 eight-byte slots (type_register_static_array
# steps through an array of them 0x68 bytes at a time, which confirms the size).
TI_NAME, TI_PARENT = 0, 8
TI_INSTANCE_INIT, TI_INSTANCE_POST_INIT = 32, 40
TI_ABSTRACT = 56
TI_CLASS_INIT, TI_CLASS_BASE_INIT = 72, 80
HOOK_SLOTS = (("instance_init", TI_INSTANCE_INIT), ("instance_post_init", TI_INSTANCE_POST_INIT),
              ("class_init", TI_CLASS_INIT), ("class_base_init", TI_CLASS_BASE_INIT))
ARG_REGISTERS = ("rdi", "rsi", "rdx", "rcx", "r8", "r9")
# A GlobalProperty starts with three strings: driver, property, value (hw/core/qdev.h).
GLOBAL_FIELDS = (0, 8, 16)


class Harvest:
    """One run of the binary: the log, the hooks known so far, the breakpoints to add."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.out = open(config["out"], "w")  # closed in finish()
        self.inferior = gdb.selected_inferior()
        self.hooks: dict[int, str] = {}
        self.pending: set[int] = set()
        self.watched: set[int] = set()
        self.finish_at: str | None = None
        self.stopped: str | None = None

    # -- reading the inferior ------------------------------------------------------------------
    def u64(self, addr: int) -> int:
        return int.from_bytes(self.inferior.read_memory(addr, 8).tobytes(), "little")

    def string(self, addr: int) -> str | None:
        if addr == 0:
            return None
        raw = b""
        while b"\0" not in raw and len(raw) < 4096:
            try:
                chunk: bytes = self.inferior.read_memory(addr + len(raw), 64).tobytes()
            except gdb.MemoryError:  # the string ends just before an unmapped page
                chunk = self.inferior.read_memory(addr + len(raw), 1).tobytes()
            raw += chunk
        return raw.split(b"\0", 1)[0].decode("utf-8", "replace")

    def class_name(self, oc: int) -> str | None:
        """ObjectClass* -> class->type->name (each the first member of its struct)."""
        return self.string(self.u64(self.u64(oc))) if oc else None

    def object_name(self, obj: int) -> str | None:
        """Object* -> obj->class->type->name."""
        return self.class_name(self.u64(obj)) if obj else None

    def decode(self, how: str, value: int) -> Any:
        if how == "str":
            return self.string(value)
        if how == "obj":
            return self.object_name(value)
        if how == "class":
            return self.class_name(value)
        if how in ("int", "module"):
            value &= 0xFFFFFFFF
            return value - (1 << 32) if value & 0x80000000 else value
        if how == "long":
            return value - (1 << 64) if value & (1 << 63) else value
        if how == "bool":
            return bool(value & 0xFF)
        if how == "hex":
            return f"{value:#x}"
        if how == "global":
            driver, prop, val = (self.string(self.u64(value + off)) for off in GLOBAL_FIELDS)
            return f"{driver}.{prop}={val}"
        raise ValueError(how)

    def log(self, *row: Any) -> None:
        self.out.write(json.dumps(row) + "\n")

    # -- what each breakpoint does ---------------------------------------------------------
    def on_call(self, name: str, decoders: list[str]) -> bool:
        args = [self.decode(how, reg(r)) for how, r in zip(decoders, ARG_REGISTERS, strict=False) if how != "skip"]
        self.log("call", name, *args)
        if name in self.config["stop_at"]:
            self.stopped = name
            return True
        if name in self.config["finish"]:
            self.finish_at = name
            return True
        return False

    def on_type_new(self) -> bool:
        """``type_new(info)``: a type is being registered (or an interface's ``T::I`` created)."""
        info = reg("rdi")
        name, parent = self.string(self.u64(info + TI_NAME)), self.string(self.u64(info + TI_PARENT))
        abstract = bool(self.inferior.read_memory(info + TI_ABSTRACT, 1).tobytes()[0])
        hooks = {kind: self.u64(info + off) for kind, off in HOOK_SLOTS}
        self.log("type", name, parent, abstract, {k: v for k, v in hooks.items() if v})
        for kind, addr in hooks.items():
            if addr and addr not in self.watched:
                self.hooks[addr] = kind
                self.pending.add(addr)
        return bool(self.pending)

    def watch_pending(self) -> None:
        for addr in sorted(self.pending):
            HookBreakpoint(self, addr)
            self.watched.add(addr)
        self.pending.clear()

    def finish(self) -> None:
        self.out.close()


def reg(name: str) -> int:
    return int(gdb.parse_and_eval("$" + name)) & 0xFFFFFFFFFFFFFFFF


class CallBreakpoint(gdb.Breakpoint):  # type: ignore[misc]
    def __init__(self, harvest: Harvest, spec: str, name: str, decoders: list[str]) -> None:
        super().__init__(spec, internal=True)
        self.harvest, self.fname, self.decoders = harvest, name, decoders

    def stop(self) -> bool:
        return self.harvest.on_call(self.fname, self.decoders)


class TypeNewBreakpoint(gdb.Breakpoint):  # type: ignore[misc]
    def __init__(self, harvest: Harvest, spec: str) -> None:
        super().__init__(spec, internal=True)
        self.harvest = harvest

    def stop(self) -> bool:
        return self.harvest.on_type_new()


class HookBreakpoint(gdb.Breakpoint):  # type: ignore[misc]
    def __init__(self, harvest: Harvest, addr: int) -> None:
        super().__init__(f"*{addr:#x}", internal=True)
        self.harvest, self.addr = harvest, addr

    def stop(self) -> bool:
        h = self.harvest
        # The argument is an ObjectClass* for class hooks, an Object* for instance hooks.
        target = h.class_name(reg("rdi")) if h.hooks[self.addr].startswith("class") else h.object_name(reg("rdi"))
        h.log("hook", h.hooks[self.addr], self.addr, target)
        return False


class VisitBreakpoint(gdb.Breakpoint):  # type: ignore[misc]
    """Each entry a type-table walk visits (its key is the type name)."""

    def __init__(self, harvest: Harvest, addr: int) -> None:
        super().__init__(f"*{addr:#x}", internal=True)
        self.harvest = harvest

    def stop(self) -> bool:
        self.harvest.log("visit", self.harvest.string(reg("rdi")))
        return False


class EndBreakpoint(gdb.FinishBreakpoint):  # type: ignore[misc]
    def __init__(self, harvest: Harvest, name: str) -> None:
        super().__init__(gdb.newest_frame(), internal=True)
        self.harvest, self.fname = harvest, name

    def stop(self) -> bool:
        self.harvest.log("end", self.fname)
        return False

    def out_of_scope(self) -> None:
        pass


def first_call(function: str) -> int:
    """The target of the first ``call`` instruction in an exported function."""
    listing = gdb.execute(f"x/16i {function}", to_string=True)
    for line in listing.splitlines():
        if "\tcall " in line or "\tcall\t" in line:
            return int(line.split("call")[1].split()[0], 16)
    raise RuntimeError(f"no call in {function}")


def foreach_callback(function: str) -> int:
    """The callback ``function`` hands to ``g_hash_table_foreach``: the address loaded into
    ``rsi`` just before the call (gdb prints it as a ``# 0x...`` comment)."""
    loaded: int | None = None
    for line in gdb.execute(f"x/48i {function}", to_string=True).splitlines():
        if "%rsi" in line and "lea" in line and "#" in line:
            loaded = int(line.split("#")[1].split()[0], 16)
        if "g_hash_table_foreach" in line and loaded is not None:
            return loaded
    raise RuntimeError(f"no g_hash_table_foreach call in {function}")


def walk_callback() -> int:
    """``object_class_foreach_tramp``, static: called with each (name, TypeImpl) of the type
    table in the table's own order, by ``object_class_foreach`` and by the copy of it the
    compiler inlined into ``object_class_get_list``."""
    target = foreach_callback("object_class_foreach")
    if foreach_callback("object_class_get_list") != target:
        raise RuntimeError("object_class_foreach and object_class_get_list walk with different callbacks")
    return target


def type_new_address() -> int:
    """``type_new`` is static; ``type_register`` and ``type_register_static`` both start with a
    call to it (their only other call adds the result to the type table)."""
    target = first_call("type_register")
    if first_call("type_register_static") != target:
        raise RuntimeError("type_register and type_register_static call different functions first")
    return target


def exe_range() -> tuple[int, int]:
    """Where the executable is mapped (gdb disables randomisation, so it is stable): hooks
    known from an earlier run that lie inside it can be watched from the first instruction;
    a module's are watched once the module registers them."""
    exe = os.path.realpath(gdb.current_progspace().filename)
    pid = gdb.selected_inferior().pid
    low, high = None, 0
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and os.path.realpath(fields[5]) == exe:
                start, end = (int(x, 16) for x in fields[0].split("-"))
                low = start if low is None else min(low, start)
                high = max(high, end)
    if low is None:
        raise RuntimeError("executable mapping not found")
    return low, high


def main() -> None:
    with open(os.environ["VMTRACE_STEPS_CONFIG"]) as f:
        config = json.load(f)
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute("set startup-with-shell on")
    gdb.execute(f"file {config['binary']}")
    args = " ".join(_quote(a) for a in config["argv"])
    gdb.execute(f"starti {args} < /dev/null > {_quote(config['stdout'])} 2> {_quote(config['stderr'])}",
                to_string=True)
    harvest = Harvest(config)
    low, high = exe_range()
    TypeNewBreakpoint(harvest, f"*{type_new_address():#x}")
    if config.get("walk"):
        VisitBreakpoint(harvest, walk_callback())
    for name, decoders in config["watch"].items():
        CallBreakpoint(harvest, name, name, decoders)
    for addr, kind in config.get("known_hooks", {}).items():
        if low <= int(addr) < high:
            harvest.hooks[int(addr)] = kind
            harvest.pending.add(int(addr))
    harvest.watch_pending()
    while True:
        gdb.execute("continue", to_string=True)
        inferior = gdb.selected_inferior()
        if not inferior.is_valid() or inferior.pid == 0:
            break
        if harvest.pending:
            harvest.watch_pending()
        if harvest.finish_at is not None:
            EndBreakpoint(harvest, harvest.finish_at)
            harvest.finish_at = None
            continue
        if harvest.stopped is not None:
            gdb.execute("kill")
            break
    harvest.log("exit", EXIT[0] if harvest.stopped is None else None)
    harvest.finish()


EXIT: list[int | None] = [None]


def _on_exit(event: Any) -> None:
    EXIT[0] = getattr(event, "exit_code", None)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


gdb.events.exited.connect(_on_exit)
main()
