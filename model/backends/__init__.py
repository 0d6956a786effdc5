"""Backends the command line creates as QOM objects (QEMU's ``backends/``): memory backends."""
