"""The history screen: newest first, filter, sort, details, and a damaged log shown honestly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from retro_tui.history.log import append_session
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord
from retro_tui.tui.dialogs.session_detail import SessionDetailDialog
from retro_tui.tui.screens.history import HistoryScreen
from retro_tui.tui.screens.library import LibraryScreen

from .conftest import MakeHarness

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((60, 20), id="60x20")]


def session(
    number: int, plan: str = "Retro starter", notes: str = "", rpe: int = 5
) -> SessionRecord:
    started = datetime(2026, 11, 1, 7, 0, tzinfo=UTC) + timedelta(days=number)
    return SessionRecord(
        id=f"20261101T0700{number:02d}-000{number % 10}",
        plan=plan,
        started=started,
        ended=started + timedelta(minutes=20),
        status=SessionStatus.ABORTED if number == 2 else SessionStatus.COMPLETED,
        steps=(
            StepRecord("Easy run", "warmup", "forward", 600, 600.0, speed=5.0, plan_step=1),
            StepRecord(
                "Backward", "work", "backward", 30, 30.0, speed=2.5, rpe=number % 10, plan_step=2
            ),
            StepRecord("Walk", "recover", "forward", 90, 40.0, skipped=True, plan_step=3),
        ),
        rpe=rpe,
        notes=notes,
        planned_intervals=1,
        athlete="Ana" if number == 1 else "",
    )


def three_sessions(log: Path) -> None:
    append_session(log, session(1, notes="left calf [tight]"))
    append_session(log, session(2, plan="Rehab backward walk", rpe=2))
    append_session(log, session(3, rpe=8))


def rows(pilot: Pilot[Any]) -> list[list[str]]:
    table = pilot.app.screen.query_one("#sessions", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def open_history(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("h")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_sessions_newest_first_with_figures(harness: MakeHarness) -> None:
    h = harness(run=False)
    three_sessions(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        assert isinstance(h.app.screen, HistoryScreen)
        table = rows(pilot)
        assert [row[0] for row in table] == [
            "2026-11-04 07:00",
            "2026-11-03 07:00",
            "2026-11-02 07:00",
        ]
        assert table[0][1:] == [
            "Retro starter",
            "11:10",
            "0:30",
            "1/1",
            "3.0",
            "8",
            "89",
            "completed",
        ]
        assert table[1][-1] == "aborted"


async def test_filter_sort_and_details(harness: MakeHarness) -> None:
    h = harness(run=False)
    three_sessions(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        await pilot.press("slash", *"calf")
        assert [row[0][:10] for row in rows(pilot)] == ["2026-11-02"]
        h.app.screen.query_one("#filter", Input).value = "rehab"
        await pilot.pause()
        assert [row[1] for row in rows(pilot)] == ["Rehab backward walk"]
        h.app.screen.query_one("#filter", Input).value = ""
        await pilot.press("escape")  # leaves the filter field, not the screen
        assert isinstance(h.app.screen, HistoryScreen)
        await pilot.press("s")  # by load, biggest first
        assert [row[7] for row in rows(pilot)] == ["89", "56", "22"]
        await pilot.press("r")
        assert [row[7] for row in rows(pilot)] == ["22", "56", "89"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(h.app.screen, SessionDetailDialog)
        body = h.app.screen.query_one("#session-detail-body", Static)
        assert h.app.screen.session.plan == "Rehab backward walk"
        assert body is not None
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(h.app.screen, LibraryScreen)


async def test_a_damaged_log_shows_what_it_can_and_says_where(harness: MakeHarness) -> None:
    h = harness(run=False)
    three_sessions(h.history)
    with h.history.open("a", encoding="utf-8") as handle:
        handle.write('\n[[session]]\nid = "broken"\nrpe = "high"\n')
    before = h.history.read_bytes()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        assert len(rows(pilot)) == 3
        banner = h.app.screen.query_one("#history-banner", Static)
        assert banner.display
        text = str(banner.content)
        assert "(history.toml) is damaged" in text and "lines 126-128: started:" in text
    assert h.history.read_bytes() == before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", ["empty", "three", "three-hundred", "damaged"])
def test_history_screen_snapshots(
    snap_compare: Any, harness: MakeHarness, size: tuple[int, int], kind: str
) -> None:
    h = harness(run=False)
    if kind in ("three", "damaged"):
        three_sessions(h.history)
    if kind == "damaged":
        with h.history.open("a", encoding="utf-8") as handle:
            handle.write('\n[[session]]\nid = "broken"\nrpe = "high"\n')
    if kind == "three-hundred":
        for number in range(300):
            append_session(h.history, session(number, notes=f"note {number}", rpe=number % 11))
    assert snap_compare(h.app, terminal_size=size, run_before=open_history)


def test_detail_snapshot(snap_compare: Any, harness: MakeHarness) -> None:
    h = harness(run=False)
    three_sessions(h.history)

    async def open_detail(pilot: Pilot[Any]) -> None:
        await open_history(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()

    assert snap_compare(h.app, terminal_size=(100, 30), run_before=open_detail)


async def test_t_opens_the_trends_of_what_was_read(harness: MakeHarness) -> None:
    from retro_tui.tui.screens.trends import TrendsScreen

    h = harness(run=False)
    three_sessions(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        await pilot.press("t")
        await pilot.pause()
        screen = h.app.screen
        assert isinstance(screen, TrendsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(h.app.screen, HistoryScreen)
