"""QEMU's hw/: the machine types and the PC board code that creates the CPUs."""
