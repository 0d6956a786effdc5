"""Choosing and configuring the machine: ``select_machine``, ``find_machine``, ``-machine help``,
machine properties, memory (``machine_set_mem``) and ``-smp`` (``machine_parse_smp_config``)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from model.errors import QemuError
from model.hw.machine import machine_class_properties, version_key
from model.qobject.qdict import qdict_order
from model.qom.object import Object, ObjectClass, object_property_parse
from model.qom.properties import parse_c_integer
from model.softmmu.machine_opts import check_machine_value, check_struct_members
from model.softmmu.memory import align_up, qemu_strtosz
from model.state import QemuInit
from tracer.recorder import traced

SRC_VL = "softmmu/vl.c"
SRC_MACHINE = "hw/core/machine.c"
SMP_KEYS = ("cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus")


@traced(SRC_VL, args=lambda q: {"type": q.machine_opts.get("type")}, ret=lambda mc: mc.name)
def select_machine(q: QemuInit) -> ObjectClass:
    """The machine named by ``-machine type=`` (name or alias), else the single default.

    Listing machine classes initialises every registered type (see object_class_foreach).
    """
    machines = q.types.object_class_get_list("machine", False)
    name = q.machine_opts.get("type")
    if name is not None:
        mc = find_machine(q, name, machines)
        if mc is None:
            raise QemuError("unsupported machine type", hint="Use -machine help to list supported machines")
        return mc
    mc = find_default_machine(q, machines)
    if mc is None:
        raise QemuError("No machine specified, and there is no default",
                        hint="Use -machine help to list supported machines")
    return mc


@traced(SRC_VL, args=lambda q, name, machines: {"name": name},
        ret=lambda mc: mc.name if mc is not None else None)
def find_machine(q: QemuInit, name: str, machines: list[ObjectClass]) -> ObjectClass | None:
    """The first machine class whose name or alias is exactly ``name``."""
    for mc in machines:
        if mc.fields.get("name") == name or mc.fields.get("alias") == name:
            return mc
    return None


@traced(SRC_VL, args=lambda q, machines: {}, ret=lambda mc: mc.name if mc is not None else None)
def find_default_machine(q: QemuInit, machines: list[ObjectClass]) -> ObjectClass | None:
    """The machine class marked ``is_default`` (QEMU asserts there is at most one)."""
    defaults = [mc for mc in machines if mc.fields.get("is_default")]
    assert len(defaults) <= 1, "Multiple default machines"
    return defaults[0] if defaults else None


def _help_order(a: ObjectClass, b: ObjectClass) -> int:
    """QEMU's machine_class_cmp: families alphabetically first, newest first within a family,
    then machines without a family alphabetically."""
    fa: str | None = a.fields.get("family")
    fb: str | None = b.fields.get("family")
    if fa is None and fb is None:
        return (a.name > b.name) - (a.name < b.name)
    if fa is None:
        return 1
    if fb is None:
        return -1
    if fa != fb:
        return (fa > fb) - (fa < fb)
    return (b.name > a.name) - (b.name < a.name)


def machine_help_text(q: QemuInit, typename: str | None) -> str:
    """What ``-machine help`` (or ``-machine TYPE,help``) prints."""
    machines = q.types.object_class_get_list("machine", False)
    if typename is not None:
        mc = find_machine(q, typename, machines)
        if mc is not None:
            return machine_properties_help(mc)
    lines = ["Supported machines are:"]
    for mc in sorted(machines, key=functools.cmp_to_key(_help_order)):
        name, desc = mc.fields.get("name", ""), mc.fields.get("desc", "")
        if mc.fields.get("alias"):
            lines.append(f"{mc.fields['alias']:<20} {desc} (alias of {name})")
        flags = (" (default)" if mc.fields.get("is_default") else "") + (
            " (deprecated)" if mc.fields.get("deprecation_reason") else "")
        lines.append(f"{name:<20} {desc}{flags}")
    return "\n".join(lines) + "\n"


def machine_properties_help(mc: ObjectClass) -> str:
    """``-machine TYPE,help``: the class's properties, ``  name=<type>`` padded to column 24
    before `` - description`` (QEMU's object_property_help format)."""
    lines = [f"{mc.name} options:"]
    for name, kind, desc in machine_class_properties().get(mc.name, []):
        line = f"  {name}=<{kind}>"
        if desc:
            line = f"{line:<24} - {desc}"
        lines.append(line)
    return "\n".join(lines) + "\n"


@traced("qom/object_interfaces.c", args=lambda q, ms, opts, defaults=False, extra=None: {"type": ms.typename,
                                                                                         "props": opts})
def object_set_properties_from_keyval(q: QemuInit, ms: Object, opts: dict[str, str], defaults: bool = False,
                                      extra: Callable[[], None] | None = None) -> None:
    """Set each key of a machine option dictionary as a property of the machine object.

    Called twice for PC machines: first with the class's ``default_machine_opts``, then with
    the ``-machine`` options, whose dictionary also holds ``boot`` (``extra``), ``memory``
    (always: ``-m`` or the class default) and ``smp`` (only with ``-smp``), set through the
    machine's own setters.
    """
    apply_machine_properties(q, ms, opts)
    if defaults:
        return
    if extra is not None:
        extra()
    machine_set_mem(q, ms)
    if q.smp_opts:
        machine_parse_smp_config(q, ms)
    else:
        machine_set_smp(q, ms)


def apply_machine_properties(q: QemuInit, ms: Object, opts: dict[str, str]) -> None:
    """Set each remaining ``-machine key=value`` as a property of the machine object, each value
    visited as its property's type (:mod:`model.softmmu.machine_opts`)."""
    kinds = {name: kind for name, kind, _ in machine_class_properties().get(ms.typename, [])}
    check_struct_members(opts)
    for key, value in opts.items():
        if key.startswith("sgx-epc."):
            continue  # a struct member, checked above; the model creates no EPC section
        check_machine_value(q, key, kinds.get(key, ""), value)
        object_property_parse(ms, key, value)


@traced(SRC_MACHINE, args=lambda q, ms: {"memory": q.memory.as_props()})
def machine_set_mem(q: QemuInit, ms: Object) -> None:
    """RAM size (default from the class, rounded up to 8 KiB), ``maxmem`` and ``slots`` checks."""
    mem = q.memory
    if mem.size is not None:
        size = qemu_strtosz(mem.size, warn=q.console.warn_report)
        if size is None:
            raise QemuError("Parameter 'memory.size' expects size")
    else:
        size = ms.klass.fields.get("default_ram_size", 0)
    size = align_up(size, 8192)
    if size > 2**64 - 1:
        raise QemuError("ram size too large")
    slots = int(mem.slots or 0)
    if mem.max_size is not None:
        max_size = int(mem.max_size)
        if max_size < size:
            raise QemuError(f"invalid value of maxmem: maximum memory size (0x{max_size:x}) must be at least "
                            f"the initial memory size (0x{size:x})")
        if slots and max_size == size:
            raise QemuError(f"invalid value of maxmem: memory slots were specified but maximum memory size "
                            f"(0x{max_size:x}) is equal to the initial memory size (0x{size:x})")
    elif slots:
        raise QemuError("slots specified but no max-size")
    ms.state["ram_size"] = size
    ms.state["maxram_size"] = int(mem.max_size) if mem.max_size is not None else size
    ms.state["ram_slots"] = slots


def _smp_int(key: str, value: str) -> int:
    """An ``int`` member of ``SMPConfiguration`` (qemu_strtoi64), as the machine keeps it: in an
    ``unsigned`` field, so a negative number wraps (``-smp -1`` asks for 4294967295 CPUs)."""
    number = parse_c_integer(value, signed=True)
    if number is None or not -(2**63) <= number < 2**63:
        raise QemuError(f"Parameter 'smp.{key}' expects integer")
    return number & 0xFFFFFFFF


def _div(total: int, product: int) -> int:
    """``total / product`` in unsigned 32-bit arithmetic (a product that wraps to 0 gives 0)."""
    product &= 0xFFFFFFFF
    return total // product if product else 0


def _signed(value: int) -> int:
    """An unsigned count printed with ``%d``, as QEMU's CPU-limit messages do."""
    return value - 2**32 if value >= 2**31 else value


@traced("hw/core/machine-smp.c", args=lambda q, ms: {"machine": ms.typename, "smp": dict(q.smp_opts)})
def machine_parse_smp_config(q: QemuInit, ms: Object) -> None:
    """``-smp``: check the topology the user gave and complete it (see ``machine_set_smp``)."""
    machine_set_smp(q, ms)


def machine_set_smp(q: QemuInit, ms: Object) -> None:
    """``-smp`` (or the defaults, without it): fill in the missing topology numbers (cores
    preferred over sockets on 6.2+ machines) and check them against each other and the
    machine's CPU limit."""
    values = {key: _smp_int(key, q.smp_opts[key]) for key in SMP_KEYS if key in q.smp_opts}
    for key in qdict_order(q.smp_opts):  # the visitor names the first leftover in QDict order
        if key not in SMP_KEYS:
            raise QemuError(f"Parameter 'smp.{key}' is unexpected")
    if any(v == 0 for v in values.values()):
        q.console.warn_report("Deprecated CPU topology (considered invalid): CPU topology parameters "
                              "must be greater than zero")
        values = {k: v for k, v in values.items() if v != 0}
    mc = ms.klass
    dies_supported = mc.is_a("x86-machine")
    cpus, maxcpus = values.get("cpus", 0), values.get("maxcpus", 0)
    sockets, cores, threads = values.get("sockets", 0), values.get("cores", 0), values.get("threads", 0)
    dies, clusters = values.get("dies", 0), values.get("clusters", 0)
    if not dies_supported and dies > 1:
        raise QemuError("dies not supported by this machine's CPU topology")
    if clusters > 1:
        raise QemuError("clusters not supported by this machine's CPU topology")
    dies, clusters = dies or 1, clusters or 1
    if cpus == 0 and maxcpus == 0:
        sockets, cores, threads = sockets or 1, cores or 1, threads or 1
    else:
        maxcpus = maxcpus or cpus
        if _prefer_sockets(mc):
            if sockets == 0:
                cores, threads = cores or 1, threads or 1
                sockets = _div(maxcpus, dies * clusters * cores * threads)
            elif cores == 0:
                threads = threads or 1
                cores = _div(maxcpus, sockets * dies * clusters * threads)
        elif cores == 0:
            sockets, threads = sockets or 1, threads or 1
            cores = _div(maxcpus, sockets * dies * clusters * threads)
        elif sockets == 0:
            threads = threads or 1
            sockets = _div(maxcpus, dies * clusters * cores * threads)
        if threads == 0:
            threads = _div(maxcpus, sockets * dies * clusters * cores)
    maxcpus = maxcpus or (sockets * dies * clusters * cores * threads) & 0xFFFFFFFF
    cpus = cpus or maxcpus
    topo = f"sockets ({sockets})" + (f" * dies ({dies})" if dies_supported else "") + \
        f" * cores ({cores}) * threads ({threads})"
    if (sockets * dies * clusters * cores * threads) & 0xFFFFFFFF != maxcpus:
        raise QemuError(f"Invalid CPU topology: product of the hierarchy must match maxcpus: {topo} != "
                        f"maxcpus ({maxcpus})")
    if maxcpus < cpus:
        raise QemuError(f"Invalid CPU topology: maxcpus must be equal to or greater than smp: {topo} == "
                        f"maxcpus ({maxcpus}) < smp_cpus ({cpus})")
    name, limit = mc.fields.get("name"), mc.fields.get("max_cpus", 1)
    if cpus < mc.fields.get("min_cpus", 1):
        raise QemuError(f"Invalid SMP CPUs {_signed(cpus)}. The min CPUs supported by machine '{name}' is "
                        f"{mc.fields.get('min_cpus', 1)}")
    if maxcpus > limit:
        raise QemuError(f"Invalid SMP CPUs {_signed(maxcpus)}. The max CPUs supported by machine '{name}' is {limit}")
    ms.state["smp"] = {"cpus": cpus, "max_cpus": maxcpus, "sockets": sockets, "dies": dies,
                       "clusters": clusters, "cores": cores, "threads": threads}


def _prefer_sockets(mc: ObjectClass) -> bool:
    """Machines older than 6.2 computed missing topology preferring sockets, newer prefer cores."""
    key = version_key(str(mc.fields.get("name", "")))
    return key is not None and key < (6, 2)
