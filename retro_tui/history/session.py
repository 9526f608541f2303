"""Turn a workout (the engine's step runs) into a session record for the log."""

from __future__ import annotations

from datetime import datetime

from retro_tui.history.record import (
    ProgramSlot,
    SessionRecord,
    SessionStatus,
    StepRecord,
    new_session_id,
)
from retro_tui.plan.durations import format_elapsed
from retro_tui.workout.engine import Status, StepRun, Workout


def step_record(run: StepRun) -> StepRecord:
    step = run.step
    return StepRecord(
        name=step.name,
        kind=str(step.kind),
        direction=str(step.direction),
        planned_s=step.duration_s,
        actual_s=round(run.actual_s, 3),
        skipped=run.skipped,
        speed=step.speed,
        incline=step.incline,
        rpe=run.rpe,
        target_rpe=step.target_rpe,
        plan_step=run.index + 1,
    )


def ending_status(workout: Workout, steps: tuple[StepRecord, ...]) -> SessionStatus:
    """How the workout ended, in the history's one word for it (see :class:`SessionStatus`).

    Reaching the end is not enough to be "completed": a plan skipped through in
    seconds ended early. It takes at least half the planned backward time (half
    the planned time, for a plan with no backward steps).
    """
    if workout.is_active or workout.status is Status.READY:
        return SessionStatus.RECOVERED  # a journal snapshot: what it will be if read back
    if workout.status is not Status.FINISHED:
        return SessionStatus.ENDED_EARLY
    plan = workout.plan
    if plan.backward_s:
        done, planned = sum(step.actual_s for step in steps if step.is_backward), plan.backward_s
    else:
        done, planned = sum(step.actual_s for step in steps), plan.total_s
    return SessionStatus.COMPLETED if done * 2 >= planned else SessionStatus.ENDED_EARLY


def ending_reason(workout: Workout, session: SessionRecord) -> str:
    """One line on why a session that ended early did, for the summary; "" if it didn't."""
    if session.status is not SessionStatus.ENDED_EARLY:
        return ""
    plan = workout.plan
    if workout.status is not Status.FINISHED:
        return "Stopped before the end of the plan."
    if plan.backward_s:
        done = format_elapsed(session.backward_shown_s)  # as the summary's Backward line
        return (
            f"The plan reached its end, but only {done} of its "
            f"{format_elapsed(plan.backward_s)} backward was done: it takes at least half."
        )
    done = format_elapsed(session.active_s)
    return (
        f"The plan reached its end, but only {done} of its {format_elapsed(plan.total_s)} "
        "was done: it takes at least half."
    )


def build_session(
    workout: Workout,
    *,
    session_id: str | None,
    started: datetime,
    ended: datetime,
    rpe: int | None = None,
    notes: str = "",
    athlete: str = "",
    program: ProgramSlot | None = None,
    heart_rate_zone_s: tuple[float, float, float, float, float] | None = None,
) -> SessionRecord:
    """The session as it stands: its runs so far; the status from how the workout ended.

    A workout still running (a journal snapshot) includes the step in progress,
    cut short at its seconds so far, and is recorded as "recovered", since that
    is what it will be if it is ever read back from the journal. ``heart_rate_zone_s``:
    the seconds in each heart-rate zone so far, when a strap and the athlete's zones are known.
    """
    steps = tuple(step_record(run) for run in workout.runs_so_far())
    plan = workout.plan
    return SessionRecord(
        id=session_id or new_session_id(started),
        plan=plan.name,
        plan_file=plan.source.name if plan.source else "",
        started=started,
        ended=ended,
        status=ending_status(workout, steps),
        steps=steps,
        units=str(plan.units),
        rpe=rpe,
        notes=notes,
        planned_intervals=plan.backward_intervals,
        athlete=athlete,
        program=program,
        heart_rate_zone_s=heart_rate_zone_s,
    )
