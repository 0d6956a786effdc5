"""QEMU's ``ui/``: the consoles that display devices publish."""
