"""QEMU's target/i386/: the x86 CPU types, CPU models and feature handling."""
