"""Clocks the workout engine can run on.

The app uses ``time.monotonic``; tests and benchmarks use :class:`FakeClock`,
which only moves when told to, so a 60-minute workout is simulated in
milliseconds and every transition can be checked to the microsecond.
"""

from __future__ import annotations


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
