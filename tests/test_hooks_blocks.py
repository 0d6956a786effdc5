"""What a trace says about each frame: QOM hooks carry their kind and the type that declared
them, blocks of code are marked and drawn apart, and a class counts as initialised once its
``class_init`` has returned."""

from __future__ import annotations

import io
from functools import cache

from rich.console import Console

from model.data_files import load_json
from tracer.fileio import decode_trace, encode_trace
from tracer.record import record_trace
from tracer.render.tree_text import render_call_tree
from tracer.trace import Trace
from tracer.typestate import TypeState, index_milestones

LETTERS = {"class_init": "c", "class_base_init": "b", "instance_init": "i", "instance_post_init": "p"}


@cache
def pc_max() -> Trace:
    return record_trace(["-machine", "pc", "-cpu", "max"])


def test_types_carry_only_the_hooks_the_binarys_typeinfos_set() -> None:
    binary = {row[0]: row[2] for row in load_json("steps/types.json")["startup"]}
    binary.update({row[0]: row[2] for row in load_json("steps/types.json")["late"]})
    for entry in pc_max().types:
        assert {LETTERS[kind] for kind in entry.hooks} == set(binary[entry.name]), entry.name
    interface = next(t for t in pc_max().types if t.name == "interface")
    assert interface.hooks == {}


def test_hook_calls_say_their_kind_and_stand_ins_their_owner() -> None:
    calls = [e for e in pc_max().events if e.kind == "call" and e.hook is not None]
    kinds = {e.hook for e in calls}
    assert kinds == {"class_init", "class_base_init", "instance_init", "instance_post_init"}
    stand_ins = [e for e in calls if e.fn == "instance_init"]
    assert stand_ins and all(e.args and e.args.get("owner") for e in stand_ins)


def test_blocks_are_marked_and_drawn_apart() -> None:
    trace = pc_max()
    blocks = {name for name, info in trace.functions.items() if info.block}
    assert "qemu_init: first pass over the options" in blocks
    assert "x86_cpu_realizefn: physical address bits" in blocks
    assert not trace.functions["qemu_init"].block
    out = io.StringIO()
    render_call_tree(Console(file=out, width=200, color_system=None), trace, max_depth=2)
    assert "«qemu_init: first pass over the options»" in out.getvalue()


def test_a_class_is_initialised_once_its_class_init_returned() -> None:
    trace = pc_max()
    milestones = index_milestones(trace)
    call = milestones.class_init_call["x86_64-cpu"]
    assert trace.events[call].hook == "class_init"
    done = milestones.class_initialised["x86_64-cpu"]
    assert trace.events[done].kind == "return" and trace.events[done].call == call
    assert milestones.state_at("x86_64-cpu", call) == TypeState.REGISTERED
    assert milestones.state_at("x86_64-cpu", done) == TypeState.CLASS_INITIALISED
    # a type whose TypeInfo sets no class_init is initialised when type_initialize returns
    first = milestones.class_init_call["interface"]
    assert trace.events[first].fn == "type_initialize"


def test_a_recorded_trace_reads_back_with_hooks_and_blocks() -> None:
    """Everything the model records (hook kinds, owners, blocks, region sizes shown in hex as the
    binary passes them, UINT64_MAX for the whole address space) survives the file format's
    typed decoder and its schema."""
    trace = pc_max()
    back = decode_trace(encode_trace(trace))
    assert back.events == trace.events
    assert back.functions["qemu_init: first pass over the options"].block
    assert any(e.fn == "memory_region_init" and e.args and e.args["name"] == "system"
               and e.args["size"] == hex((1 << 64) - 1) for e in back.events)
