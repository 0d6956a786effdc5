"""Block backends (``block/block-backend.c``) and the ``-drive`` facts kept with them.

A device's ``drive`` property names a backend: a ``-drive``'s (named by its id, or by a name
QEMU makes up such as ``ide0-hd0``), or a ``-blockdev`` node, for which the device gets an
anonymous backend of its own. A backend serves one device at most. A ``-drive`` that is not
``if=none`` also says where the board should connect it (interface, bus, unit), and the board
claims those it has a place for; what is left is an error once board init is done.

The model opens no image: a backend's size is known only for the ``null-co``/``null-aio``
drivers, which is all the guest-visible geometry needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NULL_DRIVERS = ("null-co", "null-aio")
NULL_DEFAULT_SIZE = 1 << 30  # block/null.c: a null device is 1 GiB unless ``size`` says otherwise
BDRV_SECTOR_SIZE = 512
# ``if_max_devs``: units on a bus of each interface (0: one bus, any number of units)
MAX_DEVS = {"ide": 2, "scsi": 7}


@dataclass
class DriveInfo:
    """``DriveInfo``: where a ``-drive`` goes (``blockdev.c``), and where it was given."""

    interface: str
    bus: int
    unit: int
    media_cd: bool
    location: str


@dataclass
class BlockBackend:
    """A backend: its name (empty for one made for a node), its ``-drive`` facts if it came
    from one, its size in bytes when the model knows it, and who holds it."""

    name: str
    drive: DriveInfo | None
    size: int | None
    attached_to: str | None = None


@dataclass
class BlockState:
    """Every backend and ``-blockdev`` node, in creation order (``blk_next`` walks them so)."""

    backends: list[BlockBackend] = field(default_factory=list)
    # node-name -> size in bytes (None: an image the model does not open)
    nodes: dict[str, int | None] = field(default_factory=dict)
    # The machine's ``block_default_type`` and ``units_per_default_bus`` (which overrides the
    # units per bus of that interface), known once the machine is chosen.
    default_type: str = "none"
    units_per_default_bus: int = 0

    def max_devs(self, interface: str) -> int:
        """Units on one bus of ``interface`` (0: a single bus with any number of units)."""
        if interface == self.default_type and self.units_per_default_bus:
            return self.units_per_default_bus
        return MAX_DEVS.get(interface, 0)

    def index_place(self, interface: str, index: int) -> tuple[int, int]:
        """Bus and unit of ``index``, counting units bus by bus (what ``-drive index=`` means)."""
        per_bus = self.max_devs(interface)
        return (index // per_bus, index % per_bus) if per_bus else (0, index)

    def drive_get_by_index(self, interface: str, index: int) -> BlockBackend | None:
        """The drive at ``index`` (``drive_get_by_index``)."""
        return self.drive_get(interface, *self.index_place(interface, index))

    def claim(self, interface: str, count: int, holder: str, first: int = 0) -> list[BlockBackend]:
        """The board takes the drives at indexes ``first..first+count-1`` of ``interface`` for
        the devices it makes (``ide_drive_get``, the floppy drives of the floppy controller)."""
        taken = [blk for index in range(first, first + count)
                 if (blk := self.drive_get_by_index(interface, index)) is not None]
        for blk in taken:
            blk.attached_to = holder
        return taken

    def blk_by_name(self, name: str) -> BlockBackend | None:
        return next((b for b in self.backends if b.name and b.name == name), None)

    def size_of(self, name: str) -> int | None:
        """The image size behind a ``drive=`` value: a backend's, else a node's."""
        blk = self.blk_by_name(name)
        return blk.size if blk is not None else self.nodes.get(name)

    def drive_get(self, interface: str, bus: int, unit: int) -> BlockBackend | None:
        """``drive_get``: the ``-drive`` at that place, if any."""
        for blk in self.backends:
            info = blk.drive
            if info is not None and (info.interface, info.bus, info.unit) == (interface, bus, unit):
                return blk
        return None


def null_size(driver: object, size: int | None) -> int | None:
    """The size of a null device's image (its ``size`` option, else 1 GiB); None for any
    other driver, whose image the model does not open, or a size it could not read."""
    if driver not in NULL_DRIVERS:
        return None
    return NULL_DEFAULT_SIZE if size is None else size


def guess_chs_for_size(size: int) -> tuple[int, int, int]:
    """``hw/block/hd-geometry.c``: with no partition table to go by (a null image reads
    as zeros), 16 heads and 63 sectors a track, and as many cylinders as fit, from 2 to
    16383."""
    cylinders = min(max(size // BDRV_SECTOR_SIZE // (16 * 63), 2), 16383)
    return cylinders, 16, 63
