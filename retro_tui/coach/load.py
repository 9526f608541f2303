"""Training load and monotony over weeks (Foster's session-RPE method).

Session load = session RPE x active minutes (pauses excluded); a session without a
session RPE has no load (``None``) and adds nothing to daily or weekly load, and
:attr:`WeekStats.unrated_sessions` says how many such sessions a week has.
Monotony = mean daily load / population standard deviation of the seven daily
loads (Monday to Sunday, days without a session count as 0, even for a week that
is not over yet). When the standard deviation is zero monotony is undefined and
reported as ``None`` ("n/a"): that covers a week with no load at all and a week
with the same non-zero load every day. Strain = weekly load x monotony, ``None``
whenever monotony is. Weeks are ISO weeks of the sessions' local dates (see
:mod:`retro_tui.history.stats`).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import by_week, interval_ratings, mean_rating, session_date, week_start

# Loads are sums of float seconds; days meant to be equal may differ by float noise, and a
# standard deviation of 1e-13 would turn into an absurd monotony instead of "n/a".
_ZERO_SPREAD = 1e-9


def session_load(session: SessionRecord) -> float | None:
    """Session RPE x active minutes (Foster), or ``None`` without a session RPE."""
    if session.rpe is None:
        return None
    return session.rpe * session.active_s / 60.0


# -- weeks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekStats:
    """One ISO week; ``daily_loads`` runs Monday to Sunday."""

    start: date
    iso_year: int
    iso_week: int
    sessions: int
    backward_min: float
    total_min: float
    avg_interval_rpe: float | None
    load: float
    daily_loads: tuple[float, float, float, float, float, float, float]
    unrated_sessions: int
    monotony: float | None
    strain: float | None

    @property
    def label(self) -> str:
        """``2026-W53``: ISO year and week, as charts and the command line print them."""
        return f"{self.iso_year}-W{self.iso_week:02d}"


def monotony(daily_loads: Sequence[float]) -> float | None:
    """Mean daily load / population standard deviation, ``None`` when the spread is zero."""
    if not daily_loads:
        return None
    mean = statistics.fmean(daily_loads)
    spread = statistics.pstdev(daily_loads)
    # Zero spread makes the ratio undefined both for an idle week (0/0) and for the same load
    # every day (x/0); coaches read "n/a" there rather than infinity.
    if spread <= _ZERO_SPREAD * max(1.0, abs(mean)):
        return None
    return mean / spread


def _week_stats(start: date, sessions: Sequence[SessionRecord]) -> WeekStats:
    days = [0.0] * 7
    ratings: list[int] = []
    unrated = 0
    for session in sessions:
        load = session_load(session)
        if load is None:
            unrated += 1
        else:
            days[session_date(session).weekday()] += load
        ratings += interval_ratings(session)
    week_monotony = monotony(days)
    load_sum = math.fsum(days)
    iso = start.isocalendar()
    return WeekStats(
        start=start,
        iso_year=iso.year,
        iso_week=iso.week,
        sessions=len(sessions),
        backward_min=math.fsum(s.backward_s for s in sessions) / 60.0,
        total_min=math.fsum(s.active_s for s in sessions) / 60.0,
        avg_interval_rpe=mean_rating(ratings),
        load=load_sum,
        daily_loads=(days[0], days[1], days[2], days[3], days[4], days[5], days[6]),
        unrated_sessions=unrated,
        monotony=week_monotony,
        strain=None if week_monotony is None else load_sum * week_monotony,
    )


def weekly(
    sessions: Iterable[SessionRecord],
    *,
    weeks: int | None = None,
    until: date | None = None,
) -> list[WeekStats]:
    """One :class:`WeekStats` per ISO week, oldest first, empty weeks included.

    The last week is the one holding ``until`` (whole weeks: sessions later in that week still
    count), or the week of the latest session when ``until`` is ``None``. With ``weeks`` the
    result is exactly that many weeks ending there, empty ones padded in front so a chart keeps
    its width; without it the result starts at the week of the earliest session (up to the last
    week). Weeks after the last week are left out. No sessions and no ``until``: no weeks.
    """
    if weeks is not None and weeks < 0:
        raise ValueError(f"weeks must be 0 or more, not {weeks}")
    grouped = by_week(sessions)
    if until is not None:
        last = week_start(until)
    elif grouped:
        last = max(grouped)
    else:
        return []
    if weeks is not None:
        first = last - timedelta(weeks=weeks - 1)
    elif grouped and min(grouped) <= last:
        first = min(grouped)
    else:
        return []
    result = []
    start = first
    while start <= last:
        result.append(_week_stats(start, grouped.get(start, [])))
        start += timedelta(weeks=1)
    return result
