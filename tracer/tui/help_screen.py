"""The help screen (``?``): every key, generated from :data:`tracer.tui.keys.KEY_ACTIONS`."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tracer.tui.keys import KEY_ACTIONS, TREE_KEYS, KeyAction


def help_table(
    actions: tuple[KeyAction, ...] = KEY_ACTIONS,
    widget_keys: tuple[tuple[str, str], ...] = TREE_KEYS,
    widget_title: str = "Call tree",
) -> Table:
    table = Table(box=None, padding=(0, 2), show_header=False)
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    group = ""
    for key in actions:
        if key.group != group:
            group = key.group
            table.add_row(Text(group, style="bold underline"), Text(""))
        table.add_row(Text(key.display), Text(key.description))
    table.add_row(Text(widget_title, style="bold underline"), Text(""))
    for display, description in widget_keys:
        table.add_row(Text(display), Text(description))
    return table


INTRO = (
    "The cursor is one event of the recorded startup. Moving it (forwards or backwards) updates "
    "the call tree, the event details and the type graph, whose states are those at the cursor's step.\n"
)


class HelpScreen(ModalScreen[None]):
    """Keys, grouped; Escape, ``q`` or ``?`` closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, intro: str = INTRO, table: Table | None = None) -> None:
        super().__init__()
        self.intro = intro
        self.table = table if table is not None else help_table()

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "vmtrace keys"
            scroll.border_subtitle = "Esc closes"
            yield Static(self.intro, id="help-intro")
            yield Static(self.table, id="help-keys")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
