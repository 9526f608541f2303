"""The pictures of the app in the README, drawn from a real run of the app.

The app runs headless on a clock that only moves when told to (as in the
snapshot tests), so every run draws the same picture: the bundled ``starter``
plan at 100x30, in the recovery walk after its second backward interval,
with the rating prompt for that interval on screen. Settings, history and crash
journal go to a temporary folder: the user's own are never read or written.

Run it from the repository root after a change to the workout screen::

    python docs/screenshots.py            # writes docs/images/workout.svg
    python docs/screenshots.py FOLDER     # writes FOLDER/workout.svg
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from retro_tui import paths
from retro_tui.plan.loader import load_plan
from retro_tui.tui.app import make_app
from retro_tui.workout.clock import FakeClock

SIZE = (100, 30)
IMAGES = Path(__file__).resolve().parent / "images"
WALL_START = datetime(2026, 3, 2, 7, 30, tzinfo=timezone(timedelta(hours=1)))
SETTINGS = """\
[workout]
preflight = false   # the picture is of the workout, not the safety check
flash = false       # a flash caught mid-way would hide the banner's colour

[sound]
mode = "bell"       # as set up by default (a headless run rings no bell)
"""
AFTER_SECOND_INTERVAL_S = 3 * 60 + 15 * 60 + 60 + 30 + 90 + 30 + 15
"""Starter: a 3-minute build-up, a 15-minute run, a 1-minute walk, then 30 s backward
and 90 s walking, three times. This is 15 s into the walk after the second interval."""


async def workout_svg(folder: Path) -> str:
    """The workout screen as SVG, running the bundled starter plan from ``folder``."""
    config = folder / "config.toml"
    config.write_text(SETTINGS, encoding="utf-8")
    clock = FakeClock(start=1000.0)
    started = clock.now

    def wall_clock() -> datetime:
        return WALL_START + timedelta(seconds=clock.now - started)

    plan = load_plan(paths.bundled_plans_dir() / "starter.toml")
    app = make_app(
        history=folder / "history.toml",
        config=config,
        start_plan=plan,
        clock=clock,
        wall_clock=wall_clock,
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Step by step, as the screen's own timer would, so each change is seen in turn.
        for _ in range(AFTER_SECOND_INTERVAL_S):
            clock.advance(1)
            tick = getattr(app.screen, "tick", None)
            if callable(tick):
                tick()
        await pilot.pause()
        return app.export_screenshot(title="retro-tui")


def write_screenshots(folder: Path = IMAGES) -> list[Path]:
    """Draw every picture into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="retro-tui-screenshots-") as scratch:
        svg = asyncio.run(workout_svg(Path(scratch)))
    target = folder / "workout.svg"
    target.write_text(svg, encoding="utf-8")
    return [target]


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else IMAGES
    for written in write_screenshots(folder):
        print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
