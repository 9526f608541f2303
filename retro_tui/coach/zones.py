"""Heart-rate zones: five bands of an athlete's heart rate, as a coach and most watches use them.

:class:`HeartRateZones` holds one athlete's zones, worked out one of two ways:

- ``"max"``: shares of the highest heart rate (zone 2 from 60 %, zone 3 from
  70 %, zone 4 from 80 %, zone 5 from 90 %; zone 1 is everything under 60 %);
- ``"reserve"`` (Karvonen): the same shares of the heart-rate *reserve*, the
  span from the resting to the highest rate, added to the resting rate. It
  needs a resting rate, and puts the zones higher for a fit athlete whose
  resting rate is low.

The zones are named as coaches say them: 1 Recovery, 2 Easy, 3 Steady,
4 Hard, 5 Maximum. Heart rates are whole beats per minute, so the bounds are
whole too: a zone starts at the first whole bpm at or above its share.

Two small rules use them during a workout, both fed ``(time, bpm)`` from the
workout's clock and never counting ticks: :class:`TargetZoneWatch` says when a
step's target zone has been left for long enough to say so, and
:class:`ZoneTimer` adds up the seconds spent in each zone for the session.
"""

from __future__ import annotations

from dataclasses import dataclass

ZONE_FLOORS = (0.0, 0.6, 0.7, 0.8, 0.9)
"""Zone n starts at this share of the highest heart rate (or of the reserve); zone 1 below 60 %."""
_FLOOR_PERCENTS = (0, 60, 70, 80, 90)
"""The same floors in whole percent, so a bound is worked out without float rounding."""
ZONE_NAMES = ("Recovery", "Easy", "Steady", "Hard", "Maximum")
"""Zone 1 to zone 5, in the words the workout screen and the session detail show."""
ZONES = 5
ZONE_METHODS = ("max", "reserve")
"""``max``: shares of the highest heart rate; ``reserve``: Karvonen's shares of the reserve."""

OUT_OF_ZONE_S = 20.0
"""A heart rate must stay outside a step's target zone this long before it is said:
a heart lags the belt by half a minute, and a few beats over for a moment is nothing."""
REPEAT_CUE_S = 60.0
"""While it stays outside, the cue is said again at most this often."""
LONGEST_GAP_S = 5.0
"""Readings further apart than this (the strap lost, the laptop asleep) are not joined:
the time between them is counted in no zone."""


def zone_name(zone: int) -> str:
    """``Steady`` for zone 3."""
    return ZONE_NAMES[zone - 1]


@dataclass(frozen=True)
class HeartRateZones:
    """One athlete's five heart-rate zones (see the module docstring).

    Raises ValueError for a highest rate that isn't positive, an unknown method,
    or the reserve method without a resting rate below the highest.
    """

    max_bpm: int
    resting_bpm: int | None = None
    method: str = "max"

    def __post_init__(self) -> None:
        if self.max_bpm <= 0:
            raise ValueError(f"the highest heart rate must be above 0, not {self.max_bpm}")
        if self.method not in ZONE_METHODS:
            raise ValueError(f"the zone method must be max or reserve, not {self.method!r}")
        if self.resting_bpm is not None and not 0 < self.resting_bpm < self.max_bpm:
            raise ValueError(
                f"the resting heart rate ({self.resting_bpm}) must be above 0 and below the "
                f"highest ({self.max_bpm})"
            )
        if self.method == "reserve" and self.resting_bpm is None:
            raise ValueError("zones of the heart-rate reserve need a resting heart rate")

    @property
    def _base(self) -> int:
        """What the shares are added to: the resting rate for the reserve, else nothing."""
        return (self.resting_bpm or 0) if self.method == "reserve" else 0

    def _floor(self, zone: int) -> int:
        """The lowest whole bpm of ``zone`` (2-5): the first at or above its share."""
        base, span = self._base, self.max_bpm - self._base
        percent = _FLOOR_PERCENTS[zone - 1]
        # base + ceil(percent * span / 100), in whole numbers.
        return base + -(-percent * span // 100)

    def zone(self, bpm: int | float) -> int | None:
        """The zone (1-5) of a heart rate; ``None`` for no reading (0 or less).

        Above the highest rate is still zone 5; below the resting rate, zone 1.
        """
        if bpm <= 0:
            return None
        return max((zone for zone in range(2, ZONES + 1) if bpm >= self._floor(zone)), default=1)

    def bounds(self, zone: int) -> tuple[int, int]:
        """The lowest and highest whole bpm of ``zone`` (1-5), both included.

        Zone 1 starts at the resting rate when one is known (else at 0); zone 5
        ends at the highest rate (a reading above it still counts as zone 5).
        """
        if not 1 <= zone <= ZONES:
            raise ValueError(f"there are zones 1 to {ZONES}, not {zone}")
        low = self._floor(zone) if zone > 1 else (self.resting_bpm or 0)
        high = self._floor(zone + 1) - 1 if zone < ZONES else self.max_bpm
        return (low, high)

    def describe(self) -> str:
        """One line: how the zones are worked out and each zone's bpm, as the README shows it."""
        if self.method == "reserve":
            how = f"Shares of the reserve ({self.resting_bpm} resting to {self.max_bpm} highest)"
        else:
            how = f"Shares of the highest heart rate ({self.max_bpm})"
        parts = []
        for zone in range(1, ZONES + 1):
            low, high = self.bounds(zone)
            span = f"up to {high}" if zone == 1 else f"{low}-{high}"
            parts.append(f"Z{zone} {zone_name(zone)} {span}")
        return f"{how}: {', '.join(parts)} bpm"


def zone_range_label(target: tuple[int, int]) -> str:
    """``Z2`` or ``Z2-3``: a step's target zone, short, for the screen and the plan preview."""
    low, high = target
    return f"Z{low}" if low == high else f"Z{low}-{high}"


def zone_range_words(target: tuple[int, int]) -> str:
    """``zone 2`` or ``zones 2 to 3``: a step's target as the screen and the voice say it."""
    low, high = target
    return f"zone {low}" if low == high else f"zones {low} to {high}"


# -- during a workout ----------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneCue:
    """The heart rate has been outside the step's target zone long enough to say so."""

    high: bool
    """Above the target (else below it)."""
    target: tuple[int, int]

    @property
    def text(self) -> str:
        """``Heart rate high for zone 2: ease off``: short enough to hear from the belt."""
        where = zone_range_words(self.target)
        if self.high:
            return f"Heart rate high for {where}: ease off"
        return f"Heart rate low for {where}"


class TargetZoneWatch:
    """Says when the heart rate has left the running step's target zone, and not too often.

    Fed ``(time, bpm)`` from the workout's clock, as often as it likes. Once the
    heart rate has been outside the target for more than :data:`OUT_OF_ZONE_S`
    it gives one :class:`ZoneCue`; again at most every :data:`REPEAT_CUE_S`
    while it stays out. Back in the zone, crossing to the other side, a lost
    reading, a new step (:meth:`new_step`) or a pause (:meth:`reset`) starts
    the wait again.
    """

    def __init__(
        self,
        zones: HeartRateZones,
        *,
        out_after_s: float = OUT_OF_ZONE_S,
        repeat_s: float = REPEAT_CUE_S,
    ) -> None:
        self.zones = zones
        self.out_after_s = out_after_s
        self.repeat_s = repeat_s
        self.target: tuple[int, int] | None = None
        self._out_since: float | None = None
        self._high = False
        self._cued_at: float | None = None

    def new_step(self, target: tuple[int, int] | None) -> None:
        """A step starts: its target zone (low, high), or ``None`` for a step without one."""
        self.target = target
        self.reset()

    def reset(self) -> None:
        """Forget how long the heart rate has been out (back in the zone, a pause)."""
        self._out_since = None
        self._cued_at = None

    @property
    def off_target(self) -> str | None:
        """``high`` or ``low`` while the heart rate has been out long enough to be said."""
        if self._cued_at is None:
            return None
        return "high" if self._high else "low"

    def observe(self, now: float, bpm: int | None) -> ZoneCue | None:
        """The cue to give at ``now`` for a reading of ``bpm`` (``None``: no reading), if any."""
        zone = self.zones.zone(bpm) if bpm is not None else None
        if self.target is None or zone is None:
            self.reset()
            return None
        low, high = self.target
        if low <= zone <= high:
            self.reset()
            return None
        above = zone > high
        if self._out_since is None or above != self._high:
            self.reset()
            self._out_since, self._high = now, above
        if now - self._out_since <= self.out_after_s:
            return None
        if self._cued_at is not None and now - self._cued_at < self.repeat_s:
            return None
        self._cued_at = now
        return ZoneCue(high=above, target=self.target)


class ZoneTimer:
    """Seconds in each zone, from heart-rate readings at the workout clock's times.

    Each reading holds until the next: the time between two readings counts in
    the zone of the first. A reading of ``None`` (no strap, a pause) ends the
    stretch, and so does a gap longer than :data:`LONGEST_GAP_S`.
    """

    def __init__(self, zones: HeartRateZones) -> None:
        self.zones = zones
        self._seconds = [0.0] * ZONES
        self._counted = False
        self._last: tuple[float, int] | None = None

    def observe(self, now: float, bpm: int | None) -> None:
        last = self._last
        if last is not None:
            at, zone = last
            gap = now - at
            if 0 < gap <= LONGEST_GAP_S:
                self._seconds[zone - 1] += gap
                self._counted = True
        zone_now = self.zones.zone(bpm) if bpm is not None else None
        self._last = (now, zone_now) if zone_now is not None else None

    @property
    def seconds(self) -> tuple[float, float, float, float, float] | None:
        """Seconds in zones 1-5 (to a tenth), or ``None`` if no heart rate was ever counted."""
        if not self._counted:
            return None
        first, second, third, fourth, fifth = (round(value, 1) for value in self._seconds)
        return (first, second, third, fourth, fifth)
