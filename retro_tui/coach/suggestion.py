"""A progression suggestion: what it can say, and the limits every suggestion keeps.

The thresholds here are the rules :mod:`retro_tui.coach.progression` applies
(its docstring has them as a table); :class:`Suggestion` is what it decides.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from retro_tui.plan.model import (
    Level,
    Units,
)

# -- thresholds --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelLimits:
    """What the app suggests at most for a plan of one level (see the module docstring)."""

    default_target_rpe: int
    longest_interval_s: int
    most_intervals: int


LEVEL_LIMITS: Mapping[Level | None, LevelLimits] = {
    None: LevelLimits(default_target_rpe=4, longest_interval_s=60, most_intervals=4),
    Level.BEGINNER: LevelLimits(default_target_rpe=4, longest_interval_s=60, most_intervals=4),
    Level.INTERMEDIATE: LevelLimits(default_target_rpe=5, longest_interval_s=120, most_intervals=8),
    Level.ADVANCED: LevelLimits(default_target_rpe=6, longest_interval_s=120, most_intervals=8),
}

PAIN_BACK_AT = 4
"""Pain at or above this (0-10) means "back"; any pain at all (>= 1) means never progress."""
BACK_WHEN_AVERAGE_ABOVE_TARGET_BY = 1
""""Back" when the average rating is MORE than this above the target."""
BACK_WHEN_ONE_RATING_ABOVE_TARGET_BY = 3
""""Back" when any single rating is AT LEAST this far above its target."""
PROGRESS_WHEN_AVERAGE_BELOW_TARGET_BY = 1
"""Progress only when the average is AT LEAST this far below the target."""

INTERVAL_CHANGE_S = 15
SHORTEST_INTERVAL_S = 15
SPEED_CHANGE: Mapping[Units, float] = {Units.MPH: 0.5, Units.KMH: 0.8}
SLOWEST_SPEED: Mapping[Units, float] = {Units.MPH: 0.5, Units.KMH: 0.8}
FEWEST_INTERVALS_TO_REDUCE = 3
"""Going back removes an interval only from a plan with more than 2 backward intervals."""


# -- the suggestion ----------------------------------------------------------------------------


class SuggestionKind(StrEnum):
    """What to do next time (the value stored in the history log's ``suggestion``)."""

    LONGER = "longer"
    MORE = "more"
    FASTER = "faster"
    HOLD = "hold"
    BACK = "back"


class Variable(StrEnum):
    """The one thing a suggestion changes."""

    DURATION = "duration"
    INTERVALS = "intervals"
    SPEED = "speed"


_VARIABLE_OF_KIND = {
    SuggestionKind.LONGER: Variable.DURATION,
    SuggestionKind.MORE: Variable.INTERVALS,
    SuggestionKind.FASTER: Variable.SPEED,
}


@dataclass(frozen=True)
class Suggestion:
    """One suggestion for next time.

    ``text`` is the one line shown to the person ("Next time: ..."); ``reason`` says
    why in a sentence or two, ``why`` in one short line of evidence. ``variable`` is what
    changes: ``None`` for "hold", and for "back" which of duration, intervals or speed is
    reduced.
    """

    kind: SuggestionKind
    text: str
    reason: str
    variable: Variable | None = None
    why: str = field(default="", compare=False)
    """The evidence in one short line ("Why: intervals 3 vs target 5 · 3 sessions steady ·
    form building"), for the summary; not part of what the suggestion *is*."""

    def __post_init__(self) -> None:
        expected = _VARIABLE_OF_KIND.get(self.kind)
        if self.kind is SuggestionKind.HOLD:
            consistent = self.variable is None
        elif self.kind is SuggestionKind.BACK:
            consistent = self.variable is not None
        else:
            consistent = self.variable is expected
        if not consistent:
            raise ValueError(f"a {self.kind} suggestion cannot change {self.variable}")

    @property
    def changes_plan(self) -> bool:
        """False for "hold": there is no suggested plan to save."""
        return self.variable is not None


class SuggestedPlanError(Exception):
    """The suggested plan could not be made or saved; the message names the file."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = Path(path)
        self.message = message


def plain_text(text: str, limit: int = 40) -> str:
    """User-typed text made safe for one line: no control characters, limited length."""
    cleaned = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"
