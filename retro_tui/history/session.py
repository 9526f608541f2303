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
) -> SessionRecord:
    """The session as it stands: every finished run; status from how the workout ended.

    A workout still running (a journal snapshot) is recorded as "recovered",
    since that is what it will be if it is ever read back from the journal.
    """
    if workout.status is Status.FINISHED:
        status = SessionStatus.COMPLETED
    elif workout.status is Status.ABORTED:
        status = SessionStatus.ABORTED
    else:
        status = SessionStatus.RECOVERED
    plan = workout.plan
    return SessionRecord(
        id=session_id or new_session_id(started),
        plan=plan.name,
        plan_file=plan.source.name if plan.source else "",
        started=started,
        ended=ended,
        status=status,
        steps=tuple(step_record(run) for run in workout.runs),
        units=str(plan.units),
        rpe=rpe,
        notes=notes,
        planned_intervals=plan.backward_intervals,
        athlete=athlete,
        program=program,
    )
