"""One truthful word for how a session ended, and step times that add up to the session's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord, session_from_table
from retro_tui.history.session import build_session, ending_reason
from retro_tui.plan import parse_plan_text
from retro_tui.plan.durations import elapsed_shares, format_elapsed, whole_seconds
from retro_tui.presentation import session_summary, table_cells
from retro_tui.workout import FakeClock, Workout

STARTED = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)

PLAN = """
[plan]
name = "Short"

[[step]]
kind = "warmup"
duration = "15s"

[[step]]
repeat = 2
  [[step.step]]
  direction = "backward"
  duration = "30s"
  [[step.step]]
  kind = "recover"
  duration = "15s"
"""
"""1:45 in all, 1:00 of it backward."""

FORWARD_ONLY = """
[plan]
name = "Walk"

[[step]]
duration = "2m"
"""


def finished(text: str, *jumps: float, skips: int = 0) -> Workout:
    clock = FakeClock()
    workout = Workout(parse_plan_text(text), clock)
    workout.start()
    for jump in jumps:
        clock.advance(jump)
        workout.poll()
    for _ in range(skips):
        clock.advance(5.0)
        workout.skip()
    return workout


def session(workout: Workout):  # type: ignore[no-untyped-def]
    return build_session(workout, session_id="s1", started=STARTED, ended=STARTED)


def test_a_plan_run_to_its_end_is_completed() -> None:
    workout = finished(PLAN, 105)
    assert session(workout).status is SessionStatus.COMPLETED
    assert ending_reason(workout, session(workout)) == ""


def test_a_plan_skipped_through_to_its_end_ended_early_and_says_why() -> None:
    # Five seconds a step, each skipped: 25 s of a 1:45 plan, 10 s of its minute backward.
    workout = finished(PLAN, skips=5)
    assert workout.is_over
    record = session(workout)
    assert record.status is SessionStatus.ENDED_EARLY
    assert ending_reason(workout, record) == (
        "The plan reached its end, but only 0:10 of its 1:00 backward was done: "
        "it takes at least half."
    )


def test_half_the_backward_time_is_enough() -> None:
    # Warm-up skipped at once, the first interval in full, the rest skipped within seconds.
    clock = FakeClock()
    workout = Workout(parse_plan_text(PLAN), clock)
    workout.start()
    clock.advance(0.5)
    workout.skip()
    clock.advance(30)
    workout.poll()
    for _ in range(3):
        clock.advance(0.5)
        workout.skip()
    assert workout.is_over
    assert session(workout).status is SessionStatus.COMPLETED


def test_a_plan_without_backward_steps_needs_half_its_time() -> None:
    # A skip comes 5 s after the jumps: 65 s of 2:00 is over half, 55 s is not.
    assert session(finished(FORWARD_ONLY, 60, skips=1)).status is SessionStatus.COMPLETED
    assert session(finished(FORWARD_ONLY, 50, skips=1)).status is SessionStatus.ENDED_EARLY


def test_ended_with_q_is_ended_early_and_a_running_one_is_recovered() -> None:
    workout = finished(PLAN, 20)
    assert session(workout).status is SessionStatus.RECOVERED  # a journal snapshot
    workout.abort()
    record = session(workout)
    assert record.status is SessionStatus.ENDED_EARLY
    assert ending_reason(workout, record) == "Stopped before the end of the plan."


def test_the_word_is_the_same_in_the_log_the_table_and_on_screen() -> None:
    record = session(finished(PLAN, skips=5))
    assert str(record.status) == "ended early"
    assert table_cells(session_summary(record))[-1] == "ended early"


def test_old_logs_that_say_aborted_read_as_ended_early() -> None:
    table = {
        "id": "old",
        "plan": "Retro starter",
        "started": STARTED,
        "ended": STARTED,
        "status": "aborted",
        "step": [],
    }
    assert session_from_table(table).status is SessionStatus.ENDED_EARLY


# -- one rounding rule ---------------------------------------------------------------------


def test_time_done_rounds_to_the_nearest_second() -> None:
    assert [whole_seconds(value) for value in (5.014, 29.5, 29.49, 0.4, -1)] == [5, 30, 29, 0, 0]
    assert format_elapsed(5.014) == "0:05"
    assert format_elapsed(3599.6) == "1:00:00"


def test_step_times_add_up_to_the_session_time() -> None:
    # The case seen: 5.014 s steps showed as 0:06 each, the rows adding up to more than
    # the session.
    parts = [5.014] * 12 + [12.0]
    shares = elapsed_shares(parts)
    assert shares[:3] == [5, 5, 5]
    assert sum(shares) == whole_seconds(sum(parts))


@given(st.lists(st.floats(min_value=0, max_value=4000, allow_nan=False), max_size=60))
def test_shares_always_add_up(parts: list[float]) -> None:
    shares = elapsed_shares(parts)
    assert sum(shares) == whole_seconds(sum(parts))
    assert all(share >= 0 for share in shares)
    # No part is more than a second off its own time.
    assert all(abs(share - part) <= 1 for share, part in zip(shares, parts, strict=True))


def test_the_backward_time_shown_is_the_sum_of_the_backward_rows() -> None:
    # Forward 0.6 s, backward 0.6 s, forward 0.6 s: rows 0:01, 0:00, 0:01 on the running
    # clock; the backward time shown above them is their 0:00, not 0.6 s rounded to 0:01.
    steps = tuple(
        StepRecord("Step", "work", direction, 1, 0.6)
        for direction in ("forward", "backward", "forward")
    )
    started = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    session = SessionRecord("x", "p", started, started, SessionStatus.ENDED_EARLY, steps)
    shares = elapsed_shares(step.actual_s for step in steps)
    assert shares == [1, 0, 1]
    assert session.backward_shown_s == 0


@pytest.mark.parametrize(("seconds", "shown"), [(0, "0:00"), (59.6, "1:00"), (61.4, "1:01")])
def test_format_elapsed(seconds: float, shown: str) -> None:
    assert format_elapsed(seconds) == shown
