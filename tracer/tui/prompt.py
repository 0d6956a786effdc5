"""A one-line prompt docked under the tree, asked for search text, event numbers, names, paths.

One widget serves every question; ``purpose`` says which answer it is, so the app has a single
handler per purpose and the search can follow the text as it is typed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class Prompt(Input):
    """Hidden until :meth:`ask`; Enter answers, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    DEFAULT_CSS = """
    Prompt { display: none; border: round $accent; height: 3; }
    Prompt.-asking { display: block; }
    """

    class Answered(Message):
        def __init__(self, purpose: str, value: str) -> None:
            self.purpose = purpose
            self.value = value
            super().__init__()

    class Typed(Message):
        """The text changed while asking (drives the incremental search)."""

        def __init__(self, purpose: str, value: str) -> None:
            self.purpose = purpose
            self.value = value
            super().__init__()

    class Cancelled(Message):
        def __init__(self, purpose: str) -> None:
            self.purpose = purpose
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.purpose = ""

    def ask(self, purpose: str, label: str, value: str = "") -> None:
        self.purpose = purpose
        self.border_title = Text(label)  # never markup
        self.add_class("-asking")
        with self.prevent(Input.Changed):
            self.value = value
        self.cursor_position = len(value)
        self.focus()

    @property
    def asking(self) -> bool:
        return self.has_class("-asking")

    def _close(self) -> None:
        self.remove_class("-asking")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._close()
        self.post_message(self.Answered(self.purpose, event.value))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.asking:
            self.post_message(self.Typed(self.purpose, event.value))

    def action_cancel(self) -> None:
        self._close()
        self.post_message(self.Cancelled(self.purpose))
