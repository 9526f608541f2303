"""Engine: a simulated 60-minute workout on a fake clock that jumps irregularly.

The clock moves in seeded random jumps the way a busy terminal app sees time:
mostly 0.3 s, often 2.7 s, and now and then a 10 s stall. After every jump the
engine is polled once. Two figures come out:

- end-time error: how far the ``WorkoutEnded`` event's time is from the
  planned end (``|ended.at - start - 3600| * 1000`` ms), with every step
  boundary checked the same way. The engine stamps events with the time they
  were *due*, so this should be 0. The reference is how late the poll that
  noticed the end came: the error an engine stamping events with the clock
  reading at the poll (or counting ticks) would report.
- time per poll: the poll loop's time divided by the number of polls,
  against a loop over the same clock jumps doing what a bare countdown does
  (advance the clock, one float subtraction: ``deadline - clock()``).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from bench.common import (
    Options,
    Row,
    Sample,
    format_seconds,
    gc_paused,
    loops_for,
    ratio,
    time_loops,
)
from retro_tui.plan import Plan, parse_plan_text
from retro_tui.workout import Event, FakeClock, StepStarted, Workout, WorkoutEnded

NAME = "engine"
SUMMARY = "60-minute workout on a jumpy fake clock: end-time error and time per poll"

SEED = 20261121
START = 1000.0
PLAN_S = 3600
JUMPS = (0.3, 2.7, 10.0)
WEIGHTS = (70, 28, 2)
LATE_S = 0.05
"""Each jump is up to this much longer than its nominal size: timers fire late, never early."""

PLAN_TEXT = """\
[plan]
name = "Benchmark: 60 minutes"
cues = ["Eyes on one mark on the wall"]

[[step]]
kind = "warmup"
duration = "10m"
speed = 5.0
cues = ["Easy pace", { at = "5m", text = "Halfway through the warm-up" }]

[[step]]
name = "Backward intervals"
repeat = 12

  [[step.step]]
  direction = "backward"
  duration = "45s"
  speed = 2.0
  cues = ["Tall chest", { at = "20s", text = "Arms relaxed" }]

  [[step.step]]
  kind = "recover"
  duration = "2m15s"
  speed = 3.0

[[step]]
direction = "backward"
ladder = { from = 1.0, to = 2.0, by = 0.5, hold = "2m" }

[[step]]
kind = "cooldown"
duration = "8m"
speed = 3.0
"""


def sixty_minute_plan() -> Plan:
    plan = parse_plan_text(PLAN_TEXT, "<bench>")
    if plan.total_s != PLAN_S:
        raise RuntimeError(f"the benchmark plan lasts {plan.total_s} s, not {PLAN_S}")
    return plan


def clock_jumps(seconds: float, seed: int = SEED) -> list[float]:
    """Jumps that carry a clock starting at ``START`` just past ``START + seconds``.

    Each is one of :data:`JUMPS` (picked with :data:`WEIGHTS`) plus a random
    delay of up to :data:`LATE_S`, so the clock never lands on whole seconds.
    """
    rng = random.Random(seed)
    now, end = START, START + seconds
    jumps: list[float] = []
    while now < end:
        jump = rng.choices(JUMPS, WEIGHTS)[0] + rng.uniform(0.0, LATE_S)
        jumps.append(jump)
        now += jump  # the same additions, in the same order, as FakeClock.advance
    return jumps


@dataclass(frozen=True)
class Simulation:
    """One simulated workout: its events, how many polls it took, and how long they took."""

    events: list[Event]
    polls: int
    poll_loop_s: float


def simulate(plan: Plan, jumps: list[float]) -> Simulation:
    """Run ``plan`` on a fake clock moved by ``jumps``, polling after each jump."""
    clock = FakeClock(START)
    workout = Workout(plan, clock)
    workout.start()
    events = workout.poll()
    with gc_paused():
        began = time.perf_counter()
        for jump in jumps:
            clock.advance(jump)
            events += workout.poll()
        elapsed = time.perf_counter() - began
    return Simulation(events, len(jumps), elapsed)


def trace(plan: Plan, jumps: list[float]) -> list[tuple[float, Event]]:
    """Like :func:`simulate`, untimed; each event with the clock time of the poll that saw it."""
    clock = FakeClock(START)
    workout = Workout(plan, clock)
    workout.start()
    noticed = [(clock.now, event) for event in workout.poll()]
    for jump in jumps:
        clock.advance(jump)
        noticed += [(clock.now, event) for event in workout.poll()]
    return noticed


def countdown_pass(jumps: list[float]) -> float:
    """The reference: the same clock jumps, and a bare ``deadline - clock()`` per jump."""
    clock = FakeClock(START)
    deadline = START + PLAN_S
    remaining = 0.0
    for jump in jumps:
        clock.advance(jump)
        remaining = deadline - clock()
    return remaining


@dataclass(frozen=True)
class Accuracy:
    """How far event times are from the plan, and how late the polls noticed them (ms)."""

    end_error_ms: float
    end_noticed_late_ms: float
    worst_start_error_ms: float
    worst_start_noticed_late_ms: float


def check(plan: Plan, noticed: list[tuple[float, Event]]) -> Accuracy:
    """Compare the traced events with the planned timeline."""
    ended = [(seen, event) for seen, event in noticed if isinstance(event, WorkoutEnded)]
    if len(ended) != 1:
        raise RuntimeError(f"expected one WorkoutEnded event, got {len(ended)}")
    seen_end, end = ended[0]
    planned_starts: list[float] = []
    planned = START
    for step in plan.steps:
        planned_starts.append(planned)
        planned += step.duration_s
    starts = [(seen, event) for seen, event in noticed if isinstance(event, StepStarted)]
    if [event.index for _, event in starts] != list(range(len(plan.steps))):
        raise RuntimeError("the steps did not start once each, in order")
    return Accuracy(
        end_error_ms=abs(end.at - START - PLAN_S) * 1000,
        end_noticed_late_ms=(seen_end - end.at) * 1000,
        worst_start_error_ms=max(
            abs(event.at - planned_starts[event.index]) * 1000 for _, event in starts
        ),
        worst_start_noticed_late_ms=max((seen - event.at) * 1000 for seen, event in starts),
    )


def run(options: Options) -> list[Row]:
    plan = sixty_minute_plan()
    jumps = clock_jumps(PLAN_S)
    noticed = trace(plan, jumps)
    accuracy = check(plan, noticed)
    stalls = sum(1 for jump in jumps if jump >= JUMPS[-1])

    runs = options.runs(15, quick=5)
    reference_loops = loops_for(lambda: countdown_pass(jumps), options.min_run_s)
    per_poll: list[float] = []
    per_step: list[float] = []
    for _ in range(runs):
        result = simulate(plan, jumps)
        if len(result.events) != len(noticed):
            raise RuntimeError("a timed run gave other events than the traced one")
        per_poll.append(result.poll_loop_s / result.polls)
        per_step.append(time_loops(lambda: countdown_pass(jumps), reference_loops) / len(jumps))
    mine, reference = Sample(tuple(per_poll)), Sample(tuple(per_step))

    return [
        Row(
            "engine: end-time error",
            f"{accuracy.end_error_ms:.3f} ms",
            f"{accuracy.end_noticed_late_ms:.1f} ms poll lateness",
            None,
            f"{len(plan.steps)} steps, {len(jumps)} polls ({stalls} 10 s stalls), "
            f"{len(noticed)} events; worst step start {accuracy.worst_start_error_ms:.3f} ms off "
            f"(noticed up to {accuracy.worst_start_noticed_late_ms:.0f} ms late)",
        ),
        Row(
            "engine: time per poll",
            format_seconds(mine.median),
            f"{format_seconds(reference.median)} bare countdown",
            ratio(mine.median, reference.median),
            f"clock jump + poll vs clock jump + subtraction; {mine.describe()}",
        ),
    ]
