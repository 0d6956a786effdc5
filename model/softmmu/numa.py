"""``-numa node,...``, ``dist``, ``cpu``, ``hmat-lb``, ``hmat-cache`` (hw/core/numa.c).

Each ``-numa`` is a QemuOpts entry accepting any parameter (implied key ``type``), visited as
``NumaOptions`` by ``parse_numa_opts`` before board init, with the option as location: the
type, then the members of that type (an unknown one is ``Invalid parameter``). ``node,mem=`` is
refused on machine types from 5.1 on (``numa_mem_supported``). Once every node is known, their
memory (``mem=``, or the size of its ``memdev=`` backend; never both kinds) must add up to the
RAM size (``numa_complete_configuration``); with backends, the machine's RAM is a container of
theirs.
"""

from __future__ import annotations

from model.data_files import load_json
from model.errors import QemuError
from model.hw.i386.pc import ensure_board
from model.hw.machine import version_key
from model.qom.object import Object
from model.qom.properties import parse_c_integer
from model.softmmu.memory import parse_option_size
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import memory_region_add_subregion
from model.softmmu.qemu_opts_check import parse_list
from model.softmmu.region_init import memory_region_init
from model.state import QemuInit
from tracer.recorder import traced

NODE_MEMBERS = ("type", "nodeid", "cpus", "mem", "memdev", "initiator")
NUMBER_MEMBERS = ("nodeid", "initiator")


def numa_option(q: QemuInit, arg: str, location: str) -> None:
    q.other.numa.append((parse_list(q, "numa", arg, "type", accepts_any=True), location))


def _mem_supported(ms: Object) -> bool:
    key = version_key(str(ms.klass.fields.get("name", "")))
    return key is not None and key < (5, 1)


@traced("hw/core/numa.c", name="set_numa_options", args=lambda q, ms, items, index: {"opts": dict(items)})
def set_numa_options(q: QemuInit, ms: Object, items: dict[str, str], index: int) -> int:
    """One ``-numa`` (the ``index``-th): its type and members; returns the node's memory (0 for
    other types): its ``mem=``, or its ``memdev=`` backend's size, never both kinds in one
    configuration."""
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
    earlier = [n for n, _ in q.other.numa[:index] if n.get("type") == "node"]
    have_mem = any("mem" in n for n in earlier) or "mem" in items
    have_memdevs = any("memdev" in n for n in earlier) or "memdev" in items
    if ("mem" in items and have_memdevs) or ("memdev" in items and have_mem):
        raise QemuError("numa configuration should use either mem= or memdev=,mixing both is not allowed")
    size = 0
    if "mem" in items:
        if not _mem_supported(ms):
            raise QemuError("Parameter -numa node,mem is not supported by this machine type",
                            hint="Use -numa node,memdev instead")
        size = parse_option_size("mem", items["mem"])
    if "memdev" in items:
        backend = q.memory_backends.get(items["memdev"])
        if backend is None:
            raise QemuError(f"memdev={items['memdev']} is ambiguous")
        size = backend.size
    return size


@traced("hw/core/numa.c", args=lambda q, ms: {"nodes": len(q.other.numa)})
def parse_numa_opts(q: QemuInit, ms: Object) -> None:
    total = 0
    for index, (items, location) in enumerate(q.other.numa):
        q.console.location = location
        try:
            total += set_numa_options(q, ms, items, index)
        except QemuError as err:
            raise q.console.fatal(err) from None
    q.console.location = None
    nodes = [items for items, _ in q.other.numa if items.get("type") == "node"]
    ram_size = int(ms.state.get("ram_size", 0))
    if nodes and total != ram_size:
        q.console.error_report(f"total memory for NUMA nodes (0x{total:x}) should equal RAM size (0x{ram_size:x})")
        raise q.exit(1)
    memdevs = [q.memory_backends[n["memdev"]] for n in nodes if "memdev" in n]
    ram_id = ms.klass.fields.get("default_ram_id")
    if memdevs and ram_id:  # !numa_uses_legacy_mem()
        if ms.state.get("memdev") is not None:
            q.console.error_report("'-machine memory-backend' and '-numa memdev' properties are mutually exclusive")
            raise q.exit(1)
        numa_init_memdev_container(q, ms, str(ram_id), ram_size, [b.region for b in memdevs])


def numa_init_memdev_container(q: QemuInit, ms: Object, name: str, size: int, regions: list[MemoryRegion]) -> None:
    """The machine's RAM is a container named ``default_ram_id`` (``/machine/NAME[0]``), the
    nodes' backends laid out in it one after another."""
    container = memory_region_init(q.types, ms.typename, name, size)
    offset = 0
    for region in regions:
        memory_region_add_subregion(q.types, q.memory_map, container, offset, region)
        offset += region.size
    q.machine_ram = container
    ensure_board(q, ms).machine.add_child(f"{name}[*]", "memory-region")
