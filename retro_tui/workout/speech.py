"""What the workout says aloud: numbers, durations and speeds in words, and when to say them.

Someone moving backward on a belt faces away from the screen, so in voice mode
the workout speaks each step change ("Backward, thirty seconds, two point five
miles an hour"), the 3-2-1 before it, "Halfway" on long steps, the rotating
cues as they change and the rating prompt. Everything here is words and
decisions; playing them is :mod:`retro_tui.voice`'s job.

The words are built for a text-to-speech program, not for reading: numbers are
spelled out so every program says "two point five" the same way, instead of
guessing whether "2.5" is a date or a version.
"""

from __future__ import annotations

from collections.abc import Iterable

from retro_tui.plan.model import Direction, Plan, Step, Units
from retro_tui.workout.changes import changes_between
from retro_tui.workout.cues import cue_at
from retro_tui.workout.engine import (
    Countdown,
    Event,
    RatingDue,
    Status,
    StepStarted,
    Workout,
    WorkoutEnded,
)

HALFWAY_MIN_S = 60.0
"""Only steps at least this long get a spoken "Halfway". On a 30-second interval the
3-2-1 follows a few seconds later anyway, and a voice every few seconds is noise."""

QUIET_AFTER_START_S = 4.0
"""A step announcement takes about this long to say; a cue change sooner would cut it off."""

QUIET_BEFORE_END_S = 5.0
"""The 3-2-1 starts three seconds before a step ends; a cue started in the last few seconds
would be cut off by "three", so it is not said at all."""

RATING_PROMPT = "How hard was that? Zero to ten."
HALFWAY = "Halfway"
WORKOUT_DONE = "Workout complete."

_ONES = (
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    + ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen")
    + ("seventeen", "eighteen", "nineteen")
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(number: int) -> str:
    """``42`` -> ``forty-two``; whole numbers from 0 to 999,999 (larger ones as digits)."""
    if number < 0:
        return f"minus {number_words(-number)}"
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        words = f"{_ONES[hundreds]} hundred"
        return f"{words} and {number_words(rest)}" if rest else words
    if number < 1_000_000:
        thousands, rest = divmod(number, 1000)
        words = f"{number_words(thousands)} thousand"
        if not rest:
            return words
        joiner = (
            " and " if rest < 100 else " "
        )  # "two thousand and five", "two thousand one hundred"
        return words + joiner + number_words(rest)
    return str(number)


def decimal_words(value: float, places: int = 2) -> str:
    """``2.5`` -> ``two point five``; ``3.0`` -> ``three``; ``0.25`` -> ``zero point two five``.

    Rounded to ``places`` decimals, the way plans write speeds and inclines.
    """
    text = f"{abs(value):.{places}f}".rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    words = number_words(int(whole))
    if fraction:
        words += " point " + " ".join(_ONES[int(digit)] for digit in fraction)
    return f"minus {words}" if value < 0 and text != "0" else words


def _counted(number: int, unit: str) -> str:
    return f"{number_words(number)} {unit}{'' if number == 1 else 's'}"


def duration_words(seconds: float) -> str:
    """A step's length as said aloud: ``thirty seconds``, ``one minute thirty``, ``two minutes``.

    Whole minutes with a round number of seconds read like a coach says them
    ("one minute thirty"); odd seconds are named ("two minutes and seven seconds").
    """
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        parts = [_counted(hours, "hour")]
        if minutes:
            parts.append(_counted(minutes, "minute"))
        if secs:
            parts.append(_counted(secs, "second"))
        return " ".join(parts)
    if not minutes:
        return _counted(secs, "second")
    if not secs:
        return _counted(minutes, "minute")
    if secs % 5 == 0 and secs >= 10:
        return f"{_counted(minutes, 'minute')} {number_words(secs)}"
    return f"{_counted(minutes, 'minute')} and {_counted(secs, 'second')}"


def speed_words(speed: float | None, units: Units) -> str:
    """``two point five miles an hour``, ``eight kilometres an hour``, or ``your own pace``."""
    if speed is None:
        return "your own pace"
    unit = "mile" if units is Units.MPH else "kilometre"
    words = decimal_words(speed)
    plural = "" if words == "one" else "s"
    return f"{words} {unit}{plural} an hour"


def incline_words(incline: float) -> str:
    """``one point five percent incline``."""
    return f"{decimal_words(incline)} percent incline"


def step_name_words(step: Step) -> str:
    """The step's name, with its direction when the name doesn't already say it.

    The direction is what matters most at a change (it means turning around), so
    "Easy run" is said as "Easy run, forward" and "Backward" stays "Backward".
    """
    name = step.name.strip()
    direction = "backward" if step.direction is Direction.BACKWARD else "forward"
    if direction in name.casefold():
        return name
    return f"{name}, {direction}" if name else direction.capitalize()


def step_announcement(plan: Plan, step: Step, previous: Step | None = None) -> str:
    """``Backward, turn around, thirty seconds, two point five miles an hour, one percent incline``.

    With the step run before it, every change on the console is named: turning
    around, and an incline going back to zero (a step on the flat says nothing of
    incline otherwise).
    """
    changes = changes_between(previous, step) if previous is not None else None
    parts = [step_name_words(step)]
    if changes is not None and changes.turn:
        parts.append("turn around")
    parts += [duration_words(step.duration_s), speed_words(step.speed, plan.units)]
    if step.incline:
        parts.append(incline_words(step.incline))
    elif changes is not None and changes.incline_changes:
        parts.append("incline back to zero")
    return ", ".join(parts)


def countdown_word(seconds_left: int) -> str:
    """``three``, ``two``, ``one``: said in the last seconds before a change."""
    return number_words(seconds_left)


def join_phrases(phrases: Iterable[str]) -> str:
    """Phrases as one utterance, each ending in a full stop unless it has its own."""
    kept = [phrase.strip() for phrase in phrases if phrase.strip()]
    return " ".join(
        phrase if phrase.endswith((".", "!", "?")) or number == len(kept) - 1 else f"{phrase}."
        for number, phrase in enumerate(kept)
    )


class Narrator:
    """Decides, after each poll of a :class:`Workout`, what to say now (if anything).

    It is fed the events of each poll and looks at the workout's clock-derived
    state, so it says each thing once, at its moment, however often it is asked:

    - at a step change, the new step (a stall that skipped several steps
      announces only the one that is current);
    - ``three``, ``two``, ``one`` before a change, unless noticed too late;
    - ``Halfway`` once per run of a step of at least :data:`HALFWAY_MIN_S`;
    - the step's cue once the announcement has had time to be said, and each
      new cue as the cues rotate (none in the last seconds before the 3-2-1);
    - the rating prompt when a rating falls due;
    - "Workout complete." when the last step ends.

    Things due at the same moment are joined into one utterance, because a
    newer utterance replaces an older one: the rating prompt follows the
    announcement of the step that starts as the rated one ends.
    """

    def __init__(self, plan: Plan, cue_seconds: float, late_s: float) -> None:
        self.plan = plan
        self.cue_seconds = cue_seconds
        self.late_s = late_s
        """Anything noticed later than this after its moment (the laptop slept) is not said."""
        self._cue_heard = ""
        self._halfway_done = True
        self._in_step = False

    def utterance(self, workout: Workout, events: Iterable[Event], now: float) -> str | None:
        """What to say after a poll that returned ``events`` at clock time ``now``."""
        announcement = ""
        countdown = ""
        rating = False
        ended = ""
        for event in events:
            on_time = now - event.at < self.late_s
            if isinstance(event, StepStarted):
                self._new_run(workout, event)
                # After a stall (a sleeping laptop) only the step that is current now is news.
                if event.index == workout.index and workout.is_active:
                    before = workout.runs[-1].step if workout.runs else None
                    step = self.plan.steps[event.index]
                    announcement = step_announcement(self.plan, step, before)
            elif isinstance(event, Countdown):
                if on_time and event.index == workout.index:
                    countdown = countdown_word(event.seconds_left)
            elif isinstance(event, RatingDue):
                if on_time or event.run == workout.rating_run:
                    rating = True
            elif isinstance(event, WorkoutEnded) and event.status is Status.FINISHED:
                ended = WORKOUT_DONE
        during = "" if announcement or ended else self._during_step(workout)
        said = join_phrases(
            [announcement, RATING_PROMPT if rating else "", during, countdown, ended]
        )
        return said or None

    def seconds_to_halfway(self, workout: Workout) -> float | None:
        """How long until "Halfway" is due in the current step, if it still is."""
        if self._halfway_done or workout.status is not Status.RUNNING:
            return None
        length = workout.step_length_s
        if length < HALFWAY_MIN_S:
            return None
        return max(0.0, length / 2 - workout.step_elapsed_s)

    def _new_run(self, workout: Workout, event: StepStarted) -> None:
        self._in_step = True
        self._halfway_done = False
        # Nothing of the new step heard yet: its first cue is said once the announcement is.
        self._cue_heard = ""

    def _during_step(self, workout: Workout) -> str:
        """Halfway and cue changes, from the time spent in the current step."""
        if workout.status is not Status.RUNNING or not self._in_step:
            return ""
        elapsed = workout.step_elapsed_s
        length = workout.step_length_s
        quiet = elapsed < QUIET_AFTER_START_S or workout.remaining_s <= QUIET_BEFORE_END_S
        phrases = []
        if not self._halfway_done and length >= HALFWAY_MIN_S and elapsed >= length / 2:
            self._halfway_done = True
            if not quiet and elapsed - length / 2 < self.late_s:
                phrases.append(HALFWAY)
        cue = cue_at(self.plan, workout.step, elapsed, self.cue_seconds)
        # A cue shown while it is too soon or too late to speak waits for the next quiet gap
        # (the first cue of a step is said when the announcement is over) or is left out.
        if cue != self._cue_heard and not quiet:
            self._cue_heard = cue
            phrases.append(cue)
        return join_phrases(phrases)
