"""The one error every exporter raises, in its own module so that the package's dispatcher
(``tracer.export``) can import the exporters and the exporters can raise it without importing
the dispatcher back."""

from __future__ import annotations


class ExportError(Exception):
    """An export that cannot be made (unknown format or type); the message is one line."""
