"""Consoles (``ui/console.c``): what a display device publishes for the front ends.

A display device's realize makes its console at once (``graphic_console_init``, a
``qemu-console`` object). The consoles join the composition tree only once every device
exists, when ``qemu_init`` sets up the displays: ``init_displaystate`` puts each under
``/backend`` as ``console[N]``, making that container on first use, so a machine without a
display device never has one.
"""

from __future__ import annotations

from model.qom.object import Object, TypeRegistry
from tracer.recorder import traced

SRC = "ui/console.c"


@traced(SRC, args=lambda types, consoles, owner: {"device": owner})
def graphic_console_init(types: TypeRegistry, consoles: list[Object], owner: str) -> Object:
    """A new graphic console for the device ``owner``, numbered after those before it."""
    con = types.object_new("qemu-console")
    consoles.append(con)
    return con


@traced(SRC, args=lambda types, consoles: {"consoles": len(consoles)})
def init_displaystate(types: TypeRegistry, consoles: list[Object]) -> None:
    """Hook each console into the composition tree, now that their numbering is final."""
    for index, con in enumerate(consoles):
        backend = types.container_get(types.object_get_root(), "/backend")
        backend.children[f"console[{index}]"] = con
