"""Statistics over the history log: dates and ISO weeks, heat-map days, records, filters.

Everything here is a pure function of a sequence of :class:`SessionRecord` (plus a date where
"now" matters; only :func:`records` falls back to the clock when given none), so the history
table, the charts and the command line all read the same numbers. Input order does not matter:
sessions are first put in chronological order (by the instant ``started`` names, then by id),
so results are deterministic.

Choices the screens and the command line rely on:

Dates and weeks
    A session belongs to the local date of ``started`` in *its own* UTC offset: a session
    started at 00:30+01:00 on a Monday is a Monday session (and in that Monday's ISO week)
    although it is still Sunday in UTC. Weeks are ISO weeks (Monday to Sunday), so the weeks
    around New Year follow ISO rules: 2026 has a week 53 that ends on Sunday 2027-01-03, and
    ISO week 1 of 2025 starts on Monday 2024-12-30. Naive ``started`` times (a hand-edited log
    without an offset) are taken at face value for the date.

Effort and load
    Session load, weekly load, monotony and strain are in :mod:`retro_tui.coach.load`.

Records
    All statuses (completed, ended early, recovered) count for records and streaks: the time in a
    log was really done, and a recovered session holds only the steps finished before the stop.
    The longest backward interval is the longest single backward *work* step by the seconds
    actually spent in it; a skipped (cut short) step counts with the time it really ran. The
    fastest speed is the highest target speed of a backward step (any kind) held for the full
    step: not skipped and ``actual_s >= planned_s - 0.5``. Speeds are compared in km/h across
    sessions logged in different units; steps in units other than ``mph``/``kmh`` are left out.
    The best week is the ISO week with the most backward minutes (none if no week has any).
    Ties go to the earliest session (then the earlier step, or the earlier week).

Streaks
    A streak is a run of consecutive ISO weeks with at least one session. The current streak
    counts back from the week of ``today``; if that week has no session yet, it counts back from
    the week before instead (the week is not over, so the streak is not broken yet).

Athletes
    One log can hold several people's sessions. An athlete is known by name, ignoring case and
    surrounding spaces (:func:`athlete_key`); a session without a name belongs to nobody in
    particular and is never picked by an athlete filter.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from retro_tui.history.record import SessionRecord, StepRecord
from retro_tui.plan.model import KMH_PER_MPH

__all__ = [
    "IntervalRecord",
    "Records",
    "SpeedRecord",
    "Streak",
    "WeekRecord",
    "athlete_key",
    "athlete_names",
    "athlete_of",
    "by_week",
    "chronological",
    "daily_minutes",
    "filter_sessions",
    "has_several_athletes",
    "interval_ratings",
    "mean_rating",
    "records",
    "session_date",
    "week_start",
]

# A step that ran within this many seconds of its planned length counts as held in full:
# the engine's clock ticks and rounding can leave a completed step a fraction short.
FULL_STEP_TOLERANCE_S = 0.5

_SPEED_TO_KMH = {"mph": KMH_PER_MPH, "kmh": 1.0, "km/h": 1.0}


# -- helpers -----------------------------------------------------------------------------------


def session_date(session: SessionRecord) -> date:
    """The local calendar date of the session's start, in the session's own UTC offset."""
    # datetime.date() keeps the wall-clock date of the datetime's own tzinfo, which is what the
    # athlete saw on their calendar; converting to UTC or to this machine's zone would move
    # early-morning and late-evening sessions to another day.
    return session.started.date()


def week_start(day: date) -> date:
    """The Monday that starts the ISO week holding ``day``."""
    return day - timedelta(days=day.weekday())


def _instant(moment: datetime) -> datetime:
    # Naive times (hand-edited logs) can't be compared with aware ones; reading them as UTC is
    # only used for ordering, never for dates.
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _order_key(session: SessionRecord) -> tuple[datetime, str]:
    return (_instant(session.started), session.id)


def chronological(sessions: Iterable[SessionRecord]) -> list[SessionRecord]:
    """The sessions by start instant (then id), whatever order they came in."""
    return sorted(sessions, key=_order_key)


def interval_ratings(session: SessionRecord) -> list[int]:
    return [step.rpe for step in session.steps if step.is_backward_work and step.rpe is not None]


def mean_rating(values: Sequence[int]) -> float | None:
    return statistics.fmean(values) if values else None


def athlete_of(session: SessionRecord) -> str | None:
    return session.athlete if session.athlete.strip() else None


def athlete_key(name: str | None) -> str:
    """What two spellings of one athlete share: " ana " and "Ana" are the same person."""
    # casefold, not lower: a name typed on another keyboard must still find its sessions.
    return name.strip().casefold() if name else ""


def by_week(sessions: Iterable[SessionRecord]) -> dict[date, list[SessionRecord]]:
    """The sessions grouped by the Monday of their ISO week, each week in time order."""
    weeks: dict[date, list[SessionRecord]] = defaultdict(list)
    for session in chronological(sessions):
        weeks[week_start(session_date(session))].append(session)
    return weeks


# -- days (calendar heat map) ------------------------------------------------------------------


def daily_minutes(
    sessions: Iterable[SessionRecord],
    *,
    days: int,
    until: date,
    measure: Literal["backward", "total"] = "backward",
) -> dict[date, float]:
    """Minutes per local day for the ``days`` days ending with ``until`` (inclusive).

    Every day of the window is a key, in date order, 0.0 for days without a session; sessions
    outside the window are ignored. ``measure`` picks backward minutes (all backward steps) or
    total active minutes.
    """
    if days < 0:
        raise ValueError(f"days must be 0 or more, not {days}")
    first = until - timedelta(days=days - 1)
    minutes = {first + timedelta(days=offset): 0.0 for offset in range(days)}
    for session in chronological(sessions):
        day = session_date(session)
        if day in minutes:
            seconds = session.backward_s if measure == "backward" else session.active_s
            minutes[day] += seconds / 60.0
    return minutes


# -- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntervalRecord:
    """The longest single backward work step."""

    session_id: str
    date: date
    step_name: str
    seconds: float


@dataclass(frozen=True)
class SpeedRecord:
    """The fastest backward speed held for a full step, in the session's own units."""

    session_id: str
    date: date
    step_name: str
    speed: float
    units: str
    speed_kmh: float


@dataclass(frozen=True)
class WeekRecord:
    """The ISO week with the most backward minutes."""

    start: date
    iso_year: int
    iso_week: int
    backward_min: float


@dataclass(frozen=True)
class Streak:
    """A run of consecutive ISO weeks with a session; ``first``/``last`` are week starts."""

    weeks: int
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class Records:
    """Personal bests; ``None`` where the log has nothing that qualifies."""

    longest_interval: IntervalRecord | None
    fastest_speed: SpeedRecord | None
    best_week: WeekRecord | None
    current_streak: Streak
    longest_streak: Streak


def _held_in_full(step: StepRecord) -> bool:
    return not step.skipped and step.actual_s >= step.planned_s - FULL_STEP_TOLERANCE_S


def _longest_interval(ordered: Sequence[SessionRecord]) -> IntervalRecord | None:
    best: IntervalRecord | None = None
    for session in ordered:
        for step in session.steps:
            if not step.is_backward_work or step.actual_s <= 0:
                continue
            # Strictly longer only, so the earliest of equal intervals keeps the record.
            if best is None or step.actual_s > best.seconds:
                best = IntervalRecord(session.id, session_date(session), step.name, step.actual_s)
    return best


def _fastest_speed(ordered: Sequence[SessionRecord]) -> SpeedRecord | None:
    best: SpeedRecord | None = None
    for session in ordered:
        factor = _SPEED_TO_KMH.get(session.units.strip().lower())
        if factor is None:
            continue
        for step in session.steps:
            if not step.is_backward or step.speed is None or step.speed <= 0:
                continue
            if not _held_in_full(step):
                continue
            kmh = step.speed * factor
            if best is None or kmh > best.speed_kmh:
                best = SpeedRecord(
                    session.id, session_date(session), step.name, step.speed, session.units, kmh
                )
    return best


def _best_week(grouped: dict[date, list[SessionRecord]]) -> WeekRecord | None:
    best: WeekRecord | None = None
    for start in sorted(grouped):
        minutes = math.fsum(s.backward_s for s in grouped[start]) / 60.0
        if minutes > 0 and (best is None or minutes > best.backward_min):
            iso = start.isocalendar()
            best = WeekRecord(start, iso.year, iso.week, minutes)
    return best


def _streaks(active: set[date], today: date) -> tuple[Streak, Streak]:
    one_week = timedelta(weeks=1)
    anchor = week_start(today)
    if anchor not in active:
        anchor -= one_week
    current = Streak(0)
    if anchor in active:
        first = anchor
        while first - one_week in active:
            first -= one_week
        current = Streak((anchor - first) // one_week + 1, first, anchor)
    longest = Streak(0)
    for start in sorted(active):
        if start - one_week in active:
            continue  # not the first week of a run
        end = start
        while end + one_week in active:
            end += one_week
        length = (end - start) // one_week + 1
        if length > longest.weeks:
            longest = Streak(length, start, end)
    return current, longest


def records(sessions: Iterable[SessionRecord], *, today: date | None = None) -> Records:
    """Personal bests and week streaks; ``today`` defaults to this machine's date.

    See the module docstring for what counts and how ties are broken.
    """
    ordered = chronological(sessions)
    grouped = by_week(ordered)
    current, longest = _streaks(set(grouped), today if today is not None else date.today())
    return Records(
        longest_interval=_longest_interval(ordered),
        fastest_speed=_fastest_speed(ordered),
        best_week=_best_week(grouped),
        current_streak=current,
        longest_streak=longest,
    )


# -- filters -----------------------------------------------------------------------------------


def filter_sessions(
    sessions: Iterable[SessionRecord],
    *,
    plan: str | None = None,
    text: str | None = None,
    since: date | None = None,
    athlete: str | None = None,
) -> list[SessionRecord]:
    """The sessions matching every filter given, in chronological order.

    ``plan``: case-insensitive substring of the plan name ("starter" finds "Retro starter").
    ``text``: case-insensitive substring of the notes. ``since``: the session's local date is on
    or after it. ``athlete``: the session's athlete equals it, ignoring case and surrounding
    spaces; sessions without an athlete never match. ``None`` or blank leaves a filter off.
    """
    # casefold, not lower: "STRASSE" must find "Straße" in notes typed on another keyboard.
    plan_key = plan.strip().casefold() if plan and plan.strip() else None
    text_key = text.strip().casefold() if text and text.strip() else None
    wanted_athlete = athlete_key(athlete) or None
    kept = []
    for session in chronological(sessions):
        if plan_key is not None and plan_key not in session.plan.casefold():
            continue
        if text_key is not None and text_key not in session.notes.casefold():
            continue
        if since is not None and session_date(session) < since:
            continue
        if wanted_athlete is not None and athlete_key(session.athlete) != wanted_athlete:
            continue
        kept.append(session)
    return kept


def athlete_names(sessions: Iterable[SessionRecord]) -> list[str]:
    """Every athlete named in the sessions, once each (ignoring case), A to Z.

    Each is spelled as in the earliest of their sessions, so the name shown stays the same as
    sessions are added. Sessions without an athlete add no name.
    """
    names: dict[str, str] = {}
    for session in chronological(sessions):
        key = athlete_key(session.athlete)
        if key and key not in names:
            names[key] = session.athlete.strip()
    return [names[key] for key in sorted(names)]


def has_several_athletes(sessions: Iterable[SessionRecord]) -> bool:
    """Whether the sessions are not all one person's, so a table needs an athlete column.

    Sessions without an athlete count as one more person: beside "Ana" they could be anyone.
    """
    first: str | None = None
    for session in sessions:
        key = athlete_key(session.athlete)
        if first is None:
            first = key
        elif key != first:
            return True
    return False
