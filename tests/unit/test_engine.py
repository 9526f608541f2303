"""The workout engine on a fake clock: every transition once, on time, however it is polled."""

from __future__ import annotations

import random

import pytest

from retro_tui.plan import parse_plan_text
from retro_tui.plan.model import Plan
from retro_tui.workout import (
    Countdown,
    CueDue,
    Event,
    FakeClock,
    RatingDue,
    Status,
    StepEnded,
    StepStarted,
    Workout,
    WorkoutEnded,
    WorkoutError,
)

INTERVALS = """
[plan]
name = "Intervals"

[[step]]
kind = "warmup"
duration = "1m"
speed = 5.0
cues = [{ at = "20s", text = "Relax the shoulders" }, "Tall chest"]

[[step]]
repeat = 2
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 2.0
  [[step.step]]
  kind = "recover"
  duration = "20s"
"""


def make(text: str = INTERVALS) -> tuple[Workout, FakeClock, Plan]:
    plan = parse_plan_text(text)
    clock = FakeClock(start=500.0)
    return Workout(plan, clock), clock, plan


def run_with_jumps(workout: Workout, clock: FakeClock, jumps: list[float]) -> list[Event]:
    events: list[Event] = []
    workout.start()
    events += workout.poll()
    for jump in jumps:
        if workout.is_over:
            break
        clock.advance(jump)
        events += workout.poll()
    while not workout.is_over:
        clock.advance(1.0)
        events += workout.poll()
    return events


def expected_boundaries(plan: Plan, start: float) -> list[tuple[float, float]]:
    bounds = []
    at = start
    for step in plan.steps:
        bounds.append((at, at + step.duration_s))
        at += step.duration_s
    return bounds


@pytest.mark.parametrize(
    "jumps",
    [
        [0.3] * 1000,
        [2.7] * 100,
        [10.0] * 30,
        [0.3, 2.7, 10.0, 0.3, 0.3, 2.7] * 40,
        [95.0, 0.3, 0.3, 61.0],  # a stall straight across two whole steps
    ],
    ids=["0.3s", "2.7s", "10s-stall", "mixed", "long-stalls"],
)
def test_each_transition_exactly_once_at_its_due_time(jumps: list[float]) -> None:
    workout, clock, plan = make()
    events = run_with_jumps(workout, clock, jumps)
    started = [event for event in events if isinstance(event, StepStarted)]
    ended = [event for event in events if isinstance(event, StepEnded)]
    bounds = expected_boundaries(plan, 500.0)
    assert [event.index for event in started] == list(range(len(plan.steps)))
    assert [event.index for event in ended] == list(range(len(plan.steps)))
    assert [event.at for event in started] == pytest.approx([start for start, _ in bounds])
    assert [event.at for event in ended] == pytest.approx([end for _, end in bounds])
    assert all(not event.skipped for event in ended)
    finished = [event for event in events if isinstance(event, WorkoutEnded)]
    assert len(finished) == 1
    assert finished[0].at == pytest.approx(500.0 + plan.total_s)
    assert finished[0].status is Status.FINISHED
    # Events come out in the order they were due.
    assert [event.at for event in events] == sorted(event.at for event in events)


@pytest.mark.parametrize("jump", [0.3, 2.7, 10.0])
def test_countdown_warnings_once_each_at_three_two_one(jump: float) -> None:
    workout, clock, plan = make()
    events = run_with_jumps(workout, clock, [jump] * 500)
    warnings = [event for event in events if isinstance(event, Countdown)]
    bounds = expected_boundaries(plan, 500.0)
    expected = [
        (index, left, end - left) for index, (_, end) in enumerate(bounds) for left in (3, 2, 1)
    ]
    assert [(w.index, w.seconds_left, w.at) for w in warnings] == [
        (index, left, pytest.approx(at)) for index, left, at in expected
    ]


def test_timed_cue_fires_once_at_its_time() -> None:
    workout, clock, _ = make()
    events = run_with_jumps(workout, clock, [0.3] * 300)
    cues = [event for event in events if isinstance(event, CueDue)]
    assert len(cues) == 1
    assert cues[0].cue.text == "Relax the shoulders"
    assert cues[0].at == pytest.approx(520.0)


def test_rating_due_after_each_backward_work_step_only() -> None:
    workout, clock, plan = make()
    events = run_with_jumps(workout, clock, [2.7] * 100)
    due = [event for event in events if isinstance(event, RatingDue)]
    assert [event.index for event in due] == [1, 3]
    assert all(plan.steps[event.index].is_backward_work for event in due)
    # Each rating is due the moment its step ends.
    ends = {event.index: event.at for event in events if isinstance(event, StepEnded)}
    assert [event.at for event in due] == [ends[1], ends[3]]


def test_rating_goes_to_the_latest_due_run_and_can_be_changed() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(60 + 30)  # warm-up and first backward interval done
    workout.poll()
    assert workout.rating_run == 1
    workout.rate(5)
    workout.rate(6)  # changed his mind before the next rating is due
    clock.advance(20 + 30)
    workout.poll()
    assert workout.rating_run == 3
    workout.rate(8)
    assert [run.rpe for run in workout.runs] == [None, 6, None, 8]
    with pytest.raises(WorkoutError):
        workout.rate(11)


def test_no_rating_is_open_before_a_rated_step_ends() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(10)
    workout.poll()
    assert workout.rating_run is None
    with pytest.raises(WorkoutError):
        workout.rate(3)


def test_pause_stops_the_clock_and_resume_shifts_the_deadline() -> None:
    workout, clock, _ = make()
    workout.start()
    workout.poll()
    clock.advance(10)
    workout.pause()
    assert workout.status is Status.PAUSED
    clock.advance(300)  # a long pause: nothing may move
    assert workout.poll() == []
    assert workout.remaining_s == pytest.approx(50)
    workout.resume()
    assert workout.deadline() == pytest.approx(500 + 60 + 300)
    clock.advance(50)
    events = workout.poll()
    assert any(isinstance(event, StepEnded) and event.at == pytest.approx(860) for event in events)
    assert workout.runs[0].actual_s == pytest.approx(60)
    assert workout.paused_total_s == pytest.approx(300)


def test_pause_and_resume_many_times_keep_the_sum_exact() -> None:
    workout, clock, plan = make()
    workout.start()
    paused = 0.0
    rng = random.Random(7)
    while not workout.is_over:
        clock.advance(rng.choice([0.3, 1.1, 2.7]))
        workout.poll()
        if workout.is_over:
            break
        if rng.random() < 0.1:
            workout.toggle_pause()
            pause = rng.choice([0.5, 4.0, 30.0])
            clock.advance(pause)
            paused += pause
            workout.toggle_pause()
    assert workout.ended_at is not None and workout.started_at is not None
    assert workout.ended_at - workout.started_at - paused == pytest.approx(plan.total_s)
    assert sum(run.actual_s for run in workout.runs) == pytest.approx(plan.total_s)


def test_skip_records_the_step_as_skipped_and_starts_the_next_now() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(12.5)
    workout.skip()
    events = workout.poll()
    assert events[-2:] == [StepEnded(0, 512.5, 12.5, True), StepStarted(1, 512.5)]
    assert workout.index == 1
    assert workout.runs[0].skipped and workout.runs[0].actual_s == pytest.approx(12.5)
    assert workout.remaining_s == pytest.approx(30)


def test_skipping_a_rated_step_after_a_while_still_asks_for_a_rating() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(60)
    workout.poll()
    clock.advance(10)
    workout.skip()
    assert any(isinstance(event, RatingDue) for event in workout.poll())
    clock.advance(1)
    workout.skip()  # the recovery, skipped almost at once
    clock.advance(2)
    workout.skip()  # the second backward interval, after only 2 s: not worth a rating
    assert not any(isinstance(event, RatingDue) for event in workout.poll())


def test_back_runs_the_previous_step_again_as_a_new_run() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(60 + 5)
    workout.poll()
    workout.back()
    assert workout.index == 0
    assert workout.remaining_s == pytest.approx(60)
    assert [(run.index, run.skipped) for run in workout.runs] == [(0, False), (1, True)]
    workout.back()  # at the first step: restart it; a run under a second leaves no record
    assert workout.index == 0
    assert len(workout.runs) == 2


def test_adjust_adds_and_removes_time_but_never_below_one_second() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(55)  # 5 s left, the 3-2-1 not yet given
    workout.adjust(+10)
    assert workout.remaining_s == pytest.approx(15)
    workout.adjust(-10)
    workout.adjust(-10)
    assert workout.remaining_s == pytest.approx(1)
    events = workout.poll()
    # 3 and 2 would have been due in the past: they are not sounded late.
    assert [event.seconds_left for event in events if isinstance(event, Countdown)] == [1]


def test_adding_time_after_the_countdown_rearms_it() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(58.5)
    first = [e.seconds_left for e in workout.poll() if isinstance(e, Countdown)]
    assert first == [3, 2]
    workout.adjust(+10)
    clock.advance(12)
    again = [e.seconds_left for e in workout.poll() if isinstance(e, Countdown)]
    assert again == [3, 2, 1]
    assert workout.runs[0].actual_s == pytest.approx(70)


def test_abort_keeps_what_was_done_and_marks_the_workout_aborted() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(60 + 30 + 7)
    workout.poll()
    workout.abort()
    events = workout.poll()
    assert events[-1] == WorkoutEnded(597.0, Status.ABORTED)
    assert workout.status is Status.ABORTED
    assert [(run.index, run.skipped) for run in workout.runs] == [(0, False), (1, False), (2, True)]
    assert workout.runs[2].actual_s == pytest.approx(7)
    with pytest.raises(WorkoutError):
        workout.skip()


def test_finish_ends_now_as_completed() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(30)
    workout.finish()
    assert workout.status is Status.FINISHED
    assert workout.poll()[-1] == WorkoutEnded(530.0, Status.FINISHED)


def test_commands_catch_up_with_the_clock_first() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(65)  # the warm-up ended 5 s ago but nobody polled
    workout.skip()  # must skip the backward step that is really running
    ended = [e for e in workout.poll() if isinstance(e, StepEnded)]
    assert [(e.index, e.skipped) for e in ended] == [(0, False), (1, True)]


def test_skip_while_paused_keeps_the_new_step_paused() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(10)
    workout.pause()
    clock.advance(100)
    workout.skip()
    assert workout.status is Status.PAUSED
    assert workout.remaining_s == pytest.approx(30)
    clock.advance(100)
    assert workout.remaining_s == pytest.approx(30)
    workout.resume()
    clock.advance(30)
    assert any(isinstance(e, StepEnded) and e.index == 1 for e in workout.poll())


def test_commands_before_start_or_after_the_end_are_refused() -> None:
    workout, clock, plan = make()
    with pytest.raises(WorkoutError):
        workout.skip()
    assert workout.remaining_s == plan.steps[0].duration_s
    workout.start()
    with pytest.raises(WorkoutError):
        workout.start()
    clock.advance(plan.total_s + 1)
    workout.poll()
    assert workout.is_over and workout.remaining_s == 0
    with pytest.raises(WorkoutError):
        workout.pause()


def test_sixty_minute_plan_ends_within_a_millisecond() -> None:
    plan = parse_plan_text(
        """
[plan]
name = "An hour"
[[step]]
kind = "warmup"
duration = "10m"
[[step]]
repeat = 25
  [[step.step]]
  direction = "backward"
  duration = "37s"
  [[step.step]]
  kind = "recover"
  duration = "1m23s"
"""
    )
    assert plan.total_s == 3600
    clock = FakeClock(start=12345.678)
    workout = Workout(plan, clock)
    workout.start()
    rng = random.Random(2026)
    finished: list[WorkoutEnded] = []
    while not workout.is_over:
        clock.advance(rng.choice([0.3, 0.3, 0.3, 2.7, 10.0, 0.016, 0.1]))
        finished += [e for e in workout.poll() if isinstance(e, WorkoutEnded)]
    assert len(finished) == 1
    assert abs(finished[0].at - 12345.678 - 3600) < 0.001
    assert abs(sum(run.actual_s for run in workout.runs) - 3600) < 0.001


def test_totals_while_running() -> None:
    workout, clock, plan = make()
    assert workout.total_remaining_s == plan.total_s
    workout.start()
    clock.advance(70)
    workout.poll()
    assert workout.index == 1
    assert workout.step_elapsed_s == pytest.approx(10)
    assert workout.total_remaining_s == pytest.approx(plan.total_s - 70)
    assert workout.active_s == pytest.approx(70)
    assert workout.next_step is plan.steps[2]


def test_a_skip_or_adjust_just_after_a_step_changed_on_its_own_is_ignored() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(60.2)  # the warm-up ended 0.2 s ago; the screen may still show it
    workout.skip()
    workout.adjust(+10)
    assert workout.index == 1
    assert workout.remaining_s == pytest.approx(29.8)
    assert [run.index for run in workout.runs] == [0]
    clock.advance(1.0)  # now it is clearly aimed at the backward step
    workout.skip()
    assert workout.index == 2
    assert [(run.index, run.skipped) for run in workout.runs] == [(0, False), (1, True)]


def test_a_skip_just_after_another_skip_is_not_ignored() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(5)
    workout.skip()
    clock.advance(0.2)
    workout.skip()  # two deliberate presses: both count
    assert workout.index == 2


# -- the rating prompt: what a digit rates, and when it stops asking -------------------------

NESTED = """
[plan]
name = "Nested"

[[step]]
name = "Set"
repeat = 2
  [[step.step]]
  name = "Intervals"
  repeat = 3
    [[step.step.step]]
    direction = "backward"
    duration = "30s"
    [[step.step.step]]
    kind = "recover"
    duration = "20s"

[[step]]
kind = "cooldown"
duration = "10s"
"""

LADDER = """
[plan]
name = "Ladder"

[[step]]
direction = "backward"
ladder = { from = 1.0, to = 2.0, by = 0.5, hold = "1m" }

[[step]]
kind = "cooldown"
duration = "1m"
"""


def test_the_prompt_ends_when_the_next_backward_interval_starts() -> None:
    workout, clock, plan = make()
    workout.start()
    clock.advance(60 + 30)
    workout.poll()
    assert workout.prompt is not None and workout.prompt.index == 1
    clock.advance(20)  # the recovery is over: Backward 2 begins
    workout.poll()
    assert workout.index == 3 and plan.steps[3].is_backward
    assert workout.prompt is None
    with pytest.raises(WorkoutError):
        workout.rate(7)  # nothing is asked: no older interval can be rated by mistake


def test_an_interval_skipped_within_seconds_leaves_a_prompt_that_says_so() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(60 + 30)
    workout.poll()
    workout.rate(4)  # Backward 1
    clock.advance(20)  # Backward 2 starts
    workout.poll()
    clock.advance(3)
    workout.skip()  # three seconds in: too soon to be worth a rating
    assert workout.prompt is not None and workout.prompt.skipped
    assert workout.prompt.index == 3
    assert workout.rating_run is None
    assert [(run.index, run.rpe) for run in workout.runs] == [
        (0, None),
        (1, 4),
        (2, None),
        (3, None),
    ]
    assert not workout.runs[3].rateable  # Backward 1 keeps its 4; the skipped one is not asked
    assert workout.unrated_runs() == []


def test_in_a_nested_plan_every_interval_gets_its_own_prompt() -> None:
    workout, clock, plan = make(NESTED)
    workout.start()
    asked = []
    for _ in range(6):
        clock.advance(30)
        workout.poll()
        assert workout.prompt is not None
        asked.append(plan.position_label(workout.prompt.index))
        clock.advance(20)
        workout.poll()
    assert asked == [f"Backward {number} of 6" for number in range(1, 7)]


def test_the_rungs_of_a_ladder_are_one_interval_so_a_rung_can_be_rated_during_the_next() -> None:
    workout, clock, _ = make(LADDER)
    workout.start()
    clock.advance(60)
    workout.poll()
    assert workout.index == 1 and workout.prompt is not None and workout.prompt.index == 0
    workout.rate(3)  # rung 1, rated while rung 2 runs
    assert workout.runs[0].rpe == 3


def test_unrated_runs_are_the_ones_worth_asking_about_still_open() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(60 + 30 + 20)  # Backward 1 ran and was not rated; Backward 2 starts
    workout.poll()
    clock.advance(30 + 5)  # Backward 2 ran in full, five seconds into its recovery
    workout.poll()
    workout.abort()
    assert [workout.runs[number].index for number in workout.unrated_runs()] == [1, 3]


def test_a_step_left_for_another_try_is_not_asked_about() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(60 + 10)
    workout.poll()
    workout.back()  # ten seconds into Backward 1: back to the warm-up
    clock.advance(60 + 30)
    workout.poll()  # the warm-up again, then Backward 1 in full
    assert [(run.index, run.rateable) for run in workout.runs] == [
        (0, False),
        (1, False),
        (0, False),
        (1, True),
    ]


BACKWARD_RECOVERIES = """
[plan]
name = "All backward"

[[step]]
repeat = 3
  [[step.step]]
  direction = "backward"
  duration = "30s"
  [[step.step]]
  kind = "recover"
  direction = "backward"
  duration = "30s"
"""


def test_with_backward_recoveries_the_next_interval_still_ends_the_question() -> None:
    workout, clock, plan = make(BACKWARD_RECOVERIES)
    workout.start()
    clock.advance(30)
    workout.poll()  # Backward 1 is over; its backward recovery runs
    assert workout.prompt is not None and workout.prompt.index == 0
    clock.advance(30)
    workout.poll()  # Backward 2 begins, facing the same way as the recovery before it
    assert workout.index == 2 and plan.steps[1].is_backward
    assert workout.prompt is None
    with pytest.raises(WorkoutError):
        workout.rate(9)  # never Backward 1, named or not
    clock.advance(30)
    workout.poll()
    assert workout.prompt is not None and workout.prompt.index == 2


def test_an_interval_run_again_is_asked_about_once() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(60 + 30 + 5)
    workout.poll()  # Backward 1 ran, unrated; five seconds into the recovery
    workout.back()  # Backward 1 again
    assert workout.prompt is None  # the question was about the run left behind
    clock.advance(30)
    workout.poll()
    assert [workout.runs[number].index for number in workout.unrated_runs()] == [1]
    assert workout.prompt is not None and workout.prompt.run == len(workout.runs) - 1


def test_runs_so_far_include_the_step_in_progress_cut_short() -> None:
    workout, clock, _ = make()
    workout.start()
    clock.advance(60 + 12.5)
    workout.poll()
    runs = workout.runs_so_far()
    assert [(run.index, run.skipped) for run in runs] == [(0, False), (1, True)]
    assert runs[-1].actual_s == pytest.approx(12.5)
    assert len(workout.runs) == 1  # the engine's own record is untouched
