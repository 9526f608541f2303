"""One change to a plan, worked out twice: on the expanded timeline and on the TOML document.

A suggestion changes exactly one variable of the plain backward work steps
(duration, intervals or speed). :func:`plan_change` works out the timeline the
change makes, checks it against the level's limits and the safety linter, and
carries an edit that makes the same change in the plan's own TOML document, so
that the suggested file keeps its repeat blocks, ladders and inline tables.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from retro_tui.coach.suggestion import (
    INTERVAL_CHANGE_S,
    SHORTEST_INTERVAL_S,
    SLOWEST_SPEED,
    SPEED_CHANGE,
    LevelLimits,
    Variable,
    plain_text,
)
from retro_tui.plan.durations import format_duration, parse_duration
from retro_tui.plan.limits import MAX_REPEAT, MAX_SPEED, MAX_STEPS, MAX_TOTAL_S
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.model import (
    Cue,
    Direction,
    Kind,
    Plan,
    Step,
    Units,
    count_backward_intervals,
)

# -- one change, on the expanded timeline and on the plan document -----------------------------

PlanDocument = dict[str, Any]


@dataclass(frozen=True)
class PlanChange:
    """One change to a plan: the timeline it makes and how to write it into the file."""

    steps: tuple[Step, ...]
    """The expanded timeline after the change: what the suggested file must load as."""
    edit: Callable[[PlanDocument], None]
    """Makes the same change in the parsed TOML document of the plan."""
    wording: str
    """What to do, for the person: ``make each backward interval 15 s longer (30 s -> 45 s)``."""
    name_note: str
    """For the suggested plan's name: ``45 s intervals``."""


def _is_plain_backward_work(step: Step) -> bool:
    return step.is_backward_work and step.origin.rung is None


def plain_backward_work(plan: Plan) -> list[Step]:
    return [step for step in plan.steps if _is_plain_backward_work(step)]


def _fits_the_loader(steps: Sequence[Step]) -> bool:
    return len(steps) <= MAX_STEPS and sum(step.duration_s for step in steps) <= MAX_TOTAL_S


def plan_change(
    plan: Plan, limits: LevelLimits, variable: Variable, *, increase: bool
) -> PlanChange | None:
    """The change of ``variable`` up (or down), or ``None`` if it would break a limit."""
    if variable is Variable.DURATION:
        change = _duration_change(plan, limits, increase)
    elif variable is Variable.SPEED:
        change = _speed_change(plan, increase)
    else:
        change = _interval_change(plan, limits, increase)
    if change is None or not _fits_the_loader(change.steps):
        return None
    if warning_count(replace(plan, steps=change.steps)) > warning_count(plan):
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


def warning_count(plan: Plan) -> int:
    return sum(issue.severity == "warning" for issue in lint_plan(plan))


def _node(document: PlanDocument, path: tuple[int, ...]) -> dict[str, Any]:
    """The ``[[step]]`` table at an origin path; the document is the file the plan came from."""
    node: Any = document
    for index in path:
        node = node["step"][index]
    if not isinstance(node, dict):
        raise TypeError(f"no step table at {path}")
    return node


def _set_values(
    key: str, values: Mapping[tuple[int, ...], object]
) -> Callable[[PlanDocument], None]:
    def edit(document: PlanDocument) -> None:
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


def _duration_change(plan: Plan, limits: LevelLimits, increase: bool) -> PlanChange | None:
    work = plain_backward_work(plan)
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
    return PlanChange(
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
) -> Callable[[PlanDocument], None]:
    def edit(document: PlanDocument) -> None:
        for path, seconds in new_seconds.items():
            node = _node(document, path)
            node["duration"] = format_duration(seconds)
            for cue in node.get("cues", []):
                if isinstance(cue, dict) and "at" in cue:
                    at = parse_duration(cue["at"])
                    if at is None:
                        raise TypeError(f"unreadable cue time at {path}")
                    moved = _retimed(at, old_seconds[path], seconds)
                    if moved != at:
                        cue["at"] = format_duration(moved)

    return edit


def _changed_speed(speed: float, change: float) -> float:
    """``speed + change`` to one decimal, rounded towards ``speed`` so it never moves further."""
    moved = (speed + change) * 10
    tenths = math.floor(moved + 1e-6) if change > 0 else math.ceil(moved - 1e-6)
    return tenths / 10


def _speed_change(plan: Plan, increase: bool) -> PlanChange | None:
    work = [step for step in plain_backward_work(plan) if step.speed is not None]
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
    return PlanChange(
        steps=steps,
        edit=_set_values("speed", new_speeds),
        wording=(
            f"make each backward interval {SPEED_CHANGE[units]:g} {units.label} {faster}"
            f"{_from_to(old_said, new_said)}"
        ),
        name_note=next(iter(new_said)) if len(new_said) == 1 else f"backward {faster}",
    )


def _interval_change(plan: Plan, limits: LevelLimits, increase: bool) -> PlanChange | None:
    work = plain_backward_work(plan)
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


def _block_change(plan: Plan, first: Step, increase: bool) -> PlanChange | None:
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

    def edit(document: PlanDocument) -> None:
        node = _node(document, block)
        if node.get("repeat") != repeat:
            raise TypeError(f"the repeat block at {block} no longer repeats {repeat} times")
        node["repeat"] = new_repeat

    return PlanChange(tuple(steps), edit, wording=_block_label(plan, first), name_note="")


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
    return f'"{plain_text(name)}"' if name else "the repeat block"


def _moved(step: Step, by: int) -> Step:
    """``step`` as it is once the top-level steps before it grow (or shrink) by ``by``."""
    path = (step.origin.path[0] + by, *step.origin.path[1:])
    return replace(step, origin=replace(step.origin, path=path))


def _top_level_change(plan: Plan, work: Sequence[Step], increase: bool) -> PlanChange | None:
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

    def edit(document: PlanDocument) -> None:
        tables = document["step"]
        # One item at a time: tomlkit's arrays (``step = [{...}, ...]``) take no slices.
        if increase:
            duplicates = [copy.deepcopy(tables[top_index + n]) for n in range(len(pair))]
            for offset, table in enumerate(duplicates):
                tables.insert(top_index + len(pair) + offset, table)
        else:
            for _ in pair:
                del tables[top_index]

    return PlanChange(tuple(steps), edit, wording="", name_note="")
