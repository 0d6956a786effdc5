"""The ISA panic notifier, ``-device pvpanic`` (``hw/misc/pvpanic-isa.c``).

Its one-byte port region exists from instance init (``pvpanic_setup_io``); realize tells the
firmware where it is, through the fw_cfg file ``etc/pvpanic-port``, and only then maps the
port. On a machine without fw_cfg it does neither and stays unmapped.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Device
from model.hw.core.qdev import device_realize, prop
from model.hw.isa.isa_bus import isa_register_ioport
from model.hw.nvram.fw_cfg import fw_cfg_add_file, fw_cfg_find
from tracer.recorder import traced

PVPANIC_FW_CFG_FILE = "etc/pvpanic-port"


@device_realize("pvpanic")
@traced("hw/misc/pvpanic-isa.c", args=lambda board, dev: {"ioport": hex(int(prop(dev, "ioport")))})
def pvpanic_isa_realizefn(board: Board, dev: Device) -> None:
    """Publish the port number to firmware, then map the port at ``ioport``."""
    if fw_cfg_find(board) is None:
        return
    fw_cfg_add_file(board, PVPANIC_FW_CFG_FILE)
    isa_register_ioport(board, dev, dev.region("pvpanic"), int(prop(dev, "ioport")))
