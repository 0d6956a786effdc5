"""The machine command lines (test design, written by hand; every expectation comes from the binary).

Each case is the argument list that follows ``qemu-system-x86_64 -accel tcg -S -display none
-nodefaults``. None has a network backend: NICs are plain ``-device e1000`` with no netdev.
"""

from __future__ import annotations

# Boards as they come, and the machine properties that change them (with the binary's errors).
MACHINES: list[list[str]] = [
    ["-machine", "pc"], ["-machine", "q35"], ["-machine", "isapc"], ["-machine", "microvm"],
    ["-machine", "none"], ["-machine", "pc-i440fx-2.0"], ["-machine", "pc-i440fx-1.4"],
    ["-machine", "pc-i440fx-5.2"], ["-machine", "pc-q35-2.4"], ["-machine", "pc-q35-5.2"],
    ["-machine", "pc,hpet=off"], ["-machine", "pc,smbus=off"], ["-machine", "pc,pit=off"],
    ["-machine", "pc,i8042=off"], ["-machine", "pc,usb=on"], ["-machine", "pc,vmport=off"],
    ["-machine", "pc,smm=off"], ["-machine", "pc,acpi=off"], ["-machine", "pc,sata=off"],
    ["-machine", "q35,smbus=off"], ["-machine", "q35,sata=off"], ["-machine", "q35,usb=on"],
    ["-machine", "q35,hpet=off"], ["-machine", "q35,pit=off"], ["-machine", "q35,vmport=on"],
    ["-machine", "pc,hpet=maybe"], ["-machine", "pc,vmport=maybe"], ["-machine", "pc,pit=2"],
    ["-machine", "microvm,rtc=on"], ["-machine", "microvm,pit=off"], ["-machine", "microvm,pic=off"],
    ["-machine", "microvm,isa-serial=on"], ["-machine", "microvm,pcie=on"], ["-machine", "microvm,rtc=x"],
    ["-machine", "pc", "-smp", "2"], ["-machine", "q35", "-cpu", "Skylake-Client"],
    ["-machine", "pc", "-m", "4G"],
]

# Every catalogue device on the board it belongs to.
DEVICES: list[list[str]] = [
    ["-machine", "pc", "-device", "e1000"], ["-machine", "q35", "-device", "e1000e"],
    ["-machine", "pc", "-device", "rtl8139"], ["-machine", "pc", "-device", "virtio-net-pci"],
    ["-machine", "q35", "-device", "virtio-net-pci"], ["-machine", "pc", "-device", "virtio-rng-pci"],
    ["-machine", "pc", "-device", "virtio-balloon-pci"], ["-machine", "pc", "-device", "virtio-serial-pci"],
    ["-machine", "pc", "-device", "virtio-scsi-pci"], ["-machine", "pc", "-device", "virtio-blk-pci"],
    ["-machine", "pc", "-device", "piix3-usb-uhci"], ["-machine", "q35", "-device", "ich9-usb-ehci1"],
    ["-machine", "q35", "-device", "ich9-usb-uhci1"], ["-machine", "pc", "-device", "qemu-xhci"],
    ["-machine", "pc", "-device", "usb-ehci"], ["-machine", "pc", "-device", "qemu-xhci", "-device", "usb-tablet"],
    ["-machine", "q35", "-device", "qemu-xhci", "-device", "usb-kbd"], ["-machine", "pc", "-device", "usb-tablet"],
    ["-machine", "pc", "-device", "VGA"], ["-machine", "pc", "-device", "cirrus-vga"],
    ["-machine", "q35", "-device", "virtio-vga"], ["-machine", "pc", "-device", "bochs-display"],
    ["-machine", "pc", "-device", "qxl-vga"], ["-machine", "pc", "-device", "pci-bridge,chassis_nr=1"],
    ["-machine", "pc", "-device", "pci-bridge"], ["-machine", "q35", "-device", "pcie-root-port"],
    ["-machine", "q35", "-device", "pcie-root-port,id=rp0,chassis=1", "-device", "pcie-pci-bridge,bus=rp0"],
    ["-machine", "q35", "-audiodev", "none,id=snd0", "-device", "ich9-intel-hda",
     "-device", "hda-duplex,audiodev=snd0"],
    ["-machine", "pc", "-device", "isa-serial"], ["-machine", "pc", "-device", "i6300esb"],
    ["-machine", "pc", "-device", "pvpanic"], ["-machine", "q35", "-device", "pvpanic-pci"],
    ["-machine", "isapc", "-device", "isa-serial"], ["-machine", "microvm", "-device", "isa-serial"],
]

# -device syntax: ids, buses, addresses, functions, JSON, slot allocation, and every error.
DEVICE_RULES: list[list[str]] = [
    ["-machine", "pc", "-device", "e1000,id=nic0"], ["-machine", "pc", "-device", "e1000,addr=5"],
    ["-machine", "pc", "-device", "e1000,addr=0x5.0"], ["-machine", "pc", "-device", "e1000,addr=06.0"],
    ["-machine", "pc", "-device", "e1000,bus=pci.0,addr=7"],
    ["-machine", "pc", "-device", "e1000,addr=4.0,multifunction=on", "-device", "rtl8139,addr=4.1"],
    ["-machine", "pc", "-device", "e1000", "-device", "rtl8139", "-device", "virtio-net-pci"],
    ["-machine", "pc", "-device", '{"driver":"e1000","id":"n1","addr":"0x3"}'],
    ["-machine", "q35", "-device", '{"driver":"virtio-net-pci","id":"n2","bus":"pcie.0","addr":"0x4"}'],
    ["-machine", "pc", "-device", "nosuch"], ["-machine", "pc", "-device", "pci-device"],
    ["-machine", "pc", "-device", "e1000,foo=1"], ["-machine", "pc", "-device", "e1000,addr=zz"],
    ["-machine", "pc", "-device", "e1000,bus=nosuch"], ["-machine", "pc", "-device", "e1000,addr=1"],
    ["-machine", "pc", "-device", "e1000,id=a", "-device", "rtl8139,id=a"],
    ["-machine", "pc", "-device", "e1000,addr=4.1"], ["-machine", "pc", "-device", "e1000,multifunction=maybe"],
    ["-machine", "pc", "-device", "e1000,bus=isa.0"], ["-machine", "pc", "-device", "isa-serial,bus=pci.0"],
    ["-machine", "pc", "-device", "pcie-root-port"], ["-machine", "q35", "-device", "e1000,addr=0x1f"],
    ["-machine", "pc", "-device", "{bad json"], ["-machine", "pc", "-device", '{"id":"x"}'],
    ["-machine", "pc", "-device", "e1000,addr=32"], ["-machine", "pc", "-device", "e1000,mac=zz"],
    ["-machine", "none", "-device", "e1000"], ["-machine", "isapc", "-device", "e1000"],
    ["-machine", "pc", "-device", "pci-bridge,chassis_nr=1,id=br0", "-device", "e1000,bus=br0,addr=1"],
    ["-machine", "pc", "-device", "pci-bridge,chassis_nr=1", "-device", "pci-bridge,chassis_nr=1"],
    ["-machine", "pc", "-device", "isa-serial", "-device", "isa-serial"],
    ["-machine", "pc", "-device", "e1000,id=", "-device", "rtl8139"],
    ["-machine", "pc", "-device", "driver=e1000,id=n3"],
]

# -global on board devices: applied, or QEMU's error when the value does not apply.
GLOBALS: list[list[str]] = [
    ["-machine", "pc", "-global", "i8042.kbd-irq=3"], ["-machine", "pc", "-global", "isa-pit.iobase=0x48"],
    ["-machine", "pc", "-global", "mc146818rtc.base_year=2000"], ["-machine", "pc", "-global", "i8042.nosuch=1"],
    ["-machine", "pc", "-global", "hpet.timers=zz"], ["-machine", "q35", "-global", "ICH9-LPC.noreboot=on"],
    ["-machine", "pc", "-global", "PIIX4_PM.disable_s3=1"], ["-machine", "pc", "-global", "e1000.mitigation=off",
                                                             "-device", "e1000"],
    ["-machine", "q35", "-global", "PIIX4_PM.disable_s3=1"], ["-machine", "q35", "-global", "isa-fdc.iobase=0x100"],
]

# More versions, sizes and device combinations: the rules above must hold on lines they were not
# written against.
MORE: list[list[str]] = [
    ["-machine", "pc-i440fx-6.2"], ["-machine", "pc-i440fx-3.1"], ["-machine", "pc-i440fx-1.7"],
    ["-machine", "pc-q35-6.0"], ["-machine", "pc-q35-4.0.1"], ["-machine", "pc", "-smp", "4"],
    ["-machine", "q35", "-smp", "2", "-m", "3G"], ["-machine", "pc", "-m", "3.5G"],
    ["-machine", "q35", "-device", "e1000"], ["-machine", "q35", "-device", "rtl8139"],
    ["-machine", "q35", "-device", "VGA"], ["-machine", "q35", "-device", "i6300esb"],
    ["-machine", "q35", "-device", "virtio-rng-pci"], ["-machine", "q35", "-device", "usb-kbd"],
    ["-machine", "pc", "-device", "e1000,addr=4.0", "-device", "rtl8139,addr=4.1"],
    ["-machine", "pc", "-device", "rtl8139,addr=5.1", "-device", "e1000,addr=5.0"],
    ["-machine", "pc", "-device", "isa-serial", "-device", "isa-serial", "-device", "isa-serial",
     "-device", "isa-serial", "-device", "isa-serial"],
    ["-machine", "pc", "-device", "e1000,bus=pci.1"],
    ["-machine", "q35", "-device", "pcie-root-port,id=rp1,chassis=2", "-device", "e1000e,bus=rp1"],
    ["-machine", "pc", "-device", "virtio-net-pci,mac=52:54:00:00:00:01", "-device", "e1000"],
    ["-machine", "pc", "-device", "qemu-xhci,id=x", "-device", "usb-tablet,bus=x.0"],
    ["-machine", "pc", "-device", "pci-bridge,chassis_nr=1,id=b1", "-device", "pci-bridge,chassis_nr=2,bus=b1,addr=3"],
    ["-machine", "pc,usb=on", "-device", "usb-tablet"], ["-machine", "pc", "-device", "isa-serial,iobase=0x3e8"],
    ["-machine", "q35,usb=on", "-device", "usb-kbd"], ["-machine", "pc", "-device", "e1000", "-device", "e1000"],
]

# Block backends: -drive and -blockdev (null images: nothing to open) and the drive= property.
DRIVES: list[list[str]] = [
    ["-machine", "q35", "-blockdev", "null-co,node-name=n0", "-device", "virtio-blk-pci,drive=n0"],
    ["-machine", "pc", "-drive", "if=none,id=d0,driver=null-co,size=8G", "-device", "virtio-blk-pci,drive=d0,id=disk0"],
    ["-machine", "pc", "-drive", "if=virtio,driver=null-co,size=64M"],
    ["-machine", "q35", "-blockdev", '{"driver":"null-co","node-name":"n1","size":1073741824}',
     "-device", '{"driver":"virtio-blk-pci","drive":"n1","id":"vd0","bus":"pcie.0","addr":"0x5"}'],
    ["-machine", "q35", "-device", "pcie-root-port,id=rp,chassis=1",
     "-blockdev", "null-co,node-name=n0,size=2147483648",
     "-device", "virtio-blk-pci,drive=n0,bus=rp,cyls=100,heads=4,secs=32"],
    ["-machine", "pc", "-blockdev", "null-co,node-name=n0,size=2G"],
    ["-machine", "pc", "-device", "virtio-blk-pci,drive=x"], ["-machine", "pc", "-device", "ide-hd,drive=x"],
    ["-machine", "pc", "-device", "virtio-blk,drive=zz"], ["-machine", "pc", "-device", "virtio-net"],
    ["-machine", "pc", "-drive", "if=none,id=d0,driver=null-co", "-device", "virtio-blk-pci,drive=d0",
     "-device", "virtio-blk-pci,drive=d0"],
    ["-machine", "pc", "-drive", "id=d0,driver=null-co", "-device", "ide-cd,drive=d0"],
    ["-machine", "q35", "-drive", "id=d0,if=floppy,driver=null-co", "-device", "virtio-blk-pci,drive=d0"],
    ["-machine", "pc", "-drive", "if=none,id=d0,driver=null-co", "-drive", "if=none,id=d0,driver=null-co"],
    ["-machine", "pc", "-blockdev", "null-co,node-name=d0", "-drive", "if=none,id=d0,driver=null-co"],
    ["-machine", "pc", "-blockdev", "null-co,node-name=n0", "-blockdev", "null-co,node-name=n0"],
    ["-machine", "pc", "-drive", "id=d0,if=scsi,driver=null-co", "-drive", "if=sd,driver=null-co"],
    ["-machine", "pc", "-drive", "if=ide,index=5,driver=null-co"],
    ["-machine", "q35", "-drive", "id=d0,driver=null-co", "-drive", "id=d1,driver=null-co,unit=1"],
    ["-machine", "microvm", "-drive", "id=d0,if=ide,driver=null-co"],
    ["-machine", "isapc", "-drive", "if=virtio,driver=null-co"],
    ["-machine", "pc", "-drive", "if=virtio,driver=null-co", "-drive", "if=virtio,driver=null-co,id=virtio0"],
    ["-machine", "pc", "-drive", "if=ide,bus=1,index=2,driver=null-co"],
    ["-machine", "pc", "-drive", "cache=bad,file=x", "-blockdev", "driver=null-co"],
    ["-machine", "none", "-drive", "id=d0,driver=null-co"],
]

# -object memory backends: the machine's RAM, NUMA nodes' memory, and QEMU's checks.
OBJECTS: list[list[str]] = [
    ["-machine", "pc,memory-backend=m", "-object", "memory-backend-ram,id=m,size=256M"],
    ["-m", "256M", "-machine", "pc,memory-backend=m", "-object", "memory-backend-ram,id=m,size=128M"],
    ["-machine", "q35,memory-backend=m", "-object", "memory-backend-memfd,id=m,size=192M"],
    ["-machine", "pc", "-object", "memory-backend-ram,id=pc.ram,size=128M"],
    ["-object", "memory-backend-ram,id=pc.ram,size=64M", "-machine", "pc,memory-backend=pc.ram"],
    ["-machine", "pc", "-object", "memory-backend-ram,id=m,size=64M", "-numa", "node,memdev=m"],
    ["-machine", "q35", "-object", "memory-backend-ram,id=m0,size=64M", "-object", "memory-backend-ram,id=m1,size=64M",
     "-numa", "node,memdev=m0", "-numa", "node,memdev=m1"],
    ["-object", "memory-backend-ram,id=m,size=128M", "-machine", "pc,memory-backend=m", "-numa", "node,memdev=m"],
    ["-machine", "pc", "-object", "memory-backend-ram,id=m,size=128M", "-numa", "node,memdev=x"],
    ["-machine", "q35", "-object", "memory-backend-ram,id=m,size=64M", "-numa", "node,memdev=m",
     "-numa", "node,mem=64M"],
    ["-object", "memory-backend-ram,id=m,size=64M", "-object", "memory-backend-ram,id=m,size=64M"],
    ["-object", "memory-backend-ram,id=m"], ["-object", "memory-backend-ram,size=64M"],
    ["-object", "memory-backend-ram,id=m,size=0"], ["-object", "memory-backend-file,id=m,size=64M"],
    ["-object", "memory-backend-ram,id=m,size=64M,bogus=1"], ["-object", "memory-backend-ram,id=1m,size=1M"],
    ["-object", '{"qom-type":"memory-backend-ram","id":"m","size":"64M"}'],
    ["-object", '{"qom-type":"memory-backend-ram","id":"m","size":67108864'],
    ["-object", '{"qom-type":"memory-backend-ram","id":"m","size":1048576,"share":"on"}'],
    ["-object", "nosuch,id=x"], ["-object", "iothread,id=m", "-machine", "pc,memory-backend=m"],
    ["-object", "memory-backend-ram,id=m,size=64M,policy=x"],
    ["-machine", "pc", "-m", "1G,slots=4,maxmem=8G"], ["-machine", "q35", "-m", "1G,slots=2,maxmem=4G"],
]

# Found by comparing unseen command lines with the binary: libvirt's addresses, queue counts
# that follow the vCPUs, bus names after a proxy's id, virtio behind PCIe ports, error order.
PROBED: list[list[str]] = [
    ["-machine", "pc", "-smp", "4", "-blockdev", "null-co,node-name=n0", "-device", "virtio-blk-pci,drive=n0"],
    ["-machine", "pc", "-smp", "4", "-device", "virtio-scsi-pci,id=hba"],
    ["-machine", "pc", "-device", "virtio-scsi-pci,num_queues=4"],
    ["-machine", "pc", "-device", "virtio-serial-pci,id=vs"],
    ["-machine", "q35", "-device", "pcie-root-port,id=rp,chassis=1", "-device", "virtio-net-pci,bus=rp"],
    ["-machine", "q35", "-device", "pcie-root-port,id=rp,chassis=1", "-device", "virtio-rng-pci,bus=rp"],
    ["-machine", "pc", "-device", "e1000,addr=0x3.0x0"], ["-machine", "pc", "-device", "e1000,bogus1=1,bogus2=2"],
    ["-machine", "pc", "-device", "e1000,romsize=abc"],
    ["-machine", "pc,max-ram-below-4g=2G", "-m", "3G"], ["-machine", "q35,max-ram-below-4g=1G", "-m", "2G"],
    ["-machine", "pc", "-device", '{"driver":"e1000","multifunction":"on"}'],
    ["-machine", "pc", "-device", '{"driver":"e1000","rombar":"1"}'],
    ["-machine", "pc", "-device", '{"driver":"e1000","addr":24,"multifunction":true,"mac":"52:54:00:00:00:09"}'],
    ["-machine", "pc", "-device", '{"driver":"e1000","id":5}'],
    ["-machine", "q35", "-object", "rng-builtin,id=rng0", "-device", "virtio-rng-pci,rng=rng0"],
    ["-machine", "q35", "-object", "iothread,id=io0", "-device", "virtio-scsi-pci,iothread=io0"],
    ["-machine", "q35", "-object", "iothread,id=io0", "-device", "virtio-scsi-pci,iothread=nosuch"],
    ["-machine", "q35", "-object", "iothread,id=io0", "-device", "virtio-rng-pci,rng=io0"],
    ["-machine", "pc", "-device", "isa-serial,id=serial0,index=1"],
    ["-machine", "pc", "-device", "isa-serial", "-device", "isa-serial,index=0"],
    ["-machine", "pc", "-device", "e1000,romfile="], ["-machine", "pc", "-device", "e1000,rombar=0"],
    ["-machine", "pc", "-device", "VGA,vgamem_mb=1024"],
    ["-machine", "pc", "-global", "VGA.vgamem_mb=3", "-device", "VGA"],
    ["-machine", "pc", "-device", "pvpanic", "-device", "pvpanic"],
    ["-machine", "q35", "-device", "pvpanic,ioport=0x600"],
    ["-machine", "pc", "-device", "cirrus-vga,vgamem_mb=2"], ["-machine", "pc", "-device", "cirrus-vga,vgamem_mb=16"],
    ["-machine", "pc", "-device", "qxl-vga,revision=6"], ["-machine", "pc", "-device", "VGA", "-device", "qxl-vga"],
    ["-machine", "pc", "-device", "qxl-vga,revision=1"],
    ["-machine", "pc", "-device", "qxl-vga,vgamem_mb=4,ram_size_mb=8"],
    ["-machine", "pc", "-device", "qxl-vga,vram_size_mb=16,vram64_size_mb=128"],
    ["-machine", "pc", "-device", "isa-vga", "-device", "cirrus-vga"], ["-machine", "isapc", "-device", "isa-vga"],
    ["-machine", "q35", "-device", "virtio-vga,max_outputs=2"],
    ["-machine", "pc", "-device", "lsi53c895a", "-device", "lsi53c895a"],
    ["-machine", "q35", "-device", "qemu-xhci,p2=99"],
    ["-machine", "q35", "-audiodev", "none,id=a", "-device", "ich9-intel-hda", "-device", "hda-duplex,audiodev=nosuch"],
    ["-machine", "pc", "-device", "AC97,audiodev=x"],
    ["-machine", "pc", "-device", "virtio-net-pci,mq=on,vectors=10"],
    ["-machine", "pc", "-device", "virtio-net-pci,host_mtu=1500,vectors=0"],
    ["-machine", "pc", "-global", "virtio-net-pci.mq=on", "-device", "virtio-net-pci"],
    ["-machine", "pc", "-device", "virtio-net-pci,vectors=300"],
    ["-machine", "q35", "-device", "pcie-pci-bridge"], ["-machine", "q35", "-device", "virtio-iommu-pci"],
    ["-machine", "pc", "-device", "pci-bridge,chassis_nr=1,id=b", "-device", "virtio-iommu-pci",
     "-device", "e1000,bus=b"],
    ["-machine", "microvm,pcie=on", "-device", "e1000"],
    ["-machine", "pc", "-device", "piix3-usb-uhci,id=usb", "-device", "usb-kbd,bus=usb.0", "-device",
     "usb-mouse,bus=usb.0"],
    ["-machine", "pc", "-device", "qemu-xhci,id=x", "-device", "usb-tablet,bus=x.0,port=9"],
    ["-machine", "q35", "-device", "qemu-xhci,id=usb,p2=15,p3=15", "-device", "usb-tablet,id=input0,bus=usb.0,port=1"],
    ["-machine", "pc", "-device", "piix3-usb-uhci,id=usb", "-device", "usb-kbd,port=2", "-device", "usb-tablet",
     "-device", "usb-mouse"],
    ["-machine", "pc", "-global", "mc146818rtc.lost_tick_policy=bogus"],
    ["-machine", "pc", "-global", "mc146818rtc.lost_tick_policy=delay"],
    ["-machine", "pc", "-global", "mc146818rtc.lost_tick_policy=slew"],
    ["-machine", "q35", "-device", "pcie-root-port,chassis=1,x-speed=32"],
    ["-machine", "pc", "-global", "i440FX-pcihost.pci-hole64-size=4G"],
]

# Device types beyond the catalogue, harvested so their facts (properties info qtree prints,
# regions, BARs) are known: what -device users reach for after the catalogue.
FACTS_ONLY: list[list[str]] = [
    ["-machine", "pc", "-device", "e1000-82544gc"], ["-machine", "pc", "-device", "e1000-82545em"],
    ["-machine", "pc", "-device", "ne2k_pci"], ["-machine", "pc", "-device", "pcnet"],
    ["-machine", "pc", "-device", "vmxnet3"], ["-machine", "pc", "-device", "virtio-keyboard-pci"],
    ["-machine", "pc", "-device", "virtio-mouse-pci"], ["-machine", "pc", "-device", "virtio-tablet-pci"],
    ["-machine", "q35", "-device", "virtio-gpu-pci"], ["-machine", "pc", "-device", "nec-usb-xhci"],
    ["-machine", "pc", "-device", "piix4-usb-uhci"], ["-machine", "pc", "-device", "secondary-vga"],
    ["-machine", "pc", "-device", "isa-vga"], ["-machine", "q35", "-device", "ioh3420,id=rp,chassis=1"],
    ["-machine", "pc", "-audiodev", "none,id=a", "-device", "AC97,audiodev=a"],
    ["-machine", "pc", "-audiodev", "none,id=a", "-device", "ES1370,audiodev=a"],
    ["-machine", "pc", "-device", "pci-testdev"], ["-machine", "pc", "-device", "edu"],
    ["-machine", "pc", "-device", "lsi53c895a"], ["-machine", "pc", "-device", "sdhci-pci"],
    ["-machine", "pc", "-device", "virtio-iommu-pci"], ["-machine", "pc", "-device", "i82559er"],
    ["-machine", "pc", "-device", "usb-ehci,id=ehci", "-device", "usb-mouse,bus=ehci.0"],
    ["-machine", "q35", "-device", "virtio-balloon-pci,id=b", "-device", "pvpanic-pci"],
    ["-machine", "pc", "-audiodev", "none,id=a", "-device", "intel-hda", "-device", "hda-output,audiodev=a"],
    ["-machine", "q35", "-device", "megasas", "-blockdev", "null-co,node-name=n0", "-device", "scsi-hd,drive=n0"],
]

CASES: list[list[str]] = MACHINES + DEVICES + DEVICE_RULES + GLOBALS + MORE + DRIVES + OBJECTS + PROBED + FACTS_ONLY

# The devices whose ``-device NAME,help`` text (and properties) are harvested: the catalogue.
CATALOGUE: list[str] = [
    "e1000", "e1000e", "rtl8139", "virtio-net-pci", "virtio-rng-pci", "virtio-balloon-pci",
    "virtio-serial-pci", "virtio-scsi-pci", "virtio-blk-pci", "piix3-usb-uhci", "ich9-usb-ehci1",
    "ich9-usb-uhci1", "qemu-xhci", "usb-ehci", "usb-tablet", "usb-kbd", "usb-storage", "VGA", "cirrus-vga",
    "virtio-vga", "bochs-display", "qxl-vga", "pci-bridge", "pcie-root-port", "pcie-pci-bridge",
    "ich9-intel-hda", "hda-duplex", "isa-serial", "i6300esb", "pvpanic", "pvpanic-pci",
]
