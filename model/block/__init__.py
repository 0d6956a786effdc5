"""The block layer as devices see it (QEMU's ``block/``): backends, by name or by node."""
