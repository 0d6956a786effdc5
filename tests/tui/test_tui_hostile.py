"""The TUI on the hostile corpus (tests/hostile_corpus.py), through Pilot: every input that
loads is opened and stepped through with the keys that render the most (tree, event panel,
type graph, full values); every input that does not load is given to ``o``; hostile paths go
to ``o`` and ``x``; diff mode gets hostile names. The app must keep running, never show a
control character, and show markup as text. A crash must make the process exit non-zero."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import make_app
from hostile_corpus import HOSTILE_NAMES, MARKUP_PROBES, Hostile, base_doc, corpus, make_corpus
from textual.app import App

from tracer.diff import diff_traces
from tracer.fileio import decode_trace, load_trace
from tracer.replay import Replay
from tracer.tui import app as app_module
from tracer.tui.app import VmtraceApp, run_app
from tracer.tui.diff_app import DiffApp
from tracer.tui.prompt import Prompt
from tracer.tui.value_screen import CHUNK, ValueScreen

CORPUS = corpus()
# One trace per attack is the CLI suite's job; here the trace with every attack at once stands
# for them (the per-attack traces differ only in which string they carry).
VALID = [h for h in CORPUS if h.valid and not h.id.startswith("every-string-attack-")]
INVALID = [h for h in CORPUS if not h.valid]
KEYS = ["Z", "j", "s", "G", "e", "t", "escape", "v", "pagedown", "escape", "f", "u"]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def assert_clean(app: App[None], where: str) -> None:
    svg = app.export_screenshot()
    assert not CONTROL.search(svg), f"{where}: a control character reached the screen"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_corpus(CORPUS, tmp_path_factory.mktemp("hostile-tui"))


@pytest.mark.parametrize("hostile", VALID, ids=[h.id for h in VALID])
async def test_every_loadable_hostile_trace_steps_and_renders(hostile: Hostile, made: dict[str, Path]) -> None:
    path = made[hostile.id]
    app = make_app(load_trace(path), str(path))
    async with app.run_test(size=(100, 30)) as pilot:
        for key in KEYS:
            await pilot.press(key)
            assert app.is_running, f"{hostile.id}: the app ended on {key!r}"
        await pilot.pause()
        assert_clean(app, hostile.id)
        if hostile.id == "every-string-hostile":  # the event panel shows the argument, markup as text
            app.replay.go(1)
            app.refresh_views()
            await pilot.pause()
            shown = app.export_screenshot()
            assert all(probe in shown for probe in MARKUP_PROBES[:2]), "markup was interpreted"


async def test_open_refuses_every_bad_input_with_a_message(made: dict[str, Path]) -> None:
    """``o`` with each of the inputs that must be refused: a status message, never a hang or a
    crash; then ``q`` still quits."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        first_of_kind: set[str] = set()
        for hostile in INVALID:
            if hostile.kind not in first_of_kind:  # through the prompt once per class, then directly
                first_of_kind.add(hostile.kind)
                await pilot.press("o")
                app.query_one(Prompt).value = str(made[hostile.id])
                await pilot.press("enter")
            else:
                app._answer_open(str(made[hostile.id]))
            await pilot.pause()
            assert app.is_running, hostile.id
            assert app.message, hostile.id
            assert app.trace_name == "qemu-like.json", f"{hostile.id} was opened"
        assert_clean(app, "after o on every bad input")
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


@pytest.mark.parametrize("answer", ["~nosuchuser/x.json", "~nosuchuser", "/", "", "[/]", "[link=a:b]x[/link]",
                                    "\x1b]52;c;aGk=\x07.json", "a\x00b"])
async def test_open_and_export_take_any_path(answer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # relative answers are written here, not into the repository
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        app.query_one(Prompt).value = answer
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        await pilot.press("x")
        app.query_one(Prompt).value = f"mermaid {answer}" if answer else "mermaid /"
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert "export" in app.message, app.message
        assert_clean(app, answer)


async def test_export_to_a_directory_is_a_message(tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("x")
        app.query_one(Prompt).value = f"dot {tmp_path}"
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and "is a directory" in app.message


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_hostile_file_names_in_titles_and_diff_mode(name: str) -> None:
    trace = decode_trace(__import__("json").dumps(base_doc()).encode())
    app = VmtraceApp(Replay(trace), name)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "t")
        await pilot.pause()
        assert app.is_running
        assert_clean(app, repr(name))
    diff = DiffApp(diff_traces(trace, trace, name, "[/]" + name))
    async with diff.run_test(size=(100, 30)) as pilot:
        await pilot.press("]", "j", "[")
        await pilot.pause()
        assert diff.is_running
        assert_clean(diff, repr(name))


async def test_full_values_show_a_huge_string_in_chunks(made: dict[str, Path]) -> None:
    path = made["huge-string-events.1.args.type"]
    app = make_app(load_trace(path), str(path))
    async with app.run_test(size=(100, 30)) as pilot:
        app.replay.go(1)
        app.refresh_views()
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ValueScreen)
        log = app.screen.query_one("Log")
        lines = [str(line) for line in log.lines]  # type: ignore[attr-defined]
        assert sum(len(line.strip()) for line in lines if line.startswith("  x")) == 2_000_000
        assert max(len(line) for line in lines) <= CHUNK + 2
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ValueScreen)


def test_a_crash_in_the_tui_exits_non_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual prints the traceback; the process must still report failure (it returned 0)."""
    def crash(self: VmtraceApp) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(VmtraceApp, "on_mount", crash)
    monkeypatch.setattr(VmtraceApp, "run", lambda self: App.run(self, headless=True))
    monkeypatch.setattr(app_module.gc, "freeze", lambda: None)
    trace = decode_trace(__import__("json").dumps(base_doc()).encode())
    assert run_app(Replay(trace), "t.json") == 1
