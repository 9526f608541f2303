"""The workout as a person drives it: every key, the rating prompt, the summary and saving."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from retro_tui.tui.dialogs.confirm_end import ConfirmEndDialog
from retro_tui.tui.dialogs.preflight import PreflightDialog
from retro_tui.tui.screens.library import LibraryScreen
from retro_tui.tui.screens.summary import SummaryScreen
from retro_tui.tui.screens.workout import WorkoutScreen
from retro_tui.tui.widgets.big_text import BigText
from retro_tui.tui.widgets.clock_face import ClockFace

from .conftest import MakeHarness
from .helpers import advance, sessions, text_of


def clock_lines(pilot: Pilot[int]) -> str:
    """The plain lines under the target speed: units, incline, effort to aim for."""
    return "\n".join(pilot.app.screen.query_one("#clock", ClockFace).lines)


def countdown(pilot: Pilot[int]) -> str:
    return pilot.app.screen.query_one("#clock", ClockFace).countdown


def direction(pilot: Pilot[int]) -> str:
    return pilot.app.screen.query_one("#direction", BigText).text


async def test_library_preflight_and_start(harness: MakeHarness) -> None:
    h = harness(run=False, preflight=True)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(h.app.screen, LibraryScreen)
        plans = h.app.screen.query_one(OptionList)
        names = [str(plans.get_option_at_index(i).prompt) for i in range(plans.option_count)]
        starter = next(i for i, name in enumerate(names) if "Retro starter" in name)
        plans.highlighted = starter
        await pilot.pause()
        assert "Retro starter" in text_of(pilot, "#preview")
        assert "backward interval" in text_of(pilot, "#preview")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(h.app.screen, PreflightDialog)
        assert "stop clip" in text_of(pilot, "#preflight-checks")
        await pilot.press("escape")  # back out: nothing starts
        await pilot.pause()
        assert isinstance(h.app.screen, LibraryScreen)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(h.app.screen, WorkoutScreen)
        assert h.app.screen.plan.name == "Retro starter"


async def test_countdown_direction_targets_and_next(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(h.app.screen, WorkoutScreen)
        assert countdown(pilot) == "0:40"
        assert direction(pilot) == "FORWARD"
        assert text_of(pilot, "#title").startswith("Warm-up")
        assert "mph" in clock_lines(pilot)
        assert h.app.screen.query_one("#clock", ClockFace).speed == "3.0"
        assert text_of(pilot, "#next") == (
            "Next: Backward 0:30 at 2.0 mph, 1 % incline: "
            "turn around · speed 3.0 → 2.0 mph · incline 0 % → 1 %"
        )
        assert "0 % incline" in clock_lines(pilot)  # the plan uses incline elsewhere
        await advance(pilot, h, 12.5)
        assert countdown(pilot) == "0:28"
        await advance(pilot, h, 20)
        assert text_of(pilot, "#next").startswith("Get ready: Backward 0:30 at 2.0 mph")
        await advance(pilot, h, 8)
        assert direction(pilot) == "BACKWARD"
        assert text_of(pilot, "#title") == "Backward 1 of 2 · step 2 of 6"
        assert "1 % incline" in clock_lines(pilot)
        assert text_of(pilot, "#next") == (
            "Next: Recovery 1:00 at 3.0 mph, 0 % incline: "
            "turn around · speed 2.0 → 3.0 mph · incline 1 % → 0 %"
        )


async def test_plan_text_is_shown_literally_never_as_markup(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert text_of(pilot, "#cue") == "Arms [relaxed] [/] [bold]"
        await advance(pilot, h, 40)
        assert text_of(pilot, "#cue") == "Eyes on [red]the mark[/red]"
        await advance(pilot, h, 10)
        assert text_of(pilot, "#cue") == "Halfway [/]"


async def test_bells_at_three_two_one_and_at_each_change(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        start = h.clock.now
        h.bells.clear()
        for _ in range(45):
            await advance(pilot, h, 1)
        assert [round(t - start) for t in h.bells] == [37, 38, 39, 40]


async def test_no_bells_when_sound_is_off(harness: MakeHarness) -> None:
    h = harness(sound="off")
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(45):
            await advance(pilot, h, 1)
        assert h.bells == []


async def test_flash_at_every_change(harness: MakeHarness) -> None:
    h = harness(flash=True)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 40)
        assert h.app.screen.query_one("#direction").has_class("-flash")
        assert h.app.screen.query_one("#clock").has_class("-flash")


async def test_pause_stops_the_clock_and_says_so(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 5)
        await pilot.press("space")
        assert direction(pilot) == "PAUSED"
        assert "Paused" in text_of(pilot, "#cue")
        frozen = countdown(pilot)
        await advance(pilot, h, 60)
        assert countdown(pilot) == frozen == "0:35"
        await pilot.press("space")
        assert direction(pilot) == "FORWARD"
        await advance(pilot, h, 5)
        assert countdown(pilot) == "0:30"


async def test_skip_back_and_adjust_time(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert direction(pilot) == "BACKWARD"
        assert countdown(pilot) == "0:30"
        await pilot.press("b")
        assert text_of(pilot, "#title").startswith("Warm-up")
        assert countdown(pilot) == "0:40"
        await pilot.press("plus")
        assert countdown(pilot) == "0:50"
        await pilot.press("minus")
        await pilot.press("minus")
        assert countdown(pilot) == "0:30"
        screen = h.app.screen
        assert isinstance(screen, WorkoutScreen) and screen.workout is not None
        assert [(run.index, run.skipped) for run in screen.workout.runs] == []


async def test_rating_prompt_after_backward_step_without_stopping_the_clock(
    harness: MakeHarness,
) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("7")  # nothing to rate yet: it says so, and rates nothing
        assert text_of(pilot, "#rating").startswith("Nothing to rate now")
        await advance(pilot, h, 70)
        prompt = text_of(pilot, "#rating")
        assert prompt.startswith("How hard was Backward 1 of 2? 0-9, x = 10")
        assert "5 hard" in prompt and "10 maximal" in prompt
        await pilot.press("6")
        assert text_of(pilot, "#rating").startswith("Backward 1 of 2: you rated it 6 harder")
        await pilot.press("x")
        assert text_of(pilot, "#rating").startswith("Backward 1 of 2: you rated it 10 maximal")
        await advance(pilot, h, 3)
        assert countdown(pilot) == "0:57"  # the clock never stopped
        screen = h.app.screen
        assert isinstance(screen, WorkoutScreen) and screen.workout is not None
        assert [run.rpe for run in screen.workout.runs] == [None, 10]


async def test_full_workout_summary_rating_notes_and_save(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 70)
        await pilot.press("5")
        await advance(pilot, h, 90)
        await pilot.press("7")
        await advance(pilot, h, 60 + 120)
        assert isinstance(h.app.screen, SummaryScreen)
        assert text_of(pilot, "#summary-title") == "Workout complete"
        done = text_of(pilot, "#summary-done")
        assert "1:00 in 2 of 2 backward intervals" in done
        assert "5 · 7" in done
        await pilot.press("6")
        assert "whole session? 6 harder" in text_of(pilot, "#session-rpe")
        assert "▶ Any pain?" in text_of(pilot, "#session-rpe")  # the next question
        await pilot.press("3")  # pain 3 out of 10...
        assert "Where?" in text_of(pilot, "#session-rpe")
        await pilot.press("2")  # ...in the calf
        assert "Any pain? pain 3/10, calf" in text_of(pilot, "#session-rpe")
        await pilot.press("tab")
        await pilot.press(*"calf [tight]")
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        assert text_of(pilot, "#save-status").startswith(f"Saved to {h.history}")
        [session] = sessions(h.history)
        assert session["status"] == "completed"
        assert session["rpe"] == 6
        assert session["notes"] == "calf [tight]"
        assert (session["pain"], session["pain_where"]) == (3, "calf")
        assert session["started"].isoformat() == "2026-11-21T07:02:11+01:00"  # type: ignore[attr-defined]
        steps = session["step"]
        assert isinstance(steps, list)
        assert [step.get("rpe") for step in steps] == [None, 5, None, 7, None, None]
        assert [step["actual_s"] for step in steps] == [40.0, 30.0, 60.0, 30.0, 60.0, 120.0]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(h.app.screen, LibraryScreen)
        assert not list(h.history.parent.glob(".history.journal-*"))


async def test_end_early_asks_first_and_saves_as_aborted(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 50)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(h.app.screen, ConfirmEndDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(h.app.screen, WorkoutScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(h.app.screen, SummaryScreen)
        assert text_of(pilot, "#summary-title") == "Workout ended early"
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        [session] = sessions(h.history)
        assert session["status"] == "ended early"
        steps = session["step"]
        assert isinstance(steps, list)
        assert [(s["name"], s["actual_s"], s["skipped"]) for s in steps] == [
            ("Warm-up", 40.0, False),
            ("Backward", 10.0, True),
        ]


async def test_a_failed_save_keeps_the_session_and_retries(
    harness: MakeHarness, tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the log's folder should be", encoding="utf-8")
    h = harness(history=blocker / "history.toml")  # every write fails
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        status = text_of(pilot, "#save-status")
        assert status.startswith("Not saved: ")
        assert "press Enter to try again" in status
        blocker.unlink()
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        assert text_of(pilot, "#save-status").startswith("Saved to ")
        assert len(sessions(h.history)) == 1


async def test_a_damaged_log_is_left_alone_and_the_rescue_file_named(
    harness: MakeHarness,
) -> None:
    h = harness()
    h.history.write_text("[[session]]\nid = \n", encoding="utf-8")
    before = h.history.read_bytes()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        status = text_of(pilot, "#save-status")
        assert f"{h.history}:2:" in status
        rescue = h.history.with_name("history.rescue.toml")
        assert f"Saved to the rescue file {rescue}" in status.replace("\n", " ")
        assert h.history.read_bytes() == before
        assert len(sessions(rescue)) == 1


async def test_notes_field_takes_digits_as_text(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("tab", "1", "0", "k")
        notes = h.app.screen.query_one("#notes", Input)
        assert notes.value == "10k"
        assert "0-9" in text_of(pilot, "#session-rpe")  # no session rating was set


ENDS_BACKWARD = """\
[plan]
name = "Ends backward"

[[step]]
kind = "warmup"
duration = "20s"

[[step]]
direction = "backward"
duration = "30s"
"""


async def test_the_summary_asks_for_a_last_interval_never_asked_about(
    harness: MakeHarness,
) -> None:
    h = harness(ENDS_BACKWARD)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 50)
        assert isinstance(h.app.screen, SummaryScreen)
        assert text_of(pilot, "#session-rpe").startswith("▶ How hard was Backward?")
        await pilot.press("4")
        assert "▶ How hard was the whole session?" in text_of(pilot, "#session-rpe")
        await pilot.press("7")
        await pilot.press("n")  # no pain: one key
        assert "Any pain? no pain" in text_of(pilot, "#session-rpe")
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        [session] = sessions(h.history)
        assert session["rpe"] == 7
        steps = session["step"]
        assert isinstance(steps, list)
        assert [step.get("rpe") for step in steps] == [None, 4]
        assert session["pain"] == 0 and "pain_where" not in session


async def test_effort_and_pain_can_be_answered_again(harness: MakeHarness) -> None:
    h = harness(ENDS_BACKWARD)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 50)
        await pilot.press("4", "5", "0")
        assert "no pain" in text_of(pilot, "#session-rpe")
        await pilot.press("p", "6", "1")
        assert "pain 6/10, knee" in text_of(pilot, "#session-rpe")
        await pilot.press("e", "3")
        assert "whole session? 3 moderate" in text_of(pilot, "#session-rpe")
        assert "pain 6/10, knee" in text_of(pilot, "#session-rpe")  # kept
        await pilot.press("5")  # no question open: a digit changes nothing
        assert "whole session? 3 moderate" in text_of(pilot, "#session-rpe")
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        [session] = sessions(h.history)
        assert (session["rpe"], session["pain"], session["pain_where"]) == (3, 6, "knee")


async def test_ctrl_q_mid_workout_asks_first_and_space_there_pauses(
    harness: MakeHarness,
) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 5)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(h.app.screen, ConfirmEndDialog)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(h.app.screen, WorkoutScreen)
        assert direction(pilot) == "PAUSED"


async def test_ctrl_q_on_the_summary_saves_before_quitting(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("3", "ctrl+q")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
    [session] = sessions(h.history)
    assert session["rpe"] == 3
    assert session["status"] == "ended early"


async def test_a_digit_just_after_an_interval_rates_that_interval_never_an_older_one(
    harness: MakeHarness,
) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 70)
        await pilot.press("5")
        await advance(pilot, h, 60)  # Backward 2 starts: the question about Backward 1 ends
        assert text_of(pilot, "#rating") == ""
        await advance(pilot, h, 29.9)  # the second interval ends in 0.1 s
        h.clock.advance(0.2)  # ...and ends before the screen has redrawn
        await pilot.press("8")
        screen = h.app.screen
        assert isinstance(screen, WorkoutScreen) and screen.workout is not None
        assert [run.rpe for run in screen.workout.runs] == [None, 5, None, 8]
        assert text_of(pilot, "#rating").startswith("Backward 2 of 2: you rated it 8")


async def test_a_log_that_cannot_be_written_is_left_alone_for_a_rescue_file(
    harness: MakeHarness,
) -> None:
    h = harness()
    h.history.mkdir()  # a folder where the log should be
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        status = text_of(pilot, "#save-status").replace("\n", " ")
        assert "can't be used" in status
        rescue = h.history.with_name("history.rescue.toml")
        assert f"Saved to the rescue file {rescue}" in status
        assert len(sessions(rescue)) == 1
