"""The workout engine: a pure state machine that runs a plan against a clock.

Everything is derived from deadlines on an injected monotonic clock
(``remaining = deadline - now``); nothing counts ticks. The caller (the TUI,
a test, a benchmark) calls :meth:`Workout.poll` as often as it likes (ten
times a second or once a minute) and gets every event that fell due since the
last poll, each exactly once, in time order, each stamped with the clock time
it was *due* (``event.at``), not the time it was noticed. A slow or stalled
caller therefore never shifts the plan: step N+1 starts at step N's deadline.

Pausing moves the current deadline by the length of the pause. Commands
(skip, back, adjust, pause, finish, abort) first catch up with the clock, so
they act on the step that is really current.

What actually happened is kept as one :class:`StepRun` per step run (a step
run twice after "back" appears twice), with the seconds actually spent, whether
it was cut short, and its effort rating, so a session record can be built.

Ratings: when a rated step ends, :attr:`Workout.prompt` names it, and a rating
given then goes to exactly that run. The prompt stays while the person walks
on, and ends when the next backward interval starts (a new backward stretch,
not the next rung of the same ladder), so a late key press can never rate an
older interval than the one on screen. A rated step skipped too soon to be
worth asking about leaves a prompt that says so (``prompt.run is None``).
Whatever is left unrated is listed by :meth:`Workout.unrated_runs` for the
summary to ask.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from retro_tui.plan.model import Cue, Plan, Step

Clock = Callable[[], float]

COUNTDOWN_SECONDS = (3, 2, 1)
"""Warnings are due this many seconds before each step ends."""

MIN_RATED_S = 5.0
"""A rated step cut short before this many seconds is not worth asking about."""

MIN_RECORDED_S = 1.0
"""A step left within this many seconds (a double press of "back") leaves no record."""

MIN_REMAINING_S = 1.0
"""Taking time off a step never leaves less than this, so the 'change' signal still sounds."""

AIMED_AT_PREVIOUS_S = 0.4
"""A skip or +/- this soon after a step started on its own was aimed at the step that just
ended (the screen still showed it), so it is ignored rather than applied to the new one."""


class Status(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    ABORTED = "aborted"


# -- events -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepStarted:
    index: int
    at: float


@dataclass(frozen=True)
class Countdown:
    """``seconds_left`` (3, 2, 1) before step ``index`` ends."""

    index: int
    seconds_left: int
    at: float


@dataclass(frozen=True)
class CueDue:
    """A timed cue (``at`` in the plan) of step ``index`` fell due."""

    index: int
    cue: Cue
    at: float


@dataclass(frozen=True)
class StepEnded:
    index: int
    at: float
    actual_s: float
    skipped: bool


@dataclass(frozen=True)
class RatingDue:
    """Ask how hard step ``index`` was; the answer goes to run number ``run``."""

    index: int
    run: int
    at: float


@dataclass(frozen=True)
class WorkoutEnded:
    at: float
    status: Status


Event = StepStarted | Countdown | CueDue | StepEnded | RatingDue | WorkoutEnded


@dataclass
class StepRun:
    """One run of one step, as it really happened."""

    index: int
    step: Step
    actual_s: float
    skipped: bool
    rpe: int | None = None
    rateable: bool = False
    """A rated step that ran long enough to be worth asking how hard it was."""


@dataclass(frozen=True)
class RatingPrompt:
    """The rating question on screen: about plan step ``index``, answered into run ``run``.

    ``run`` is ``None`` when that step was skipped too soon to be rated: the
    screen then says so if a rating key is pressed, instead of rating anything else.
    """

    index: int
    run: int | None

    @property
    def skipped(self) -> bool:
        return self.run is None


class WorkoutError(RuntimeError):
    """A command that makes no sense in the current state (e.g. skip before start)."""


class Workout:
    """Runs ``plan`` on ``clock``; see the module docstring for the rules."""

    def __init__(self, plan: Plan, clock: Clock = time.monotonic) -> None:
        if not plan.steps:
            raise WorkoutError("a plan without steps cannot run")
        self.plan = plan
        self._clock = clock
        self.status = Status.READY
        self.index = 0
        self.runs: list[StepRun] = []
        self.prompt: RatingPrompt | None = None
        self._prompt_at = 0.0  # when the prompt was raised: the end of the step it asks about
        """The rating question open now, if any (see the module docstring)."""
        self.started_at: float | None = None
        self.ended_at: float | None = None
        self.paused_total_s = 0.0
        self._step_started_at = 0.0
        self._deadline = 0.0
        self._paused_at: float | None = None
        self._started_on_time = False
        self._warned: set[int] = set()
        self._cued: set[int] = set()
        self._pending: list[Event] = []

    # -- reading the state ---------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.plan.steps[self.index]

    @property
    def next_step(self) -> Step | None:
        following = self.index + 1
        return self.plan.steps[following] if following < len(self.plan.steps) else None

    @property
    def rating_run(self) -> int | None:
        """The run whose rating the user may give or change now, if any."""
        return None if self.prompt is None else self.prompt.run

    @property
    def is_active(self) -> bool:
        return self.status in (Status.RUNNING, Status.PAUSED)

    @property
    def is_over(self) -> bool:
        return self.status in (Status.FINISHED, Status.ABORTED)

    def _now(self) -> float:
        return self._paused_at if self._paused_at is not None else self._clock()

    @property
    def remaining_s(self) -> float:
        """Seconds left in the current step (the planned length before start)."""
        if self.status is Status.READY:
            return float(self.step.duration_s)
        if self.is_over:
            return 0.0
        return max(0.0, self._deadline - self._now())

    @property
    def step_elapsed_s(self) -> float:
        if not self.is_active:
            return 0.0
        return max(0.0, self._now() - self._step_started_at)

    @property
    def step_length_s(self) -> float:
        """The current step's length including time added or taken off."""
        if not self.is_active:
            return float(self.step.duration_s)
        return self._deadline - self._step_started_at

    @property
    def total_remaining_s(self) -> float:
        later = sum(step.duration_s for step in self.plan.steps[self.index + 1 :])
        return 0.0 if self.is_over else self.remaining_s + later

    @property
    def active_s(self) -> float:
        """Time spent moving so far: every run's actual time plus the current step's."""
        return sum(run.actual_s for run in self.runs) + self.step_elapsed_s

    def deadline(self) -> float:
        """Clock time at which the current step ends (shifts when paused or adjusted)."""
        return self._deadline

    def runs_so_far(self) -> list[StepRun]:
        """Every finished run, then the step in progress with its seconds so far (cut short).

        What a crash journal keeps: were the program to die now, this is what was done.
        """
        runs = list(self.runs)
        elapsed = self.step_elapsed_s
        if self.is_active and elapsed >= MIN_RECORDED_S:
            runs.append(StepRun(self.index, self.step, elapsed, skipped=True))
        return runs

    def unrated_runs(self) -> list[int]:
        """Runs worth a rating that have none yet, in order: what the summary still asks."""
        return [number for number, run in enumerate(self.runs) if run.rateable and run.rpe is None]

    def begins_interval(self, index: int) -> bool:
        """Whether step ``index`` starts a new backward stretch (the step before faced forward)."""
        steps = self.plan.steps
        return steps[index].is_backward and (index == 0 or not steps[index - 1].is_backward)

    # -- commands ------------------------------------------------------------------------

    def start(self) -> None:
        if self.status is not Status.READY:
            raise WorkoutError(f"cannot start a workout that is {self.status}")
        now = self._clock()
        self.started_at = now
        self.status = Status.RUNNING
        self._start_step(0, now)

    def poll(self) -> list[Event]:
        """Catch up with the clock and return every event due since the last poll."""
        if self.status is Status.RUNNING:
            self._catch_up(self._clock())
        events, self._pending = self._pending, []
        return events

    def pause(self) -> None:
        self._require_active()
        if self.status is Status.PAUSED:
            return
        now = self._clock()
        self._catch_up(now)
        if self.status is Status.RUNNING:
            self._paused_at = now
            self.status = Status.PAUSED

    def resume(self) -> None:
        self._require_active()
        if self.status is not Status.PAUSED or self._paused_at is None:
            return
        now = self._clock()
        shift = now - self._paused_at
        self._step_started_at += shift
        self._deadline += shift
        self.paused_total_s += shift
        self._paused_at = None
        self.status = Status.RUNNING

    def toggle_pause(self) -> None:
        if self.status is Status.PAUSED:
            self.resume()
        else:
            self.pause()

    def skip(self) -> None:
        """End the current step now, as skipped, and start the next one."""
        now = self._sync()
        if self._just_changed(now):
            return
        self._end_step(now, skipped=True, ask_rating=True)
        self._advance(self.index + 1, now)

    def back(self) -> None:
        """Leave the current step and run the previous one again (the first restarts)."""
        now = self._sync()
        self._end_step(now, skipped=True, ask_rating=False, worth_rating=False)
        self._start_step(max(0, self.index - 1), now)

    def adjust(self, seconds: float) -> None:
        """Add (or with a negative value take off) time on the current step."""
        now = self._sync()
        if self._just_changed(now):
            return
        self._deadline = max(self._deadline + seconds, now + MIN_REMAINING_S)
        # Warnings for moments now in the future sound (again); those now in the
        # past count as given, because a late "3" would be a lie.
        self._warned = {n for n in COUNTDOWN_SECONDS if self._deadline - n < now}

    def finish(self) -> None:
        """End now and count the workout as completed (the current step as cut short)."""
        self._stop(Status.FINISHED)

    def abort(self) -> None:
        """End now and count the workout as aborted, keeping what was done."""
        self._stop(Status.ABORTED)

    def rate(self, rpe: int, run: int | None = None) -> None:
        """Record how hard a run was (0-10); by default the run the prompt asks about."""
        if not 0 <= rpe <= 10:
            raise WorkoutError(f"a rating is 0-10, not {rpe}")
        target = self.rating_run if run is None else run
        if target is None or not 0 <= target < len(self.runs):
            raise WorkoutError("no step is waiting for a rating")
        if not self.runs[target].rateable:
            raise WorkoutError("that step is not one that gets a rating")
        self.runs[target].rpe = rpe

    # -- internals -----------------------------------------------------------------------

    def _require_active(self) -> None:
        if not self.is_active:
            raise WorkoutError(f"the workout is {self.status}")

    def _sync(self) -> float:
        """Catch up with the clock; the time a command takes effect at."""
        self._require_active()
        if self.status is Status.RUNNING:
            self._catch_up(self._clock())
            if self.is_over:
                raise WorkoutError("the workout has just ended")
        return self._now()

    def _just_changed(self, now: float) -> bool:
        return (
            self.status is Status.RUNNING
            and self._started_on_time
            and now - self._step_started_at < AIMED_AT_PREVIOUS_S
        )

    def _stop(self, status: Status) -> None:
        now = self._sync()
        self._end_step(now, skipped=True, ask_rating=False)
        self._end_workout(now, status)

    def _catch_up(self, now: float) -> None:
        while self.status is Status.RUNNING:
            self._emit_due_signals(now)
            if self._deadline > now:
                return
            ended_at = self._deadline
            self._end_step(ended_at, skipped=False, ask_rating=True)
            self._advance(self.index + 1, ended_at)
            self._started_on_time = True

    def _emit_due_signals(self, now: float) -> None:
        due: list[Event] = []
        for seconds_left in COUNTDOWN_SECONDS:
            at = self._deadline - seconds_left
            if seconds_left in self._warned or at > now or at < self._step_started_at:
                continue
            self._warned.add(seconds_left)
            due.append(Countdown(self.index, seconds_left, at))
        for number, cue in enumerate(self.step.cues):
            if cue.at is None or number in self._cued:
                continue
            at = self._step_started_at + cue.at
            if at <= now and at < self._deadline:
                self._cued.add(number)
                due.append(CueDue(self.index, cue, at))
        due.sort(key=lambda event: event.at)
        self._pending.extend(due)

    def _start_step(self, index: int, at: float) -> None:
        self._started_on_time = False
        step = self.plan.steps[index]
        if self.prompt is not None and (
            self.begins_interval(index)
            # Backward recoveries between backward intervals: the next interval still
            # ends the question (one asked at this very boundary stays for this step).
            or (step.is_backward_work and self._prompt_at < at)
            # The step asked about runs again ("back"): its new run is the one to rate.
            or self.prompt.index == index
        ):
            # A key pressed from now on must not rate an older interval than the one
            # the person is running.
            self.prompt = None
        for run in self.runs:
            if run.index == index and run.rpe is None:
                run.rateable = False  # run again: the summary asks about the new run only
        self.index = index
        self._step_started_at = at
        self._deadline = at + self.plan.steps[index].duration_s
        self._warned = set()
        self._cued = set()
        self._pending.append(StepStarted(index, at))

    def _end_step(
        self, at: float, *, skipped: bool, ask_rating: bool, worth_rating: bool = True
    ) -> None:
        """Record the run that ends at ``at``.

        ``ask_rating`` is false when the workout is stopped (the summary asks instead)
        and when the step is left for another try ("back"), which also makes the run
        not ``worth_rating``: the try that follows is the one to rate.
        """
        step = self.step
        actual = max(0.0, at - self._step_started_at)
        self._pending.append(StepEnded(self.index, at, actual, skipped))
        rateable = step.rate and worth_rating and (not skipped or actual >= MIN_RATED_S)
        if not skipped or actual >= MIN_RECORDED_S:
            self.runs.append(StepRun(self.index, step, actual, skipped, rateable=rateable))
        if not (ask_rating and step.rate):
            return
        self._prompt_at = at
        if rateable:
            self.prompt = RatingPrompt(self.index, len(self.runs) - 1)
            self._pending.append(RatingDue(self.index, len(self.runs) - 1, at))
        else:
            self.prompt = RatingPrompt(self.index, None)  # skipped: "not rated", if asked

    def _advance(self, index: int, at: float) -> None:
        if index < len(self.plan.steps):
            self._start_step(index, at)
        else:
            self._end_workout(at, Status.FINISHED)

    def _end_workout(self, at: float, status: Status) -> None:
        self.status = status
        self.ended_at = at
        self._paused_at = None
        self._pending.append(WorkoutEnded(at, status))
