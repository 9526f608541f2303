"""The workout engine: runs a plan over a clock, emits events, records what happened.

No UI framework is imported here; see :mod:`retro_tui.workout.engine`.
"""

from retro_tui.workout.clock import FakeClock
from retro_tui.workout.engine import (
    Clock,
    Countdown,
    CueDue,
    Event,
    RatingDue,
    RatingPrompt,
    Status,
    StepEnded,
    StepRun,
    StepStarted,
    Workout,
    WorkoutEnded,
    WorkoutError,
)

__all__ = [
    "Clock",
    "Countdown",
    "CueDue",
    "Event",
    "FakeClock",
    "RatingDue",
    "RatingPrompt",
    "Status",
    "StepEnded",
    "StepRun",
    "StepStarted",
    "Workout",
    "WorkoutEnded",
    "WorkoutError",
]
