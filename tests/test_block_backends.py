"""Block backends: where a ``-drive`` goes, what ``drive=`` finds, and the guessed geometry."""

from __future__ import annotations

import pytest

from model.block.block_backend import BlockBackend, BlockState, DriveInfo, guess_chs_for_size, null_size
from model.errors import QemuError
from model.hw.core.qdev_props_system import set_drive
from model.run import run_qemu
from tracer.machine.qtree import render_qtree

BASE = ["-accel", "tcg", "-S", "-display", "none", "-nodefaults"]


def _stderr(*args: str) -> str:
    run = run_qemu([*BASE, *args])
    return "".join(line + "\n" for line in run.stderr)


@pytest.mark.parametrize(("size", "chs"), [
    (1 << 30, (2080, 16, 63)),          # 2,097,152 sectors / 1008
    (64 << 20, (130, 16, 63)),
    (8 << 30, (16383, 16, 63)),         # capped
    (512, (2, 16, 63)),                 # at least two cylinders
])
def test_geometry_is_guessed_from_the_size(size: int, chs: tuple[int, int, int]) -> None:
    assert guess_chs_for_size(size) == chs


def test_only_null_images_have_a_known_size() -> None:
    assert null_size("null-co", None) == 1 << 30
    assert null_size("null-aio", 4096) == 4096
    assert null_size("qcow2", 4096) is None


def _drive(name: str, interface: str) -> BlockBackend:
    return BlockBackend(name, DriveInfo(interface, 0, 0, False, f"-drive id={name}"), 1 << 30)


def test_drive_finds_a_drive_or_a_node_and_serves_one_device() -> None:
    block = BlockState(backends=[_drive("d0", "none"), _drive("d1", "ide")], nodes={"n0": 4096})
    assert set_drive(block, "virtio-blk-device", "drive", "", "a") is None
    assert set_drive(block, "virtio-blk-device", "drive", "d0", "a") is block.backends[0]
    with pytest.raises(QemuError, match=r"^Drive 'd0' is already in use by another device$"):
        set_drive(block, "ide-hd", "drive", "d0", "b")
    block.backends[1].attached_to = "piix3-ide"
    with pytest.raises(QemuError, match="automatically connected to another device"):
        set_drive(block, "ide-hd", "drive", "d1", "b")
    # a node gives each device a backend of its own (sharing it is the permission system's call)
    first, second = (set_drive(block, "scsi-hd", "drive", "n0", who) for who in ("a", "b"))
    assert first is not second and first is not None and first.size == 4096
    with pytest.raises(QemuError, match=r"^Property 'ide-hd\.drive' can't find value 'x'$"):
        set_drive(block, "ide-hd", "drive", "x", "c")


def test_index_counts_units_bus_by_bus() -> None:
    block = BlockState(default_type="ide")
    assert block.max_devs("ide") == 2 and block.max_devs("scsi") == 7 and block.max_devs("virtio") == 0
    block.backends.append(BlockBackend("x", DriveInfo("ide", 1, 1, False, ""), None))
    assert block.drive_get_by_index("ide", 3) is block.backends[0]
    q35 = BlockState(default_type="ide", units_per_default_bus=1)
    assert q35.max_devs("ide") == 1


@pytest.mark.parametrize(("args", "message"), [
    (["-machine", "q35", "-drive", "driver=null-co", "-drive", "driver=null-co,unit=1"],
     "-drive driver=null-co,unit=1: unit 1 too big (max is 0)"),
    (["-machine", "pc", "-drive", "driver=null-co,index=5"],
     "-drive driver=null-co,index=5: machine type does not support if=ide,bus=2,unit=1"),
    (["-machine", "pc", "-drive", "if=ide,driver=null-co,index=1,bus=1"],
     "-drive if=ide,driver=null-co,index=1,bus=1: index cannot be used with bus and unit"),
    (["-machine", "pc", "-drive", "if=none,driver=null-co,index=2", "-drive", "if=none,driver=null-co,unit=2"],
     "-drive if=none,driver=null-co,unit=2: drive with bus=0, unit=2 (index=-1) exists"),
    (["-machine", "pc", "-drive", "if=virtio,driver=null-co", "-drive", "if=none,driver=null-co,id=virtio0"],
     "-drive if=none,driver=null-co,id=virtio0: Device with id 'virtio0' already exists"),
    (["-machine", "pc", "-drive", "if=ide,bus=x,driver=null-co"],
     "-drive if=ide,bus=x,driver=null-co: Parameter 'bus' expects a number"),
    (["-machine", "pc", "-blockdev", '{"driver":"null-co","node-name":"n","read-zeroes":1}'],
     "Invalid parameter type for 'read-zeroes', expected: boolean"),
])
def test_drive_rules(args: list[str], message: str) -> None:
    assert message in _stderr(*args)


def test_every_unclaimed_drive_is_reported_before_exiting() -> None:
    text = _stderr("-machine", "pc", "-drive", "if=scsi,driver=null-co", "-drive", "if=mtd,driver=null-co")
    assert text.count("machine type does not support") == 2


def test_a_virtio_drive_is_a_virtio_blk_device_with_its_geometry() -> None:
    run = run_qemu([*BASE, "-machine", "pc", "-drive", "if=virtio,driver=null-co,size=64M"])
    assert run.exit_status == 0 and run.views is not None
    pci = [d for bus in run.views.pci for d in bus.devices]
    assert any(d.id.device == 0x1001 for d in pci)  # virtio-blk (transitional)
    text = render_qtree(run.views.qtree, "\n")
    assert 'drive = "virtio0"' in text and "cyls = 130 (0x82)" in text
