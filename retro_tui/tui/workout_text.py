"""The words and figures of a workout step, as the workout screen shows them.

Pure functions of the plan, the step and the engine's state, so the screen
only places them; :class:`PlanExtents` is the longest of each that any step of
a plan shows, which the layout makes room for once per plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from rich.text import Text

from retro_tui.coach.effort import TEN_KEY, rpe_label, scale_line
from retro_tui.plan.durations import format_clock
from retro_tui.plan.model import Plan, Step
from retro_tui.tui.widgets.big_text import text_width
from retro_tui.tui.widgets.workout_layout import BigLayout, plan_big_layout
from retro_tui.workout.changes import next_line, plan_uses_incline
from retro_tui.workout.engine import Workout

RATE_HEADLINE = "HOW HARD? 0-10"
"""The rating question in block letters, when there is room (the full question is below)."""


class TimedNotice:
    """A word in bold that stays on screen for a while, read against the workout's clock."""

    def __init__(self, clock: Callable[[], float], seconds: float) -> None:
        self._clock = clock
        self._seconds = seconds
        self._shown: tuple[Text, float] | None = None

    def say(self, words: str) -> None:
        self._shown = (Text(words, style="bold"), self._clock() + self._seconds)

    def clear(self) -> None:
        self._shown = None

    @property
    def text(self) -> Text | None:
        """The word while it lasts, then ``None``."""
        if self._shown is not None and self._clock() >= self._shown[1]:
            self._shown = None
        return None if self._shown is None else self._shown[0]


def direction_word(step: Step) -> str:
    return "BACKWARD" if step.is_backward else "FORWARD"


def speed_digits(step: Step) -> str:
    return f"{step.speed:.1f}" if step.speed is not None else ""


NOTHING_TO_RATE = "Nothing to rate now: the question comes after each backward interval"


def rows_for(length: int, width: int) -> int:
    """Rows a line of ``length`` cells takes wrapped at ``width`` (at least one)."""
    return max(1, math.ceil(length / max(1, width)))


def total_left_text(seconds: float) -> str:
    return f"{format_clock(seconds)} left in all"


def targets_lines(plan: Plan, step: Step) -> list[str]:
    """The plain lines under the speed: units, incline (0 % included), effort to aim for."""
    lines = [plan.units.label if step.speed is not None else "your own pace"]
    if step.incline or plan_uses_incline(plan):
        lines.append(f"{step.incline or 0:g} % incline")
    if step.target_rpe is not None:
        lines.append(f"aim {rpe_label(step.target_rpe)}")
    return lines


@dataclass(frozen=True)
class PlanExtents:
    """The longest of each part of the screen any step of a plan shows: what to make room for."""

    countdown: str
    speed: str
    side: tuple[str, ...]
    next_line: int
    question: int
    headline: str

    def countdown_for(self, step_length_s: float) -> str:
        """The widest countdown to make room for: the plan's, or a step made longer (+10s)."""
        return max(self.countdown, format_clock(step_length_s), key=lambda t: text_width(t, 1))

    @classmethod
    def of(cls, plan: Plan) -> PlanExtents:
        steps = plan.steps

        def widest(texts: Iterable[str]) -> str:
            return max(texts, key=lambda text: (text_width(text, 1), len(text)), default="")

        sides = [targets_lines(plan, step) for step in steps]
        rows = max(len(lines) for lines in sides) + 1  # and the time left in all
        first = widest(lines[0] for lines in sides)
        rest = widest([*(line for lines in sides for line in lines[1:]),
                       total_left_text(plan.total_s)])  # fmt: skip
        following = [
            len("Get ready: " + next_line(plan, step, after)) for step, after in pairwise(steps)
        ]
        names = [len(plan.position_label(index)) for index, step in enumerate(steps) if step.rate]
        return cls(
            countdown=widest(format_clock(step.duration_s) for step in steps),
            speed=widest(speed_digits(step) for step in steps),
            side=(first, *[rest] * (rows - 1)),
            next_line=max(following, default=len("Next: done!")),
            question=len(f"How hard was ? 0-9, {TEN_KEY} = 10") + max(names, default=0),
            headline=widest([RATE_HEADLINE, *(next_headline(step) for step in steps)]),
        )


def next_headline(step: Step) -> str:
    """``NEXT: BACKWARD 2.5``: the next step's direction and speed, for block letters."""
    return " ".join(part for part in ("NEXT:", direction_word(step), speed_digits(step)) if part)


def step_title(plan: Plan, index: int, *, muted: bool) -> Text:
    """``Set 2 of 2 · Backward 3 of 6 · step 7 of 14``, and whether the sound is off."""
    title = Text(plan.where_label(index), style="bold")
    title.append(f" · step {index + 1} of {len(plan.steps)}", style="dim")
    if muted:
        title.append(" · muted", style="bold")
    return title


def next_step_text(plan: Plan, step: Step, following: Step | None, *, soon: bool) -> Text:
    """What comes next, said louder ("Get ready") in the last seconds of a step."""
    if following is None:
        return Text("Next: done!", style="bold")
    label = "Get ready: " if soon else "Next: "
    return Text(label + next_line(plan, step, following), style="bold")


def rating_prompt_text(workout: Workout, plan: Plan, width: int) -> Text:
    """The open rating question, naming the interval it rates, or the answer it got."""
    prompt = workout.prompt
    if prompt is None or prompt.run is None:
        return Text("")
    run = workout.runs[prompt.run]
    # Name the interval: the prompt can outlast the step right after it.
    name = plan.position_label(run.index)
    if run.rpe is None:
        return Text.assemble(
            (f"How hard was {name}? ", "bold"),
            ("0-9", "bold reverse"),
            ", ",
            (TEN_KEY, "bold reverse"),
            " = 10\n",
            (scale_line(width), "dim"),
        )
    return Text.assemble(
        (f"{name}: you rated it ", "bold"),
        (rpe_label(run.rpe), "bold reverse"),
        ". Another number changes it.",
    )


@dataclass(frozen=True)
class ScreenRows:
    """How the workout screen's rows are shared out (see :func:`screen_rows`)."""

    big: BigLayout
    """The direction, the clock and the headline in block letters."""
    next_rows: int
    prompt_rows: int


DEVICE_ROWS = 2
"""The belt's speed, the heart rate and a word from the devices, when any is set up."""


def screen_rows(
    width: int, height: int, extents: PlanExtents, countdown: str, *, devices: bool = False
) -> ScreenRows:
    """The rows of a ``width`` x ``height`` workout screen for a plan of these extents.

    The plain lines get the rows their longest text needs; the block letters share the
    rest (see :mod:`~retro_tui.tui.widgets.workout_layout`).
    """
    room = max(1, width - 2)
    next_rows = rows_for(extents.next_line, room)
    question = rows_for(extents.question, room) + rows_for(len(scale_line(room)), room)
    prompt_rows = max(question, rows_for(len(NOTHING_TO_RATE), room))
    title, cue, total, footer = 1, 3, 1, 1
    reserved = title + cue + next_rows + 1 + prompt_rows + total + footer
    reserved += DEVICE_ROWS if devices else 0
    layout = plan_big_layout(
        width,
        height,
        reserved_rows=reserved + 1,  # the step's bar under the clock
        banner_word="BACKWARD",  # the widest word it shows: one size for every step
        countdown=countdown,
        speed=extents.speed,
        side=extents.side,
        extra=extents.headline,
    )
    return ScreenRows(layout, next_rows, prompt_rows)


def not_rated_words(workout: Workout, plan: Plan) -> str:
    """Why a rating key did nothing: the interval was skipped, or nothing asks now."""
    prompt = workout.prompt
    if prompt is not None and prompt.skipped:
        return f"{plan.position_label(prompt.index)} skipped: not rated"
    return NOTHING_TO_RATE
