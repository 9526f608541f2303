"""Ratings land on the interval the prompt names: the cases a person on the belt ran into.

Run on the bundled starter plan with the fake clock: a 3-minute build-up, a
15-minute run and a minute's walk (19 minutes), then three times 30 s backward and
90 s of walking, then a 4-minute cool-down.
"""

from __future__ import annotations

from textual.pilot import Pilot

from retro_tui import paths
from retro_tui.tui.screens.summary import SummaryScreen
from retro_tui.tui.screens.workout import WorkoutScreen

from .conftest import MakeHarness
from .helpers import advance, sessions, text_of

STARTER = (paths.bundled_plans_dir() / "starter.toml").read_text(encoding="utf-8")
TO_FIRST_INTERVAL_S = 19 * 60

NESTED = """
[plan]
name = "Sets"

[[step]]
name = "Set"
repeat = 2
  [[step.step]]
  repeat = 3
    [[step.step.step]]
    direction = "backward"
    duration = "20s"
    [[step.step.step]]
    kind = "recover"
    duration = "20s"

[[step]]
kind = "cooldown"
duration = "10s"
"""

SHORT_COOL_DOWN = """
[plan]
name = "Quick finish"

[[step]]
direction = "backward"
duration = "30s"

[[step]]
kind = "cooldown"
duration = "5s"
"""


def workout(pilot: Pilot[int]) -> WorkoutScreen:
    screen = pilot.app.screen
    assert isinstance(screen, WorkoutScreen) and screen.workout is not None
    return screen


async def test_a_digit_after_a_skipped_interval_says_so_and_rates_nothing(
    harness: MakeHarness,
) -> None:
    """Rate Backward 1, start Backward 2, n within 5 s, x in the recovery."""
    h = harness(STARTER)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, TO_FIRST_INTERVAL_S + 30)
        assert text_of(pilot, "#rating").startswith("How hard was Backward 1 of 3?")
        await pilot.press("4")
        await advance(pilot, h, 90)  # Backward 2 starts: the question about 1 ends
        assert text_of(pilot, "#title").startswith("Backward 2 of 3")
        assert text_of(pilot, "#rating") == ""
        await advance(pilot, h, 3)
        await pilot.press("n")  # skipped three seconds in
        await pilot.press("x")
        assert text_of(pilot, "#rating") == "Backward 2 of 3 skipped: not rated"
        runs = workout(pilot).workout.runs  # type: ignore[union-attr]
        assert [run.rpe for run in runs if run.step.is_backward] == [4, None]
        # ... and it goes when the word has been read.
        await advance(pilot, h, 5)
        assert text_of(pilot, "#rating") == ""


async def test_in_a_nested_plan_the_prompt_names_the_interval_that_just_ended(
    harness: MakeHarness,
) -> None:
    h = harness(NESTED)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for number in range(1, 4):
            await advance(pilot, h, 20)
            assert text_of(pilot, "#rating").startswith(f"How hard was Backward {number} of 6?")
            title = text_of(pilot, "#title")
            assert title.startswith(f"Set 1 of 2 · round {number} of 3 · Recovery {number} of 6")
            await advance(pilot, h, 20)
            assert text_of(pilot, "#rating") == ""  # the next one has started


async def test_a_digit_just_after_a_short_cool_down_rates_the_last_interval_named(
    harness: MakeHarness,
) -> None:
    h = harness(SHORT_COOL_DOWN)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 30 + 5)  # the five-second cool-down is over
        assert isinstance(h.app.screen, SummaryScreen)
        asked = text_of(pilot, "#session-rpe")
        assert "▶ How hard was Backward?" in asked
        await pilot.press("6")  # meant for the interval, and it goes to the interval
        assert "Ratings       6" in text_of(pilot, "#summary-done")
        assert "▶ How hard was the whole session?" in text_of(pilot, "#session-rpe")
        await pilot.press("3", "0", "enter")
        await h.app.workers.wait_for_complete()
    [session] = sessions(h.history)
    assert session["rpe"] == 3
    assert [step.get("rpe") for step in session["step"]] == [6, None]  # type: ignore[union-attr]


async def test_the_summary_asks_every_unrated_interval_by_name_before_the_effort(
    harness: MakeHarness,
) -> None:
    h = harness(STARTER)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, TO_FIRST_INTERVAL_S + 30)
        await pilot.press("5")  # Backward 1 rated on the belt; 2 and 3 left unrated
        await advance(pilot, h, 90 + 120 + 120 + 4 * 60)
        assert isinstance(h.app.screen, SummaryScreen)
        asked = text_of(pilot, "#session-rpe")
        assert "▶ How hard was Backward 2 of 3?" in asked
        assert "then Backward 3 of 3" in asked
        await pilot.press("6")
        asked = text_of(pilot, "#session-rpe")
        assert "▶ How hard was Backward 3 of 3?" in asked
        await pilot.press("e")  # straight to the effort, leaving 3 unrated
        assert "▶ How hard was the whole session?" in text_of(pilot, "#session-rpe")
        await pilot.press("i")  # ... and back to it
        assert "▶ How hard was Backward 3 of 3?" in text_of(pilot, "#session-rpe")
        await pilot.press("7", "4", "n", "enter")
        await h.app.workers.wait_for_complete()
    [session] = sessions(h.history)
    backward = [step for step in session["step"] if step["direction"] == "backward"]  # type: ignore[union-attr]
    assert [step["rpe"] for step in backward] == [5, 6, 7]
    assert session["rpe"] == 4 and session["pain"] == 0
