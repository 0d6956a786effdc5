"""The virtio GPU with VGA compatibility, ``-device virtio-vga`` (``hw/display/virtio-vga.c``,
``virtio-gpu-base.c``).

The proxy's own realize builds a standard VGA core first (8 MiB of video RAM, legacy window
and ports, BAR 0), then moves the virtio windows to the end of the modern BAR (BAR 2 here) so
that its start can hold the stdvga MMIO registers; without ``page-per-vq`` the common and ISR
windows are halved to make room. The device is modern-only. Its GPU is realized next (one
graphic console per output), and the stdvga registers (remapped VGA ports, Bochs DISPI, QEMU
extended registers; no EDID) are mapped into the modern BAR after it.
"""

from __future__ import annotations

from model.hw.core.devices import Board, Device, VirtioPciLayout
from model.hw.core.qdev import prop
from model.hw.devices_generic import realize_embedded, realize_from_facts
from model.hw.display.vga import vga_common_init, vga_init, vram_bar
from model.hw.display.vga_pci import pci_std_vga_mmio_region_init
from model.hw.pci.pci import pci_address_space, pci_address_space_io
from model.hw.virtio.virtio import virtio_device_realize_for
from model.hw.virtio.virtio_pci import PROXY_REALIZE, modern_layout, virtio_pci_force_virtio_1
from model.ui.console import graphic_console_init
from tracer.recorder import traced

VIRTIO_VGA_VRAM_MB = 8
VIRTIO_VGA_MSIX_BAR = 4  # BAR 0 is the video RAM, 2 the modern one (for stdvga's registers)


def _windows_at_the_end(proxy: Device) -> tuple[tuple[int, int], ...]:
    """The modern windows packed against the end of the BAR, notify last; common and ISR at
    half size without ``page-per-vq``."""
    sizes = [size for _offset, size in modern_layout(proxy)]
    if not prop(proxy, "page-per-vq"):
        sizes[0] //= 2
        sizes[1] //= 2
    end = proxy.region("virtio-pci").size
    placed: list[tuple[int, int]] = []
    for size in reversed(sizes):
        end -= size
        placed.append((end, size))
    return tuple(reversed(placed))


@traced("hw/display/virtio-vga.c", args=lambda board, proxy, vdev: {"type": proxy.typename})
def virtio_vga_base_realize(board: Board, proxy: Device, vdev: Device) -> None:
    """VGA core, window layout, modern-only, the GPU, then the stdvga registers."""
    vram_bar(proxy, vga_common_init(board, proxy, VIRTIO_VGA_VRAM_MB))
    vga_init(board, proxy, pci_address_space(proxy), pci_address_space_io(proxy), True)
    proxy.virtio_layout = VirtioPciLayout(_windows_at_the_end(proxy), VIRTIO_VGA_MSIX_BAR)
    virtio_pci_force_virtio_1(proxy)
    bus = next(b for b in proxy.buses if b.type == "virtio-pci-bus")
    realize_embedded(board, proxy, vdev, bus)
    pci_std_vga_mmio_region_init(board, proxy, proxy.region("virtio-pci"), True, False)


@virtio_device_realize_for("virtio-gpu-base")
@traced("hw/display/virtio-gpu-base.c", args=lambda board, vdev: {"max_outputs": prop(vdev, "max_outputs")})
def virtio_gpu_base_device_realize(board: Board, vdev: Device) -> None:
    """A graphic console for each output; the rest as the facts say."""
    for _ in range(int(prop(vdev, "max_outputs"))):
        graphic_console_init(board.types, board.consoles, vdev.typename)
    realize_from_facts(board, vdev)


PROXY_REALIZE["virtio-vga-base"] = virtio_vga_base_realize
