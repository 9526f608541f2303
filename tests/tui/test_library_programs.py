"""Multi-week programs in the plan library, and who is training, as a person drives them.

What this proves, on a history log seeded with program sessions:

- a program's label and the status line at the top follow the athlete: the
  same log reads "week 1, session 3" for Ana and "week 1, session 2" for
  nobody in particular, because each only counts their own sessions;
- ``p`` and Enter start the next session's plan, and the session saved from it
  carries the program slot with the same run id; a completed session moves
  "next" on as soon as the library shows again;
- ``R`` starts a program again from week 1 with a new run id, and once a
  session of that run is saved the earlier run no longer counts;
- a finished program says it is complete and Enter starts nothing;
- ``a`` picks an athlete from the list or takes a new name and body mass,
  writes both to config.toml, and stamps the sessions saved afterwards;
  "Nobody in particular" clears it; a config.toml that can't be parsed is
  left exactly as it was and the person is warned.

The bundled six-week block is used where only the labels matter; sessions
that must run to the end use a tiny program of 20-second sessions written to
a temp folder and listed with ``extra``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from retro_tui.history.log import append_session
from retro_tui.history.record import ProgramSlot
from retro_tui.plan.catalog import ProgramEntry
from retro_tui.tui.dialogs.athlete import AthleteDialog
from retro_tui.tui.dialogs.preflight import PreflightDialog
from retro_tui.tui.screens.library import LibraryScreen
from retro_tui.tui.screens.summary import SummaryScreen
from retro_tui.tui.screens.workout import WorkoutScreen

from .conftest import Harness, MakeHarness
from .helpers import (
    ANA_RUN,
    BLOCK,
    BLOCK_FILE,
    Notes,
    advance,
    as_athlete,
    library,
    preview,
    program_session,
    seed_block,
    sessions,
    settle,
    text_of,
)

TINY = "Tiny block"
TINY_FILE = "tiny-block.toml"
TINY_SESSION_S = 20.0


def tiny_session(name: str) -> str:
    """One inline session of ten seconds forward and ten backward."""
    return f"""
  [[week.session]]
  [week.session.plan]
  name = "{name}"

  [[week.session.step]]
  kind = "warmup"
  duration = "10s"
  speed = 3.0

  [[week.session.step]]
  direction = "backward"
  duration = "10s"
  speed = 2.0
"""


TINY_PROGRAM = (
    f'[program]\nname = "{TINY}"\nunits = "mph"\n\n[[week]]\n'
    + tiny_session("Tiny 1.1")
    + tiny_session("Tiny 1.2")
    + "\n[[week]]\n"
    + tiny_session("Tiny 2.1")
)
"""Two weeks: two sessions in the first, one in the second."""


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / TINY_FILE).write_text(TINY_PROGRAM, encoding="utf-8")
    return folder


def program_index(pilot: Pilot[int], name: str) -> int:
    entries = library(pilot).entries
    return next(
        index
        for index, entry in enumerate(entries)
        if isinstance(entry, ProgramEntry) and entry.program and entry.program.name == name
    )


def label_of(pilot: Pilot[int], name: str) -> str:
    """The library's two-line label of the program called ``name``."""
    plans = library(pilot).query_one("#plans", OptionList)
    return str(plans.get_option_at_index(program_index(pilot, name)).prompt)


async def highlight_program(pilot: Pilot[int], name: str) -> None:
    plans = library(pilot).query_one("#plans", OptionList)
    plans.highlighted = program_index(pilot, name)
    await pilot.pause()


def status_line(pilot: Pilot[int]) -> str:
    return text_of(pilot, "#library-status")


def workout(pilot: Pilot[int]) -> WorkoutScreen:
    screen = pilot.app.screen
    assert isinstance(screen, WorkoutScreen), f"expected the workout, not {screen!r}"
    return screen


async def end_early_and_save(pilot: Pilot[int]) -> None:
    """q, y, Enter on the summary: the session is saved as aborted; then back to the library."""
    await pilot.press("q")
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()
    await save_and_return(pilot)


async def finish_and_save(pilot: Pilot[int], h: Harness) -> None:
    """Run a tiny session to its end, save it, and go back to the library."""
    await advance(pilot, h, TINY_SESSION_S)
    assert isinstance(pilot.app.screen, SummaryScreen)
    assert text_of(pilot, "#summary-title") == "Workout complete"
    await save_and_return(pilot)


async def save_and_return(pilot: Pilot[int]) -> None:
    assert isinstance(pilot.app.screen, SummaryScreen)
    await pilot.press("enter")
    await settle(pilot)
    assert text_of(pilot, "#save-status").startswith("Saved to ")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LibraryScreen)


# -- progress, the label and the status line -----------------------------------------------


@pytest.mark.parametrize(
    ("athlete", "label", "status"),
    [
        pytest.param(
            "Ana",
            "next: week 1, session 3 · 2/18",
            f"a Athlete: Ana   p {BLOCK}: week 1, session 3",
            id="Ana",
        ),
        pytest.param(
            "",
            "next: week 1, session 2 · 1/18",
            f"a Athlete: nobody in particular   p {BLOCK}: week 1, session 2",
            id="nobody",
        ),
        pytest.param("Bo", "6 weeks · 18 sessions", "a Athlete: Bo", id="new-athlete"),
    ],
)
async def test_label_and_status_line_count_only_the_athletes_own_sessions(
    harness: MakeHarness, athlete: str, label: str, status: str
) -> None:
    h = harness(run=False, settings=as_athlete(athlete) if athlete else "")
    seed_block(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert label_of(pilot, BLOCK) == f"▦ {BLOCK}\n{label}"
        assert status_line(pilot) == status
        # Programs come before the plans.
        assert isinstance(library(pilot).entries[0], ProgramEntry)


async def test_the_preview_ticks_off_done_sessions_and_marks_the_next(
    harness: MakeHarness,
) -> None:
    h = harness(run=False, settings=as_athlete("Ana"))
    seed_block(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight_program(pilot, BLOCK)
        shown = preview(pilot)
        assert "2 of 18 sessions done" in shown
        assert "Next: week 1, session 3 · Week 1.3: four 45-second bouts at 2.5 mph" in shown
        assert re.search(r"✓ +1\. Week 1\.1", shown)
        assert re.search(r"✓ +2\. Week 1\.2", shown)
        assert re.search(r"▶ +3\. Week 1\.3", shown), "aborted: still to do"
        assert "Enter start the next session" in shown


# -- starting sessions -------------------------------------------------------------------


async def test_p_starts_the_next_session_and_the_saved_session_carries_the_run(
    harness: MakeHarness,
) -> None:
    h = harness(run=False, settings=as_athlete("Ana"))
    seed_block(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        screen = workout(pilot)
        assert screen.plan.name == "Week 1.3: four 45-second bouts at 2.5 mph"
        assert screen.program == ProgramSlot(BLOCK, 1, 3, run=ANA_RUN, file=BLOCK_FILE)
        await advance(pilot, h, 30)
        await end_early_and_save(pilot)
        # Aborted again: session 3 is still next.
        assert status_line(pilot) == f"a Athlete: Ana   p {BLOCK}: week 1, session 3"
    saved = sessions(h.history)[-1]
    assert saved["status"] == "ended early"
    assert saved["athlete"] == "Ana"
    assert saved["plan"] == "Week 1.3: four 45-second bouts at 2.5 mph"
    assert (saved["program"], saved["program_week"], saved["program_session"]) == (BLOCK, 1, 3)
    assert saved["program_run"] == ANA_RUN
    assert saved["program_file"] == BLOCK_FILE


async def test_enter_on_a_program_goes_through_the_safety_check(harness: MakeHarness) -> None:
    h = harness(run=False, preflight=True, settings=as_athlete("Ana"))
    seed_block(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight_program(pilot, BLOCK)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(h.app.screen, PreflightDialog)
        await pilot.press("escape")  # backing out starts nothing
        await pilot.pause()
        assert isinstance(h.app.screen, LibraryScreen)
        await pilot.press("p")  # p takes the same way
        await pilot.pause()
        assert isinstance(h.app.screen, PreflightDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert workout(pilot).plan.name == "Week 1.3: four 45-second bouts at 2.5 mph"


async def test_p_without_a_program_started_says_how_to_start_one(
    harness: MakeHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(run=False)
    notes = Notes(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert status_line(pilot) == "a Athlete: nobody in particular"
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(h.app.screen, LibraryScreen)
        assert "No program started yet: highlight one (▦) and press Enter." in notes


async def test_completed_sessions_move_next_on_within_one_run(
    harness: MakeHarness, tiny_folder: Path
) -> None:
    h = harness(run=False, extra=(tiny_folder,), settings=as_athlete("Ana"))
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert label_of(pilot, TINY) == f"▦ {TINY}\n2 weeks · 3 sessions"
        await highlight_program(pilot, TINY)
        await pilot.press("enter")
        await pilot.pause()
        assert workout(pilot).plan.name == "Tiny 1.1"
        await finish_and_save(pilot, h)
        assert label_of(pilot, TINY) == f"▦ {TINY}\nnext: week 1, session 2 · 1/3"
        assert status_line(pilot) == f"a Athlete: Ana   p {TINY}: week 1, session 2"

        await pilot.press("p")
        await pilot.pause()
        assert workout(pilot).plan.name == "Tiny 1.2"
        await finish_and_save(pilot, h)
        assert label_of(pilot, TINY) == f"▦ {TINY}\nnext: week 2, session 1 · 2/3"
        assert status_line(pilot) == f"a Athlete: Ana   p {TINY}: week 2, session 1"
    first, second = sessions(h.history)
    for saved, number in ((first, 1), (second, 2)):
        assert saved["status"] == "completed"
        assert saved["athlete"] == "Ana"
        assert (saved["program"], saved["program_week"], saved["program_session"]) == (
            TINY,
            1,
            number,
        )
        assert saved["program_file"] == TINY_FILE
    assert first["program_run"], "a new run gets an id"
    assert second["program_run"] == first["program_run"]


# -- restarting and finishing ------------------------------------------------------------


async def test_restart_begins_a_new_run_that_replaces_the_old_once_saved(
    harness: MakeHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(run=False, settings=as_athlete("Ana"))
    seed_block(h.history)
    notes = Notes(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight_program(pilot, BLOCK)
        await pilot.press("R")
        await pilot.pause()
        assert f"{BLOCK}: starting again from week 1." in notes
        assert status_line(pilot) == f"a Athlete: Ana   p {BLOCK}: week 1, session 1"
        shown = preview(pilot)
        assert "0 of 18 sessions done" in shown
        assert "Next: week 1, session 1" in shown
        assert "✓" not in shown

        await pilot.press("p")
        await pilot.pause()
        screen = workout(pilot)
        assert screen.plan.name == "Week 1.1: three 30-second bouts at 2.5 mph"
        assert screen.program is not None
        new_run = screen.program.run
        assert new_run and new_run != ANA_RUN
        assert (screen.program.week, screen.program.session) == (1, 1)
        await advance(pilot, h, 30)
        await end_early_and_save(pilot)
        # Only the new run counts now, and it has nothing done yet.
        assert label_of(pilot, BLOCK) == f"▦ {BLOCK}\nnext: week 1, session 1 · 0/18"
        assert status_line(pilot) == f"a Athlete: Ana   p {BLOCK}: week 1, session 1"
    saved = sessions(h.history)[-1]
    assert saved["program_run"] == new_run
    assert (saved["program_week"], saved["program_session"]) == (1, 1)


async def test_after_a_restart_the_program_run_last_is_the_active_one(
    harness: MakeHarness, tiny_folder: Path
) -> None:
    h = harness(run=False, extra=(tiny_folder,), settings=as_athlete("Ana"))
    seed_block(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight_program(pilot, BLOCK)
        await pilot.press("R", "p")
        await pilot.pause()
        await end_early_and_save(pilot)
        assert status_line(pilot) == f"a Athlete: Ana   p {BLOCK}: week 1, session 1"
        await highlight_program(pilot, TINY)
        await pilot.press("enter")
        await pilot.pause()
        await finish_and_save(pilot, h)
        # The restart no longer holds the status line: the tiny program ran last.
        assert status_line(pilot) == f"a Athlete: Ana   p {TINY}: week 1, session 2"
        await pilot.press("p")
        await pilot.pause()
        assert workout(pilot).plan.name == "Tiny 1.2"


async def test_r_on_a_plan_says_to_highlight_a_program(
    harness: MakeHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(run=False)
    notes = Notes(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        plans = library(pilot).query_one("#plans", OptionList)
        plans.highlighted = plans.option_count - 1  # the last plan
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert "Highlight a program (▦) to start it again." in notes
        assert library(pilot).restarted == {}


async def test_a_finished_program_says_complete_and_enter_starts_nothing(
    harness: MakeHarness, tiny_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(run=False, extra=(tiny_folder,))
    for days_ago, (week, number) in zip((5, 3, 1), ((1, 1), (1, 2), (2, 1)), strict=True):
        append_session(
            h.history,
            program_session(TINY, week, number, run="done", days_ago=days_ago, file=TINY_FILE),
        )
    notes = Notes(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert label_of(pilot, TINY) == f"▦ {TINY}\ncomplete · 3/3"
        assert status_line(pilot) == f"a Athlete: nobody in particular   p {TINY} complete"
        await highlight_program(pilot, TINY)
        shown = preview(pilot)
        assert "Program complete" in shown
        assert "Enter start the next session" not in shown
        assert "R start again from week 1" in shown
        for key in ("enter", "p"):
            notes.shown.clear()
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(h.app.screen, LibraryScreen), f"{key} started a workout"
            assert f"{TINY} is complete." in notes
            assert "Press R to start it again from week 1." in notes

        await pilot.press("R")
        await pilot.pause()
        assert status_line(pilot).endswith(f"p {TINY}: week 1, session 1")
        await pilot.press("enter")
        await pilot.pause()
        screen = workout(pilot)
        assert screen.plan.name == "Tiny 1.1"
        assert screen.program is not None and screen.program.run not in ("", "done")
        await finish_and_save(pilot, h)
        assert label_of(pilot, TINY) == f"▦ {TINY}\nnext: week 1, session 2 · 1/3"


# -- who is training ---------------------------------------------------------------------


async def athlete_dialog(pilot: Pilot[int]) -> AthleteDialog:
    await pilot.press("a")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, AthleteDialog)
    return dialog


async def test_a_new_athlete_and_body_mass_are_remembered_and_stamped_on_sessions(
    harness: MakeHarness, tiny_folder: Path, tmp_path: Path
) -> None:
    h = harness(run=False, extra=(tiny_folder,))
    config = tmp_path / "config.toml"
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await athlete_dialog(pilot)
        await pilot.press("tab", *"Bo", "tab", *"71,5 kg", "enter")
        await settle(pilot)
        assert isinstance(h.app.screen, LibraryScreen)
        assert status_line(pilot) == "a Athlete: Bo"
        written = tomllib.loads(config.read_text(encoding="utf-8"))
        assert written["athlete"] == {"name": "Bo"}
        assert written["athletes"] == {"Bo": 71.5}
        assert written["workout"]["preflight"] is False, "the other settings are kept"

        await highlight_program(pilot, TINY)
        await pilot.press("enter")
        await pilot.pause()
        await advance(pilot, h, TINY_SESSION_S)
        assert isinstance(h.app.screen, SummaryScreen)
        done = text_of(pilot, "#summary-done")
        assert "Athlete       Bo" in done
        assert f"Program       {TINY}, week 1, session 1" in done
        assert "Energy" in done, "a body mass is known, so an estimate is shown"
        await save_and_return(pilot)
        assert status_line(pilot) == f"a Athlete: Bo   p {TINY}: week 1, session 2"
    [saved] = sessions(h.history)
    assert saved["athlete"] == "Bo"


async def test_picking_from_the_list_and_then_nobody_in_particular(
    harness: MakeHarness, tmp_path: Path
) -> None:
    h = harness(run=False)
    seed_block(h.history)  # Ana is known from the history alone
    config = tmp_path / "config.toml"
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog = await athlete_dialog(pilot)
        assert dialog.athletes == ["Nobody in particular", "Ana"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert status_line(pilot) == f"a Athlete: Ana   p {BLOCK}: week 1, session 3"
        assert label_of(pilot, BLOCK) == f"▦ {BLOCK}\nnext: week 1, session 3 · 2/18"
        assert tomllib.loads(config.read_text(encoding="utf-8"))["athlete"] == {"name": "Ana"}

        dialog = await athlete_dialog(pilot)
        listing = dialog.query_one("#athlete-list", OptionList)
        assert listing.highlighted == 1, "the current athlete is highlighted"
        await pilot.press("up", "enter")
        await settle(pilot)
        assert status_line(pilot) == (
            f"a Athlete: nobody in particular   p {BLOCK}: week 1, session 2"
        )
        assert label_of(pilot, BLOCK) == f"▦ {BLOCK}\nnext: week 1, session 2 · 1/18"
        written = tomllib.loads(config.read_text(encoding="utf-8"))
        assert "name" not in written.get("athlete", {})

        await athlete_dialog(pilot)
        await pilot.press("escape")  # Esc changes nothing
        await pilot.pause()
        assert isinstance(h.app.screen, LibraryScreen)
        assert h.app.athlete == ""


async def test_the_dialog_asks_again_for_a_missing_name_or_an_odd_mass(
    harness: MakeHarness, tmp_path: Path
) -> None:
    h = harness(run=False)
    config = tmp_path / "config.toml"
    before = config.read_bytes()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await athlete_dialog(pilot)
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(h.app.screen, AthleteDialog)
        assert text_of(pilot, "#athlete-error").startswith("Type a name")
        await pilot.press(*"Cy", "tab", *"heavy", "enter")
        await pilot.pause()
        assert isinstance(h.app.screen, AthleteDialog)
        assert text_of(pilot, "#athlete-error").startswith("Body mass: a number of kilograms")
        assert config.read_bytes() == before


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param("[workout\npreflight = false\n", id="toml-syntax"),
        pytest.param("[athlete]\nname = 3\n[athlete]\n", id="table-twice"),
    ],
)
async def test_a_config_that_does_not_parse_is_left_alone_with_a_warning(
    harness: MakeHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    h = harness(run=False)
    config = tmp_path / "config.toml"
    config.write_text(broken, encoding="utf-8")  # broken after the app read it
    before = config.read_bytes()
    notes = Notes(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await athlete_dialog(pilot)
        await pilot.press("tab", *"Cy", "enter")
        await settle(pilot)
        assert isinstance(h.app.screen, LibraryScreen)
        problem = "The athlete is set for now but not remembered"
        assert notes.severity_of(problem) == "warning"
        assert "Fix the file first; nothing was changed." in notes
        assert status_line(pilot) == "a Athlete: Cy", "the choice still holds while the app runs"
    assert config.read_bytes() == before
    assert list(tmp_path.glob(".config.toml.*")) == [], "no temporary file is left behind"


async def test_a_config_that_cannot_be_written_is_reported(
    harness: MakeHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(run=False)
    config = tmp_path / "config.toml"
    config.unlink()
    config.mkdir()  # a folder where the settings file should be
    notes = Notes(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await athlete_dialog(pilot)
        await pilot.press("tab", *"Cy", "enter")
        await settle(pilot)
        assert notes.severity_of("The athlete is set for now but not remembered") == "warning"
        assert "cannot be read" in notes
        assert status_line(pilot) == "a Athlete: Cy"
    assert config.is_dir() and list(config.iterdir()) == []
