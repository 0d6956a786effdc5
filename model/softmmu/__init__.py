"""QEMU's softmmu/ directory: main(), qemu_init() and option parsing (softmmu/vl.c)."""
