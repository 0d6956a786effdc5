"""The type graph panel: the QOM type in play, its ancestry and subtypes, each with its state.

The graph is the networkx inheritance graph of the trace's type table; the state of each type
is the one it has *at the current step* (registered, class initialised, instantiated), read
from the milestone index, so stepping backwards "un-initialises" types as QEMU had not yet
reached them.
"""

from __future__ import annotations

from typing import ClassVar

import networkx as nx
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracer.key_types import KeyType
from tracer.labels import short
from tracer.replay import Replay
from tracer.typegraph import ancestry, children
from tracer.typestate import TypeState

STATE_LABELS = {
    TypeState.UNKNOWN: ("not yet registered", "dim"),
    TypeState.REGISTERED: ("registered", "cyan"),
    TypeState.CLASS_INITIALISED: ("class initialised", "yellow"),
    TypeState.INSTANTIATED: ("instantiated", "green"),
}
# Narrow panels (80 columns) show the state as a fixed-width tag before the name.
SHORT_LABELS = {
    TypeState.UNKNOWN: "  -  ",
    TypeState.REGISTERED: "reg  ",
    TypeState.CLASS_INITIALISED: "class",
    TypeState.INSTANTIATED: "inst ",
}
WIDE_PANEL = 44
MAX_CHILDREN = 200


def chain_text(graph: nx.DiGraph, name: str) -> str:
    """``host-x86_64-cpu -> max-x86_64-cpu -> ... -> object``."""
    return " -> ".join(short(t, 80) for t in ancestry(graph, name))


def type_lines(
    graph: nx.DiGraph, replay: Replay, name: str, step: int, wide: bool = True
) -> list[tuple[str, Text]]:
    """(type name, line) pairs: ancestry from ``object`` down to ``name``, then its subtypes."""
    chain = list(reversed(ancestry(graph, name)))
    lines = []
    for level, type_name in enumerate(chain):
        lines.append((type_name, _line(replay, type_name, step, level, type_name == name, wide)))
    kids = children(graph, name)
    lines.extend((kid, _line(replay, kid, step, len(chain), False, wide)) for kid in kids[:MAX_CHILDREN])
    if len(kids) > MAX_CHILDREN:
        lines.append(("", Text(f"… {len(kids) - MAX_CHILDREN} more subtypes", style="dim")))
    return lines


ROLE_LABELS = {"machine": "machine", "cpu": "CPU", "accel": "accelerator"}


def overview_lines(
    graph: nx.DiGraph, replay: Replay, keys: list[KeyType], step: int, wide: bool = True
) -> list[tuple[str, Text]]:
    """Before any type is in play: the key types of the run with their ancestries merged into
    one tree (``object`` once, then each branch down to a key type, labelled with its role),
    each type with its state at ``step``."""
    roles = {key.name: ROLE_LABELS.get(key.role, key.role) for key in keys if key.name in graph}
    chains = [list(reversed(ancestry(graph, name))) for name in roles]
    kids: dict[str, list[str]] = {}
    roots: list[str] = []
    for chain in chains:
        for level, name in enumerate(chain):
            siblings = kids.setdefault(chain[level - 1], []) if level else roots
            if name not in siblings:
                siblings.append(name)
    lines: list[tuple[str, Text]] = []
    stack = [(name, 0) for name in reversed(roots)]
    while stack:
        name, level = stack.pop()
        lines.append((name, _line(replay, name, step, level, name in roles, wide, roles.get(name, ""))))
        stack.extend((kid, level + 1) for kid in reversed(kids.get(name, [])))
    return lines


def _line(replay: Replay, name: str, step: int, level: int, focused: bool, wide: bool, role: str = "") -> Text:
    state = replay.milestones.state_at(name, step)
    label, style = STATE_LABELS[state]
    line = Text(no_wrap=True, overflow="ellipsis")
    if not wide:
        line.append(SHORT_LABELS[state] + " ", style=style)
    line.append((" " * (level - 1) + "└ ") if level else "")
    line.append(short(name, 120), style="bold reverse" if focused else "bold")
    if role:
        line.append(f" ← {role}", style="bold")
    if wide:
        line.append(f"  {label}", style=style)
    return line


class TypePanel(OptionList):
    """Selectable ancestry and subtypes of the type in play; selecting jumps to its class init."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.focus_tree", "Back to the calls", show=False)]

    DEFAULT_CSS = """
    TypePanel { height: 1fr; }
    """

    class TypeChosen(Message):
        """The user selected a type; the app jumps to where its class was initialised."""

        def __init__(self, name: str) -> None:
            self.name = name
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.graph: nx.DiGraph = nx.DiGraph()
        self.focus_type: str | None = None
        self.keys: list[KeyType] = []
        """The run's machine, CPU and accelerator types: shown while no type is in play."""
        self._shown: tuple[str | None, tuple[object, ...]] | None = None
        self._replay: Replay | None = None

    def on_resize(self) -> None:
        """Wide and narrow panels label states differently."""
        if self._replay is not None:
            self.show(self._replay)

    def attach(self, graph: nx.DiGraph, keys: list[KeyType] | None = None) -> None:
        self.graph = graph
        self.keys = keys or []
        self.focus_type = None
        self._shown = None

    def show(self, replay: Replay) -> None:
        """Follow the cursor: the type in play (or the last one) with states at this step."""
        self._replay = replay
        name = replay.type_in_play()
        if (name is None or name not in self.graph) and replay.pos > 0:
            name = self.focus_type if self.focus_type in self.graph else None
        elif name not in self.graph:
            name = None
        self.focus_type = name
        wide = self.size.width >= WIDE_PANEL
        if name is None:
            self._show_overview(replay, wide)
            return
        lines = type_lines(self.graph, replay, name, replay.pos, wide)
        states = (self.size.width, *(int(replay.milestones.state_at(t, replay.pos)) for t, _ in lines if t))
        self.border_title = Text(f"Type graph: {short(name, 80)}")  # Text: a name is never markup
        self.border_subtitle = Text(short(chain_text(self.graph, name), 300))
        self._set(lines, (name, states))

    def _show_overview(self, replay: Replay, wide: bool) -> None:
        """No type in play (the first step): the run's key types, where they will come from."""
        lines = overview_lines(self.graph, replay, self.keys, replay.pos, wide)
        self.border_title = "Type graph: this run's key types"
        self.border_subtitle = ""
        if not lines:
            self._set([("", Text("No QOM type in play at this step.", style="dim"))], (None, ()))
            return
        states = (self.size.width, *(int(replay.milestones.state_at(t, replay.pos)) for t, _ in lines if t))
        self._set(lines, (None, states))

    def _set(self, lines: list[tuple[str, Text]], key: tuple[str | None, tuple[object, ...]]) -> None:
        if key == self._shown:
            return
        self._shown = key
        width = self.scrollable_content_region.width - 1
        if width > 0:  # one line per type: OptionList would wrap a long name under its state
            for _, text in lines:
                text.truncate(width, overflow="ellipsis")
        highlighted = None
        self.clear_options()
        self.add_options([Option(text, id=name or None, disabled=not name) for name, text in lines])
        for index, (name, _) in enumerate(lines):
            if name == key[0]:
                highlighted = index
        self.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.TypeChosen(event.option.id))
