"""Rich renderers for the CLI (these modules may import rich; the tracer core may not)."""
