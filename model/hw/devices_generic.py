"""Realize for devices whose realize the model does not write out: structure from harvested facts.

A ``-device`` of the catalogue (NICs, virtio, USB, display, bridges, audio, serial, watchdog)
is realized by the rules QEMU applies to every device of its kind, plus what the harvested
facts say its own realize leaves behind: the buses it provides, the devices inside it (a virtio
proxy's ``virtio-backend`` on its ``virtio-bus``), and the property values realize sets
(option ROM file and size, virtio vectors). Rules that depend on the rest of the machine are
code: MAC addresses are handed out in creation order from 52:54:00:12:34:56, a NIC without a
netdev is reported by ``net_check_clients``, and ISA serial ports take the next COM port.
"""

from __future__ import annotations

from model.errors import QemuError
from model.hw.core.devices import Board, Bus, Device
from model.hw.core.facts import device_facts, fact_for
from model.hw.core.qdev import (
    GENERIC_REALIZE,
    device_realize,
    object_property_add_child,
    prop,
    qbus_init,
    qdev_new,
    qdev_prop_set,
    qdev_realize,
)
from model.hw.core.qdev_props import QdevProperty
from model.hw.isa.isa_bus import isa_register_ioport
from model.softmmu.region_init import memory_region_init_io
from tracer.recorder import block, point, traced

MAC_BASE = (0x52, 0x54, 0x00, 0x12, 0x34, 0x56)
COM_PORTS = ((0x3F8, 4), (0x2F8, 3), (0x3E8, 4), (0x2E8, 3))


@device_realize(GENERIC_REALIZE)
def generic_realize(board: Board, dev: Device) -> None:
    """A catalogue device without a realize of its own in the model."""
    realize_from_facts(board, dev)


FACTS_BLOCK = "realize: what the harvested facts say this type's realize leaves"
FACTS_DOC = ("Not a QEMU function: the buses, inner devices and property values the device type's "
             "realize leaves behind, as the binary showed them for one instance (harvested facts), "
             "where the model does not write that realize out call by call.")


def realize_from_facts(board: Board, dev: Device, bus_name: str | None = None, make_buses: bool = True,
                       decided: frozenset[str] = frozenset()) -> None:
    """Buses, inner devices and the property values the type's realize sets (from the facts),
    recorded as a marked block: these are not calls the binary makes under that name.
    A modelled realize that made the buses itself passes ``make_buses=False``; one that
    resolved a property by QEMU's rule (the harvest saw one outcome of it) names it in
    ``decided``.

    A type the harvest never saw built has no such facts: it is created, named, given its
    properties and plugged like any other, and a point event says its realize is not modelled.
    """
    with block(FACTS_BLOCK, "hw/core/qdev.c", FACTS_DOC, type=dev.typename):
        _realize_from_facts(board, dev, bus_name, make_buses, decided)


def _realize_from_facts(board: Board, dev: Device, bus_name: str | None, make_buses: bool,
                        decided: frozenset[str]) -> None:
    assert dev.node is not None
    if dev.typename not in device_facts():
        point("realize_not_modelled", f"{dev.typename}: realize is not modelled (no harvested facts); "
              "it has its properties and its place on the bus, but no inner devices, buses or regions",
              type=dev.typename)
    for name, value in dev.fact.realize_sets.items():
        if name not in dev.user_props and name not in decided and name not in dev.decided:
            qdev_prop_set(dev, name, value)
    for bus_type, explicit in dev.fact.buses if make_buses else ():
        qbus_init(board, dev, bus_type, explicit or bus_name or dev.child_bus_name)
    for child_name, typename in dev.fact.internal:
        inner = dev.embedded.get(child_name)
        if inner is not None and inner.realized:  # the type's own realize did it (virtio-vga's GPU)
            continue
        if inner is None:  # not embedded by an instance_init the harvest saw: made here
            inner = qdev_new(board, typename)
            object_property_add_child(board, dev.node, child_name, inner)
        inner_fact = fact_for(typename)
        realize_embedded(board, dev, inner, next((b for b in dev.buses if b.type == inner_fact.bus_type), None))
    top = dev.node.parent in (board.peripheral, board.peripheral_anon)
    # A virtio proxy forwards ``mac`` to its inner device, which is the NIC.
    nic = next((d for d in (*[c for b in dev.buses for c in b.children], dev) if _is_nic(d)), None)
    if nic is not None and top:
        qemu_macaddr_default_if_unset(board, nic)
        board.nics.append(dev.id or f"{dev.typename}.{sum(n.startswith(dev.typename + '.') for n in board.nics)}")


def realize_embedded(board: Board, dev: Device, inner: Device, bus: Bus | None) -> None:
    """Realize a device inside ``dev`` (on one of its buses, or none). A virtio proxy aliases
    its backend's properties: what global properties (compat, ``-global``) and then the user
    set on the proxy reaches the backend first."""
    inner.generic = True
    for name in [*dict.fromkeys(dev.obj.globals_applied), *sorted(dev.user_props)]:
        if inner.obj.find_property(name) is not None:
            qdev_prop_set(inner, name, prop(dev, name))
            inner.user_props.add(name)
    qdev_realize(board, inner, bus)


def _is_nic(dev: Device) -> bool:
    found = dev.obj.find_property("mac")
    return isinstance(found, QdevProperty) and found.qdev_kind == "macaddr"


@traced("net/net.c", args=lambda board, dev: {"type": dev.typename})
def qemu_macaddr_default_if_unset(board: Board, dev: Device) -> None:
    """A NIC without ``mac=`` gets 52:54:00:12:34:56 plus the number of MACs handed out so far."""
    if prop(dev, "mac"):
        return
    last = MAC_BASE[5] + board.macs_assigned
    board.macs_assigned += 1
    qdev_prop_set(dev, "mac", ":".join(f"{b:02x}" for b in (*MAC_BASE[:5], last % 256)))


def net_nics(board: Board) -> list[str]:
    """The NICs ``net_check_clients`` reports: every NIC has no netdev peer in the model's runs."""
    return list(board.nics)


UNSET_U32 = 0xFFFFFFFF  # -1 in a uint32 property: "not given"


@device_realize("isa-serial")
@traced("hw/char/serial-isa.c", args=lambda board, dev: {"index": board.serial_ports})
def serial_isa_realizefn(board: Board, dev: Device) -> None:
    """An ISA serial port without ``index`` takes the next one (the count goes up either way);
    an unset I/O base and irq are that COM port's. Once its UART (the ``serial`` child
    embedded at instance init) is realized, its eight ports are mapped at the I/O base."""
    given = {name: prop(dev, name) for name in ("index", "iobase", "irq")}  # before the facts' values
    realize_from_facts(board, dev, decided=frozenset(given))
    index = board.serial_ports if given["index"] in (None, UNSET_U32) else int(given["index"])
    board.serial_ports += 1
    if index >= len(COM_PORTS):
        raise QemuError(f"Max. supported number of ISA serial ports is {len(COM_PORTS)}.")
    qdev_prop_set(dev, "index", index)
    for name, default in zip(("iobase", "irq"), COM_PORTS[index], strict=True):
        qdev_prop_set(dev, name, default if given[name] in (None, UNSET_U32) else given[name])
    ports = dev.own(memory_region_init_io(board.types, dev.typename, "serial", 8))
    isa_register_ioport(board, dev, ports, int(prop(dev, "iobase")))
