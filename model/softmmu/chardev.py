"""``-chardev BACKEND,id=ID,...`` (chardev/char.c) and ``-mon chardev=ID,mode=...`` (softmmu/vl.c).

Both are QemuOpts lists parsed when read: ``-chardev`` ids must be unique (a second
``id=c0`` fails at once). Character devices are created in ``qemu_create_early_backends``:
``help`` lists the backends, then the id, the backend and its own checks (a ``ringbuf`` size is
a power of two). Monitors come later (``qemu_create_late_backends``), so ``-mon`` may name a
chardev defined after it; its ``MonitorOptions`` are visited member by member (``mode``, then
``chardev``) before the chardev is looked up. The model opens nothing.
"""

from __future__ import annotations

import functools

from model.data_files import load_json
from model.errors import QemuError
from model.softmmu.memory import parse_option_size
from model.softmmu.qemu_opts_check import parse_list
from model.state import QemuInit
from tracer.recorder import point, traced

MONITOR_MODES = ("readline", "control")  # QAPI MonitorMode (not in the introspected schema)


@functools.cache
def chardev_backends() -> frozenset[str]:
    text: str = load_json("qemu_opts.json")["chardev_help"]["text"]
    return frozenset(line.strip() for line in text.splitlines()[1:] if line.strip())


def chardev_option(q: QemuInit, arg: str, location: str) -> None:
    items = parse_list(q, "chardev", arg, "backend")
    chardev_id = items.get("id")
    if chardev_id is not None and any(c.get("id") == chardev_id for c, _ in q.other.chardevs):
        raise QemuError(f"Duplicate ID '{chardev_id}' for chardev")
    q.other.chardevs.append((items, location))


@traced("chardev/char.c", name="qemu_chr_new_from_opts", args=lambda q, items: {"opts": dict(items)})
def chardev_init(q: QemuInit, items: dict[str, str]) -> None:
    backend = items.get("backend")
    if backend in ("help", "?"):
        q.console.print_out(load_json("qemu_opts.json")["chardev_help"]["text"])
        raise q.exit(load_json("qemu_opts.json")["chardev_help"]["status"])
    chardev_id = items.get("id")
    if chardev_id is None:
        raise QemuError("chardev: no id specified")
    if backend is None:
        raise QemuError(f'chardev: "{chardev_id}" missing backend')
    if backend not in chardev_backends():
        raise QemuError(f"'{backend}' is not a valid char driver name")
    if backend in ("ringbuf", "memory") and "size" in items:
        size = parse_option_size("size", items["size"])
        if size & (size - 1):
            raise QemuError("size of ringbuf chardev must be power of two")
    point("chardev", f"chardev {chardev_id} ({backend}) would be opened here (not modelled)", id=chardev_id)


def monitor_option(q: QemuInit, arg: str, location: str) -> None:
    q.other.monitors.append((parse_list(q, "mon", arg, "chardev"), location))


@traced("softmmu/vl.c", name="mon_init_func", args=lambda q, items: {"opts": dict(items)})
def mon_init(q: QemuInit, items: dict[str, str]) -> None:
    mode = items.get("mode")
    if mode is not None and mode not in MONITOR_MODES:
        raise QemuError(f"Parameter 'mode' does not accept value '{mode}'")
    chardev = items.get("chardev")
    if chardev is None:
        raise QemuError("Parameter 'chardev' is missing")
    if not any(c.get("id") == chardev for c, _ in q.other.chardevs):
        raise QemuError(f'chardev "{chardev}" not found')


@traced("chardev/char-mux.c", args=lambda q: {})
def resume_mux_open(q: QemuInit) -> None:
    """The last step of ``qemu_init``: walk the character devices (``/chardevs``) to open the
    multiplexers held back until now. ``get_chardevs_root`` makes that container on first use,
    so with no chardev object created so far it is created here."""
    q.types.container_get(q.types.object_get_root(), "/chardevs")
