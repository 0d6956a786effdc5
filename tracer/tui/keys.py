"""Every key of the TUI in one table: the app's bindings, the help screen and the command
palette are all generated from it, so the three can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class KeyAction:
    """One action: its keys (Textual key names), how to show them, and what it does."""

    keys: str
    display: str
    action: str
    description: str
    group: str
    footer: str = ""
    """The short label shown in the footer; empty keeps the key out of the footer."""


KEY_ACTIONS: tuple[KeyAction, ...] = (
    KeyAction("j", "j", "next_event", "Next event (returns included)", "Replay"),
    KeyAction("k", "k", "prev_event", "Previous event", "Replay"),
    KeyAction("s", "s", "step_into", "Step into: next call or point, entering calls", "Replay", footer="Into"),
    KeyAction("S", "S", "step_into_back", "Reverse step into", "Replay"),
    KeyAction("n", "n", "step_over", "Step over: next call at this level", "Replay", footer="Over"),
    KeyAction("N,p", "N / p", "step_over_back", "Reverse step over", "Replay"),
    KeyAction("f", "f", "step_out", "Step out (finish): to the return of the enclosing call", "Replay", footer="Out"),
    KeyAction("u", "u", "step_out_back", "Reverse step out (up): to the enclosing call", "Replay"),
    KeyAction("g,home", "g / Home", "go_start", "Go to the first event", "Replay"),
    KeyAction("G,end", "G / End", "go_end", "Go to the last event", "Replay"),
    KeyAction("colon", ":", "go_to", "Go to event number…", "Replay"),
    KeyAction("percent_sign", "%", "matching", "Go to the matching return / call", "Replay"),
    KeyAction("slash", "/", "search", "Search function, argument or return text…", "Search", footer="Search"),
    KeyAction("full_stop", ".", "next_match", "Next match (search or feature chain)", "Search"),
    KeyAction("comma", ",", "prev_match", "Previous match", "Search"),
    KeyAction("b", "b", "toggle_breakpoint", "Toggle a breakpoint on the function at the cursor", "Breakpoints",
              footer="Break"),
    KeyAction("B", "B", "add_breakpoint", "Breakpoint on a function, a type or a glob (*class_init)…",
              "Breakpoints"),
    KeyAction("c", "c", "continue", "Continue to the next breakpoint hit", "Breakpoints", footer="Cont"),
    KeyAction("C", "C", "reverse_continue", "Reverse-continue to the previous hit", "Breakpoints"),
    KeyAction("H", "H", "hide", "Hide functions matching a pattern… (empty: show all)", "Filter"),
    KeyAction("minus", "-", "depth_less", "Limit depth: one level less", "Filter"),
    KeyAction("plus", "+", "depth_more", "Limit depth: one level more", "Filter"),
    KeyAction("equals_sign", "=", "clear_filter", "Clear the filter (pattern and depth)", "Filter"),
    KeyAction("z", "z", "collapse_all", "Collapse all", "Filter"),
    KeyAction("Z", "Z", "expand_all", "Expand all", "Filter"),
    KeyAction("e", "e", "next_problem", "Next error or warning (the first, from the start)", "Jump"),
    KeyAction("F", "F", "feature", "Events that decided a CPU feature…", "Jump"),
    KeyAction("v", "v", "full_values", "Show the event's full values (labels are cut at a few hundred characters)",
              "Jump"),
    KeyAction("t", "t", "focus_types", "Focus the type graph (Enter jumps to class init)", "Jump"),
    KeyAction("m", "m", "toggle_machine", "Composition tree (/machine at this step) instead of the type graph",
              "Jump"),
    KeyAction("L", "L", "follow_link", "Follow the event pane's link (a class initialised earlier)", "Jump"),
    KeyAction("K", "K", "class_view", "Class view: the type's fields, who set each and when", "QOM"),
    KeyAction("O", "O", "object_view", "Object view: property values set on the type's objects", "QOM"),
    KeyAction("o", "o", "open", "Open another trace…", "Files"),
    KeyAction("x", "x", "export", "Export this trace…", "Files"),
    KeyAction("question_mark", "?", "help", "Show this help", "App", footer="Help"),
    KeyAction("q", "q", "quit", "Quit", "App", footer="Quit"),
)
"""The app's keys. Debugger habits where there is one (gdb, pdb): ``n``, ``s``, ``f``/``u``,
``c``, ``b``, ``/``, ``?``; capitals and ``p`` go backwards."""

TREE_KEYS: tuple[tuple[str, str], ...] = (
    ("↑ / ↓", "Previous / next row"),
    ("PgUp / PgDn", "A screenful of rows up / down"),
    ("→ / l", "Expand the call, or go to its first child"),
    ("← / h", "Collapse the call, or go to its parent"),
    ("Enter / Space", "Expand or collapse the call"),
    ("Tab", "Move focus between the call tree and the type graph"),
    ("Esc", "From the type graph back to the call tree"),
    ("Ctrl+P", "Command palette (every action above)"),
)
"""Keys handled by the widgets themselves, listed in the help screen."""


DIFF_KEY_ACTIONS: tuple[KeyAction, ...] = (
    KeyAction("right_square_bracket", "]", "next_difference", "Next difference", "Diff", footer="Next diff"),
    KeyAction("left_square_bracket", "[", "previous_difference", "Previous difference", "Diff", footer="Prev diff"),
    KeyAction("d", "d", "first_divergence", "First divergence (where the runs part ways)", "Diff"),
    KeyAction("g,home", "g / Home", "first_row", "First row", "Diff"),
    KeyAction("G,end", "G / End", "last_row", "Last row", "Diff"),
    KeyAction("question_mark", "?", "help", "Show this help", "App", footer="Help"),
    KeyAction("q", "q", "quit", "Quit", "App", footer="Quit"),
)
"""Diff mode's keys (``vmtrace view A.json B.json``)."""

DIFF_VIEW_KEYS: tuple[tuple[str, str], ...] = (
    ("↑ / ↓", "Previous / next row (both trees move together)"),
    ("PgUp / PgDn", "A screenful of rows up / down"),
    ("Tab", "Move focus to the semantic diff panel and back"),
    ("Ctrl+P", "Command palette (every action above)"),
)


def app_bindings(actions: tuple[KeyAction, ...] = KEY_ACTIONS) -> list[Binding]:
    return [Binding(k.keys, k.action, k.footer or k.description.rstrip("…"), show=bool(k.footer),
                    key_display=k.display, tooltip=k.description) for k in actions]
