"""The class view (``K``) and the object view (``O``): a type's class fields with the hook
and step that set each, and its objects' property history; Enter jumps to a line's step.

Both are one modal list over :mod:`tracer.render.class_text`'s lines, so the TUI and ``vmtrace
class`` say the same thing.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracer.render.class_text import Line


class LinesScreen(ModalScreen[int | None]):
    """A titled list of report lines; Enter on a line with an event returns its number."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Close")]

    DEFAULT_CSS = """
    LinesScreen { align: center middle; }
    LinesScreen > OptionList {
        width: 95%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, title: str, lines: list[Line], subtitle: str = "Enter: go to the step · Esc closes") -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.subtitle = subtitle

    def compose(self) -> ComposeResult:
        options = OptionList(*(
            Option(Text(text or " ", no_wrap=True, overflow="ellipsis",
                        style="" if seq is not None else "bold"),
                   id=f"seq-{seq}-{i}" if seq is not None else None, disabled=seq is None)
            for i, (seq, text) in enumerate(self.lines)))
        options.border_title = self.title_text
        options.border_subtitle = self.subtitle
        yield options

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        options.highlighted = next((i for i, (seq, _) in enumerate(self.lines) if seq is not None), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        self.dismiss(int(option_id.split("-")[1]) if option_id.startswith("seq-") else None)

    def action_close(self) -> None:
        self.dismiss(None)
