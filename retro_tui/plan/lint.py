"""The plan safety linter: warnings about plans that are valid but risky to run.

The loader decides whether a plan *can* run; this module says whether it
follows the safety rules for backward work (see ``docs/plan-format.md``,
"Safety warnings"): small speed steps, each speed held a minute before the
next, one change at a time, short and few backward bouts and no incline for
beginners, a slow first backward step, and never ending a plan facing backward.

Each warning is a :class:`PlanIssue` with ``severity="warning"``, pinned to the
line and key path of the step that breaks the rule. Steps arrive expanded
(repeat blocks unrolled, ladders one step per rung), so the same place in the
file can break a rule once per round; it is reported once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from retro_tui.plan.durations import format_duration
from retro_tui.plan.errors import PlanIssue
from retro_tui.plan.model import Direction, Kind, Level, Plan, Step, Units

# The largest speed raise from one step to the next of the same direction.
MAX_SPEED_RAISE = {Units.MPH: 0.5, Units.KMH: 0.8}
MAX_FIRST_BACKWARD_SPEED = {Units.MPH: 4.0, Units.KMH: 6.4}
"""The fastest a plan's first backward step should be: a brisk walk or a slow jog. The
raise rules judge every later speed against the one before; this one judges the start."""
# How long a speed is held before it may be raised.
MIN_HOLD_S = 60
# Beginners' backward work starts short (about 30 s) and few (1-4 intervals).
BEGINNER_MAX_FIRST_BACKWARD_S = 60
BEGINNER_MAX_INTERVALS = 4

# Speeds and inclines come from decimal text; 2.6 - 2.1 is 0.5000000000000004.
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class _Finding:
    rule: str
    step: Step
    key: str
    message: str


def lint_plan(plan: Plan) -> list[PlanIssue]:
    """Safety warnings for ``plan``, top to bottom, at most one per rule and place in the file."""
    findings = [
        *_speed_changes(plan, Direction.BACKWARD),
        *_speed_changes(plan, Direction.FORWARD),
        *_two_changes_at_once(plan),
        *_beginner_rules(plan),
        *_first_backward_speed(plan),
        *_ends_backward(plan),
    ]
    # The loader labels a file's problems with the path it was given; do the same.
    label = str(plan.source) if plan.source is not None else "<plan>"
    issues: list[PlanIssue] = []
    seen: set[tuple[str, int, str]] = set()
    for finding in findings:
        key_path = _key_path(finding.step, finding.key)
        place = (finding.rule, finding.step.origin.line, key_path)
        if place in seen:
            continue
        seen.add(place)
        issues.append(
            PlanIssue(label, finding.step.origin.line, key_path, finding.message, "warning")
        )
    # Stable, so warnings on one line keep the order of the rules above.
    return sorted(issues, key=lambda issue: issue.line or 0)


def _key_path(step: Step, key: str) -> str:
    return f"{step.origin.key_path}.{key}" if key else step.origin.key_path


def _speed(value: float) -> str:
    """``2.0``, ``2.5``, ``2.25``: speeds as a treadmill console shows them."""
    text = f"{value:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _same_ladder(step: Step, previous: Step) -> bool:
    """Whether ``step`` is the rung right after ``previous`` in one run of the same ladder."""
    return (
        step.origin.rung is not None
        and previous.origin.rung is not None
        and step.origin.path == previous.origin.path
        and step.origin.rounds == previous.origin.rounds
        and step.origin.rung[0] == previous.origin.rung[0] + 1
    )


def _speed_key(step: Step) -> str:
    """The key that sets ``step``'s speed: ``speed``, or ``ladder.from`` for a ladder's rung."""
    return "speed" if step.origin.rung is None else "ladder.from"


def _speed_changes(plan: Plan, direction: Direction) -> Iterable[_Finding]:
    """Rules a and b: small speed raises, each after a minute at the speed before.

    Steps are compared with the previous step of the same direction that has a
    speed, skipping the other direction in between: what matters is the jump
    a person feels at their next backward (or forward) step. A forward walk
    between two backward steps does not reset the count either, so two
    30-second backward bouts at 2.5 mph add up to a minute at 2.5.
    """
    limit = MAX_SPEED_RAISE[plan.units]
    units = plan.units.label
    facing = "backward" if direction is Direction.BACKWARD else "forward"
    previous: Step | None = None
    held_s = 0
    for step in plan.steps:
        if step.direction is not direction or step.speed is None:
            continue
        if previous is None or previous.speed is None:
            previous, held_s = step, step.duration_s
            continue
        raise_by = step.speed - previous.speed
        if abs(raise_by) <= _TOLERANCE:
            held_s += step.duration_s
        else:
            if raise_by > _TOLERANCE:
                within_ladder = _same_ladder(step, previous)
                change = f"({_speed(previous.speed)} -> {_speed(step.speed)})"
                if raise_by > limit + _TOLERANCE:
                    yield _Finding(
                        "speed-step",
                        step,
                        "ladder.by" if within_ladder else _speed_key(step),
                        f"speed goes up {_speed(raise_by)} {units} from the last {facing} step "
                        f"{change}; raise it at most {_speed(limit)} {units} at a time "
                        "so your balance can keep up",
                    )
                if held_s < MIN_HOLD_S:
                    yield _Finding(
                        "speed-hold",
                        step,
                        "ladder.hold" if within_ladder else _speed_key(step),
                        f"speed goes up after only {format_duration(held_s)} at "
                        f"{_speed(previous.speed)} {units} {change}; hold each speed at least "
                        "1 minute before raising it so you are steady before the next one",
                    )
            held_s = step.duration_s
        previous = step


def _two_changes_at_once(plan: Plan) -> Iterable[_Finding]:
    """Rule c: from one backward work step to the next, speed goes up along with time or incline."""
    units = plan.units.label
    previous: Step | None = None
    for step in plan.steps:
        if not step.is_backward_work:
            continue
        if (
            previous is not None
            and previous.speed is not None
            and step.speed is not None
            and step.speed - previous.speed > _TOLERANCE
        ):
            raised = [f"speed ({_speed(previous.speed)} -> {_speed(step.speed)} {units})"]
            if step.duration_s > previous.duration_s:
                raised.append(
                    f"duration ({format_duration(previous.duration_s)} -> "
                    f"{format_duration(step.duration_s)})"
                )
            # No incline set means a level belt as far as the plan says.
            before, after = previous.incline or 0.0, step.incline or 0.0
            if after - before > _TOLERANCE:
                raised.append(f"incline ({before:g} -> {after:g} %)")
            if len(raised) > 1:
                both = "all go up" if len(raised) > 2 else "both go up"
                yield _Finding(
                    "one-change",
                    step,
                    _speed_key(step),
                    f"{', '.join(raised[:-1])} and {raised[-1]} {both} from the last backward "
                    "step; change one thing at a time so each step up stays small enough "
                    "to handle",
                )
        previous = step


def _beginner_rules(plan: Plan) -> Iterable[_Finding]:
    """Rules d and e: for beginners, no incline backward, and backward work short and few."""
    if plan.level is not Level.BEGINNER:
        return
    for step in plan.steps:
        if step.is_backward and step.incline is not None and step.incline > _TOLERANCE:
            yield _Finding(
                "beginner-incline",
                step,
                "incline",
                f"a {step.incline:g} % incline going backward in a beginner plan; practise "
                "backward on the level first, inclines come after a lot of practice",
            )
    first_work = next((step for step in plan.steps if step.is_backward_work), None)
    if first_work is not None and first_work.duration_s > BEGINNER_MAX_FIRST_BACKWARD_S:
        yield _Finding(
            "beginner-first",
            first_work,
            "ladder.hold" if first_work.origin.rung is not None else "duration",
            f"the first backward work lasts {format_duration(first_work.duration_s)} in a "
            "beginner plan; start with short bouts, around 30 seconds and at most 1 minute, "
            "while balance is new",
        )
    intervals = plan.backward_intervals
    first_backward = next((step for step in plan.steps if step.is_backward), None)
    if first_backward is not None and intervals > BEGINNER_MAX_INTERVALS:
        yield _Finding(
            "beginner-count",
            first_backward,
            "",
            f"a beginner plan with {intervals} backward intervals; beginners start with "
            f"1 to {BEGINNER_MAX_INTERVALS} and add more once those feel steady",
        )


def _first_backward_speed(plan: Plan) -> Iterable[_Finding]:
    """Rule f: the first backward step with a speed starts slow (the belt at its lowest,
    then up a step at a time); a plan made from a forward workout's paces may not."""
    first = next((step for step in plan.steps if step.is_backward and step.speed), None)
    limit = MAX_FIRST_BACKWARD_SPEED[plan.units]
    if first is None or first.speed is None or first.speed <= limit + _TOLERANCE:
        return
    units = plan.units.label
    yield _Finding(
        "backward-start",
        first,
        _speed_key(first),
        f"the first backward step is at {_speed(first.speed)} {units}; start backward at "
        f"a walk, at most {_speed(limit)} {units}, and build up "
        f"{_speed(MAX_SPEED_RAISE[plan.units])} {units} at a time from there",
    )


def _ends_backward(plan: Plan) -> Iterable[_Finding]:
    """Rule g: after the last backward work, a forward or recovery step to turn around in."""
    last_work = None
    for index, step in enumerate(plan.steps):
        if step.is_backward_work:
            last_work = index
    if last_work is None:
        return
    after = plan.steps[last_work + 1 :]
    if not any(step.direction is Direction.FORWARD or step.kind is Kind.RECOVER for step in after):
        yield _Finding(
            "ends-backward",
            plan.steps[last_work],
            "",
            "the plan ends facing backward; add a forward or recovery step after the last "
            "backward work so you turn around and slow down before the belt stops",
        )
