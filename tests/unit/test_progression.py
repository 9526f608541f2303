"""Progression suggestions: the decision table, the suggested plan files, and saving them.

Small plans are written here so each rule can be reached on purpose; the bundled plans in
``plans/`` are used to check that every suggested file loads, differs from its original by
exactly the one change, and adds no safety warning.
"""

from __future__ import annotations

import difflib
import errno
import os
import tomllib
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from retro_tui.coach.fitness import Form, FormReading
from retro_tui.coach.progression import suggest_next
from retro_tui.coach.suggested_plan import (
    save_suggested_plan,
    suggested_file_names,
    suggested_name,
    suggested_plan_text,
)
from retro_tui.coach.suggestion import (
    LEVEL_LIMITS,
    SuggestedPlanError,
    Suggestion,
    SuggestionKind,
    Variable,
)
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.loader import load_plan, parse_plan_text
from retro_tui.plan.model import Level, Plan, Step


def _is_plan_file(path: Path) -> bool:
    # plans/ also holds multi-week program files, which are not single plans.
    return "plan" in tomllib.loads(path.read_text(encoding="utf-8"))


BUNDLED = [
    path
    for path in sorted((Path(__file__).resolve().parents[2] / "plans").glob("*.toml"))
    if _is_plan_file(path)
]
START = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
K = SuggestionKind


# -- building plans and sessions -----------------------------------------------------------


def small_plan_text(
    *,
    level: str | None = "beginner",
    units: str = "mph",
    duration: str = "30s",
    speed: float | None = 2.0,
    repeat: int | None = 3,
    target: int | None = None,
    walk_speed: float = 2.5,
) -> str:
    """A warm-up, ``repeat`` rounds of backward work + forward walk, and a cool-down.

    ``repeat=None`` writes the rounds out as top-level steps (two of them) instead.
    """
    head = ["[plan]", 'name = "Small"', f'units = "{units}"']
    if level is not None:
        head.append(f'level = "{level}"')
    backward = ['direction = "backward"', f'duration = "{duration}"']
    if speed is not None:
        backward.append(f"speed = {speed}")
    if target is not None:
        backward.append(f"target_rpe = {target}")
    walk = ['kind = "recover"', 'duration = "1m"', f"speed = {walk_speed}"]
    warmup = '[[step]]\nkind = "warmup"\nduration = "2m"\nspeed = 3.0\n'
    cooldown = f'[[step]]\nkind = "cooldown"\nduration = "2m"\nspeed = {walk_speed}\n'
    if repeat is None:
        rounds = "".join(
            "[[step]]\n" + "\n".join(backward) + "\n\n[[step]]\n" + "\n".join(walk) + "\n\n"
            for _ in range(2)
        )
    else:
        rounds = (
            f'[[step]]\nname = "Rounds"\nrepeat = {repeat}\n\n'
            + "[[step.step]]\n"
            + "\n".join(backward)
            + "\n\n[[step.step]]\n"
            + "\n".join(walk)
            + "\n\n"
        )
    return "\n".join(head) + "\n\n" + warmup + "\n" + rounds + cooldown


def write_plan(folder: Path, text: str, name: str = "small.toml") -> Plan:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return load_plan(path)


def session_for(
    plan: Plan,
    ratings: tuple[int, ...] = (),
    *,
    target: int | None = None,
    rpe: int | None = None,
    pain: int | None = None,
    pain_where: str = "",
    status: SessionStatus = SessionStatus.COMPLETED,
    skip_first_backward: bool = False,
    rate_forward: int | None = None,
) -> SessionRecord:
    """A session that ran every step of ``plan``; ratings go to backward work in order."""
    remaining = list(ratings)
    steps = []
    skipped_one = False
    for index, step in enumerate(plan.steps):
        rating = (remaining.pop(0) if remaining else None) if step.is_backward_work else None
        skipped = skip_first_backward and step.is_backward_work and not skipped_one
        skipped_one = skipped_one or skipped
        steps.append(
            StepRecord(
                name=step.name,
                kind=str(step.kind),
                direction=str(step.direction),
                planned_s=step.duration_s,
                actual_s=step.duration_s / 2 if skipped else float(step.duration_s),
                skipped=skipped,
                speed=step.speed,
                rpe=rating if step.is_backward_work else rate_forward,
                target_rpe=target
                if target is not None and step.is_backward_work
                else step.target_rpe,
                plan_step=index + 1,
            )
        )
    return SessionRecord(
        id="20261121T070000-abcd",
        plan=plan.name,
        started=START,
        ended=START,
        status=status,
        steps=tuple(steps),
        units=str(plan.units),
        rpe=rpe,
        pain=pain,
        pain_where=pain_where,
    )


# -- the decision table --------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    ratings: tuple[int, ...]
    kind: SuggestionKind
    level: str | None = "beginner"
    target: int | None = None
    pain: int | None = None
    status: SessionStatus = SessionStatus.COMPLETED
    rpe: int | None = None
    skipped: bool = False


ABORTED = SessionStatus.ENDED_EARLY
RECOVERED = SessionStatus.RECOVERED

# Beginner (and no-level) default target 4, intermediate 5, advanced 6. The small plan
# (3 x 30 s backward at 2.0 mph) has room to grow, so "progress" means "longer".
CASES = {
    "well below target: longer": Case((2, 2, 2), K.LONGER),
    "exactly target - 1 counts as comfortably below": Case((3, 3, 3), K.LONGER),
    "average 3.33 is within target: hold": Case((3, 4, 3), K.HOLD),
    "at target: hold": Case((4, 4, 4), K.HOLD),
    "a little above target: hold": Case((5, 4, 5), K.HOLD),
    "average exactly target + 1: still hold": Case((5, 5, 5), K.HOLD),
    "average above target + 1: back": Case((6, 5, 5), K.BACK),
    "one rating at target + 3: back": Case((2, 2, 7), K.BACK),
    "one rating at target + 2: hold": Case((2, 2, 6), K.HOLD),
    "pain 1 never progresses": Case((1, 1, 1), K.HOLD, pain=1),
    "pain 3: hold": Case((1, 1, 1), K.HOLD, pain=3),
    "pain 4: back": Case((1, 1, 1), K.BACK, pain=4),
    "pain 2 in an aborted session: back": Case((1, 1, 1), K.BACK, pain=2, status=ABORTED),
    "pain 0 is no pain": Case((1, 1, 1), K.LONGER, pain=0),
    "aborted: hold": Case((1, 1, 1), K.HOLD, status=ABORTED),
    "recovered: hold": Case((1, 1, 1), K.HOLD, status=RECOVERED),
    "a skipped backward step: hold": Case((1, 1, 1), K.HOLD, skipped=True),
    "aborted and far too hard: back": Case((8, 8, 8), K.BACK, status=ABORTED),
    "no ratings, no session RPE: hold": Case((), K.HOLD),
    "no ratings, easy session RPE: longer": Case((), K.LONGER, rpe=2),
    "no ratings, session RPE 6 vs 4: back": Case((), K.BACK, rpe=6),
    "interval ratings win over the session RPE": Case((2, 2, 2), K.LONGER, rpe=9),
    "intermediate target 5: 4s progress": Case((4, 4, 4), K.LONGER, level="intermediate"),
    "advanced target 6: 5s progress": Case((5, 5, 5), K.LONGER, level="advanced"),
    "advanced target 6: 6s hold": Case((6, 6, 6), K.HOLD, level="advanced"),
    "advanced target 6: 8s back": Case((8, 8, 8), K.BACK, level="advanced"),
    "no level: default target 4": Case((3, 3, 3), K.LONGER, level=None),
    "no level: 4s hold": Case((4, 4, 4), K.HOLD, level=None),
    "own target 2: ratings of 2 hold": Case((2, 2, 2), K.HOLD, target=2),
    "own target 2: ratings of 1 progress": Case((1, 1, 1), K.LONGER, target=2),
    "own target 7 beats the level's 4": Case((5, 5, 5), K.LONGER, target=7),
    "own target 7: one 10 is back": Case((5, 5, 10), K.BACK, target=7),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_decision_table(case: Case, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, small_plan_text(level=case.level))
    session = session_for(
        plan,
        case.ratings,
        target=case.target,
        rpe=case.rpe,
        pain=case.pain,
        status=case.status,
        skip_first_backward=case.skipped,
    )
    suggestion = suggest_next(session, plan)
    assert suggestion.kind is case.kind, suggestion
    assert suggestion.text.startswith("Next time: ")
    assert "\n" not in suggestion.text
    assert suggestion.reason
    # A suggestion that changes the plan always makes a loadable plan.
    assert (suggested_plan_text(plan.source or Path(), suggestion) is None) == (case.kind is K.HOLD)


def test_level_limits_table() -> None:
    levels = [None, Level.BEGINNER, Level.INTERMEDIATE, Level.ADVANCED]
    assert [LEVEL_LIMITS[level].default_target_rpe for level in levels] == [4, 4, 5, 6]
    assert [LEVEL_LIMITS[level].longest_interval_s for level in levels] == [60, 60, 120, 120]
    assert [LEVEL_LIMITS[level].most_intervals for level in levels] == [4, 4, 8, 8]


def test_ratings_of_forward_steps_do_not_count(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, small_plan_text())
    suggestion = suggest_next(session_for(plan, rate_forward=1), plan)
    assert suggestion.kind is K.HOLD
    assert "rate your intervals" in suggestion.reason
    assert "rate your intervals" in suggestion.text


def test_the_wording_of_a_progression(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, small_plan_text())
    suggestion = suggest_next(session_for(plan, (3, 3, 3)), plan)
    assert suggestion == Suggestion(
        K.LONGER,
        "Next time: make each backward interval 15 s longer (30 s -> 45 s); "
        "keep everything else the same.",
        "Your backward intervals averaged 3, below your target of 4.",
        Variable.DURATION,
    )


def test_pain_reason_names_the_pain_and_says_to_get_advice(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, small_plan_text())
    hold = suggest_next(session_for(plan, (1, 1, 1), pain=2, pain_where="left\nknee"), plan)
    assert hold.kind is K.HOLD
    assert "pain (2/10, left knee)" in hold.reason
    assert "persists, stop and get advice" in hold.reason
    back = suggest_next(session_for(plan, (1, 1, 1), pain=6), plan)
    assert back.kind is K.BACK
    assert "pain (6/10)" in back.reason
    assert "persists, stop and get advice" in back.reason


def test_pain_with_nothing_left_to_reduce_is_hold(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, small_plan_text(duration="15s", speed=0.5, repeat=2))
    suggestion = suggest_next(session_for(plan, (1, 1), pain=7), plan)
    assert suggestion.kind is K.HOLD
    assert "pain (7/10)" in suggestion.reason


# -- which variable ------------------------------------------------------------------------


def progress_on(tmp_path: Path, plan_text: str) -> Suggestion:
    """The suggestion after every backward interval of the plan felt very easy (1)."""
    plan = write_plan(tmp_path, plan_text)
    return suggest_next(session_for(plan, (1,) * 10), plan)


def back_on(tmp_path: Path, plan_text: str) -> Suggestion:
    """The suggestion after every backward interval of the plan felt very hard (9)."""
    plan = write_plan(tmp_path, plan_text)
    return suggest_next(session_for(plan, (9,) * 10), plan)


def test_progress_order_longer_then_more_then_faster(tmp_path: Path) -> None:
    assert progress_on(tmp_path, small_plan_text(duration="45s")).kind is K.LONGER
    more = progress_on(tmp_path, small_plan_text(duration="1m", repeat=3))
    assert more.kind is K.MORE
    assert more.text.startswith("Next time: add one backward interval (3 -> 4)")
    faster = progress_on(tmp_path, small_plan_text(duration="1m", repeat=4))
    assert faster.kind is K.FASTER
    assert "0.5 mph faster (2.0 mph -> 2.5 mph)" in faster.text


def test_a_beginner_plan_at_its_limits_holds(tmp_path: Path) -> None:
    # 60 s, 4 intervals, and 14.8 mph + 0.5 would pass the treadmill's 15 mph.
    suggestion = progress_on(
        tmp_path, small_plan_text(duration="1m", repeat=4, speed=14.8, walk_speed=14.8)
    )
    assert suggestion.kind is K.HOLD
    assert "harder plan" in suggestion.text


def test_intermediate_limits_are_two_minutes_and_eight_intervals(tmp_path: Path) -> None:
    assert (
        progress_on(tmp_path, small_plan_text(level="intermediate", duration="1m45s")).kind
        is K.LONGER
    )
    assert (
        progress_on(tmp_path, small_plan_text(level="intermediate", duration="2m", repeat=7)).kind
        is K.MORE
    )
    assert (
        progress_on(tmp_path, small_plan_text(level="intermediate", duration="2m", repeat=8)).kind
        is K.FASTER
    )


def test_a_plan_without_a_level_is_limited_like_a_beginner_plan(tmp_path: Path) -> None:
    assert (
        progress_on(tmp_path, small_plan_text(level=None, duration="1m", repeat=3)).kind is K.MORE
    )
    assert (
        progress_on(tmp_path, small_plan_text(level=None, duration="1m", repeat=4)).kind is K.FASTER
    )


def test_back_order_fewer_then_shorter_then_slower(tmp_path: Path) -> None:
    fewer = back_on(tmp_path, small_plan_text(repeat=3))
    assert (fewer.kind, fewer.variable) == (K.BACK, Variable.INTERVALS)
    assert "one backward interval fewer (3 -> 2)" in fewer.text
    shorter = back_on(tmp_path, small_plan_text(repeat=2, duration="45s"))
    assert (shorter.kind, shorter.variable) == (K.BACK, Variable.DURATION)
    assert "15 s shorter (45 s -> 30 s)" in shorter.text
    slower = back_on(tmp_path, small_plan_text(repeat=2, duration="15s", speed=2.0))
    assert (slower.kind, slower.variable) == (K.BACK, Variable.SPEED)
    assert "0.5 mph slower (2.0 mph -> 1.5 mph)" in slower.text
    nothing = back_on(tmp_path, small_plan_text(repeat=2, duration="15s", speed=0.5))
    assert nothing.kind is K.HOLD
    assert "already as easy" in nothing.reason


def test_kmh_plans_change_speed_by_0_8(tmp_path: Path) -> None:
    faster = progress_on(
        tmp_path, small_plan_text(units="kmh", duration="1m", repeat=4, speed=3.2, walk_speed=4.0)
    )
    assert "0.8 km/h faster (3.2 km/h -> 4.0 km/h)" in faster.text
    text = suggested_plan_text(tmp_path / "small.toml", faster)
    assert text is not None
    assert {step.speed for step in parse_plan_text(text).steps if step.is_backward_work} == {4.0}


def test_speed_changes_never_exceed_half_a_mph(tmp_path: Path) -> None:
    # 2.25 + 0.5 = 2.75: rounded to one decimal towards the old speed, 2.7, not 2.8.
    faster = progress_on(tmp_path, small_plan_text(duration="1m", repeat=4, speed=2.25))
    assert faster.kind is K.FASTER
    assert "(2.25 mph -> 2.7 mph)" in faster.text
    text = suggested_plan_text(tmp_path / "small.toml", faster)
    assert text is not None
    assert {step.speed for step in parse_plan_text(text).steps if step.is_backward_work} == {2.7}


def test_top_level_backward_work_gets_a_copy_with_its_recovery(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, small_plan_text(repeat=None, duration="1m"))
    suggestion = suggest_next(session_for(plan, (1, 1)), plan)
    assert suggestion.kind is K.MORE
    assert "(2 -> 3)" in suggestion.text
    text = suggested_plan_text(tmp_path / "small.toml", suggestion)
    assert text is not None
    new = parse_plan_text(text)
    assert new.backward_intervals == 3
    assert_inserted_copies(plan.steps, new.steps)


def test_no_copy_without_a_recovery_after_the_backward_work(tmp_path: Path) -> None:
    text = small_plan_text(repeat=None, duration="1m").replace(
        'kind = "recover"\nduration = "1m"\nspeed = 2.5\n\n[[step]]\nkind = "cooldown"',
        'kind = "cooldown"',
    )
    plan = write_plan(tmp_path, text)
    assert plan.steps[-2].is_backward_work  # the last backward work runs into the cool-down
    assert suggest_next(session_for(plan, (1, 1)), plan).kind is K.FASTER


LADDER_ONLY = """\
[plan]
name = "Ladder only"
level = "beginner"

[[step]]
kind = "warmup"
duration = "2m"
speed = 2.0

[[step]]
direction = "backward"
ladder = { from = 1.0, to = 2.0, by = 0.5, hold = "1m" }

[[step]]
kind = "cooldown"
duration = "2m"
speed = 2.0
"""


def test_a_plan_whose_only_backward_work_is_a_ladder_holds(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, LADDER_ONLY)
    for ratings in [(1, 1, 1), (9, 9, 9)]:
        suggestion = suggest_next(session_for(plan, ratings), plan)
        assert suggestion.kind is K.HOLD
        assert "ladder" in suggestion.reason


def test_a_ladder_only_plan_refuses_every_change(tmp_path: Path) -> None:
    write_plan(tmp_path, LADDER_ONLY)
    for kind, variable in COMBINATIONS:
        with pytest.raises(SuggestedPlanError, match="no longer allows"):
            suggested_plan_text(tmp_path / "small.toml", make_suggestion(kind, variable))


def test_ladders_stay_as_they_are(tmp_path: Path) -> None:
    text = small_plan_text(duration="30s", speed=1.0, walk_speed=1.0).replace(
        '[[step]]\nkind = "cooldown"',
        '[[step]]\ndirection = "backward"\nladder = { from = 1.0, to = 2.0, by = 0.5, '
        'hold = "1m" }\n\n[[step]]\nkind = "cooldown"',
    )
    plan = write_plan(tmp_path, text)
    suggestion = suggest_next(session_for(plan, (1,) * 6), plan)
    assert suggestion.kind is K.LONGER
    assert suggestion.text.endswith(
        "15 s longer (30 s -> 45 s; the ladder stays as it is); keep everything else the same."
    )
    suggested = suggested_plan_text(tmp_path / "small.toml", suggestion)
    assert suggested is not None
    rungs = [step for step in parse_plan_text(suggested).steps if step.origin.rung]
    assert [(step.speed, step.duration_s) for step in rungs] == [(1.0, 60), (1.5, 60), (2.0, 60)]


BACKWARD_RECOVERY = """\
[plan]
name = "Backward recovery"
level = "beginner"

[[step]]
kind = "warmup"
duration = "2m"
speed = 2.5

[[step]]
repeat = 4

  [[step.step]]
  direction = "backward"
  duration = "1m"
  speed = 2.0

  [[step.step]]
  direction = "backward"
  kind = "recover"
  duration = "1m"
  speed = 1.5

  [[step.step]]
  kind = "recover"
  duration = "1m"
  speed = 2.5

[[step]]
kind = "cooldown"
duration = "2m"
speed = 2.5
"""


def test_a_change_the_linter_would_warn_about_is_not_suggested(tmp_path: Path) -> None:
    # Longer (60 s) and more (4) are at the beginner limits; faster would take the backward
    # work from 1.5 (the backward recovery before it) to 2.5 mph, a 1 mph jump.
    plan = write_plan(tmp_path, BACKWARD_RECOVERY)
    assert lint_plan(plan) == []
    suggestion = suggest_next(session_for(plan, (1, 1, 1, 1)), plan)
    assert suggestion.kind is K.HOLD


# -- the suggested plan text ---------------------------------------------------------------


def signature(step: Step) -> tuple[object, ...]:
    return (
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


def plain_backward_work(step: Step) -> bool:
    return step.is_backward_work and step.origin.rung is None


def assert_only_durations_changed(old: Plan, new: Plan, by: int) -> None:
    assert len(old.steps) == len(new.steps)
    for before, after in zip(old.steps, new.steps, strict=True):
        if plain_backward_work(before):
            assert after.duration_s == before.duration_s + by
            assert [cue.text for cue in after.cues] == [cue.text for cue in before.cues]
            assert all(cue.at is None or cue.at < after.duration_s for cue in after.cues)
            after = replace(after, duration_s=before.duration_s, cues=before.cues)
        assert signature(after) == signature(before)


def assert_only_speeds_changed(old: Plan, new: Plan, by: float) -> None:
    assert len(old.steps) == len(new.steps)
    changed = 0
    for before, after in zip(old.steps, new.steps, strict=True):
        if plain_backward_work(before) and before.speed is not None:
            assert after.speed is not None
            assert 0 < abs(after.speed - before.speed) <= abs(by) + 1e-9
            assert (after.speed > before.speed) == (by > 0)
            after = replace(after, speed=before.speed)
            changed += 1
        assert signature(after) == signature(before)
    assert changed


def assert_inserted_copies(old: tuple[Step, ...], new: tuple[Step, ...]) -> None:
    """``new`` is ``old`` with runs inserted, each a copy of the run right before it."""
    old_signatures = [signature(step) for step in old]
    new_signatures = [signature(step) for step in new]
    matcher = difflib.SequenceMatcher(None, old_signatures, new_signatures, autojunk=False)
    inserts = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert inserts
    for tag, _, _, start, end in inserts:
        assert tag == "insert"
        length = end - start
        before = new_signatures[start - length : start]
        after = new_signatures[end : end + length]
        assert new_signatures[start:end] in (before, after)


def assert_removed_rounds(old: Plan, new: Plan) -> None:
    """``new`` is ``old`` with runs taken out: a round of a repeat block (a copy of the run
    beside it) or a top-level backward work step with the recovery after it."""
    old_signatures = [signature(step) for step in old.steps]
    new_signatures = [signature(step) for step in new.steps]
    matcher = difflib.SequenceMatcher(None, old_signatures, new_signatures, autojunk=False)
    cuts = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert cuts
    for tag, start, end, _, _ in cuts:
        assert tag == "delete"
        length = end - start
        neighbours = (
            old_signatures[start - length : start],
            old_signatures[end : end + length],
        )
        cut = old.steps[start:end]
        a_round = old_signatures[start:end] in neighbours
        a_step_and_recovery = plain_backward_work(cut[0]) and all(
            step.kind == "recover" and step.direction == "forward" for step in cut[1:]
        )
        assert length <= 2 or a_round
        assert a_round or a_step_and_recovery


def assert_only_intervals_changed(old: Plan, new: Plan, more: bool) -> None:
    if more:
        assert new.backward_intervals > old.backward_intervals
        assert_inserted_copies(old.steps, new.steps)
    else:
        assert new.backward_intervals < old.backward_intervals
        assert_removed_rounds(old, new)


COMBINATIONS = [
    (K.LONGER, Variable.DURATION),
    (K.MORE, Variable.INTERVALS),
    (K.FASTER, Variable.SPEED),
    (K.BACK, Variable.DURATION),
    (K.BACK, Variable.INTERVALS),
    (K.BACK, Variable.SPEED),
]


def make_suggestion(kind: SuggestionKind, variable: Variable) -> Suggestion:
    return Suggestion(kind, f"Next time: {kind} {variable}.", "A test.", variable)


def assert_one_change(old: Plan, new: Plan, suggestion: Suggestion) -> None:
    step_change = 15 if suggestion.kind is not K.BACK else -15
    speed_change = (0.5 if old.units == "mph" else 0.8) * (1 if step_change > 0 else -1)
    if suggestion.variable is Variable.DURATION:
        assert_only_durations_changed(old, new, step_change)
    elif suggestion.variable is Variable.SPEED:
        assert_only_speeds_changed(old, new, speed_change)
    else:
        assert_only_intervals_changed(old, new, more=suggestion.kind is K.MORE)
    # Everything about the plan but its name and summary stays.
    assert (new.units, new.level, new.cues) == (old.units, old.level, old.cues)
    word = "easier" if suggestion.kind is K.BACK else "next"
    assert new.name.startswith(f"{old.name} ({word}: ")


def applicable(path: Path, suggestion: Suggestion) -> str | None:
    """The suggested text, or ``None`` if this plan does not allow that change."""
    try:
        return suggested_plan_text(path, suggestion)
    except SuggestedPlanError as error:
        assert "no longer allows this change" in error.message
        return None


@pytest.mark.parametrize("path", BUNDLED, ids=[path.name for path in BUNDLED])
def test_every_change_to_a_bundled_plan_is_exactly_one_change(path: Path) -> None:
    original = load_plan(path)
    made = 0
    for kind, variable in COMBINATIONS:
        suggestion = make_suggestion(kind, variable)
        text = applicable(path, suggestion)
        if text is None:
            continue
        made += 1
        assert_one_change(original, parse_plan_text(text, str(path)), suggestion)
        assert text.startswith(f"# Suggested by retro-tui from {path.name}:\n")
    assert made >= 3


@pytest.mark.parametrize("path", BUNDLED, ids=[path.name for path in BUNDLED])
def test_suggestions_for_bundled_plans_load_and_add_no_warnings(path: Path, tmp_path: Path) -> None:
    original = load_plan(path)
    warnings_before = len(lint_plan(original))
    saved_plans = 0
    for ratings in [(1,) * 20, (9,) * 20]:
        suggestion = suggest_next(session_for(original, ratings), original)
        if not suggestion.changes_plan:
            continue
        saved = save_suggested_plan(original, suggestion, tmp_path / "mine")
        new = load_plan(saved)
        assert len(lint_plan(new)) <= warnings_before, lint_plan(new)
        assert_one_change(original, new, suggestion)
        saved_plans += 1
    assert saved_plans, "easy and hard sessions both held: nothing was saved and checked"
    checked = 0
    for kind, variable in COMBINATIONS:
        text = applicable(path, make_suggestion(kind, variable))
        if text is not None:
            assert len(lint_plan(parse_plan_text(text, str(path)))) <= warnings_before
            checked += 1
    assert checked, "no change applied to the plan: nothing was checked"


def test_bundled_plans_get_the_expected_first_choices() -> None:
    by_name = {path.name: load_plan(path) for path in BUNDLED}
    starter = by_name["starter.toml"]
    assert suggest_next(session_for(starter, (2, 2, 2)), starter).kind is K.LONGER
    assert suggest_next(session_for(starter, (8, 8, 8)), starter).variable is Variable.INTERVALS
    rehab = by_name["rehab-walk.toml"]
    assert suggest_next(session_for(rehab, (1,) * 4, pain=5), rehab).kind is K.BACK


def test_timed_cues_move_with_the_end_of_a_shorter_interval() -> None:
    rehab_path = next(path for path in BUNDLED if path.name == "rehab-walk.toml")
    rehab = load_plan(rehab_path)
    work = next(step for step in rehab.steps if step.is_backward_work)
    text = suggested_plan_text(rehab_path, make_suggestion(K.BACK, Variable.DURATION))
    assert text is not None
    shorter = next(step for step in parse_plan_text(text).steps if step.is_backward_work)
    # A cue 10 s before the end stays 10 s before the end; an earlier one keeps its time.
    assert work.cues, "the rehab plan's backward work has timed cues to move"
    for before, after in zip(work.cues, shorter.cues, strict=True):
        if before.at is not None and after.at is not None and 2 * before.at > work.duration_s:
            assert work.duration_s - before.at == shorter.duration_s - after.at
        else:
            assert after == before


def test_halfway_cues_stay_halfway(tmp_path: Path) -> None:
    text = small_plan_text().replace(
        'duration = "30s"', 'duration = "30s"\ncues = [{ at = "15s", text = "Halfway" }]'
    )
    plan = write_plan(tmp_path, text)
    suggestion = suggest_next(session_for(plan, (1, 1, 1)), plan)
    suggested = suggested_plan_text(tmp_path / "small.toml", suggestion)
    assert suggested is not None
    work = next(step for step in parse_plan_text(suggested).steps if step.is_backward_work)
    assert (work.duration_s, work.cues[0].at) == (45, 22)


def test_hold_has_no_plan_text(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, small_plan_text())
    hold = suggest_next(session_for(plan, (4, 4, 4)), plan)
    assert suggested_plan_text(tmp_path / "small.toml", hold) is None


def test_repeat_blocks_and_ladders_keep_their_structure() -> None:
    block_path = next(path for path in BUNDLED if path.name == "block-session.toml")
    text = suggested_plan_text(block_path, make_suggestion(K.LONGER, Variable.DURATION))
    assert text is not None
    assert "[[step.step.step]]" in text
    assert "repeat = 3" in text
    assert "ladder" in text
    assert 'duration = "1m15s"' in text


def test_nested_blocks_get_one_round_more_in_the_innermost_block() -> None:
    block_path = next(path for path in BUNDLED if path.name == "block-session.toml")
    original = load_plan(block_path)
    text = suggested_plan_text(block_path, make_suggestion(K.MORE, Variable.INTERVALS))
    assert text is not None
    new = parse_plan_text(text)
    sets = original.backward_intervals // 3  # sets of 3 backward minutes
    assert new.backward_intervals == original.backward_intervals + sets


def nested_plan_text(inner_name: str | None) -> str:
    inner = f'name = "{inner_name}"\n    ' if inner_name else ""
    return f"""\
[plan]
name = "Nested"
level = "intermediate"

[[step]]
kind = "warmup"
duration = "2m"
speed = 3.0

[[step]]
name = "Sets"
repeat = 2

  [[step.step]]
  {inner}repeat = 2

    [[step.step.step]]
    direction = "backward"
    duration = "2m"
    speed = 2.5

    [[step.step.step]]
    kind = "recover"
    duration = "1m"
    speed = 3.0

  [[step.step]]
  name = "Set break"
  kind = "recover"
  duration = "2m"
  speed = 3.0

[[step]]
kind = "cooldown"
duration = "2m"
speed = 3.0
"""


@pytest.mark.parametrize(
    ("inner_name", "called"), [("Pairs", '"Pairs"'), (None, "the repeat block")]
)
def test_a_nested_block_is_named_only_by_its_own_name(
    inner_name: str | None, called: str, tmp_path: Path
) -> None:
    plan = write_plan(tmp_path, nested_plan_text(inner_name))
    suggestion = suggest_next(session_for(plan, (1, 1, 1, 1)), plan)
    assert suggestion.kind is K.MORE
    assert f"add one round of {called} (4 -> 6 backward intervals)" in suggestion.text
    text = suggested_plan_text(tmp_path / "small.toml", suggestion)
    assert text is not None
    assert_one_change(plan, parse_plan_text(text), suggestion)


def test_a_plan_edited_since_the_suggestion_is_refused_clearly(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, small_plan_text(duration="45s"))
    suggestion = suggest_next(session_for(plan, (1, 1, 1)), plan)
    assert suggestion.kind is K.LONGER
    (tmp_path / "small.toml").write_text(small_plan_text(duration="1m"), encoding="utf-8")
    with pytest.raises(SuggestedPlanError, match=r"small\.toml: the plan no longer allows"):
        suggested_plan_text(tmp_path / "small.toml", suggestion)
    (tmp_path / "small.toml").write_text("[plan]\n", encoding="utf-8")
    with pytest.raises(SuggestedPlanError, match=r"small\.toml: is not a valid plan"):
        suggested_plan_text(tmp_path / "small.toml", suggestion)
    with pytest.raises(SuggestedPlanError, match=r"gone\.toml: cannot be read"):
        suggested_plan_text(tmp_path / "gone.toml", suggestion)


def test_suggestion_kind_and_variable_must_agree() -> None:
    with pytest.raises(ValueError):
        Suggestion(K.LONGER, "x", "y", Variable.SPEED)
    with pytest.raises(ValueError):
        Suggestion(K.HOLD, "x", "y", Variable.SPEED)
    with pytest.raises(ValueError):
        Suggestion(K.BACK, "x", "y")
    assert Suggestion(K.BACK, "x", "y", Variable.SPEED).changes_plan
    assert not Suggestion(K.HOLD, "x", "y").changes_plan


def test_suggested_name_replaces_an_earlier_note_and_fits() -> None:
    longer = make_suggestion(K.LONGER, Variable.DURATION)
    back = make_suggestion(K.BACK, Variable.DURATION)
    assert suggested_name("Retro starter", longer, "45 s intervals") == (
        "Retro starter (next: 45 s intervals)"
    )
    assert suggested_name("Retro starter (next: 45 s intervals)", longer, "1 min intervals") == (
        "Retro starter (next: 1 min intervals)"
    )
    assert suggested_name("Retro starter (next: 1 min intervals)", back, "45 s intervals") == (
        "Retro starter (easier: 45 s intervals)"
    )
    long_name = suggested_name("x" * 80, longer, "45 s intervals")
    assert len(long_name) == 80
    assert long_name.endswith("… (next: 45 s intervals)")


# -- saving --------------------------------------------------------------------------------


def longer_suggestion(tmp_path: Path, name: str = "starter.toml") -> tuple[Plan, Suggestion]:
    plan = write_plan(tmp_path, small_plan_text(), name)
    suggestion = suggest_next(session_for(plan, (1, 1, 1)), plan)
    assert suggestion.kind is K.LONGER
    return plan, suggestion


def test_saving_never_overwrites(tmp_path: Path) -> None:
    plan, suggestion = longer_suggestion(tmp_path)
    folder = tmp_path / "user" / "plans"  # created when missing
    first = save_suggested_plan(plan, suggestion, folder)
    second = save_suggested_plan(plan, suggestion, folder)
    assert (first.name, second.name) == ("starter-next.toml", "starter-next-2.toml")
    (folder / "starter-next-3.toml").write_text("mine", encoding="utf-8")
    third = save_suggested_plan(plan, suggestion, folder)
    assert third.name == "starter-next-4.toml"
    assert (folder / "starter-next-3.toml").read_text(encoding="utf-8") == "mine"
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    assert load_plan(third).name == "Small (next: 45 s intervals)"
    # Nothing else is left in the folder: no temp files.
    assert sorted(path.name for path in folder.iterdir()) == [
        "starter-next-2.toml",
        "starter-next-3.toml",
        "starter-next-4.toml",
        "starter-next.toml",
    ]


def test_a_suggested_plan_from_a_suggested_plan_keeps_the_base_name(tmp_path: Path) -> None:
    plan, suggestion = longer_suggestion(tmp_path, "starter-next-2.toml")
    saved = save_suggested_plan(plan, suggestion, tmp_path / "out")
    assert saved.name == "starter-next.toml"
    assert suggested_file_names("starter-next-7")[:2] == [
        "starter-next.toml",
        "starter-next-2.toml",
    ]


def test_a_name_taken_during_the_save_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, suggestion = longer_suggestion(tmp_path)
    folder = tmp_path / "out"
    real_link = os.link
    calls: list[str] = []

    def racing_link(source: str | Path, target: str | Path) -> None:
        calls.append(Path(target).name)
        if len(calls) == 1:
            Path(target).write_text("someone else's", encoding="utf-8")
        real_link(source, target)

    monkeypatch.setattr(os, "link", racing_link)
    saved = save_suggested_plan(plan, suggestion, folder)
    assert calls == ["starter-next.toml", "starter-next-2.toml"]
    assert saved.name == "starter-next-2.toml"
    assert (folder / "starter-next.toml").read_text(encoding="utf-8") == "someone else's"


def test_without_hard_links_it_still_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, suggestion = longer_suggestion(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "starter-next.toml").write_text("mine", encoding="utf-8")

    def no_links(source: str | Path, target: str | Path) -> None:
        if Path(target).exists():
            raise FileExistsError(errno.EEXIST, "exists", str(target))
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    saved = save_suggested_plan(plan, suggestion, folder)
    assert saved.name == "starter-next-2.toml"
    assert load_plan(saved).name.startswith("Small (next:")
    assert (folder / "starter-next.toml").read_text(encoding="utf-8") == "mine"
    assert sorted(path.name for path in folder.iterdir()) == [
        "starter-next-2.toml",
        "starter-next.toml",
    ]


def test_saving_a_hold_or_a_plan_without_a_file_fails_clearly(tmp_path: Path) -> None:
    plan, suggestion = longer_suggestion(tmp_path)
    hold = Suggestion(K.HOLD, "Next time: repeat this plan as it is.", "Because.")
    with pytest.raises(SuggestedPlanError, match=r"starter\.toml: nothing to save"):
        save_suggested_plan(plan, hold, tmp_path / "out")
    with pytest.raises(SuggestedPlanError, match="no file"):
        save_suggested_plan(replace(plan, source=None), suggestion, tmp_path / "out")


def test_an_unwritable_folder_fails_naming_the_file(tmp_path: Path) -> None:
    plan, suggestion = longer_suggestion(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(SuggestedPlanError, match=r"not-a-folder: cannot create the plans folder"):
        save_suggested_plan(plan, suggestion, blocker)
    if os.name == "posix" and os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(SuggestedPlanError, match=r"locked/starter-next\.toml: cannot be"):
            save_suggested_plan(plan, suggestion, locked)


def test_intervals_never_recorded_mean_hold_whatever_the_ratings(tmp_path: Path) -> None:
    """Steps skipped within a second leave no record: fewer intervals done than planned."""
    plan = write_plan(tmp_path, small_plan_text())
    full = session_for(plan, (1, 1), rpe=1)
    assert suggest_next(full, plan).kind is not K.HOLD  # easy and complete: progress
    assert full.planned_intervals is None or full.planned_intervals == plan.backward_intervals
    forward_only = tuple(step for step in full.steps if not step.is_backward)
    cut = replace(full, steps=forward_only, planned_intervals=plan.backward_intervals)
    suggestion = suggest_next(cut, plan)
    assert suggestion.kind is K.HOLD
    assert f"Only 0 of {plan.backward_intervals} backward intervals" in suggestion.reason


COMMENTED_PLAN = """\
# Tuesday plan, written with my physio.
[plan]
name = "Small"   # what the library shows
units = "mph"
level = "beginner"

# Walk in first: the calves need it.
[[step]]
kind = "warmup"
duration = "2m"
speed = 3.0

[[step]]
name = "Rounds"
repeat = 3  # three is plenty for now

[[step.step]]
direction = "backward"
duration = "30s"   # was 20 s in October
speed = 2.0

[[step.step]]
kind = "recover"
duration = "1m"
speed = 2.5

[[step]]
kind = "cooldown"
duration = "2m"
speed = 2.5
"""


def test_a_suggested_plan_keeps_the_comments_and_layout_of_the_original(tmp_path: Path) -> None:
    suggestion = progress_on(tmp_path, COMMENTED_PLAN)
    assert suggestion.kind is K.LONGER
    text = suggested_plan_text(tmp_path / "small.toml", suggestion)
    assert text is not None
    header, _, body = text.partition("\n\n")
    assert header.startswith("# Suggested by retro-tui from small.toml:")
    # Every line of the original is still there, in order, but for the two changed ones.
    changed = {
        'name = "Small"   # what the library shows',
        'duration = "30s"   # was 20 s in October',
    }
    kept = [line for line in COMMENTED_PLAN.splitlines() if line not in changed]
    body_lines = body.splitlines()
    remaining = iter(body_lines)
    missing = [line for line in kept if line not in remaining]  # in order: a subsequence
    assert missing == [], "the original's lines stay, in their order"
    assert 'duration = "45s"   # was 20 s in October' in body_lines
    assert 'name = "Small (next: 45 s intervals)"   # what the library shows' in body_lines
    assert parse_plan_text(text).backward_s == load_plan(tmp_path / "small.toml").backward_s + 45


def test_a_plan_suggested_from_a_suggested_plan_has_one_header(tmp_path: Path) -> None:
    suggestion = progress_on(tmp_path, COMMENTED_PLAN)
    first = suggested_plan_text(tmp_path / "small.toml", suggestion)
    assert first is not None
    (tmp_path / "small-next.toml").write_text(first, encoding="utf-8")
    plan = load_plan(tmp_path / "small-next.toml")
    again = suggest_next(session_for(plan, (1,) * 10), plan)
    second = suggested_plan_text(tmp_path / "small-next.toml", again)
    assert second is not None
    assert second.count("# Suggested by retro-tui") == 1
    assert "from small-next.toml:" in second
    assert "# Tuesday plan, written with my physio." in second
    assert "# Walk in first: the calves need it." in second


INLINE_STEPS = """\
plan = { name = "Inline", level = "intermediate" }
step = [
  { kind = "warmup", duration = "2m", speed = 3.0 },
  { direction = "backward", duration = "30s", speed = 2.0 },
  { kind = "recover", duration = "1m", speed = 2.5 },
  { direction = "backward", duration = "30s", speed = 2.0 },
  { kind = "recover", duration = "1m", speed = 2.5 },
  { kind = "cooldown", duration = "2m", speed = 2.5 },
]
"""


@pytest.mark.parametrize("kind", [K.MORE, K.BACK], ids=["one more", "one fewer"])
def test_intervals_change_in_a_plan_of_inline_step_tables(tmp_path: Path, kind: K) -> None:
    original = write_plan(tmp_path, INLINE_STEPS)
    text = suggested_plan_text(tmp_path / "small.toml", make_suggestion(kind, Variable.INTERVALS))
    assert text is not None
    assert "step = [" in text, "the steps stay an inline array"
    new = parse_plan_text(text)
    assert new.backward_intervals == original.backward_intervals + (1 if kind is K.MORE else -1)


# -- the weeks behind a suggestion ---------------------------------------------------------


def earlier_run(
    plan: Plan, ratings: tuple[int, ...], days_before: int, **kwargs: Any
) -> SessionRecord:
    """A completed run of ``plan`` ``days_before`` days before :data:`START`."""
    run = session_for(plan, ratings, **kwargs)
    started = START - timedelta(days=days_before)
    return replace(run, id=f"earlier-{days_before}", started=started, ended=started)


def reading(word: Form) -> FormReading:
    return FormReading(fitness=50.0, fatigue=50.0, form=0.0, word=word)


@pytest.fixture
def small(tmp_path: Path) -> Plan:
    return write_plan(tmp_path, small_plan_text())


def test_an_easy_session_progresses_when_the_weeks_agree(small: Plan) -> None:
    steady = [earlier_run(small, (2, 2, 2), 4), earlier_run(small, (2, 2, 3), 2)]
    suggestion = suggest_next(
        session_for(small, (2, 2, 2)), small, earlier=steady, form=reading(Form.BUILDING)
    )
    assert suggestion.kind is K.LONGER
    assert suggestion.why.startswith("Why: intervals 2 vs target 4")
    assert "last 3 runs" in suggestion.why and "form building" in suggestion.why
    assert "\n" not in suggestion.why


def test_tired_form_holds_an_easy_session(small: Plan) -> None:
    suggestion = suggest_next(session_for(small, (2, 2, 2)), small, form=reading(Form.TIRED))
    assert suggestion.kind is K.HOLD
    assert "form is tired" in suggestion.reason
    assert "form tired" in suggestion.why


def test_one_easy_session_after_a_hard_one_is_not_a_trend(small: Plan) -> None:
    hard = [earlier_run(small, (5, 5, 5), 2)]
    suggestion = suggest_next(session_for(small, (2, 2, 2)), small, earlier=hard)
    assert suggestion.kind is K.HOLD
    assert "not yet a trend" in suggestion.reason


def test_ratings_rising_for_three_sessions_hold(small: Plan) -> None:
    # Margins from the target of 4: -4, -3, -2 (still comfortably below), rising by 2 in all.
    rising = [earlier_run(small, (0, 0, 0), 4), earlier_run(small, (1, 1, 1), 2)]
    suggestion = suggest_next(session_for(small, (2, 2, 2)), small, earlier=rising)
    assert suggestion.kind is K.HOLD
    assert "risen over 3 sessions" in suggestion.reason
    # Rising by less than 1 in all is noise, not a trend.
    wobble = [earlier_run(small, (2, 2, 2), 4), earlier_run(small, (2, 2, 3), 2)]
    assert suggest_next(session_for(small, (2, 3, 2)), small, earlier=wobble).kind is K.LONGER


def test_only_the_same_plan_and_athlete_and_earlier_completed_runs_count(small: Plan) -> None:
    hard = earlier_run(small, (5, 5, 5), 2)
    others = [
        replace(hard, plan="Another plan"),
        replace(hard, athlete="Sam"),
        replace(hard, status=SessionStatus.ENDED_EARLY),
        replace(hard, started=START + timedelta(days=1)),
    ]
    assert suggest_next(session_for(small, (2, 2, 2)), small, earlier=others).kind is K.LONGER


def test_pain_comes_first_whatever_the_weeks_say(small: Plan) -> None:
    session = session_for(small, (2, 2, 2), pain=2)
    suggestion = suggest_next(session, small, form=reading(Form.FRESH))
    assert suggestion.kind is K.HOLD
    assert suggestion.why.startswith("Why: pain 2/10")
    assert suggest_next(session, small) == suggestion


def test_without_the_weeks_the_rules_are_those_of_one_session(small: Plan) -> None:
    session = session_for(small, (2, 2, 2))
    assert suggest_next(session, small).kind is K.LONGER
    assert suggest_next(session, small, form=reading(Form.NEW)).kind is K.LONGER
    assert suggest_next(session, small, form=reading(Form.FRESH)).kind is K.LONGER


def test_a_start_typed_without_an_offset_still_orders_the_runs(small: Plan) -> None:
    hard = earlier_run(small, (5, 5, 5), 2)
    naive = replace(hard, started=hard.started.replace(tzinfo=None))
    suggestion = suggest_next(session_for(small, (2, 2, 2)), small, earlier=[naive])
    assert suggestion.kind is K.HOLD and "not yet a trend" in suggestion.reason
