"""A program on the calendar: a date for every planned session, what came of it, week by week.

Coaches and physical therapists read a program as planned against done. This
module dates every session of one run of a program and says how it went, from
the same sessions and the same rules as :func:`~retro_tui.coach.programs.next_session`
(this program by name, this athlete, the latest run; a session ticks its slot
off when it counts as done). Nothing here reads files or the clock: the caller
passes the sessions and ``today``.

The dates:

- The run starts on the day of its first session (any outcome), or on the day
  given for a run not started yet (``today`` by default). Week ``k`` starts
  ``7 (k - 1)`` days later, so every week starts on the weekday the run did.
- A week's sessions go on the weekdays its ``days`` (or the program's) names,
  taken in the order they come in the week from its first day; without
  ``days`` they are spread evenly: session ``i`` of ``n`` (from 0) on day
  ``floor(7 i / n)`` of the week, so three a week fall on days 1, 3 and 5
  (Monday, Wednesday and Friday for a run started on a Monday).
- After a long break the program eases back a week (see
  :mod:`retro_tui.coach.programs`), and the calendar follows it: the weeks from
  the one it went back to are planned again, from the week (same weekdays) of
  the first day back. Only sessions from that day on tick those weeks off.
  A break never brings a week forward.

What came of each session:

- **done**: ticked off within its planned week, at most :data:`NEAR_DAYS` from
  its day;
- **moved**: ticked off, but on another day or in another week;
- **missed**: not done, and its week is over, or the program has moved past
  its week (someone jumped ahead, or a finished program), so it will not be
  offered again;
- **coming**: not done yet, and still to come. One whose day has gone by
  while its week is still on is due on a later day of that week (today at
  the earliest, the week's last day at the latest), in the program's order.

The session the program offers next is the one
:func:`~retro_tui.coach.programs.next_session` says (it is the same progress),
and it is marked; it is coming unless the athlete is behind the plan, when its
week is over and it shows as missed until done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from retro_tui.coach.programs import ProgramProgress, counts_as_done, next_session
from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import athlete_key, chronological, session_date
from retro_tui.plan.program import Program, ProgramSession, Week

DAYS_A_WEEK = 7
NEAR_DAYS = 1
"""A session done this many days before or after its day (in its week) is done on time:
a day's shift is life, not a change of plan."""


class SessionState(StrEnum):
    """What came of a planned session, as of ``today``."""

    DONE = "done"
    MOVED = "moved"
    MISSED = "missed"
    COMING = "coming"

    @property
    def mark(self) -> str:
        """A sign that says the state without colour: ✓ done, → moved, ✗ missed, · coming."""
        return _MARKS[self]


_MARKS = {
    SessionState.DONE: "✓",
    SessionState.MOVED: "→",
    SessionState.MISSED: "✗",
    SessionState.COMING: "·",
}


@dataclass(frozen=True)
class Compliance:
    """Planned against done for some sessions: how many, and their minutes."""

    planned_sessions: int
    done_sessions: int
    """Sessions ticked off, on their day or moved."""
    planned_s: float
    """The total time of the sessions' plans."""
    done_s: float
    """The active time of the sessions that ticked them off."""

    @property
    def planned_min(self) -> int:
        return round(self.planned_s / 60)

    @property
    def done_min(self) -> int:
        return round(self.done_s / 60)

    def __str__(self) -> str:
        """``2/3 sessions, 44/60 min``."""
        return (
            f"{self.done_sessions}/{self.planned_sessions} sessions, "
            f"{self.done_min}/{self.planned_min} min"
        )


@dataclass(frozen=True)
class PlannedSession:
    """One session of the program with its date and what came of it."""

    session: ProgramSession
    planned: date
    """The day the plan puts it on."""
    state: SessionState
    done_on: date | None = None
    """The day it was ticked off (done and moved only)."""
    due: date | None = None
    """When it is due now (coming only): its planned day, or a later one this week."""
    record: SessionRecord | None = None
    """The session that ticked it off (done and moved only)."""
    is_next: bool = False
    """Whether it is the session the program offers next."""

    @property
    def slot(self) -> tuple[int, int]:
        return self.session.slot

    @property
    def is_done(self) -> bool:
        return self.state in (SessionState.DONE, SessionState.MOVED)

    @property
    def day(self) -> date:
        """Where it goes on the calendar: the day it was done, or is due, or was planned (the
        planned day of one moved, which the mark says went elsewhere)."""
        if self.state is SessionState.DONE and self.done_on is not None:
            return self.done_on
        if self.state is SessionState.COMING and self.due is not None:
            return self.due
        return self.planned

    @property
    def planned_s(self) -> int:
        return self.session.plan.total_s

    @property
    def done_s(self) -> float:
        return self.record.active_s if self.record is not None else 0.0


@dataclass(frozen=True)
class CalendarWeek:
    """One week of the program on the calendar."""

    number: int
    name: str
    start: date
    sessions: tuple[PlannedSession, ...]
    again: bool = False
    """Whether the week is planned again after a break; an earlier row of the calendar
    shows how it went before."""

    @property
    def label(self) -> str:
        """``Week 2``, or ``Week 2 again``."""
        return f"Week {self.number} again" if self.again else f"Week {self.number}"

    @property
    def end(self) -> date:
        """The day after its last day."""
        return self.start + timedelta(days=DAYS_A_WEEK)

    @property
    def dates(self) -> tuple[date, ...]:
        """Its seven days, in order."""
        return tuple(self.start + timedelta(days=offset) for offset in range(DAYS_A_WEEK))

    def holds(self, day: date) -> bool:
        return self.start <= day < self.end

    def on(self, day: date) -> tuple[PlannedSession, ...]:
        """The sessions the calendar puts on ``day`` (see :attr:`PlannedSession.day`)."""
        return tuple(session for session in self.sessions if session.day == day)

    @property
    def compliance(self) -> Compliance:
        return compliance_of(self.sessions)


@dataclass(frozen=True)
class ProgramCalendar:
    """One run of a program on the calendar, as of ``today``."""

    program: Program
    progress: ProgramProgress
    """Where the athlete stands, as :func:`next_session` (or a restart) says."""
    athlete: str
    today: date
    start: date
    """The run's first day."""
    weeks: tuple[CalendarWeek, ...]

    @property
    def sessions(self) -> tuple[PlannedSession, ...]:
        return tuple(session for week in self.weeks for session in week.sessions)

    @property
    def coming(self) -> tuple[PlannedSession, ...]:
        """The sessions still to come, in the program's order."""
        return tuple(s for s in self.sessions if s.state is SessionState.COMING)

    @property
    def next(self) -> PlannedSession | None:
        """The session the program offers next; ``None`` once it is finished."""
        return next((session for session in self.sessions if session.is_next), None)

    @property
    def total(self) -> Compliance:
        return compliance_of(self.sessions)

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The weekday of each day of a week (0 = Monday), from the run's first day on."""
        first = self.start.weekday()
        return tuple((first + offset) % DAYS_A_WEEK for offset in range(DAYS_A_WEEK))

    def week_of(self, day: date) -> CalendarWeek | None:
        return next((week for week in self.weeks if week.holds(day)), None)


def compliance_of(sessions: Sequence[PlannedSession]) -> Compliance:
    done = [session for session in sessions if session.is_done]
    return Compliance(
        planned_sessions=len(sessions),
        done_sessions=len(done),
        planned_s=float(sum(session.planned_s for session in sessions)),
        done_s=sum(session.done_s for session in done),
    )


def session_offsets(week: Week, first_weekday: int) -> list[int]:
    """The day of the week (0: its first day) of each of ``week``'s sessions, for a week
    starting on weekday ``first_weekday`` (0 = Monday)."""
    count = len(week.sessions)
    if week.days:
        # In the week's own order, whatever order they were written in; a program's days may
        # name more than a light week needs: the first ones are taken.
        return sorted((day - first_weekday) % DAYS_A_WEEK for day in week.days)[:count]
    return [index * DAYS_A_WEEK // count for index in range(count)]


def program_calendar(
    program: Program,
    sessions: Sequence[SessionRecord],
    *,
    athlete: str = "",
    today: date,
    progress: ProgramProgress | None = None,
    start: date | None = None,
) -> ProgramCalendar:
    """``program`` on the calendar for ``athlete`` ("" = sessions without one) on ``today``.

    ``progress`` is the run to show (the library's, which may be a run just restarted);
    by default the one :func:`next_session` finds. ``start`` is the first day of a run
    with no sessions yet (by default ``today``); a run under way starts on its first
    session's day.
    """
    if progress is None:
        progress = next_session(program, sessions, athlete=athlete, today=today)
    run_start = progress.first_date or start or today
    records = _run_records(program, sessions, athlete, progress.run)
    weeks: list[CalendarWeek] = []
    seen: set[int] = set()
    for row in _rows(program, progress, run_start, records):
        week_start, end = row.start, row.start + timedelta(days=DAYS_A_WEEK)
        offsets = session_offsets(row.week, week_start.weekday())
        planned = []
        for session, offset in zip(row.week.sessions, offsets, strict=True):
            day = week_start + timedelta(days=offset)
            record = row.ticks.get(session.slot)
            is_next = row.live and session.slot == progress.next_slot
            if record is not None:
                done_on = session_date(record)
                on_time = week_start <= done_on < end and abs((done_on - day).days) <= NEAR_DAYS
                state = SessionState.DONE if on_time else SessionState.MOVED
                planned.append(PlannedSession(session, day, state, done_on, None, record, is_next))
                continue
            # Not offered again: a week planned anew after a break, or a session the
            # program has moved past (a jump ahead, within the week too; a finished program).
            passed_over = (
                not row.live or progress.next_slot is None or session.slot < progress.next_slot
            )
            # The one the program offers next is never missed, however far behind: it is
            # coming, due today (the weeks after it keep their own days).
            missed = (today >= end or passed_over) and not is_next
            state = SessionState.MISSED if missed else SessionState.COMING
            planned.append(PlannedSession(session, day, state, is_next=is_next))
        again = row.week.number in seen
        seen.add(row.week.number)
        dated = _due(planned, today, week_start)
        weeks.append(CalendarWeek(row.week.number, row.week.name, week_start, dated, again))
    return ProgramCalendar(program, progress, athlete, today, run_start, tuple(weeks))


@dataclass
class _Row:
    """A week as planned from one start: its sessions counted from ``since`` until ``until``
    (``None``: from the run's start, until now)."""

    week: Week
    start: date
    since: date | None = None
    until: date | None = None
    live: bool = True
    """Whether it is the week's plan now (not one a break planned anew)."""
    ticks: dict[tuple[int, int], SessionRecord] = field(default_factory=dict)

    def counts(self, record: SessionRecord) -> bool:
        day = session_date(record)
        return (self.since is None or day >= self.since) and (
            self.until is None or day < self.until
        )


def _rows(
    program: Program, progress: ProgramProgress, run_start: date, records: list[SessionRecord]
) -> list[_Row]:
    """Every week as planned, in date order: each program week once, and again from the day
    back after each break that sent the run back to it or before it.

    A week's plan from before a break stays on the calendar when its days had come (its week
    began before the week of the day back) or something ticked it off: the break shows as
    the weeks it missed.
    """
    current = {
        week.number: _Row(week, run_start + timedelta(days=DAYS_A_WEEK * (week.number - 1)))
        for week in program.weeks
    }
    earlier: list[tuple[_Row, date]] = []
    for eased_week, day_back in progress.eased_back:
        # The week of the run's own weekdays that holds the day back. Ahead of the plan, a
        # break does not bring a week forward.
        aligned = day_back - timedelta(days=max(0, (day_back - run_start).days) % DAYS_A_WEEK)
        first = max(aligned, current[eased_week].start) if eased_week in current else aligned
        for number, row in list(current.items()):
            if number < eased_week:
                continue
            row.until, row.live = day_back, False
            earlier.append((row, aligned))
            start = first + timedelta(days=DAYS_A_WEEK * (number - eased_week))
            current[number] = _Row(row.week, start, since=day_back)
    rows = [row for row, _ in earlier] + list(current.values())
    by_week: dict[int, list[_Row]] = {}
    for row in rows:
        by_week.setdefault(row.week.number, []).append(row)
    for record in records:
        assert record.program is not None  # _run_records keeps only program sessions
        key = (record.program.week, record.program.session)
        for row in by_week.get(key[0], []):
            if key not in row.ticks and row.counts(record):
                row.ticks[key] = record
    kept = [row for row, aligned in earlier if row.start < aligned or row.ticks]
    return sorted([*kept, *current.values()], key=lambda row: (row.start, row.week.number))


def _run_records(
    program: Program, sessions: Sequence[SessionRecord], athlete: str, run: str
) -> list[SessionRecord]:
    """The sessions of ``run`` of ``program`` for ``athlete`` that tick a slot off, in time
    order."""
    wanted_program, wanted_athlete = athlete_key(program.name), athlete_key(athlete)
    slots = {session.slot for session in program.sessions}
    return [
        record
        for record in chronological(sessions)
        if record.program is not None
        and record.program.run == run
        and athlete_key(record.program.name) == wanted_program
        and athlete_key(record.athlete) == wanted_athlete
        # A slot the program no longer has (the file was edited) can't be ticked off.
        and (record.program.week, record.program.session) in slots
        and counts_as_done(record)
    ]


def _due(
    planned: list[PlannedSession], today: date, week_start: date
) -> tuple[PlannedSession, ...]:
    """The week's sessions with the day each coming one is due.

    In the week that holds ``today``, a coming session whose day has gone by is due today,
    or after the coming one before it (a day later, unless both were planned on one day),
    and no later than the week's last day. In a week gone by only the session offered next
    is still coming: it is due today.
    """
    last_day = week_start + timedelta(days=DAYS_A_WEEK - 1)
    result: list[PlannedSession] = []
    previous: PlannedSession | None = None
    for session in planned:
        if session.state is not SessionState.COMING:
            result.append(session)
            continue
        due = session.planned
        if today > last_day:  # the session offered next, from a week gone by
            due = today
        elif week_start <= today <= last_day:
            due = max(due, today)
            if previous is not None and previous.due is not None:
                later = 1 if session.planned > previous.planned else 0
                due = max(due, previous.due + timedelta(days=later))
            due = min(due, last_day)
        dated = PlannedSession(
            session.session, session.planned, session.state, due=due, is_next=session.is_next
        )
        result.append(dated)
        previous = dated
    return tuple(result)
