"""Keys pressed as fast as a script types go to the screen that is on top when they arrive.

``pilot.press`` waits for each key to be handled; a person (or tmux) does not. So
these tests post the keys to the app back to back, as a terminal delivers them.
"""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot

from retro_tui.tui.dialogs.confirm_end import ConfirmEndDialog
from retro_tui.tui.screens.summary import SummaryScreen
from retro_tui.tui.screens.workout import WorkoutScreen

from .conftest import MakeHarness


def type_fast(pilot: Pilot[int], *keys: str) -> None:
    for key in keys:
        character = key if len(key) == 1 else None
        pilot.app.post_message(events.Key(key, character))


async def test_q_then_y_at_once_ends_the_workout(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        type_fast(pilot, "q", "y")
        await pilot.pause(0.3)
        # The y was meant for the question the q opened, and it answered it.
        assert isinstance(h.app.screen, SummaryScreen)
        assert not any(isinstance(screen, ConfirmEndDialog) for screen in h.app.screen_stack)


async def test_keys_typed_while_a_screen_opens_go_to_it(harness: MakeHarness) -> None:
    h = harness()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        type_fast(pilot, "q", "y", "5", "0")
        await pilot.pause(0.3)
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
        await pilot.pause(0.3)
        screen = h.app.screen
        assert isinstance(screen, WorkoutScreen) and screen.workout is not None
        assert screen.workout.status == "paused"
