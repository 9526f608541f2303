"""Heart-rate zones: five bands of the highest heart rate, as most watches show them."""

from __future__ import annotations

ZONE_FLOORS = (0.0, 0.6, 0.7, 0.8, 0.9)
"""Zone n starts at this share of the highest heart rate (zone 1 below 60 %)."""


def heart_rate_zone(bpm: int, max_heart_rate: int | None) -> int | None:
    """The zone (1-5) of ``bpm``, or ``None`` without a highest heart rate to measure by."""
    if not max_heart_rate or bpm <= 0:
        return None
    share = bpm / max_heart_rate
    return max(number for number, floor in enumerate(ZONE_FLOORS, start=1) if share >= floor)
