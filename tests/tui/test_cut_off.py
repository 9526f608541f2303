"""A workout cut off from outside is saved as ended early, with every step done.

That is what happens when the browser tab of ``retro-tui serve`` is closed
or loses its connection: textual-serve tells the app to quit, which Textual's
web driver turns into an ``ExitApp`` message, the same one a SIGTERM posts.
There is no summary to press Enter on, so the workout screen saves as the
app exits.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual import messages

from retro_tui.history.journal import journal_paths

from .conftest import MakeHarness
from .helpers import advance, sessions


async def test_quit_from_outside_saves_the_running_workout_as_aborted(
    harness: MakeHarness,
) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 50)  # the 40 s warm-up done, 10 s into the first backward step
        # What the web driver posts when textual-serve says "quit" (a tab closed).
        h.app.post_message(messages.ExitApp())
    [session] = sessions(h.history)
    assert session["status"] == "ended early"
    steps = session["step"]
    assert isinstance(steps, list)
    assert [(step["name"], step["actual_s"], step["skipped"]) for step in steps] == [
        ("Warm-up", 40.0, False),
        ("Backward", 10.0, True),
    ]
    assert not journal_paths(h.history), "the saved session's crash journal is removed"


async def test_a_paused_workout_cut_off_is_saved_too(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 45)
        await pilot.press("space")
        await advance(pilot, h, 300)  # paused time is not counted
    [session] = sessions(h.history)
    assert session["status"] == "ended early"
    steps = session["step"]
    assert isinstance(steps, list)
    assert [step["actual_s"] for step in steps] == [40.0, 5.0]


async def test_nothing_is_saved_when_cut_off_before_anything_was_done(
    harness: MakeHarness,
) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 0.5)
    assert not h.history.exists() or "[[session]]" not in h.history.read_text(encoding="utf-8")


async def test_when_the_log_cannot_be_written_the_journal_keeps_the_workout(
    harness: MakeHarness, tmp_path: Path, isolated_locations: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the history's folder should be\n", encoding="utf-8")
    h = harness(history=blocker / "history.toml")
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 50)
    [journal] = journal_paths(h.history)
    document = tomllib.loads(journal.read_text(encoding="utf-8"))
    [kept] = document["journal"]
    assert [step["actual_s"] for step in kept["step"]] == [40.0, 10.0]


async def test_a_summary_cut_off_before_enter_is_saved_with_its_answers(
    harness: MakeHarness,
) -> None:
    from retro_tui.tui.screens.summary import SummaryScreen

    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 70)
        await pilot.press("5")
        await advance(pilot, h, 90 + 60 + 120)
        assert isinstance(h.app.screen, SummaryScreen)
        await pilot.press("4")  # Backward 2, never rated in the workout, is asked first
        await pilot.press("6")  # then the session's effort, then the tab closes
        h.app.post_message(messages.ExitApp())
    [session] = sessions(h.history)
    assert session["status"] == "completed"
    assert session["rpe"] == 6
    assert [step.get("rpe") for step in session["step"]] == [None, 5, None, 4, None, None]
    assert not journal_paths(h.history), "the saved session's crash journal is removed"


async def test_a_summary_already_saved_is_not_saved_twice(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 70 + 90 + 60 + 120)
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        h.app.post_message(messages.ExitApp())
    assert len(sessions(h.history)) == 1
