"""QemuOpts lists and their typed parameters (util/qemu-option.c), harvested from the binary.

Most options QEMU does not act on until later (``-overcommit``, ``-icount``, ``-rtc``, ``-name``,
``-msg``, ``-sandbox``, ``-mon``, ``-chardev``, ``-drive``, ``-boot``) are still parsed into a
QemuOpts list while the command line is read: an unknown parameter, a bad boolean, number or
size fails right there, with the option as the error location. A list with no parameters
accepts any name (``opts_accepts_any``) and leaves the checking to whoever reads it.
``help`` as an item of a list that has parameters prints the list's help (its parameters,
typed, with their descriptions) and exits.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from model.data_files import load_json
from model.errors import QemuError
from model.qom.properties import parse_bool, parse_c_integer
from model.softmmu.memory import parse_option_size
from model.softmmu.optparse import ParsedOpts, qemu_opts_parse_noisily
from model.state import QemuInit


@functools.cache
def opts_lists() -> dict[str, dict[str, str]]:
    """Each QemuOpts list's parameters and their types (``boolean``, ``number``, ``size``, ``string``)."""
    lists: dict[str, dict[str, str]] = load_json("qemu_opts.json")["lists"]
    return lists


def _validator(params: dict[str, str]) -> Callable[[str, str], None]:
    def validate(name: str, value: str) -> None:
        kind = params.get(name)
        if kind == "boolean":
            parse_bool(name, value)
        elif kind == "number":
            if parse_c_integer(value, signed=False) is None:
                raise QemuError(f"Parameter '{name}' expects a number")
        elif kind == "size":
            parse_option_size(name, value)

    return validate


def print_opts_help(q: QemuInit, list_name: str) -> None:
    """``qemu_opts_print_help``: the list's parameters as the binary prints them, then exit."""
    shown = load_json("qemu_opts.json")["help"].get(list_name)
    if shown is None:
        raise QemuError("Invalid parameter 'help'")
    q.console.print_out(shown["text"])
    raise q.exit(shown["status"])


def short_form_warning(q: QemuInit) -> Callable[[str, str], None]:
    """How QemuOpts reports a deprecated bare ``flag``: a warning, then a hint line."""

    def warn(message: str, hint: str) -> None:
        q.console.warn_report(message)
        q.console.error_printf(hint)

    return warn


def parse_list(q: QemuInit, list_name: str, arg: str, implied: str | None,
               accepts_any: bool = False) -> dict[str, str]:
    """``qemu_opts_parse_noisily(qemu_find_opts(LIST), arg, implied != NULL)``: the items, each
    checked against the list's type for it; help prints the list and exits.

    ``accepts_any``: the list as the command line sees it has no parameters even though QMP
    introspection merges some in (``-drive`` is checked later, by ``drive_new``)."""
    params = {} if accepts_any else opts_lists()[list_name]
    allowed = frozenset(params) if params else None
    parsed: ParsedOpts = qemu_opts_parse_noisily(arg, implied, allowed, short_form_warning(q), _validator(params))
    if parsed.help:
        print_opts_help(q, list_name)
    return parsed.items


_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
IDENTIFIER_HINT = "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter."


def check_id_wellformed(opts_id: str) -> None:
    """``id_wellformed``: letters, digits, ``-``, ``.``, ``_``, starting with a letter."""
    if not _ID.match(opts_id):
        raise QemuError("Parameter 'id' expects an identifier", IDENTIFIER_HINT)


def qemu_opts_check_id(list_name: str, opts_id: str | None, taken: Iterable[str | None]) -> None:
    """``qemu_opts_create``: an ``id`` must be an identifier, and one entry of a list that does
    not merge its entries may have it."""
    if opts_id is None:
        return
    check_id_wellformed(opts_id)
    if opts_id in taken:
        raise QemuError(f"Duplicate ID '{opts_id}' for {list_name}")
