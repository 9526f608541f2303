"""A warning before a session that would spike the load, as a person meets it in the library.

The history holds four weeks of short, hard sessions of the bundled Retro starter (2 minutes
at session RPE 8, a load of 16 a day). Doing the whole plan today (29 minutes, expected at
RPE 8 as its last runs were: 232) takes the 7:28 ratio to about 2: the preview says so, the
safety check says it again, and Enter still starts the workout. A history that builds
steadily gets no warning at all.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from retro_tui.history.log import append_session
from retro_tui.history.record import SessionStatus, StepRecord
from retro_tui.tui.dialogs.preflight import PreflightDialog
from retro_tui.tui.screens.workout import WorkoutScreen

from .conftest import WALL_START, MakeHarness
from .helpers import SnapCompare, highlight_titled, preview, session

STARTER = "Retro starter"


def seed_days(log: Path, days: int, minutes: float, rpe: int) -> None:
    """A session of ``minutes`` at ``rpe`` on each of the ``days`` days before today."""
    for back in range(days, 0, -1):
        started = WALL_START - timedelta(days=back)
        step = StepRecord("Backward", "work", "backward", 60, minutes * 60.0, plan_step=1)
        record = replace(
            session(1, plan=STARTER, rpe=rpe, athlete=""),
            id=f"{started:%Y%m%dT%H%M%S}-{back:04x}",
            started=started,
            ended=started + timedelta(minutes=minutes),
            status=SessionStatus.ENDED_EARLY,
            steps=(step,),
        )
        append_session(log, record)


async def test_a_spike_is_said_in_the_preview_and_the_safety_check(
    harness: MakeHarness, tmp_path: Path
) -> None:
    log = tmp_path / "history.toml"
    seed_days(log, 27, minutes=2, rpe=8)
    h = harness(run=False, preflight=True, history=log)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await highlight_titled(pilot, STARTER)
        shown = preview(pilot)
        assert "Load: Done as planned today, your 7:28 load ratio would be 2.0 rolling" in shown
        await pilot.press("enter")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, PreflightDialog)
        said = dialog.query_one("#preflight-load", Static).content
        assert "7:28 load ratio would be 2.0" in str(said)
        # Words only: the session starts as always.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, WorkoutScreen)


async def test_a_steady_history_gets_no_warning(harness: MakeHarness, tmp_path: Path) -> None:
    log = tmp_path / "history.toml"
    seed_days(log, 27, minutes=29, rpe=5)
    h = harness(run=False, preflight=True, history=log)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await highlight_titled(pilot, STARTER)
        assert "Load:" not in preview(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PreflightDialog)
        assert not pilot.app.screen.query("#preflight-load")


def test_the_safety_check_with_a_load_warning(
    snap_compare: SnapCompare, harness: MakeHarness, tmp_path: Path
) -> None:
    log = tmp_path / "history.toml"
    seed_days(log, 27, minutes=2, rpe=8)
    h = harness(run=False, preflight=True, history=log)

    async def run_before(pilot: Pilot[int]) -> None:
        await highlight_titled(pilot, STARTER)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(h.app, terminal_size=(100, 30), run_before=run_before)


async def test_a_programs_next_session_is_warned_about_too(
    harness: MakeHarness, tmp_path: Path
) -> None:
    # The block's first session (17:30), expected at its steps' target RPE (4): 70 today,
    # against 8 a day before.
    log = tmp_path / "history.toml"
    seed_days(log, 27, minutes=1, rpe=8)
    h = harness(run=False, preflight=True, history=log)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await highlight_titled(pilot, "Six-week backward block")
        shown = preview(pilot)
        assert "Next: week 1, session 1" in shown
        assert "Load: Done as planned today, your 7:28 load ratio would be" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PreflightDialog)
        assert pilot.app.screen.query("#preflight-load")
