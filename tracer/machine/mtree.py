"""``info mtree -f``: the flat views of a machine's address spaces, parsed and rendered exactly.

QEMU prints one block per *flat view*. Address spaces whose roots flatten to the same region
share one flat view, so a block lists every address space that uses it (``AS "NAME", root:
REGION``), then the region the view was computed from (``(none)`` when nothing is mapped, e.g.
a PCI device's bus-master space while bus mastering is off), then the flat ranges in address
order::

    FlatView #2
     AS "memory", root: system
     Root memory region: system
      0000000000000000-00000000000bffff (prio 0, ram): pc.ram
      00000000000e0000-00000000000fffff (prio 0, rom): pc.bios @0000000000020000

``@OFFSET`` is the range's offset inside the region (when it is not 0); ``nv-`` marks a
non-volatile range; the kind is ``ram``, ``rom``, ``romd``, ``ramd`` or ``i/o``.

QEMU collects the views in a GHashTable keyed by the FlatView's heap address and prints them
in the table's order, so the *order of the blocks* (and their ``#N``) changes from run to run
of the same command line (ASLR moves the heap). :func:`canonical` puts the blocks in one
order (by their text) and renumbers them; the harvest stores that form and vmtrace prints it,
so two runs that QEMU would print in different orders compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracer.machine.qomtree import ViewParseError

_RANGE = re.compile(r"  ([0-9a-f]{16})-([0-9a-f]{16}) \(prio (-?\d+), (nv-)?([a-z/]+)\): (.*?)"
                    r"(?: @([0-9a-f]{16}))?")
_AS = re.compile(r' AS "(.*)", root: (.*)')
_HEADER = re.compile(r"FlatView #(\d+)")
_ROOT = " Root memory region: "
NO_VIEW = "  No rendered FlatView"


class MtreeParseError(ViewParseError):
    """The text is not ``info mtree -f`` output as QEMU 7.2 prints it."""


@dataclass(frozen=True)
class FlatRange:
    """One flat range: ``[start, last]`` maps ``region`` at ``offset`` within it."""

    start: int
    last: int
    priority: int
    kind: str  # "ram", "rom", "romd", "ramd" or "i/o"
    region: str
    offset: int = 0
    nonvolatile: bool = False


@dataclass(frozen=True)
class FlatViewBlock:
    """One printed flat view: the address spaces that share it, its root, its ranges."""

    number: int
    spaces: tuple[tuple[str, str], ...]  # (address space name, root region name)
    root: str | None  # None prints as "(none)"
    ranges: tuple[FlatRange, ...]


def parse_mtree(text: str) -> tuple[FlatViewBlock, ...]:
    """Parse ``info mtree -f`` (lines may end in ``\\r\\n`` as HMP over QMP returns them)."""
    lines = text.replace("\r\n", "\n").split("\n")
    blocks: list[FlatViewBlock] = []
    i = 0
    while i < len(lines):
        if lines[i] == "":
            i += 1
            continue
        head = _HEADER.fullmatch(lines[i])
        if head is None:
            raise MtreeParseError(f"line {i + 1}: expected 'FlatView #N', got {lines[i]!r}")
        i += 1
        spaces: list[tuple[str, str]] = []
        while i < len(lines) and (m := _AS.fullmatch(lines[i])):
            spaces.append((m.group(1), m.group(2)))
            i += 1
        if i >= len(lines) or not lines[i].startswith(_ROOT):
            raise MtreeParseError(f"line {i + 1}: expected '{_ROOT.strip()}'")
        root_name = lines[i][len(_ROOT):]
        i += 1
        ranges: list[FlatRange] = []
        if i < len(lines) and lines[i] == NO_VIEW:
            i += 1
        else:
            while i < len(lines) and (r := _RANGE.fullmatch(lines[i])):
                ranges.append(FlatRange(int(r.group(1), 16), int(r.group(2), 16), int(r.group(3)), r.group(5),
                                        r.group(6), int(r.group(7) or "0", 16), r.group(4) is not None))
                i += 1
        if i < len(lines) and lines[i] != "":
            raise MtreeParseError(f"line {i + 1}: unexpected {lines[i]!r}")
        blocks.append(FlatViewBlock(int(head.group(1)), tuple(spaces),
                                    None if root_name == "(none)" else root_name, tuple(ranges)))
    return tuple(blocks)


def _render_range(r: FlatRange) -> str:
    text = (f"  {r.start:016x}-{r.last:016x} (prio {r.priority}, {'nv-' if r.nonvolatile else ''}{r.kind}): "
            f"{r.region}")
    return text + (f" @{r.offset:016x}" if r.offset else "")


def render_block(block: FlatViewBlock, newline: str = "\n") -> str:
    """One block as ``mtree_print_flatview`` prints it, with its blank line after."""
    lines = [f"FlatView #{block.number}"]
    lines += [f' AS "{name}", root: {root}' for name, root in block.spaces]
    lines.append(f"{_ROOT}{block.root if block.root is not None else '(none)'}")
    if not block.ranges:
        return newline.join([*lines, NO_VIEW, "", ""])
    return newline.join([*lines, *(_render_range(r) for r in block.ranges), "", ""])


def render_mtree(blocks: tuple[FlatViewBlock, ...] | list[FlatViewBlock], newline: str = "\n") -> str:
    """The whole ``info mtree -f`` text: the blocks in the order given, then one blank line
    (HMP's ``info mtree`` ends with an empty line after the last block)."""
    return "".join(render_block(b, newline) for b in blocks) + newline


def canonical(blocks: tuple[FlatViewBlock, ...] | list[FlatViewBlock]) -> tuple[FlatViewBlock, ...]:
    """The blocks in one fixed order (by their text without the number), renumbered from 0:
    QEMU's own order follows heap addresses and so is not a property of the command line."""
    keyed = sorted(blocks, key=lambda b: render_block(FlatViewBlock(0, b.spaces, b.root, b.ranges)))
    return tuple(FlatViewBlock(n, b.spaces, b.root, b.ranges) for n, b in enumerate(keyed))


def canonical_text(text: str, newline: str = "\n") -> str:
    """``text`` with its blocks in the canonical order."""
    return render_mtree(canonical(parse_mtree(text)), newline)
