"""The athlete's race paces, all from one 5 km race time, by Riegel's formula.

Workouts written for Zwift or intervals.icu give speeds as shares of a race pace
(Zwift's mile to marathon paces, intervals.icu's threshold pace). One time the
athlete knows, their 5 km, gives them all: T2 = T1 x (D2 / D1) ^ 1.06.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from retro_tui.plan.durations import format_clock, parse_duration
from retro_tui.plan.model import METRES_PER_MILE, Units

RIEGEL_EXPONENT = 1.06
"""Riegel's race-time formula, T2 = T1 x (D2 / D1) ^ 1.06 (Riegel 1981, "Athletic records
and human endurance"): how a race time at one distance predicts another."""
FASTEST_5K_S = 12 * 60
"""A 5 km race time faster than this is a typo: the world record is over 12:30."""
SLOWEST_5K_S = 2 * 3600
"""Slower than this is a walk of 2.5 km/h, too slow to set race paces from."""


def parse_race_time(text: str) -> int:
    """Seconds of a 5 km race time as typed (``"25:00"``, ``"1:02:30"``, ``"25m"``).

    Raises ``ValueError`` saying what is wrong, in words that follow a key or option name.
    """
    seconds = parse_duration(text.strip()) if isinstance(text, str) else None
    if seconds is None or seconds <= 0:
        raise ValueError('must be a time like "25:00" (minutes:seconds) or "1:02:30"')
    if not FASTEST_5K_S <= seconds <= SLOWEST_5K_S:
        raise ValueError(
            f"must be a 5 km race time between {format_clock(FASTEST_5K_S)} and "
            f"{format_clock(SLOWEST_5K_S)}, not {format_clock(seconds)}"
        )
    return seconds


@dataclass(frozen=True)
class RacePaces:
    """The athlete's race paces, all worked out from one 5 km race time."""

    time_5k_s: float

    @classmethod
    def from_pace(cls, pace_s: float, units: Units) -> RacePaces:
        """From a 5 km race *pace*: seconds per mile (``mph``) or per km (``kmh``)."""
        unit_m = METRES_PER_MILE if units is Units.MPH else 1000.0
        return cls(pace_s * 5000.0 / unit_m)

    def race_time_s(self, distance_m: float) -> float:
        """Predicted race time over ``distance_m`` by Riegel's formula."""
        return self.time_5k_s * math.pow(distance_m / 5000.0, RIEGEL_EXPONENT)

    def speed_kmh(self, distance_m: float) -> float:
        """Race speed over ``distance_m`` in km/h."""
        return distance_m / self.race_time_s(distance_m) * 3.6

    def describe(self) -> str:
        return f"a 5 km race time of {format_clock(self.time_5k_s)}"
