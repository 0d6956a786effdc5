"""``-d item,item,...`` (util/log.c ``qemu_str_to_log_mask``), applied in ``qemu_process_early_options``.

Every item must be a log item the binary lists (``-d help``) or a ``trace:PATTERN``; an
unknown item, or ``help``, prints the list on stdout and exits with status 1.
"""

from __future__ import annotations

import functools

from model.data_files import load_json
from model.state import QemuInit
from tracer.recorder import traced


@functools.cache
def log_items() -> frozenset[str]:
    text: str = load_json("qemu_opts.json")["log_help"]["text"]
    return frozenset(line.split()[0] for line in text.splitlines()[1:] if line and not line.startswith(" ")
                     and not line.startswith("trace:") and not line.startswith("Use "))


@traced("util/log.c", args=lambda q, items: {"items": items})
def qemu_str_to_log_mask(q: QemuInit, items: str) -> None:
    for item in items.split(","):
        if item not in log_items() and not item.startswith("trace:"):
            q.console.print_out(load_json("qemu_opts.json")["log_help"]["text"])
            raise q.exit(1)
