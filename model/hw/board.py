"""Board initialisation: from ``machine_run_board_init`` to the first realized CPU.

hw/core/machine.c hands over to the machine's ``init`` (``pc_init1`` for i440FX, ``pc_q35_init``,
``pc_init_isa``, ``microvm_machine_state_init``, ``machine_none_init``); the x86 ones call
``x86_cpus_init``, which fixes the CPU model version used for unversioned names and then
creates and realizes ``-smp`` CPUs one by one with ``x86_cpu_new``.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.i386.microvm import microvm_machine_state_init
from model.hw.i386.pc import adopt_early_regions, ensure_board
from model.hw.i386.pc_piix import pc_init1
from model.hw.i386.pc_q35 import pc_q35_init
from model.qom.object import Object, ObjectClass
from model.qom.qdev import qdev_realize
from model.registry import module_object_class_by_name
from model.softmmu.physmem import memory_region_add_subregion
from model.softmmu.region_init import memory_region_init_ram_flags_nomigrate
from model.state import QemuInit
from tracer.recorder import traced

SRC_MACHINE = "hw/core/machine.c"


@traced(SRC_MACHINE, args=lambda q, ms: {"machine": ms.typename, "cpu_type": ms.state.get("cpu_type")})
def machine_run_board_init(q: QemuInit, ms: Object) -> None:
    """The machine's RAM (the ``memory-backend``, which must be as large as ``-m``; else NUMA
    nodes' backends, else a default backend named ``default_ram_id``), the CPU type's
    deprecation, the accelerator's CPU interface on every CPU class, then the board's ``init``."""
    cpu_type: str | None = ms.state.get("cpu_type")
    oc = q.types.object_class_by_name(cpu_type)  # QEMU looks it up even when it is NULL
    memdev = q.memory_backends.get(str(ms.state.get("memdev")))
    ram_id = ms.klass.fields.get("default_ram_id")
    if memdev is not None:
        if memdev.size != ms.state.get("ram_size"):
            q.console.location = None
            raise q.console.fatal(QemuError("Machine memory size does not match the size of the memory backend"))
        q.machine_ram = memdev.region
    elif ram_id and ms.state.get("ram_size") and q.machine_ram is None:  # numa_uses_legacy_mem()
        objects = q.types.object_get_objects_root()
        if ram_id in objects.children:
            q.console.location = None
            raise q.console.fatal(QemuError(
                f"object name '{ram_id}' is reserved for the default RAM backend, it can't be used for any "
                "other purposes. Change the object's 'id' to something else"))
        create_default_memdev(q, ms)
    note = oc.fields.get("deprecation_note") if oc is not None else None
    if note:
        q.console.warn_report(f"CPU model {cpu_type} is deprecated -- {note}")
    accel_init_interfaces(q)
    board_state = ensure_board(q, ms)
    board_state.smp_cpus = int(ms.state.get("smp", {}).get("cpus", 1))
    board_state.ram_slots = int(ms.state.get("ram_slots", 0))
    adopt_early_regions(board_state)
    init = ms.klass.fields.get("init")
    board = BOARDS.get(init or "", machine_none_init)
    try:
        board(q, ms)
    except QemuError as err:  # board code passes &error_fatal
        raise q.console.fatal(err) from None


@traced(SRC_MACHINE, args=lambda q, ms: {"machine": ms.typename})
def create_default_memdev(q: QemuInit, ms: Object) -> None:
    """Without ``-machine memory-backend``, back guest RAM with a ``memory-backend-ram`` object
    named after the machine's ``default_ram_id`` (``pc.ram``) under ``/objects``; completing it
    allocates its memory region."""
    objects = q.types.object_get_objects_root()
    backend = q.types.object_new("memory-backend-ram")
    name = ms.klass.fields["default_ram_id"]
    objects.children[name] = backend
    # user_creatable_complete -> ram_backend_memory_alloc: the region is named after the
    # backend's place in /objects and sized to -m.
    q.machine_ram = memory_region_init_ram_flags_nomigrate(q.types, backend.typename, name, int(ms.state["ram_size"]))


@traced("accel/accel-common.c", args=lambda q: {"accel": f"{q.accel}-accel"})
def accel_init_interfaces(q: QemuInit) -> None:
    """Bind the chosen accelerator's operations (loading ``tcg-accel-ops`` from its module)
    and give every CPU class its accelerator interface (``tcg-accel-x86_64-cpu`` or ``kvm-...``)."""
    accel_init_ops_interfaces(q)
    accel_init_cpu_interfaces(q)


@traced("accel/accel-softmmu.c", args=lambda q: {"accel": f"{q.accel}-accel"})
def accel_init_ops_interfaces(q: QemuInit) -> None:
    """Find ``ACCEL-accel-ops``, loading its module if needed. QEMU 7.2 looks it up twice: a
    line left over from a refactoring repeats the lookup, harmlessly."""
    ops = f"{q.accel}-accel-ops"
    module_object_class_by_name(q, ops)
    if module_object_class_by_name(q, ops) is None:
        q.console.error_report(f"fatal: could not load module for type '{ops}'")
        raise q.exit(1)


@traced("accel/accel-common.c", args=lambda q: {"accel": f"{q.accel}-accel"})
def accel_init_cpu_interfaces(q: QemuInit) -> None:
    """Set ``cc->accel_cpu`` on every x86 CPU class to the accelerator's CPU interface."""
    accel_cpu = f"{q.accel}-accel-x86_64-cpu"
    module_object_class_by_name(q, accel_cpu)

    def bind(oc: ObjectClass) -> None:
        oc.fields["accel_cpu"] = accel_cpu

    q.types.object_class_foreach("x86_64-cpu", False, bind)


@traced("hw/i386/pc_piix.c", args=lambda q, ms: {"machine": ms.typename})
def pc_init_isa(q: QemuInit, ms: Object) -> None:
    """The ISA-only PC: ``pc_init1`` without PCI."""
    pc_init1(q, ms)


@traced("hw/core/null-machine.c", args=lambda q, ms: {"machine": ms.typename})
def machine_none_init(q: QemuInit, ms: Object) -> None:
    """The empty machine creates one CPU only if ``-cpu`` was given, with ``cpu_create``:
    no APIC id is assigned, which x86 CPUs refuse at realize. With ``-m`` it maps its RAM (the
    default backend's region) at address 0."""
    cpu_type: str | None = ms.state.get("cpu_type")
    if cpu_type is not None:
        try:
            cpu = cpu_create(q, cpu_type)
        except QemuError as err:
            raise q.console.fatal(err) from None
        q.cpus.append(cpu)
    mm = q.memory_map
    if q.machine_ram is not None and mm.system is not None:
        memory_region_add_subregion(q.types, mm, mm.system, 0, q.machine_ram)


@traced("hw/core/cpu-common.c", args=lambda q, typename: {"type": typename})
def cpu_create(q: QemuInit, typename: str) -> Object:
    """``object_new`` then realize, with no board-specific properties set first."""
    cpu = q.types.object_new(typename)
    qdev_realize(cpu)
    return cpu


@traced("hw/remote/machine.c", args=lambda q, ms: {"machine": ms.typename})
def remote_machine_init(q: QemuInit, ms: Object) -> None:
    """The multi-process remote machine has no CPUs of its own."""


BOARDS = {"pc_init1": pc_init1, "pc_q35_init": pc_q35_init, "pc_init_isa": pc_init_isa,
          "microvm_machine_state_init": microvm_machine_state_init, "machine_none_init": machine_none_init,
          "remote_machine_init": remote_machine_init}
