"""Display adapters (``hw/display/``)."""
