"""``?`` on every main screen and over dialogs: the help lists that screen's keys, closes with
Escape, ``?`` or q, and never pauses, ends or holds up a workout.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

import retro_tui.tui
from retro_tui.tui.dialogs.confirm_end import ConfirmEndDialog
from retro_tui.tui.dialogs.preflight import PreflightDialog
from retro_tui.tui.screens.base import RetroDialog, RetroScreen
from retro_tui.tui.screens.help import HelpScreen, key_name
from retro_tui.tui.screens.history import HistoryScreen
from retro_tui.tui.screens.library import LibraryScreen
from retro_tui.tui.screens.summary import SummaryScreen
from retro_tui.tui.screens.trends import TrendsScreen
from retro_tui.tui.screens.workout import WorkoutScreen
from retro_tui.workout.engine import Status

from .conftest import MakeHarness
from .helpers import open_history, three_sessions


def help_text(pilot: Pilot[Any]) -> str:
    """Everything the help shows, as plain text."""
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    console = Console(width=200, record=True, file=io.StringIO())
    for static in screen.query(Static):
        console.print(static.content)
    return console.export_text()


def top(pilot: Pilot[Any]) -> Screen[Any]:
    """The screen on top now (a function, so one check doesn't narrow the next)."""
    return pilot.app.screen


def rows_of(pilot: Pilot[Any]) -> dict[str, str]:
    """The help's rows: what each set of keys does, by keys ("q, Esc")."""
    screen = pilot.app.screen
    assert isinstance(screen, HelpScreen)
    return {row.keys: row.does for row in screen.rows}


def assert_lists_every_key_of(pilot: Pilot[Any], under: Screen[Any]) -> None:
    """Every key the screen declares (shown in its footer or not) has a row in the help."""
    listed = {key for row in rows_of(pilot) for key in row.split(", ")}
    declared = Binding.make_bindings(type(under).BINDINGS)
    missing = {
        key_name(pilot.app, binding)
        for binding in declared
        if binding.description and key_name(pilot.app, binding) not in listed
    }
    assert not missing


async def open_help(pilot: Pilot[Any]) -> tuple[Screen[Any], HelpScreen]:
    under = pilot.app.screen
    await pilot.press("question_mark")
    await pilot.pause()
    shown = pilot.app.screen
    assert isinstance(shown, HelpScreen)
    assert shown.under is under
    return under, shown


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 3) -> None:
    """Let the app run (its own timers included) until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


async def test_library_help_lists_its_keys_and_closes_with_escape_question_mark_or_q(
    harness: MakeHarness,
) -> None:
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        library, _ = await open_help(pilot)
        assert isinstance(library, LibraryScreen)
        assert_lists_every_key_of(pilot, library)
        rows = rows_of(pilot)
        # Keys the footer leaves out are here too.
        assert rows["R"] == "Start the highlighted program again from week 1"
        assert rows["c"] == "Choose any session of the highlighted program"
        assert rows["Enter"].startswith("Start the highlighted plan")
        assert "?" in rows
        text = help_text(pilot)
        assert "Keys: Plans" in text
        assert "Your plans and programs" in text
        assert "clock" not in text  # no workout underneath
        for key in ("escape", "question_mark", "q"):
            await pilot.press(key)
            await pilot.pause()
            assert top(pilot) is library  # closed, and q did not quit the app
            assert h.app.is_running
            if key != "q":
                await open_help(pilot)


async def test_library_footer_offers_help(harness: MakeHarness) -> None:
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = {
            (key, active.binding.description)
            for key, active in h.app.screen.active_bindings.items()
            if active.binding.show
        }
        assert ("question_mark", "Help") in shown


async def test_workout_help_lists_the_rating_keys_and_says_the_clock_runs(
    harness: MakeHarness,
) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        workout, _ = await open_help(pilot)
        assert isinstance(workout, WorkoutScreen)
        assert_lists_every_key_of(pilot, workout)
        rows = rows_of(pilot)
        assert rows["space"] == "Pause / Go on after a pause"
        assert rows["q, Esc"].startswith("End early")
        assert rows["0-9 x"].startswith("Rate the last backward interval")
        help_screen = h.app.screen
        assert isinstance(help_screen, HelpScreen)
        # No interval has ended yet, but the keys answer all the same (saying so): one row.
        assert [row.now for row in help_screen.rows if row.keys == "0-9 x"] == [True]
        text = help_text(pilot)
        assert "The workout clock keeps running while this help is open." in text
        assert text.count("Rate the last backward interval") == 1


async def test_the_workout_clock_keeps_running_under_the_help(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        workout, _ = await open_help(pilot)
        assert isinstance(workout, WorkoutScreen) and workout.workout is not None
        engine = workout.workout
        h.clock.advance(41)  # past the 40 s warm-up, into the first backward interval
        # No key is pressed: the workout's own timer notices the change under the help.
        await wait_until(pilot, lambda: engine.index == 1)
        assert h.bells  # and signals it
        assert isinstance(h.app.screen, HelpScreen)
        assert engine.status is Status.RUNNING
        await pilot.press("escape")
        await pilot.pause()
        assert top(pilot) is workout
        assert engine.status is Status.RUNNING and engine.is_active
        assert engine.remaining_s == 29
        # The workout's keys work as before.
        await pilot.press("n")
        await pilot.pause()
        assert engine.index == 2


async def test_help_over_a_paused_workout_says_it_is_paused(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        await open_help(pilot)
        text = help_text(pilot)
        assert "The workout is paused" in text
        assert "keeps running" not in text
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        workout = h.app.screen
        assert isinstance(workout, WorkoutScreen) and workout.workout is not None
        assert workout.workout.status is Status.RUNNING


async def test_q_in_the_help_closes_it_and_never_ends_the_workout(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        workout, _ = await open_help(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert top(pilot) is workout  # no "end the workout?" question
        assert isinstance(workout, WorkoutScreen) and workout.workout is not None
        assert workout.workout.is_active


async def test_ctrl_q_over_the_help_asks_before_ending_the_workout(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await open_help(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(h.app.screen, ConfirmEndDialog)
        assert h.app.is_running


async def test_the_help_goes_when_the_workout_ends_under_it(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await open_help(pilot)
        h.clock.advance(40 + 2 * 90 + 120 + 1)
        await wait_until(pilot, lambda: isinstance(h.app.screen, SummaryScreen))
        await pilot.pause()
        assert [type(screen) for screen in h.app.screen_stack[1:]] == [
            LibraryScreen,
            SummaryScreen,
        ]
        assert "Workout complete" in str(h.app.screen.query_one("#summary-title", Static).content)


async def test_help_over_dialogs(harness: MakeHarness) -> None:
    h = harness(preflight=True)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        preflight, _ = await open_help(pilot)
        assert isinstance(preflight, PreflightDialog)
        rows = rows_of(pilot)
        assert rows["Enter"] == "Start"
        assert rows["Esc, q"] == "Back"
        assert "Keys: Safety check" in help_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert top(pilot) is preflight  # Escape closed the help, not the safety check
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        confirm, _ = await open_help(pilot)
        assert isinstance(confirm, ConfirmEndDialog)
        assert rows_of(pilot)["y, Enter, q"] == "End and save"
        assert "The workout clock keeps running" in help_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert top(pilot) is confirm


async def test_summary_help_and_a_question_mark_in_the_notes_is_text(
    harness: MakeHarness,
) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q", "y")
        await pilot.pause()
        summary, _ = await open_help(pilot)
        assert isinstance(summary, SummaryScreen)
        assert_lists_every_key_of(pilot, summary)
        rows = rows_of(pilot)
        assert rows["Enter"] == "Save / Back to plans"
        assert rows["Tab"] == "Notes"
        assert "Keys: Summary" in help_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert top(pilot) is summary
        await pilot.press("tab", "question_mark")
        await pilot.pause()
        assert top(pilot) is summary
        assert summary.query_one("#notes", Input).value == "?"


async def test_history_and_trends_help(harness: MakeHarness) -> None:
    h = harness(run=False)
    three_sessions(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        history, _ = await open_help(pilot)
        assert isinstance(history, HistoryScreen)
        assert_lists_every_key_of(pilot, history)
        rows = rows_of(pilot)
        assert rows["Enter"] == "Show the highlighted session in full"
        assert rows["/"] == "Filter"
        assert "Keys: History" in help_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert top(pilot) is history
        await pilot.press("t")
        await pilot.pause()
        trends, _ = await open_help(pilot)
        assert isinstance(trends, TrendsScreen)
        assert_lists_every_key_of(pilot, trends)
        assert rows_of(pilot)["1"] == "Weeks"
        await pilot.press("escape")
        await pilot.pause()
        assert top(pilot) is trends


def screen_classes() -> list[type[Screen[Any]]]:
    """Every screen and dialog class the app defines."""
    found: list[type[Screen[Any]]] = []
    for info in pkgutil.walk_packages(retro_tui.tui.__path__, "retro_tui.tui."):
        module = importlib.import_module(info.name)
        found += [
            member
            for _, member in inspect.getmembers(module, inspect.isclass)
            if issubclass(member, Screen) and member.__module__ == module.__name__
        ]
    return found


def test_every_screen_and_dialog_says_what_it_is_for_on_its_own_class() -> None:
    classes = screen_classes()
    assert len(classes) >= 14, classes
    missing = [
        cls.__qualname__
        for cls in classes
        if cls not in (HelpScreen, RetroScreen, RetroDialog)
        and not (issubclass(cls, RetroScreen | RetroDialog) and "ABOUT" in vars(cls))
    ]
    assert missing == []


def test_fuller_key_words_name_actions_the_screen_has() -> None:
    for cls in screen_classes():
        about = getattr(cls, "ABOUT", None)
        if about is None:
            continue
        actions = {binding.action.split("(")[0] for binding in Binding.make_bindings(cls.BINDINGS)}
        assert set(about.keys) <= actions, cls.__qualname__
