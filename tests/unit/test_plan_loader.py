"""Valid plans: what the loader builds from good TOML (plan format v1).

Covers the full example of the design, repeat blocks, ladders, inline arrays
of tables, units, default names and rating, plan totals and position labels,
and the limits that are still allowed (the boundary values themselves).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from textwrap import dedent

import pytest

from retro_tui.plan import (
    Cue,
    Direction,
    Kind,
    Level,
    Origin,
    Plan,
    PlanError,
    Units,
    load_plan,
    parse_plan_bytes,
    parse_plan_text,
)

# The example of "Plan format v1" in the design, verbatim.
DESIGN_EXAMPLE = """\
[plan]
name = "Retro starter"          # required
summary = "Two to four short backward intervals after an easy run"
units = "mph"                   # "mph" (default) or "kmh"; every speed in the file uses it
level = "beginner"              # beginner | intermediate | advanced (optional)
cues = ["Eyes on one mark on the wall"]   # optional: shown when a step has none

[[step]]                        # a plain step
name = "Easy run"               # optional; a default is made from kind + direction
kind = "warmup"                 # warmup | work | recover | cooldown   (default "work")
direction = "forward"           # forward | backward                   (default "forward")
duration = "20m"                # "45s", "1m30s", "20m", "1h", or an integer of seconds
speed = 5.5                     # optional, plan units
incline = 1.0                   # optional, percent
cues = ["Tall chest", { at = "15s", text = "Halfway" }]   # optional
rate = true                     # ask for RPE after this step (default: true for backward work)
target_rpe = 4                  # optional, 0-10

[[step]]                        # a repeat block: repeat + its own steps
name = "Backward intervals"
repeat = 4
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 2.0
  [[step.step]]
  kind = "recover"
  duration = "90s"
  speed = 3.0

[[step]]                        # a speed ladder: one step per speed, from..to by `by`
direction = "backward"
ladder = { from = 1.0, to = 3.0, by = 0.5, hold = "1m" }
"""

HEAD = '[plan]\nname = "Test plan"\n\n'


def load(text: str) -> Plan:
    """Parse a plan whose [plan] table is given by the caller."""
    return parse_plan_text(dedent(text), "plan.toml")


def load_steps(steps: str, head: str = HEAD) -> Plan:
    """Parse ``steps`` after a minimal [plan] table."""
    return parse_plan_text(head + dedent(steps), "plan.toml")


def without_lines(plan: Plan) -> list[object]:
    """The steps of ``plan`` with their source line blanked, to compare layouts."""
    return [
        dataclasses.replace(step, origin=dataclasses.replace(step.origin, line=0))
        for step in plan.steps
    ]


# -- the design example -----------------------------------------------------------------


@pytest.fixture
def example() -> Plan:
    return parse_plan_text(DESIGN_EXAMPLE, "retro-starter.toml")


def test_design_example_plan_table(example: Plan) -> None:
    assert example.name == "Retro starter"
    assert example.summary == "Two to four short backward intervals after an easy run"
    assert example.units is Units.MPH
    assert example.level is Level.BEGINNER
    assert example.cues == ("Eyes on one mark on the wall",)
    assert example.source is None
    assert example.file_label == "<plan>"


def test_design_example_expands_to_fourteen_steps(example: Plan) -> None:
    names = [step.name for step in example.steps]
    assert names == ["Easy run"] + ["Backward", "Recovery"] * 4 + ["Backward"] * 5
    durations = [step.duration_s for step in example.steps]
    assert durations == [1200] + [30, 90] * 4 + [60] * 5
    speeds = [step.speed for step in example.steps]
    assert speeds == [5.5] + [2.0, 3.0] * 4 + [1.0, 1.5, 2.0, 2.5, 3.0]


def test_design_example_plain_step(example: Plan) -> None:
    first = example.steps[0]
    assert first.kind is Kind.WARMUP
    assert first.direction is Direction.FORWARD
    assert first.incline == 1.0
    assert first.cues == (Cue("Tall chest"), Cue("Halfway", at=15))
    assert first.rate is True
    assert first.target_rpe == 4
    assert first.origin == Origin(path=(0,), line=8)


def test_design_example_repeat_block(example: Plan) -> None:
    block = example.steps[1:9]
    assert [step.kind for step in block] == [Kind.WORK, Kind.RECOVER] * 4
    assert [step.direction for step in block] == [Direction.BACKWARD, Direction.FORWARD] * 4
    assert [step.rate for step in block] == [True, False] * 4
    assert [step.origin.path for step in block] == [(1, 0), (1, 1)] * 4
    assert [step.origin.line for step in block] == [22, 26] * 4
    assert [step.origin.rounds for step in block] == [
        ((1, 4),),
        ((1, 4),),
        ((2, 4),),
        ((2, 4),),
        ((3, 4),),
        ((3, 4),),
        ((4, 4),),
        ((4, 4),),
    ]
    assert {step.origin.block for step in block} == {"Backward intervals"}
    assert all(step.origin.rung is None for step in block)
    assert all(step.incline is None and step.cues == () for step in block)


def test_design_example_ladder(example: Plan) -> None:
    ladder = example.steps[9:]
    assert [step.origin.rung for step in ladder] == [(n, 5) for n in range(1, 6)]
    assert {step.origin.line for step in ladder} == {31}
    assert {step.origin.path for step in ladder} == {(2,)}
    assert all(step.is_backward_work and step.rate for step in ladder)
    assert all(step.origin.block is None and step.origin.rounds == () for step in ladder)


def test_design_example_totals(example: Plan) -> None:
    assert example.total_s == 1200 + 4 * (30 + 90) + 5 * 60
    assert example.backward_s == 4 * 30 + 5 * 60
    # Four separate backward intervals in the block, then the ladder as one.
    assert example.backward_intervals == 5


def test_design_example_position_labels(example: Plan) -> None:
    labels = [example.position_label(index) for index in range(len(example.steps))]
    assert labels == [
        "Easy run",
        "Backward 1 of 4",
        "Recovery 1 of 4",
        "Backward 2 of 4",
        "Recovery 2 of 4",
        "Backward 3 of 4",
        "Recovery 3 of 4",
        "Backward 4 of 4",
        "Recovery 4 of 4",
        "Backward, rung 1 of 5",
        "Backward, rung 2 of 5",
        "Backward, rung 3 of 5",
        "Backward, rung 4 of 5",
        "Backward, rung 5 of 5",
    ]


def test_design_example_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "retro-starter.toml"
    path.write_text(DESIGN_EXAMPLE, encoding="utf-8")
    plan = load_plan(path)
    assert plan.source == path
    assert plan.file_label == "retro-starter.toml"
    assert plan.steps == parse_plan_text(DESIGN_EXAMPLE).steps
    # A str path works the same way.
    assert load_plan(str(path)).steps == plan.steps


def test_design_example_from_bytes_with_bom_and_crlf() -> None:
    data = b"\xef\xbb\xbf" + DESIGN_EXAMPLE.replace("\n", "\r\n").encode("utf-8")
    plan = parse_plan_bytes(data, "starter.toml")
    assert plan.steps == parse_plan_text(DESIGN_EXAMPLE).steps


# -- repeat blocks ---------------------------------------------------------------------


def test_repeat_block_expands_in_order() -> None:
    plan = load_steps(
        """\
        [[step]]
        kind = "warmup"
        duration = "5m"

        [[step]]
        repeat = 3
          [[step.step]]
          name = "A"
          duration = 10
          [[step.step]]
          name = "B"
          duration = 20
          [[step.step]]
          name = "C"
          duration = 30

        [[step]]
        kind = "cooldown"
        duration = "5m"
        """
    )
    assert [step.name for step in plan.steps] == (["Warm-up"] + ["A", "B", "C"] * 3 + ["Cool-down"])
    assert [step.origin.rounds for step in plan.steps] == (
        [()] + [((1, 3),)] * 3 + [((2, 3),)] * 3 + [((3, 3),)] * 3 + [()]
    )
    # A block without a name leaves Origin.block empty.
    assert {step.origin.block for step in plan.steps} == {None}
    assert plan.total_s == 600 + 3 * 60


def test_nested_repeat_blocks_record_every_round_outermost_first() -> None:
    plan = load_steps(
        """\
        [[step]]
        name = "Outer"
        repeat = 2
          [[step.step]]
          name = "Inner"
          repeat = 3
            [[step.step.step]]
            name = "x"
            duration = 10
          [[step.step]]
          name = "y"
          duration = 20
        """
    )
    assert [step.name for step in plan.steps] == ["x", "x", "x", "y"] * 2
    assert [step.origin.rounds for step in plan.steps] == [
        ((1, 2), (1, 3)),
        ((1, 2), (2, 3)),
        ((1, 2), (3, 3)),
        ((1, 2),),
        ((2, 2), (1, 3)),
        ((2, 2), (2, 3)),
        ((2, 2), (3, 3)),
        ((2, 2),),
    ]
    # The nearest named block wins.
    assert [step.origin.block for step in plan.steps] == ["Inner"] * 3 + ["Outer"] + [
        "Inner"
    ] * 3 + ["Outer"]
    assert [step.origin.path for step in plan.steps] == [(0, 0, 0)] * 3 + [(0, 1)] + [
        (0, 0, 0)
    ] * 3 + [(0, 1)]
    # HEAD takes three lines, so the headers are on lines 10 and 13.
    assert plan.steps[0].origin.line == 10
    assert plan.steps[3].origin.line == 13
    assert plan.steps[0].origin.key_path == "step[1].step[1].step[1]"


def test_unnamed_inner_block_inherits_the_outer_block_name() -> None:
    plan = load_steps(
        """\
        [[step]]
        name = "Set"
        repeat = 2
          [[step.step]]
          repeat = 2
            [[step.step.step]]
            duration = 10
        """
    )
    assert [step.origin.block for step in plan.steps] == ["Set"] * 4
    assert [step.origin.rounds for step in plan.steps] == [
        ((1, 2), (1, 2)),
        ((1, 2), (2, 2)),
        ((2, 2), (1, 2)),
        ((2, 2), (2, 2)),
    ]


def test_repeat_one_is_a_plain_group() -> None:
    plan = load_steps(
        """\
        [[step]]
        repeat = 1
        step = [{ duration = 10 }, { duration = 20 }]
        """
    )
    assert [step.duration_s for step in plan.steps] == [10, 20]
    assert [step.origin.rounds for step in plan.steps] == [((1, 1),)] * 2


# -- ladders ---------------------------------------------------------------------------


def test_ascending_ladder_makes_one_step_per_speed() -> None:
    plan = load_steps(
        """\
        [[step]]
        name = "Climb"
        direction = "backward"
        incline = 2.0
        cues = ["Short steps", { at = "20s", text = "Stay tall" }]
        target_rpe = 6
        ladder = { from = 1.0, to = 2.0, by = 0.25, hold = "45s" }
        """
    )
    assert [step.speed for step in plan.steps] == [1.0, 1.25, 1.5, 1.75, 2.0]
    assert {step.duration_s for step in plan.steps} == {45}
    assert {step.name for step in plan.steps} == {"Climb"}
    assert {step.incline for step in plan.steps} == {2.0}
    assert {step.target_rpe for step in plan.steps} == {6}
    assert {step.cues for step in plan.steps} == {(Cue("Short steps"), Cue("Stay tall", 20))}
    assert [step.origin.rung for step in plan.steps] == [(n, 5) for n in range(1, 6)]
    assert plan.position_label(2) == "Climb, rung 3 of 5"
    assert plan.total_s == 5 * 45


def test_descending_ladder() -> None:
    plan = load_steps(
        """\
        [[step]]
        direction = "backward"
        ladder = { from = 3.0, to = 1.0, by = 0.5, hold = "1m" }
        """
    )
    assert [step.speed for step in plan.steps] == [3.0, 2.5, 2.0, 1.5, 1.0]
    assert [step.origin.rung for step in plan.steps] == [(n, 5) for n in range(1, 6)]


def test_ladder_speeds_are_rounded_not_accumulated() -> None:
    plan = load_steps(
        """\
        [[step]]
        ladder = { from = 1.0, to = 2.0, by = 0.1, hold = 30 }
        """
    )
    assert [step.speed for step in plan.steps] == [
        1.0,
        1.1,
        1.2,
        1.3,
        1.4,
        1.5,
        1.6,
        1.7,
        1.8,
        1.9,
        2.0,
    ]


def test_ladder_from_equal_to_is_one_rung() -> None:
    plan = load_steps(
        """\
        [[step]]
        ladder = { from = 2, to = 2, by = 1, hold = "2m" }
        """
    )
    assert [(step.speed, step.duration_s, step.origin.rung) for step in plan.steps] == [
        (2.0, 120, (1, 1))
    ]
    assert plan.position_label(0) == "Forward, rung 1 of 1"


def test_ladder_as_a_subtable_header_equals_inline_table() -> None:
    inline = load_steps(
        """\
        [[step]]
        direction = "backward"
        ladder = { from = 1.0, to = 2.0, by = 0.5, hold = "1m" }
        """
    )
    header = load_steps(
        """\
        [[step]]
        direction = "backward"
        [step.ladder]
        from = 1.0
        to = 2.0
        by = 0.5
        hold = "1m"
        """
    )
    dotted = load_steps(
        """\
        [[step]]
        direction = "backward"
        ladder.from = 1.0
        ladder.to = 2.0
        ladder.by = 0.5
        ladder.hold = "1m"
        """
    )
    assert inline.steps == header.steps == dotted.steps


def test_ladder_inside_a_repeat_block_keeps_rounds_and_rungs() -> None:
    plan = load_steps(
        """\
        [[step]]
        name = "Ladders"
        repeat = 2
          [[step.step]]
          direction = "backward"
          ladder = { from = 1.0, to = 1.5, by = 0.5, hold = 20 }
          [[step.step]]
          kind = "recover"
          duration = 60
        """
    )
    assert [(s.speed, s.origin.rounds, s.origin.rung) for s in plan.steps] == [
        (1.0, ((1, 2),), (1, 2)),
        (1.5, ((1, 2),), (2, 2)),
        (None, ((1, 2),), None),
        (1.0, ((2, 2),), (1, 2)),
        (1.5, ((2, 2),), (2, 2)),
        (None, ((2, 2),), None),
    ]
    # A ladder is one interval however many rungs it has.
    assert plan.backward_intervals == 2
    assert plan.backward_s == 80
    assert plan.position_label(2) == "Recovery 1 of 2"
    assert plan.position_label(5) == "Recovery 2 of 2"


def test_ladder_in_kmh_may_go_above_15() -> None:
    plan = load(
        """\
        [plan]
        name = "Fast"
        units = "kmh"

        [[step]]
        ladder = { from = 20, to = 24, by = 2, hold = 30 }
        """
    )
    assert [step.speed for step in plan.steps] == [20.0, 22.0, 24.0]


# -- inline arrays of tables -----------------------------------------------------------


def test_inline_step_array_equals_step_step_headers() -> None:
    headers = load_steps(
        """\
        [[step]]
        name = "Intervals"
        repeat = 3
          [[step.step]]
          direction = "backward"
          duration = "30s"
          speed = 2.0
          cues = ["Heels"]
          [[step.step]]
          kind = "recover"
          duration = "90s"
          speed = 3.0
        """
    )
    inline = load_steps(
        """\
        [[step]]
        name = "Intervals"
        repeat = 3
        step = [
          { direction = "backward", duration = "30s", speed = 2.0, cues = ["Heels"] },
          { kind = "recover", duration = "90s", speed = 3.0 },
        ]
        """
    )
    one_line = load_steps(
        """\
        [[step]]
        name = "Intervals"
        repeat = 3
        step = [{ direction = "backward", duration = "30s", speed = 2.0, cues = ["Heels"] }, { kind = "recover", duration = "90s", speed = 3.0 }]
        """  # noqa: E501
    )
    assert len(headers.steps) == 6
    assert without_lines(headers) == without_lines(inline) == without_lines(one_line)
    # The lines point at each inline table.
    assert [step.origin.line for step in inline.steps[:2]] == [8, 9]
    assert [step.origin.line for step in one_line.steps[:2]] == [7, 7]


def test_top_level_inline_step_array_equals_step_headers() -> None:
    headers = load_steps(
        """\
        [[step]]
        kind = "warmup"
        duration = "5m"
        [[step]]
        direction = "backward"
        duration = 30
        """
    )
    inline = load(
        """\
        step = [
          { kind = "warmup", duration = "5m" },
          { direction = "backward", duration = 30 },
        ]

        [plan]
        name = "Test plan"
        """
    )
    assert without_lines(headers) == without_lines(inline)
    assert [step.origin.line for step in inline.steps] == [2, 3]


def test_inline_nested_blocks_and_ladders() -> None:
    plan = load_steps(
        """\
        [[step]]
        repeat = 2
        step = [
          { repeat = 2, step = [{ duration = 5 }] },
          { direction = "backward", ladder = { from = 1, to = 2, by = 1, hold = 7 } },
        ]
        """
    )
    assert [(s.duration_s, s.speed, s.origin.rounds) for s in plan.steps] == [
        (5, None, ((1, 2), (1, 2))),
        (5, None, ((1, 2), (2, 2))),
        (7, 1.0, ((1, 2),)),
        (7, 2.0, ((1, 2),)),
        (5, None, ((2, 2), (1, 2))),
        (5, None, ((2, 2), (2, 2))),
        (7, 1.0, ((2, 2),)),
        (7, 2.0, ((2, 2),)),
    ]


# -- units, names, rating --------------------------------------------------------------


def test_units_default_to_mph() -> None:
    plan = load_steps("[[step]]\nduration = 30\nspeed = 15\n")
    assert plan.units is Units.MPH
    assert plan.units.label == "mph"


def test_units_kmh_allows_speeds_up_to_24() -> None:
    plan = load(
        """\
        [plan]
        name = "Metric"
        units = "kmh"

        [[step]]
        duration = 30
        speed = 24
        [[step]]
        duration = 30
        speed = 20.5
        """
    )
    assert plan.units is Units.KMH
    assert plan.units.label == "km/h"
    assert [step.speed for step in plan.steps] == [24.0, 20.5]
    # The same speed is refused in miles an hour.
    with pytest.raises(PlanError):
        load_steps("[[step]]\nduration = 30\nspeed = 20.5\n")


@pytest.mark.parametrize(
    ("kind", "direction", "name"),
    [
        ("work", "forward", "Forward"),
        ("work", "backward", "Backward"),
        ("warmup", "forward", "Warm-up"),
        ("warmup", "backward", "Backward warm-up"),
        ("recover", "forward", "Recovery"),
        ("recover", "backward", "Backward recovery"),
        ("cooldown", "forward", "Cool-down"),
        ("cooldown", "backward", "Backward cool-down"),
    ],
)
def test_default_step_names(kind: str, direction: str, name: str) -> None:
    plan = load_steps(f'[[step]]\nkind = "{kind}"\ndirection = "{direction}"\nduration = 30\n')
    (step,) = plan.steps
    assert step.name == name
    assert step.kind is Kind(kind)
    assert step.direction is Direction(direction)
    assert plan.position_label(0) == name


def test_kind_and_direction_default_to_forward_work() -> None:
    (step,) = load_steps("[[step]]\nduration = 30\n").steps
    assert (step.kind, step.direction, step.name) == (Kind.WORK, Direction.FORWARD, "Forward")


def test_given_name_is_stripped() -> None:
    (step,) = load_steps('[[step]]\nname = "  Walk it back  "\nduration = 30\n').steps
    assert step.name == "Walk it back"


@pytest.mark.parametrize("kind", ["work", "warmup", "recover", "cooldown"])
@pytest.mark.parametrize("direction", ["forward", "backward"])
def test_rate_defaults_to_true_only_for_backward_work(kind: str, direction: str) -> None:
    (step,) = load_steps(
        f'[[step]]\nkind = "{kind}"\ndirection = "{direction}"\nduration = 30\n'
    ).steps
    assert step.rate is (kind == "work" and direction == "backward")


def test_rate_can_be_set_either_way() -> None:
    plan = load_steps(
        """\
        [[step]]
        direction = "backward"
        duration = 30
        rate = false
        [[step]]
        kind = "cooldown"
        duration = 30
        rate = true
        [[step]]
        direction = "backward"
        ladder = { from = 1, to = 2, by = 1, hold = 10 }
        rate = false
        """
    )
    assert [step.rate for step in plan.steps] == [False, True, False, False]


# -- plan table details ----------------------------------------------------------------


@pytest.mark.parametrize("level", ["beginner", "intermediate", "advanced"])
def test_levels(level: str) -> None:
    plan = load(f'[plan]\nname = "L"\nlevel = "{level}"\n[[step]]\nduration = 1\n')
    assert plan.level is Level(level)


def test_optional_plan_keys_have_defaults() -> None:
    plan = load('[plan]\nname = "Bare"\n[[step]]\nduration = 1\n')
    assert (plan.summary, plan.level, plan.cues, plan.units) == ("", None, (), Units.MPH)


def test_summary_may_span_lines_and_is_stripped() -> None:
    plan = load(
        '[plan]\nname = "S"\n'
        'summary = """\nLine one [with brackets]\n\tLine two # not a comment\n"""\n'
        "[[step]]\nduration = 1\n"
    )
    assert plan.summary == "Line one [with brackets]\n\tLine two # not a comment"


def test_cue_text_is_kept_as_written() -> None:
    (step,) = load_steps(
        "[[step]]\nduration = 60\n"
        'cues = ["Arms [relaxed] [/]", { at = 0, text = "Go [b]now[/b]" }]\n'
    ).steps
    assert step.cues == (Cue("Arms [relaxed] [/]"), Cue("Go [b]now[/b]", 0))


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ('"45s"', 45),
        ('"1m30s"', 90),
        ('"20m"', 1200),
        ('"1h"', 3600),
        ("90", 90),
        ('"90"', 90),
        ('"1:30"', 90),
        ('"1:00:00"', 3600),
        ('"20 min"', 1200),
        ('"6h"', 6 * 3600),
    ],
)
def test_duration_forms(written: str, seconds: int) -> None:
    (step,) = load_steps(f"[[step]]\nduration = {written}\n").steps
    assert step.duration_s == seconds


def test_timed_cue_at_forms() -> None:
    (step,) = load_steps(
        '[[step]]\nduration = "2m"\n'
        'cues = [{ at = "0s", text = "a" }, { at = 30, text = "b" }, { at = "1:59", text = "c" }]\n'
    ).steps
    assert [cue.at for cue in step.cues] == [0, 30, 119]


# -- totals and labels -----------------------------------------------------------------


def test_totals_and_interval_count() -> None:
    plan = load_steps(
        """\
        [[step]]
        kind = "warmup"
        duration = 300
        [[step]]
        direction = "backward"
        duration = 30
        [[step]]
        kind = "recover"
        direction = "backward"
        duration = 60
        [[step]]
        duration = 120
        [[step]]
        direction = "backward"
        duration = 45
        """
    )
    assert plan.total_s == 300 + 30 + 60 + 120 + 45
    assert plan.backward_s == 30 + 60 + 45
    # Two backward steps in a row are one interval.
    assert plan.backward_intervals == 2


def test_plan_with_no_backward_steps() -> None:
    plan = load_steps("[[step]]\nduration = 30\n")
    assert (plan.backward_s, plan.backward_intervals) == (0, 0)


def test_position_labels_count_steps_of_the_same_name_kind_and_direction() -> None:
    plan = load_steps(
        """\
        [[step]]
        name = "Jog"
        duration = 60
        [[step]]
        repeat = 3
          [[step.step]]
          name = "Sprint back"
          direction = "backward"
          duration = 20
          [[step.step]]
          kind = "recover"
          duration = 40
        [[step]]
        direction = "backward"
        duration = 20
        """
    )
    assert [plan.position_label(i) for i in range(len(plan.steps))] == [
        "Jog",
        "Sprint back 1 of 3",
        "Recovery 1 of 3",
        "Sprint back 2 of 3",
        "Recovery 2 of 3",
        "Sprint back 3 of 3",
        "Recovery 3 of 3",
        # The only step of its name: no count.
        "Backward",
    ]
    assert [plan.position(i) for i in range(len(plan.steps))] == [
        (1, 1),
        (1, 3),
        (1, 3),
        (2, 3),
        (2, 3),
        (3, 3),
        (3, 3),
        (1, 1),
    ]


# -- limits that are still allowed -----------------------------------------------------


def test_three_levels_of_nesting_are_allowed() -> None:
    plan = load_steps(
        """\
        [[step]]
        repeat = 2
          [[step.step]]
          repeat = 2
            [[step.step.step]]
            duration = 1
        """
    )
    assert len(plan.steps) == 4


def test_exactly_2000_steps_and_repeat_100_are_allowed() -> None:
    plan = load_steps(
        """\
        [[step]]
        repeat = 100
          [[step.step]]
          repeat = 20
            [[step.step.step]]
            duration = 1
        """
    )
    assert len(plan.steps) == 2000
    assert plan.steps[-1].origin.rounds == ((100, 100), (20, 20))


def test_exactly_six_hours_is_allowed() -> None:
    plan = load_steps(
        """\
        [[step]]
        duration = "5h"
        [[step]]
        repeat = 2
        step = [{ duration = "30m" }]
        """
    )
    assert plan.total_s == 6 * 3600


def test_boundary_values_are_allowed() -> None:
    (low, high) = load_steps(
        """\
        [[step]]
        duration = 1
        speed = 0.1
        incline = -3
        target_rpe = 0
        [[step]]
        duration = 1
        speed = 15
        incline = 40
        target_rpe = 10
        """
    ).steps
    assert (low.speed, low.incline, low.target_rpe) == (0.1, -3.0, 0)
    assert (high.speed, high.incline, high.target_rpe) == (15.0, 40.0, 10)


# -- heart-rate zones ----------------------------------------------------------------------


def test_a_target_heart_rate_zone_is_one_zone_or_a_range() -> None:
    plan = load_steps(
        """\
        [[step]]
        duration = "5m"
        target_hr_zone = 2

        [[step]]
        duration = "5m"
        target_hr_zone = [2, 3]

        [[step]]
        duration = "5m"
        target_hr_zone = [4, 4]

        [[step]]
        duration = "5m"
        """
    )
    assert [step.target_hr_zone for step in plan.steps] == [(2, 2), (2, 3), (4, 4), None]


def test_every_rung_and_round_keeps_the_target_zone() -> None:
    plan = load_steps(
        """\
        [[step]]
        repeat = 2
          [[step.step]]
          direction = "backward"
          target_hr_zone = [3, 4]
          ladder = { from = 1.0, to = 1.5, by = 0.5, hold = "1m" }
          [[step.step]]
          kind = "recover"
          duration = "1m"
          target_hr_zone = 1
        """
    )
    assert [step.target_hr_zone for step in plan.steps] == [(3, 4), (3, 4), (1, 1)] * 2
