"""A program's coming sessions as an .ics file, read back with icalendar.

Three weeks of three sessions, session ``n`` of week ``w`` planning ``10 w``
minutes, from Monday 2 March 2026 (as in ``test_program_calendar``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from icalendar import Calendar

from retro_tui.coach.calendar import program_calendar
from retro_tui.history.record import ProgramSlot, SessionRecord, SessionStatus, StepRecord
from retro_tui.interchange.calendar_ics import calendar_ics, plan_description
from retro_tui.plan import parse_plan_text
from retro_tui.plan.model import Direction, Kind, Origin, Plan, Step
from retro_tui.plan.program import Program, ProgramSession, Week

START = date(2026, 3, 2)  # a Monday
NOW = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)
SEVEN = time(7, 0)


def make_program(name: str = "Block") -> Program:
    def plan(week: int, number: int) -> Plan:
        step = Step("Backward", Kind.WORK, Direction.BACKWARD, 600 * week, Origin((0,), 1))
        return Plan(f"Plan {week}.{number}", (step,))

    weeks = tuple(
        Week(week, f"Week {week}", tuple(ProgramSession(week, n, plan(week, n), None)
                                         for n in (1, 2, 3)))
        for week in (1, 2, 3)
    )  # fmt: skip
    return Program(name, "", weeks, Path("/plans/block.toml"))


PROGRAM = make_program()


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def record(week: int, number: int, offset: int) -> SessionRecord:
    """A completed session of slot (week, number) at 07:00 on day ``offset``, in run-1."""
    started = datetime.combine(day(offset), time(7, 0), tzinfo=UTC)
    return SessionRecord(
        id=f"{started:%Y%m%dT%H%M%S}-{week}{number}00",
        plan=f"Plan {week}.{number}",
        started=started,
        ended=started + timedelta(minutes=8),
        status=SessionStatus.COMPLETED,
        steps=(StepRecord("Backward", "work", "backward", 480, 480.0),),
        program=ProgramSlot("Block", week, number, "run-1", "block.toml"),
    )


def events(data: bytes) -> list[dict[str, object]]:
    """Each VEVENT's decoded start, end, UID, summary, description and stamp."""
    parsed = Calendar.from_ical(data)
    return [
        {
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
            "uid": str(event["uid"]),
            "summary": str(event["summary"]),
            "description": str(event["description"]),
            "stamp": event.decoded("dtstamp"),
        }
        for event in parsed.walk("VEVENT")
    ]


def test_one_event_per_coming_session_at_the_time_asked() -> None:
    calendar = program_calendar(PROGRAM, [], today=START)
    data = calendar_ics(calendar, SEVEN, NOW)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    found = events(data)
    assert len(found) == 9
    starts = [event["start"] for event in found]
    week_days = [0, 2, 4, 7, 9, 11, 14, 16, 18]  # Mon, Wed, Fri of three weeks
    assert starts == [datetime.combine(day(offset), SEVEN) for offset in week_days]
    # Floating local time: no zone, so the phone reads 07:00 as its own 07:00.
    assert all(isinstance(start, datetime) and start.tzinfo is None for start in starts)
    assert b"DTSTART:20260302T070000\r\n" in data
    # Each lasts its plan's total time: 10 w minutes.
    lengths = [event["end"] - event["start"] for event in found]  # type: ignore[operator]
    assert lengths == [timedelta(minutes=10 * week) for week in (1, 2, 3) for _ in range(3)]
    assert found[3]["summary"] == "retro-tui: Week 2 · Session 1 — Plan 2.1"
    assert all(event["stamp"] == NOW for event in found)
    assert Calendar.from_ical(data)["x-wr-calname"] == "retro-tui: Block"


def test_only_coming_sessions_and_on_the_day_they_are_due() -> None:
    sessions = [record(1, 1, 0), record(1, 2, 2)]
    calendar = program_calendar(PROGRAM, sessions, today=day(5))  # Saturday: Friday's is late
    found = events(calendar_ics(calendar, time(18, 30), NOW))
    assert [event["summary"] for event in found][:2] == [
        "retro-tui: Week 1 · Session 3 — Plan 1.3",
        "retro-tui: Week 2 · Session 1 — Plan 2.1",
    ]
    assert found[0]["start"] == datetime(2026, 3, 7, 18, 30)
    assert len(found) == 7


def test_uids_are_stable_across_writes_and_once_the_run_has_begun() -> None:
    before = program_calendar(PROGRAM, [], today=START)
    first = events(calendar_ics(before, SEVEN, NOW))
    again = events(calendar_ics(before, time(6, 0), NOW + timedelta(days=1)))
    uids = [event["uid"] for event in first]
    assert len(set(uids)) == 9
    assert all(uid.endswith("@retro-tui") for uid in uids)
    assert "-week2-session1@" in uids[3]
    assert [event["uid"] for event in again] == uids
    assert again[0]["stamp"] != first[0]["stamp"]
    # Session 1 done on the day planned: the file written after it updates the same events.
    after = program_calendar(PROGRAM, [record(1, 1, 0)], today=day(1))
    assert after.progress.run == "run-1" and after.progress.run != before.progress.run
    assert [event["uid"] for event in events(calendar_ics(after, SEVEN, NOW))] == uids[1:]


def test_another_athlete_or_program_has_other_uids_another_day_the_same() -> None:
    uids = set()
    for calendar in (
        program_calendar(PROGRAM, [], today=START),
        program_calendar(PROGRAM, [], athlete="Ana", today=START),
        program_calendar(make_program(name="Other"), [], today=START),
    ):
        uids.add(events(calendar_ics(calendar, SEVEN, NOW))[0]["uid"])
    assert len(uids) == 3
    # A run not started yet is dated from today: exported again tomorrow, the phone moves
    # the events it has rather than showing each twice.
    tomorrow = program_calendar(PROGRAM, [], today=START + timedelta(days=1))
    today = program_calendar(PROGRAM, [], today=START)
    assert [event["uid"] for event in events(calendar_ics(tomorrow, SEVEN, NOW))] == [
        event["uid"] for event in events(calendar_ics(today, SEVEN, NOW))
    ]


def test_the_description_gives_the_steps_in_brief_and_backward_minutes() -> None:
    plan = parse_plan_text(
        """\
[plan]
name = "Hills, backward; short"

[[step]]
name = "Build-up"
kind = "warmup"
ladder = { from = 3.0, to = 4.0, by = 0.5, hold = "1m" }

[[step]]
name = "Backward intervals"
repeat = 3
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 2.5
  [[step.step]]
  kind = "recover"
  duration = "1m30s"
  speed = 3.0

[[step]]
kind = "cooldown"
duration = "4m"
"""
    )
    assert plan_description(plan) == (
        "Hills, backward; short: 13m, 1.5 backward minutes in 3 intervals\n"
        "- Build-up: 3 x 1m forward, 3 to 4 mph\n"
        "- Backward intervals: 3 x (30s backward at 2.5 mph, 1m30s forward at 3 mph)\n"
        "- Cool-down: 4m forward"
    )


def test_the_user_s_text_is_escaped_and_read_back_as_written() -> None:
    plan = parse_plan_text('[plan]\nname = "Hills, backward; [b]"\n\n[[step]]\nduration = "5m"\n')
    week = Week(1, "Week 1", (ProgramSession(1, 1, plan, None),))
    program = Program("Spring, block; [b]", "", (week,))
    data = calendar_ics(program_calendar(program, [], today=START), SEVEN, NOW)
    assert (
        b"SUMMARY:retro-tui: Week 1 \xc2\xb7 Session 1 \xe2\x80\x94 Hills\\, backward\\; [b]"
        in data
    )
    (event,) = events(data)
    assert event["summary"] == "retro-tui: Week 1 · Session 1 — Hills, backward; [b]"
    assert Calendar.from_ical(data)["x-wr-calname"] == "retro-tui: Spring, block; [b]"
    # Lines are folded at 75 octets, as RFC 5545 asks.
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
