"""Child process of the workout_cpu and transition_lateness benchmarks: a workout, live.

Run as a script in a fresh interpreter, headless at 100×30, on the real
``time.monotonic`` clock; it stops itself when its window is over and prints
one line, ``LIVE {json}``, for the parent to read. Two modes:

``cpu retro --plan FILE`` / ``cpu digits``
    Run retro-tui on the plan (started straight away: the parent's config file
    turns the safety check off), or the reference: a bare Textual app showing
    one ``Digits`` that a ``set_interval(1.0)`` updates from ``time.monotonic``.
    When the screen to measure (the workout screen; the Digits app's screen)
    has painted its first frame, wait ``--warmup`` seconds so start-up work is
    over, then read ``time.process_time()`` (CPU time of every thread of this
    process) and ``time.monotonic()`` at the start and the end of a window of
    ``--window`` seconds, then exit. Frames painted, event-loop iterations and
    (for retro-tui) workout-screen ticks in the window are counted too.

``lateness --plan FILE``
    Run retro-tui on the plan for ``--window`` seconds from the workout's
    start. ``WorkoutScreen.handle`` is wrapped to note, for every
    ``StepStarted`` and ``Countdown`` event, ``time.monotonic() - event.at``:
    how long after the moment it was due the screen acted on it. For step
    starts, the first frame painted after that is noted too (when the new step
    reached the screen). The reference runs in the same event loop: a
    ``loop.call_at`` at each of the same deadlines (computed from the plan and
    the workout's start), noting how late the loop itself ran it.

Headless Textual composes every frame but does not turn it into terminal
output; as in ``frame_driver.py``, every frame is rendered to terminal text
here (the work a real terminal run does, short of writing it), for both apps.
The parent's ``subprocess`` timeout stops a child that never finishes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from retro_tui.plan.model import Plan

SIZE = (100, 30)
"""Terminal size of the headless runs, the same for both apps."""

GRACE_S = 0.5
"""The lateness run goes on this long after its window, so late events are still seen."""


# -- hooks into a running app ------------------------------------------------------------


def hook_frames(app: App[Any], on_frame: Callable[[Screen[Any]], None]) -> None:
    """Render every frame ``app`` paints to terminal text, then call ``on_frame(screen)``."""
    display = app._display

    def display_and_note(screen: Screen[Any], renderable: Any) -> None:
        display(screen, renderable)
        if renderable is None or app._batch_count or screen is not app.screen:
            return  # Textual paints nothing for these either
        render_segments = getattr(renderable, "render_segments", None)
        if render_segments is not None:
            render_segments(app.console)
        on_frame(screen)

    app._display = display_and_note  # type: ignore[method-assign]


@dataclass
class Counts:
    """What happened in the process, counted while ``on`` is set."""

    on: bool = False
    frames: int = 0
    wakeups: int | None = None
    """Event-loop iterations (selector polls); ``None`` when the loop cannot be watched."""
    ticks: int = 0

    def count_wakeups(self, loop: asyncio.AbstractEventLoop) -> None:
        """Count the iterations of ``loop``: each one waits on its selector once."""
        selector: Any = getattr(loop, "_selector", None)  # asyncio's selector event loops
        if selector is None or not hasattr(selector, "select"):
            return
        select = selector.select
        self.wakeups = 0

        def counted(timeout: float | None = None) -> Any:
            if self.on and self.wakeups is not None:
                self.wakeups += 1
            return select(timeout)

        selector.select = counted


@dataclass
class Reading:
    """Clocks read together: ``time.monotonic()`` and ``time.process_time()``."""

    wall: float
    cpu: float

    @classmethod
    def now(cls) -> Reading:
        return cls(time.monotonic(), time.process_time())


# -- the apps ----------------------------------------------------------------------------


def load_plan(path: Path) -> Plan:
    from retro_tui.plan import parse_plan_text

    return parse_plan_text(path.read_text(encoding="utf-8"), label=str(path), source=path)


def retro_app(plan: Plan) -> App[Any]:
    """retro-tui starting ``plan`` at once (config and history come from the environment)."""
    from retro_tui.tui.app import make_app

    return make_app(start_plan=plan)


def digits_app() -> App[None]:
    """The reference: one ``Digits`` counting down, updated once a second from the clock."""
    from textual.app import App, ComposeResult
    from textual.widgets import Digits

    class DigitsApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Digits("10:00")

        def on_mount(self) -> None:
            self.deadline = time.monotonic() + 600
            self.set_interval(1.0, self.update_digits)

        def update_digits(self) -> None:
            left = max(0, int(self.deadline - time.monotonic()))
            self.query_one(Digits).update(f"{left // 60}:{left % 60:02d}")

    return DigitsApp()


# -- cpu ---------------------------------------------------------------------------------


def measure_cpu(
    app: App[Any], target: type[Screen[Any]], counts: Counts, args: argparse.Namespace
) -> dict[str, Any]:
    """Run ``app`` and measure its CPU time over a window of ``--window`` seconds.

    The window opens ``--warmup`` seconds after the first frame of a ``target``
    screen, and the app exits when it closes.
    """
    readings: list[Reading] = []
    first_frame: list[float] = []

    def end() -> None:
        readings.append(Reading.now())
        counts.on = False
        app.exit()

    def begin() -> None:
        readings.append(Reading.now())
        counts.on = True
        asyncio.get_running_loop().call_at(readings[0].wall + args.window, end)

    def on_frame(screen: Screen[Any]) -> None:
        if counts.on:
            counts.frames += 1
        if not first_frame and isinstance(screen, target):
            first_frame.append(time.monotonic())
            loop = asyncio.get_running_loop()
            counts.count_wakeups(loop)
            loop.call_later(args.warmup, begin)

    hook_frames(app, on_frame)
    app.run(headless=True, size=SIZE)
    if len(readings) != 2:
        raise SystemExit("the app stopped before the window was over")
    start, stop = readings
    return {
        "first_frame": first_frame[0],
        "wall_s": stop.wall - start.wall,
        "cpu_s": stop.cpu - start.cpu,
        "frames": counts.frames,
        "wakeups": counts.wakeups,
        "ticks": counts.ticks,
    }


def run_cpu(args: argparse.Namespace) -> dict[str, Any]:
    counts = Counts()
    if args.app == "digits":
        from textual.screen import Screen

        return measure_cpu(digits_app(), Screen, counts, args)
    from retro_tui.tui.screens.workout import WorkoutScreen

    tick = WorkoutScreen.tick

    def counted_tick(self: WorkoutScreen) -> None:
        if counts.on:
            counts.ticks += 1
        tick(self)

    WorkoutScreen.tick = counted_tick  # type: ignore[method-assign]
    return measure_cpu(retro_app(load_plan(args.plan)), WorkoutScreen, counts, args)


# -- lateness ----------------------------------------------------------------------------


@dataclass
class Lateness:
    """Seconds late, by kind: ``step`` (step starts), ``countdown`` (3-2-1), ``shown``, ``loop``."""

    step: list[float] = field(default_factory=list)
    countdown: list[float] = field(default_factory=list)
    shown: list[float] = field(default_factory=list)
    loop: list[float] = field(default_factory=list)


def deadlines(plan: Plan, start: float, until: float) -> list[float]:
    """Every step start after the first and every 3-2-1, on the clock, before ``until``."""
    from retro_tui.workout.engine import COUNTDOWN_SECONDS

    moments: list[float] = []
    at = start
    for step in plan.steps:
        end = at + step.duration_s
        moments.extend(end - left for left in COUNTDOWN_SECONDS if end - left >= at)
        moments.append(end)
        at = end
    return sorted(moment for moment in moments if moment < until)


def run_lateness(args: argparse.Namespace) -> dict[str, Any]:
    from retro_tui.tui.screens.workout import WorkoutScreen
    from retro_tui.workout.engine import Countdown, Event, StepStarted

    plan = load_plan(args.plan)
    app = retro_app(plan)
    late = Lateness()
    unseen: list[float] = []
    """``event.at`` of step starts acted on but not painted yet."""
    until: list[float] = []
    """The end of the window: events due from then on are not counted."""
    handle = WorkoutScreen.handle

    def note_loop(due: float) -> None:
        late.loop.append(time.monotonic() - due)

    def noting_handle(self: WorkoutScreen, event: Event) -> None:
        now = time.monotonic()
        if not until:  # the first event: step 1 started, the workout is on
            start = self.workout.started_at if self.workout is not None else None
            if start is None:
                raise SystemExit("the workout screen handled an event before the start")
            until.append(start + args.window)
            loop = asyncio.get_running_loop()
            for deadline in deadlines(plan, start, until[0]):
                loop.call_at(deadline, note_loop, deadline)
            loop.call_at(until[0] + GRACE_S, app.exit)
        if event.at < until[0]:
            if isinstance(event, StepStarted) and event.index > 0:
                late.step.append(now - event.at)
                unseen.append(event.at)
            elif isinstance(event, Countdown):
                late.countdown.append(now - event.at)
        handle(self, event)

    def on_frame(screen: Screen[Any]) -> None:
        if unseen and isinstance(screen, WorkoutScreen):
            now = time.monotonic()
            late.shown.extend(now - due for due in unseen)
            unseen.clear()

    # The crash journal is written every few seconds while the workout runs: note when each
    # write happens (on its own thread), to tell whether the events after one were later.
    from retro_tui.history.journal import JournalWriter

    written: list[float] = []
    write = JournalWriter._write

    def noting_write(self: JournalWriter, session: Any) -> None:
        written.append(time.monotonic())
        write(self, session)

    JournalWriter._write = noting_write  # type: ignore[method-assign]
    WorkoutScreen.handle = noting_handle  # type: ignore[method-assign]
    hook_frames(app, on_frame)
    app.run(headless=True, size=SIZE)
    if not until or time.monotonic() < until[0]:
        raise SystemExit("the workout ended before the window was over")
    return {
        "step": late.step,
        "countdown": late.countdown,
        "shown": late.shown,
        "loop": late.loop,
        "expected": len(deadlines(plan, 0.0, args.window)),
        "journal_writes": len([moment for moment in written if moment < until[0]]),
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="live_driver.py")
    modes = parser.add_subparsers(dest="mode", required=True)
    cpu = modes.add_parser("cpu")
    cpu.add_argument("app", choices=("retro", "digits"))
    cpu.add_argument("--plan", type=Path)
    cpu.add_argument("--warmup", type=float, default=2.0)
    cpu.add_argument("--window", type=float, default=20.0)
    lateness = modes.add_parser("lateness")
    lateness.add_argument("--plan", type=Path, required=True)
    lateness.add_argument("--window", type=float, default=60.0)
    args = parser.parse_args(argv)
    if args.mode == "cpu" and args.app == "retro" and args.plan is None:
        parser.error("cpu retro needs --plan")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    record = run_cpu(args) if args.mode == "cpu" else run_lateness(args)
    print("LIVE " + json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
