"""``-audiodev DRIVER,id=ID,...`` (audio/audio.c ``audio_parse_option``), checked when read.

The argument is JSON or a keyval dictionary (implied key ``driver``) visited as an ``Audiodev``:
``id``, then ``driver`` (a driver the binary lists), then the leftover keys. ``help`` as the
driver lists the drivers; ``help`` anywhere else is refused. Leftover keys are checked for
the ``none`` driver, the one whose members the model knows.
"""

from __future__ import annotations

from model.data_files import load_json
from model.errors import QemuError
from model.qobject.qdict import qdict_order
from model.softmmu.block import json_object
from model.softmmu.optparse import keyval_parse
from model.state import QemuInit
from tracer.recorder import traced

# Audiodev's common members; the ``none`` driver adds nothing (``in.*``/``out.*`` are nested).
# The other drivers' own members are not modelled, so their leftover keys are not checked.
COMMON = ("id", "driver", "timer-period", "in", "out")


@traced("audio/audio.c", name="audio_parse_option", args=lambda q, arg: {"arg": arg})
def audio_parse_option(q: QemuInit, arg: str) -> None:
    shown = load_json("qemu_opts.json")["audio_help"]
    if arg.lstrip().startswith("{"):  # the JSON form libvirt uses
        items = {key: str(value) for key, value in json_object(arg).items()}
    else:
        parsed = keyval_parse(arg, "driver")
        if parsed.help:
            raise QemuError("Help is not available for this option")
        items = parsed.items
    if items.get("driver") in ("help", "?"):
        q.console.print_out(shown["text"])
        q.console.stderr.extend(shown["stderr"])
        raise q.exit(shown["status"])
    if "id" not in items:
        raise QemuError("Parameter 'id' is missing")
    driver = items.get("driver")
    if driver is None:
        raise QemuError("Parameter 'driver' is missing")
    if driver not in shown["text"].splitlines()[1:]:
        raise QemuError(f"Parameter 'driver' does not accept value '{driver}'")
    for key in qdict_order(k.split(".")[0] for k in items):
        if driver == "none" and key not in COMMON:
            raise QemuError(f"Parameter '{key}' is unexpected")
    q.audiodevs.append(items["id"])
