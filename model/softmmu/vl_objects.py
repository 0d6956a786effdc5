"""The QOM objects ``qemu_init`` creates around the machine: the main system bus, the
``/machine/unattached`` container, the system memory regions, the accelerator object, the
console's ``chardev-vc`` type and the migration object.

Each is created exactly where QEMU 7.2 creates it (checked against the binary under gdb, see
``model/harvest/steps``), so their QOM hooks run in the binary's order. What the objects do
later (memory mapping, migration) is not modelled.
"""

from __future__ import annotations

from model.errors import QemuError
from model.qom.object import Object, ObjectClass
from model.qom.qdev import object_apply_compat_props
from model.registry import module_object_class_by_name, register_late_type
from model.softmmu.physmem import address_space_init
from model.softmmu.region_init import UINT64_MAX, memory_region_init, memory_region_init_io
from model.state import QemuInit
from tracer.recorder import block, traced

SRC_VL = "softmmu/vl.c"


def sysbus_get_default(q: QemuInit) -> Object:
    """``sysbus_get_default``: the main system bus ("System"), initialised in place on first
    use (an ``object_initialize``, not an ``object_new``)."""
    with block("sysbus_get_default: create the main system bus", "hw/core/sysbus.c"):
        return q.types.object_initialize("System")


@traced("softmmu/physmem.c", args=lambda q: {})
def cpu_exec_init_all(q: QemuInit) -> None:
    """The memory regions every machine has: the nameless ``unassigned`` region that answers
    accesses hitting nothing, then the roots of the ``system`` memory and ``io`` port address
    spaces (64 KiB of ports)."""
    memory_region_init_io(q.types, None, None, UINT64_MAX)
    memory_map_init(q)


@traced("softmmu/physmem.c", args=lambda q: {})
def memory_map_init(q: QemuInit) -> None:
    """The ``system`` container and the ``memory`` address space over it, then the ``io``
    region (64 KiB of ports answering unassigned accesses) and the ``I/O`` space."""
    mm = q.memory_map
    mm.system = memory_region_init(q.types, None, "system", UINT64_MAX)
    address_space_init(q.types, mm, mm.system, "memory")
    mm.io = memory_region_init_io(q.types, None, "io", 0x10000)
    address_space_init(q.types, mm, mm.io, "I/O")


def create_machine_objects(q: QemuInit, ms: Object) -> None:
    """What ``qemu_create_machine`` does after instantiating the machine: attach the system bus
    under ``/machine/unattached`` and set up the system memory."""
    bus = sysbus_get_default(q)
    q.types.container_get(ms, "/unattached").children["sysbus"] = bus
    cpu_exec_init_all(q)


@traced("ui/console.c", args=lambda q: {})
def qemu_console_early_init(q: QemuInit) -> None:
    """Register ``chardev-vc`` (text consoles) unless a display module already did."""
    if q.types.object_class_by_name("chardev-vc") is None:
        register_late_type(q, "chardev-vc")


@traced(SRC_VL, args=lambda q: {})
def qemu_create_early_backends(q: QemuInit) -> None:
    """Console types, early ``-object``s, chardevs, block and audio backends: of these only
    the console's type registration is modelled (nothing else is asked for by vmtrace's
    command lines)."""
    qemu_console_early_init(q)


@traced("migration/migration.c", args=lambda q: {})
def migration_object_init(q: QemuInit) -> None:
    """Create the migration state object (a device, so compat and global properties apply)."""
    q.types.object_new("migration")


def accel_find(q: QemuInit, name: str) -> ObjectClass | None:
    """``accel_find``: the class of ``NAME-accel``, trying to load a module that provides it
    when it is not known (looking it up initialises the class)."""
    return module_object_class_by_name(q, f"{name}-accel")


@traced("accel/accel-softmmu.c", args=lambda q, accel: {"accel": accel.typename}, ret=lambda r: r)
def accel_init_machine(q: QemuInit, accel: Object) -> int:
    """Initialise the chosen accelerator for the machine (for TCG, its translation buffers;
    KVM cannot run where vmtrace runs, and the model pretends it initialised)."""
    return 0


def create_accelerator(q: QemuInit, oc: ObjectClass, property_error: QemuError | None) -> Object:
    """``do_configure_accelerator`` for an accelerator that exists: instantiate it, apply the
    compat properties, set the ``-accel`` properties (an unknown one is fatal), then initialise
    it for the machine."""
    accel = q.types.object_new_with_class(oc)
    object_apply_compat_props(accel, q.globals)
    if property_error is not None:
        raise q.console.fatal(property_error)
    accel_init_machine(q, accel)
    return accel
