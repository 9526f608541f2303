"""Clocks the workout engine can run on.

The app uses ``time.monotonic``; tests and benchmarks use :class:`FakeClock`,
which only moves when told to, so a 60-minute workout is simulated in
milliseconds and every transition can be checked to the microsecond.
"""

from __future__ import annotations

from collections.abc import Iterable


class FakeClock:
    """A monotonic clock that moves only when :meth:`advance` or :meth:`set` is called."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a monotonic clock never goes back")
        self.now += seconds
        return self.now

    def set(self, now: float) -> None:
        if now < self.now:
            raise ValueError("a monotonic clock never goes back")
        self.now = now


def wake_between_seconds(to_next_second: float, wakes: Iterable[float | None]) -> float | None:
    """The soonest of ``wakes`` (seconds from now) that falls between two whole seconds.

    A screen already wakes on every whole second of the countdown; a cue change or
    a spoken "Halfway" off the second needs a wake of its own, before the next second.
    Only the soonest: the tick then looks again for the next one.
    """

    def off_the_second(wake: float) -> bool:
        offset = wake - to_next_second
        return abs(offset - round(offset)) > 0.01

    soonest = min(
        (wake for wake in wakes if wake is not None and off_the_second(wake)), default=None
    )
    return soonest if soonest is not None and soonest < to_next_second else None
