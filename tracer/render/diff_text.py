"""``vmtrace diff`` as rich text: a semantic CPU summary, then the call-tree diff in hunks.

It reads like a code diff: ``-`` lines (red) exist only in A, ``+`` lines (green) only in B, a
changed call is a ``-``/``+`` pair (its A and B versions), and unmarked dim lines are context.
Each line carries the event numbers in A and B so the calls can be found with ``vmtrace show``
or the TUI. Without a terminal, rich prints no styles, so the output stays a plain, greppable
diff in a pipe. Every label is built as a ``Text`` from :mod:`tracer.labels` (control
characters removed), never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.text import Text

from tracer.calltree import CallTree
from tracer.diff import TraceDiff
from tracer.diff.cpuid import AMD_ALIAS_BITS
from tracer.diff.machine import MachineDiff
from tracer.diff.semantic import Change, ListDiff, SemanticDiff
from tracer.diff.structural import Row, StructuralDiff
from tracer.labels import clean, node_text, value_text

RED = "red"
GREEN = "green"
HEADER = "bold cyan"


def render_diff(console: Console, diff: TraceDiff, context: int = 3, stat_only: bool = False, fold: int = 0) -> None:
    """Print the whole diff: header, semantic section, structural summary and hunks (``fold``:
    see :func:`render_hunks`)."""
    st = diff.structural
    console.print(_side_header("---", diff.label_a, st.a.meta.argv, RED))
    console.print(_side_header("+++", diff.label_b, st.b.meta.argv, GREEN))
    meta_a, meta_b = st.a.meta, st.b.meta
    for what, va, vb in (("QEMU model version", meta_a.qemu_version, meta_b.qemu_version),
                         ("host profile", meta_a.host_profile, meta_b.host_profile)):
        if va != vb:
            console.print(Text(f"note: the {what} differs: {clean(str(va))} → {clean(str(vb))}", style="yellow"))
    render_semantic(console, diff.semantic)
    render_machine(console, diff.devices)
    render_structural_summary(console, st)
    if not stat_only:
        render_hunks(console, st, context, fold)


def render_machine(console: Console, machine: MachineDiff) -> None:
    """The machines: devices and buses in one run only, PCI functions, differing properties."""
    if not machine.available or machine.equal:
        return
    _section(console, "machine")
    for path, type_ in machine.only_a:
        console.print(Text(f"- {clean(path)} ({clean(type_)})", style=RED))
    for path, type_ in machine.only_b:
        console.print(Text(f"+ {clean(path)} ({clean(type_)})", style=GREEN))
    for path, ta, tb in machine.retyped:
        console.print(Text(f"~ {clean(path)}: {clean(ta)} → {clean(tb)}", style="yellow"))
    for addr, pa, pb in machine.pci:
        console.print(Text(f"~ pci {addr}: {clean(pa or '(empty)')} → {clean(pb or '(empty)')}", style="yellow"))
    for device, name, va, vb in machine.properties:
        console.print(Text(f"~ {clean(device)}.{clean(name)}: {clean(va or '(none)')} → {clean(vb or '(none)')}",
                           style="yellow"))


def _side_header(marker: str, label: str, argv: Iterable[str], style: str) -> Text:
    line = Text(f"{marker} ", style=f"bold {style}")
    line.append(clean(label), style="bold")
    line.append("  $ " + " ".join(clean(a) for a in argv), style="dim")
    return line


def _section(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style=HEADER))


def _field(name: str) -> Text:
    """The left column of the CPU section (a longer name keeps one space before the value)."""
    return Text(f"  {clean(name):<15}" + (" " if len(name) >= 15 else ""), style="bold")


def _change_line(name: str, change: Change) -> Text:
    line = _field(name)
    line.append(value_text(change.a, bare=True), style=RED)
    line.append(" → ")
    line.append(value_text(change.b, bare=True), style=GREEN)
    return line


def _list_lines(console: Console, name: str, diff: ListDiff[str]) -> None:
    for marker, items, style in (("-", diff.only_a, RED), ("+", diff.only_b, GREEN)):
        for item in items:
            line = _field(name)
            line.append(f"{marker} {clean(item)}", style=style)
            console.print(line)


def render_semantic(console: Console, sem: SemanticDiff) -> None:
    """The CPU and outcome differences; one line saying so when there are none."""
    _section(console, "CPU and outcome")
    if sem.equal:
        console.print(Text("  identical: machine, CPU type, initialisers, properties, CPUID, messages, exit status",
                           style="dim"))
        return
    for name, change in (("machine", sem.machine), ("cpu realized", sem.cpu_realized), ("cpu type", sem.cpu_type)):
        if change is not None:
            console.print(_change_line(name, change))
    for what, chain_a, chain_b in (("machine", sem.machine_ancestry_a, sem.machine_ancestry_b),
                                   ("cpu", sem.ancestry_a, sem.ancestry_b)):
        if chain_a != chain_b:
            for marker, chain, style in (("A", chain_a, RED), ("B", chain_b, GREEN)):
                line = _field(f"{what} ancestry {marker}" if what == "machine" else f"ancestry {marker}")
                line.append(" < ".join(clean(t) for t in chain) or f"(no {what})", style=style)
                console.print(line)
    for change in sem.properties:
        if isinstance(change.a, list) and isinstance(change.b, list):  # e.g. unavailable-features
            values = ListDiff.of([value_text(v, bare=True) for v in change.a],
                                 [value_text(v, bare=True) for v in change.b])
            line = _field(change.name)
            line.append(" ".join(f"-{v}" for v in values.only_a), style=RED)
            line.append(" " if values.only_a and values.only_b else "")
            line.append(" ".join(f"+{v}" for v in values.only_b), style=GREEN)
            console.print(line)
        else:
            console.print(_change_line(change.name, change))
    for name, items, marker, style in (("features", sem.features_added, "+", GREEN),
                                       ("features", sem.features_removed, "-", RED)):
        if items:
            line = _field(name)
            line.append(" ".join(f"{marker}{clean(f)}" for f in items), style=style)
            console.print(line)
    for bit in sem.cpuid:
        line = _field("cpuid")
        line.append(f"{bit.word} bit {bit.bit:<2} ")
        line.append(clean(bit.name) if bit.name else "(unnamed)", style="bold")
        line.append(f"  {int(bit.a)} → {int(bit.b)}", style=GREEN if bit.b else RED)
        if (bit.leaf, bit.subleaf, bit.register) == (0x80000001, None, "EDX") and bit.bit in AMD_ALIAS_BITS:
            line.append("  (AMD copy of the CPUID[0x1].EDX bit)", style="dim")
        console.print(line)
    _list_lines(console, "filtered", sem.filtered)
    for name, inits in (("class_init", sem.class_init), ("instance init", sem.instance_init)):
        retyped = _same_functions_other_type(inits)
        if retyped is not None:  # the same initialisers ran, each on the other run's type
            line = _field(name)
            line.append(f"the same {len(inits.only_a)} ran, on ")
            line.append(clean(retyped[0]), style=RED)
            line.append(" → ")
            line.append(clean(retyped[1]), style=GREEN)
            line.append(": " + ", ".join(clean(fn) for fn, _ in inits.only_a), style="dim")
            console.print(line)
            continue
        _list_lines(console, name, ListDiff([f"{fn}({t or ''})" for fn, t in inits.only_a],
                                            [f"{fn}({t or ''})" for fn, t in inits.only_b]))
    _list_lines(console, "warning", sem.warnings)
    _list_lines(console, "error", sem.errors)
    # stderr lines that only repeat a warning or error listed above are not shown twice
    shown = (*sem.warnings.only_a, *sem.warnings.only_b, *sem.errors.only_a, *sem.errors.only_b)
    _list_lines(console, "stderr", ListDiff([line for line in sem.stderr.only_a if not line.endswith(shown)],
                                            [line for line in sem.stderr.only_b if not line.endswith(shown)]))
    _list_lines(console, "stdout", sem.stdout)
    if sem.exit_status is not None:
        console.print(_change_line("exit status", sem.exit_status))


def _same_functions_other_type(inits: ListDiff[tuple[str, str | None]]) -> tuple[str, str] | None:
    """``(type A, type B)`` when both sides ran the same functions in order, A's all on one type
    and B's all on another (a CPU model swapped for another); None otherwise."""
    if not inits.only_a or [fn for fn, _ in inits.only_a] != [fn for fn, _ in inits.only_b]:
        return None
    types_a = {t for _, t in inits.only_a}
    types_b = {t for _, t in inits.only_b}
    if len(types_a) != 1 or len(types_b) != 1:
        return None
    type_a, type_b = types_a.pop(), types_b.pop()
    if type_a is None or type_b is None:
        return None
    return type_a, type_b


def render_structural_summary(console: Console, st: StructuralDiff) -> None:
    """Counts of each row status and where the trees first diverge."""
    _section(console, "Call tree")
    c = st.counts
    line = Text("  ")
    line.append(f"{c['same']} same", style="dim")
    line.append(f"  {c['changed']} changed", style="yellow" if c["changed"] else "dim")
    line.append(f"  {c['only_a']} only in A", style=RED if c["only_a"] else "dim")
    line.append(f"  {c['only_b']} only in B", style=GREEN if c["only_b"] else "dim")
    console.print(line)
    if st.first_divergence is None:
        console.print(Text("  the call trees are identical", style="dim"))
        return
    row = st.rows[st.first_divergence]
    first = Text("  first divergence: ", style="bold")
    first.append(_seq_pair(row))
    first.append("  " + " > ".join(clean(fn) for fn in st.path(st.first_divergence)))
    console.print(first)


def _seq_pair(row: Row) -> str:
    a = f"A #{row.a}" if row.a is not None else "A -"
    b = f"B #{row.b}" if row.b is not None else "B -"
    return f"{a}, {b}"


def hunk_ranges(st: StructuralDiff, context: int) -> list[tuple[int, int]]:
    """Row ranges to print: each run of differences widened by ``context`` rows, overlapping
    ranges merged (as ``diff -U`` does)."""
    out: list[tuple[int, int]] = []
    n = len(st.rows)
    for start, end in st.hunks():
        lo, hi = max(0, start - context), min(n, end + context)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def render_hunks(console: Console, st: StructuralDiff, context: int = 3, fold: int = 0) -> None:
    """Each hunk: an ``@@`` header with the call path, then its rows. With ``fold`` > 0, a run
    of more than ``fold`` rows present on one side only (a whole subtree that exists in one run)
    shows its first ``fold`` rows and then one line counting the rest."""
    tree_a, tree_b = st.call_trees()
    rows = st.rows
    for lo, hi in hunk_ranges(st, context):
        console.print()
        header = Text(f"@@ {_seq_pair(rows[lo])} @@ ", style="cyan")
        header.append(" > ".join(clean(fn) for fn in st.path(lo)[:-1]) or "(top level)", style="dim")
        console.print(header)
        i = lo
        while i < hi:
            status = rows[i].status
            run_end = i
            if fold > 0 and status in ("only_a", "only_b"):
                while run_end < hi and rows[run_end].status == status:
                    run_end += 1
            if run_end - i > fold > 0:
                for k in range(i, i + fold):
                    for line in row_lines(st, k, tree_a, tree_b):
                        console.print(line)
                side = "A" if status == "only_a" else "B"
                console.print(Text(f"{'-' if side == 'A' else '+'} … {run_end - i - fold} more rows only in {side}"
                                   " (--fold 0 shows them)", style=f"dim {RED if side == 'A' else GREEN}"))
                i = run_end
                continue
            for line in row_lines(st, i, tree_a, tree_b):
                console.print(line)
            i += 1


def row_lines(st: StructuralDiff, index: int, tree_a: CallTree, tree_b: CallTree) -> list[Text]:
    """The printed line(s) of one row: one for same/only rows, a -/+ pair for a changed row."""
    row = st.rows[index]
    if row.status == "same" and row.a is not None:
        return [_line(" ", row.a, row.b, tree_a, row.a, "dim")]
    if row.status == "only_a" and row.a is not None:
        return [_line("-", row.a, None, tree_a, row.a, RED)]
    if row.status == "only_b" and row.b is not None:
        return [_line("+", None, row.b, tree_b, row.b, GREEN)]
    assert row.a is not None and row.b is not None
    return [_line("-", row.a, row.b, tree_a, row.a, RED), _line("+", row.a, row.b, tree_b, row.b, GREEN)]


def _line(marker: str, a: int | None, b: int | None, tree: CallTree, seq: int, style: str) -> Text:
    ev = tree.events[seq]
    line = Text(f"{marker} ", style=style)
    line.append(f"{'' if a is None else a:>7} {'' if b is None else b:>7}  ", style="dim")
    line.append("  " * ev.depth)
    line.append(("• " if ev.kind == "point" else "") + node_text(ev, tree.closing(seq)), style=style)
    return line
