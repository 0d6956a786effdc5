"""QEMU's command-line option table and ``lookup_opt`` (softmmu/vl.c).

The table is harvested from the binary (``model/data/options.json``): names are matched
exactly (no abbreviations), ``--name`` is the same as ``-name``, and an option that takes an
argument takes the next word whatever it looks like.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from model.data_files import load_json
from model.errors import Console, QemuExit
from tracer.recorder import traced

SRC = "softmmu/vl.c"


@dataclass(frozen=True)
class QEMUOption:
    name: str
    has_arg: bool
    x86: bool


@functools.cache
def option_table() -> dict[str, QEMUOption]:
    return {o["name"]: QEMUOption(o["name"], o["has_arg"], o["x86"]) for o in load_json("options.json")["options"]}


@dataclass(frozen=True)
class LookedUp:
    """One option occurrence: the option, its argument, and the index after it."""

    option: QEMUOption
    optarg: str | None
    next_index: int
    location: str


def _lookup_args(console: Console, argv: list[str], index: int) -> dict[str, object]:
    return {"option": argv[index]}


@traced(SRC, args=_lookup_args, ret=lambda r: r.option.name if r.optarg is None else f"{r.option.name} {r.optarg}")
def lookup_opt(console: Console, argv: list[str], index: int) -> LookedUp:
    """Find ``argv[index]`` in the option table and take its argument if it has one.

    Errors use the option as the location: ``-foo: invalid option``,
    ``-cpu: requires an argument``; both exit with status 1.
    """
    word = argv[index]
    console.location = word
    name = word[1:]
    if name.startswith("-"):
        name = name[1:]
    option = option_table().get(name)
    if option is None:
        console.error_report("invalid option")
        raise QemuExit(1)
    index += 1
    optarg = None
    if option.has_arg:
        if index >= len(argv):
            console.error_report("requires an argument")
            raise QemuExit(1)
        optarg = argv[index]
        index += 1
        console.location = f"{word} {optarg}"
    return LookedUp(option, optarg, index, console.location)
