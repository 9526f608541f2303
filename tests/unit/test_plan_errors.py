"""Invalid plans: every problem is reported as the exact line a user sees.

Each case checks the full printed message, ``FILE:LINE: key.path: message``,
so a wrong line number, a wrong key path or a vaguer message fails the test.
Mistakes are placed below line 1 so that a line number of 1 (the fallback)
would be caught.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from retro_tui.plan import PlanError, PlanIssue, load_plan, parse_plan_bytes, parse_plan_text
from retro_tui.tomltext import MAX_FILE_BYTES

HEAD = '[plan]\nname = "Test plan"\n\n'  # three lines: steps start on line 4


def problems(text: str, *, head: str = "") -> list[str]:
    """The printed issues for a plan that must not load."""
    with pytest.raises(PlanError) as raised:
        parse_plan_text(head + dedent(text), "plan.toml")
    error = raised.value
    lines = [str(issue) for issue in error.issues]
    # The exception prints exactly the same lines.
    assert str(error) == "\n".join(lines)
    assert all(issue.severity == "error" for issue in error.issues)
    return lines


def step_problems(text: str) -> list[str]:
    """The printed issues for steps written after a valid three-line [plan] table."""
    return problems(text, head=HEAD)


# Each case: the text of a plan file (after ``head``), and every line ``check`` prints for it.
CASES = [
    # TOML syntax
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration =
        """,
        ["plan.toml:5: TOML syntax error at column 11: Invalid value"],
        id="syntax error gives line and column",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]
        duration = 1
        """,
        [
            "plan.toml:4: TOML syntax error at column 7: "
            "Expected ']]' at the end of an array declaration"
        ],
        id="syntax error in a header",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 1
        duration = 2
        """,
        ["plan.toml:6: TOML syntax error at column 13: Cannot overwrite a value"],
        id="syntax error for a key written twice",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        name = "open
        duration = 1
        """,
        ["plan.toml:5: TOML syntax error at column 13: Illegal character '\\n'"],
        id="syntax error for an unclosed string",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 30
        cues = [
          "Tall chest",


        """,
        ["plan.toml:7: TOML syntax error at the end: Invalid value"],
        id="syntax error at the end points at the last line with text",
    ),
    # unknown keys
    pytest.param(
        "",
        """\
        # A plan with a typo before its tables.

        stpe = 3

        [plan]
        name = "Typo"

        [[step]]
        duration = 30
        """,
        ['plan.toml:3: stpe: unknown key (did you mean "step"?)'],
        id="unknown top level key with a hint",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 30

        [settings]
        volume = 3
        """,
        ["plan.toml:7: settings: unknown key; a plan file takes: plan, step"],
        id="unknown top level table without a hint",
    ),
    pytest.param(
        "",
        """\
        [plna]
        name = "Typo"

        [[step]]
        duration = 30
        """,
        [
            'plan.toml:1: plna: unknown key (did you mean "plan"?)',
            'plan.toml:1: missing the [plan] table: start the file with [plan] and name = "..."',
        ],
        id="unknown top level table header with a hint",
    ),
    pytest.param(
        "",
        """\
        [plan]
        name = "Typo"
        sumary = "Short"
        level = "beginner"

        [[step]]
        duration = 30
        """,
        ['plan.toml:3: plan.sumary: unknown key (did you mean "summary"?)'],
        id="unknown key in plan table",
    ),
    pytest.param(
        "",
        """\
        [plan]
        name = "Typo"
        author = "me"

        [[step]]
        duration = 30
        """,
        ["plan.toml:3: plan.author: unknown key; [plan] takes: name, summary, units, level, cues"],
        id="unknown key in plan table without a hint",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 30

        [[step]]
        duration = 30
        sped = 2.0
        """,
        ['plan.toml:9: step[2].sped: unknown key (did you mean "speed"?)'],
        id="unknown key in a step",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 30
        colour = "red"
        """,
        [
            "plan.toml:6: step[1].colour: unknown key; a step takes: name, kind, direction, "
            "duration, speed, incline, cues, rate, target_rpe, target_hr_zone"
        ],
        id="unknown key in a step without a hint",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        repeat = 2
          [[step.step]]
          duration = 30
          [[step.step]]
          duration = 60
          inclne = 2.0
        """,
        ['plan.toml:10: step[1].step[2].inclne: unknown key (did you mean "incline"?)'],
        id="unknown key in a nested step",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        repeat = 2
          [[step.step]]
          repeat = 2
            [[step.step.step]]
            duratoin = 30
        """,
        [
            "plan.toml:8: step[1].step[1].step[1]: missing duration: how long the step lasts, "
            'like duration = "30s"',
            'plan.toml:9: step[1].step[1].step[1].duratoin: unknown key (did you mean "duration"?)',
        ],
        id="unknown key in a deeper nested step",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        repaet = 2
          [[step.step]]
          duration = 30
        """,
        [
            "plan.toml:4: step[1]: steps inside a step need repeat = N on the outer step",
            'plan.toml:5: step[1].repaet: unknown key (did you mean "repeat"?)',
        ],
        id="unknown key in a repeat block",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        repeat = 2
        speed = 3.0
          [[step.step]]
          duration = 30
        """,
        [
            "plan.toml:6: step[1].speed: a repeat block only holds name, repeat and its steps; "
            "put speed on the steps inside it"
        ],
        id="step keys on a repeat block are refused",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        direction = "backward"
        ladder = { from = 1.0, to = 2.0, by = 0.5, hodl = "1m" }
        """,
        [
            'plan.toml:6: step[1].ladder.hodl: unknown key (did you mean "hold"?)',
            "plan.toml:6: step[1].ladder: missing hold: a ladder needs from, to, by and hold",
        ],
        id="unknown key in an inline ladder",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        direction = "backward"
        [step.ladder]
        from = 1.0
        to = 2.0
        by = 0.5
        hold = "1m"
        steps = 3
        """,
        ["plan.toml:11: step[1].ladder.steps: unknown key; a ladder takes: from, to, by, hold"],
        id="unknown key in a ladder table",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        ladder = { from = 1.0, to = 2.0, by = 0.5, hold = "1m" }
        kidn = "work"
        """,
        ['plan.toml:6: step[1].kidn: unknown key (did you mean "kind"?)'],
        id="unknown key in a ladder step",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 60
        cues = [
          "Tall chest",
          { at = "30s", txt = "Halfway" },
        ]
        """,
        [
            'plan.toml:8: step[1].cues[2].txt: unknown key (did you mean "text"?)',
            'plan.toml:8: step[1].cues[2]: missing text: add text = "..."',
        ],
        id="unknown key in a timed cue",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 60
        cues = [{ text = "Halfway" }]
        """,
        ['plan.toml:6: step[1].cues[1]: missing at: when to show it, like at = "15s"'],
        id="timed cue without at",
    ),
    # wrong types
    pytest.param(
        "",
        """\
        # not a table

        plan = "Retro"

        [[step]]
        duration = 30
        """,
        ["plan.toml:3: plan: must be a table ([plan]), not text"],
        id="plan that is not a table",
    ),
    pytest.param(
        "",
        """\
        step = ["warm up", "run"]

        [plan]
        name = "P"
        """,
        ["plan.toml:1: step: must be a list of step tables ([[step]] or step = [{ ... }])"],
        id="steps that are not tables",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        direction = "backward"
        ladder = [1.0, 2.0]
        """,
        [
            "plan.toml:6: step[1].ladder: must be a table like "
            '{ from = 1.0, to = 3.0, by = 0.5, hold = "1m" }, not a list'
        ],
        id="ladder that is not a table",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        repeat = "4"
        step = [{ duration = 30 }]
        """,
        ["plan.toml:5: step[1].repeat: must be a whole number, not text"],
        id="repeat of the wrong type",
    ),
    # missing keys
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 30

        [[step]]
        name = "No time"
        speed = 2.0
        """,
        ['plan.toml:7: step[2]: missing duration: how long the step lasts, like duration = "30s"'],
        id="missing duration points at the step header",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        repeat = 2
          [[step.step]]
          duration = 30
          [[step.step]]
          kind = "recover"
        """,
        [
            "plan.toml:8: step[1].step[2]: missing duration: how long the step lasts, "
            'like duration = "30s"'
        ],
        id="missing duration in a nested step points at its header",
    ),
    pytest.param(
        "",
        """\
        [[step]]
        duration = 30
        """,
        ['plan.toml:1: missing the [plan] table: start the file with [plan] and name = "..."'],
        id="missing plan table",
    ),
    pytest.param(
        "",
        """\
        # A plan without a name

        [plan]
        summary = "Nameless"

        [[step]]
        duration = 30
        """,
        ['plan.toml:3: plan: missing name: add name = "..."'],
        id="missing plan name points at the plan header",
    ),
    pytest.param(
        "",
        """\
        [plan]
        name = "Empty"
        """,
        ["plan.toml:1: step: the plan has no steps: add at least one [[step]]"],
        id="empty plan",
    ),
    pytest.param(
        "",
        """\
        # no steps yet
        step = []

        [plan]
        name = "Empty"
        """,
        ["plan.toml:2: step: the plan has no steps: add at least one [[step]]"],
        id="empty step list points at it",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 30
        [[step]]
        repeat = 3
        """,
        ["plan.toml:6: step[2]: a repeat block needs its own steps: add [[step.step]] tables"],
        id="repeat block without steps",
    ),
    pytest.param(
        "",
        "",
        [
            'plan.toml:1: missing the [plan] table: start the file with [plan] and name = "..."',
            "plan.toml:1: step: the plan has no steps: add at least one [[step]]",
        ],
        id="empty file",
    ),
    # durations
    pytest.param(
        HEAD,
        '[[step]]\nname = "Marathon"\nduration = "6h1s"\n',
        ["plan.toml:6: step[1].duration: is 6h00m01s; a plan lasts at most 6 hours"],
        id="a step longer than six hours",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        ladder = { from = 1, to = 2, by = 1, hold = "0s" }
        """,
        ["plan.toml:5: step[1].ladder.hold: must be longer than zero, not '0s'"],
        id="a zero ladder hold",
    ),
    # speeds and inclines
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 30
        speed = 15.5
        """,
        ["plan.toml:6: step[1].speed: 15.5 mph is faster than a treadmill goes (at most 15 mph)"],
        id="speed above 15 mph",
    ),
    pytest.param(
        "",
        """\
        [plan]
        name = "Metric"
        units = "kmh"

        [[step]]
        duration = 30
        speed = 24.5
        """,
        ["plan.toml:7: step[1].speed: 24.5 km/h is faster than a treadmill goes (at most 24 km/h)"],
        id="speed above 24 kmh",
    ),
    # timed cues
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = "30s"
        cues = [
          { at = "10s", text = "Keep going" },
          { at = "30s", text = "Too late" },
        ]
        """,
        ["plan.toml:8: step[1].cues[2].at: 30s is not within the step (30s long)"],
        id="cue at the end of its step",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = "1m30s"
        cues = [{ at = "2m", text = "Too late" }]
        """,
        ["plan.toml:6: step[1].cues[1].at: 2m is not within the step (1m30s long)"],
        id="cue beyond its step",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        ladder = { from = 1, to = 2, by = 1, hold = "20s" }
        cues = [{ at = 25, text = "Too late" }]
        """,
        ["plan.toml:6: step[1].cues[1].at: 25s is not within the step (20s long)"],
        id="cue beyond a ladder hold",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 60
        cues = [{ at = "soon", text = "Now" }]
        """,
        [
            'plan.toml:6: step[1].cues[1].at: must be a duration like "45s", "1m30s", "20m", "1h" '
            "or a whole number of seconds, not 'soon'"
        ],
        id="cue at that is not a duration",
    ),
    # repeats, nesting and size limits
    pytest.param(
        HEAD,
        """\
        [[step]]
        repeat = 2
          [[step.step]]
          repeat = 2
            [[step.step.step]]
            repeat = 2
              [[step.step.step.step]]
              duration = 30
        """,
        [
            "plan.toml:10: step[1].step[1].step[1].step: steps nest more than 3 levels deep; "
            "flatten the inner blocks"
        ],
        id="nesting deeper than three levels",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        kind = "warmup"
        duration = 60

        [[step]]
        repeat = 100
          [[step.step]]
          repeat = 20
            [[step.step.step]]
            duration = 1
        """,
        [
            "plan.toml:8: step[2]: the plan expands to 2,001 steps; at most 2,000 "
            "(this block makes 2,000)"
        ],
        id="more than 2000 steps",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        direction = "backward"
        [step.ladder]
        from = 1.0
        to = 3.0
        by = 0.001
        hold = 1
        """,
        ["plan.toml:9: step[1].ladder.by: makes 2001 rungs; at most 2000"],
        id="ladder with more than 2000 rungs",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = "1s"

        [[step]]
        name = "Long set"
        repeat = 6
        step = [{ duration = "1h" }]
        """,
        ["plan.toml:7: step[2]: the plan lasts 6h00m01s; at most 6 hours (this block lasts 6h00m)"],
        id="longer than six hours",
    ),
    # ladders
    pytest.param(
        HEAD,
        """\
        [[step]]
        direction = "backward"
        ladder = { from = 1.0, to = 2.2, by = 0.5, hold = "1m" }
        """,
        ["plan.toml:6: step[1].ladder.to: 2.2 is not reached from 1 in steps of 0.5"],
        id="ladder whose to is not reached",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        direction = "backward"
        speed = 2.0
        duration = "5m"
        ladder = { from = 1.0, to = 2.0, by = 0.5, hold = "1m" }
        """,
        [
            "plan.toml:6: step[1].speed: a ladder sets the speed of each rung; remove speed",
            "plan.toml:7: step[1].duration: a ladder holds each speed for ladder.hold; remove "
            "duration",
        ],
        id="ladder with speed and duration",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        ladder = { from = 1.0, by = 0.5 }
        """,
        [
            "plan.toml:5: step[1].ladder: missing to: a ladder needs from, to, by and hold",
            "plan.toml:5: step[1].ladder: missing hold: a ladder needs from, to, by and hold",
        ],
        id="ladder with missing keys",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        ladder = { from = 0, to = 16, by = 2, hold = 60 }
        """,
        [
            "plan.toml:5: step[1].ladder.from: must be above zero (leave speed out to set no "
            "target)",
            "plan.toml:5: step[1].ladder.to: 16 mph is faster than a treadmill goes (at most 15 "
            "mph)",
        ],
        id="ladder speeds above the limit",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        repeat = 2
        ladder = { from = 1.0, to = 2.0, by = 0.5, hold = "1m" }
        """,
        ["plan.toml:6: step[1].ladder: a step is a repeat block or a ladder, not both"],
        id="step with both repeat and ladder",
    ),
    # errors inside inline arrays
    pytest.param(
        HEAD,
        """\
        [[step]]
        name = "Block"
        repeat = 2
        step = [{ duration = "0s" }]
        """,
        ["plan.toml:7: step[1].step[1].duration: must be longer than zero, not '0s'"],
        id="error in a one line inline step array",
    ),
    pytest.param(
        "",
        """\
        # steps first, then the plan table

        step = [{ duration = 30 }, { duration = "0s" }]

        [plan]
        name = "Inline"
        """,
        ["plan.toml:3: step[2].duration: must be longer than zero, not '0s'"],
        id="error in a top level inline step array",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        repeat = 2
        step = [
          # a comment with { braces } and [brackets]
          { duration = "30s", speed = 2.0 },
          { duration = "30s", speed = 99 },
          { kind = "recover" },
        ]
        """,
        [
            "plan.toml:9: step[1].step[2].speed: 99 mph is faster than a treadmill goes "
            "(at most 15 mph)",
            "plan.toml:10: step[1].step[3]: missing duration: how long the step lasts, "
            'like duration = "30s"',
        ],
        id="errors in a multi line inline step array point at each table",
    ),
    pytest.param(
        HEAD,
        """\
        [[step]]
        duration = 60
        cues = [
          "one",
          "two",
          { at = "1m", text = "late" },
        ]
        """,
        ["plan.toml:9: step[1].cues[3].at: 1m is not within the step (1m long)"],
        id="key on its own line in a multi line inline array",
    ),
    # several problems at once
    pytest.param(
        "",
        """\
        [plan]
        name = "Too big, with a typo"
        units = "mhp"

        [[step]]
        repeat = 100
          [[step.step]]
          repeat = 100
          step = [{ duration = 1 }]
        """,
        ["plan.toml:3: plan.units: 'mhp' is not one of mph, kmh (did you mean \"mph\"?)"],
        id="size limits are not checked on a broken plan",
    ),
]


@pytest.mark.parametrize(("head", "text", "expected"), CASES)
def test_the_problems_of_an_invalid_plan_are_printed_as_a_person_reads_them(
    head: str, text: str, expected: list[str]
) -> None:
    assert problems(text, head=head) == expected


# -- TOML syntax -----------------------------------------------------------------------


def test_syntax_error_with_crlf_line_endings() -> None:
    text = HEAD.replace("\n", "\r\n") + "[[step]]\r\nduration = 30\r\nspeed = 2..5\r\n"
    with pytest.raises(PlanError) as raised:
        parse_plan_text(text, "plan.toml")
    assert str(raised.value) == (
        "plan.toml:6: TOML syntax error at column 10: "
        "Expected newline or end of document after a statement"
    )


# -- unknown keys ----------------------------------------------------------------------


# -- wrong types -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('speed = "fast"', "plan.toml:6: step[1].speed: must be a number, not text"),
        ("speed = true", "plan.toml:6: step[1].speed: must be a number, not true/false"),
        (
            'rate = "yes"',
            "plan.toml:6: step[1].rate: must be true or false, not text",
        ),
        ("rate = 1", "plan.toml:6: step[1].rate: must be true or false, not a whole number"),
        ("target_rpe = 11", "plan.toml:6: step[1].target_rpe: must be 0-10, not 11"),
        ("target_rpe = -1", "plan.toml:6: step[1].target_rpe: must be 0-10, not -1"),
        (
            "target_rpe = 4.5",
            "plan.toml:6: step[1].target_rpe: must be a whole number 0-10, not a number",
        ),
        ("target_hr_zone = 6", "plan.toml:6: step[1].target_hr_zone: zones are 1 to 5, not 6"),
        ("target_hr_zone = 0", "plan.toml:6: step[1].target_hr_zone: zones are 1 to 5, not 0"),
        (
            "target_hr_zone = [2, 7]",
            "plan.toml:6: step[1].target_hr_zone: zones are 1 to 5, not 7",
        ),
        (
            "target_hr_zone = [3, 2]",
            "plan.toml:6: step[1].target_hr_zone: must go from the lower zone to the higher, "
            "like [2, 3]",
        ),
        *(
            (
                f"target_hr_zone = {value}",
                "plan.toml:6: step[1].target_hr_zone: must be a zone 1-5, or two of them like "
                f"[2, 3], not {shown}",
            )
            for value, shown in [
                ('"2"', "'2'"),
                ("2.0", "2.0"),
                ("true", "true"),
                ("[2]", "[2]"),
                ("[1, 2, 3]", "[1, 2, 3]"),
                ("[2, true]", "[2, True]"),
                ("{ low = 2 }", "{'low': 2}"),
            ]
        ),
        ("name = 5", "plan.toml:6: step[1].name: must be text in quotes, not a whole number"),
        ('name = "   "', "plan.toml:6: step[1].name: must not be empty"),
        (
            'name = "two\\nlines"',
            "plan.toml:6: step[1].name: must not contain line breaks or control characters",
        ),
        (
            'name = "' + "x" * 81 + '"',
            "plan.toml:6: step[1].name: is 81 characters long; at most 80 fit the screen",
        ),
        ('cues = "x"', "plan.toml:6: step[1].cues: must be a list of cues, not text"),
        ("cues = [5]", "plan.toml:6: step[1].cues[1]: must be text in quotes, not a whole number"),
        (
            'kind = "sprint"',
            "plan.toml:6: step[1].kind: 'sprint' is not one of warmup, work, recover, cooldown",
        ),
        (
            'kind = "wrok"',
            "plan.toml:6: step[1].kind: 'wrok' is not one of warmup, work, recover, cooldown"
            ' (did you mean "work"?)',
        ),
        (
            "direction = 1",
            "plan.toml:6: step[1].direction: must be one of forward, backward, not a whole number",
        ),
        (
            'direction = "backwards"',
            "plan.toml:6: step[1].direction: 'backwards' is not one of forward, backward"
            ' (did you mean "backward"?)',
        ),
        ('incline = "steep"', "plan.toml:6: step[1].incline: must be a number, not text"),
        ("speed = inf", "plan.toml:6: step[1].speed: must be a finite number"),
        ("speed = nan", "plan.toml:6: step[1].speed: must be a finite number"),
        ("speed = 2021-01-01", "plan.toml:6: step[1].speed: must be a number, not a date or time"),
    ],
)
def test_wrong_types_in_a_step(line: str, message: str) -> None:
    assert step_problems(f"[[step]]\nduration = 30\n{line}\n") == [message]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1.5", "1.5"),
        ('"fast"', "'fast'"),
        ('"-5s"', "'-5s'"),
        ('"1.5m"', "'1.5m'"),
        ("true", "true"),
        ("[30]", "[30]"),
        ('"' + "9" * 45 + '"', "'" + "9" * 36 + "..."),
    ],
)
def test_duration_of_the_wrong_form(value: str, shown: str) -> None:
    assert step_problems(f"[[step]]\nname = 'x'\nduration = {value}\n") == [
        'plan.toml:6: step[1].duration: must be a duration like "45s", "1m30s", "20m", "1h" '
        f"or a whole number of seconds, not {shown}"
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("name = 5", "plan.toml:2: plan.name: must be text in quotes, not a whole number"),
        ("summary = []", "plan.toml:2: plan.summary: must be text in quotes, not a list"),
        (
            'units = "mps"',
            "plan.toml:2: plan.units: 'mps' is not one of mph, kmh (did you mean \"mph\"?)",
        ),
        (
            'level = "expert"',
            "plan.toml:2: plan.level: 'expert' is not one of beginner, intermediate, advanced",
        ),
        ('cues = "Look ahead"', "plan.toml:2: plan.cues: must be a list of text, not text"),
        (
            'cues = ["ok", { at = 1, text = "x" }]',
            "plan.toml:2: plan.cues[2]: must be text in quotes, not a table",
        ),
    ],
)
def test_wrong_types_in_the_plan_table(line: str, message: str) -> None:
    # [plan] on line 1 and the bad key on line 2; name comes after it where needed.
    text = f"[plan]\n{line}\n{'' if line.startswith('name') else 'name = ' + repr('P')}\n"
    assert problems(text + "[[step]]\nduration = 30\n") == [message]


# -- missing keys ----------------------------------------------------------------------


# -- durations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [('"0s"', "'0s'"), ("0", "0"), ('"0:00"', "'0:00'"), ("-5", "-5"), ("-3600", "-3600")],
)
def test_zero_and_negative_durations(value: str, shown: str) -> None:
    assert step_problems(f"[[step]]\nkind = 'warmup'\nduration = {value}\n") == [
        f"plan.toml:6: step[1].duration: must be longer than zero, not {shown}"
    ]


# -- speeds and inclines ---------------------------------------------------------------


@pytest.mark.parametrize("speed", ["0", "0.0", "-2"])
def test_speed_zero_or_below(speed: str) -> None:
    assert step_problems(f"[[step]]\nduration = 30\nspeed = {speed}\n") == [
        "plan.toml:6: step[1].speed: must be above zero (leave speed out to set no target)"
    ]


@pytest.mark.parametrize(("incline", "shown"), [("-3.5", "-3.5"), ("40.5", "40.5"), ("100", "100")])
def test_incline_outside_minus_3_to_40(incline: str, shown: str) -> None:
    assert step_problems(f"[[step]]\nduration = 30\nincline = {incline}\n") == [
        f"plan.toml:6: step[1].incline: {shown} % is outside what a treadmill does (-3 to 40 %)"
    ]


# -- timed cues ------------------------------------------------------------------------


# -- repeats, nesting and size limits --------------------------------------------------


@pytest.mark.parametrize(
    ("repeat", "message"),
    [
        ("0", "must be at least 1, not 0"),
        ("-2", "must be at least 1, not -2"),
        ("101", "101 repeats is more than 100"),
    ],
)
def test_repeat_out_of_range(repeat: str, message: str) -> None:
    assert step_problems(
        f"""\
        [[step]]
        name = "Intervals"
        repeat = {repeat}
          [[step.step]]
          duration = 30
        """
    ) == [f"plan.toml:6: step[1].repeat: {message}"]


# -- ladders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("by", "message"),
    [
        ("0", "must be above zero, not 0"),
        ("-0.5", "must be above zero, not -0.5"),
        ('"fast"', "must be a number, not text"),
    ],
)
def test_ladder_by_must_be_above_zero(by: str, message: str) -> None:
    assert step_problems(
        f"[[step]]\nladder = {{ from = 1.0, to = 2.0, by = {by}, hold = 60 }}\n"
    ) == [f"plan.toml:5: step[1].ladder.by: {message}"]


# -- errors inside inline arrays -------------------------------------------------------


# -- several problems at once ----------------------------------------------------------


def test_every_problem_in_a_file_is_reported() -> None:
    lines = problems(
        """\
        [plan]
        name = "Many mistakes"
        units = "knots"

        [[step]]
        kind = "warmup"
        duration = 0

        [[step]]
        direction = "backward"
        duration = "30s"
        speed = 99
        rate = "yes"

        [[step]]
        repeat = 101
          [[step.step]]
          duraton = "1m"

        [[step]]
        ladder = { from = 1.0, to = 2.2, by = 0.5, hold = "1m" }
        """
    )
    assert sorted(lines) == sorted(
        [
            "plan.toml:3: plan.units: 'knots' is not one of mph, kmh",
            "plan.toml:7: step[1].duration: must be longer than zero, not 0",
            "plan.toml:12: step[2].speed: 99 mph is faster than a treadmill goes (at most 15 mph)",
            "plan.toml:13: step[2].rate: must be true or false, not text",
            "plan.toml:16: step[3].repeat: 101 repeats is more than 100",
            'plan.toml:18: step[3].step[1].duraton: unknown key (did you mean "duration"?)',
            "plan.toml:17: step[3].step[1]: missing duration: how long the step lasts, "
            'like duration = "30s"',
            "plan.toml:21: step[4].ladder.to: 2.2 is not reached from 1 in steps of 0.5",
        ]
    )


# -- numbers too big to handle -----------------------------------------------------------


def test_decimal_number_with_more_than_4300_digits() -> None:
    assert step_problems("[[step]]\nduration = 30\nspeed = " + "1" * 4400 + "\n") == [
        "plan.toml:6: a number more than 4,300 characters long; no file here needs one"
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "duration = 0x" + "F" * 4000,
            "step[1].duration: is about 10^4816s; a plan lasts at most 6 hours",
        ),
        ("duration = 30\nspeed = 0x" + "F" * 300, "step[1].speed: must be a finite number"),
        ("duration = 30\nincline = 0x" + "F" * 300, "step[1].incline: must be a finite number"),
        (
            "duration = 30\ntarget_rpe = 0x" + "F" * 4000,
            "step[1].target_rpe: must be 0-10, not about 10^4816",
        ),
        (
            "duration = 30\ntarget_rpe = 0x" + "F" * 40,
            "step[1].target_rpe: must be 0-10, not about 10^48",
        ),
    ],
)
def test_huge_hex_numbers_give_a_message_not_a_crash(line: str, message: str) -> None:
    (printed,) = step_problems(f"[[step]]\n{line}\n")
    assert printed.split(": ", 1)[1] == message
    assert printed.startswith(("plan.toml:5: ", "plan.toml:6: "))


def test_huge_hex_repeat() -> None:
    assert step_problems(
        "[[step]]\nrepeat = 0x" + "F" * 4000 + "\nstep = [{ duration = 30 }]\n"
    ) == ["plan.toml:5: step[1].repeat: about 10^4816 repeats is more than 100"]


@pytest.mark.parametrize("by", ["5e-324", "1e-310"])
def test_ladder_step_too_small_to_count(by: str) -> None:
    assert step_problems(
        f"[[step]]\nladder = {{ from = 1.0, to = 3.0, by = {by}, hold = 60 }}\n"
    ) == ["plan.toml:5: step[1].ladder.by: is too small; a ladder has at most 2000 rungs"]


def test_deeply_nested_arrays() -> None:
    assert problems("a = " + "[" * 2000 + "]" * 2000 + "\n") == [
        "plan.toml:1: arrays and tables nested more than 32 deep; no file here needs so many"
    ]


# -- files -----------------------------------------------------------------------------


def test_non_utf8_bytes_point_at_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(HEAD.encode() + b'[[step]]\nname = "Caf\xe9 run"\nduration = 30\n')
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert str(raised.value) == (
        f"{path}:5: not UTF-8 text (byte 0xe9 at column 12); save the file as UTF-8"
    )
    assert raised.value.first == PlanIssue(
        str(path), 5, "", "not UTF-8 text (byte 0xe9 at column 12); save the file as UTF-8"
    )


def test_non_utf8_on_a_later_line_from_bytes() -> None:
    data = b"# one\n# two\n# three\n\xff\xfe\n"
    with pytest.raises(PlanError) as raised:
        parse_plan_bytes(data, "bytes.toml")
    assert str(raised.value) == (
        "bytes.toml:4: not UTF-8 text (byte 0xff at column 1); save the file as UTF-8"
    )


def test_a_directory(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as raised:
        load_plan(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path}: is a folder, not a plan file; name a .toml file inside it"
    )
    assert raised.value.first.line is None


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert str(raised.value) == f"{path}: no such file"


def test_a_file_over_one_mebibyte(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    body = HEAD + "[[step]]\nduration = 30\n"
    path.write_text(body + "#" * (MAX_FILE_BYTES + 1 - len(body)), encoding="utf-8")
    assert path.stat().st_size == MAX_FILE_BYTES + 1
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert str(raised.value) == f"{path}: is larger than 1 MiB, far too big to be a plan file"


def test_a_file_of_exactly_one_mebibyte_loads(tmp_path: Path) -> None:
    path = tmp_path / "padded.toml"
    body = HEAD + "[[step]]\nduration = 30\n"
    path.write_text(body + "#" * (MAX_FILE_BYTES - len(body)), encoding="utf-8")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_plan(path).total_s == 30


def test_file_errors_use_the_path_as_written(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(HEAD + "[[step]]\nduration = -1\n", encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert str(raised.value) == f"{path}:5: step[1].duration: must be longer than zero, not -1"


# -- the issue and error types ---------------------------------------------------------


def test_issue_formats() -> None:
    assert str(PlanIssue("a.toml", 3, "step[1].speed", "too fast")) == (
        "a.toml:3: step[1].speed: too fast"
    )
    assert str(PlanIssue("a.toml", 3, "", "bad")) == "a.toml:3: bad"
    assert str(PlanIssue("a.toml", None, "", "no such file")) == "a.toml: no such file"
    assert str(PlanIssue("a.toml", 7, "plan", "odd", severity="warning")) == (
        "a.toml:7: plan: warning: odd"
    )
    assert str(PlanIssue("a.toml", None, "", "odd", severity="warning")) == ("a.toml: warning: odd")


def test_plan_error_needs_an_issue_and_keeps_them_all() -> None:
    with pytest.raises(ValueError):
        PlanError([])
    first = PlanIssue("a.toml", 1, "", "one")
    second = PlanIssue("a.toml", 2, "x", "two")
    error = PlanError([first, second])
    assert error.issues == (first, second)
    assert error.first is first
    assert str(error) == "a.toml:1: one\na.toml:2: x: two"
