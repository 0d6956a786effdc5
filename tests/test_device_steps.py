"""The realize steps of the -device families the model writes out (VGA, virtio PCI, xHCI),
checked on their rules: what each property changes in the regions made, in order. The
harvested comparison (test_steps.py) checks the defaults against the binary; these pin the
rules on values the harvest did not run."""

from __future__ import annotations

from functools import cache

from model.harvest.session import BASE_ARGS
from model.hw.pci.msix import msix_init_exclusive_bar, pba_size
from model.hw.usb.hcd_xhci import port_names
from model.hw.virtio.virtio import backend_by_name
from model.softmmu.ioport import portio_runs
from model.softmmu.memory_region import SPACE_END, MemoryRegion
from model.softmmu.physmem import MemoryMap, address_space_init, memory_region_set_log
from tracer.record import record_trace
from tracer.trace import Trace


@cache
def _trace(*args: str) -> Trace:
    return record_trace([*BASE_ARGS, *args])


def _regions(trace: Trace, owner: str) -> list[tuple[str, str, str]]:
    """(flavour, name, size) of every region ``owner`` made, in order (the inner calls of a
    flavour that delegates are left out)."""
    out = []
    for e in trace.events:
        if (e.kind == "call" and e.fn.startswith("memory_region_init") and e.args
                and e.args.get("owner") == owner and trace.events[e.parent].fn != e.fn.rsplit("_", 1)[0]):
            parent = trace.events[e.parent].fn
            if not parent.startswith("memory_region_init"):
                out.append((e.fn, e.args["name"], e.args["size"]))
    return out


def _names(trace: Trace, owner: str) -> list[str]:
    return [name for _, name, _ in _regions(trace, owner)]


def test_vga_makes_its_vram_window_ports_and_register_blocks_in_order() -> None:
    names = _names(_trace("-machine", "pc", "-device", "VGA"), "VGA")
    assert names == ["bus master container", "vga.vram", "vga-lowmem", "vga", "vga", "vga", "vga", "vga", "vbe",
                     "vga.mmio", "vga ioports remapped", "bochs dispi interface", "qemu extended regs", "edid",
                     "vga.rom", "bus master"]


def test_vga_properties_change_its_regions() -> None:
    regions = _regions(_trace("-machine", "pc", "-device", "VGA,vgamem_mb=5,edid=off"), "VGA")
    assert ("memory_region_init_ram_nomigrate", "vga.vram", hex(8 << 20)) in regions  # 5 MiB rounds up to 8
    assert "edid" not in [name for _, name, _ in regions]
    names = _names(_trace("-machine", "pc", "-device", "VGA,mmio=off"), "VGA")
    assert "vga.mmio" not in names and "bochs dispi interface" not in names


def test_a_display_device_puts_its_console_under_backend_at_display_setup() -> None:
    with_vga = [e.fn for e in _trace("-machine", "pc", "-device", "VGA").events if e.kind == "call"]
    assert "graphic_console_init" in with_vga
    init = with_vga.index("init_displaystate")
    assert with_vga.index("resume_mux_open") > init
    plain = _trace("-machine", "pc")
    calls = [e for e in plain.events if e.kind == "call"]
    at = next(i for i, e in enumerate(calls) if e.fn == "init_displaystate")
    assert calls[at + 1].fn != "container_get"  # no console: no /backend container


def test_virtio_net_pci_embeds_its_backend_and_fills_its_bars_when_plugged() -> None:
    trace = _trace("-machine", "q35", "-device", "virtio-net-pci")
    calls = [e for e in trace.events if e.kind == "call"]
    embed = next(e for e in calls if e.fn == "virtio_instance_init_common")
    assert embed.args == {"proxy": "virtio-net-pci", "type": "virtio-net-device"}
    assert _names(trace, "virtio-net-pci") == [
        "bus master container", "virtio-pci", "virtio-pci-common-virtio-net", "virtio-pci-isr-virtio-net",
        "virtio-pci-device-virtio-net", "virtio-pci-notify-virtio-net", "virtio-pci-notify-pio-virtio-net",
        "virtio-net-pci-msix", "msix-table", "msix-pba", "virtio-pci", "virtio-net-pci.rom", "bus master"]
    plugged = next(e for e in calls if e.fn == "virtio_pci_device_plugged")
    assert trace.events[plugged.parent].fn == "virtio_bus_device_plugged"


def test_virtio_pci_options_change_the_bars() -> None:
    names = _names(_trace("-machine", "q35", "-device", "virtio-net-pci,disable-modern=on,vectors=0"),
                   "virtio-net-pci")
    assert not any(n.startswith("virtio-pci-common") for n in names) and "msix-table" not in names
    regions = _regions(_trace("-machine", "q35", "-device", "virtio-net-pci,page-per-vq=on"), "virtio-net-pci")
    assert ("memory_region_init", "virtio-pci", hex(1 << 23)) in regions  # 0x3000 + 4 MiB, to a power of two


def test_xhci_port_blocks_follow_p2_p3_and_msix_sits_in_bar0() -> None:
    names = _names(_trace("-machine", "q35", "-device", "qemu-xhci,p2=2,p3=1"), "base-xhci")
    assert names[-3:] == ["usb3 port #1", "usb2 port #1", "usb2 port #2"]
    assert _names(_trace("-machine", "q35", "-device", "qemu-xhci"), "qemu-xhci")[1:3] == ["msix-table", "msix-pba"]
    assert port_names(2, 3, False) == ["usb2 port #1", "usb2 port #2", "usb3 port #1", "usb3 port #2",
                                       "usb3 port #3"]
    assert len(port_names(20, 20, True)) == 30  # 15 of each at most


def test_virtio_blk_without_a_drive_fails_in_the_backend_realize() -> None:
    trace = _trace("-machine", "pc", "-device", "virtio-blk-pci")
    errors = [e for e in trace.events if e.kind == "error"]
    assert errors and errors[0].fn == "virtio_blk_device_realize"
    assert trace.result.stderr == ["qemu-system-x86_64: -device virtio-blk-pci: drive property not set"]


def _subregion_parents(trace: Trace, owner_regions: set[str]) -> dict[str, str]:
    """Where each of the named subregions was mapped (its container's name)."""
    return {e.args["subregion"]: e.args["mr"] for e in trace.events
            if e.kind == "call" and e.fn.startswith("memory_region_add_subregion") and e.args
            and e.args.get("subregion") in owner_regions}


def test_a_bridge_forwards_windows_and_its_devices_decode_in_its_spaces() -> None:
    trace = _trace("-machine", "pc", "-device", "pci-bridge,chassis_nr=1,id=br0", "-device", "VGA,bus=br0")
    assert _names(trace, "pci-bridge")[1:11] == [
        "pci_bridge_pci", "pci_bridge_io", "pci_bridge_pref_mem", "pci_bridge_mem", "pci_bridge_io",
        "pci_bridge_vga_io_lo", "pci_bridge_vga_io_hi", "pci_bridge_vga_mem", "shpc-bar", "shpc-mmio"]
    parents = _subregion_parents(trace, {"pci_bridge_mem", "vga-lowmem", "shpc-mmio"})
    assert parents == {"pci_bridge_mem": "pci", "vga-lowmem": "pci_bridge_pci", "shpc-mmio": "shpc-bar"}
    no_shpc = _names(_trace("-machine", "pc", "-device", "pci-bridge,chassis_nr=1,shpc=off"), "pci-bridge")
    assert "shpc-bar" not in no_shpc and "pci_bridge_pci" in no_shpc


def test_a_bridge_that_fails_unmaps_its_windows_before_the_error() -> None:
    trace = _trace("-machine", "pc", "-device", "pci-bridge")
    calls = [e.fn for e in trace.events if e.kind == "call"]
    assert calls.index("shpc_cleanup") < calls.index("pci_bridge_exitfn")
    dels = [e.args["subregion"] for e in trace.events if e.kind == "call" and e.fn == "memory_region_del_subregion"]
    assert dels == ["shpc-mmio", "pci_bridge_io", "pci_bridge_mem", "pci_bridge_pref_mem"]
    assert trace.result.stderr == ["qemu-system-x86_64: -device pci-bridge: Bridge chassis not specified. Each "
                                   "bridge is required to be assigned a unique chassis id > 0."]


def test_root_ports_need_distinct_chassis_slots() -> None:
    clash = _trace("-machine", "q35", "-device", "pcie-root-port", "-device", "pcie-root-port,id=rp1")
    assert clash.result.stderr == ["qemu-system-x86_64: -device pcie-root-port,id=rp1: Can't add chassis slot, "
                                   "error -16"]
    dels = [e.args["subregion"] for e in clash.events if e.kind == "call" and e.fn == "memory_region_del_subregion"]
    assert dels == ["msix-table", "msix-pba", "pci_bridge_io", "pci_bridge_mem", "pci_bridge_pref_mem"]
    for ok in (("pcie-root-port,slot=1", "pcie-root-port"), ("pcie-root-port,chassis=1", "pcie-root-port")):
        assert _trace("-machine", "q35", "-device", ok[0], "-device", ok[1]).result.exit_status == 0


def test_virtio_below_a_pcie_port_is_modern_only_unless_asked() -> None:
    port = ("-machine", "q35", "-device", "pcie-root-port,id=rp1,chassis=1")
    below = _names(_trace(*port, "-device", "virtio-net-pci,bus=rp1"), "virtio-net-pci")
    assert below.count("virtio-pci") == 1  # BAR 4's container only: no legacy I/O BAR
    asked = _names(_trace(*port, "-device", "virtio-net-pci,bus=rp1,disable-legacy=off"), "virtio-net-pci")
    assert asked.count("virtio-pci") == 2
    root = _names(_trace("-machine", "q35", "-device", "virtio-net-pci"), "virtio-net-pci")
    assert root.count("virtio-pci") == 2


def test_pure_rules() -> None:
    assert portio_runs([(0x04, 2), (0x0A, 1), (0x10, 16), (0x24, 2), (0x2A, 1)]) == [
        (0x04, 2), (0x0A, 1), (0x10, 16), (0x24, 2), (0x2A, 1)]
    assert portio_runs([(2, 2), (0, 2)]) == [(0, 4)]
    assert pba_size(4) == 8 and pba_size(65) == 16
    assert backend_by_name("virtio-blk-pci-non-transitional") == "virtio-blk-device"
    assert backend_by_name("virtio-vga") is None


class _Types:
    def __init__(self) -> None:
        self.regions = 0

    def object_initialize(self, name: str) -> None:
        self.regions += 1


class _Dev:
    typename = "d"
    node = None  # not in the composition tree

    def __init__(self) -> None:
        self.obj = type("O", (), {"regions": []})()

    def own(self, mr: MemoryRegion) -> MemoryRegion:
        self.obj.regions.append(mr)
        return mr


class _Board:
    def __init__(self) -> None:
        self.types, self.memory_map = _Types(), MemoryMap()


def test_msix_exclusive_bar_grows_past_128_vectors() -> None:
    board, dev = _Board(), _Dev()
    bar = msix_init_exclusive_bar(board, dev, 4)  # type: ignore[arg-type]
    assert bar.size == 0x1000 and [(m.name, m.addr) for m in bar.subregions] == [("msix-pba", 0x800),
                                                                                   ("msix-table", 0)]
    big = msix_init_exclusive_bar(board, _Dev(), 300)  # type: ignore[arg-type]
    assert big.size == 0x2000 and big.subregions[0].addr == 300 * 16


def test_set_log_commits_only_when_logging_starts_or_stops() -> None:
    types, mm = _Types(), MemoryMap()
    mm.system = MemoryRegion("system", SPACE_END)
    mm.system.add(0x1001, MemoryRegion("port", 2, "io"))
    address_space_init(types, mm, mm.system, "memory")  # type: ignore[arg-type]
    vram = MemoryRegion("vram", 0x1000, "ram")
    before = types.regions
    memory_region_set_log(types, mm, vram, True)  # type: ignore[arg-type]
    assert types.regions == before + 1  # one regeneration: the page the port cuts
    memory_region_set_log(types, mm, vram, True)  # type: ignore[arg-type]
    memory_region_set_log(types, mm, vram, False)  # type: ignore[arg-type]
    assert types.regions == before + 1
    memory_region_set_log(types, mm, vram, False)  # type: ignore[arg-type]
    assert types.regions == before + 2


def _bars(args: tuple[str, ...], vendor: int) -> list[tuple[int, int]]:
    from model.run import run_qemu
    from tracer.machine.pci import pci_to_data
    run = run_qemu([*BASE_ARGS, *args])
    assert run.views is not None, run.stderr
    found = [d for bus in pci_to_data(run.views.pci) for d in bus["devices"] if d["id"]["vendor"] == vendor]
    return [(r["bar"], r["size"]) for r in found[0]["regions"]]


def test_virtio_net_config_size_follows_its_features() -> None:
    """The legacy BAR is the 20/24-byte header plus the configuration up to the last field a
    feature needs, rounded up: speed with RSS reaches the hash types (24 + 24 = 48 -> 64);
    without status or MSI-X only the MAC is left (20 + 6 -> 32)."""
    assert _bars(("-device", "virtio-net-pci,speed=10,rss=on"), 0x1AF4)[0] == (0, 64)
    assert _bars(("-device", "virtio-net-pci,status=off,vectors=0"), 0x1AF4) == [(0, 32), (4, 16384), (6, 262144)]


def test_qxl_sizes_follow_its_properties() -> None:
    """qxl_init_ramsize: revision 2 has 16 I/O ports; a 64-bit surface area larger than the
    32-bit window adds BAR 4; the framebuffer is at least 8 MiB and the video RAM twice it."""
    bars = dict(_bars(("-device", "qxl-vga,revision=2,vram_size_mb=8,vram64_size_mb=64,vgamem_mb=1,ram_size_mb=1"),
                      0x1B36))
    assert bars[3] == 16 and bars[1] == 8 << 20 and bars[4] == 64 << 20 and bars[0] == 16 << 20


def test_a_full_usb_bus_gets_a_hub_on_its_last_port() -> None:
    """UHCI has two ports: the third device finds one free and a hub is chained onto it first,
    so it lands on the hub's first port; a named port skips that."""
    from model.run import run_qemu
    from tracer.machine.qtree import render_qtree
    run = run_qemu([*BASE_ARGS, "-device", "piix3-usb-uhci,id=u", "-device", "usb-kbd,port=1",
                    "-device", "usb-mouse", "-device", "usb-tablet,port=2.3"])
    assert run.views is not None, run.stderr
    lines = [line.strip() for line in render_qtree(run.views.qtree).splitlines()]
    ports = {line.split()[1].rstrip(","): next(p for p in lines[i:] if ", port " in p).split(", ")[1]
             for i, line in enumerate(lines) if line.startswith("dev: usb-") and line != 'dev: usb-hub, id ""'}
    assert ports == {"usb-kbd": "port 1", "usb-mouse": "port 2.1", "usb-tablet": "port 2.3"}
    assert 'dev: usb-hub, id ""' in lines
