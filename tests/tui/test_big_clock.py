"""The clock fills the screen: how big the countdown and the direction are drawn at each size.

Measured on what is drawn: the rows of block digits the clock widget paints, on
the bundled starter plan (a 15-minute run and 30-second intervals).
"""

from __future__ import annotations

import pytest
from textual.geometry import Region

from retro_tui import paths
from retro_tui.tui.screens.workout import WorkoutScreen
from retro_tui.tui.widgets.big_text import BigText
from retro_tui.tui.widgets.clock_face import ClockFace

from .conftest import MakeHarness
from .helpers import advance

STARTER = (paths.bundled_plans_dir() / "starter.toml").read_text(encoding="utf-8")
BLOCKS = set("▀▄█")


def digit_rows(clock: ClockFace) -> int:
    """Rows of the clock that hold block digits (the bar's row holds none)."""
    width, height = clock.size
    lines = clock.render_lines(Region(0, 0, width, height))
    return sum(1 for line in lines if BLOCKS & set(line.text))


@pytest.mark.parametrize(
    ("size", "at_least"),
    # What the layout gives today, above the floors (11 and 7): a guard against
    # the digits shrinking back, at every size looked at.
    [((160, 45), 18), ((100, 30), 11), ((80, 24), 7), ((60, 20), 4)],
    ids=["160x45", "100x30", "80x24", "60x20"],
)
async def test_the_countdown_is_as_big_as_the_screen_allows(
    harness: MakeHarness, size: tuple[int, int], at_least: int
) -> None:
    h = harness(STARTER)
    async with h.app.run_test(size=size) as pilot:
        await pilot.pause()
        for seconds in (5, 19 * 60 - 5 + 10):  # in the run, then in the first interval
            await advance(pilot, h, seconds)
            screen = h.app.screen
            assert isinstance(screen, WorkoutScreen) and screen.layout_now is not None
            clock = screen.query_one("#clock", ClockFace)
            assert digit_rows(clock) >= at_least
            # Everything fits: the clock, then the Next line, inside the screen.
            assert clock.region.bottom <= size[1]
            assert screen.query_one("#next").region.bottom <= size[1] - 1
            banner = screen.query_one("#direction", BigText)
            assert banner.scale >= 1, "the direction in block letters at every size"
            assert banner.scale <= screen.layout_now.clock_scale


async def test_the_clock_keeps_its_size_from_step_to_step(harness: MakeHarness) -> None:
    h = harness(STARTER)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = h.app.screen
        assert isinstance(screen, WorkoutScreen)
        first = screen.layout_now
        await advance(pilot, h, 19 * 60 + 10)
        assert screen.layout_now == first


async def test_a_resize_draws_it_again_for_the_new_size(harness: MakeHarness) -> None:
    h = harness(STARTER)
    async with h.app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = h.app.screen
        assert isinstance(screen, WorkoutScreen) and screen.layout_now is not None
        small = screen.layout_now.clock_scale
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        assert screen.layout_now.clock_scale > small
        assert digit_rows(screen.query_one("#clock", ClockFace)) >= 11


@pytest.mark.parametrize("size", [(70, 15), (80, 14), (40, 12)], ids=["70x15", "80x14", "40x12"])
async def test_below_60x20_the_direction_still_shows(
    harness: MakeHarness, size: tuple[int, int]
) -> None:
    # A split pane is often 15 rows: the countdown may shrink to plain digits, but the
    # direction is never the part that goes.
    h = harness(STARTER)
    async with h.app.run_test(size=size) as pilot:
        await pilot.pause()
        await advance(pilot, h, 19 * 60 + 10)  # in the first backward interval
        screen = h.app.screen
        assert isinstance(screen, WorkoutScreen)
        banner = screen.query_one("#direction", BigText)
        assert banner.region.height >= 1 and banner.region.bottom <= size[1]
        shown = "".join(strip.text for strip in banner.render_lines(Region(0, 0, *banner.size)))
        assert "BACKWARD" in shown or BLOCKS & set(shown)
