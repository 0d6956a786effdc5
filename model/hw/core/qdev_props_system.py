"""The ``drive`` qdev property (``hw/core/qdev-properties-system.c``): a device's block backend.

Setting it looks the name up as a backend (a ``-drive``'s id or made-up name), else as a
``-blockdev`` node, for which the device gets an anonymous backend of its own; a name that is
neither is an error, and so is a backend another device already holds, worded after whether a
``-drive`` that is not ``if=none`` left it for the board to connect. QMP lists the property as
a plain ``str``: it is recognised by the description ``qdev_prop_drive`` gives it.
"""

from __future__ import annotations

from model.block.block_backend import BlockBackend, BlockState
from model.errors import QemuError

DRIVE_DESCRIPTION = "Node name or ID of a block device to use as a backend"
AUDIODEV_DESCRIPTION = "ID of an audiodev to use as a backend"
CHARDEV_DESCRIPTION = "ID of a chardev to use as a backend"


def set_audiodev(audiodevs: list[str], owner: str, name: str, text: str) -> None:
    """``audiodev=``: an -audiodev id (even an empty value must name one)."""
    if text not in audiodevs:
        raise QemuError(f"Property '{owner}.{name}' can't find value '{text}'")


def set_chardev(chardevs: list[str], taken: set[str], owner: str, name: str, text: str) -> None:
    """``chardev=``: a -chardev id no other device holds, or empty for none (the device then
    has no backend)."""
    if not text:
        return
    if text not in chardevs:
        raise QemuError(f"Property '{owner}.{name}' can't find value '{text}'")
    if text in taken:
        raise QemuError(f"Property '{owner}.{name}' can't take value '{text}': Device '{text}' is in use")
    taken.add(text)


def set_drive(block: BlockState, owner: str, name: str, text: str, holder: str) -> BlockBackend | None:
    """Attach the backend ``text`` names to the device ``holder`` (its QOM path); None for an
    empty value, which leaves the device without one. ``owner`` is the type the message names:
    the device's, or the virtio device's behind a transport's alias."""
    if not text:
        return None
    blk = block.blk_by_name(text)
    if blk is None and text in block.nodes:
        blk = BlockBackend("", None, block.nodes[text])
        block.backends.append(blk)
    if blk is None:
        raise QemuError(f"Property '{owner}.{name}' can't find value '{text}'")
    if blk.attached_to is not None:
        if blk.drive is not None and blk.drive.interface != "none":
            raise QemuError(f"Drive '{text}' is already in use because it has been automatically connected to "
                            "another device (did you need 'if=none' in the drive options?)")
        raise QemuError(f"Drive '{text}' is already in use by another device")
    blk.attached_to = holder
    return blk
