"""x86 machine code shared by every x86 board (``hw/i386/x86.c``): the CPUs and the BIOS.

``x86_cpus_init`` fixes the CPU model version used for unversioned names, then creates and
realizes ``-smp`` CPUs one by one with ``x86_cpu_new``; each realized CPU takes its place in
the machine's composition tree.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Device
from model.hw.core.facts import fact_for
from model.hw.core.loader import firmware_sizes
from model.hw.core.qdev import qdev_realize
from model.qom.object import Object, object_property_set
from model.qom.qdev import qdev_realize as cpu_realize
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import (
    memory_region_add_subregion,
    memory_region_add_subregion_overlap,
    memory_region_set_enabled,
    memory_region_set_readonly,
)
from model.softmmu.region_init import memory_region_init_alias, memory_region_init_ram
from model.state import QemuInit
from model.target_i386.cpu import x86_cpu_set_default_version
from model.target_i386.cpu_qom import cpu_state
from model.target_i386.state import X86CPUState
from tracer.recorder import traced


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


@traced("hw/i386/x86.c", args=lambda q, ms, apic_id: {"machine": ms.typename, "apic_id": apic_id,
                                                       "type": ms.state.get("cpu_type")})
def x86_cpu_new(q: QemuInit, ms: Object, apic_id: int) -> None:
    """``object_new`` of the machine's CPU type, set ``apic-id``, then realize (errors are fatal)."""
    try:
        cpu = q.types.object_new(ms.state["cpu_type"])
        object_property_set(cpu, "apic-id", apic_id)
        cpu_realize(cpu)
    except QemuError as err:
        raise q.console.fatal(err) from None
    if q.board is not None:
        cpu_set_realized(q.board, cpu, not q.cpus, q.kvmvapic)
    q.cpus.append(cpu)


@traced("hw/core/qdev.c", name="device_set_realized", args=lambda board, cpu, first, vapic: {"type": cpu.typename})
def cpu_set_realized(board: Board, cpu: Object, first: bool, vapic: Object | None) -> None:
    """A realized CPU in the machine: ``/machine/unattached/device[N]`` with its address spaces
    (``memory[N]``, ``smram``); a CPU with an APIC owns it as ``lapic``, whose realize adds the
    TCG ``kvmvapic`` ROM-patching device for the first CPU."""
    dev = Device(cpu, fact_for(cpu.typename), realized=True)
    board.devices.append(dev)
    dev.node = board.unattached.add_child("device[*]", cpu.typename)
    for base, type_, count in dev.fact.children:
        if base != "smram":
            dev.node.add_owned(base, type_, count)
    board.done_notifiers.append(lambda b: x86_cpu_machine_done(b, dev))
    if _has_apic(cpu):
        apic_in_tree(board, dev, vapic if first else None)


def _has_apic(cpu: Object) -> bool:
    """``x86_cpu_apic_create`` runs when CPUID says the CPU has an APIC (or with several CPUs)."""
    state: X86CPUState | None = cpu.state.get("x86")
    return state is not None and state.has("apic")


@traced("target/i386/tcg/sysemu/tcg-cpu.c", args=lambda board, dev: {"type": dev.typename, "smram": board.has_smram})
def x86_cpu_machine_done(board: Board, dev: Device) -> None:
    """Once the machine is complete, a TCG CPU aliases the board's SMRAM (``/machine/smram``,
    made by the i440FX or MCH host bridge) into its SMM address space (above system memory),
    if there is one."""
    root = cpu_state(dev.obj).as_root
    if board.smram is not None and dev.node is not None and root is not None:
        types, mm = board.types, board.memory_map
        smram = memory_region_init_alias(types, dev.typename, "smram", 2**32, board.smram, 0)
        memory_region_set_enabled(types, mm, smram, True)
        memory_region_add_subregion_overlap(types, mm, root, 0, smram, 1)
        dev.node.add_child("smram[*]", "memory-region")


def apic_in_tree(board: Board, dev: Device, vapic: Object | None) -> None:
    """The local APIC in the composition tree: the CPU's child ``lapic``. The QOM objects (the
    ``apic`` and, for the first CPU, ``kvmvapic``) were created and realized inside the CPU's
    realize (``x86_cpu_apic_create``, ``x86_cpu_apic_realize``), where QEMU creates them; the
    kvmvapic device joins the board's devices and the system bus here, without a second
    realize (``__wrapped__``: qdev_realize's bookkeeping, not another traced call)."""
    assert dev.node is not None
    lapic = dev.node.add_child("lapic", "apic")
    lapic.add_owned("apic-msi", "memory-region", 1)
    if vapic is not None:
        device = Device(vapic, fact_for("kvmvapic"))
        board.devices.append(device)
        qdev_realize.__wrapped__(board, device, board.sysbus)  # type: ignore[attr-defined]


ISA_BIOS_MAX = 128 * 1024  # the most of the BIOS aliased below 1 MiB
FIRMWARE = {"microvm_machine_state_init": "bios-microvm.bin"}  # a board's own default BIOS


def firmware_for(ms: Object) -> str:
    """The BIOS file a machine loads: its own default (``firmware=`` in its default options,
    microvm's own), else ``bios.bin``."""
    init = str(ms.klass.fields.get("init") or "")
    opts = str(ms.klass.fields.get("default_machine_opts") or "")
    firmware = opts.split("firmware=", 1)[1].split(",")[0] if "firmware=" in opts else "bios.bin"
    return FIRMWARE.get(init, firmware)


@traced("hw/i386/x86.c", args=lambda board, ms, rom_memory, ram_fw: {"firmware": firmware_for(ms),
                                                                     "rom_memory": rom_memory.name})
def x86_bios_rom_init(board: Board, ms: Object, rom_memory: MemoryRegion, ram_fw: bool) -> None:
    """The BIOS (``pc.bios``, as large as its file) at the top of 4 GiB and its last 128 KiB at
    most aliased below 1 MiB (``isa-bios``), both read-only unless the board runs its firmware
    from RAM (``isapc``, microvm). Each step is its own memory transaction."""
    types, mm = board.types, board.memory_map
    size = firmware_sizes()[firmware_for(ms)]
    bios = memory_region_init_ram(types, None, "pc.bios", size)
    if not ram_fw:
        memory_region_set_readonly(types, mm, bios, True)
    isa_size = min(size, ISA_BIOS_MAX)
    isa_bios = memory_region_init_alias(types, None, "isa-bios", isa_size, bios, size - isa_size)
    for name in ("pc.bios", "isa-bios"):
        board.unattached.add_child(name + "[*]", "memory-region")
    memory_region_add_subregion_overlap(types, mm, rom_memory, 0x100000 - isa_size, isa_bios, 1)
    if not ram_fw:
        memory_region_set_readonly(types, mm, isa_bios, True)
    memory_region_add_subregion(types, mm, rom_memory, 2**32 - size, bios)
