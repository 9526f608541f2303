"""Which program session is next, worked out from seeded histories.

Sessions are built directly as records: a six-week program of three sessions
a week, sessions every other day from Monday 2 March 2026, and ``today`` the
day after the last one unless a test is about a break.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from retro_tui.coach.programs import (
    LONG_BREAK_DAYS,
    ProgramProgress,
    new_run_id,
    next_session,
    restart,
    slot_for,
)
from retro_tui.history.record import ProgramSlot, SessionRecord, SessionStatus, StepRecord
from retro_tui.plan.model import Direction, Kind, Origin, Plan, Step
from retro_tui.plan.program import Program, ProgramSession, Week

START = date(2026, 3, 2)
COMPLETED = SessionStatus.COMPLETED


def make_program(name: str = "Block", weeks: int = 6, per_week: int = 3) -> Program:
    def plan(week: int, number: int) -> Plan:
        step = Step("Backward", Kind.WORK, Direction.BACKWARD, 60 * week, Origin((0,), 1))
        return Plan(f"Week {week}.{number}", (step,))

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
            )
            for week in range(1, weeks + 1)
        ),
        source=Path("/plans/block.toml"),
    )


PROGRAM = make_program()


def session(
    week: int,
    number: int,
    day: int,
    *,
    run: str = "run-1",
    status: SessionStatus = COMPLETED,
    athlete: str = "",
    program: str = "Block",
) -> SessionRecord:
    """A session of ``program`` for slot (week, number), on day ``day`` after START."""
    started = datetime.combine(START + timedelta(days=day), datetime.min.time()).replace(
        hour=7, tzinfo=UTC
    )
    return SessionRecord(
        id=f"{started:%Y%m%dT%H%M%S}-{week}{number}{day}",
        plan=f"Week {week}.{number}",
        started=started,
        ended=started + timedelta(minutes=30),
        status=status,
        steps=(),
        athlete=athlete,
        program=ProgramSlot(program, week, number, run, "block.toml"),
    )


def in_order(*slots: tuple[int, int], athlete: str = "") -> list[SessionRecord]:
    """Sessions for ``slots`` one after the other, two days apart from day 0."""
    return [
        session(week, number, index * 2, athlete=athlete)
        for index, (week, number) in enumerate(slots)
    ]


def first_weeks(count: int) -> list[tuple[int, int]]:
    return [(week, number) for week in range(1, count + 1) for number in (1, 2, 3)]


def progress_for(
    sessions: list[SessionRecord], *, today: date | None = None, athlete: str = ""
) -> ProgramProgress:
    if today is None:
        last = max((record.started.date() for record in sessions), default=START)
        today = last + timedelta(days=1)
    return next_session(PROGRAM, sessions, athlete=athlete, today=today)


# -- a new program ---------------------------------------------------------------------------


def test_nothing_done_yet_starts_week_1_with_a_fresh_run() -> None:
    progress = progress_for([], today=START)
    assert progress.next_slot == (1, 1)
    assert progress.next_session is PROGRAM.session(1, 1)
    assert re.fullmatch(r"20260302T000000-[0-9a-f]{4}", progress.run)
    assert progress.is_new and progress.last_date is None
    assert progress.sessions_done == 0
    assert progress.session_count == 18
    assert progress.done == ((False, False, False),) * 6
    assert progress.note == ""
    assert not progress.finished


def test_new_run_ids_are_the_time_and_random_bits() -> None:
    now = datetime(2026, 3, 2, 7, 5, 9)
    ids = {new_run_id(now) for _ in range(20)}
    assert all(re.fullmatch(r"20260302T070509-[0-9a-f]{4}", run) for run in ids)
    assert len(ids) > 1


# -- going through it ------------------------------------------------------------------------


def test_in_progress_continues_after_the_last_session() -> None:
    sessions = in_order((1, 1), (1, 2), (1, 3), (2, 1))
    progress = progress_for(sessions)
    assert progress.next_slot == (2, 2)
    assert progress.run == "run-1"
    assert progress.sessions_done == 4
    assert progress.done[:2] == ((True, True, True), (True, False, False))
    assert progress.is_done(2, 1) and not progress.is_done(2, 2)
    assert not progress.is_done(9, 1)
    assert progress.last_date == START + timedelta(days=6)
    assert progress.note == ""


def test_sessions_are_taken_in_time_order_whatever_order_they_come_in() -> None:
    sessions = in_order((1, 1), (1, 2), (1, 3), (2, 1))
    assert progress_for(sessions[::-1]) == progress_for(sessions)


def test_a_repeated_session_does_not_move_you_back() -> None:
    sessions = in_order((1, 1), (1, 2), (1, 3), (2, 1), (1, 2))
    progress = progress_for(sessions)
    assert progress.next_slot == (2, 2)
    assert progress.sessions_done == 4


def test_repeating_the_last_session_offers_the_one_after_it() -> None:
    progress = progress_for(in_order((1, 1), (1, 2), (1, 2)))
    assert progress.next_slot == (1, 3)
    assert progress.sessions_done == 2


def test_an_aborted_session_does_not_tick_its_slot_off() -> None:
    sessions = [session(1, 1, 0), session(1, 2, 2, status=SessionStatus.ENDED_EARLY)]
    progress = progress_for(sessions)
    assert progress.next_slot == (1, 2)
    assert progress.done[0] == (True, False, False)
    # The aborted session still is the run's latest session.
    assert progress.last_date == START + timedelta(days=2)


def test_a_session_skipped_straight_through_does_not_tick_its_slot_off() -> None:
    backward = StepRecord("Backward", "work", "backward", 30, 0.6, skipped=True)
    walk = StepRecord("Walk", "recover", "forward", 60, 60.0)
    all_skipped = dataclasses.replace(session(1, 2, 2), steps=(backward, walk))
    # Steps skipped within a second are not recorded: nothing backward is left at all.
    nothing_recorded = dataclasses.replace(session(1, 2, 3), steps=(walk,), planned_intervals=2)
    progress = progress_for([session(1, 1, 0), all_skipped, nothing_recorded])
    assert progress.next_slot == (1, 2)
    assert progress.done[0] == (True, False, False)
    one_done = dataclasses.replace(backward, actual_s=30.0, skipped=False)
    progress = progress_for(
        [session(1, 1, 0), dataclasses.replace(all_skipped, steps=(backward, one_done))]
    )
    assert progress.next_slot == (1, 3)


def test_a_recovered_session_counts_as_done() -> None:
    sessions = [session(1, 1, 0), session(1, 2, 2, status=SessionStatus.RECOVERED)]
    assert progress_for(sessions).next_slot == (1, 3)


def test_only_aborted_sessions_keep_week_1_session_1() -> None:
    progress = progress_for([session(1, 1, 0, status=SessionStatus.ENDED_EARLY)])
    assert progress.next_slot == (1, 1)
    assert progress.run == "run-1"
    assert not progress.is_new
    assert progress.note == ""


# -- jumping ahead ---------------------------------------------------------------------------


def test_skipped_weeks_are_skipped_with_a_note() -> None:
    progress = progress_for(in_order(*first_weeks(1), (4, 1)))
    assert progress.next_slot == (4, 2)
    assert progress.note == "Weeks 2-3 were skipped"
    assert progress.done[1:3] == ((False, False, False),) * 2


def test_one_skipped_week_and_separate_ones() -> None:
    assert progress_for(in_order((1, 1), (3, 1))).note == "Week 2 was skipped"
    assert progress_for(in_order((1, 1), (3, 1), (6, 1))).note == "Weeks 2 and 4-5 were skipped"


def test_starting_in_a_later_week_skips_the_first() -> None:
    progress = progress_for(in_order((3, 1)))
    assert progress.next_slot == (3, 2)
    assert progress.note == "Weeks 1-2 were skipped"


def test_going_back_to_fill_in_a_skipped_week() -> None:
    progress = progress_for(in_order(*first_weeks(1), (4, 1), (2, 1)))
    assert progress.next_slot == (2, 2)
    assert progress.note == ""


def test_a_slot_the_program_no_longer_has_is_ignored() -> None:
    progress = progress_for(in_order((1, 1), (9, 1), (1, 4)))
    assert progress.next_slot == (1, 2)
    assert progress.sessions_done == 1


# -- breaks ----------------------------------------------------------------------------------


def test_a_long_break_goes_back_to_the_start_of_the_week_before() -> None:
    sessions = in_order(*first_weeks(2), (3, 1))
    last = START + timedelta(days=12)
    progress = progress_for(sessions, today=last + timedelta(days=21))
    assert progress.next_slot == (2, 1)
    assert progress.note == "It's been 3 weeks: repeat week 2 to ease back in"
    # What was done stays ticked off.
    assert progress.sessions_done == 7
    assert progress.last_date == last


def test_two_weeks_is_not_yet_a_long_break() -> None:
    sessions = in_order(*first_weeks(2), (3, 1))
    last = START + timedelta(days=12)
    on_time = progress_for(sessions, today=last + timedelta(days=LONG_BREAK_DAYS))
    assert on_time.next_slot == (3, 2)
    late = progress_for(sessions, today=last + timedelta(days=LONG_BREAK_DAYS + 1))
    assert late.next_slot == (2, 1)
    assert late.note == "It's been 2 weeks: repeat week 2 to ease back in"


def test_a_break_in_week_1_never_goes_before_week_1() -> None:
    progress = progress_for(in_order((1, 1), (1, 2)), today=START + timedelta(days=40))
    assert progress.next_slot == (1, 1)
    assert progress.note == "It's been 5 weeks: repeat week 1 to ease back in"


def test_a_break_at_the_start_of_a_week_repeats_the_week_before() -> None:
    progress = progress_for(in_order(*first_weeks(3)), today=START + timedelta(days=60))
    assert progress.next_slot == (3, 1)
    assert progress.note == "It's been 6 weeks: repeat week 3 to ease back in"


def test_after_easing_back_in_the_repeated_week_is_done_in_full() -> None:
    before = in_order(*first_weeks(2), (3, 1))
    after_break = [session(2, 1, 40), session(2, 2, 42)]
    progress = progress_for(before + after_break)
    assert progress.next_slot == (2, 3)
    assert progress.note == ""
    done_again = after_break + [session(2, 3, 44)]
    assert progress_for(before + done_again).next_slot == (3, 1)


def test_after_a_break_a_jump_forward_is_still_followed() -> None:
    before = in_order(*first_weeks(2), (3, 1))
    assert progress_for([*before, session(3, 2, 40)]).next_slot == (3, 3)


def test_a_finished_program_stays_finished_after_a_break() -> None:
    sessions = in_order(*first_weeks(6))
    progress = progress_for(sessions, today=START + timedelta(days=200))
    assert progress.finished
    assert progress.note.startswith("Program finished")


# -- the end and starting over ---------------------------------------------------------------


def test_finished_after_the_last_session() -> None:
    progress = progress_for(in_order(*first_weeks(6)))
    assert progress.finished
    assert progress.next_slot is None and progress.next_session is None
    assert progress.sessions_done == 18
    assert progress.note == (
        "Program finished: check your backward speed, balance and strength, "
        "then restart it or choose another program"
    )
    with pytest.raises(ValueError, match="finished"):
        slot_for(progress)


def test_finished_by_jumping_to_the_last_session_mentions_the_skipped_weeks() -> None:
    progress = progress_for(in_order(*first_weeks(1), (6, 3)))
    assert progress.finished
    assert progress.note.endswith(". Weeks 2-5 were skipped")


def test_restart_starts_a_new_run_from_week_1() -> None:
    now = datetime(2026, 5, 1, 18, 30, tzinfo=UTC)
    progress = restart(PROGRAM, now)
    assert progress.next_slot == (1, 1)
    assert progress.is_new and progress.sessions_done == 0
    assert progress.run.startswith("20260501T183000-")
    slot = slot_for(progress)
    assert slot == ProgramSlot("Block", 1, 1, progress.run, "block.toml")


def test_a_restart_ignores_the_older_run() -> None:
    old_run = in_order(*first_weeks(6))
    new_run = [session(1, 1, 50, run="run-2")]
    progress = progress_for(old_run + new_run)
    assert progress.run == "run-2"
    assert progress.next_slot == (1, 2)
    assert progress.sessions_done == 1
    assert progress.note == ""


def test_the_latest_run_is_the_run_of_the_most_recent_session() -> None:
    sessions = [
        session(1, 1, 0, run="a"),
        session(1, 1, 2, run="b"),
        session(1, 2, 4, run="a"),
    ]
    progress = progress_for(sessions)
    assert progress.run == "a"
    assert progress.next_slot == (1, 3)


def test_slot_for_stamps_the_next_session_or_a_chosen_one() -> None:
    progress = progress_for(in_order((1, 1), (1, 2)))
    assert slot_for(progress) == ProgramSlot("Block", 1, 3, "run-1", "block.toml")
    assert slot_for(progress, (4, 1)) == ProgramSlot("Block", 4, 1, "run-1", "block.toml")
    with pytest.raises(ValueError, match="no week 7, session 1"):
        slot_for(progress, (7, 1))


def test_a_finished_program_can_still_stamp_a_chosen_session() -> None:
    progress = progress_for(in_order(*first_weeks(6)))
    assert slot_for(progress, (6, 3)).session == 3


# -- whose sessions count --------------------------------------------------------------------


def test_athletes_are_kept_apart() -> None:
    sessions = [
        *in_order((1, 1), (1, 2), athlete="Ana"),
        session(1, 1, 1, athlete="ben", run="ben-run"),
        session(1, 1, 3, run="nobody"),
    ]
    ana = progress_for(sessions, athlete=" ANA ")
    assert (ana.next_slot, ana.run) == ((1, 3), "run-1")
    ben = progress_for(sessions, athlete="Ben")
    assert (ben.next_slot, ben.run) == ((1, 2), "ben-run")
    nobody = progress_for(sessions)
    assert (nobody.next_slot, nobody.run) == ((1, 2), "nobody")
    stranger = progress_for(sessions, athlete="Cleo")
    assert stranger.next_slot == (1, 1) and stranger.is_new


def test_other_programs_and_plain_sessions_are_ignored() -> None:
    plain = SessionRecord(
        id="plain",
        plan="Retro starter",
        started=datetime(2026, 3, 20, 7, tzinfo=UTC),
        ended=datetime(2026, 3, 20, 8, tzinfo=UTC),
        status=COMPLETED,
        steps=(),
    )
    sessions = [
        *in_order((1, 1), (1, 2)),
        session(4, 1, 10, program="Other block", run="other"),
        session(1, 3, 12, program="  BLOCK ", run="run-1"),  # the same program, typed loosely
        plain,
    ]
    progress = progress_for(sessions, today=date(2026, 3, 21))
    assert progress.next_slot == (2, 1)
    assert progress.run == "run-1"
    assert progress.note == ""


def test_naive_and_aware_times_mix() -> None:
    aware = session(1, 2, 2)
    naive = dataclasses.replace(aware, started=aware.started.replace(tzinfo=None))
    progress = progress_for([session(1, 1, 0), naive])
    assert progress.next_slot == (1, 3)
