"""vmtrace's tracer: the recorder, the trace format and everything that reads traces.

The core modules (``trace``, ``fileio``, ``recorder``, ``calltree`` and the analyses built on
them) import neither ``rich`` nor ``textual``; only the CLI renderers and the TUI do.
"""

__version__ = "0.1.0"
