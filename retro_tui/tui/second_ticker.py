"""Waking the workout screen just after each whole second of the countdown.

The digits change on whole seconds, and so, with whole-second steps, do step
changes and the 3-2-1: one repeating timer set to fire just after them does it
without a new timer a second. It is set again only when the seconds shift (a
pause, a skip). A cue change or a spoken "Halfway" that falls between two
seconds gets a one-off wake of its own.

Nothing here counts time: each wake only asks the screen to read the engine,
whose clock is the injected one, so a late timer shows the right second late
and never stretches a step.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer

from retro_tui.workout.clock import wake_between_seconds

WAKE_AFTER_S = 0.004
"""The screen wakes this long after each whole second, so the digits already read it."""

PHASE_SLACK_S = 0.002
"""A shift of the seconds smaller than this leaves the repeating timer as it is."""


class SecondTicker:
    """Calls ``wake`` just after each whole second of a countdown, and at the wakes between."""

    def __init__(
        self, owner: MessagePump, clock: Callable[[], float], wake: Callable[[], object]
    ) -> None:
        self._owner = owner
        self._clock = clock
        self._wake = wake
        self._repeating: Timer | None = None
        self._phase = 0.0
        self._between: Timer | None = None

    def follow(self, remaining_s: float, between: list[float | None]) -> None:
        """Wake after the whole seconds of ``remaining_s`` and after the soonest of ``between``
        (seconds from now; ``None`` for none), if that comes before the next whole second."""
        self._stop_between()
        to_next_second = remaining_s - math.floor(remaining_s) or 1.0
        phase = (self._clock() + to_next_second + WAKE_AFTER_S) % 1.0
        shift = abs((phase - self._phase + 0.5) % 1.0 - 0.5)
        if self._repeating is None or shift > PHASE_SLACK_S:
            self._stop_repeating()
            self._phase = phase
            self._repeating = self._owner.set_timer(to_next_second + WAKE_AFTER_S, self._start)
        soonest = wake_between_seconds(to_next_second, between)
        if soonest is not None:
            self._between = self._owner.set_timer(soonest + WAKE_AFTER_S, self._wake)

    def stop(self) -> None:
        """No more wakes (a pause, the end) until :meth:`follow` is called again."""
        self._stop_between()
        self._stop_repeating()

    def _start(self) -> None:
        self._repeating = self._owner.set_interval(1.0, self._wake)
        self._wake()

    def _stop_repeating(self) -> None:
        if self._repeating is not None:
            self._repeating.stop()
            self._repeating = None

    def _stop_between(self) -> None:
        if self._between is not None:
            self._between.stop()
            self._between = None
