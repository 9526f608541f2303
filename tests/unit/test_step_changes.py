"""What the next step asks of the person on the belt, and where in the plan a step is."""

from __future__ import annotations

from retro_tui.plan import parse_plan_text
from retro_tui.workout.changes import changes_between, next_line

INCLINES = """
[plan]
name = "Hills"

[[step]]
name = "Walk up"
duration = "2m"
speed = 3.0
incline = 2

[[step]]
name = "Back down"
direction = "backward"
duration = "30s"
speed = 2.5

[[step]]
name = "Same again"
direction = "backward"
duration = "30s"
speed = 2.5

[[step]]
name = "Own pace"
duration = "1m"
"""

NESTED = """
[plan]
name = "Sets"

[[step]]
name = "Set"
repeat = 2
  [[step.step]]
  name = "Intervals"
  repeat = 3
    [[step.step.step]]
    direction = "backward"
    duration = "30s"
    [[step.step.step]]
    name = "Walk"
    kind = "recover"
    duration = "20s"
  [[step.step]]
  repeat = 2
    [[step.step.step]]
    name = "Strides"
    duration = "20s"
"""


def test_every_change_is_named_incline_back_to_zero_included() -> None:
    plan = parse_plan_text(INCLINES)
    walk, down, again, own = plan.steps
    assert next_line(plan, walk, down) == (
        "Back down 0:30 at 2.5 mph, 0 % incline: "
        "turn around · speed 3.0 → 2.5 mph · incline 2 % → 0 %"
    )
    assert next_line(plan, down, again) == "Same again 0:30 at 2.5 mph, 0 % incline: no change"
    # Your own pace asks nothing of the console's speed; the turn it still asks.
    assert next_line(plan, again, own) == "Own pace 1:00, 0 % incline: turn around"


def test_changes_from_a_standing_belt() -> None:
    plan = parse_plan_text(INCLINES)
    first = changes_between(None, plan.steps[0])
    assert not first.turn and first.speed_changes and first.incline_changes


def test_nested_repeats_say_where_in_the_plans_own_names() -> None:
    plan = parse_plan_text(NESTED)
    labels = [plan.where_label(index) for index in range(len(plan.steps))]
    assert labels[0] == "Set 1 of 2 · Intervals 1 of 3 · Backward 1 of 6"
    assert labels[1] == "Set 1 of 2 · Intervals 1 of 3 · Walk 1 of 6"
    # The third backward interval: still the first set, third round of its intervals.
    assert labels[4] == "Set 1 of 2 · Intervals 3 of 3 · Backward 3 of 6"
    assert labels[8] == "Set 2 of 2 · Intervals 1 of 3 · Backward 4 of 6"
    # An unnamed block says "round"; a count the step's own label already gives is not
    # said twice ("Strides 2 of 4", not "round 2 of 2 · Strides 2 of 4").
    assert labels[6] == "Set 1 of 2 · round 1 of 2 · Strides 1 of 4"
    assert "round" not in plan.where_label(0)


def test_a_plain_plan_says_only_the_step() -> None:
    plan = parse_plan_text(INCLINES)
    assert plan.where_label(1) == "Back down"
