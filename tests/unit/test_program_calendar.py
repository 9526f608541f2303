"""A program on the calendar: dates, done / moved / missed / coming, and compliance by hand.

The program is three weeks of three sessions; session ``n`` of week ``w`` plans
``10 w`` minutes, so week 1 plans 30 minutes, week 2 60 and week 3 90. Every
session in the history ran 8 minutes (one backward step of 480 s), so each one
ticked off adds 8 done minutes. The run starts on Monday 2 March 2026 (day 0)
unless a test says otherwise: week 1 is 2-8 March, week 2 9-15, week 3 16-22.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from retro_tui.coach.calendar import (
    Compliance,
    ProgramCalendar,
    SessionState,
    program_calendar,
    session_offsets,
)
from retro_tui.coach.programs import LONG_BREAK_DAYS, next_session, restart
from retro_tui.history.record import ProgramSlot, SessionRecord, SessionStatus, StepRecord
from retro_tui.plan.model import Direction, Kind, Origin, Plan, Step
from retro_tui.plan.program import Program, ProgramSession, Week

START = date(2026, 3, 2)  # a Monday
DONE, MOVED, MISSED, COMING = (
    SessionState.DONE,
    SessionState.MOVED,
    SessionState.MISSED,
    SessionState.COMING,
)
SESSION_S = 480.0


def make_program(
    weeks: int = 3, per_week: int = 3, days: tuple[int, ...] = (), name: str = "Block"
) -> Program:
    def plan(week: int, number: int) -> Plan:
        step = Step("Backward", Kind.WORK, Direction.BACKWARD, 600 * week, Origin((0,), 1))
        return Plan(f"Plan {week}.{number}", (step,))

    return Program(
        name=name,
        summary="",
        weeks=tuple(
            Week(
                week,
                f"Week {week}",
                tuple(
                    ProgramSession(week, number, plan(week, number), None)
                    for number in range(1, per_week + 1)
                ),
                days,
            )
            for week in range(1, weeks + 1)
        ),
        source=Path("/plans/block.toml"),
    )


PROGRAM = make_program()


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def record(
    week: int,
    number: int,
    offset: int,
    *,
    run: str = "run-1",
    athlete: str = "",
    status: SessionStatus = SessionStatus.COMPLETED,
    program: str = "Block",
) -> SessionRecord:
    """A session of slot (week, number) at 07:00 on day ``offset``: 8 backward minutes."""
    started = datetime.combine(day(offset), datetime.min.time()).replace(hour=7, tzinfo=UTC)
    step = StepRecord("Backward", "work", "backward", 480, SESSION_S)
    return SessionRecord(
        id=f"{started:%Y%m%dT%H%M%S}-{week}{number}{offset:02d}",
        plan=f"Plan {week}.{number}",
        started=started,
        ended=started + timedelta(minutes=8),
        status=status,
        steps=(step,),
        athlete=athlete,
        program=ProgramSlot(program, week, number, run, "block.toml"),
    )


def states(calendar: ProgramCalendar) -> list[list[str]]:
    """Each row's sessions as ``mark + number``: ``✓1``."""
    return [
        [f"{session.state.mark}{session.session.number}" for session in week.sessions]
        for week in calendar.weeks
    ]


def days_of(calendar: ProgramCalendar, row: int) -> list[date]:
    return [session.day for session in calendar.weeks[row].sessions]


# -- where sessions go in a week ---------------------------------------------------------------


def test_sessions_spread_evenly_over_the_week_without_days() -> None:
    offsets = {
        count: session_offsets(make_program(1, count).weeks[0], 0) for count in (1, 2, 3, 4, 7)
    }
    # Session i of n on day floor(7 i / n).
    assert offsets == {
        1: [0],
        2: [0, 3],
        3: [0, 2, 4],
        4: [0, 1, 3, 5],
        7: [0, 1, 2, 3, 4, 5, 6],
    }
    assert session_offsets(make_program(1, 14).weeks[0], 0) == [i // 2 for i in range(14)]


def test_three_a_week_from_a_monday_fall_on_monday_wednesday_friday() -> None:
    calendar = program_calendar(PROGRAM, [], today=START)
    assert calendar.start == START
    assert [week.start for week in calendar.weeks] == [day(0), day(7), day(14)]
    assert [d.strftime("%a") for d in days_of(calendar, 1)] == ["Mon", "Wed", "Fri"]
    assert calendar.weekdays == (0, 1, 2, 3, 4, 5, 6)


def test_days_are_taken_in_the_order_of_the_week_from_the_run_start() -> None:
    # mon, wed, fri for a run started on a Wednesday: Wed, Fri, then the Monday after.
    program = make_program(days=(0, 2, 4))
    wednesday = day(2)
    calendar = program_calendar(program, [], today=wednesday)
    assert [d.strftime("%a %d") for d in days_of(calendar, 0)] == ["Wed 04", "Fri 06", "Mon 09"]
    assert calendar.weeks[1].start == day(9)
    assert calendar.weekdays == (2, 3, 4, 5, 6, 0, 1)
    assert session_offsets(program.weeks[0], 2) == [0, 2, 5]


def test_a_program_s_days_for_a_lighter_week_are_its_first_days() -> None:
    light = Week(1, "Week 1", make_program(1, 2).weeks[0].sessions, (1, 3, 5))
    assert session_offsets(light, 0) == [1, 3]


# -- what came of each session ---------------------------------------------------------------


def history_with_every_state() -> list[SessionRecord]:
    """Week 1: Mon on its day, Wed one day late (Thu), Fri two days late (Sun).
    Week 2 session 1 done on Monday of week 3; nothing else."""
    return [record(1, 1, 0), record(1, 2, 3), record(1, 3, 6), record(2, 1, 14)]


def test_done_moved_missed_and_coming() -> None:
    today = day(16)  # Wednesday of week 3
    calendar = program_calendar(PROGRAM, history_with_every_state(), today=today)
    # Week 2's second session is what the program offers next: however late, it is coming.
    assert states(calendar) == [["✓1", "✓2", "→3"], ["→1", "·2", "✗3"], ["·1", "·2", "·3"]]
    week1 = calendar.weeks[0].sessions
    assert [session.done_on for session in week1] == [day(0), day(3), day(6)]
    # Done is shown on the day done; moved on its planned day.
    assert days_of(calendar, 0) == [day(0), day(3), day(4)]
    assert calendar.weeks[1].sessions[0].done_on == day(14)
    # next_session: after week 2 session 1 comes session 2, already behind the plan.
    assert calendar.progress.next_slot == (2, 2)
    assert calendar.next is calendar.weeks[1].sessions[1]
    assert calendar.next.state is COMING and calendar.next.due == calendar.today
    # Week 3 session 1 (Monday) has gone by: due today, and the ones after it move on.
    assert days_of(calendar, 2) == [day(16), day(17), day(18)]
    assert [session.planned for session in calendar.weeks[2].sessions] == [
        day(14),
        day(16),
        day(18),
    ]


def test_compliance_by_hand() -> None:
    calendar = program_calendar(PROGRAM, history_with_every_state(), today=day(16))
    weeks = [week.compliance for week in calendar.weeks]
    # Planned: 3 sessions of 10 w minutes; done: 8 minutes a session ticked off.
    assert weeks == [
        Compliance(3, 3, 1800.0, 3 * SESSION_S),
        Compliance(3, 1, 3600.0, SESSION_S),
        Compliance(3, 0, 5400.0, 0.0),
    ]
    assert [str(week) for week in weeks] == [
        "3/3 sessions, 24/30 min",
        "1/3 sessions, 8/60 min",
        "0/3 sessions, 0/90 min",
    ]
    assert calendar.total == Compliance(9, 4, 10800.0, 4 * SESSION_S)
    assert str(calendar.total) == "4/9 sessions, 32/180 min"


def test_only_this_athlete_this_program_and_the_latest_run_count() -> None:
    sessions = [
        record(1, 1, 0, run="old"),
        record(1, 2, 2, run="old"),
        record(1, 1, 3, athlete="Ana"),
        record(1, 2, 3, program="Another program"),
        record(1, 1, 4),  # the latest run: "run-1"
        record(1, 2, 5, status=SessionStatus.ENDED_EARLY),
    ]
    calendar = program_calendar(PROGRAM, sessions, today=day(6))
    assert calendar.start == day(4)  # the first session of the latest run
    assert states(calendar)[0] == ["✓1", "·2", "·3"]
    assert calendar.progress.next_slot == (1, 2)
    ana = program_calendar(PROGRAM, sessions, athlete=" ana ", today=day(6))
    assert ana.start == day(3) and states(ana)[0] == ["✓1", "·2", "·3"]


def test_a_session_done_twice_counts_once_from_the_first_time() -> None:
    sessions = [record(1, 1, 0), record(1, 1, 1), record(1, 2, 2)]
    calendar = program_calendar(PROGRAM, sessions, today=day(3))
    assert calendar.weeks[0].sessions[0].done_on == day(0)
    assert calendar.weeks[0].compliance == Compliance(3, 2, 1800.0, 2 * SESSION_S)


def test_jumping_ahead_misses_the_weeks_passed_over_at_once() -> None:
    sessions = [record(1, 1, 0), record(3, 1, 2)]
    calendar = program_calendar(PROGRAM, sessions, today=day(3))
    # Week 3 session 1 was done in week 1: moved. The program won't offer weeks 1-2 again.
    assert states(calendar) == [["✓1", "✗2", "✗3"], ["✗1", "✗2", "✗3"], ["→1", "·2", "·3"]]
    assert calendar.progress.next_slot == (3, 2)
    assert calendar.next is not None and calendar.next.state is COMING
    assert [s.slot for s in calendar.coming] == [(3, 2), (3, 3)]


def test_a_session_passed_over_in_this_week_is_missed_at_once() -> None:
    # Monday's session ended early; Wednesday's was done: next is Friday's, and Monday's is
    # not offered again (c in the library can still start it), so it is not "coming".
    sessions = [record(1, 1, 0, status=SessionStatus.ENDED_EARLY), record(1, 2, 2)]
    wednesday = program_calendar(PROGRAM, sessions, today=day(2))
    assert wednesday.progress.next_slot == (1, 3)
    assert states(wednesday)[0] == ["✗1", "✓2", "·3"]
    assert wednesday.coming[0].slot == (1, 3)
    # A week later Friday's session is still the one offered next: coming, due that day.
    later = program_calendar(PROGRAM, sessions, today=day(7))
    assert states(later)[0] == ["✗1", "✓2", "·3"]
    assert later.weeks[0].sessions[2].due == day(7)


def test_late_sessions_share_the_last_day_when_the_week_runs_out() -> None:
    calendar = program_calendar(PROGRAM, [record(1, 1, 0)], today=day(6))  # Sunday
    assert states(calendar)[0] == ["✓1", "·2", "·3"]
    assert days_of(calendar, 0)[1:] == [day(6), day(6)]


def test_a_finished_program_misses_what_was_never_done() -> None:
    sessions = [record(1, 1, 0), record(3, 3, 1)]
    calendar = program_calendar(PROGRAM, sessions, today=day(2))
    assert calendar.progress.finished and calendar.next is None
    assert states(calendar)[1] == ["✗1", "✗2", "✗3"]
    assert calendar.coming == ()


# -- a new run ---------------------------------------------------------------------------------


def test_a_new_run_starts_today_with_everything_coming() -> None:
    thursday = day(3)
    calendar = program_calendar(PROGRAM, [], today=thursday)
    assert calendar.progress.is_new and calendar.start == thursday
    assert [week.start for week in calendar.weeks] == [day(3), day(10), day(17)]
    assert days_of(calendar, 0) == [day(3), day(5), day(7)]
    assert all(session.state is COMING for session in calendar.sessions)
    assert calendar.next is calendar.sessions[0]
    assert calendar.total == Compliance(9, 0, 10800.0, 0.0)


def test_a_new_run_from_a_day_to_come() -> None:
    progress = restart(PROGRAM, datetime(2026, 3, 2, 8, 0))
    sessions = history_with_every_state()  # an older run: no longer counts
    calendar = program_calendar(PROGRAM, sessions, today=day(0), progress=progress, start=day(7))
    assert calendar.start == day(7)
    assert states(calendar) == [["·1", "·2", "·3"]] * 3
    assert [session.due for session in calendar.coming][:3] == [day(7), day(9), day(11)]


# -- breaks ------------------------------------------------------------------------------------


def test_a_break_going_on_plans_the_weeks_again_from_the_week_of_today() -> None:
    sessions = [record(1, 1, 0), record(1, 2, 2), record(1, 3, 4)]
    today = day(25)  # Friday of the fourth week: 21 days since the last session
    assert (today - day(4)).days > LONG_BREAK_DAYS
    calendar = program_calendar(PROGRAM, sessions, today=today)
    progress = next_session(PROGRAM, sessions, today=today)
    # Eased back to week 1 (the week before week 2), as next_session says.
    assert progress.next_slot == (1, 1) and calendar.progress == progress
    assert progress.eased_back == ((1, today),) and progress.first_date == day(0)
    # The weeks as first planned, whose days came during the break, then all three again
    # from Monday 23 March, the week of today.
    assert [(week.label, week.start) for week in calendar.weeks] == [
        ("Week 1", day(0)),
        ("Week 2", day(7)),
        ("Week 3", day(14)),
        ("Week 1 again", day(21)),
        ("Week 2 again", day(28)),
        ("Week 3 again", day(35)),
    ]
    assert states(calendar)[:4] == [
        ["✓1", "✓2", "✓3"],
        ["✗1", "✗2", "✗3"],
        ["✗1", "✗2", "✗3"],
        ["·1", "·2", "·3"],
    ]
    again = calendar.weeks[3]
    assert again.sessions[0].is_next and calendar.next is again.sessions[0]
    # Monday and Wednesday have gone by: Friday (today), Saturday, then Sunday.
    assert days_of(calendar, 3) == [day(25), day(26), day(27)]
    assert calendar.week_of(today) is again
    assert calendar.total == Compliance(18, 3, 21600.0, 3 * SESSION_S)


def test_after_a_break_only_sessions_from_the_day_back_tick_the_weeks_again() -> None:
    sessions = [record(1, 1, 0), record(1, 2, 2), record(1, 3, 4), record(2, 1, 7)]
    # 23 days later, on Wednesday 1 April, week 1 session 1 again, and session 2 on Thursday.
    back = [*sessions, record(1, 1, 30), record(1, 2, 31)]
    calendar = program_calendar(PROGRAM, back, today=day(33))
    assert calendar.progress.eased_back == ((1, day(30)),)
    assert calendar.progress.next_slot == (1, 3)
    labels = [week.label for week in calendar.weeks]
    assert labels == ["Week 1", "Week 2", "Week 3", "Week 1 again", "Week 2 again", "Week 3 again"]
    # Week 1 again is the week of Monday 30 March: session 1 two days late, session 2 one.
    assert calendar.weeks[3].start == day(28)
    assert states(calendar)[:4] == [
        ["✓1", "✓2", "✓3"],
        ["✓1", "✗2", "✗3"],  # as planned before the break: what was done stays on it
        ["✗1", "✗2", "✗3"],
        ["→1", "✓2", "·3"],
    ]
    assert calendar.weeks[3].sessions[2].due == day(33)
    # Both plans of week 1 count: 3 sessions before the break and 2 after it.
    assert calendar.total.done_sessions == 6


def test_a_break_ahead_of_the_plan_does_not_bring_a_week_forward() -> None:
    # Weeks 1 and 2 done in the first week, then 15 days off: back to week 2, whose plan
    # (9-15 March) is no earlier than the week of the day back would put it.
    sessions = [record(w, n, i) for i, (w, n) in enumerate([(1, 1), (1, 2), (1, 3), (2, 1)])]
    sessions.append(record(2, 2, 18))
    calendar = program_calendar(PROGRAM, sessions, today=day(18))
    assert calendar.progress.eased_back == ((1, day(18)),)
    assert calendar.weeks[-1].start >= day(14)


# -- the calendar says what next_session says --------------------------------------------------

slots = st.sampled_from([(w, n) for w in (1, 2, 3) for n in (1, 2, 3)])
outcomes = st.sampled_from([SessionStatus.COMPLETED, SessionStatus.ENDED_EARLY])
histories = st.lists(st.tuples(slots, st.integers(0, 20), outcomes), max_size=8)


@given(histories, st.integers(0, 30))
def test_the_calendar_agrees_with_next_session(
    history: list[tuple[tuple[int, int], int, SessionStatus]], after: int
) -> None:
    sessions = []
    offset = 0
    for (week, number), gap, status in history:
        offset += gap
        sessions.append(record(week, number, offset, status=status))
    today = day(offset + after)
    calendar = program_calendar(PROGRAM, sessions, today=today)
    progress = next_session(PROGRAM, sessions, today=today)
    assert progress.next_slot == calendar.progress.next_slot
    assert (calendar.next.slot if calendar.next else None) == progress.next_slot
    # Every slot is in one live row: the latest row of its week.
    latest = {week.number: week for week in calendar.weeks}
    for week in calendar.weeks:
        assert week.start.weekday() == calendar.start.weekday()
        for session in week.sessions:
            if session.state is COMING:
                assert week is latest[week.number]
                assert session.due is not None and today <= session.due
                # Only the session offered next can be due after its week: it is never missed.
                assert session.due < week.end or session.is_next
    if calendar.next is not None:
        assert calendar.next.state is COMING
    # What is ticked off in the live rows is what next_session counts for what's next.
    for week in latest.values():
        for session in week.sessions:
            if session.is_done:
                assert session.record is not None
                assert session.record.program is not None
                assert session.record.program.week == week.number
