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
    effort comfortably below target, but:
      form tired (see :mod:`.fitness`)          hold: progress when fresher
      the last run of this plan above target    hold: one easy session is not yet a trend
      ratings of this plan rising 3 sessions    hold: repeat until they settle
    effort comfortably below target             progress one variable (longer, more, faster)
    effort within target                        hold
    ==========================================  =============================================

The weeks, not just the last session
    With the athlete's earlier sessions (``earlier``) and today's form (``form``), a
    session that felt comfortably easy progresses only when the weeks agree: not while
    fatigue is well above fitness, not right after a run of the same plan that felt
    harder than its target, and not while the ratings of this plan have risen session
    after session (the last three, each rated closer to or above its target than the one
    before, by at least 1 in all). The earlier sessions counted are the last
    :data:`TREND_SESSIONS` completed runs of the same plan (by name) by the same athlete,
    before this one. Without them the rules are those of one session. Pain and effort
    well above target decide first, whatever the weeks say.

Every suggestion carries ``why``: one short line with the evidence it read (the ratings
against the target, the trend, the form), for the summary.

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
    ladders, inline tables, the person's comments and the layout stay as written), a
    comment header with the suggestion and its reason, a note on the name
    (``Retro starter (next: 45 s intervals)``, ``(easier: ...)`` for "back", replacing an
    earlier note) and a line at the end of the summary saying what changed, because the
    summary may still quote the old numbers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from retro_tui.coach.fitness import Form, FormReading
from retro_tui.coach.plan_changes import (
    plain_backward_work,
    plan_change,
)
from retro_tui.coach.suggestion import (
    _VARIABLE_OF_KIND,
    BACK_WHEN_AVERAGE_ABOVE_TARGET_BY,
    BACK_WHEN_ONE_RATING_ABOVE_TARGET_BY,
    FEWEST_INTERVALS_TO_REDUCE,
    LEVEL_LIMITS,
    PAIN_BACK_AT,
    PROGRESS_WHEN_AVERAGE_BELOW_TARGET_BY,
    LevelLimits,
    Suggestion,
    SuggestionKind,
    Variable,
    plain_text,
)
from retro_tui.history.record import SessionRecord, SessionStatus
from retro_tui.history.stats import athlete_key, chronological
from retro_tui.plan.model import (
    Plan,
)

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
                f"Your backward intervals averaged {_say_number(self.average)}, {relation} your "
                f"target of {_say_number(self.target)}."
            )
        return (
            f"You rated the session {_say_number(self.average)}, {relation} your target "
            f"of {_say_number(self.target)}."
        )


def _say_number(value: float) -> str:
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


def _pain_words(session: SessionRecord) -> str:
    where = plain_text(session.pain_where)
    return f"{session.pain}/10, {where}" if where else f"{session.pain}/10"


HOLD_TEXT = "Next time: repeat this plan as it is."
_KEEP_THE_REST = "; keep everything else the same."


def _hold(reason: str, text: str = HOLD_TEXT) -> Suggestion:
    return Suggestion(SuggestionKind.HOLD, text, reason)


TREND_SESSIONS = 3
"""How many runs of a plan (this one included) the rating trend reads."""
TREND_RISE = 1.0
"""How much the ratings must have risen over those runs, in all, to count as rising."""


def _earlier_runs(
    session: SessionRecord, plan: Plan, earlier: Sequence[SessionRecord]
) -> list[SessionRecord]:
    """The last completed runs of the same plan by the same athlete before ``session``."""
    who = athlete_key(session.athlete)
    runs = [
        other
        for other in earlier
        if other.id != session.id
        and other.plan == session.plan
        and athlete_key(other.athlete) == who
        and other.status is SessionStatus.COMPLETED
    ]
    # In time order as the history orders it: a start typed by hand without an offset
    # must not make two starts incomparable.
    ordered = chronological([*runs, session])
    return ordered[: ordered.index(session)][-(TREND_SESSIONS - 1) :]


def _margins(runs: Sequence[SessionRecord], plan: Plan, default_target: int) -> list[float]:
    """Each run's average rating minus its target (positive: harder than meant)."""
    margins = []
    for run in runs:
        effort = _effort(run, plan, default_target)
        if effort is not None:
            margins.append(effort.average - effort.target)
    return margins


def _why(effort: _Effort | None, trend: Sequence[float], form: FormReading | None) -> str:
    parts = []
    if effort is not None:
        what = "intervals" if effort.from_intervals else "session"
        parts.append(f"{what} {_say_number(effort.average)} vs target {_say_number(effort.target)}")
    if len(trend) > 1:
        shown = " → ".join(f"{value:+.1f}".replace("+0.0", "0") for value in trend)
        parts.append(f"last {len(trend)} runs {shown} from target")
    if form is not None and form.word is not Form.NEW:
        parts.append(f"form {form.word}")
    # Nothing read, nothing to add: the reason already says to rate the intervals.
    return "Why: " + " · ".join(parts) + "." if parts else ""


def suggest_next(
    session: SessionRecord,
    plan: Plan,
    *,
    earlier: Sequence[SessionRecord] = (),
    form: FormReading | None = None,
) -> Suggestion:
    """The one change (or none) to make next time, after ``session`` ran ``plan``.

    ``earlier``: the athlete's sessions before this one (any plans, in any order); ``form``:
    today's fitness and fatigue. Pure: reads nothing from disk. The rules are in the module
    docstring.
    """
    limits = LEVEL_LIMITS[plan.level]
    effort = _effort(session, plan, limits.default_target_rpe)
    runs = _earlier_runs(session, plan, earlier)
    trend = _margins(runs, plan, limits.default_target_rpe)
    if effort is not None:
        trend.append(effort.average - effort.target)
    decided = _decide(session, plan, limits, effort, trend, form)
    if session.pain is not None and session.pain >= 1:
        why = f"Why: pain {_pain_words(session)}; pain comes before every other rule."
    else:
        why = _why(effort, trend, form)
    return replace(decided, why=why)


def _decide(
    session: SessionRecord,
    plan: Plan,
    limits: LevelLimits,
    effort: _Effort | None,
    trend: Sequence[float],
    form: FormReading | None,
) -> Suggestion:
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
    if not plain_backward_work(plan):
        if any(step.is_backward_work for step in plan.steps):
            return _hold(
                "This plan's backward work is a speed ladder; change the ladder yourself, "
                "one thing at a time (its hold, or later its top speed)."
            )
        return _hold("This plan has no backward intervals for the app to change.")

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
        weeks_say = _weeks_hold(trend, form)
        if weeks_say is not None:
            return _hold(f"{effort.reason()} {weeks_say}")
        return _progress(plan, limits, effort.reason())
    if verdict is _Verdict.ABOVE:
        return _hold(effort.reason() + " Repeat this plan until it feels easier.")
    return _hold(effort.reason() + " Repeat this plan until it feels comfortably easy.")


def _weeks_hold(trend: Sequence[float], form: FormReading | None) -> str | None:
    """Why the weeks say hold although this session felt easy, or None if they agree."""
    if form is not None and form.word is Form.TIRED:
        return (
            "But your form is tired (fatigue well above fitness): hold this plan and "
            "progress when you are fresher."
        )
    if len(trend) >= 2 and trend[-2] > 0:
        return (
            "But last time this plan felt harder than its target: one easy session is not "
            "yet a trend, so repeat it once more."
        )
    rising = all(later > earlier for earlier, later in itertools.pairwise(trend))
    if len(trend) >= TREND_SESSIONS and rising and trend[-1] - trend[0] >= TREND_RISE:
        return (
            f"But your ratings of this plan have risen over {len(trend)} sessions: repeat "
            "it until they settle."
        )
    return None


def _progress(plan: Plan, limits: LevelLimits, reason: str) -> Suggestion:
    for kind, variable in _VARIABLE_OF_KIND.items():
        change = plan_change(plan, limits, variable, increase=True)
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
        change = plan_change(plan, limits, variable, increase=False)
        if change is not None:
            text = f"Next time: go easier and {change.wording}{_KEEP_THE_REST}"
            return Suggestion(SuggestionKind.BACK, text, reason, variable)
    return None
