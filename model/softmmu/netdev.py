"""``-netdev TYPE,id=ID,...`` and ``-nic TYPE,...`` (net/net.c): checked, never opened.

``-netdev help`` lists the backend types and exits. Otherwise the option is kept as a QemuOpts
entry (any parameter) and visited as a ``Netdev`` when the network backends are created
(``qemu_create_late_backends``): the id, then the type, which must be one the binary lists.
The model creates no backend, so no socket, tap or user network is ever opened.
"""

from __future__ import annotations

import functools

from model.data_files import load_json
from model.errors import QemuError
from model.softmmu.qemu_opts_check import parse_list
from model.state import QemuInit
from tracer.recorder import point, traced


@functools.cache
def netdev_types() -> frozenset[str]:
    text: str = load_json("qemu_opts.json")["netdev_help"]["text"]
    return frozenset(line.strip() for line in text.splitlines()[1:] if line.strip())


def netdev_option(q: QemuInit, arg: str, location: str, nic: bool) -> None:
    if not nic and arg in ("help", "?"):
        q.console.print_out(load_json("qemu_opts.json")["netdev_help"]["text"])
        raise q.exit(load_json("qemu_opts.json")["netdev_help"]["status"])
    items = parse_list(q, "netdev", arg, "type", accepts_any=True)
    (q.other.nics if nic else q.other.netdevs).append((items, location))


@traced("net/net.c", name="net_client_init", args=lambda q, items, nic: {"opts": dict(items), "nic": nic})
def net_client_init(q: QemuInit, items: dict[str, str], nic: bool) -> None:
    if not nic and "id" not in items:
        raise QemuError("Parameter 'id' is missing")
    kind = items.get("type")
    if kind is None:
        raise QemuError("Parameter 'type' is missing")
    if kind not in netdev_types() and not (nic and kind == "none"):
        raise QemuError(f"Parameter 'type' does not accept value '{kind}'")
    point("netdev", f"network backend {kind} is not modelled (never opened)", type=kind)
