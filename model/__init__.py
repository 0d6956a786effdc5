"""An instrumented model of qemu-system-x86_64 7.2's startup, from ``main()`` to a realized CPU.

It reproduces the real binary's behaviour (types, machines, CPU models, feature results,
messages and exit statuses) from facts harvested into ``model/data``, and emits every step
into the active :mod:`tracer.recorder` recorder. It knows nothing about files or terminals.
"""
