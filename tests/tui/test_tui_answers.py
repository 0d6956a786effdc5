"""Pilot tests for the TUI answers of issue 13: glob breakpoints, search that opens only the
match's ancestors, the status line, the step-0 type graph, the class and object views.

Positions refer to ``tui_fixtures.qemu_like_trace`` (27, 30, 33 are the CPU class_inits).
"""

from __future__ import annotations

import msgspec
from conftest import make_app
from test_tui_keys import at, type_answer
from tui_fixtures import make_trace, qemu_like_trace

from tracer.diff import diff_traces
from tracer.replay import Breakpoint
from tracer.tui.diff_app import DiffApp, SemanticPanel
from tracer.tui.diff_view import indent_guides
from tracer.tui.type_panel import TypePanel


async def test_capital_b_takes_a_glob_like_search() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 0)
        await pilot.press("B")
        await type_answer(pilot, "*class_init")
        assert app.replay.breakpoints == {Breakpoint("*class_init", "glob")}
        assert "breakpoint set: *class_init" in app.message
        hits = []
        for _ in range(4):
            await pilot.press("c")
            await pilot.pause()
            hits.append(app.replay.pos)
        assert hits == [27, 30, 33, 33], "every class_init, then nowhere further"
        assert app.message == "no breakpoint hit after this"


async def test_search_opens_only_the_matchs_ancestors() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 0)
        before = set(app.outline.expanded)
        await pilot.press("slash")
        await type_answer(pilot, "max_x86_cpu_class_init")
        assert app.replay.pos == 30
        opened = app.outline.expanded - before
        assert opened == set(app.replay.tree.ancestors(30)) - before
        # The next search lands outside that subtree: what the first one opened closes again.
        await pilot.press("slash")
        await type_answer(pilot, "find_machine")
        assert app.replay.pos == 17
        assert app.outline.expanded - before == {16}
        assert app.outline.row_of(30) is None


async def test_search_escape_closes_what_the_preview_opened() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 14)
        before = set(app.outline.expanded)
        await pilot.press("slash", *"host_x86")
        await pilot.pause()
        assert app.replay.pos == 33 and app.outline.row_of(33) is not None
        await pilot.press("escape")
        await pilot.pause()
        assert app.replay.pos == 14
        assert app.outline.expanded == before


async def test_a_step_after_a_search_keeps_the_path_open() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 0)
        await pilot.press("slash")
        await type_answer(pilot, "max_x86_cpu_class_init")
        await pilot.press("j")
        await pilot.pause()
        await pilot.press("slash")
        await type_answer(pilot, "find_machine")
        assert app.outline.row_of(30) is not None, "the user stepped there: it stays open"


async def test_status_line_shows_the_filter_once() -> None:
    async with make_app().run_test() as pilot:
        await at(pilot, 5)
        await pilot.press("H")
        await type_answer(pilot, "type_register")
        status = str(pilot.app.query_one("#status").render())
        assert status.count("hide type_register") == 1
        await pilot.press("minus")
        await pilot.pause()
        status = str(pilot.app.query_one("#status").render())
        assert status.count("filter") == 1 and "depth ≤" in status
        await pilot.press("equals_sign")
        await pilot.pause()
        status = str(pilot.app.query_one("#status").render())
        assert "filter cleared" in status and "hide" not in status


async def test_step_zero_shows_the_runs_key_types_with_their_ancestry() -> None:
    async with make_app().run_test(size=(140, 40)) as pilot:
        app = await at(pilot, 0)
        panel = app.query_one(TypePanel)
        names = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
        assert names == ["object", "machine", "x86-machine", "pc-machine", "pc-i440fx-7.2-machine",
                         "device", "cpu", "x86_64-cpu", "max-x86_64-cpu", "host-x86_64-cpu"]
        text = "\n".join(str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count))
        assert "host-x86_64-cpu ← CPU  not yet registered" in text
        assert "pc-i440fx-7.2-machine ← machine  not yet" in text
        assert panel.border_title == "Type graph: this run's key types"
        # States follow the step: at 14 (lookup_opt, no type in play) every type is registered.
        await at(pilot, 14)
        text = "\n".join(str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count))
        assert "not yet registered" not in text and "← CPU" in text
        # Once a type is in play, the panel follows it.
        await at(pilot, 30)
        assert panel.border_title == "Type graph: max-x86_64-cpu"


def test_deep_diff_rows_keep_their_innermost_guides() -> None:
    assert indent_guides(3, 20) == "│ │ │ "
    deep = indent_guides(40, 20)
    assert len(deep) == 20
    assert deep.startswith("…") and deep.rstrip().endswith("│")
    hidden = int(deep[1:deep.index("│")])
    assert hidden + deep.count("│") == 40, "folded levels plus drawn guides make the depth"
    assert deep.count("│ ") >= 7, "the innermost levels keep full two-column guides"
    assert indent_guides(10_000, 4) == "…10000", "no room for guides: the depth alone"


async def test_semantic_panel_wraps_to_its_width() -> None:
    sky = make_trace(qemu_like_trace("host").events, cpu_type="host-x86_64-cpu")
    long_value = {"type": "max-x86_64-cpu", "model-id": "A very long model identifier " * 6}
    other = make_trace(qemu_like_trace("max").events, cpu_type="max-x86_64-cpu")
    other = msgspec.structs.replace(other, result=msgspec.structs.replace(other.result, cpu=long_value))
    app = DiffApp(diff_traces(sky, other, "a.json", "b.json"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        panel = app.query_one("#semantic", SemanticPanel)
        width = panel.size.width
        lines = panel.render().plain.split("\n")  # type: ignore[union-attr]
        assert all(len(line) <= width for line in lines), (width, [ln for ln in lines if len(ln) > width])
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("model-id"))
        assert lines[start + 1].startswith(" " * 17), "continuation lines hang under the value"
