"""Keys pressed as fast as a script types go to the screen that is on top when they arrive.

``pilot.press`` waits for each key to be handled; a person (or tmux) does not. So
these tests post the keys to the app back to back, as a terminal delivers them.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.pilot import Pilot

from retro_tui.tui.dialogs.confirm_end import ConfirmEndDialog
from retro_tui.tui.screens.summary import SummaryScreen
from retro_tui.tui.screens.workout import WorkoutScreen

from .conftest import MakeHarness


async def until(pilot: Pilot[int], done: Callable[[], bool], *, within_s: float = 5.0) -> None:
    """Let the app work until ``done()`` holds (at most ``within_s``: a loaded machine is slow)."""
    for _ in range(round(within_s / 0.05)):
        if done():
            return
        await pilot.pause(0.05)


def type_fast(pilot: Pilot[int], *keys: str) -> None:
    for key in keys:
        character = key if len(key) == 1 else None
        pilot.app.post_message(events.Key(key, character))


async def test_q_then_y_at_once_ends_the_workout(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        type_fast(pilot, "q", "y")
        await until(pilot, lambda: isinstance(h.app.screen, SummaryScreen))
        # The y was meant for the question the q opened, and it answered it.
        assert isinstance(h.app.screen, SummaryScreen)
        assert not any(isinstance(screen, ConfirmEndDialog) for screen in h.app.screen_stack)


async def test_keys_typed_while_a_screen_opens_go_to_it(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        type_fast(pilot, "q", "y", "5", "0")

        def answered() -> bool:
            screen = h.app.screen
            return isinstance(screen, SummaryScreen) and screen.session.pain is not None

        await until(pilot, answered)
        summary = h.app.screen
        assert isinstance(summary, SummaryScreen)
        assert summary.session.rpe == 5 and summary.session.pain == 0


async def test_space_right_after_the_safety_check_pauses_the_workout(
    harness: MakeHarness,
) -> None:
    h = harness(preflight=True)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        type_fast(pilot, "enter", "space")

        def paused() -> bool:
            screen = h.app.screen
            workout = screen.workout if isinstance(screen, WorkoutScreen) else None
            return workout is not None and workout.status == "paused"

        await until(pilot, paused)
        screen = h.app.screen
        assert isinstance(screen, WorkoutScreen) and screen.workout is not None
        assert screen.workout.status == "paused"
