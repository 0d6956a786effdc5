"""The full values of one event (``v``): what the panels cut to one bounded line.

Labels in the tree and the event panel stop after a few hundred characters so that drawing
them costs the same however large a value is; this screen shows every argument, the return
value and the text in full, pretty-printed, one ``Log`` line per chunk (a ``Log`` draws only
the lines on screen, so a 50 MB string scrolls like a short one). Each line goes through the
sanitiser and is plain text, never markup.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Log

from tracer.labels import clean
from tracer.replay import Replay

CHUNK = 1000
"""Characters per displayed line: a long line is cut into chunks rather than wrapped."""


def full_value_lines(replay: Replay, seq: int) -> Iterator[str]:
    """Every field of event ``seq`` (and of its call's outcome), full length, in chunks."""
    events = replay.events
    node = replay.tree.node_of(seq)
    call = events[node]
    fields: list[tuple[str, Any]] = [("function", call.fn)]
    for key, value in (call.args or {}).items():
        fields.append((f"argument {key}", value))
    info = replay.trace.functions.get(call.fn)
    if info is not None and info.doc:
        fields.append(("explanation", info.doc))
    if events[seq].text is not None:
        fields.append(("text", events[seq].text))
    closing = replay.tree.closing(node) if call.kind == "call" else None
    if closing is not None and closing.kind == "error":
        fields.append(("error", closing.text))
    elif closing is not None and closing.ret is not None:
        fields.append(("returns", closing.ret))
    for name, value in fields:
        yield f"{clean(name)}:"
        text = value if isinstance(value, str) else json.dumps(value, indent=1, ensure_ascii=False)
        for line in text.split("\n"):
            for start in range(0, max(len(line), 1), CHUNK):
                yield "  " + clean(line[start:start + CHUNK])


class ValueScreen(ModalScreen[None]):
    """A scrollable view of one event's full values; Esc or ``v`` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,v,q", "dismiss", "Close")]

    DEFAULT_CSS = """
    ValueScreen { align: center middle; }
    ValueScreen Log { width: 90%; height: 90%; border: round $accent; }
    """

    def __init__(self, replay: Replay, seq: int) -> None:
        super().__init__()
        self.replay = replay
        self.seq = seq

    def compose(self) -> ComposeResult:
        log = Log(highlight=False, auto_scroll=False)
        log.border_title = f"event #{self.seq}: full values (Esc closes)"
        yield log

    def on_mount(self) -> None:
        log = self.query_one(Log)
        log.write_lines(full_value_lines(self.replay, self.seq))
        log.scroll_home(animate=False)
        log.focus()
