"""A Pilot test for every key binding: press it from a known cursor, assert where it leads.

Positions refer to the QEMU-like trace in ``tui_fixtures`` (``qemu_like_trace``): e.g. 20 is
``parse_cpu_option``, 24..35 the ``type_initialize`` of ``host-x86_64-cpu``, 50 an error
event and 53 a ``warn_report``.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from conftest import make_app
from textual.command import CommandPalette
from textual.pilot import Pilot
from tui_fixtures import hostile_trace, qemu_like_trace

from tracer.fileio import save_trace
from tracer.record import record_trace
from tracer.replay import Breakpoint, Filter
from tracer.tui.app import VmtraceApp
from tracer.tui.calltree_view import CallTreeView
from tracer.tui.help_screen import HelpScreen
from tracer.tui.keys import KEY_ACTIONS
from tracer.tui.machine_panel import MachinePanel
from tracer.tui.prompt import Prompt
from tracer.tui.type_panel import TypePanel


async def at(pilot: Pilot[None], seq: int) -> VmtraceApp:
    """Put the cursor on event ``seq`` as if the user had stepped there."""
    app = pilot.app
    assert isinstance(app, VmtraceApp)
    assert app.replay.go(seq)
    app.refresh_views()
    await pilot.pause()
    return app


async def type_answer(pilot: Pilot[None], text: str) -> None:
    for ch in text:
        await pilot.press(ch)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize(
    ("key", "start", "expected"),
    [
        ("j", 14, 15), ("k", 15, 14),
        ("s", 23, 24), ("S", 43, 40),
        ("n", 20, 43), ("N", 43, 20), ("p", 43, 20),
        ("f", 27, 29), ("u", 27, 26),
        ("g", 30, 0), ("home", 30, 0), ("G", 0, 60), ("end", 0, 60),
        ("percent_sign", 24, 35), ("percent_sign", 35, 24),
        ("e", 0, 50), ("e", 50, 53), ("e", 53, 50),
    ],
)
async def test_motion_keys(key: str, start: int, expected: int) -> None:
    # GIVEN the cursor at `start`  WHEN the key is pressed  THEN the cursor is at `expected`
    async with make_app().run_test() as pilot:
        app = await at(pilot, start)
        await pilot.press(key)
        await pilot.pause()
        assert app.replay.pos == expected
        tree = app.query_one(CallTreeView)
        assert tree.cursor == app.replay.node
        assert tree.cursor_row is not None, "the cursor's row is revealed"
        assert app.message == ""


@pytest.mark.parametrize(("key", "start", "message"), [
    ("f", 0, "already at the top level"), ("u", 0, "already at the top level"),
    ("percent_sign", 2, "a point event has no matching call or return"),
    ("k", 0, "at the first event"), ("j", 60, "at the last event"),
])
async def test_motion_with_nowhere_to_go_says_so(key: str, start: int, message: str) -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, start)
        await pilot.press(key)
        await pilot.pause()
        assert app.replay.pos == start
        assert app.message == message
        assert message in str(app.query_one("#status").render())


async def test_status_line_shows_step_and_depth() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 24)
        assert str(app.query_one("#status").render()).startswith("step 24 / 60 · depth 6")


async def test_colon_goes_to_event_number() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 0)
        await pilot.press("colon")
        await type_answer(pilot, "45")
        assert app.replay.pos == 45
        await pilot.press("colon")
        await type_answer(pilot, "forty")
        assert app.replay.pos == 45 and "not an event number" in app.message


async def test_search_then_next_and_previous_match() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 0)
        await pilot.press("slash")
        await type_answer(pilot, "type_initialize")
        assert app.replay.pos == 24
        await pilot.press("full_stop")
        await pilot.pause()
        assert app.replay.pos == 25
        await pilot.press("full_stop", "full_stop")
        await pilot.pause()
        assert app.replay.pos == 24, "wraps around after the last match (26)"
        await pilot.press("comma")
        await pilot.pause()
        assert app.replay.pos == 26


async def test_search_is_incremental_and_escape_restores() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 14)
        await pilot.press("slash", "f", "i", "n")
        await pilot.pause()
        assert app.replay.pos == 17, "find_machine, previewed while typing"
        await pilot.press("escape")
        await pilot.pause()
        assert app.replay.pos == 14
        assert not app.query_one(Prompt).asking
        assert app.query_one(CallTreeView).has_focus


async def test_b_toggles_a_breakpoint_and_c_continues() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 24)
        await pilot.press("b")
        await pilot.pause()
        assert app.replay.breakpoints == {Breakpoint("type_initialize")}
        assert "breakpoints: type_initialize" in str(app.query_one("#status").render())
        await at(pilot, 0)
        await pilot.press("c")
        await pilot.pause()
        assert app.replay.pos == 24
        await pilot.press("c")
        await pilot.pause()
        assert app.replay.pos == 25
        await pilot.press("C")
        await pilot.pause()
        assert app.replay.pos == 24
        await pilot.press("b")
        await pilot.pause()
        assert app.replay.breakpoints == set()


async def test_capital_b_sets_a_type_breakpoint_and_reverse_continue() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 60)
        await pilot.press("B")
        await type_answer(pilot, "max-x86_64-cpu")
        assert app.replay.breakpoints == {Breakpoint("max-x86_64-cpu", "type")}
        await pilot.press("C")
        await pilot.pause()
        assert app.replay.pos == 30, "max_x86_cpu_class_init(type=max-x86_64-cpu)"
        await pilot.press("C")
        await pilot.pause()
        assert app.replay.pos == 25
        await pilot.press("c")
        await pilot.pause()
        assert app.replay.pos == 30


async def test_continue_without_breakpoints_says_so() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 3)
        await pilot.press("c")
        await pilot.pause()
        assert app.replay.pos == 3 and "no breakpoints" in app.message


async def test_capital_h_hides_functions_and_equals_clears() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 5)
        await pilot.press("H")
        await type_answer(pilot, "type_register")
        assert app.replay.filter == Filter(hide="type_register")
        assert app.replay.pos == 1, "the cursor leaves the hidden point for its caller"
        assert app.outline.row_of(5) is None
        await pilot.press("s")
        await pilot.pause()
        assert app.replay.pos == 14
        await pilot.press("equals_sign")
        await pilot.pause()
        assert not app.replay.filter.active
        assert app.outline.row_of(5) is not None


async def test_minus_and_plus_limit_depth() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 24)
        await pilot.press("minus")
        await pilot.pause()
        assert app.replay.filter.max_depth == 6 and app.replay.pos == 24, "the cursor's level stays"
        await pilot.press("minus")
        await pilot.pause()
        assert app.replay.filter.max_depth == 5 and app.replay.pos == 23
        await pilot.press("plus")
        await pilot.pause()
        assert app.replay.filter.max_depth == 6
        assert "depth ≤ 6" in str(app.query_one("#status").render())


async def test_z_collapses_all_and_capital_z_expands_all() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 0)
        await pilot.press("z")
        await pilot.pause()
        assert app.outline.rows == [0]
        await pilot.press("Z")
        await pilot.pause()
        nodes = [e.seq for e in app.replay.events if e.kind in ("call", "point")]
        assert app.outline.rows == nodes


async def test_capital_f_jumps_to_the_events_that_decided_a_feature() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 0)
        await pilot.press("F")
        await type_answer(pilot, "avx512f")
        assert app.replay.pos == 40
        await pilot.press("full_stop")
        await pilot.pause()
        assert app.replay.pos == 52, "filtered"
        await pilot.press("full_stop")
        await pilot.pause()
        assert app.replay.pos == 53, "the warning naming it"
        assert "feature avx512f (3 events)" in str(app.query_one("#status").render())


async def test_capital_f_prefills_the_feature_at_the_cursor() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 52)
        await pilot.press("F")
        await pilot.pause()
        assert app.query_one(Prompt).value == "avx512f"
        await pilot.press("enter")
        await pilot.pause()
        assert app.replay.pos == 40


async def test_t_focuses_the_type_graph_and_enter_jumps_to_class_init() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 46)  # object_new(host-x86_64-cpu)
        panel = app.query_one(TypePanel)
        assert panel.focus_type == "host-x86_64-cpu"
        await pilot.press("t")
        await pilot.pause()
        assert panel.has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert app.replay.pos == 24, "host-x86_64-cpu's class was initialised at 24"
        await pilot.press("up", "enter")
        await pilot.pause()
        assert app.replay.pos == 25, "its parent, max-x86_64-cpu"
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one(CallTreeView).has_focus


async def test_o_opens_another_trace(tmp_path: Path) -> None:
    other = tmp_path / "hostile.json"
    save_trace(hostile_trace(), other)
    async with make_app().run_test() as pilot:
        app = await at(pilot, 30)
        await pilot.press("o")
        await type_answer(pilot, str(other))
        assert len(app.replay.events) == len(hostile_trace().events)
        assert app.replay.pos == 0 and app.trace_name == str(other)
        await pilot.press("o")
        await type_answer(pilot, str(tmp_path / "missing.json"))
        assert "missing.json" in app.message and len(app.replay.events) == len(hostile_trace().events)


async def test_x_exports_the_trace(tmp_path: Path) -> None:
    out = tmp_path / "trace.json"
    async with make_app().run_test() as pilot:
        app = await at(pilot, 0)
        await pilot.press("x")
        await type_answer(pilot, f"chrome {out}")
        assert out.exists() and out.read_bytes().startswith(b"{"), app.message
        await pilot.press("x")
        await type_answer(pilot, f"nonsense {out}")
        assert "unknown format" in app.message


async def test_question_mark_opens_help_and_escape_closes() -> None:
    async with make_app().run_test() as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_q_quits() -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize(("keys", "start", "expected"), [
    (("down",), 14, 16), (("up",), 16, 14),
    (("right",), 20, 20), (("right", "right"), 20, 21), (("l", "l"), 20, 21),
    (("left",), 17, 16), (("h",), 17, 16),
    (("pagedown",), 0, None), (("pageup",), 43, 0),
])
async def test_tree_keys_move_along_rows(keys: tuple[str, ...], start: int, expected: int | None) -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, start)
        await pilot.press(*keys)
        await pilot.pause()
        tree = app.query_one(CallTreeView)
        if expected is None:  # a page down lands a screenful of rows further
            assert tree.cursor_row is not None and tree.cursor_row > 5
        else:
            assert app.replay.pos == expected


@pytest.mark.parametrize("key", ["enter", "space"])
async def test_enter_and_space_toggle_the_node(key: str) -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 20)
        assert not app.outline.is_expanded(20)
        await pilot.press(key)
        await pilot.pause()
        assert app.outline.is_expanded(20) and app.outline.row_of(21) is not None
        await pilot.press(key)
        await pilot.pause()
        assert not app.outline.is_expanded(20) and app.outline.row_of(21) is None


async def test_left_collapses_an_expanded_node_first() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 1)
        await pilot.press("left")
        await pilot.pause()
        assert not app.outline.is_expanded(1) and app.replay.pos == 1


async def test_every_action_is_in_the_command_palette() -> None:
    async with make_app().run_test() as pilot:
        app = pilot.app
        titles = {cmd.title for cmd in app.get_system_commands(app.screen)}
        for key in KEY_ACTIONS:
            if key.action != "quit":  # Textual's own palette has Quit
                assert f"{key.description} ({key.display})" in titles
        await at(pilot, 20)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        for ch in "Step over: next":
            await pilot.press(ch if ch != " " else "space")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app, VmtraceApp) and app.replay.pos == 43


def test_every_key_action_has_a_handler() -> None:
    for key in KEY_ACTIONS:
        assert key.action == "quit" or hasattr(VmtraceApp, f"action_{key.action}"), key.action


async def test_search_matches_are_highlighted_in_the_tree() -> None:
    async with make_app().run_test() as pilot:
        app = await at(pilot, 0)
        await pilot.press("slash")
        await type_answer(pilot, "class_init")
        tree = app.query_one(CallTreeView)
        match = tree.get_component_rich_style("calltree--match", partial=True)
        row = tree.row_text(27, 100)
        start = row.plain.index("class_init")
        assert any(span.style == match and span.start == start for span in row.spans)
        assert not any(span.style == match for span in tree.row_text(14, 100).spans), "lookup_opt has no match"


async def test_a_failed_run_says_how_it_ended() -> None:
    trace = qemu_like_trace()
    failed = msgspec.structs.replace(trace, result=msgspec.structs.replace(
        trace.result, exit_status=1, stderr=["qemu-system-x86_64: unable to find CPU model 'nosuch'"]))
    async with make_app(failed).run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        assert "QEMU exited with status 1: qemu-system-x86_64: unable to find CPU model 'nosuch'" in str(
            pilot.app.query_one("#status").render())


async def test_m_swaps_the_type_graph_for_the_composition_tree(tmp_path: Path) -> None:
    """``m`` shows /machine as it stands at the cursor; stepping back before the machine exists
    says so; ``m`` again brings the type graph back."""
    trace = record_trace(["-machine", "pc", "-nodefaults"])
    app = VmtraceApp.from_trace(trace, "pc")
    async with app.run_test(size=(120, 40)) as pilot:
        box = app.query_one("#machine-box")
        assert not box.display and app.query_one(TypePanel).display
        await pilot.press("m")
        await pilot.pause()
        assert box.display and not app.query_one(TypePanel).display
        app.replay.go(len(trace.events) - 1)
        app.refresh_views()
        await pilot.pause()
        shown = str(app.query_one(MachinePanel).render())
        assert "/i440fx (i440FX-pcihost)" in shown and "/device[17] (piix3-ide)" in shown
        assert box.border_title == f"Machine at step {len(trace.events) - 1}"
        app.replay.go(0)
        app.refresh_views()
        await pilot.pause()
        assert "no machine yet" in str(app.query_one(MachinePanel).render())
        await pilot.press("m")
        await pilot.pause()
        assert not box.display and app.query_one(TypePanel).display
