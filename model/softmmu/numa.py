"""``-numa node,...``, ``dist``, ``cpu``, ``hmat-lb``, ``hmat-cache`` (hw/core/numa.c).

Each ``-numa`` is a QemuOpts entry accepting any parameter (implied key ``type``), visited as
``NumaOptions`` by ``parse_numa_opts`` before board init, with the option as location: the
type, then the members of that type (an unknown one is ``Invalid parameter``). ``node,mem=`` is
refused on machine types from 5.1 on (``numa_mem_supported``). Once every node is known, their
memory must add up to the RAM size (``numa_complete_configuration``), unless a node takes its
memory from a backend, which the model does not create.
"""

from __future__ import annotations

from model.data_files import load_json
from model.errors import QemuError
from model.hw.machine import version_key
from model.qom.object import Object
from model.qom.properties import parse_c_integer
from model.softmmu.memory import parse_option_size
from model.softmmu.qemu_opts_check import parse_list
from model.state import QemuInit
from tracer.recorder import traced

NODE_MEMBERS = ("type", "nodeid", "cpus", "mem", "memdev", "initiator")
NUMBER_MEMBERS = ("nodeid", "initiator")


def numa_option(q: QemuInit, arg: str, location: str) -> None:
    q.other.numa.append((parse_list(q, "numa", arg, "type", accepts_any=True), location))


def _mem_supported(ms: Object) -> bool:
    key = version_key(str(ms.klass.fields.get("name", "")))
    return key is not None and key < (5, 1)


@traced("hw/core/numa.c", name="set_numa_options", args=lambda q, ms, items: {"opts": dict(items)})
def set_numa_options(q: QemuInit, ms: Object, items: dict[str, str]) -> int:
    """One ``-numa``: its type and members; returns the node's memory (0 for other types)."""
    kind = items.get("type")
    if kind not in load_json("qemu_opts.json")["numa_types"]:
        raise QemuError(f"Parameter 'type' does not accept value '{kind}'")
    if kind == "dist":
        nodes = {items.get("nodeid") for items, _ in q.other.numa if items.get("type") == "node"}
        declared = {int(n, 0) for n in nodes if n is not None and n.isdigit()}
        for end in ("src", "dst"):
            if end in items and items[end].isdigit() and int(items[end]) not in declared:
                raise QemuError("Source/Destination NUMA node is missing. Please use '-numa node' option to "
                                "declare it first.")
    if kind != "node":
        return 0
    for key, value in items.items():
        if key not in NODE_MEMBERS:
            raise QemuError(f"Invalid parameter '{key}'")
        if key in NUMBER_MEMBERS:
            number = parse_c_integer(value, signed=False)
            if number is None or number >= 2**64:
                raise QemuError(f"Parameter '{key}' expects a uint64 value")
    if "mem" in items:
        if not _mem_supported(ms):
            raise QemuError("Parameter -numa node,mem is not supported by this machine type",
                            hint="Use -numa node,memdev instead")
        return parse_option_size("mem", items["mem"])
    return 0


@traced("hw/core/numa.c", args=lambda q, ms: {"nodes": len(q.other.numa)})
def parse_numa_opts(q: QemuInit, ms: Object) -> None:
    total = 0
    for items, location in q.other.numa:
        q.console.location = location
        try:
            total += set_numa_options(q, ms, items)
        except QemuError as err:
            raise q.console.fatal(err) from None
    q.console.location = None
    nodes = [items for items, _ in q.other.numa if items.get("type") == "node"]
    ram_size = int(ms.state.get("ram_size", 0))
    if nodes and not any("memdev" in n for n in nodes) and total != ram_size:
        q.console.error_report(f"total memory for NUMA nodes (0x{total:x}) should equal RAM size (0x{ram_size:x})")
        raise q.exit(1)
