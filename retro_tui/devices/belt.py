"""What the belt should do: the plan's speeds and inclines, reached safely, never fought.

:class:`BeltPlanner` is pure: it is told when a step starts, what the belt
reports and what the person changed on the console, always with the clock
time, and answers with actions (set a speed, set an incline, say something).
The treadmill link carries the commands out; the screen and the voice say the
words.

The rules it keeps, from the protocols for backward movement:

- Backward, the belt starts from the treadmill's lowest speed and rises
  0.5 mph (0.8 km/h) at a time, each speed held at least a minute of backward
  time, until the step's speed. What was held carries over to the next
  backward step: the second interval starts where the first one got to.
  Slower is always at once.
- Never speed and incline at once: the easier change goes first (slower,
  else a lower incline, else the speed), the other once the belt has got
  there. An incline rise waits until a backward ramp has reached the step's
  speed.
- A speed or incline the person set on the console is kept for the rest of
  that step; the next step carries on from the plan.
- A backward step without a speed leaves the belt to the person, but not
  faster than backward has got to: a belt left fast by a forward step is
  slowed first.
- A target outside what the treadmill can do is set to its nearest limit, and
  said so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from retro_tui.devices.protocol import InclineRange, SpeedRange
from retro_tui.plan.lint import MAX_SPEED_RAISE
from retro_tui.plan.model import Step, Units, from_kmh, to_kmh

HOLD_S = 60.0
"""Backward seconds at one speed before the next 0.5 mph."""
SETTLE_S = 10.0
"""The second change of a step waits for the first at most this long."""
SPEED_TOLERANCE_KMH = 0.15
INCLINE_TOLERANCE_PCT = 0.25


@dataclass(frozen=True)
class SetSpeed:
    kmh: float


@dataclass(frozen=True)
class SetIncline:
    pct: float


@dataclass(frozen=True)
class Say:
    """Words for the screen and the voice."""

    text: str


BeltAction = SetSpeed | SetIncline | Say


def speed_words(kmh: float, units: Units) -> str:
    """A speed as the plan writes it: ``2.5`` (in the plan's units)."""
    return f"{from_kmh(kmh, units):.1f}"


def incline_words(pct: float) -> str:
    return f"{pct:g} percent"


class BeltPlanner:
    """Decides each speed and incline of a workout; see the module docstring."""

    def __init__(self, units: Units, speeds: SpeedRange, inclines: InclineRange) -> None:
        self.units = units
        self.speeds = speeds
        self.inclines = inclines
        self.raise_kmh = to_kmh(MAX_SPEED_RAISE[units], units)
        self.step: Step | None = None
        self.goal_kmh: float | None = None
        """The step's own speed, inside the treadmill's range."""
        self.goal_incline: float | None = None
        self.target_kmh: float | None = None
        """The speed the belt is asked for now (on the way to the goal)."""
        self.target_incline: float | None = None
        self.rung_kmh: float | None = None
        """The backward ramp: the highest speed reached backward this session."""
        self.held_s = 0.0
        """Backward seconds at the ramp's speed so far."""
        self.hand_speed: float | None = None
        """A speed set on the console during this step (km/h), kept until the step ends."""
        self.hand_incline: float | None = None
        self._waiting_incline: float | None = None
        self._waiting_speed: float | None = None
        self._waiting_since = 0.0
        self._updated_at: float | None = None

    def set_ranges(self, speeds: SpeedRange, inclines: InclineRange) -> None:
        """What the treadmill said it can do, once connected."""
        self.speeds, self.inclines = speeds, inclines

    @property
    def ramping(self) -> bool:
        """Whether a backward ramp is still on its way up to the step's speed."""
        return (
            self.step is not None
            and self.step.is_backward
            and self.hand_speed is None
            and self.goal_kmh is not None
            and self.target_kmh is not None
            and self.target_kmh < self.goal_kmh - 1e-6
        )

    # -- a new step ------------------------------------------------------------------------

    def start_step(self, step: Step, now: float) -> list[BeltAction]:
        self.step = step
        self.hand_speed = self.hand_incline = None
        self._waiting_incline = None
        self._updated_at = now
        actions: list[BeltAction] = []
        self.goal_kmh = self._inside_speeds(step, actions)
        self.goal_incline = self._inside_inclines(step, actions)
        speed = self._first_speed(step)
        incline = self.goal_incline
        self._waiting_speed = None
        speed_changes = speed is not None and not _same(speed, self.target_kmh, 0.01)
        incline_changes = incline is not None and not _same(incline, self.target_incline, 0.05)
        if speed_changes and incline_changes:
            # One at a time, the easier first: slower, else a lower incline, else the speed.
            assert speed is not None and incline is not None
            self._waiting_since = now
            slower = self.target_kmh is not None and speed < self.target_kmh
            if not slower and incline < (self.target_incline or 0.0):
                actions += self._set_incline(incline)
                self._waiting_speed = speed
            else:
                actions += self._set_speed(speed, step, first=True)
                self._waiting_incline = incline
        elif speed_changes and speed is not None:
            actions += self._set_speed(speed, step, first=True)
        elif incline_changes and incline is not None:
            actions += self._set_incline(incline)
        return actions

    def _first_speed(self, step: Step) -> float | None:
        goal = self.goal_kmh
        if goal is None:
            # No speed in the plan: the person sets it, but never turns round onto a belt
            # running faster than backward has got to (the lowest speed at first).
            ceiling = self.rung_kmh if self.rung_kmh is not None else self.speeds.minimum_kmh
            if step.is_backward and self.target_kmh is not None and self.target_kmh > ceiling:
                return ceiling
            return None
        if not step.is_backward:
            return goal
        if self.rung_kmh is None:
            self.rung_kmh = min(goal, self.speeds.minimum_kmh)
            self.held_s = 0.0
        return min(goal, self.rung_kmh)

    def _inside_speeds(self, step: Step, actions: list[BeltAction]) -> float | None:
        if step.speed is None:
            return None
        wanted = to_kmh(step.speed, self.units)
        inside = self.speeds.clamp(wanted)
        if wanted < self.speeds.minimum_kmh - 0.01:
            actions.append(
                Say(f"The treadmill's lowest speed is {speed_words(inside, self.units)}")
            )
        elif wanted > self.speeds.maximum_kmh + 0.01:
            actions.append(
                Say(f"The treadmill's highest speed is {speed_words(inside, self.units)}")
            )
        return inside

    def _inside_inclines(self, step: Step, actions: list[BeltAction]) -> float | None:
        if step.incline is None:
            return None
        inside = self.inclines.clamp(step.incline)
        if abs(inside - step.incline) > 0.05:
            highest = step.incline > inside
            actions.append(
                Say(
                    f"The treadmill's {'highest' if highest else 'lowest'} incline is "
                    f"{incline_words(inside)}"
                )
            )
        return inside

    def _set_speed(self, kmh: float, step: Step, *, first: bool = False) -> list[BeltAction]:
        before = self.target_kmh
        self.target_kmh = kmh
        actions: list[BeltAction] = [SetSpeed(kmh)]
        words = speed_words(kmh, self.units)
        if first and step.is_backward and self.goal_kmh is not None and kmh < self.goal_kmh - 1e-6:
            goal = speed_words(self.goal_kmh, self.units)
            actions.append(
                Say(f"Belt at {words}, then up {self._raise_words()} a minute to {goal}")
            )
        elif before is None or kmh > before:
            actions.append(Say(f"Speeding up to {words}"))
        else:
            actions.append(Say(f"Slowing to {words}"))
        return actions

    def _raise_words(self) -> str:
        return f"{MAX_SPEED_RAISE[self.units]:g}"

    def _set_incline(self, pct: float) -> list[BeltAction]:
        self.target_incline = pct
        return [SetIncline(pct), Say(f"Incline {incline_words(pct)}")]

    # -- as time goes by -------------------------------------------------------------------

    def update(
        self, now: float, *, running: bool, belt_kmh: float | None, belt_incline: float | None
    ) -> list[BeltAction]:
        """The ramp's next speed when it is due, and a change that waited for another."""
        last = self._updated_at if self._updated_at is not None else now
        self._updated_at = now
        step = self.step
        if step is None or not running:
            return []
        actions: list[BeltAction] = []
        if (
            step.is_backward
            and self.hand_speed is None
            and self.rung_kmh is not None
            and self.target_kmh is not None
            and _same(self.target_kmh, self.rung_kmh, 0.01)
        ):
            self.held_s += max(0.0, now - last)
        if self.ramping and self.held_s >= HOLD_S and self._waiting_speed is None:
            assert self.goal_kmh is not None and self.rung_kmh is not None
            self.rung_kmh = self._next_rung(self.rung_kmh, self.goal_kmh)
            self.held_s = 0.0
            actions += self._set_speed(self.rung_kmh, step)
            # A waiting incline waits for this speed too, never goes with it.
            self._waiting_since = now
            return actions
        waited = now - self._waiting_since
        if self._waiting_speed is not None:
            there = belt_incline is not None and _same(
                belt_incline, self.target_incline, INCLINE_TOLERANCE_PCT
            )
            if there or waited >= SETTLE_S:
                speed, self._waiting_speed = self._waiting_speed, None
                if self.hand_speed is None:
                    actions += self._set_speed(speed, step, first=True)
        if self._waiting_incline is not None and not self.ramping:
            there = belt_kmh is not None and _same(belt_kmh, self.target_kmh, SPEED_TOLERANCE_KMH)
            if there or waited >= SETTLE_S:
                incline, self._waiting_incline = self._waiting_incline, None
                if self.hand_incline is None:
                    actions += self._set_incline(incline)
        return actions

    def _next_rung(self, rung: float, goal: float) -> float:
        """The next speed up: one raise, on the machine's increment, never past the goal."""
        step = self.speeds.increment_kmh or 0.01
        raised = min(goal, rung + self.raise_kmh)
        if raised >= goal - 1e-6:
            return goal
        on_increment = (
            self.speeds.minimum_kmh
            + math.floor((raised - self.speeds.minimum_kmh) / step + 1e-6) * step
        )
        return round(max(on_increment, min(goal, rung + step)), 2)

    # -- the person at the console ---------------------------------------------------------

    def console_speed(self, kmh: float) -> list[BeltAction]:
        """The person set the speed by hand: kept for the rest of the step."""
        if self.step is None:
            return []
        self.hand_speed = self.target_kmh = kmh
        self._waiting_speed = None
        if self.step.is_backward and self.rung_kmh is not None and kmh < self.rung_kmh:
            self.rung_kmh = kmh  # slowed down: the next backward step starts no faster
            self.held_s = 0.0
        return [Say(f"Keeping your speed, {speed_words(kmh, self.units)}, for this step")]

    def console_incline(self, pct: float) -> list[BeltAction]:
        if self.step is None:
            return []
        self.hand_incline = self.target_incline = pct
        self._waiting_incline = None
        return [Say(f"Keeping your incline, {incline_words(pct)}, for this step")]


def _same(value: float | None, other: float | None, tolerance: float) -> bool:
    if value is None or other is None:
        return value is None and other is None
    return abs(value - other) <= tolerance + 1e-9
