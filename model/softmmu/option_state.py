"""What the options outside the model's main path leave for later phases of ``qemu_init``.

QEMU parses these options into QemuOpts lists (or keyval dictionaries) while reading the
command line and acts on them later, each in its phase: ``-sandbox`` and ``-d`` in
``qemu_process_early_options``, ``-rtc`` and ``-vga`` once the machine exists, character and
block devices in ``qemu_create_early_backends``, ``-boot`` with the machine's properties,
network backends and monitors in ``qemu_create_late_backends``, ``-numa`` before board init.
Each entry keeps the option's text as its error location, as ``qemu_opts_foreach`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Located = tuple[dict[str, str], str]


@dataclass
class ObjectOption:
    """One ``-object`` as read: its type, id, other members, where it was given, whether it
    was JSON, and (for a memory backend) its size."""

    typename: str
    id: str
    props: dict[str, object] = field(default_factory=dict)
    location: str = ""
    from_json: bool = False
    size: int = 0


@dataclass
class OtherOptions:
    """Parsed items of the options the model checks but does not act on."""

    sandbox: list[Located] = field(default_factory=list)
    log_items: str | None = None
    rtc: dict[str, str] = field(default_factory=dict)
    vga: str | None = None
    boot: dict[str, str] = field(default_factory=dict)
    icount: Located | None = None
    chardevs: list[Located] = field(default_factory=list)
    monitors: list[Located] = field(default_factory=list)
    netdevs: list[Located] = field(default_factory=list)
    nics: list[Located] = field(default_factory=list)
    drives: list[Located] = field(default_factory=list)
    blockdevs: list[tuple[dict[str, object], str]] = field(default_factory=list)
    numa: list[Located] = field(default_factory=list)
    tcg_thread: Located | None = None
