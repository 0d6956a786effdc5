"""Board initialisation: from ``machine_run_board_init`` to the first realized CPU.

hw/core/machine.c hands over to the machine's ``init`` (``pc_init1`` for i440FX, ``pc_q35_init``,
``pc_init_isa``, ``microvm_machine_state_init``, ``machine_none_init``); the x86 ones call
``x86_cpus_init``, which fixes the CPU model version used for unversioned names and then
creates and realizes ``-smp`` CPUs one by one with ``x86_cpu_new``.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.machine import CPU_VERSION_LATEST, version_key
from model.qom.object import Object, ObjectClass, object_property_set
from model.qom.qdev import qdev_realize
from model.softmmu.memory import (
    pc_check_device_memory,
    pc_has_reserved_memory,
    pc_lowmem_warning,
    pc_max_used_gpa_check,
    qemu_strtosz,
)
from model.state import QemuInit
from model.target_i386.cpu import x86_cpu_set_default_version
from model.target_i386.cpu_qom import cpu_state
from tracer.recorder import traced

SRC_MACHINE = "hw/core/machine.c"


@traced(SRC_MACHINE, args=lambda q, ms: {"machine": ms.typename, "cpu_type": ms.state.get("cpu_type")})
def machine_run_board_init(q: QemuInit, ms: Object) -> None:
    """Check the CPU type against the machine, warn if it is deprecated, bind the accelerator's
    CPU interface to every CPU class, then run the board's ``init``."""
    cpu_type: str | None = ms.state.get("cpu_type")
    if cpu_type is not None:
        oc = q.types.object_class_by_name(cpu_type)
        note = oc.fields.get("deprecation_note") if oc is not None else None
        if note:
            q.console.warn_report(f"CPU model {cpu_type} is deprecated -- {note}")
    accel_init_interfaces(q)
    init = ms.klass.fields.get("init")
    board = BOARDS.get(init or "", machine_none_init)
    board(q, ms)


@traced("accel/accel-common.c", args=lambda q: {"accel": q.accel})
def accel_init_interfaces(q: QemuInit) -> None:
    """Give every CPU class its accelerator interface (``tcg-accel-x86_64-cpu`` or ``kvm-...``)."""
    accel_cpu = f"{q.accel}-accel-x86_64-cpu"

    def bind(oc: ObjectClass) -> None:
        oc.fields["accel_cpu"] = accel_cpu

    q.types.object_class_foreach("x86_64-cpu", False, bind)


@traced("hw/i386/pc_piix.c", args=lambda q, ms: {"machine": ms.typename})
def pc_init1(q: QemuInit, ms: Object) -> None:
    """The i440FX board (also ``isapc``): CPUs first, then memory, chipset and devices."""
    pc_lowmem_check(q, ms, q35=False)
    x86_cpus_init(q, ms, ms.klass.fields.get("default_cpu_version", 0))
    pc_memory_init(q, ms)


@traced("hw/i386/pc_q35.c", args=lambda q, ms: {"machine": ms.typename})
def pc_q35_init(q: QemuInit, ms: Object) -> None:
    """The Q35 board: CPUs first, then memory, the MCH host bridge and ICH9 devices."""
    pc_lowmem_check(q, ms, q35=True)
    x86_cpus_init(q, ms, ms.klass.fields.get("default_cpu_version", 0))
    pc_memory_init(q, ms)


def pc_lowmem_check(q: QemuInit, ms: Object, q35: bool) -> None:
    """Where RAM splits around 4 GiB, as the board computes it first; ``max-ram-below-4g``
    values that split it badly are warned about."""
    value = q.machine_opts.get("max-ram-below-4g")
    limit = qemu_strtosz(value) if value is not None else None
    warning = pc_lowmem_warning(q35, int(ms.state.get("ram_size", 0)), limit or 0)
    if warning:
        q.console.warn_report(warning)


@traced("hw/i386/pc.c", args=lambda q, ms: {"machine": ms.typename})
def pc_memory_init(q: QemuInit, ms: Object) -> None:
    """RAM and the device-memory range for hot-pluggable DIMMs, within the board's limits."""
    name = str(ms.klass.fields.get("name", ""))
    version = version_key(name)
    ram, maxram, slots = (int(ms.state.get(k, 0)) for k in ("ram_size", "maxram_size", "ram_slots"))
    try:
        pc_check_device_memory(name, version, ram, maxram, slots)
        if q.cpus:
            first = cpu_state(q.cpus[0]).props
            pc_max_used_gpa_check(ms.klass.fields.get("family") == "pc_q35", name != "isapc", version, ram,
                                  maxram, slots,
                                  pc_has_reserved_memory(name, version), str(first.get("vendor", "")),
                                  int(first.get("phys-bits", 40)))
    except QemuError as err:
        raise q.console.fatal(err) from None


@traced("hw/i386/pc_piix.c", args=lambda q, ms: {"machine": ms.typename})
def pc_init_isa(q: QemuInit, ms: Object) -> None:
    """The ISA-only PC: ``pc_init1`` without PCI."""
    pc_init1(q, ms)


@traced("hw/i386/microvm.c", args=lambda q, ms: {"machine": ms.typename})
def microvm_machine_state_init(q: QemuInit, ms: Object) -> None:
    """microvm resolves unversioned CPU models to their latest version."""
    x86_cpus_init(q, ms, CPU_VERSION_LATEST)


@traced("hw/core/null-machine.c", args=lambda q, ms: {"machine": ms.typename})
def machine_none_init(q: QemuInit, ms: Object) -> None:
    """The empty machine creates one CPU only if ``-cpu`` was given, with ``cpu_create``:
    no APIC id is assigned, which x86 CPUs refuse at realize."""
    cpu_type: str | None = ms.state.get("cpu_type")
    if cpu_type is None:
        return
    try:
        cpu = q.types.object_new(cpu_type)
        qdev_realize(cpu)
    except QemuError as err:
        raise q.console.fatal(err) from None
    q.cpus.append(cpu)


@traced("hw/remote/machine.c", args=lambda q, ms: {"machine": ms.typename})
def remote_machine_init(q: QemuInit, ms: Object) -> None:
    """The multi-process remote machine has no CPUs of its own."""


@traced("hw/i386/x86.c", args=lambda q, ms, version: {"machine": ms.typename, "default_cpu_version": version})
def x86_cpus_init(q: QemuInit, ms: Object, version: int) -> None:
    """Fix the version unversioned CPU model names resolve to, then create ``-smp`` CPUs."""
    x86_cpu_set_default_version(q, version)
    smp = ms.state["smp"]
    apic_id_limit = x86_apic_id_from_index(smp, smp["max_cpus"] - 1) + 1
    if apic_id_limit > 255 and q.accel != "kvm":
        q.console.error_report("current -smp configuration requires kernel irqchip and X2APIC API support.")
        raise q.exit(1)
    for index in range(smp["cpus"]):
        x86_cpu_new(q, ms, x86_apic_id_from_index(smp, index))


def _width(count: int) -> int:
    """Bits needed to number ``count`` items (QEMU's apicid_bitwidth_for_count)."""
    return (count - 1).bit_length() if count > 1 else 0


def x86_apic_id_from_index(smp: dict[str, int], index: int) -> int:
    """The APIC id of CPU ``index``: socket, die, core and thread ids packed in bit fields."""
    threads, cores, dies = smp["threads"], smp["cores"], smp["dies"]
    thread_w, core_w, die_w = _width(threads), _width(cores), _width(dies)
    thread = index % threads
    core = index // threads % cores
    die = index // (threads * cores) % dies
    socket = index // (threads * cores * dies)
    return (socket << (die_w + core_w + thread_w)) | (die << (core_w + thread_w)) | (core << thread_w) | thread


@traced("hw/i386/x86.c", args=lambda q, ms, apic_id: {"type": ms.state.get("cpu_type"), "apic_id": apic_id})
def x86_cpu_new(q: QemuInit, ms: Object, apic_id: int) -> None:
    """``object_new`` of the machine's CPU type, set ``apic-id``, then realize (errors are fatal)."""
    try:
        cpu = q.types.object_new(ms.state["cpu_type"])
        object_property_set(cpu, "apic-id", apic_id)
        qdev_realize(cpu)
    except QemuError as err:
        raise q.console.fatal(err) from None
    q.cpus.append(cpu)


BOARDS = {"pc_init1": pc_init1, "pc_q35_init": pc_q35_init, "pc_init_isa": pc_init_isa,
          "microvm_machine_state_init": microvm_machine_state_init, "machine_none_init": machine_none_init,
          "remote_machine_init": remote_machine_init}
