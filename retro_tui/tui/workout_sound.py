"""The bell and the voice of one workout: when each sounds, what is said, and muting.

``[sound] mode`` decides: ``off``, ``bell`` (the terminal bell at 3-2-1 and at
every change) or ``voice`` (the bell, and the workout spoken aloud). ``m`` on
the workout screen mutes both for the rest of the workout; the narrator keeps
following the workout while muted, so unmuting says nothing stale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from retro_tui.plan.model import Plan
from retro_tui.workout.engine import Event, Workout
from retro_tui.workout.speech import Narrator

if TYPE_CHECKING:
    from retro_tui.tui.app import RetroApp


class WorkoutSound:
    """What one workout screen sounds and says."""

    def __init__(self, plan: Plan, late_s: float) -> None:
        self.plan = plan
        self.late_s = late_s
        self.app: RetroApp | None = None
        self.muted = False
        self.narrator: Narrator | None = None

    def start(self, app: RetroApp) -> None:
        """Begin with the workout, with the settings in force now."""
        self.app = app
        self.narrator = Narrator(self.plan, app.config.workout.cue_seconds, self.late_s)

    @property
    def mode(self) -> str:
        return "off" if self.app is None else self.app.config.sound.mode

    @property
    def speaking(self) -> bool:
        """Whether the workout speaks now: voice mode, and not muted."""
        return self.mode == "voice" and not self.muted

    def bell(self) -> None:
        if self.app is not None and self.mode != "off" and not self.muted:
            self.app.bell()

    def mute(self, muted: bool) -> None:
        self.muted = muted
        if muted and self.app is not None and self.mode == "voice":
            self.app.voice().stop()

    def say(self, sayings: list[str]) -> None:
        """Speak ``sayings`` (words from the devices) when the voice is on and not muted."""
        if sayings and self.app is not None and self.speaking:
            self.app.voice().say(". ".join(sayings))

    def narrate(self, workout: Workout, due: list[Event], now: float) -> None:
        """Say what fell due (a step change, the 3-2-1, a cue, ...) without waiting for it."""
        if self.app is None or self.narrator is None or self.mode != "voice":
            return  # no voice this workout: nothing to follow (settings change between workouts)
        said = self.narrator.utterance(workout, due, now)
        if not self.speaking:
            return
        if said:
            self.app.voice().say(said)
        elif workout.is_over:
            self.app.voice().stop()
