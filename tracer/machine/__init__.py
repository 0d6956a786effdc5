"""QEMU's monitor views of a machine, as typed data: ``info qom-tree``, ``info qtree``, ``query-pci``.

Each view has a parser (the monitor's text or QMP's JSON into structs) and a renderer that
prints the structs back exactly as QEMU does, so a machine the model built and a machine the
real binary showed can be compared view by view, and ``vmtrace info`` can print either.
"""
