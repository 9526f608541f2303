"""What the person must change on the treadmill at the next step: direction, speed, incline.

Moving backward, the console is behind you: every change the next step asks
for means turning or reaching back, so the screen's "Next" line and the voice
name each one, incline back to 0 % included, and say plainly when nothing
changes. Words here are for reading; :mod:`retro_tui.workout.speech` says them.
"""

from __future__ import annotations

from dataclasses import dataclass

from retro_tui.plan.durations import format_clock
from retro_tui.plan.model import Plan, Step


@dataclass(frozen=True)
class StepChanges:
    """What differs between a step and the one after it."""

    turn: bool
    """The direction changes: the person turns around."""
    speed_from: float | None
    speed_to: float | None
    incline_from: float
    incline_to: float

    @property
    def speed_changes(self) -> bool:
        return self.speed_to is not None and self.speed_to != self.speed_from

    @property
    def incline_changes(self) -> bool:
        return self.incline_to != self.incline_from

    @property
    def any(self) -> bool:
        return self.turn or self.speed_changes or self.incline_changes


def changes_between(current: Step | None, following: Step) -> StepChanges:
    """The changes from ``current`` (``None``: the belt standing still) to ``following``.

    A step without an incline is flat (0 %); a step without a speed is "your own
    pace", which asks for no change on the console.
    """
    before = current.incline if current is not None and current.incline else 0.0
    return StepChanges(
        turn=current is not None and current.is_backward != following.is_backward,
        speed_from=None if current is None else current.speed,
        speed_to=following.speed,
        incline_from=before,
        incline_to=following.incline or 0.0,
    )


def plan_uses_incline(plan: Plan) -> bool:
    """Whether any step has an incline: then every step shows its own, 0 % included."""
    return any(step.incline for step in plan.steps)


def _number(value: float) -> str:
    return f"{value:g}"


def change_words(plan: Plan, changes: StepChanges) -> list[str]:
    """``["turn around to face backward", "speed 3.0 → 2.5 mph", "incline 2 % → 0 %"]``."""
    words: list[str] = []
    if changes.turn:
        words.append("turn around")
    if changes.speed_changes and changes.speed_to is not None:
        units = plan.units.label
        if changes.speed_from is None:
            words.append(f"speed {changes.speed_to:.1f} {units}")
        else:
            words.append(f"speed {changes.speed_from:.1f} → {changes.speed_to:.1f} {units}")
    if changes.incline_changes:
        before, after = _number(changes.incline_from), _number(changes.incline_to)
        words.append(f"incline {before} % → {after} %")
    return words


def next_line(plan: Plan, current: Step, following: Step) -> str:
    """The "Next" line: the next step, its length and targets, and every change it asks for.

    ``Recovery walk 1:30 at 3.0 mph: turn around · speed 2.5 → 3.0 mph · incline 1 % → 0 %``,
    or ``... at 3.0 mph: no change`` when the belt stays as it is.
    """
    text = f"{following.name} {format_clock(following.duration_s)}"
    if following.speed is not None:
        text += f" at {following.speed:.1f} {plan.units.label}"
    if following.incline or plan_uses_incline(plan):
        text += f", {_number(following.incline or 0.0)} % incline"
    words = change_words(plan, changes_between(current, following))
    return text + (": " + " · ".join(words) if words else ": no change")
