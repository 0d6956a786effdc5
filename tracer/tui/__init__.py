"""The Textual TUI: step through a trace with the call tree, event details and type graph.

Importing this package loads nothing from Textual; the app lives in :mod:`tracer.tui.app`.
:mod:`tracer.tui.outline` is pure logic (no Textual) and is unit-tested on its own.
"""
