"""Every CLI command on every hostile input (tests/hostile_corpus.py): one ``vmtrace:`` line and
exit status 2, or a correct render; never a traceback, a hang or a byte that acts on a terminal.

Commands run in-process through :func:`tracer.cli.main` (with an alarm against hangs), with
stdout and stderr captured as bytes. Exports that succeed are read back by their real
consumers: a JSON parser, networkx (GraphML), Graphviz ``dot`` when installed (DOT), and
Mermaid's rules for a quoted label (see ``parse_mermaid``).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import networkx as nx
import pytest
from hostile_corpus import ATTACKS, MARKUP_PROBES, Hostile, base_doc, corpus, hostile_strings_doc, make_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_export_graphs import parse_mermaid

from tracer.cli import main

# Bytes that must never reach a terminal: C0 controls but tab and newline, DEL, C1 controls,
# bidi embeddings/overrides/isolates/marks, line and paragraph separators, BOM.
FORBIDDEN = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]"
                       rb"|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf")
HANG_SECONDS = 30

# {F}: the hostile input, {G}: a good trace, {O}: an output file. Status sets for a valid input.
COMMANDS: list[tuple[str, frozenset[int]]] = [
    ("show {F}", frozenset({0})),
    ("show {F} --depth 1", frozenset({0})),
    ("show {F} --match type*", frozenset({0})),
    ("why {F} avx", frozenset({0, 2})),
    ("why {F} avx --json", frozenset({0, 2})),
    ("why {F} unavailable-features", frozenset({0, 2})),
    ("types --trace {F}", frozenset({0})),
    ("types --trace {F} --json", frozenset({0})),
    ("types --trace {F} --tree object", frozenset({0, 2})),
    ("info {F} qom-tree", frozenset({0, 2})),
    ("info {F} qtree --json", frozenset({0, 2})),
    ("info {F} pci", frozenset({0, 2})),
    ("info {F} qom-tree --at 7", frozenset({0, 2})),
    ("diff {F} {G}", frozenset({0, 1})),
    ("diff {G} {F} --json", frozenset({0, 1})),
    ("diff {F} {F} --stat", frozenset({0})),
    ("export {F} -f chrome", frozenset({0})),
    ("export {F} -f speedscope", frozenset({0})),
    ("export {F} -f dot", frozenset({0})),
    ("export {F} -f graphml", frozenset({0})),
    ("export {F} -f mermaid", frozenset({0})),
    ("export {F} -f mermaid -o {O}", frozenset({0})),
    ("view {F} {F}", frozenset()),  # only run on inputs that must be refused (a valid one opens the TUI)
]
CORPUS = corpus()


class Hang(Exception):
    pass


def run_cli(argv: list[str]) -> tuple[int, bytes, bytes]:
    """``vmtrace ARGV`` in this process: exit status, stdout bytes, stderr bytes."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    saved = sys.stdout, sys.stderr

    def hang(_signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"vmtrace {argv} still running after {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(HANG_SECONDS)
    sys.stdout, sys.stderr = stdout, stderr
    try:
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse
            status = exc.code if isinstance(exc.code, int) else 2
        stdout.flush()
        stderr.flush()
    finally:
        sys.stdout, sys.stderr = saved
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every hostile input made once, each in its own directory; ``good`` is a valid trace."""
    root = tmp_path_factory.mktemp("hostile")
    paths = make_corpus(CORPUS, root)
    (root / "good.json").write_text(json.dumps(base_doc()))
    paths["good"] = root / "good.json"
    return paths


def commands_for(hostile: Hostile, path: Path, good: Path, out: Path) -> Iterator[tuple[list[str], frozenset[int]]]:
    for template, statuses in COMMANDS:
        if hostile.valid and not statuses:
            continue
        argv = [str(path) if word == "{F}" else str(good) if word == "{G}" else str(out) if word == "{O}" else word
                for word in template.split()]
        yield argv, statuses


def check_output(argv: list[str], status: int, stdout: bytes, stderr: bytes, hostile: Hostile,
                 statuses: frozenset[int], out: Path) -> None:
    shown = f"vmtrace {argv!r} on {hostile.id}"
    assert b"Traceback" not in stderr, f"{shown}: {stderr.decode(errors='replace')}"
    assert not FORBIDDEN.search(stdout), f"{shown}: terminal control bytes on stdout"
    assert not FORBIDDEN.search(stderr), f"{shown}: terminal control bytes on stderr: {stderr!r}"
    if not hostile.valid:
        assert status == 2, f"{shown}: exit status {status}"
        assert stderr.startswith(b"vmtrace: ") and stderr.count(b"\n") == 1, f"{shown}: {stderr!r}"
        assert stdout == b"", shown
        return
    assert status in statuses, f"{shown}: exit status {status}: {stderr!r}"
    if status == 2:
        assert stderr.startswith(b"vmtrace: ") and stderr.count(b"\n") == 1, f"{shown}: {stderr!r}"
        return
    if argv[0] == "export":
        check_export(argv, stdout if "-o" not in argv else out.read_bytes(), shown)


def check_export(argv: list[str], data: bytes, shown: str) -> None:
    fmt = argv[argv.index("-f") + 1]
    if fmt in ("chrome", "speedscope"):
        json.loads(data)
    elif fmt == "graphml":
        nx.read_graphml(io.BytesIO(data))
    elif fmt == "mermaid":
        parse_mermaid(data.decode())
    elif fmt == "dot" and shutil.which("dot"):
        done = subprocess.run(["dot", "-Tsvg"], input=data, capture_output=True, timeout=60, check=False)
        assert done.returncode == 0 and not done.stderr, f"{shown}: Graphviz: {done.stderr!r}"


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.id for h in CORPUS])
def test_every_command_holds(hostile: Hostile, made: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out.mmd"
    for argv, statuses in commands_for(hostile, made[hostile.id], made["good"], out):
        status, stdout, stderr = run_cli(argv)
        check_output(argv, status, stdout, stderr, hostile, statuses, out)


def test_the_corpus_covers_every_class_and_counts_the_runs() -> None:
    kinds = {h.kind for h in CORPUS}
    assert kinds >= {"deep JSON", "huge numbers", "wrong shapes", "cycles", "FIFOs", "directories", "symlinks",
                     "huge strings", "markup and escapes", "file names", "devices", "size limit"}
    runs = sum(1 for h in CORPUS for _, statuses in COMMANDS if statuses or not h.valid)
    print(f"\nhostile CLI runs: {len(CORPUS)} inputs x {len(COMMANDS)} commands -> {runs} runs")
    assert runs > 2500


def test_markup_from_a_trace_is_printed_as_text(made: dict[str, Path]) -> None:
    status, stdout, _ = run_cli(["show", str(made["every-string-hostile"])])
    assert status == 0
    for probe in MARKUP_PROBES:
        assert probe.encode() in stdout, probe
    assert "\\x1b" not in stdout.decode() and b"\x1b" not in stdout


def test_types_tree_of_a_3000_deep_chain_is_linear(made: dict[str, Path]) -> None:
    status, stdout, _ = run_cli(["types", "--trace", str(made["chain-3000-allowed"]), "--tree", "object"])
    assert status == 0
    assert len(stdout) < 3001 * 120, "indentation is capped, so the output grows with the types, not depth²"
    assert "…2999" in stdout.decode()


hostile_text = st.lists(st.sampled_from(ATTACKS) | st.text(max_size=6), min_size=1, max_size=4).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile_text)
def test_any_hostile_text_in_every_string_field(text: str, tmp_path: Path) -> None:
    """Property: whatever text fills every string of a trace (Hypothesis mixes the attacks with
    arbitrary unicode), each command renders it without a control byte, and exports parse."""
    path = tmp_path / "h.json"
    path.write_text(json.dumps(hostile_strings_doc(text), ensure_ascii=False), encoding="utf-8",
                    errors="surrogatepass")
    hostile = Hostile("hypothesis", "markup and escapes", lambda d: path, valid=True)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(base_doc()))
    out = tmp_path / "out.mmd"
    for argv, statuses in commands_for(hostile, path, good, out):
        status, stdout, stderr = run_cli(argv)
        if status == 2 and stderr.startswith(b"vmtrace: ") and b"malformed JSON" in stderr:
            return  # a lone surrogate drawn by Hypothesis: not JSON, refused in one line (checked above)
        check_output(argv, status, stdout, stderr, hostile, statuses, out)


@pytest.mark.parametrize("argv", [["show", "a", "b", "\x1b[2J"], ["--x\x1b]52;c;aGk=\x07"],
                                  ["export", "f", "-f", "\x1b[31m"], ["why"], ["diff", "--fold", "\x9b"]])
def test_argument_errors_quote_arguments_through_the_sanitiser(argv: list[str]) -> None:
    status, stdout, stderr = run_cli(argv)
    assert status == 2 and b"Traceback" not in stderr
    assert not FORBIDDEN.search(stdout + stderr), stderr
