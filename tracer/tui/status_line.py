"""The status line: where the cursor is, and what filter, breakpoints and search are active."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tracer.calltree import NONE
from tracer.labels import clean
from tracer.replay import Replay


def status_text(replay: Replay, name: str, message: str = "") -> Text:
    """``step N / M · depth D · filter … · breakpoints … · message``."""
    total = len(replay.events)
    if replay.pos == NONE:
        text = Text(f"step - / {total}", style="bold")
    else:
        text = Text(f"step {replay.pos} / {total - 1}", style="bold")
        text.append(f" · depth {replay.events[replay.pos].depth}")
    if replay.filter.active:
        text.append(f" · filter: {clean(replay.filter.describe())}", style="yellow")
    if replay.breakpoints:
        names = ", ".join(sorted(clean(str(bp)) for bp in replay.breakpoints))
        text.append(f" · breakpoints: {names}", style="red")
    if replay.match_label:
        text.append(f" · {clean(replay.match_label)}", style="cyan")
    if message:
        text.append(f" · {clean(message)}", style="bold magenta")
    if name:
        text.append(f" · {clean(name)}", style="dim")
    return text


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; padding: 0 1; }
    """

    def show(self, replay: Replay, name: str, message: str = "") -> None:
        text = status_text(replay, name, message)
        text.no_wrap = True
        text.overflow = "ellipsis"
        self.update(text)
