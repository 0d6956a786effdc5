"""``-vga TYPE`` (softmmu/vl.c ``select_vgahw``), once the machine exists.

``help`` lists the display adapters (harvested with what the binary prints on stderr while
listing) and exits; an unknown name fails without a location.
"""

from __future__ import annotations

from model.data_files import load_json
from model.errors import QemuError
from model.state import QemuInit
from tracer.recorder import traced


@traced("softmmu/vl.c", args=lambda q, model: {"vga": model})
def select_vgahw(q: QemuInit, model: str) -> None:
    shown = load_json("qemu_opts.json")["vga_help"]
    if model == "help":
        q.console.print_out(shown["text"])
        q.console.stderr.extend(shown["stderr"])
        raise q.exit(shown["status"])
    known = {line.split()[0] for line in shown["text"].splitlines() if line.strip()}
    if model not in known:
        raise QemuError(f"unknown vga type: {model}")
