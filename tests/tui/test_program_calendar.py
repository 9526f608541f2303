"""The program calendar, opened from the library with ``w`` on a highlighted program.

The history is ``seed_block``'s: Ana did week 1 sessions 1 and 2 of the six-week
block six and four days before the test's wall clock (Saturday 21 November
2026), and ended session 3 early two days before. Her run started on Sunday
15 November, so the calendar's weeks run Sunday to Saturday and today is the
last column; session 3 (Thursday) has gone by and is due today.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from retro_tui.tui.screens.library import LibraryScreen
from retro_tui.tui.screens.program_calendar import ProgramCalendarScreen

from .conftest import MakeHarness
from .helpers import (
    BLOCK,
    Notes,
    SnapCompare,
    as_athlete,
    highlight_titled,
    seed_block,
    settle,
    text_of,
)


def calendar_screen(pilot: Pilot[Any]) -> ProgramCalendarScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ProgramCalendarScreen), f"expected the calendar, not {screen!r}"
    return screen


async def test_w_opens_the_calendar_of_the_highlighted_program_and_escape_goes_back(
    harness: MakeHarness,
) -> None:
    h = harness(run=False, settings=as_athlete("Ana"))
    seed_block(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await highlight_titled(pilot, BLOCK)
        await pilot.press("w")
        await pilot.pause()
        calendar = calendar_screen(pilot).calendar
        assert calendar.athlete == "Ana"
        assert calendar.today.isoformat() == "2026-11-21"
        assert calendar.start.isoformat() == "2026-11-15"
        head = text_of(pilot, "#calendar-head")
        assert head.startswith(f"{BLOCK} · Ana\nRun from Sun 15 Nov 2026 · today Sat 21 Nov 2026")
        assert "Next: week 1, session 3 · Week 1.3" in head
        grid = text_of(pilot, "#calendar-grid")
        header = next(line for line in grid.splitlines() if line.strip().startswith("week"))
        assert header.split()[2:9] == ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "[Sat]"]
        week1 = next(line for line in grid.splitlines() if line.startswith("1 "))
        # Done Sunday and Tuesday; Thursday's ended early, so it is due today, and next.
        assert week1.split()[:5] == ["1", "15", "Nov", "✓1", "✓2"]
        assert "[▶·3]" in week1
        assert text_of(pilot, "#calendar-compliance").startswith("In all: 2/18 sessions, ")
        assert "✗ missed" in text_of(pilot, "#calendar-legend")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)


async def test_w_on_a_plan_says_to_highlight_a_program(
    harness: MakeHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(run=False)
    notes = Notes(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await highlight_titled(pilot, "Retro starter")
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert "Highlight a program (▦) to see its weeks on a calendar." in notes


async def test_a_program_restarted_in_the_library_shows_its_new_run(harness: MakeHarness) -> None:
    h = harness(run=False, settings=as_athlete("Ana"))
    seed_block(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await highlight_titled(pilot, BLOCK)
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        calendar = calendar_screen(pilot).calendar
        assert calendar.progress.is_new
        assert calendar.start == calendar.today
        assert calendar.total.done_sessions == 0
        assert "Not started yet: planned from Sat 21 Nov 2026" in text_of(pilot, "#calendar-head")


@pytest.mark.usefixtures("plans_shown_once_loaded")
def test_snapshot_of_the_calendar(snap_compare: SnapCompare, harness: MakeHarness) -> None:
    """Ana two sessions into the six-week block: ✓ ✓, then the late one due today (▶)."""
    h = harness(run=False, settings=as_athlete("Ana"))
    seed_block(h.history)

    async def open_calendar(pilot: Pilot[Any]) -> None:
        await highlight_titled(pilot, BLOCK)
        await pilot.press("w")
        await pilot.pause()
        calendar_screen(pilot)

    assert snap_compare(h.app, terminal_size=(100, 30), run_before=open_calendar)
