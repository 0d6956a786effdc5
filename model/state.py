"""The process state ``qemu_init`` builds up, in one typed object every layer can import.

QEMU keeps this state as globals: most in softmmu/vl.c, a few as statics of the function that
owns them (``x86_cpu_parse_featurestr``'s feature lists, ``x86_cpu_realizefn``'s warning flag).
The model keeps one :class:`QemuInit` per run so runs never share state, and keeps it here, not
in ``vl``, so the machine, board and CPU code can take it as an argument without importing the
``qemu_init`` that calls them (which would make the imports a cycle). Each group of globals is
its own dataclass, so a misspelt field is a type error rather than a silently empty default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from model.backends.hostmem import MemoryBackend
from model.block.block_backend import BlockState
from model.errors import Console, QemuExit
from model.hw.core.devices import Board, PcMachineDevices
from model.qom.object import Object, TypeRegistry
from model.qom.qdev import GlobalProperties, GlobalProperty
from model.softmmu.device_opts import DeviceOption
from model.softmmu.memory_region import MemoryRegion
from model.softmmu.option_state import ObjectOption, OtherOptions
from model.softmmu.physmem import MemoryMap


@dataclass
class CpuFeatureOptions:
    """What ``-cpu Model,+feat,-feat`` leaves for realize, and the statics that make it once-only.

    ``+feat``/``-feat`` are kept verbatim (QEMU's ``plus_features``/``minus_features`` lists)
    and applied at realize, after the global properties; ``globals_initialized`` is
    ``x86_cpu_parse_featurestr``'s static flag (only the first call parses); ``ht_warned`` is
    ``x86_cpu_realizefn``'s static flag (the AMD hyperthreading warning is printed once).
    """

    plus: list[str] = field(default_factory=list)
    minus: list[str] = field(default_factory=list)
    globals_initialized: bool = False
    ht_warned: bool = False


@dataclass
class MemoryOptions:
    """``-m`` turned into the machine's ``memory`` property by ``parse_memory_options``.

    Values stay strings, as QEMU's QDict holds them: ``size`` is checked (and may warn) only
    when ``machine_set_mem`` parses it; ``slots`` and ``max_size`` are already validated numbers.
    """

    size: str | None = None
    slots: str | None = None
    max_size: str | None = None

    def as_props(self) -> dict[str, str]:
        """The set keys under QEMU's property names (``size``, ``slots``, ``max-size``)."""
        props = {"size": self.size, "slots": self.slots, "max-size": self.max_size}
        return {key: value for key, value in props.items() if value is not None}


@dataclass
class QemuInit:
    """The process state ``qemu_init`` builds up (QEMU keeps it in globals of vl.c)."""

    argv: list[str]
    console: Console = field(default_factory=Console)
    types: TypeRegistry = field(default_factory=TypeRegistry)
    globals: GlobalProperties = field(default_factory=GlobalProperties)
    host_profile: dict[str, Any] | None = None
    machine_opts: dict[str, str] = field(default_factory=dict)
    machine_help: bool = False
    memory_opts: dict[str, str] = field(default_factory=dict)
    smp_opts: dict[str, str] = field(default_factory=dict)
    accel_opts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    cpu_option: str | None = None
    accel: str = "tcg"
    machine: Object | None = None
    cpus: list[Object] = field(default_factory=list)
    # The machine's devices and composition tree, and what the PC machine's instance init made.
    board: Board | None = None
    pc_board: PcMachineDevices | None = None
    # -device options, in the order given.
    device_opts: list[DeviceOption] = field(default_factory=list)
    # -global options, registered as user globals once every option is parsed.
    user_globals: list[GlobalProperty] = field(default_factory=list)
    memory: MemoryOptions = field(default_factory=MemoryOptions)
    # ``-machine accel=a:b`` (and ``-enable-kvm``): the legacy way to choose accelerators.
    legacy_accel: str | None = None
    cpu_features: CpuFeatureOptions = field(default_factory=CpuFeatureOptions)
    # Options checked as QEMU checks them but not acted on (-rtc, -chardev, -drive, ...).
    other: OtherOptions = field(default_factory=OtherOptions)
    # apic_common_realize's static ``vapic``: the kvmvapic device the first APIC creates.
    kvmvapic: Object | None = None
    # x86_cpu_apic_realize's static ``apic_mmio_map_once``.
    apic_mmio_mapped: bool = False
    # What the memory API has mapped, by address space: (offset, size) of each section.
    memory_map: MemoryMap = field(default_factory=MemoryMap)
    # The machine's RAM (``machine->ram``): the default memory backend's region.
    machine_ram: MemoryRegion | None = None
    # vl.c's ``option_rom[]``: ROM files the board hands to firmware (kvmvapic's among them).
    option_roms: list[str] = field(default_factory=list)
    # -object options as read, and the memory backends created from them (by id).
    objects: list[ObjectOption] = field(default_factory=list)
    memory_backends: dict[str, MemoryBackend] = field(default_factory=dict)
    # Block backends and -blockdev nodes (-drive and -blockdev, once created).
    block: BlockState = field(default_factory=BlockState)
    # The ids of the -audiodev backends, in command-line order (what ``audiodev=`` names).
    audiodevs: list[str] = field(default_factory=list)

    def exit(self, status: int) -> QemuExit:
        return QemuExit(status)
