"""The command lines whose steps are harvested (test design; every step comes from the binary).

Each is run as ``qemu-system-x86_64 -accel tcg -S -display none -nodefaults ARGS``: machines,
CPU models and feature strings, errors raised at each stage (options, machine selection,
``-cpu`` parsing, realize), ``-smp``, ``-global`` and ``-device``. ``LIVE_SAMPLE`` is the few the live test
re-harvests.
"""

from __future__ import annotations

from typing import Final

CASES: Final[dict[str, tuple[str, ...]]] = {
    "pc-max": ("-machine", "pc", "-cpu", "max"),
    "default": (),
    "q35": ("-machine", "q35",),
    "isapc": ("-machine", "isapc",),
    "none": ("-machine", "none",),
    "none-max": ("-machine", "none", "-cpu", "max"),
    "pc-i440fx-2.0": ("-machine", "pc-i440fx-2.0",),
    "q35-skylake-v4": ("-machine", "q35", "-cpu", "Skylake-Client-v4"),
    "skylake-avx512f": ("-machine", "pc", "-cpu", "Skylake-Client,+avx512f"),
    "skylake-mixed": ("-cpu", "Skylake-Client,-sse4.2,+avx512f,pcid=off"),
    "epyc": ("-cpu", "EPYC",),
    "qemu64-avx-off": ("-cpu", "qemu64,avx=off"),
    "host": ("-machine", "pc", "-cpu", "host"),
    "host-phys-bits": ("-cpu", "host,phys-bits=20"),
    "max-phys-bits": ("-cpu", "max,phys-bits=20"),
    "enforce": ("-cpu", "Skylake-Client,enforce"),
    "cpu-nosuch": ("-cpu", "nosuch"),
    "cpu-empty": ("-cpu", ""),
    "cpu-help": ("-cpu", "help"),
    "machine-nosuch": ("-machine", "nosuch"),
    "machine-help": ("-machine", "help"),
    "bad-option": ("-foo",),
    "smp-2": ("-smp", "2"),
    "smp-topology": ("-smp", "4,sockets=2,cores=2"),
    "smp-too-many": ("-smp", "300"),
    "global-cpu": ("-global", "qemu64-x86_64-cpu.avx=on"),
    "global-nosuch": ("-global", "nosuch.x=y"),
    "global-bad-value": ("-global", "qemu64-x86_64-cpu.family=zz"),
    "memory": ("-m", "512"),
    "machine-accel": ("-machine", "pc,accel=tcg", "-cpu", "Opteron_G1"),
    "q35-smp-epyc": ("-machine", "q35", "-smp", "2", "-cpu", "EPYC"),
    "global-skylake-avx-off": ("-cpu", "Skylake-Client", "-global", "Skylake-Client-x86_64-cpu.avx=off"),
    "microvm": ("-machine", "microvm",),
    "device-e1000": ("-device", "e1000"),
    "device-isa-serial": ("-device", "isa-serial"),
    "device-vga": ("-device", "VGA"),
    "device-nosuch": ("-device", "nosuch"),
    "q35-devices": ("-machine", "q35", "-device", "virtio-net-pci", "-device", "qemu-xhci", "-device", "usb-tablet"),
    "device-virtio-blk-nodrive": ("-device", "virtio-blk-pci"),
    "q35-root-port": ("-machine", "q35", "-device", "pcie-root-port,id=rp1,chassis=1", "-device",
                      "virtio-net-pci,bus=rp1"),
    "pc-usb": ("-machine", "pc", "-device", "piix3-usb-uhci", "-device", "usb-kbd"),
    "pc-nics": ("-device", "rtl8139", "-device", "virtio-rng-pci"),
    "q35-nec-xhci-vga": ("-machine", "q35", "-device", "nec-usb-xhci,p2=2,p3=1", "-device", "VGA,vgamem_mb=8,edid=off"),
    "pc-bridge-vga": ("-device", "pci-bridge,chassis_nr=1,id=br0", "-device", "VGA,bus=br0", "-device",
                      "e1000,bus=br0"),
    "pc-bridge-no-chassis": ("-device", "pci-bridge"),
    "q35-pcie-pci-bridge": ("-machine", "q35", "-device", "pcie-root-port,id=rp0,chassis=1,slot=1", "-device",
                            "pcie-pci-bridge,bus=rp0,id=pb", "-device", "virtio-rng-pci,bus=pb"),
    "q35-root-ports-one-slot": ("-machine", "q35", "-device", "pcie-root-port", "-device", "pcie-root-port"),
    "pc-pvpanic": ("-device", "pvpanic"),
    "pc-isa-vga": ("-device", "isa-vga"),
    "pc-cirrus-vga": ("-device", "cirrus-vga"),
    "q35-virtio-vga": ("-machine", "q35", "-device", "virtio-vga"),
    "pc-qxl-vga": ("-device", "qxl-vga"),
    "pc-lsi": ("-device", "lsi53c895a"),
    "microvm-pcie": ("-machine", "microvm,pcie=on"),
    "pc-virtio-iommu": ("-device", "virtio-iommu-pci"),
    "none-ram": ("-machine", "none", "-m", "64M"),
    "pc-debug-exit-ib700": ("-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-device", "ib700"),
}

LIVE_SAMPLE: Final = ("none-max", "host-phys-bits", "cpu-nosuch")
"""Re-harvested by the live test: short runs that still cover a board, realize and an error."""
