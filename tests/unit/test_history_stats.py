"""History statistics, checked against values worked out by hand.

Sessions are built directly as :class:`SessionRecord`/:class:`StepRecord`, with one
backward step whose length sets the session's active minutes, so every load below can be
checked with pencil and paper: load = session RPE x minutes, monotony = mean of the seven
daily loads / their population standard deviation, strain = load x monotony. Weeks are ISO
weeks of each session's local date in its own offset, across a year end with an ISO week 53
and around midnight in +01:00 and -08:00.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from retro_tui.coach.load import monotony, weekly
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord
from retro_tui.history.stats import (
    IntervalRecord,
    SpeedRecord,
    Streak,
    WeekRecord,
    athlete_key,
    athlete_names,
    daily_minutes,
    filter_sessions,
    has_several_athletes,
    records,
    session_date,
    week_start,
)
from retro_tui.presentation import (
    NOT_AVAILABLE,
    TABLE_COLUMNS,
    pain_cell,
    session_summary,
    show,
    table_cells,
    table_columns,
)

CET = timezone(timedelta(hours=1))
PST = timezone(timedelta(hours=-8))


def step(
    seconds: float = 60.0,
    *,
    kind: str = "work",
    direction: str = "backward",
    planned: int | None = None,
    rpe: int | None = None,
    speed: float | None = None,
    skipped: bool = False,
    name: str = "Backward",
) -> StepRecord:
    return StepRecord(
        name=name,
        kind=kind,
        direction=direction,
        planned_s=int(seconds) if planned is None else planned,
        actual_s=float(seconds),
        skipped=skipped,
        speed=speed,
        rpe=rpe,
    )


def session(
    started: datetime,
    *steps: StepRecord,
    rpe: int | None = None,
    minutes: float | None = None,
    sid: str | None = None,
    status: SessionStatus = SessionStatus.COMPLETED,
    plan: str = "Retro starter",
    notes: str = "",
    units: str = "mph",
    planned_intervals: int | None = None,
    extra: dict[str, Any] | None = None,
) -> SessionRecord:
    """A session; ``minutes`` alone gives it one backward work step of that length."""
    if minutes is not None:
        steps = (*steps, step(minutes * 60))
    active = sum(s.actual_s for s in steps)
    return SessionRecord(
        id=sid or f"{started:%Y%m%dT%H%M%S}-0000",
        plan=plan,
        started=started,
        ended=started + timedelta(seconds=active),
        status=status,
        steps=tuple(steps),
        units=units,
        rpe=rpe,
        notes=notes,
        planned_intervals=planned_intervals,
        # An athlete given as text is the session's athlete; anything else stays unknown.
        athlete=extra["athlete"] if extra and isinstance(extra.get("athlete"), str) else "",
        extra={k: v for k, v in (extra or {}).items() if not isinstance(v, str) or k != "athlete"},
    )


def at(day: str, hour: int = 7, minute: int = 0, tz: timezone = CET) -> datetime:
    d = date.fromisoformat(day)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=tz)


def on(day: str, **kwargs: Any) -> SessionRecord:
    """A session at 07:00+01:00 on ``day``."""
    return session(at(day), **kwargs)


# -- one session -------------------------------------------------------------------------------


def test_session_summary_figures() -> None:
    record = session(
        at("2026-11-23"),
        step(300, kind="warmup", direction="forward", name="Warm-up"),
        step(30, rpe=4),
        step(60, kind="recover", direction="forward", rpe=2, name="Recovery"),
        step(45, planned=60, skipped=True, rpe=6),
        step(30, kind="recover", name="Backward recovery", rpe=1),
        step(120, kind="cooldown", direction="forward", name="Cool-down"),
        rpe=5,
        planned_intervals=3,
        notes="left calf tight",
        extra={"athlete": "Ana"},
    )
    summary = session_summary(record)
    assert summary.id == record.id
    assert summary.date == date(2026, 11, 23)
    assert summary.plan == "Retro starter"
    assert summary.status is SessionStatus.COMPLETED
    assert summary.total_s == 585.0  # 300 + 30 + 60 + 45 + 30 + 120
    assert summary.backward_s == 105.0  # 30 + 45 + 30, the backward recovery included
    assert summary.total_min == 9.75
    assert summary.backward_min == 1.75
    assert summary.intervals_done == 2
    assert summary.intervals_planned == 3
    # Only backward work steps: (4 + 6) / 2; the recoveries' ratings are left out.
    assert summary.avg_interval_rpe == 5.0
    assert summary.session_rpe == 5
    assert summary.session_load == 48.75  # 5 x 9.75 min
    assert summary.notes == "left calf tight"
    assert summary.athlete == "Ana"


def test_session_summary_without_ratings() -> None:
    summary = session_summary(on("2026-11-23", minutes=10))
    assert summary.avg_interval_rpe is None
    assert summary.session_rpe is None
    assert summary.session_load is None
    assert summary.intervals_planned is None
    assert summary.athlete is None


def test_session_rpe_zero_is_a_load_of_zero_not_none() -> None:
    assert session_summary(on("2026-11-23", minutes=10, rpe=0)).session_load == 0.0


def test_session_date_is_local_to_the_sessions_own_offset() -> None:
    # 00:30+01:00 on Monday is 23:30 UTC on Sunday.
    early = session(at("2026-11-23", 0, 30, CET), minutes=10)
    assert early.started.astimezone(UTC).date() == date(2026, 11, 22)
    assert session_date(early) == date(2026, 11, 23)
    # 23:00-08:00 on Sunday is 07:00 UTC on Monday.
    late = session(at("2026-11-22", 23, 0, PST), minutes=10)
    assert late.started.astimezone(UTC).date() == date(2026, 11, 23)
    assert session_date(late) == date(2026, 11, 22)


# -- weeks -------------------------------------------------------------------------------------


def test_week_start_is_the_monday() -> None:
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)  # a Monday
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)  # the Sunday after
    assert week_start(date(2027, 1, 1)) == date(2026, 12, 28)


def test_weeks_across_a_year_end_with_iso_week_53() -> None:
    sessions = [
        on("2026-12-28", minutes=10),  # Monday of 2026-W53
        on("2027-01-03", minutes=20),  # Sunday, still 2026-W53
        on("2027-01-04", minutes=30),  # Monday of 2027-W01
        on("2027-01-10", minutes=40),  # Sunday of 2027-W01
    ]
    weeks = weekly(sessions)
    assert [(w.start, w.iso_year, w.iso_week, w.sessions) for w in weeks] == [
        (date(2026, 12, 28), 2026, 53, 2),
        (date(2027, 1, 4), 2027, 1, 2),
    ]
    assert [w.backward_min for w in weeks] == [30.0, 70.0]
    assert [w.label for w in weeks] == ["2026-W53", "2027-W01"]


def test_iso_week_one_can_start_in_december() -> None:
    (week,) = weekly([on("2024-12-31", minutes=10)])
    assert (week.start, week.iso_year, week.iso_week) == (date(2024, 12, 30), 2025, 1)


def test_empty_weeks_between_sessions_are_kept_for_charts() -> None:
    weeks = weekly([on("2026-12-21", minutes=10), on("2027-01-05", minutes=20)])
    assert [(w.iso_year, w.iso_week) for w in weeks] == [(2026, 52), (2026, 53), (2027, 1)]
    gap = weeks[1]
    assert gap.sessions == 0
    assert gap.backward_min == gap.total_min == gap.load == 0.0
    assert gap.avg_interval_rpe is None
    assert gap.monotony is None
    assert gap.strain is None


def test_week_of_a_monday_0030_plus_one_session_is_that_mondays_week() -> None:
    weeks = weekly(
        [
            session(at("2026-11-23", 0, 30, CET), minutes=10),  # Sunday 23:30 in UTC
            session(at("2026-11-22", 23, 0, PST), minutes=20),  # Monday 07:00 in UTC
        ]
    )
    assert [(w.start, w.sessions, w.backward_min) for w in weeks] == [
        (date(2026, 11, 16), 1, 20.0),
        (date(2026, 11, 23), 1, 10.0),
    ]
    # The -08:00 session is a Sunday load, the +01:00 one a Monday load.
    loaded = weekly(
        [
            session(at("2026-11-23", 0, 30, CET), minutes=10, rpe=3),
            session(at("2026-11-22", 23, 0, PST), minutes=20, rpe=2),
        ]
    )
    assert loaded[0].daily_loads == (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 40.0)
    assert loaded[1].daily_loads == (30.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def test_weekly_load_monotony_and_strain() -> None:
    sessions = [
        session(at("2026-11-23"), step(30 * 60, rpe=4), rpe=5),  # Mon: 5 x 30 = 150
        session(at("2026-11-25", 7), step(20 * 60, rpe=5), rpe=6),  # Wed: 6 x 20 = 120
        session(at("2026-11-25", 18), step(10 * 60, rpe=6), rpe=3),  # Wed: 3 x 10 = 30
        session(at("2026-11-27"), minutes=10),  # Fri: no session RPE, no load
        session(
            at("2026-11-28"),
            step(5 * 60, kind="warmup", direction="forward", rpe=9),
            step(10 * 60),
            rpe=4,
        ),  # Sat: 4 x 15 = 60
    ]
    (week,) = weekly(sessions)
    assert week.sessions == 5
    assert week.unrated_sessions == 1
    assert week.total_min == 85.0  # 30 + 20 + 10 + 10 + 15
    assert week.backward_min == 80.0  # the Saturday warm-up was forward
    assert week.avg_interval_rpe == 5.0  # (4 + 5 + 6) / 3; the warm-up's 9 is not an interval
    assert week.daily_loads == (150.0, 0.0, 150.0, 0.0, 0.0, 60.0, 0.0)
    assert week.load == 360.0
    # mean = 360/7; variance = 48600/7 - (360/7)^2 = 210600/49; sd = sqrt(210600)/7
    assert week.monotony == pytest.approx(360 / math.sqrt(210600))
    assert week.monotony == pytest.approx(0.784465, abs=1e-6)
    assert week.strain == pytest.approx(360 * 360 / math.sqrt(210600))
    assert week.strain == pytest.approx(282.407, abs=1e-3)


def test_monotony_of_a_single_session_week() -> None:
    (week,) = weekly([on("2026-11-25", minutes=10, rpe=6)])
    assert week.load == 60.0
    # Loads (0, 0, 60, 0, 0, 0, 0): mean 60/7, sd 60*sqrt(6)/7, so monotony = 1/sqrt(6).
    assert week.monotony == pytest.approx(1 / math.sqrt(6))
    assert week.strain == pytest.approx(60 / math.sqrt(6))


def test_monotony_is_none_when_every_day_has_the_same_load() -> None:
    monday = date(2026, 11, 23)
    sessions = [on((monday + timedelta(days=n)).isoformat(), minutes=10, rpe=5) for n in range(7)]
    (week,) = weekly(sessions)
    assert week.daily_loads == (50.0,) * 7
    assert week.load == 350.0
    assert week.monotony is None
    assert week.strain is None
    assert show(week.monotony) == NOT_AVAILABLE


def test_monotony_ignores_float_noise_in_equal_loads() -> None:
    # 0.1 + 0.2 != 0.3 in floats: the Monday load is a hair above the others.
    monday = date(2026, 11, 23)
    sessions = [session(at("2026-11-23"), step(0.1), step(0.2), rpe=10)]
    sessions += [
        session(at((monday + timedelta(days=n)).isoformat()), step(0.3), rpe=10)
        for n in range(1, 7)
    ]
    (week,) = weekly(sessions)
    assert len(set(week.daily_loads)) == 2
    assert week.monotony is None


def test_monotony_is_none_without_any_load() -> None:
    (week,) = weekly([on("2026-11-23", minutes=30), on("2026-11-24", minutes=20)])
    assert week.sessions == 2
    assert week.unrated_sessions == 2
    assert week.load == 0.0
    assert week.monotony is None
    assert week.strain is None
    assert monotony([0.0] * 7) is None
    assert monotony([]) is None


def test_weekly_window_pads_empty_weeks_in_front() -> None:
    sessions = [on("2026-11-24", minutes=10), on("2026-12-01", minutes=20)]
    weeks = weekly(sessions, weeks=4, until=date(2026, 12, 3))
    assert [w.start for w in weeks] == [
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
        date(2026, 11, 30),
    ]
    assert [w.sessions for w in weeks] == [0, 0, 1, 1]


def test_weekly_until_ends_with_the_whole_week_of_until() -> None:
    sessions = [
        on("2026-11-17", minutes=5),  # before the window
        on("2026-11-24", minutes=10),
        on("2026-12-06", minutes=20),  # Sunday after `until`, same week: counted
        on("2026-12-07", minutes=40),  # next week: left out
    ]
    weeks = weekly(sessions, weeks=2, until=date(2026, 12, 1))
    assert [(w.start, w.backward_min) for w in weeks] == [
        (date(2026, 11, 23), 10.0),
        (date(2026, 11, 30), 20.0),
    ]
    # Without `weeks` it starts at the first session's week.
    all_weeks = weekly(sessions, until=date(2026, 12, 1))
    assert [w.start for w in all_weeks] == [
        date(2026, 11, 16),
        date(2026, 11, 23),
        date(2026, 11, 30),
    ]
    # Without `until` it ends at the last session's week.
    assert weekly(sessions, weeks=1)[0].start == date(2026, 12, 7)


def test_weekly_edge_cases() -> None:
    assert weekly([]) == []
    assert weekly([], weeks=3) == []
    empty = weekly([], weeks=3, until=date(2027, 1, 1))
    assert [(w.iso_year, w.iso_week, w.sessions) for w in empty] == [
        (2026, 51, 0),
        (2026, 52, 0),
        (2026, 53, 0),
    ]
    assert weekly([on("2026-11-24", minutes=10)], until=date(2026, 11, 1)) == []
    assert weekly([on("2026-11-24", minutes=10)], weeks=0) == []
    with pytest.raises(ValueError):
        weekly([], weeks=-1)


def test_weekly_does_not_depend_on_input_order() -> None:
    sessions = [
        on(f"2026-{month:02d}-{day:02d}", minutes=day, rpe=day % 11)
        for month in (11, 12)
        for day in (1, 3, 9, 14, 15, 22, 28)
    ]
    expected = weekly(sessions)
    shuffled = sessions[:]
    random.Random(7).shuffle(shuffled)
    assert weekly(shuffled) == expected
    assert weekly(reversed(sessions)) == expected


# -- heat map ----------------------------------------------------------------------------------


def test_daily_minutes_window_edges() -> None:
    sessions = [
        on("2026-11-22", minutes=5),  # the day before the window
        session(
            at("2026-11-23", 0, 30, CET),
            step(4 * 60, kind="warmup", direction="forward"),
            step(6 * 60),
        ),  # first day (Sunday in UTC)
        on("2026-11-25", minutes=7),
        on("2026-11-25", minutes=3, sid="second"),
        session(at("2026-11-29", 23, 0, PST), minutes=9),  # last day (Monday in UTC)
        on("2026-11-30", minutes=11),  # the day after
    ]
    days = daily_minutes(sessions, days=7, until=date(2026, 11, 29))
    assert list(days) == [date(2026, 11, 23) + timedelta(days=n) for n in range(7)]
    assert list(days.values()) == [6.0, 0.0, 10.0, 0.0, 0.0, 0.0, 9.0]
    total = daily_minutes(sessions, days=7, until=date(2026, 11, 29), measure="total")
    assert total[date(2026, 11, 23)] == 10.0
    assert total[date(2026, 11, 25)] == 10.0
    one = daily_minutes(sessions, days=1, until=date(2026, 11, 30))
    assert one == {date(2026, 11, 30): 11.0}
    assert daily_minutes(sessions, days=0, until=date(2026, 11, 30)) == {}
    with pytest.raises(ValueError):
        daily_minutes(sessions, days=-1, until=date(2026, 11, 30))


# -- records -----------------------------------------------------------------------------------


def test_longest_interval_is_one_backward_work_step() -> None:
    sessions = [
        on("2026-11-23", minutes=1, sid="a"),
        session(
            at("2026-11-24"),
            step(300, kind="recover", name="Backward recovery"),  # not work
            step(400, direction="forward", name="Forward"),  # not backward
            step(75, planned=120, skipped=True, name="Backward 3"),  # counts 75 s
            sid="b",
        ),
    ]
    assert records(sessions, today=date(2026, 11, 24)).longest_interval == IntervalRecord(
        "b", date(2026, 11, 24), "Backward 3", 75.0
    )


def test_record_ties_go_to_the_earliest_session() -> None:
    later = session(at("2026-11-25"), step(60, speed=3.0), sid="later")
    earlier = session(at("2026-11-24"), step(60, speed=3.0), sid="earlier")
    # Same instant: the id decides, so the result never depends on input order.
    same_b = session(at("2026-11-23", 7), step(10), sid="b")
    same_a = session(at("2026-11-23", 7), step(10), sid="a")
    got = records([later, earlier], today=date(2026, 11, 25))
    assert got.longest_interval is not None and got.longest_interval.session_id == "earlier"
    assert got.fastest_speed is not None and got.fastest_speed.session_id == "earlier"
    tied = records([same_b, same_a], today=date(2026, 11, 25)).longest_interval
    assert tied is not None and tied.session_id == "a"


def test_fastest_speed_needs_a_full_backward_step() -> None:
    sessions = [
        session(
            at("2026-11-23"),
            step(30, speed=3.0),
            step(10, planned=30, speed=3.6, skipped=True),  # cut short
            step(29.4, planned=30, speed=3.4),  # 0.6 s short: not held in full
            step(29.5, planned=30, speed=3.2, name="Backward 4", kind="recover"),  # 0.5 s: ok
            step(60, direction="forward", speed=6.0),  # forward
            sid="mixed",
        )
    ]
    assert records(sessions, today=date(2026, 11, 23)).fastest_speed == SpeedRecord(
        "mixed", date(2026, 11, 23), "Backward 4", 3.2, "mph", 3.2 * 1.609344
    )


def test_fastest_speed_compares_across_units() -> None:
    mph = session(at("2026-11-23"), step(30, speed=3.2), sid="mph")  # 5.15 km/h
    slower = session(at("2026-11-24"), step(30, speed=5.0), units="kmh", sid="slow")
    faster = session(at("2026-11-25"), step(30, speed=5.5), units="kmh", sid="fast")
    odd = session(at("2026-11-26"), step(30, speed=99.0), units="furlongs", sid="odd")
    best = records([mph, slower, odd], today=date(2026, 11, 26)).fastest_speed
    assert best is not None and (best.session_id, best.speed, best.units) == ("mph", 3.2, "mph")
    best = records([mph, slower, faster, odd], today=date(2026, 11, 26)).fastest_speed
    assert best is not None and (best.session_id, best.speed, best.units) == ("fast", 5.5, "kmh")
    assert best.speed_kmh == 5.5


def test_aborted_and_recovered_sessions_count_for_records() -> None:
    sessions = [
        on("2026-11-23", minutes=1),
        session(at("2026-11-30"), step(200, speed=4.0), status=SessionStatus.ENDED_EARLY, sid="ab"),
        session(at("2026-12-07"), step(90), status=SessionStatus.RECOVERED, sid="rec"),
    ]
    got = records(sessions, today=date(2026, 12, 7))
    assert got.longest_interval is not None and got.longest_interval.session_id == "ab"
    assert got.fastest_speed is not None and got.fastest_speed.session_id == "ab"
    assert got.current_streak.weeks == 3


def test_best_week_by_backward_minutes_earliest_on_a_tie() -> None:
    sessions = [
        on("2026-12-28", minutes=10),
        on("2027-01-02", minutes=15),  # 2026-W53: 25 min
        on("2027-01-05", minutes=25),  # 2027-W01: 25 min, a tie
        on("2026-12-22", minutes=20),
        session(at("2026-12-23"), step(3000, direction="forward")),  # 2026-W52: 20 backward
    ]
    assert records(sessions, today=date(2027, 1, 5)).best_week == WeekRecord(
        date(2026, 12, 28), 2026, 53, 25.0
    )


def test_streaks_current_longest_and_the_empty_this_week_rule() -> None:
    sessions = [
        on("2026-11-02", minutes=5),  # W45
        on("2026-11-12", minutes=5),  # W46
        on("2026-11-21", minutes=5),  # W47
        # W48 empty: the streak breaks
        on("2026-12-01", minutes=5),  # W49
        on("2026-12-08", minutes=5),  # W50
        on("2026-12-10", minutes=5),  # W50 again
    ]
    longest = Streak(3, date(2026, 11, 2), date(2026, 11, 16))
    # Today in W50, which has sessions.
    got = records(sessions, today=date(2026, 12, 13))
    assert got.current_streak == Streak(2, date(2026, 11, 30), date(2026, 12, 7))
    assert got.longest_streak == longest
    # Today in W51 with nothing yet: the week is not over, so the streak still stands.
    got = records(sessions, today=date(2026, 12, 20))
    assert got.current_streak == Streak(2, date(2026, 11, 30), date(2026, 12, 7))
    # Today in W52 and W51 had nothing: broken.
    got = records(sessions, today=date(2026, 12, 21))
    assert got.current_streak == Streak(0)
    assert got.longest_streak == longest


def test_streaks_cross_the_year_end_and_ties_go_to_the_earliest() -> None:
    sessions = [
        on("2026-11-02", minutes=5),  # W45
        on("2026-11-09", minutes=5),  # W46
        on("2026-12-22", minutes=5),  # 2026-W52
        on("2027-01-01", minutes=5),  # 2026-W53
        on("2027-01-08", minutes=5),  # 2027-W01
        on("2027-01-18", minutes=5),  # 2027-W03
        on("2027-01-25", minutes=5),  # 2027-W04
        on("2027-02-01", minutes=5),  # 2027-W05
    ]
    got = records(sessions, today=date(2027, 2, 3))
    assert got.longest_streak == Streak(3, date(2026, 12, 21), date(2027, 1, 4))
    assert got.current_streak == Streak(3, date(2027, 1, 18), date(2027, 2, 1))


def test_records_of_an_empty_log() -> None:
    got = records([], today=date(2026, 11, 23))
    assert got.longest_interval is None
    assert got.fastest_speed is None
    assert got.best_week is None
    assert got.current_streak == got.longest_streak == Streak(0)


def test_records_do_not_depend_on_input_order() -> None:
    sessions = [
        session(at(f"2026-11-{day:02d}"), step(day * 7 % 50, speed=day % 4 + 1.0))
        for day in range(1, 29)
    ]
    expected = records(sessions, today=date(2026, 11, 30))
    shuffled = sessions[:]
    random.Random(3).shuffle(shuffled)
    assert records(shuffled, today=date(2026, 11, 30)) == expected


# -- filters -----------------------------------------------------------------------------------


def filter_sample() -> list[SessionRecord]:
    return [
        on("2026-11-25", plan="Speed ladder", notes="knee OK", sid="c", extra={"athlete": "Bo"}),
        on("2026-11-20", plan="Retro starter", notes="Left CALF tight", sid="a"),
        on("2026-11-23", plan="RETRO Starter", sid="b", extra={"athlete": " ana "}),
        session(at("2026-11-22", 23, 0, PST), plan="Spaced", sid="d", extra={"athlete": 7}),
    ]


def ids(sessions: list[SessionRecord]) -> list[str]:
    return [s.id for s in sessions]


def test_no_filter_keeps_everything_in_chronological_order() -> None:
    # By instant: "b" (06:00 UTC on the 23rd) ran before "d" (07:00 UTC), although "d" is
    # dated the 22nd where it was run.
    assert ids(filter_sessions(filter_sample())) == ["a", "b", "d", "c"]
    assert ids(filter_sessions(filter_sample(), plan=" ", text="")) == ["a", "b", "d", "c"]


def test_filter_by_plan_is_a_case_insensitive_substring() -> None:
    assert ids(filter_sessions(filter_sample(), plan="retro starter")) == ["a", "b"]
    assert ids(filter_sessions(filter_sample(), plan="START")) == ["a", "b"]
    assert ids(filter_sessions(filter_sample(), plan="ladder")) == ["c"]
    assert filter_sessions(filter_sample(), plan="hill") == []


def test_filter_by_text_in_notes() -> None:
    assert ids(filter_sessions(filter_sample(), text="calf")) == ["a"]
    assert ids(filter_sessions(filter_sample(), text="KNEE ok")) == ["c"]
    assert filter_sessions(filter_sample(), text="ladder") == []  # plan names are not notes


def test_filter_since_uses_the_local_date() -> None:
    # "d" starts 07:00 UTC on the 23rd but on the 22nd where it was run.
    assert ids(filter_sessions(filter_sample(), since=date(2026, 11, 23))) == ["b", "c"]
    assert ids(filter_sessions(filter_sample(), since=date(2026, 11, 22))) == ["b", "d", "c"]


def test_filter_by_athlete() -> None:
    assert ids(filter_sessions(filter_sample(), athlete="ANA")) == ["b"]
    assert ids(filter_sessions(filter_sample(), athlete="bo")) == ["c"]
    assert filter_sessions(filter_sample(), athlete="7") == []  # not text: no athlete
    assert filter_sessions(filter_sample(), athlete="an") == []  # exact name, not substring


def test_filters_combine() -> None:
    sample = filter_sample()
    assert ids(filter_sessions(sample, plan="starter", since=date(2026, 11, 21))) == ["b"]
    assert filter_sessions(sample, plan="starter", athlete="bo") == []


def test_athlete_names_once_each_a_to_z() -> None:
    # " ana " and "ANA" are Ana, spelled as in her earliest session; no name, no entry.
    sample = [
        *filter_sample(),
        on("2026-11-26", sid="e", extra={"athlete": "ANA"}),
        on("2026-11-01", sid="f", extra={"athlete": "  "}),
    ]
    assert athlete_names(sample) == ["ana", "Bo"]
    assert athlete_names([]) == []
    assert athlete_key(" ÅSA ") == athlete_key("åsa") == "åsa"
    assert athlete_key(None) == athlete_key("") == ""


def test_several_athletes_counts_sessions_without_one_as_someone_else() -> None:
    ana = on("2026-11-20", sid="a", extra={"athlete": "Ana"})
    also_ana = on("2026-11-21", sid="b", extra={"athlete": " ANA"})
    nobody = on("2026-11-22", sid="c")
    assert not has_several_athletes([])
    assert not has_several_athletes([ana, also_ana])
    assert not has_several_athletes([nobody, nobody])
    assert has_several_athletes([ana, also_ana, nobody])
    assert has_several_athletes(filter_sample())


# -- table rows --------------------------------------------------------------------------------


def test_pain_cell() -> None:
    assert pain_cell(None) == "–"  # not asked
    assert pain_cell(None, "knee") == "–"
    assert pain_cell(0) == "0"
    assert pain_cell(0, "knee") == "0"  # no pain has no place
    assert pain_cell(3, "knee") == "3 knee"
    assert pain_cell(4, "hamstring") == "4 hamstring"  # nine characters fit whole
    assert pain_cell(7, "ankle or foot") == "7 ankle"  # longer: its first word
    assert pain_cell(10, "somewhere else") == "10 somewhere"
    assert pain_cell(5, "Achillestendon") == "5 Achilles…"  # one long word: cut
    assert pain_cell(2, "  low\tback ") == "2 low back"  # one line, single spaces


def test_table_cells_with_and_without_the_athlete_column() -> None:
    record = session(
        at("2026-11-23"),
        step(300, kind="warmup", direction="forward"),
        step(30, rpe=4),
        step(45, planned=60, skipped=True, rpe=6),
        rpe=5,
        planned_intervals=3,
        extra={"athlete": " Ana "},
    )
    record = replace(record, pain=3, pain_where="knee")
    summary = session_summary(record)
    assert summary.pain == 3 and summary.pain_where == "knee"
    assert table_columns() == TABLE_COLUMNS
    assert dict(zip(TABLE_COLUMNS, table_cells(summary), strict=True)) == {
        "date": "2026-11-23 07:00",
        "athlete": "Ana",
        "plan": "Retro starter",
        "total": "6:15",
        "back": "1:15",
        "int": "1/3",  # two backward steps in a row are one stretch
        "avg": "5.0",
        "RPE": "5",
        "load": "31",  # 5 x 6.25 min
        "pain": "3 knee",
        "status": "completed",
    }
    without = table_columns(athlete=False)
    assert "athlete" not in without and len(without) == len(TABLE_COLUMNS) - 1
    assert table_cells(summary, athlete=False) == tuple(
        cell
        for name, cell in zip(TABLE_COLUMNS, table_cells(summary), strict=True)
        if name != "athlete"
    )
    # Unknowns: no athlete, no ratings, pain not asked, no planned count.
    bare = session_summary(on("2026-11-23", minutes=1))
    cells = dict(zip(TABLE_COLUMNS, table_cells(bare), strict=True))
    assert (cells["athlete"], cells["avg"], cells["RPE"], cells["load"]) == ("", "", "", "")
    assert (cells["int"], cells["pain"]) == ("1", "–")


def test_show() -> None:
    assert show(None) == "n/a"
    assert show(1 / math.sqrt(6)) == "0.41"
    assert show(282.4066, 1) == "282.4"
