"""Command lines for QEMU's rules on options nobody tuned for (issue 12): test design, by hand.

Harvested with the ``qemu_init`` cases by :mod:`model.harvest.init_cases`; every expectation
comes from running the binary. Nothing here opens a network backend, a file or a socket: the
``-netdev``/``-nic`` lines are ones QEMU refuses while validating (unknown types, a missing
type) or ``-nic none``; block devices use the ``null-co`` driver or fail validation first;
character devices are ``null`` or ``ringbuf`` (memory only).
"""

from __future__ import annotations

# Run after BASE_ARGS (which select ``-accel tcg``).
RULE_CASES: list[list[str]] = [
    # options outside the model: parsed and checked with QEMU's messages
    ["-overcommit", "mem-lock=on"], ["-overcommit", "mem-lock=maybe"], ["-overcommit", "foo=1"],
    ["-overcommit", "cpu-pm=on,mem-lock=off"], ["-overcommit", "cpu-pm"],
    ["-icount", "shift=auto"], ["-icount", "shift=x"], ["-icount", "3"], ["-icount", "foo=1"],
    ["-icount", "shift=auto,sleep=off"], ["-icount", "shift=7,align=on"], ["-icount", "shift=0,sleep=maybe"],
    ["-numa", "foo"], ["-numa", "node,foo=1"], ["-numa", "node,nodeid=0"], ["-numa", "node,nodeid=x"],
    ["-numa", "node,mem=128M"],
    ["-rtc", "base=localtime,clock=host,driftfix=slew"], ["-rtc", "base=foo"], ["-rtc", "clock=foo"],
    ["-rtc", "driftfix=foo"], ["-rtc", "base=2006-06-17T16:01:21"], ["-rtc", "base=2006-06-17"],
    ["-rtc", "foo=1"], ["-rtc", "clock=vm,driftfix=none"],
    ["-uuid", "1234"], ["-uuid", "c2b6e2a0-58a8-4c7c-8ad6-2c6a2a6d7f1e"],
    ["-uuid", "c2b6e2a0-58a8-4c7c-8ad6-2c6a2a6d7f1g"], ["-uuid", "C2B6E2A0-58A8-4C7C-8AD6-2C6A2A6D7F1E"],
    ["-boot", "order=cd"], ["-boot", "order=z"], ["-boot", "menu=maybe"], ["-boot", "foo=1"],
    ["-boot", "splash-time=abc"], ["-boot", "strict=on,reboot-timeout=100"], ["-boot", "cd"],
    ["-boot", "once=n,order=c"], ["-boot", "order=cc"], ["-boot", "menu=on,splash-time=5000"],
    ["-d", "nosuch"], ["-d", "int"], ["-d", "help"], ["-d", "int,cpu_reset,guest_errors"], ["-d", "int,nosuch"],
    ["-vga", "std"], ["-vga", "nosuch"], ["-vga", "none"], ["-vga", "cirrus"], ["-vga", "help"],
    ["-name", "guest=g1,debug-threads=on"], ["-name", "guest=g1,debug-threads=maybe"], ["-name", "foo=1"],
    ["-name", "g1,process=qemu-g1"], ["-name", "guest=a,,b"],
    ["-msg", "foo=1"], ["-msg", "guest-name=on"], ["-msg", "timestamp=maybe"],
    ["-sandbox", "on"], ["-sandbox", "off"], ["-sandbox", "foo"],
    ["-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"],
    ["-sandbox", "on,obsolete=foo"], ["-sandbox", "on,foo=1"], ["-sandbox", "on,spawn=foo"],
    ["-watchdog-action", "pause"], ["-watchdog-action", "foo"], ["-watchdog-action", "inject-nmi"],
    ["-mon", "chardev=nosuch"], ["-mon", "foo=1"], ["-mon", "mode=control"],
    ["-mon", "chardev=c0,mode=foo", "-chardev", "null,id=c0"],
    ["-mon", "chardev=c0,mode=control", "-chardev", "null,id=c0"],
    ["-chardev", "null"], ["-chardev", "null,id=c0"], ["-chardev", "nosuch,id=c0"],
    ["-chardev", "null,id=c0,foo=1"], ["-chardev", "null,id=c0", "-chardev", "null,id=c0"],
    ["-chardev", "id=c0"], ["-chardev", "help"], ["-chardev", "ringbuf,id=c0,size=3"],
    ["-chardev", "ringbuf,id=c0,size=4096"],
    ["-netdev", "help"], ["-netdev", "nosuch,id=n0"], ["-netdev", "id=n0"], ["-nic", "none"],
    ["-nic", "nosuch"],
    ["-blockdev", "driver=null-co,node-name=n0"], ["-blockdev", "driver=nosuch,node-name=n0"],
    ["-blockdev", "node-name=n0"], ["-blockdev", "driver=null-co"],
    ["-blockdev", "driver=null-co,node-name=n0,foo=1"], ["-blockdev", '{"driver":"null-co","node-name":"n0"}'],
    ["-blockdev", '{"driver":"null-co"'],
    ["-drive", "if=none,driver=null-co,id=d0"], ["-drive", "if=foo,driver=null-co"], ["-drive", "foo=1"],
    ["-drive", "if=none,driver=null-co,id=d0,cache=foo"], ["-drive", "if=none,driver=null-co,format=raw"],
    ["-audiodev", "none,id=a0"], ["-audiodev", "none"], ["-audiodev", "nosuch,id=a0"],
    ["-audiodev", "none,id=a0,foo=1"], ["-audiodev", "id=a0"],
    # -msg timestamp=on: every error and warning line starts with the time (masked when harvested)
    ["-msg", "timestamp=on"], ["-msg", "timestamp=on", "-cpu", "nosuch"],
    ["-msg", "timestamp=on", "-cpu", "qemu64,+avx512f"], ["-msg", "timestamp=on", "-m", "5x"],
    ["-msg", "timestamp=on", "-machine", "pc-i440fx-1.4"],
    ["-msg", "guest-name=on", "-name", "guest=g1", "-cpu", "nosuch"],
    ["-name", "g1", "-msg", "guest-name=on,timestamp=on", "-m", "1G,slots"],
    ["-msg", "guest-name=on", "-cpu", "nosuch"],
    # help inside an option's argument
    ["-m", "1G,help"], ["-m", "help"], ["-smp", "help"], ["-smp", "2,help"], ["-global", "help"],
    ["-accel", "tcg,help"], ["-accel", ""], ["-accel", "help,tcg"], ["-accel", "kvm,help"],
    # names in errors: legacy aliases as typed, the unknown key QEMU finds first
    ["-cpu", "qemu64,xd=2"], ["-cpu", "qemu64,sse4_2=maybe"], ["-cpu", "qemu64,i64=x"],
    ["-cpu", "qemu64,lahf_lm=x"], ["-cpu", "qemu64,ffxsr=x"],
    ["-smp", "2,foo=1,bar=1"], ["-smp", "2,bar=1,foo=1"], ["-smp", "zz=1,aa=2"], ["-m", "1G,foo=1,bar=1"],
    # generic device properties through -cpu
    ["-cpu", "qemu64,hotplugged=on"], ["-cpu", "qemu64,hotpluggable=off"], ["-cpu", "qemu64,realized=on"],
    ["-cpu", "qemu64,legacy-memory=on"], ["-cpu", "qemu64,realized=maybe"], ["-cpu", "qemu64,parent_bus=x"],
    ["-cpu", "qemu64,realized=off"],
    # Hyper-V enlightenments checked before realize
    ["-cpu", "qemu64,hv-vpindex=on"], ["-cpu", "qemu64,hv-vpindex=on,enforce"],
    ["-cpu", "qemu64,hv-vpindex=on,phys-bits=20"], ["-cpu", "host,hv-vpindex=on"],
    ["-cpu", "qemu64,hv-relaxed=on,hv-vpindex=on,+avx512f,enforce"], ["-cpu", "qemu64,hv-synic=on"],
    ["-cpu", "qemu64,hv-ipi=on"], ["-cpu", "qemu64,hv-stimer=on"],
    # -smp: negative values wrap, dies raise the CPUID level on Intel, an empty argument
    ["-smp", "-1"], ["-smp", "2,sockets=-1"], ["-smp", "2,cores=-2"], ["-smp", "maxcpus=-1"],
    ["-smp", "2,threads=-1"], ["-smp", ""], ["-m", ""], ["-machine", ""],
    ["-smp", "4,dies=2", "-cpu", "Skylake-Client"], ["-smp", "4,dies=2", "-cpu", "EPYC"],
    ["-smp", "4,dies=2", "-cpu", "qemu64"], ["-smp", "4,dies=2", "-cpu", "qemu64,vendor=GenuineIntel"],
    ["-smp", "4,dies=2", "-cpu", "qemu64,level=0x20"], ["-smp", "4,dies=2", "-cpu", "Skylake-Client,level=0xd"],
    ["-smp", "2,dies=1", "-cpu", "Skylake-Client"],
    # machine properties the model lacked
    ["-machine", "microvm,x-option-roms=off"], ["-machine", "microvm,pit=maybe"],
    ["-machine", "microvm,rtc=on,pic=off,isa-serial=off"], ["-machine", "microvm,auto-kernel-cmdline=off"],
    ["-machine", "microvm,foo=1"], ["-machine", "pc,kernel-irqchip=split"], ["-machine", "pc,kernel-irqchip=maybe"],
    ["-machine", "pc,kernel-irqchip=on"], ["-machine", "pc,smm=maybe"], ["-machine", "pc,smm=auto"],
    ["-machine", "pc,vmport=foo"], ["-machine", "pc,vmport=auto"], ["-machine", "pc,max-ram-below-4g=foo"],
    ["-machine", "pc,max-ram-below-4g=2G"], ["-machine", "pc,pflash0=nosuch"],
    ["-machine", "pc,memory-backend=nosuch"], ["-machine", "q35,smm=off,vmport=off"],
    ["-machine", "pc,dump-guest-core=off,mem-merge=off"], ["-machine", "pc,graphics=off"],
    ["-machine", "q35,sata=maybe"], ["-machine", "pc,acpi=foo"], ["-machine", "pc,hpet=off"],
    ["-machine", "pc,sgx-epc.0.memdev=x"],
    # memory hotplug limits of each board
    ["-machine", "isapc", "-m", "1G,slots=2,maxmem=2G"], ["-machine", "isapc", "-m", "1G,maxmem=2G"],
    ["-machine", "pc-i440fx-1.4", "-m", "1G,slots=2,maxmem=2G"],
    ["-machine", "pc-i440fx-2.0", "-m", "1G,slots=2,maxmem=2G"],
    ["-machine", "pc-i440fx-2.1", "-m", "1G,slots=2,maxmem=2G"], ["-m", "1G,slots=257,maxmem=300G"],
    ["-m", "1G,slots=256,maxmem=300G"], ["-machine", "q35", "-m", "1G,slots=300,maxmem=300G"],
    ["-m", "1G,slots=2,maxmem=1T"], ["-m", "1G,slots=0,maxmem=2G"],
    ["-machine", "microvm", "-m", "1G,slots=2,maxmem=2G"],
    ["-machine", "none", "-m", "1G,slots=2,maxmem=2G"], ["-m", "1G,slots=2,maxmem=1G"],
    # neighbours: the address-space limit, with the AMD 1 TiB hole (7.1+) and the PCI hole sizes
    ["-machine", "q35", "-m", "1G,slots=2,maxmem=1T"], ["-m", "1G,slots=2,maxmem=1T", "-cpu", "Skylake-Client"],
    ["-m", "1G,slots=2,maxmem=900G"], ["-machine", "pc-i440fx-7.0", "-m", "1G,slots=2,maxmem=1T"],
    ["-m", "4G,slots=2,maxmem=1000G", "-cpu", "qemu64,phys-bits=42"],
    ["-machine", "q35,max-ram-below-4g=1G", "-m", "2G,slots=2,maxmem=1000G"],
    ["-machine", "pc,max-ram-below-4g=1G", "-m", "4G,slots=2,maxmem=1000G"],
    ["-machine", "pc,max-ram-below-4g=2G", "-m", "3G,slots=2,maxmem=1010G"],
    ["-machine", "q35", "-m", "3G,slots=4,maxmem=960G"],
    # TCG accelerator properties
    ["-accel", "tcg,thread=foo"], ["-accel", "tcg,tb-size=abc"], ["-accel", "tcg,tb-size=64"],
    ["-accel", "tcg,split-wx=on"], ["-accel", "tcg,split-wx=maybe"], ["-accel", "tcg,thread=single"],
    ["-accel", "tcg,thread=multi", "-icount", "shift=1"],
]

# Neighbours found while modelling the rules above (same rules, other spellings and orders).
RULE_CASES += [
    ["-overcommit", "mem-lock=on,cpu-pm=maybe"], ["-icount", "shift=auto,foo=1"], ["-icount", "shift=0x3"],
    ["-rtc", "base=utc,clock=foo"], ["-boot", "once=z"], ["-boot", "order=c,menu=on,foo=1"],
    ["-name", "guest=x,process=y,debug-threads=on"], ["-sandbox", "off,obsolete=foo"],
    ["-msg", "timestamp=on", "-smp", "2,foo=1"], ["-msg", "timestamp=on", "-overcommit", "cpu-pm"],
    ["-chardev", "ringbuf,id=c0,size=x"], ["-mon", "chardev=c0", "-chardev", "null,id=c0"],
    ["-smp", "bar=1,cpus=x"], ["-global", "x.y=z,help"], ["-audiodev", "none,id=a0,help"],
    ["-cpu", "qemu64,lahf_lm=2", "-smp", "2"], ["-cpu", "qemu64,pclmuldq=x"],
    ["-machine", "pc,memory-backend=m0", "-object", "memory-backend-ram,id=m0,size=128M"],
    ["-machine", "microvm,ioapic2=maybe"], ["-machine", "q35,bus-lock-ratelimit=x"],
    ["-machine", "pc,sgx-epc.0.node=0"], ["-machine", "q35,max-ram-below-4g=1.5G"],
]

# Edges found by feeding the new parsers odd values.
RULE_CASES += [
    ["-numa", "node,nodeid=99999999999999999999"], ["-smp", "99999999999999999999"], ["-boot", "order="],
    ["-chardev", "ringbuf,id=c,size=0"], ["-blockdev", "{}"], ["-blockdev", "[]"], ["-audiodev", "{"],
    ["-icount", "shift="], ["-rtc", "base="], ["-mon", "chardev="], ["-netdev", "type=,id=x"], ["-drive", "cache="],
    ["-machine", "pc,max-ram-below-4g=5G"], ["-machine", "pc,max-ram-below-4g=1k"], ["-numa", "node", "-numa", "node"],
    ["-numa", "dist,src=0,dst=1,val=20"], ["-numa", "node,nodeid=0", "-numa", "node,nodeid=1", "-numa",
                                            "dist,src=0,dst=2,val=20"],
    ["-uuid", "-"], ["-sandbox", "on,spawn="],
]

# What a libvirt command line carries (JSON -object/-blockdev/-audiodev, -sandbox, -msg, ...),
# minus anything that would open a socket or a file.
RULE_CASES += [
    ["-name", "guest=vm1,debug-threads=on", "-msg", "timestamp=on", "-machine",
     "pc-q35-7.2,usb=off,vmport=off,dump-guest-core=off,memory-backend=pc.ram", "-cpu", "qemu64", "-m", "1024",
     "-object", '{"qom-type":"memory-backend-ram","id":"pc.ram","size":1073741824}', "-overcommit", "mem-lock=off",
     "-smp", "2,sockets=2,cores=1,threads=1", "-uuid", "5a2ba3a5-4f4c-4b16-b6f6-2bba1fb3a5a5", "-no-user-config",
     "-rtc", "base=utc,driftfix=slew", "-no-shutdown", "-boot", "strict=on", "-sandbox",
     "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"],
    ["-name", "guest=vm2,debug-threads=on", "-machine", "pc-i440fx-7.2,usb=off,dump-guest-core=off", "-cpu", "qemu64",
     "-m", "512", "-overcommit", "mem-lock=off", "-smp", "1,sockets=1,cores=1,threads=1", "-rtc", "base=utc",
     "-boot", "menu=on,strict=on", "-blockdev", '{"driver":"null-co","node-name":"libvirt-1-storage"}',
     "-audiodev", '{"id":"audio1","driver":"none"}', "-msg", "timestamp=on"],
    ["-audiodev", '{"id":"audio1","driver":"nosuch"}'], ["-audiodev", '{"driver":"none"}'],
    ["-machine", "pc,memory-backend=pc.ram",
     "-object", '{"qom-type":"memory-backend-ram","id":"other","size":134217728}'],
]

# Run after BASE_ARGS without ``-accel tcg``: ``-machine accel=`` and ``-accel`` are exclusive.
NO_ACCEL_CASES: list[list[str]] = [
    ["-machine", "accel="], ["-machine", "pc,accel="], ["-machine", "accel=:"], ["-machine", "accel=tcg:"],
    ["-machine", "accel=,accel=tcg"], ["-machine", "kernel-irqchip=foo,accel=tcg"], ["-machine", "accel=tcg:tcg"],
]
