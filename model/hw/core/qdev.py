"""Creating, configuring, plugging and realizing devices (``hw/core/qdev.c``, ``bus.c``, ``sysbus.c``).

The life of every board device, as QEMU's board code drives it:

1. ``qdev_new(TYPE)``: ``object_new``, so the class is initialised on first use, the instance
   hooks run root first, and ``device_post_init`` applies machine compat props, accelerator
   props and ``-global``s (an error there is fatal: ``can't apply global ...``);
2. ``qdev_prop_set_*``: the board's own settings, *after* the globals (so a board setting wins
   over ``-global``);
3. ``qdev_realize(dev, bus)``: plug into the bus (``bus_add_child``), give a parentless device
   its ``/machine/unattached/device[N]`` name, then run realize, which creates the memory
   regions, irqs and buses the device owns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from model.hw.core.devices import UNMAPPED, Board, Bus, Device
from model.hw.core.facts import device_props, fact_for, instance_values
from model.hw.core.qdev_props import QdevProperty, default_value, qdev_kind
from model.qom.object import ObjectClass, object_property_set
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.physmem import memory_region_add_subregion
from tracer.recorder import point, traced

SRC_QDEV = "hw/core/qdev.c"
SRC_BUS = "hw/core/bus.c"
SRC_SYSBUS = "hw/core/sysbus.c"

# fw_cfg's ROM blobs (``/rom@etc/...``) are added by ACPI table set-up at machine done, not realize.
ROM_BLOB_PREFIX = "\\x2from@"

Realize = Callable[[Board, Device], None]
# Owned children (from the facts) that a type's realize creates only under a condition, so the
# generic step leaves them to it: type (and so its subtypes) -> child base names.
REALIZE_OWNS: dict[str, frozenset[str]] = {}


def _made_elsewhere(base: str, owned: frozenset[str]) -> bool:
    """A child the modelled code makes itself (a name, a prefix ending in ``*`` or a suffix
    after a leading ``*``)."""
    return base in owned or any((name.endswith("*") and base.startswith(name[:-1]))
                                or (name.startswith("*") and base.endswith(name[1:])) for name in owned)


# Registered under "device": the facts-driven realize of devices the model has no realize for.
GENERIC_REALIZE = "device"
GENERIC_KEYS = frozenset({GENERIC_REALIZE, "pci-device"})
# Each modelled device family's realize, by type name (registered by the family's module).
DEVICE_REALIZE: dict[str, Realize] = {}
# What a type's realize does after its subclasses' own realize (``pci_qdev_realize`` wraps the
# device's realize and adds the option ROM after it), by type name.
DEVICE_REALIZE_AFTER: dict[str, Realize] = {}
# What realizing a bus of a type does (``BusClass.realize``), by bus type name: PCI buses
# register their machine-done notifier then.
BUS_REALIZE: dict[str, Callable[[Board, Bus], None]] = {}
# The reset handlers whose effects show in the steps (memory transactions), by type name.
DEVICE_RESET: dict[str, Realize] = {}


def device_realize(typename: str) -> Callable[[Realize], Realize]:
    """Register a device type's realize (QEMU's ``dc->realize``, set in its class_init)."""
    def register(fn: Realize) -> Realize:
        DEVICE_REALIZE[typename] = fn
        return fn
    return register


def device_class_set_props(oc: ObjectClass) -> None:
    """Give a device class its qdev properties (from ``device-list-properties``), once.

    QEMU does this in each device's class_init; the model's stand-in class_init does not know
    them, so they are added on the class's first use by the board or ``-device``.
    """
    if oc.fields.get("qdev_props_set"):
        return
    oc.fields["qdev_props_set"] = True
    is_pci, is_nic = oc.is_a("pci-device"), "mac" in device_props().get(oc.name, {})
    set_by_init = instance_values().get(oc.name, {})
    for fact in device_props().get(oc.name, {}).values():
        if fact.kind.startswith("child<") or oc.find_property(fact.name) is not None:
            continue
        kind = "link" if fact.kind.startswith("link<") else qdev_kind(is_pci, is_nic, fact.name, fact.kind,
                                                                        fact.description)
        start = default_value(kind, fact.default if fact.default is not None else set_by_init.get(fact.name))
        oc.properties[fact.name] = QdevProperty(
            fact.name, fact.kind, getter=_getter(fact.name, start), description=fact.description,
            qdev_kind=kind, owner=oc.name)


def _getter(name: str, start: Any) -> Any:
    def get(obj: Any) -> Any:
        return obj.state.get(name, start)
    return get


@traced(SRC_QDEV, args=lambda board, typename: {"type": typename}, ret=lambda dev: dev.typename)
def qdev_new(board: Board, typename: str) -> Device:
    """``qdev_new``: a new, unrealized device of ``typename`` with its globals applied."""
    oc = board.types.module_object_class_by_name(typename)  # QEMU loads a module providing it
    return _device_of_class(board, oc, typename)


def qdev_try_new(board: Board, typename: str) -> Device | None:
    """``qdev_try_new``: ``qdev_new`` for a device the board can do without (QEMU built
    without it): no device when no class is found. It calls ``object_new`` itself, so the
    binary shows no ``qdev_new`` for it (the HPET, the VMware mouse)."""
    oc = board.types.module_object_class_by_name(typename)
    return None if oc is None else _device_of_class(board, oc, typename)


def _device_of_class(board: Board, oc: ObjectClass | None, typename: str) -> Device:
    if oc is not None:
        device_class_set_props(oc)
    obj = board.types.object_new(typename)
    dev = Device(obj, fact_for(typename))
    board.devices.append(dev)
    for name, child in obj.children.items():  # embedded by instance_init (object_initialize_child)
        if child.klass.is_a("device"):
            device_class_set_props(child.klass)
            dev.embedded[name] = Device(child, fact_for(child.typename), container=dev)
            board.devices.append(dev.embedded[name])
    return dev


def place_embedded(dev: Device) -> None:
    """A device's embedded children enter the composition tree with it: they have been its
    children since instance_init, so they appear under ``/machine`` when it does."""
    assert dev.node is not None
    for name, child in dev.embedded.items():
        if child.node is None:
            child.node = dev.node.add_child(name, child.typename)
            place_embedded(child)


@traced("hw/core/qdev-properties.c", name="qdev_prop_set",
        args=lambda dev, name, value: {"type": dev.typename, "property": name, "value": value})
def qdev_prop_set(dev: Device, name: str, value: Any) -> None:
    """``qdev_prop_set_uint32`` and friends: the board's own setting (errors abort in QEMU)."""
    object_property_set(dev.obj, name, value)


def prop(dev: Device, name: str) -> Any:
    """A property's current value."""
    found = dev.obj.find_property(name)
    if found is None or found.getter is None:
        return dev.obj.state.get(name)
    return found.getter(dev.obj)


@traced(SRC_BUS, args=lambda board, parent, bus_type, name: {
    "type": bus_type, "parent": parent.typename if parent else None, "name": name}, ret=lambda bus: bus.name)
def qbus_new(board: Board, parent: Device | None, bus_type: str, name: str | None) -> Bus:
    """``qbus_new``: a bus allocated on its own (``object_new``), as host bridges, ISA bridges
    and I2C controllers make theirs."""
    board.types.object_new(bus_type)
    return _bus_in_tree(board, parent, bus_type, name)


@traced(SRC_BUS, args=lambda board, parent, bus_type, name: {
    "type": bus_type, "parent": parent.typename if parent else None, "name": name}, ret=lambda bus: bus.name)
def qbus_init(board: Board, parent: Device | None, bus_type: str, name: str | None) -> Bus:
    """``qbus_init``: a bus embedded in its controller's state (IDE channels, the floppy bus,
    USB, virtio transports, bridges), so initialised in place: its hooks run but no
    ``object_new`` is seen."""
    board.types.object_initialize(bus_type)
    return _bus_in_tree(board, parent, bus_type, name)


def _bus_in_tree(board: Board, parent: Device | None, bus_type: str, name: str | None) -> Bus:
    """A bus named ``name``, or ``ID.N`` after a parent with an id, or the lower-cased type and a
    per-type counter (``isa.0``, ``ide.1``); it becomes a QOM child of its parent."""
    if name is None:
        if parent is not None and parent.id:
            name = f"{parent.id}.{len(parent.buses)}"
        else:
            number = board.automatic_bus_ids.get(bus_type, 0)
            board.automatic_bus_ids[bus_type] = number + 1
            name = f"{bus_type}.{number}".lower()
    owner = parent.node if parent is not None and parent.node is not None else board.unattached
    bus = Bus(name, bus_type, parent, owner.add_child(name, bus_type))
    if parent is not None:
        parent.buses.append(bus)
    return bus


@traced(SRC_QDEV, args=lambda board, parent, name, dev: {"parent": parent.path, "name": name, "type": dev.typename})
def object_property_add_child(board: Board, parent: Any, name: str, dev: Device) -> None:
    """Give a device its place in the composition tree before it is realized."""
    dev.node = parent.add_child(name, dev.typename)
    place_embedded(dev)


@traced(SRC_QDEV, args=lambda board, dev, bus: {"type": dev.typename, "bus": bus.name if bus else None})
def qdev_realize(board: Board, dev: Device, bus: Bus | None) -> None:
    """Plug ``dev`` into ``bus``, name it under ``/machine/unattached`` if it has no parent, realize it.

    Realize creates what the device type owns (memory regions and irqs, from the harvested
    facts) and its sysbus MMIO regions, unmapped until the board maps them.
    """
    if bus is not None:
        bus_add_child(bus, dev)
    if dev.node is None:
        dev.node = board.unattached.add_child("device[*]", dev.typename)
        place_embedded(dev)
    names = [oc.name for oc in dev.obj.klass.ancestry() if oc.name in DEVICE_REALIZE]
    own = [name for name in names if name not in GENERIC_KEYS]
    if not (dev.generic and not own):
        names = [name for name in names if name != GENERIC_REALIZE]
    realizes = [DEVICE_REALIZE[name] for name in names]
    conditional = frozenset().union(*(REALIZE_OWNS.get(oc.name, frozenset()) for oc in dev.obj.klass.ancestry()))
    irqs_to_allocate = 0
    for base, type_, count in dev.fact.children:
        if not base.startswith(ROM_BLOB_PREFIX) and not _made_elsewhere(base, conditional) and \
                not (dev.fact.pci is not None and base.endswith(".rom")):  # pci_add_option_rom makes it
            dev.node.add_owned(base, type_, count)
            if type_ == "irq":  # qdev_init_gpio_in: qemu_allocate_irq, an object_new each
                irqs_to_allocate += count or 1
    dev.mmio = dev.mmio or [UNMAPPED] * len(dev.fact.mmio_sizes)
    # A subclass's realize calls its parent's first (``device_class_set_parent_realize``).
    for realize in reversed(realizes):
        realize(board, dev)
    for name in names:
        after = DEVICE_REALIZE_AFTER.get(name)
        if after is not None:
            after(board, dev)
    # The gpio inputs neither its instance_init nor its realize code allocated already: as
    # most devices do, at the end of realize.
    qdev_init_gpio_in(board, dev, irqs_to_allocate - dev.obj.gpio_irqs)
    # Then the buses it provides (``qbus_realize``), once the device's own realize is done.
    for bus in dev.buses:
        qbus_realize(board, bus)
    dev.realized = True
    dev.obj.state["realized"] = True


def qbus_realize(board: Board, bus: Bus) -> None:
    """Run the realize of the bus's class or its nearest ancestor that has one."""
    impl = board.types.type_get_by_name(bus.type)  # initialised when the bus was made
    for oc in impl.klass.ancestry() if impl is not None and impl.klass is not None else ():
        realize = BUS_REALIZE.get(oc.name)
        if realize is not None:
            realize(board, bus)
            return


def bus_add_child(bus: Bus, dev: Device) -> None:
    """``qdev_set_parent_bus``: the device joins the bus's list of children (recorded as one
    ``bus_plug`` point rather than a call: it is a fact, with nothing inside it)."""
    dev.parent_bus = bus
    bus.children.append(dev)
    point("bus_plug", f"{dev.typename} on {bus.name}", bus=bus.name, type=dev.typename)


@traced(SRC_SYSBUS, args=lambda board, dev, n, addr: {"type": dev.typename, "n": n, "addr": hex(addr)})
def sysbus_mmio_map(board: Board, dev: Device, n: int, addr: int) -> None:
    """Map the device's ``n``-th MMIO region (its regions in the order it made them, each
    registered with ``sysbus_init_mmio``) at ``addr`` in system memory."""
    dev.mmio = dev.mmio or [UNMAPPED] * len(dev.fact.mmio_sizes)
    dev.mmio[n] = addr
    if n < len(dev.obj.regions):
        assert board.memory_map.system is not None
        memory_region_add_subregion(board.types, board.memory_map, board.memory_map.system, addr, dev.obj.regions[n])


def qdev_init_gpio_in(board: Board, dev: Device, count: int) -> None:
    """``count`` gpio inputs: an irq object each (``qemu_allocate_irq``)."""
    for _ in range(count):
        board.types.object_new("irq")
    dev.obj.gpio_irqs += max(count, 0)


def sysbus_realize(board: Board, typename: str, owner: Any = None, name: str | None = None,
                   props: dict[str, Any] | None = None) -> Device:
    """``qdev_new`` + properties + realize on the main system bus (``sysbus_create_simple``)."""
    dev = qdev_new(board, typename)
    if owner is not None and name is not None:
        object_property_add_child(board, owner, name, dev)
    for key, value in (props or {}).items():
        qdev_prop_set(dev, key, value)
    qdev_realize(board, dev, board.sysbus)
    return dev


@traced(SRC_SYSBUS, args=lambda board, port, mr: {"port": hex(port), "region": mr.name})
def sysbus_add_io(board: Board, port: int, mr: MemoryRegion) -> None:
    """``sysbus_add_io``: map a region into the I/O address space at ``port``."""
    assert board.memory_map.io is not None
    memory_region_add_subregion(board.types, board.memory_map, board.memory_map.io, port, mr)


@traced("softmmu/runstate.c", args=lambda board: {})
def qemu_system_reset(board: Board) -> None:
    """The reset at the end of machine creation: every device returns to its power-on state.
    Only the resets that change the memory map are modelled (the Q35 MCH's)."""
    for dev in board.devices:
        reset = DEVICE_RESET.get(dev.typename)
        if reset is not None:
            reset(board, dev)
