"""What to change next time: one progression suggestion from a finished session.

:func:`suggest_next` reads a finished session (its effort ratings, pain, how it ended)
together with the plan it ran, and suggests exactly ONE change for next time, or none.
:func:`suggested_plan_text` writes that change into a copy of the plan file, and
:func:`save_suggested_plan` saves the copy next to the user's own plans without ever
overwriting a file.

The rules, checked in this order (the first that applies decides)
    ==========================================  =============================================
    What the session shows                      Suggestion
    ==========================================  =============================================
    pain >= 4, or any pain in one ended early   back (one change easier); see a professional
    pain 1-3                                    hold: never progress with pain
    effort well above target (see below)        back, even if the session was cut short
    ended early, recovered, or a backward work  hold: never progress on an incomplete session
    step skipped
    no interval ratings and no session RPE      hold: rate your intervals to get a suggestion
    effort above target                         hold
    effort comfortably below target             progress one variable (longer, more, faster)
    effort within target                        hold
    ==========================================  =============================================

Effort
    The ratings compared are those of the backward *work* steps; each is compared with its
    own ``target_rpe`` or, when the step has none, the default target of the plan's level
    (table below). Without any interval rating, the session RPE is compared with the
    average target of the backward work steps instead.

    ===============================  ====================================================
    well above target ("back")       average > target + 1, or any one rating >= its
                                     target + 3
    above target ("hold")            average > target
    within target ("hold")           target - 1 < average <= target
    comfortably below ("progress")   average <= target - 1
    ===============================  ====================================================

Limits by plan level (a plan without a level is treated as a beginner plan throughout:
nothing about it says the person is ready for more)
    ============  ===============  ========================  ==========================
    level         default target   longest backward work     most backward intervals
    ============  ===============  ========================  ==========================
    (none)        4                60 s                      4
    beginner      4                60 s                      4
    intermediate  5                2 min                     8
    advanced      6                2 min                     8
    ============  ===============  ========================  ==========================

Progressing, one variable in the order the domain gives (the first that fits the limits)
    1. longer: every backward work step 15 s longer;
    2. more: one more round of the first repeat block with backward work in it (the
       innermost one, so nested sets grow by one interval per set), or, when no backward
       work is in a repeat block, a copy of the last backward work step together with the
       forward recovery step after it;
    3. faster: every backward work step with a speed 0.5 mph (0.8 km/h) faster, never past
       the loader's top treadmill speed.
    If none fits, the suggestion is to hold: the plan is at the top of its level.

Going back, the reverse of the last variable worth reducing
    1. fewer: one round less of the last repeat block of backward work that repeats more
       than once (or the last top-level backward work step and its recovery removed), when
       the plan has more than 2 backward intervals;
    2. shorter: every backward work step 15 s shorter, none under 15 s;
    3. slower: every backward work step with a speed 0.5 mph (0.8 km/h) slower, none
       under 0.5 mph (0.8 km/h).
    If none fits, hold: the plan is already as easy as the app can make it.

Speed ladders are never changed
    A ladder (``ladder = { from, to, by, hold }``) is a speed progression of its own, and
    changing its rungs or hold could break the 0.5 mph / one-minute rules it was written
    to keep. Only plain backward work steps are lengthened, repeated or sped up; a plan
    whose only backward work is a ladder therefore always gets "hold" with a reason that
    says to change the ladder by hand, one thing at a time.

Timed cues
    When backward work gets longer or shorter, its timed cues move with it: a cue in the
    first half keeps its time from the start, one in the second half its time to the end
    ("Ten seconds left" stays ten seconds before the end), one exactly halfway stays
    halfway. So every cue stays inside its step and still says something true.

Safety
    A suggestion changes one variable of the backward work steps and nothing else, so a
    session never raises speed together with duration or incline. Speed changes are
    rounded to one decimal *towards the old speed*, so a step never changes by more than
    0.5 mph (0.8 km/h). A change that would give the plan more safety warnings from
    :func:`retro_tui.plan.lint.lint_plan` than it has (a speed jump from the step before,
    a speed raised after less than a minute...) is passed over for the next variable in
    the order above. Every suggested plan is checked to load with the plan loader, to
    expand to exactly the original timeline with the one change, and to have no more
    warnings than the original.

The suggested plan file
    It is the original TOML document with the change made in place (repeat blocks,
    ladders and inline tables keep their structure; comments are lost, since TOML writers
    drop them), a comment header with the suggestion and its reason, a note on the name
    (``Retro starter (next: 45 s intervals)``, ``(easier: ...)`` for "back", replacing an
    earlier note) and a line at the end of the summary saying what changed, because the
    summary may still quote the old numbers.
"""

from __future__ import annotations

import copy
import math
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any

import tomli_w

from retro_tui.files import create_new
from retro_tui.history.record import SessionRecord, SessionStatus
from retro_tui.plan.durations import parse_duration
from retro_tui.plan.errors import PlanError
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.loader import (
    MAX_NAME_CHARS,
    MAX_REPEAT,
    MAX_SPEED,
    MAX_STEPS,
    MAX_SUMMARY_CHARS,
    MAX_TOTAL_S,
    parse_plan_bytes,
    parse_plan_text,
)
from retro_tui.plan.model import (
    Cue,
    Direction,
    Kind,
    Level,
    Plan,
    Step,
    Units,
    count_backward_intervals,
)
from retro_tui.tomltext import MAX_FILE_BYTES

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
    why in a sentence or two. ``variable`` is what changes: ``None`` for "hold", and for
    "back" which of duration, intervals or speed is reduced.
    """

    kind: SuggestionKind
    text: str
    reason: str
    variable: Variable | None = None

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


# -- deciding ----------------------------------------------------------------------------------


class _Verdict(Enum):
    BACK = "well above"
    ABOVE = "above"
    WITHIN = "close to"
    BELOW = "below"


@dataclass(frozen=True)
class _Effort:
    """Ratings against targets, and what they add up to."""

    average: float
    target: float
    worst_rating: int
    worst_target: int
    from_intervals: bool

    @property
    def verdict(self) -> _Verdict:
        if (
            self.average > self.target + BACK_WHEN_AVERAGE_ABOVE_TARGET_BY
            or self.worst_rating >= self.worst_target + BACK_WHEN_ONE_RATING_ABOVE_TARGET_BY
        ):
            return _Verdict.BACK
        if self.average > self.target:
            return _Verdict.ABOVE
        if self.average <= self.target - PROGRESS_WHEN_AVERAGE_BELOW_TARGET_BY:
            return _Verdict.BELOW
        return _Verdict.WITHIN

    def reason(self) -> str:
        verdict = self.verdict
        average_too_high = self.average > self.target + BACK_WHEN_AVERAGE_ABOVE_TARGET_BY
        if verdict is _Verdict.BACK and not average_too_high:
            # Only one rating was far off: say which, or "back" would not add up.
            what = "One backward interval" if self.from_intervals else "The session"
            return (
                f"{what} was rated {self.worst_rating}, far above its target "
                f"of {self.worst_target}."
            )
        on_target = verdict is _Verdict.WITHIN and math.isclose(self.average, self.target)
        relation = "right at" if on_target else verdict.value
        if self.from_intervals:
            return (
                f"Your backward intervals averaged {_number(self.average)}, {relation} your "
                f"target of {_number(self.target)}."
            )
        return (
            f"You rated the session {_number(self.average)}, {relation} your target "
            f"of {_number(self.target)}."
        )


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def _effort(session: SessionRecord, plan: Plan, default_target: int) -> _Effort | None:
    backward_work = [step for step in session.steps if step.is_backward_work]
    rated = [
        (step.rpe, default_target if step.target_rpe is None else step.target_rpe)
        for step in backward_work
        if step.rpe is not None
    ]
    if rated:
        worst_rating, worst_target = max(rated, key=lambda pair: pair[0] - pair[1])
        return _Effort(
            average=sum(rating for rating, _ in rated) / len(rated),
            target=sum(target for _, target in rated) / len(rated),
            worst_rating=worst_rating,
            worst_target=worst_target,
            from_intervals=True,
        )
    if session.rpe is None:
        return None
    targets = [
        default_target if step.target_rpe is None else step.target_rpe for step in backward_work
    ] or [
        default_target if step.target_rpe is None else step.target_rpe
        for step in plan.steps
        if step.is_backward_work
    ]
    target = sum(targets) / len(targets) if targets else float(default_target)
    return _Effort(
        average=float(session.rpe),
        target=target,
        worst_rating=session.rpe,
        worst_target=round(target),
        from_intervals=False,
    )


def _incomplete_reason(session: SessionRecord) -> str | None:
    if session.status is SessionStatus.ENDED_EARLY:
        return "The session was ended early, so the plan stays as it is until you finish it."
    if session.status is SessionStatus.RECOVERED:
        return (
            "The session was cut off before its end, so the plan stays as it is "
            "until you finish it."
        )
    if any(step.skipped for step in session.steps if step.is_backward_work):
        return (
            "Part of a backward interval was skipped, so the plan stays as it is "
            "until you finish every interval."
        )
    planned = session.planned_intervals
    if planned is not None and session.backward_intervals < planned:
        # Steps skipped within a second are not recorded at all, so count what was done.
        return (
            f"Only {session.backward_intervals} of {planned} backward intervals were done, "
            "so the plan stays as it is until you finish every interval."
        )
    return None


def _plain_text(text: str, limit: int = 40) -> str:
    """User-typed text made safe for one line: no control characters, limited length."""
    cleaned = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"


def _pain_words(session: SessionRecord) -> str:
    where = _plain_text(session.pain_where)
    return f"{session.pain}/10, {where}" if where else f"{session.pain}/10"


HOLD_TEXT = "Next time: repeat this plan as it is."
_KEEP_THE_REST = "; keep everything else the same."


def _hold(reason: str, text: str = HOLD_TEXT) -> Suggestion:
    return Suggestion(SuggestionKind.HOLD, text, reason)


def suggest_next(session: SessionRecord, plan: Plan) -> Suggestion:
    """The one change (or none) to make next time, after ``session`` ran ``plan``.

    Pure: reads nothing from disk. The rules are in the module docstring.
    """
    limits = LEVEL_LIMITS[plan.level]
    if session.pain is not None and session.pain >= 1:
        pain = f"You reported pain ({_pain_words(session)})"
        advice = "if the pain persists, stop and get advice from a physiotherapist or doctor."
        if session.pain >= PAIN_BACK_AT or session.status is SessionStatus.ENDED_EARLY:
            easier = _back(plan, limits, f"{pain}. Go easier; {advice}")
            if easier is not None:
                return easier
        return _hold(
            f"{pain}, so don't progress; {advice}",
            "Next time: repeat this plan as it is, no harder.",
        )
    if not _plain_backward_work(plan):
        if any(step.is_backward_work for step in plan.steps):
            return _hold(
                "This plan's backward work is a speed ladder; change the ladder yourself, "
                "one thing at a time (its hold, or later its top speed)."
            )
        return _hold("This plan has no backward intervals for the app to change.")

    effort = _effort(session, plan, limits.default_target_rpe)
    incomplete = _incomplete_reason(session)
    if effort is None:
        if incomplete:
            return _hold(incomplete)
        return _hold(
            "There are no effort ratings for this session: rate your intervals to get a "
            "suggestion.",
            "Next time: repeat this plan as it is, and rate your intervals to get a suggestion.",
        )
    verdict = effort.verdict
    if verdict is _Verdict.BACK:
        easier = _back(plan, limits, effort.reason())
        if easier is not None:
            return easier
        return _hold(effort.reason() + " This plan is already as easy as the app can make it.")
    if incomplete:
        return _hold(incomplete)
    if verdict is _Verdict.BELOW:
        return _progress(plan, limits, effort.reason())
    if verdict is _Verdict.ABOVE:
        return _hold(effort.reason() + " Repeat this plan until it feels easier.")
    return _hold(effort.reason() + " Repeat this plan until it feels comfortably easy.")


def _progress(plan: Plan, limits: LevelLimits, reason: str) -> Suggestion:
    for kind, variable in _VARIABLE_OF_KIND.items():
        change = _change(plan, limits, variable, increase=True)
        if change is not None:
            return Suggestion(
                kind, f"Next time: {change.wording}{_KEEP_THE_REST}", reason, variable
            )
    return _hold(
        reason + " This plan already has the longest, most and fastest backward intervals "
        "the app suggests for its level.",
        "Next time: repeat this plan as it is, or move on to a harder plan.",
    )


def _back(plan: Plan, limits: LevelLimits, reason: str) -> Suggestion | None:
    variables = [Variable.DURATION, Variable.SPEED]
    if plan.backward_intervals >= FEWEST_INTERVALS_TO_REDUCE:
        variables.insert(0, Variable.INTERVALS)
    for variable in variables:
        change = _change(plan, limits, variable, increase=False)
        if change is not None:
            text = f"Next time: go easier and {change.wording}{_KEEP_THE_REST}"
            return Suggestion(SuggestionKind.BACK, text, reason, variable)
    return None


# -- one change, on the expanded timeline and on the plan document -----------------------------

_Document = dict[str, Any]


@dataclass(frozen=True)
class _Change:
    """One change to a plan: the timeline it makes and how to write it into the file."""

    steps: tuple[Step, ...]
    """The expanded timeline after the change: what the suggested file must load as."""
    edit: Callable[[_Document], None]
    """Makes the same change in the parsed TOML document of the plan."""
    wording: str
    """What to do, for the person: ``make each backward interval 15 s longer (30 s -> 45 s)``."""
    name_note: str
    """For the suggested plan's name: ``45 s intervals``."""


def _is_plain_backward_work(step: Step) -> bool:
    return step.is_backward_work and step.origin.rung is None


def _plain_backward_work(plan: Plan) -> list[Step]:
    return [step for step in plan.steps if _is_plain_backward_work(step)]


def _fits_the_loader(steps: Sequence[Step]) -> bool:
    return len(steps) <= MAX_STEPS and sum(step.duration_s for step in steps) <= MAX_TOTAL_S


def _change(
    plan: Plan, limits: LevelLimits, variable: Variable, *, increase: bool
) -> _Change | None:
    """The change of ``variable`` up (or down), or ``None`` if it would break a limit."""
    if variable is Variable.DURATION:
        change = _duration_change(plan, limits, increase)
    elif variable is Variable.SPEED:
        change = _speed_change(plan, increase)
    else:
        change = _interval_change(plan, limits, increase)
    if change is None or not _fits_the_loader(change.steps):
        return None
    if _warning_count(replace(plan, steps=change.steps)) > _warning_count(plan):
        # The change would break a safety rule the plan kept (a speed jump from a
        # neighbouring step, too many intervals for a beginner...): not this one.
        return None
    ladders = any(step.is_backward_work and step.origin.rung is not None for step in plan.steps)
    if ladders and variable is not Variable.INTERVALS:
        wording = change.wording
        if wording.endswith(")"):
            wording = wording[:-1] + "; the ladder stays as it is)"
        else:
            wording += " (the ladder stays as it is)"
        change = replace(change, wording=wording)
    return change


def _warning_count(plan: Plan) -> int:
    return sum(issue.severity == "warning" for issue in lint_plan(plan))


def _node(document: _Document, path: tuple[int, ...]) -> dict[str, Any]:
    """The ``[[step]]`` table at an origin path; the document is the file the plan came from."""
    node: Any = document
    for index in path:
        node = node["step"][index]
    if not isinstance(node, dict):
        raise TypeError(f"no step table at {path}")
    return node


def _set_values(key: str, values: Mapping[tuple[int, ...], object]) -> Callable[[_Document], None]:
    def edit(document: _Document) -> None:
        for path, value in values.items():
            _node(document, path)[key] = value

    return edit


def _say_duration(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min" if not secs else f"{minutes} min {secs} s"


def _say_speed(speed: float, units: Units) -> str:
    """``2.0 mph``, ``2.25 mph``: as a treadmill console shows it, never hiding a digit."""
    text = f"{speed:.2f}".rstrip("0")
    return f"{text}0 {units.label}" if text.endswith(".") else f"{text} {units.label}"


def _from_to(old: set[str], new: set[str]) -> str:
    """`` (30 s -> 45 s)`` when every step had the same value; nothing when they differed."""
    if len(old) == 1 and len(new) == 1:
        return f" ({next(iter(old))} -> {next(iter(new))})"
    return ""


def _duration_change(plan: Plan, limits: LevelLimits, increase: bool) -> _Change | None:
    work = _plain_backward_work(plan)
    if not work:
        return None
    delta = INTERVAL_CHANGE_S if increase else -INTERVAL_CHANGE_S
    new_seconds = {step.origin.path: step.duration_s + delta for step in work}
    if increase and max(new_seconds.values()) > limits.longest_interval_s:
        return None
    if not increase and min(new_seconds.values()) < SHORTEST_INTERVAL_S:
        return None
    steps = tuple(
        replace(
            step,
            duration_s=new_seconds[step.origin.path],
            cues=_retimed_cues(step.cues, step.duration_s, new_seconds[step.origin.path]),
        )
        if _is_plain_backward_work(step)
        else step
        for step in plan.steps
    )
    old_said = {_say_duration(step.duration_s) for step in work}
    new_said = {_say_duration(seconds) for seconds in new_seconds.values()}
    longer = "longer" if increase else "shorter"
    from_to = _from_to(old_said, new_said)
    return _Change(
        steps=steps,
        edit=_set_durations({step.origin.path: step.duration_s for step in work}, new_seconds),
        wording=f"make each backward interval {INTERVAL_CHANGE_S} s {longer}{from_to}",
        name_note=f"{next(iter(new_said))} intervals"
        if len(new_said) == 1
        else f"intervals {INTERVAL_CHANGE_S} s {longer}",
    )


def _retimed(at: int, old_s: int, new_s: int) -> int:
    """Where a timed cue goes when its step changes length.

    A cue in the first half keeps its time from the start ("Stay in the middle" at 10 s);
    one in the second half keeps its time to the end ("Ten seconds left" at 20 s of 30 s
    moves to 35 s of 45 s); one exactly halfway stays halfway ("Halfway" at 15 s of 30 s
    moves to 22 s of 45 s). This keeps every cue inside the step, as the loader requires.
    """
    if 2 * at == old_s:
        return new_s // 2
    if 2 * at < old_s:
        return at
    return max(0, at + new_s - old_s)


def _retimed_cues(cues: tuple[Cue, ...], old_s: int, new_s: int) -> tuple[Cue, ...]:
    return tuple(
        cue if cue.at is None else replace(cue, at=_retimed(cue.at, old_s, new_s)) for cue in cues
    )


def _set_durations(
    old_seconds: Mapping[tuple[int, ...], int], new_seconds: Mapping[tuple[int, ...], int]
) -> Callable[[_Document], None]:
    def edit(document: _Document) -> None:
        for path, seconds in new_seconds.items():
            node = _node(document, path)
            node["duration"] = _duration_text(seconds)
            for cue in node.get("cues", []):
                if isinstance(cue, dict) and "at" in cue:
                    at = parse_duration(cue["at"])
                    if at is None:
                        raise TypeError(f"unreadable cue time at {path}")
                    moved = _retimed(at, old_seconds[path], seconds)
                    if moved != at:
                        cue["at"] = _duration_text(moved)

    return edit


def _duration_text(seconds: int) -> str:
    """A duration as plans write it: ``45s``, ``1m``, ``1m15s``."""
    minutes, secs = divmod(seconds, 60)
    if not minutes:
        return f"{secs}s"
    return f"{minutes}m" if not secs else f"{minutes}m{secs}s"


def _changed_speed(speed: float, change: float) -> float:
    """``speed + change`` to one decimal, rounded towards ``speed`` so it never moves further."""
    moved = (speed + change) * 10
    tenths = math.floor(moved + 1e-6) if change > 0 else math.ceil(moved - 1e-6)
    return tenths / 10


def _speed_change(plan: Plan, increase: bool) -> _Change | None:
    work = [step for step in _plain_backward_work(plan) if step.speed is not None]
    if not work:
        return None
    change = SPEED_CHANGE[plan.units] * (1 if increase else -1)
    new_speeds = {
        step.origin.path: _changed_speed(step.speed, change)
        for step in work
        if step.speed is not None
    }
    if increase and max(new_speeds.values()) > MAX_SPEED[plan.units]:
        return None
    if not increase and min(new_speeds.values()) < SLOWEST_SPEED[plan.units] - 1e-9:
        return None
    steps = tuple(
        replace(step, speed=new_speeds[step.origin.path])
        if _is_plain_backward_work(step) and step.speed is not None
        else step
        for step in plan.steps
    )
    units = plan.units
    old_said = {_say_speed(step.speed, units) for step in work if step.speed is not None}
    new_said = {_say_speed(speed, units) for speed in new_speeds.values()}
    faster = "faster" if increase else "slower"
    return _Change(
        steps=steps,
        edit=_set_values("speed", new_speeds),
        wording=(
            f"make each backward interval {SPEED_CHANGE[units]:g} {units.label} {faster}"
            f"{_from_to(old_said, new_said)}"
        ),
        name_note=next(iter(new_said)) if len(new_said) == 1 else f"backward {faster}",
    )


def _interval_change(plan: Plan, limits: LevelLimits, increase: bool) -> _Change | None:
    work = _plain_backward_work(plan)
    in_blocks = [step for step in work if len(step.origin.path) > 1]
    if not increase:
        # Going back takes a round off the LAST block that can spare one: usually the
        # hardest part of the plan. Progress adds to the FIRST: usually the easiest.
        in_blocks = [step for step in reversed(in_blocks) if step.origin.rounds[-1][1] > 1]
    if in_blocks:
        change = _block_change(plan, in_blocks[0], increase)
    else:
        change = _top_level_change(plan, work, increase)
    if change is None:
        return None
    before = plan.backward_intervals
    after = count_backward_intervals(step.is_backward for step in change.steps)
    if increase and not before < after <= limits.most_intervals:
        return None
    if not increase and not 1 <= after < before:
        return None
    if abs(after - before) == 1:
        what = "add one backward interval" if increase else "do one backward interval fewer"
        wording = f"{what} ({before} -> {after})"
    else:
        what = "add one round of" if increase else "do one round fewer of"
        wording = f"{what} {change.wording} ({before} -> {after} backward intervals)"
    note = f"{after} interval" if after == 1 else f"{after} intervals"
    return replace(change, wording=wording, name_note=note)


def _block_change(plan: Plan, first: Step, increase: bool) -> _Change | None:
    """One round more (or less) of the innermost repeat block around ``first``."""
    block = first.origin.path[:-1]
    depth = len(block)
    repeat = first.origin.rounds[-1][1]
    new_repeat = repeat + (1 if increase else -1)
    if not 1 <= new_repeat <= MAX_REPEAT:
        return None

    def inside(step: Step) -> bool:
        return step.origin.path[:depth] == block and len(step.origin.path) > depth

    steps: list[Step] = []
    last_round: list[Step] = []
    for index, step in enumerate(plan.steps):
        if not inside(step):
            steps.append(step)
            continue
        number, of = step.origin.rounds[depth - 1]
        if number < of:
            steps.append(step)
            continue
        # A step of the block's last round (in this pass through any enclosing blocks).
        if increase:
            steps.append(step)
        last_round.append(step)
        following = plan.steps[index + 1] if index + 1 < len(plan.steps) else None
        round_ends = following is None or not (
            inside(following) and following.origin.rounds[:depth] == step.origin.rounds[:depth]
        )
        if round_ends:
            if increase:
                steps.extend(last_round)
            last_round = []

    def edit(document: _Document) -> None:
        node = _node(document, block)
        if node.get("repeat") != repeat:
            raise TypeError(f"the repeat block at {block} no longer repeats {repeat} times")
        node["repeat"] = new_repeat

    return _Change(tuple(steps), edit, wording=_block_label(plan, first), name_note="")


def _block_label(plan: Plan, first: Step) -> str:
    """``"Backward minutes"``: the name of the innermost block around ``first``, if it has one.

    A step's ``origin.block`` is the name of the nearest *named* block around it, so in a
    nested block the name may be the outer block's: it is the inner block's own only if
    the outer block's other steps carry a different name.
    """
    name = first.origin.block
    block = first.origin.path[:-1]
    if name and len(block) > 1:
        outer = block[:-1]
        siblings = [
            step
            for step in plan.steps
            if step.origin.path[: len(outer)] == outer and step.origin.path[: len(block)] != block
        ]
        if not siblings or any(step.origin.block == name for step in siblings):
            name = None
    return f'"{_plain_text(name)}"' if name else "the repeat block"


def _moved(step: Step, by: int) -> Step:
    """``step`` as it is once the top-level steps before it grow (or shrink) by ``by``."""
    path = (step.origin.path[0] + by, *step.origin.path[1:])
    return replace(step, origin=replace(step.origin, path=path))


def _top_level_change(plan: Plan, work: Sequence[Step], increase: bool) -> _Change | None:
    """A copy of the last top-level backward work step and its recovery (or their removal)."""
    top_level = [step for step in work if len(step.origin.path) == 1]
    if not top_level or (not increase and len(top_level) < 2):
        return None
    last = top_level[-1]
    index = next(number for number, step in enumerate(plan.steps) if step is last)
    following = plan.steps[index + 1] if index + 1 < len(plan.steps) else None
    has_recovery = (
        following is not None
        and following.kind is Kind.RECOVER
        and following.direction is Direction.FORWARD
        and len(following.origin.path) == 1
        and following.origin.rung is None  # a ladder is many steps: not "the recovery"
    )
    if increase and not has_recovery:
        # A copy straight after a backward step would only make one longer interval.
        return None
    pair = plan.steps[index : index + 2] if has_recovery else plan.steps[index : index + 1]
    top_index = last.origin.path[0]
    # Steps after the copy (or the cut) move along in the file: give them the key paths
    # they will have there, so the safety check in _change tells them apart.
    shift = len(pair) if increase else -len(pair)
    later = tuple(_moved(step, shift) for step in plan.steps[index + len(pair) :])
    if increase:
        copies = tuple(_moved(step, shift) for step in pair)
        steps = plan.steps[: index + len(pair)] + copies + later
    else:
        steps = plan.steps[:index] + later

    def edit(document: _Document) -> None:
        tables = document["step"]
        if increase:
            duplicates = copy.deepcopy(tables[top_index : top_index + len(pair)])
            tables[top_index + len(pair) : top_index + len(pair)] = duplicates
        else:
            del tables[top_index : top_index + len(pair)]

    return _Change(tuple(steps), edit, wording="", name_note="")


# -- writing the suggested plan ----------------------------------------------------------------

_NOTE = re.compile(r"\s*\((?:next|easier): [^()]*\)\s*$")
_SUGGESTED_STEM = re.compile(r"-next(?:-\d+)?$")


def suggested_name(name: str, suggestion: Suggestion, note: str) -> str:
    """``Retro starter (next: 45 s intervals)``: an earlier note replaced, within the name limit."""
    base = _NOTE.sub("", name) or name
    word = "easier" if suggestion.kind is SuggestionKind.BACK else "next"
    suffix = f" ({word}: {note})"
    room = MAX_NAME_CHARS - len(suffix)
    if len(base) > room:
        base = base[: room - 1].rstrip() + "…"
    return base + suffix


def _step_signature(steps: Sequence[Step]) -> list[tuple[object, ...]]:
    return [
        (
            step.name,
            step.kind,
            step.direction,
            step.duration_s,
            step.speed,
            step.incline,
            step.rate,
            step.target_rpe,
            step.cues,
        )
        for step in steps
    ]


def _read_plan_file(plan_path: Path) -> bytes:
    try:
        with plan_path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SuggestedPlanError(plan_path, f"cannot be read: {error.strerror or error}") from None


def suggested_plan_text(plan_path: Path, suggestion: Suggestion) -> str | None:
    """The plan at ``plan_path`` with the suggested change, as TOML text; ``None`` for hold.

    The original document is edited (repeat blocks, ladders and inline tables keep their
    structure; comments are lost, as TOML writers drop them) and the result is checked to
    load and to expand to the original timeline with exactly the one change. Raises
    :class:`SuggestedPlanError` if the file can't be read, is no longer a valid plan, or no
    longer allows the change (it was edited since the suggestion was made).
    """
    if suggestion.variable is None:
        return None
    plan_path = Path(plan_path)
    label = str(plan_path)
    data = _read_plan_file(plan_path)
    try:
        plan = parse_plan_bytes(data, label, source=plan_path)
    except PlanError as error:
        raise SuggestedPlanError(
            plan_path, f"is not a valid plan any more: {error.first.message}"
        ) from None
    increase = suggestion.kind is not SuggestionKind.BACK
    change = _change(plan, LEVEL_LIMITS[plan.level], suggestion.variable, increase=increase)
    if change is None:
        raise SuggestedPlanError(
            plan_path,
            f"the plan no longer allows this change ({suggestion.kind}: "
            f"{suggestion.variable}); was it edited since the session?",
        )
    document = tomllib.loads(data.decode("utf-8-sig"))
    try:
        change.edit(document)
    except (KeyError, IndexError, TypeError) as error:
        raise SuggestedPlanError(plan_path, f"cannot apply the change: {error}") from None
    head = document["plan"]
    head["name"] = suggested_name(plan.name, suggestion, change.name_note)
    # The summary may quote the old numbers ("three 30-second intervals"): say what changed.
    note = f"Changed from {_plain_text(plan_path.name, 60)}: {change.wording}."
    summary = f"{plan.summary}\n\n{note}" if plan.summary else note
    if len(summary) <= MAX_SUMMARY_CHARS:
        head["summary"] = summary
    header = "".join(
        f"# {_plain_text(line, 200)}\n"
        for line in (
            f"Suggested by retro-tui from {plan_path.name}:",
            suggestion.text,
            suggestion.reason,
        )
    )
    text = header + "\n" + tomli_w.dumps(document, multiline_strings=True)
    try:
        suggested = parse_plan_text(text, label)
    except PlanError as error:  # a bug here, never the user's doing: say so plainly
        raise SuggestedPlanError(
            plan_path, f"the suggested plan would not load: {error.first}"
        ) from None
    if _step_signature(suggested.steps) != _step_signature(change.steps):
        raise SuggestedPlanError(plan_path, "the suggested plan came out different than intended")
    if _warning_count(suggested) > _warning_count(plan):
        raise SuggestedPlanError(
            plan_path, "the suggested plan would break a safety rule the original keeps"
        )
    return text


MAX_SUGGESTED_FILES = 999


def suggested_file_names(stem: str) -> list[str]:
    """``starter-next.toml``, ``starter-next-2.toml``, ...: the names tried, in order."""
    base = _SUGGESTED_STEM.sub("", stem) or stem
    return [f"{base}-next.toml"] + [
        f"{base}-next-{number}.toml" for number in range(2, MAX_SUGGESTED_FILES + 1)
    ]


def save_suggested_plan(plan: Plan, suggestion: Suggestion, folder: Path) -> Path:
    """Save the suggested plan as a new file in ``folder`` and return its path.

    The name comes from the original file's stem (``starter.toml`` -> ``starter-next.toml``,
    then ``starter-next-2.toml``, ...); an existing file is never overwritten, and the file
    appears complete or not at all. Raises :class:`SuggestedPlanError` (naming the file)
    when the plan has no file, the suggestion is to hold, or the file can't be written.
    """
    if plan.source is None:
        raise SuggestedPlanError(plan.file_label, "the plan has no file to build on")
    text = suggested_plan_text(plan.source, suggestion)
    if text is None:
        raise SuggestedPlanError(plan.source, "nothing to save: the suggestion is to hold")
    data = text.encode("utf-8")
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SuggestedPlanError(
            folder, f"cannot create the plans folder: {error.strerror or error}"
        ) from None
    for name in suggested_file_names(plan.source.stem):
        target = folder / name
        if target.exists() or target.is_symlink():
            continue
        try:
            create_new(target, data)
        except FileExistsError:
            continue  # made by someone else since the check: try the next name
        except OSError as error:
            raise SuggestedPlanError(
                target, f"cannot be written: {error.strerror or error}"
            ) from None
        return target
    raise SuggestedPlanError(
        folder, f"already holds {MAX_SUGGESTED_FILES} suggested plans for {plan.source.name}"
    )
