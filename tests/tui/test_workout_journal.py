"""The crash journal follows the workout to within seconds, and a failed save never traps.

The journal is what the next start recovers after a crash or a kill: here it is
read back as that recovery would read it, at moments a kill could come.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from textual.widgets import Input

from retro_tui.history.journal import journal_paths
from retro_tui.tui.screens.summary import SummaryScreen

from .conftest import Harness, MakeHarness
from .helpers import advance, text_of


def journal_of(h: Harness) -> dict[str, Any]:
    """The one journal of the app's workout, as written now."""
    assert h.app.journal.flush(), "the journal's thread did not catch up"
    [path] = journal_paths(h.history)
    [session] = tomllib.loads(path.read_text(encoding="utf-8"))["journal"]
    assert isinstance(session, dict)
    return session


async def seconds(pilot: Any, h: Harness, count: int) -> None:
    """``count`` seconds, one at a time, as the screen's own timer wakes it."""
    for _ in range(count):
        await advance(pilot, h, 1)


async def test_the_journal_is_there_from_the_first_second(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = journal_of(h)
        assert session["status"] == "recovered"
        assert session["plan"] == "Short [test] plan"
        assert session.get("step", []) == []  # nothing done yet, but the session is known


async def test_the_step_in_progress_is_kept_to_within_ten_seconds(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for elapsed in range(1, 40):
            await advance(pilot, h, 1)
            steps = journal_of(h).get("step", [])
            kept = steps[0]["actual_s"] if steps else 0.0
            assert elapsed - 10 < kept <= elapsed
            if steps:
                assert steps[0]["name"] == "Warm-up"
                assert steps[0]["skipped"] is True  # cut short, were the program killed now


async def test_a_rating_is_in_the_journal_at_once(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 70)
        await pilot.press("8")
        steps = journal_of(h)["step"]
        assert [step.get("rpe") for step in steps[:2]] == [None, 8]


async def test_every_answer_on_the_summary_is_in_the_journal(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 70)
        await pilot.press("5")
        await advance(pilot, h, 90 + 60 + 120)
        assert isinstance(h.app.screen, SummaryScreen)
        session = journal_of(h)
        assert session["status"] == "completed"  # as it ended: recovery keeps that
        await pilot.press("6")  # Backward 2, asked first
        assert journal_of(h)["step"][3]["rpe"] == 6
        await pilot.press("4")
        assert journal_of(h)["rpe"] == 4
        await pilot.press("3")
        assert journal_of(h)["pain"] == 3
        await pilot.press("2")
        assert journal_of(h)["pain_where"] == "calf"
        await pilot.press("tab")
        await pilot.press(*"tight")
        assert h.app.screen.query_one("#notes", Input).value == "tight"
        assert journal_of(h)["notes"] == "tight"


async def test_a_save_that_keeps_failing_lets_ctrl_q_quit_keeping_the_journal(
    harness: MakeHarness, tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the log's folder should be", encoding="utf-8")
    h = harness(history=blocker / "history.toml")  # the log can't be written, ever
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 70)
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(h.app.screen, SummaryScreen)
        await pilot.press("7", "5")  # Backward 1, then the session
        await pilot.press("ctrl+q")  # saves first, as always...
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        status = text_of(pilot, "#save-status")
        assert status.startswith("Not saved: ")
        assert "ctrl+q to quit: it will be added the next time retro-tui starts" in status
        assert h.app.is_running
        await pilot.press("ctrl+q")  # ...and the second time quits, keeping it
        await pilot.pause()
    assert h.app.return_code == 1
    # The journal went to the fallback folder (the log's own can't be written): the
    # next start finds it there and adds the session, with the effort given.
    [path] = journal_paths(h.history)
    [session] = tomllib.loads(path.read_text(encoding="utf-8"))["journal"]
    assert session["rpe"] == 5 and session["status"] == "ended early"
    assert session["step"][1]["rpe"] == 7
