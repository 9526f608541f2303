"""The plan library's order and where its cursor starts.

Programs first, a line, then the plans A to Z by the name shown, whichever
folder each came from. The cursor starts on the plan the current athlete ran
last (from the history), and on a first run on the bundled starter plan.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import OptionList

from retro_tui import paths
from retro_tui.history.log import append_session
from retro_tui.history.record import ProgramSlot, SessionRecord, SessionStatus, StepRecord
from retro_tui.plan.catalog import PlanEntry, ProgramEntry, load_entry
from retro_tui.tui.library_entries import last_run_index, library_order, shown_name, starter_index
from retro_tui.tui.screens.library import LibraryScreen

from .conftest import MakeHarness
from .helpers import settled_library

BLOCK = "Six-week backward block"


def plan_text(name: str) -> str:
    return f'[plan]\nname = "{name}"\n\n[[step]]\ndirection = "backward"\nduration = "30s"\n'


def user_plans(*names: str) -> Path:
    """Write plans called ``names`` into the user's plans folder (the test's own)."""
    folder = paths.user_plans_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(names):
        # File names that sort unlike the plans' names: the list follows the names.
        (folder / f"{number:02d}-{len(names) - number}.toml").write_text(
            plan_text(name), encoding="utf-8"
        )
    return folder


def logged(
    plan: str,
    plan_file: str,
    days_ago: int,
    *,
    athlete: str = "",
    program: ProgramSlot | None = None,
) -> SessionRecord:
    started = datetime(2026, 11, 21, 7, 0, tzinfo=UTC) - timedelta(days=days_ago)
    return SessionRecord(
        id=f"{plan_file}-{days_ago}-{athlete}",
        plan=plan,
        plan_file=plan_file,
        started=started,
        ended=started + timedelta(minutes=20),
        status=SessionStatus.COMPLETED,
        steps=(StepRecord("Backward", "work", "backward", 30, 30.0),),
        athlete=athlete,
        program=program,
    )


def names(screen: LibraryScreen) -> list[str]:
    return [shown_name(entry) for entry in screen.entries]


def highlighted_name(screen: LibraryScreen) -> str:
    entry = screen.highlighted_entry()
    assert entry is not None
    return shown_name(entry)


async def test_programs_come_first_then_a_line_then_plans_a_to_z(harness: MakeHarness) -> None:
    folder = user_plans("zebra run", "Aardvark walk", "backward Hills")
    (folder / "0-broken.toml").write_text("[plan]\nname = \n", encoding="utf-8")
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        screen = await settled_library(pilot)
        assert names(screen) == [
            BLOCK,
            "0-broken.toml",  # a file that does not load is listed by the name it shows
            "Aardvark walk",
            "Advanced incline",
            "Backward block session",
            "backward Hills",
            "Rehab backward walk",
            "Retro starter",
            "Spaced intervals",
            "Treadmill introduction",
            "zebra run",
        ]
        assert isinstance(screen.entries[0], ProgramEntry)
        assert all(isinstance(entry, PlanEntry) for entry in screen.entries[1:])
        plans = screen.query_one("#plans", OptionList)
        # The line under the programs is a divider, not an option: rows still match entries.
        assert plans.option_count == len(screen.entries)


async def test_a_first_run_starts_on_the_starter_plan(harness: MakeHarness) -> None:
    user_plans("Aardvark walk")
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        screen = await settled_library(pilot)
        assert highlighted_name(screen) == "Retro starter"
        plans = screen.query_one("#plans", OptionList)
        assert "Retro starter" in str(plans.get_option_at_index(plans.highlighted or 0).prompt)


async def test_the_cursor_starts_on_the_plan_this_athlete_ran_last(harness: MakeHarness) -> None:
    h = harness(run=False, settings='\n[athlete]\nname = "Ana"\n')
    append_session(h.history, logged("Spaced intervals", "spaced-intervals.toml", 9, athlete="Ana"))
    append_session(h.history, logged("Rehab backward walk", "rehab-walk.toml", 3, athlete="ana "))
    # Newer, but someone else's: not Ana's last plan.
    append_session(h.history, logged("Treadmill introduction", "treadmill-intro.toml", 1))
    async with h.app.run_test(size=(100, 30)) as pilot:
        screen = await settled_library(pilot)
        assert highlighted_name(screen) == "Rehab backward walk"


async def test_the_cursor_starts_on_the_program_of_the_last_session(harness: MakeHarness) -> None:
    h = harness(run=False)
    slot = ProgramSlot(BLOCK, week=1, session=2, run="run-1")
    append_session(h.history, logged("Rehab backward walk", "rehab-walk.toml", 5))
    append_session(h.history, logged("Week 1.2", "six-week-block.toml", 2, program=slot))
    async with h.app.run_test(size=(100, 30)) as pilot:
        screen = await settled_library(pilot)
        assert highlighted_name(screen) == BLOCK


async def test_a_plan_no_longer_listed_leaves_the_cursor_on_the_starter(
    harness: MakeHarness,
) -> None:
    h = harness(run=False)
    append_session(h.history, logged("Deleted plan", "deleted.toml", 1))
    async with h.app.run_test(size=(100, 30)) as pilot:
        screen = await settled_library(pilot)
        assert highlighted_name(screen) == "Retro starter"


async def test_the_history_does_not_move_a_cursor_the_user_moved(harness: MakeHarness) -> None:
    h = harness(run=False)
    append_session(h.history, logged("Rehab backward walk", "rehab-walk.toml", 1))
    async with h.app.run_test(size=(100, 30)) as pilot:
        screen = await settled_library(pilot)
        assert highlighted_name(screen) == "Rehab backward walk"
        await pilot.press("down")
        moved_to = highlighted_name(screen)
        assert moved_to != "Rehab backward walk"
        # The plans and the history read again (r; back from another screen): the cursor
        # stays where the user put it.
        await pilot.press("r")
        screen.load_sessions()
        await settled_library(pilot)
        assert highlighted_name(screen) == moved_to


async def test_choosing_another_athlete_moves_the_cursor_to_their_last_plan(
    harness: MakeHarness,
) -> None:
    h = harness(run=False, settings='\n[athlete]\nname = "Ana"\n')
    append_session(h.history, logged("Spaced intervals", "spaced-intervals.toml", 2, athlete="Ana"))
    append_session(h.history, logged("Rehab backward walk", "rehab-walk.toml", 4, athlete="Bo"))
    async with h.app.run_test(size=(100, 30)) as pilot:
        screen = await settled_library(pilot)
        assert highlighted_name(screen) == "Spaced intervals"
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("down", "enter")  # from Ana, the current one, to Bo
        await pilot.pause()
        assert h.app.athlete == "Bo"
        assert highlighted_name(screen) == "Rehab backward walk"


# -- the pure parts ------------------------------------------------------------------------


def entry(folder: Path, file_name: str, name: str, *, bundled: bool = False) -> PlanEntry:
    path = folder / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(plan_text(name), encoding="utf-8")
    return load_entry(path, bundled=bundled)


def test_a_bundled_plan_comes_before_a_copy_of_the_same_name(tmp_path: Path) -> None:
    copy = entry(tmp_path / "mine", "starter.toml", "Retro starter")
    bundled = entry(tmp_path / "bundled", "starter.toml", "Retro starter", bundled=True)
    other = entry(tmp_path / "mine", "a.toml", "retro Zigzag")
    assert library_order([other, copy, bundled]) == [bundled, copy, other]


def test_the_last_plan_prefers_its_file_and_the_users_own_copy(tmp_path: Path) -> None:
    bundled = entry(tmp_path / "bundled", "starter.toml", "Retro starter", bundled=True)
    copy = entry(tmp_path / "mine", "starter.toml", "Retro starter")
    renamed = entry(tmp_path / "mine", "hills.toml", "Hills, renamed since")
    same_name = entry(tmp_path / "mine", "other.toml", "Old hills")
    entries: list[PlanEntry | ProgramEntry] = [bundled, copy, renamed, same_name]
    assert last_run_index(entries, [logged("Retro starter", "starter.toml", 1)], "") == 1
    # The file first, even when the plan in it has another name now.
    assert last_run_index(entries, [logged("Old hills", "hills.toml", 1)], "") == 2
    assert last_run_index(entries, [logged("Old hills", "", 1)], "") == 3
    assert last_run_index(entries, [logged("Gone", "gone.toml", 1)], "") is None
    assert last_run_index(entries, [], "") is None
    assert starter_index(entries) == 0
