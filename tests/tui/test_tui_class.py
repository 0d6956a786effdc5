"""Pilot tests for the class view (``K``), the object view (``O``) and the event pane's link
to an earlier class initialisation (``L``), on ``class_fixtures.class_trace`` (37 is
``object_class_by_name(host-x86_64-cpu)`` under ``parse_cpu_option``; the class was
initialised under ``select_machine``, 9 to 33)."""

from __future__ import annotations

import io

from class_fixtures import class_trace
from conftest import make_app
from rich.console import Console
from test_tui_keys import at
from textual.widgets import OptionList

from tracer.tui.app import VmtraceApp
from tracer.tui.class_view import LinesScreen
from tracer.tui.event_panel import describe_event


def pane_text(app: VmtraceApp) -> str:
    """The event pane's content as plain text."""
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(describe_event(app.replay, app.replay.pos))
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output


def lines_of(screen: LinesScreen) -> list[str]:
    options = screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_event_pane_says_the_looked_up_class_was_made_earlier_and_l_goes_there() -> None:
    async with make_app(class_trace()).run_test(size=(140, 40)) as pilot:
        app = await at(pilot, 37)
        made = app.replay.milestones.class_initialised["host-x86_64-cpu"]
        assert made < 35, "under select_machine, before parse_cpu_option"
        assert f"class host-x86_64-cpu was initialised earlier, at step {made}" in pane_text(app)
        await pilot.press("L")
        await pilot.pause()
        assert app.replay.pos == made


async def test_l_without_a_link_says_so() -> None:
    async with make_app(class_trace()).run_test() as pilot:
        app = await at(pilot, 9)
        assert "initialised earlier" not in pane_text(app)
        await pilot.press("L")
        await pilot.pause()
        assert app.replay.pos == 9 and app.message.startswith("no link here")


async def test_k_shows_the_class_fields_with_who_set_them() -> None:
    async with make_app(class_trace()).run_test(size=(160, 40)) as pilot:
        await at(pilot, 37)
        await pilot.press("K")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LinesScreen)
        text = "\n".join(lines_of(screen))
        made = pilot.app.replay.milestones.class_initialised["host-x86_64-cpu"]  # type: ignore[attr-defined]
        assert f"class initialised at event {made}" in text
        lines = {line.split()[0]: line for line in lines_of(screen) if line.startswith("  ") and line.split()}
        assert "x86_cpu_class_by_name" in lines["class_by_name"]
        assert "21  x86_cpu_common_class_init (class_init)  [inherited from x86_64-cpu]" in lines["class_by_name"]
        assert "[inherited from x86_64-cpu; overrides cpu_common_parse_features]" in lines["parse_features"]
        assert "31  host_cpu_class_init (class_init)  [overrides 9]" in lines["ordering"]
        assert "3 by x86_cpu_common_class_init on x86_64-cpu: avx512f, family, model-id" in text


async def test_enter_in_the_class_view_goes_to_the_step_that_set_the_field() -> None:
    async with make_app(class_trace()).run_test(size=(160, 40)) as pilot:
        app = await at(pilot, 37)
        await pilot.press("K")
        await pilot.pause()
        options = pilot.app.screen.query_one(OptionList)
        target = next(i for i in range(options.option_count)
                      if str(options.get_option_at_index(i).prompt).lstrip().startswith("class_by_name"))
        options.highlighted = target
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, LinesScreen)
        assert app.replay.pos == 21


async def test_escape_closes_the_class_view_without_moving() -> None:
    async with make_app(class_trace()).run_test() as pilot:
        app = await at(pilot, 37)
        await pilot.press("K")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, LinesScreen) and app.replay.pos == 37


async def test_o_shows_the_property_history_of_the_objects() -> None:
    async with make_app(class_trace()).run_test(size=(140, 40)) as pilot:
        app = await at(pilot, 41)
        await pilot.press("O")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LinesScreen)
        rows = [line.split() for line in lines_of(screen)[1:]]
        assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
            ("44", "feature", "fpu", "true", "(host)"),
            ("47", "property", "apic-id", "0", "(x86_cpu_new)"),
            ("49", "feature", "avx512f", "true", "(plus)"),
            ("50", "property", "avx512f", "true", "(x86_cpu_expand_features)"),
        ]
        await pilot.press("enter")
        await pilot.pause()
        assert app.replay.pos == 44


async def test_k_and_o_without_a_type_say_so() -> None:
    async with make_app(class_trace()).run_test() as pilot:
        app = await at(pilot, 1)
        await pilot.press("K")
        await pilot.pause()
        assert app.message.startswith("no QOM type at the cursor")
        await pilot.press("O")
        await pilot.pause()
        assert app.message.startswith("no QOM type at the cursor")


async def test_o_on_a_type_without_objects_says_so() -> None:
    async with make_app(class_trace()).run_test() as pilot:
        app = await at(pilot, 27)
        await pilot.press("O")
        await pilot.pause()
        assert app.message == "max-x86_64-cpu: no property set on an object of this type"
