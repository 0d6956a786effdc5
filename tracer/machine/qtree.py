"""``info qtree``: buses and the devices plugged into them, from ``main-system-bus`` down.

The monitor prints a bus as ``bus: NAME`` and ``type TYPE``, then its devices; a device as
``dev: TYPE, id "ID"``, its GPIO lines, its qdev properties (``name = value``, each value in its
property type's own notation), the lines its bus adds (``class ... pci id``, ``bar``, ``mmio``,
``addr ... port``), then its own buses. Each level is indented two more spaces. Devices are
listed newest first, and so are a device's buses, because qdev inserts both at the head of
their lists; the structs keep the monitor's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracer.machine.qomtree import MONITOR_EOL, ViewParseError


@dataclass(frozen=True)
class Gpio:
    """``gpio-in "NAME" COUNT`` or ``gpio-out``: a named GPIO list and how many lines it has."""

    direction: str  # "in" or "out"
    name: str
    count: int


@dataclass(frozen=True)
class QtreeProp:
    """A qdev property with its value as the property type prints it (``3 (0x3)``, ``"auto"``)."""

    name: str
    value: str


@dataclass(frozen=True)
class QtreeDevice:
    type: str
    id: str
    gpios: tuple[Gpio, ...] = ()
    props: tuple[QtreeProp, ...] = ()
    bus_lines: tuple[str, ...] = ()  # what the parent bus's print_dev adds
    buses: tuple[QtreeBus, ...] = ()


@dataclass(frozen=True)
class QtreeBus:
    name: str
    type: str
    devices: tuple[QtreeDevice, ...] = ()

    def walk_devices(self) -> list[QtreeDevice]:
        out: list[QtreeDevice] = []
        for dev in self.devices:
            out.append(dev)
            for bus in dev.buses:
                out.extend(bus.walk_devices())
        return out


_GPIO = re.compile(r'^gpio-(in|out) "([^"]*)" (\d+)$')
_PROP = re.compile(r"^([^ ]+) = (.*)$")
_DEV = re.compile(r'^dev: (.+), id "(.*)"$')


class _Lines:
    """A cursor over (indent, text) lines."""

    def __init__(self, text: str) -> None:
        raw = text.replace("\r\n", "\n").split("\n")
        if raw and raw[-1] == "":
            raw.pop()
        self.items = [(len(line) - len(line.lstrip(" ")), line.lstrip(" ")) for line in raw]
        self.pos = 0

    def peek(self, indent: int) -> str | None:
        """The next line's text if it is at exactly ``indent``; None at a shallower level or the end."""
        if self.pos >= len(self.items):
            return None
        got, text = self.items[self.pos]
        if got < indent:
            return None
        if got > indent:
            raise ViewParseError(f"qtree line {self.pos + 1}: unexpected indentation")
        return text

    def take(self) -> str:
        self.pos += 1
        return self.items[self.pos - 1][1]


def _parse_bus(lines: _Lines, indent: int) -> QtreeBus:
    head = lines.take()
    if not head.startswith("bus: "):
        raise ViewParseError(f"qtree line {lines.pos}: expected 'bus: NAME'")
    kind = lines.peek(indent + 2)
    if kind is None or not kind.startswith("type "):
        raise ViewParseError(f"qtree line {lines.pos + 1}: expected 'type TYPE'")
    lines.take()
    devices: list[QtreeDevice] = []
    while lines.peek(indent + 2) is not None:
        devices.append(_parse_device(lines, indent + 2))
    return QtreeBus(head[5:], kind[5:], tuple(devices))


def _parse_device(lines: _Lines, indent: int) -> QtreeDevice:
    head = _DEV.match(lines.take())
    if head is None:
        raise ViewParseError(f"qtree line {lines.pos}: expected 'dev: TYPE, id \"ID\"'")
    gpios: list[Gpio] = []
    props: list[QtreeProp] = []
    bus_lines: list[str] = []
    buses: list[QtreeBus] = []
    while (text := lines.peek(indent + 2)) is not None:
        if text.startswith("bus: "):
            buses.append(_parse_bus(lines, indent + 2))
            continue
        lines.take()
        gpio = _GPIO.match(text)
        prop = _PROP.match(text)
        if buses:
            raise ViewParseError(f"qtree line {lines.pos}: a device line after its buses")
        if gpio and not props and not bus_lines:
            gpios.append(Gpio(gpio.group(1), gpio.group(2), int(gpio.group(3))))
        elif prop and not bus_lines:
            props.append(QtreeProp(prop.group(1), prop.group(2)))
        else:
            bus_lines.append(text)
    return QtreeDevice(head.group(1), head.group(2), tuple(gpios), tuple(props), tuple(bus_lines), tuple(buses))


def parse_qtree(text: str) -> QtreeBus:
    """The tree printed by ``info qtree``: the main system bus and everything below it."""
    lines = _Lines(text)
    if lines.peek(0) is None:
        raise ViewParseError("qtree: empty")
    root = _parse_bus(lines, 0)
    if lines.pos != len(lines.items):
        raise ViewParseError(f"qtree line {lines.pos + 1}: text after the main system bus")
    return root


def _render_bus(bus: QtreeBus, indent: int, out: list[str]) -> None:
    pad = " " * indent
    out.append(f"{pad}bus: {bus.name}")
    out.append(f"{pad}  type {bus.type}")
    for dev in bus.devices:
        _render_device(dev, indent + 2, out)


def _render_device(dev: QtreeDevice, indent: int, out: list[str]) -> None:
    pad = " " * (indent + 2)
    out.append(f'{" " * indent}dev: {dev.type}, id "{dev.id}"')
    out.extend(f'{pad}gpio-{g.direction} "{g.name}" {g.count}' for g in dev.gpios)
    out.extend(f"{pad}{p.name} = {p.value}" for p in dev.props)
    out.extend(f"{pad}{line}" for line in dev.bus_lines)
    for bus in dev.buses:
        _render_bus(bus, indent + 2, out)


def render_qtree(root: QtreeBus, eol: str = MONITOR_EOL) -> str:
    """The tree as ``info qtree`` prints it."""
    out: list[str] = []
    _render_bus(root, 0, out)
    return "".join(line + eol for line in out)
