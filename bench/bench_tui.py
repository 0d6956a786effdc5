"""TUI responsiveness on a 1,000,000-event trace next to a 1,000-event one, measured in one run.

Run: ``python -m bench.bench_tui [--large 1000000] [--small 1000] [--steps 30]``.

For each size the app is started headless (Textual's ``run_test``) on a synthetic trace whose
indexes are already built, exactly as ``vmtrace view`` does after loading. Figures:

* first paint: from constructing the app to its first screen update;
* per step: median time for one keypress, from sending the key to the last screen update it
  caused, for each motion key, over ``--steps`` presses.

The goal is the large trace within 3x of the small one on every figure. Loading the file and
building the indexes are one linear pass each; they are printed for information, with their
ratio, but are deliberately not part of the goal (they happen before the app starts).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import RenderableType
from textual.app import App
from textual.screen import Screen

from tracer.fileio import load_trace, save_trace
from tracer.replay import Replay
from tracer.synthetic import synthetic_events, synthetic_trace
from tracer.trace import Trace
from tracer.tui.app import VmtraceApp

# Motion keys; each is pressed --steps times in a row (g/G alternate so each press moves).
STEP_KEYS = ("s", "n", "j", "k", "S", "N", "f", "u", "percent_sign", "down", "up", "G", "g")
SIZE = (120, 40)
GOAL_RATIO = 3.0


@dataclass
class Figures:
    events: int
    load_s: float = 0.0
    index_s: float = 0.0
    first_paint_s: float = 0.0
    steps_s: dict[str, float] = field(default_factory=dict)


class _FrameClock:
    """Records when the app produces each screen update (its compositor output).

    Headless apps compose every frame but do not write it anywhere; ``App._display`` is where
    the frame is handed to the terminal driver, so its calls mark "painted" in both modes.
    """

    def __init__(self) -> None:
        self.frames: list[float] = []
        self._original = App._display

    def __enter__(self) -> _FrameClock:
        clock = self
        original = self._original

        def display(app: App[object], screen: Screen[object], renderable: RenderableType | None) -> None:
            original(app, screen, renderable)
            if renderable is not None and not app._batch_count:
                clock.frames.append(time.perf_counter())

        App._display = display  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        App._display = self._original  # type: ignore[method-assign]

    def last_after(self, t0: float) -> float | None:
        return self.frames[-1] if self.frames and self.frames[-1] >= t0 else None


async def _measure_app(replay: Replay, steps: int, figures: Figures) -> None:
    with _FrameClock() as clock:
        start = time.perf_counter()
        app = VmtraceApp(replay, "bench")
        async with app.run_test(size=SIZE) as pilot:
            while not clock.frames:
                await pilot.pause()
            figures.first_paint_s = clock.frames[0] - start
            for key in STEP_KEYS:
                samples = []
                for i in range(steps):
                    # Start each key from the middle so forward and backward motions both move.
                    if i == 0 and key not in ("G", "g"):
                        app.replay.go(len(app.replay) // 2)
                        app.refresh_views()
                        await pilot.pause()
                    t0 = time.perf_counter()
                    await pilot.press(key if key not in ("G", "g") else ("G" if i % 2 == 0 else "g"))
                    await pilot.pause()
                    painted = clock.last_after(t0)
                    if painted is None:
                        raise RuntimeError(f"pressing {key!r} did not repaint the screen")
                    samples.append(painted - t0)
                figures.steps_s[key] = statistics.median(samples)


def measure(trace: Trace, steps: int) -> Figures:
    figures = Figures(len(trace.events))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "trace.json"
        save_trace(trace, path)
        t0 = time.perf_counter()
        loaded = load_trace(path)
        figures.load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    replay = Replay(loaded)
    figures.index_s = time.perf_counter() - t0
    gc.collect()
    gc.freeze()  # as tracer.tui.app.run_app does before starting the app
    asyncio.run(_measure_app(replay, steps, figures))
    return figures


def _row(name: str, small: float, large: float, goal: bool) -> str:
    ratio = large / small if small > 0 else float("inf")
    verdict = ("ok" if ratio <= GOAL_RATIO else "OVER") if goal else "linear, not in goal"
    return f"{name:<24}{small * 1000:>12.2f}{large * 1000:>14.2f}{ratio:>10.2f}x  {verdict}"


def report(small: Figures, large: Figures) -> str:
    lines = [
        f"{'figure (ms)':<24}{f'{small.events:,} ev':>12}{f'{large.events:,} ev':>14}{'ratio':>11}",
        _row("load file", small.load_s, large.load_s, goal=False),
        _row("build indexes", small.index_s, large.index_s, goal=False),
        _row("first paint", small.first_paint_s, large.first_paint_s, goal=True),
    ]
    for key in STEP_KEYS:
        label = {"percent_sign": "%", "G": "G/g", "g": "g/G"}.get(key, key)
        lines.append(_row(f"step: {label}", small.steps_s[key], large.steps_s[key], goal=True))
    worst = max([large.first_paint_s / small.first_paint_s,
                 *(large.steps_s[k] / small.steps_s[k] for k in STEP_KEYS)])
    lines.append(f"worst ratio in the goal: {worst:.2f}x (goal: within {GOAL_RATIO:.0f}x)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_tui", description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--steps", type=int, default=30, help="presses per motion key")
    args = parser.parse_args(argv)
    print(f"building synthetic traces of {args.small:,} and {args.large:,} events (not timed)…", flush=True)
    small_trace = synthetic_trace(synthetic_events(args.small))
    large_trace = synthetic_trace(synthetic_events(args.large))
    # Warm-up: import, CSS parsing and first-use costs go to neither side.
    measure(synthetic_trace(synthetic_events(200)), 2)
    small = measure(small_trace, args.steps)
    large = measure(large_trace, args.steps)
    print(report(small, large))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
