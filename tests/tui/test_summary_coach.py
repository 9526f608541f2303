"""The summary as a coach: the one change for next time, saving it as a plan, energy, athlete.

The suggestion follows the answers as they are given: low ratings suggest one
step up, pain never does. ``w`` writes the suggested plan as a new file that
the loader accepts, beside (never over) the user's plans.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from retro_tui import paths
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.loader import load_plan
from retro_tui.tui.screens.library import LibraryScreen
from retro_tui.tui.screens.summary import SummaryScreen

from .conftest import MakeHarness
from .helpers import advance, sessions, text_of

# A 1 min warm-up, two 30 s backward intervals with 40 s recoveries, a 1 min cool-down: 4:20.
BEGINNER = """\
[plan]
name = "Two short ones"
level = "beginner"

[[step]]
kind = "warmup"
duration = "1m"
speed = 3.0

[[step]]
repeat = 2
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 2.0
  target_rpe = 4
  [[step.step]]
  kind = "recover"
  duration = "40s"
  speed = 3.0

[[step]]
kind = "cooldown"
duration = "1m"
speed = 3.0
"""


async def test_easy_ratings_suggest_longer_intervals_and_w_saves_that_plan(
    harness: MakeHarness,
) -> None:
    h = harness(BEGINNER)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 95)  # into the first recovery, which asks about the interval
        await pilot.press("2")  # it felt easy
        await advance(pilot, h, 70)
        await pilot.press("2")
        await advance(pilot, h, 97)
        assert isinstance(h.app.screen, SummaryScreen)
        await pilot.press("3", "0")  # session effort 3, no pain
        shown = text_of(pilot, "#summary-next")
        assert "15 s longer" in shown and "w save it as a new plan" in shown
        await pilot.press("w")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        [written] = sorted(paths.user_plans_dir().glob("*.toml"))
        assert written.name == "short-next.toml"
        assert str(written) in text_of(pilot, "#summary-next")
        plan = load_plan(written)
        backward = [step.duration_s for step in plan.steps if step.is_backward_work]
        assert backward == [45, 45]  # one change: the intervals, nothing else
        assert lint_plan(plan) == []
        await pilot.press("w")  # once is enough: no second copy
        await h.app.workers.wait_for_complete()
        assert len(list(paths.user_plans_dir().glob("*.toml"))) == 1
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        [session] = sessions(h.history)
        assert session["suggestion"] == "longer"
        assert "15 s longer" in str(session["suggestion_text"])
        await pilot.press("enter")  # back to the plans, where the new plan is listed
        await pilot.pause()
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        library = h.app.screen
        assert isinstance(library, LibraryScreen)
        assert "short-next.toml" in [entry.path.name for entry in library.entries]


async def test_pain_never_suggests_progress_and_offers_no_plan(harness: MakeHarness) -> None:
    h = harness(BEGINNER)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 95)
        await pilot.press("1")
        await advance(pilot, h, 70)
        await pilot.press("1")
        await advance(pilot, h, 97)
        await pilot.press("2", "0")
        assert "15 s longer" in text_of(pilot, "#summary-next")  # easy, no pain: progress...
        await pilot.press("p", "2", "1")  # ...until a little knee pain is reported
        shown = text_of(pilot, "#summary-next")
        assert "15 s longer" not in shown and "repeat this plan as it is" in shown
        assert "save it as a new plan" not in shown
        await pilot.press("p", "6", "1")  # more pain: one step back, which can be saved
        shown = text_of(pilot, "#summary-next")
        assert "15 s longer" not in shown and "pain" in shown.lower()
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        [session] = sessions(h.history)
        assert session["pain"] == 6 and session["pain_where"] == "knee"
        assert session["suggestion"] in ("hold", "back")


async def test_energy_and_athlete_show_only_with_what_they_need(
    harness: MakeHarness, tmp_path: Path
) -> None:
    h = harness(BEGINNER, settings='\n[athlete]\nname = "Ana"\n\n[athletes]\n"Ana" = 60\n')
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 300)
        done = text_of(pilot, "#summary-done")
        assert "Athlete       Ana" in done
        assert "kcal (estimate)" in done
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
    [session] = sessions(h.history)
    assert session["athlete"] == "Ana"

    h = harness(BEGINNER, history=tmp_path / "other.toml")
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await advance(pilot, h, 300)
        done = text_of(pilot, "#summary-done")
        assert "kcal" not in done and "Athlete" not in done
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
    with (tmp_path / "other.toml").open("rb") as handle:
        assert "athlete" not in tomllib.load(handle)["session"][0]
