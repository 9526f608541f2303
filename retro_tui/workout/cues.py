"""Which cue to show when: the step's own, else the plan's, else built-in advice.

Cues rotate every few seconds, derived from the time spent in the step (not
from ticks), so what is on screen depends only on the clock. A timed cue
(``at`` in the plan) takes over for one rotation period from its moment.
"""

from __future__ import annotations

from retro_tui.plan.model import Plan, Step

BACKWARD_CUES = (
    "Stand tall, chest up",
    "Eyes on your mark: don't look down or back",
    "Short, quick steps",
    "Land on the ball of the foot, roll to the heel",
    "Push away from the front foot",
    "Hands light on the rails, shoulders loose",
    "Weight over your feet, stay in the middle of the belt",
)

FORWARD_CUES = (
    "Relax the shoulders and hands",
    "Breathe easy and steady",
    "Run tall, eyes ahead",
    "Light, quiet feet",
)


def rotation(plan: Plan, step: Step) -> tuple[str, ...]:
    own = tuple(cue.text for cue in step.cues if cue.at is None)
    if own:
        return own
    if plan.cues:
        return plan.cues
    return BACKWARD_CUES if step.is_backward else FORWARD_CUES


def cue_at(plan: Plan, step: Step, elapsed_s: float, period_s: float) -> str:
    """The cue to show ``elapsed_s`` seconds into ``step``, rotating every ``period_s``."""
    for cue in sorted((c for c in step.cues if c.at is not None), key=lambda c: -(c.at or 0)):
        assert cue.at is not None
        if cue.at <= elapsed_s < cue.at + period_s:
            return cue.text
    cues = rotation(plan, step)
    return cues[int(max(0.0, elapsed_s) // period_s) % len(cues)]


def seconds_to_next_cue(elapsed_s: float, period_s: float) -> float:
    """Time until the rotation next changes (for scheduling a redraw)."""
    return period_s - (max(0.0, elapsed_s) % period_s)
