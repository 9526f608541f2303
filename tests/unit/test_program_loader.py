"""Programs: loading weeks of sessions, every error with its line and key path, the bundled one.

Error cases check the full printed message, ``FILE:LINE: key.path: message``,
with mistakes placed well below line 1 so the fallback line would be caught.
Inline plans are checked by the plan loader itself; these tests make sure
their problems come out with the full key path and the line in the program.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from textwrap import dedent

import pytest

from retro_tui import paths
from retro_tui.plan import PlanError, Units
from retro_tui.plan.catalog import discover, discover_programs
from retro_tui.plan.folders import is_program_file, names_a_program
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.model import Level, Plan
from retro_tui.plan.program import (
    MAX_SESSIONS_PER_WEEK,
    MAX_WEEKS,
    Program,
    load_program,
    parse_program_text,
)
from retro_tui.tomltext import MAX_FILE_BYTES

HEAD = '[program]\nname = "Test program"\n\n'  # three lines: weeks start on line 4
SHORT_PLAN = '[plan]\nname = "Short walk"\n\n[[step]]\nduration = "30s"\n'
BROKEN_PLAN = '[plan]\nname = "Broken"\n\n[[step]]\nduration = "0s"\n'


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """A plans folder on the search path: ``short`` ("Short walk") and ``broken``."""
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "short.toml").write_text(SHORT_PLAN, encoding="utf-8")
    (folder / "broken.toml").write_text(BROKEN_PLAN, encoding="utf-8")
    return folder


@pytest.fixture
def program_path(tmp_path: Path) -> Path:
    """Where the program under test is written: its own folder, apart from the plans."""
    folder = tmp_path / "programs"
    folder.mkdir()
    return folder / "program.toml"


def load(text: str, program_path: Path, plans: Path) -> Program:
    program_path.write_text(dedent(text), encoding="utf-8")
    return load_program(program_path, [plans])


def problems(text: str, plans: Path, *, head: str = HEAD, source: Path | None = None) -> list[str]:
    """The printed issues for a program that must not load, labelled ``program.toml``."""
    with pytest.raises(PlanError) as raised:
        parse_program_text(head + dedent(text), "program.toml", source=source, search=[plans])
    error = raised.value
    lines = [str(issue) for issue in error.issues]
    assert str(error) == "\n".join(lines)
    return lines


# -- valid programs --------------------------------------------------------------------------

VALID = """\
[program]
name = "Spring block"
summary = "Two weeks"
level = "beginner"
units = "kmh"
cues = ["Eyes on your mark"]

[[week]]
name = "Easy start"
  [[week.session]]
  plan = "short"               # a file stem
  [[week.session]]
  plan = "Short walk"          # a plan's own name
  [[week.session]]
  plan = "../plans/short.toml" # a path, relative to the program file

[[week]]
  [[week.session]]
  [week.session.plan]
  name = "Inline"
  [[week.session.step]]
  kind = "warmup"
  duration = "5m"
  speed = 6.0
  [[week.session.step]]
  repeat = 2
    [[week.session.step.step]]
    direction = "backward"
    duration = "30s"
    speed = 4.0
  [[week.session]]
  plan = { name = "Inline tables", units = "mph", cues = ["Own cue"] }
  step = [{ duration = "1m", speed = 3.0 }]
"""


def test_a_valid_program_loads_week_by_week(program_path: Path, plans: Path) -> None:
    program = load(VALID, program_path, plans)
    assert program.name == "Spring block"
    assert program.summary == "Two weeks"
    assert program.level is Level.BEGINNER
    assert program.source == program_path
    assert [week.name for week in program.weeks] == ["Easy start", "Week 2"]
    assert [session.slot for session in program.sessions] == [
        (1, 1),
        (1, 2),
        (1, 3),
        (2, 1),
        (2, 2),
    ]
    assert program.session_count == 5
    assert program.session(2, 1).label == "Week 2, session 1"
    with pytest.raises(KeyError):
        program.session(3, 1)


def test_sessions_name_plans_by_stem_name_or_path(program_path: Path, plans: Path) -> None:
    first, second, third = load(VALID, program_path, plans).weeks[0].sessions
    assert first.plan_file == plans / "short.toml"
    assert second.plan_file == plans / "short.toml"
    assert third.plan_file == program_path.parent / "../plans/short.toml"
    assert {session.plan.name for session in (first, second, third)} == {"Short walk"}
    # A named plan keeps its own units: the program's only apply to inline plans.
    assert first.plan.units is Units.MPH


def test_inline_plans_take_the_program_defaults_and_real_lines(
    program_path: Path, plans: Path
) -> None:
    inline, tables = load(VALID, program_path, plans).weeks[1].sessions
    assert inline.plan_file is None
    assert inline.plan.name == "Inline"
    assert inline.plan.source == program_path
    assert inline.plan.units is Units.KMH
    assert inline.plan.cues == ("Eyes on your mark",)
    assert [step.duration_s for step in inline.plan.steps] == [300, 30, 30]
    # Origins point at the lines of the program file where each step is written.
    assert [step.origin.line for step in inline.plan.steps] == [21, 27, 27]
    assert tables.plan.units is Units.MPH
    assert tables.plan.cues == ("Own cue",)


def test_a_named_plan_is_found_next_to_the_program_first(program_path: Path, plans: Path) -> None:
    (program_path.parent / "short.toml").write_text(
        SHORT_PLAN.replace("Short walk", "Local walk"), encoding="utf-8"
    )
    program = load(
        '[program]\nname = "P"\n[[week]]\n[[week.session]]\nplan = "short"\n',
        program_path,
        plans,
    )
    assert program.sessions[0].plan.name == "Local walk"


def test_an_in_memory_program_without_a_file(plans: Path) -> None:
    program = parse_program_text(
        HEAD + '[[week]]\n[[week.session]]\nplan = "short"\n', search=[plans]
    )
    assert program.source is None
    assert program.file_label == "<program>"
    assert program.weeks[0].sessions[0].plan.name == "Short walk"


def test_the_largest_program_allowed(plans: Path) -> None:
    week = "[[week]]\n" + '[[week.session]]\nplan = "short"\n' * MAX_SESSIONS_PER_WEEK
    program = parse_program_text(HEAD + week * MAX_WEEKS, search=[plans])
    assert program.session_count == MAX_WEEKS * MAX_SESSIONS_PER_WEEK


# -- errors in the program's own keys --------------------------------------------------------


def test_unknown_top_level_key_and_no_weeks(plans: Path) -> None:
    assert problems(
        """\
        [[weeks]]
        name = "x"
        """,
        plans,
    ) == [
        "program.toml:1: week: the program has no weeks: add at least one [[week]] with its "
        "sessions",
        'program.toml:4: weeks: unknown key (did you mean "week"?)',
    ]


def test_missing_program_table(plans: Path) -> None:
    assert problems(
        """\
        [[week]]
          [[week.session]]
          plan = "short"
        """,
        plans,
        head="",
    ) == [
        "program.toml:1: missing the [program] table: start the file with [program] and "
        'name = "..."'
    ]


def test_program_table_keys(plans: Path) -> None:
    assert problems(
        """\
        [program]
        sumary = "x"
        level = "expert"
        units = "km/h"
        cues = ["ok", ""]

        [[week]]
          [[week.session]]
          plan = "short"
        """,
        plans,
        head="\n\n",
    ) == [
        'program.toml:3: program: missing name: add name = "..."',
        'program.toml:4: program.sumary: unknown key (did you mean "summary"?)',
        "program.toml:5: program.level: 'expert' is not one of beginner, intermediate, advanced",
        "program.toml:6: program.units: 'km/h' is not one of mph, kmh (did you mean \"kmh\"?)",
        "program.toml:7: program.cues[2]: must not be empty",
    ]


def test_program_must_be_a_table(plans: Path) -> None:
    assert problems(
        '\nprogram = "Spring"\n[[week]]\n[[week.session]]\nplan = "short"\n', plans, head=""
    ) == ["program.toml:2: program: must be a table ([program]), not text"]


def test_a_week_without_sessions_and_unknown_week_keys(plans: Path) -> None:
    assert problems(
        """\
        [[week]]
          [[week.session]]
          plan = "short"

        [[week]]
        name = "Rest"
        sessions = 3
        """,
        plans,
    ) == [
        "program.toml:8: week[2]: week 2 has no sessions: add at least one [[week.session]]",
        'program.toml:10: week[2].sessions: unknown key (did you mean "session"?)',
    ]


def test_weeks_and_sessions_of_the_wrong_type(plans: Path) -> None:
    assert problems('week = "six"\n', plans, head="") == [
        "program.toml:1: missing the [program] table: start the file with [program] and "
        'name = "..."',
        "program.toml:1: week: must be a list of week tables ([[week]])",
    ]
    assert problems("[[week]]\nsession = [1, 2]\n", plans) == [
        "program.toml:5: week[1].session: must be a list of session tables ([[week.session]])"
    ]


def test_too_many_weeks(plans: Path) -> None:
    weeks = '[[week]]\n[[week.session]]\nplan = "short"\n' * (MAX_WEEKS + 1)
    line = 4 + 3 * MAX_WEEKS
    assert problems(weeks, plans) == [
        f"program.toml:{line}: week[{MAX_WEEKS + 1}]: the program has {MAX_WEEKS + 1} weeks; "
        f"at most {MAX_WEEKS} (a year)"
    ]


def test_too_many_sessions_in_a_week(plans: Path) -> None:
    sessions = '[[week.session]]\nplan = "short"\n' * (MAX_SESSIONS_PER_WEEK + 1)
    line = 5 + 2 * MAX_SESSIONS_PER_WEEK
    assert problems("[[week]]\n" + sessions, plans) == [
        f"program.toml:{line}: week[1].session[{MAX_SESSIONS_PER_WEEK + 1}]: week 1 has "
        f"{MAX_SESSIONS_PER_WEEK + 1} sessions; at most {MAX_SESSIONS_PER_WEEK}"
    ]


def test_session_keys(plans: Path) -> None:
    assert problems(
        """\
        [[week]]
          [[week.session]]
          plna = "short"

          [[week.session]]
          plan = 3

          [[week.session]]
          plan = "short"
          step = [{ duration = 30 }]

          [[week.session]]
          plan = ""
        """,
        plans,
    ) == [
        'program.toml:5: week[1].session[1]: missing plan: name a plan, like plan = "starter", '
        "or write one inline with [week.session.plan] and [[week.session.step]] tables",
        'program.toml:6: week[1].session[1].plna: unknown key (did you mean "plan"?)',
        "program.toml:9: week[1].session[2].plan: must be a plan's name or file in quotes, "
        "or an inline [week.session.plan] table, not a whole number",
        "program.toml:13: week[1].session[3].step: steps belong to a plan written inline; "
        'a session with plan = "..." runs that plan\'s steps',
        "program.toml:16: week[1].session[4].plan: must not be empty",
    ]


# -- sessions naming plans -------------------------------------------------------------------


def test_a_plan_name_that_is_not_found(plans: Path) -> None:
    assert problems(
        """\
        [[week]]
          [[week.session]]
          plan = "shortt"
        """,
        plans,
    ) == [
        "program.toml:6: week[1].session[1].plan: no plan file or plan named 'shortt'; "
        "known plans: broken, short"
    ]


def test_a_plan_path_that_is_not_found(plans: Path, program_path: Path) -> None:
    expected = program_path.parent / "more/hill.toml"
    assert problems(
        """\
        [[week]]
          [[week.session]]
          plan = "more/hill.toml"
        """,
        plans,
        source=program_path,
    ) == [
        f"program.toml:6: week[1].session[1].plan: no plan file 'more/hill.toml' "
        f"(looked for {expected})"
    ]


def test_a_named_plan_that_does_not_load_lists_its_own_problems(plans: Path) -> None:
    broken = plans / "broken.toml"
    assert problems(
        """\
        [[week]]
          [[week.session]]
          plan = "broken"
          [[week.session]]
          plan = "broken"
        """,
        plans,
    ) == [
        f"program.toml:6: week[1].session[1].plan: the plan 'broken' does not load "
        f"(a problem in {broken}):",
        f"{broken}:5: step[1].duration: must be longer than zero, not '0s'",
        f"program.toml:8: week[1].session[2].plan: the plan 'broken' does not load "
        f"(a problem in {broken}):",
        f"{broken}:5: step[1].duration: must be longer than zero, not '0s'",
    ]


def test_a_session_cannot_run_a_program(plans: Path) -> None:
    (plans / "other.toml").write_text(
        HEAD + '[[week]]\n[[week.session]]\nplan = "short"\n', encoding="utf-8"
    )
    assert problems('[[week]]\n[[week.session]]\nplan = "other"\n', plans) == [
        "program.toml:6: week[1].session[1].plan: 'other' is a program, not a plan; "
        "a session runs one plan"
    ]


# -- inline plans ----------------------------------------------------------------------------


def test_inline_plan_errors_carry_the_full_key_path_and_line(plans: Path) -> None:
    assert problems(
        """\
        [[week]]
          [[week.session]]
          plan = "short"

        [[week]]
          [[week.session]]
          plan = "short"

          [[week.session]]
          [week.session.plan]
          nmae = "Typo"

          [[week.session.step]]
          duration = "5m"

          [[week.session.step]]
          duration = "1m"

          [[week.session.step]]
          repeat = 2
            [[week.session.step.step]]
            direction = "backward"
            duration = "0s"
            cues = [{ at = "45s", text = "Late" }]
        """,
        plans,
    ) == [
        'program.toml:13: week[2].session[2].plan: missing name: add name = "..."',
        'program.toml:14: week[2].session[2].plan.nmae: unknown key (did you mean "name"?)',
        "program.toml:26: week[2].session[2].step[3].step[1].duration: must be longer than "
        "zero, not '0s'",
    ]


def test_an_inline_plan_deep_error_in_a_later_week(plans: Path) -> None:
    week = '[[week]]\n  [[week.session]]\n  plan = "short"\n'
    text = (
        week * 2
        + "[[week]]\n"
        + "  [[week.session]]\n"
        + '  plan = { name = "Inline" }\n'
        + "  step = [\n"
        + '      { duration = "1m" },\n'
        + '      { duration = "1m", speed = 40 },\n'
        + "  ]\n"
    )
    assert problems(text, plans) == [
        "program.toml:15: week[3].session[1].step[2].speed: 40 mph is faster than a treadmill "
        "goes (at most 15 mph)"
    ]


def test_an_inline_plan_needs_steps(plans: Path) -> None:
    assert problems(
        """\
        [[week]]
          [[week.session]]
          [week.session.plan]
          name = "No steps"
        """,
        plans,
    ) == [
        "program.toml:5: week[1].session[1]: a plan written inline needs its steps: "
        "add [[week.session.step]] tables after [week.session.plan]"
    ]


def test_inline_plan_units_follow_the_program_for_speed_limits(plans: Path) -> None:
    text = (
        '[program]\nname = "P"\nunits = "kmh"\n'
        "[[week]]\n[[week.session]]\n"
        'plan = { name = "Fast" }\n'
        "step = [{ duration = 60, speed = 20 }]\n"
    )
    program = parse_program_text(text, search=[plans])
    assert program.sessions[0].plan.steps[0].speed == 20
    assert problems(text.replace("kmh", "mph"), plans, head="") == [
        "program.toml:7: week[1].session[1].step[1].speed: 20 mph is faster than a treadmill "
        "goes (at most 15 mph)"
    ]


def test_every_problem_of_a_file_is_listed_top_to_bottom(plans: Path) -> None:
    lines = problems(
        """\
        [[week]]
          [[week.session]]
          [week.session.plan]
          name = "A"
          [[week.session.step]]
          duration = 0
          [[week.session]]
          plan = "missing"
        [[week]]
        """,
        plans,
    )
    assert [int(line.split(":")[1]) for line in lines] == [9, 11, 12]


# -- the file as a whole ---------------------------------------------------------------------


def test_file_problems_speak_of_a_program(tmp_path: Path) -> None:
    def message(path: Path) -> str:
        with pytest.raises(PlanError) as raised:
            load_program(path, [])
        return str(raised.value)

    assert (
        message(tmp_path)
        == f"{tmp_path}: is a folder, not a program file; name a .toml file inside it"
    )
    assert message(tmp_path / "none.toml") == f"{tmp_path / 'none.toml'}: no such file"
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert message(big) == f"{big}: is larger than 1 MiB, far too big to be a program file"
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'[program]\nname = "Caf\xe9"\n')
    assert message(latin).startswith(f"{latin}:2: not UTF-8 text (byte 0xe9 at column 12)")
    syntax = tmp_path / "syntax.toml"
    syntax.write_text('[program]\nname = "x"\n[[week]\n', encoding="utf-8")
    assert message(syntax).startswith(f"{syntax}:3: TOML syntax error at column 7")


# -- telling programs from plans -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '[program]\nname = "P"\n',
        '# notes\n\n  [ program ]  # the program\nname = "P"\n',
        '[[week]]\n[[week.session]]\nplan = "x"\n["program"]\nname = "P"\n',
        'program.name = "P"\n',
        'program = { name = "P" }\n',
        '[program]\nname = "broken TOML\n',
    ],
)
def test_names_a_program(text: str) -> None:
    assert names_a_program(text)


@pytest.mark.parametrize(
    "text",
    [
        SHORT_PLAN,
        '[plan]\nname = "program"\n[[step]]\nduration = 1\n',
        '[plan]\nprogram = "x"\n',
        '[programs]\nname = "P"\n',
        '[program.extra]\nname = "P"\n',
        "",
    ],
)
def test_plans_are_not_programs(text: str) -> None:
    assert not names_a_program(text)


def test_is_program_file(tmp_path: Path, plans: Path) -> None:
    program = tmp_path / "program.toml"
    program.write_text(HEAD, encoding="utf-8")
    assert is_program_file(program)
    assert not is_program_file(plans / "short.toml")
    assert not is_program_file(tmp_path / "missing.toml")
    assert not is_program_file(tmp_path)


def test_the_catalog_lists_programs_apart_from_plans(tmp_path: Path, plans: Path) -> None:
    good = plans / "good-program.toml"
    good.write_text(HEAD + '[[week]]\n[[week.session]]\nplan = "short"\n', encoding="utf-8")
    bad = plans / "bad-program.toml"
    bad.write_text(HEAD + "[[week]]\n", encoding="utf-8")
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "bundled-program.toml").write_text(
        HEAD + '[[week]]\n[[week.session]]\nplan = "short"\n', encoding="utf-8"
    )

    assert [entry.path.name for entry in discover([plans], bundled=bundled)] == [
        "broken.toml",
        "short.toml",
    ]
    entries = discover_programs([plans, good], bundled=bundled)
    assert [(entry.path.name, entry.bundled) for entry in entries] == [
        ("bundled-program.toml", True),
        ("bad-program.toml", False),
        ("good-program.toml", False),
    ]
    bundled_entry, bad_entry, good_entry = entries
    # A bundled program finds plans in the user's folders too.
    assert bundled_entry.program is not None and bundled_entry.error is None
    assert good_entry.title == "Test program"
    assert bad_entry.program is None and bad_entry.error is not None
    assert bad_entry.title == "bad-program"
    assert str(bad_entry.error.first) == (
        f"{bad}:4: week[1]: week 1 has no sessions: add at least one [[week.session]]"
    )


# -- the bundled program ---------------------------------------------------------------------

BUNDLED = paths.bundled_plans_dir()


def backward_bouts(plan: Plan) -> tuple[int, int, frozenset[float | None]]:
    """(how many, longest, speeds) of a plan's backward work steps."""
    work = [step for step in plan.steps if step.is_backward_work]
    return len(work), max(step.duration_s for step in work), frozenset(s.speed for s in work)


@pytest.fixture(scope="module")
def six_weeks() -> Program:
    return load_program(BUNDLED / "six-week-block.toml", [BUNDLED])


def test_the_bundled_program_has_six_weeks_of_three_sessions(six_weeks: Program) -> None:
    assert six_weeks.name == "Six-week backward block"
    assert [len(week.sessions) for week in six_weeks.weeks] == [3] * 6
    assert [week.number for week in six_weeks.weeks] == [1, 2, 3, 4, 5, 6]
    named = [session.slot for session in six_weeks.sessions if session.plan_file is not None]
    assert named == [(3, 2)]
    assert six_weeks.session(3, 2).plan.name == "Backward block session"


def test_the_bundled_program_grows_from_short_bouts_to_45_minutes(six_weeks: Program) -> None:
    totals = [session.plan.total_s for session in six_weeks.sessions]
    backward = [session.plan.backward_s for session in six_weeks.sessions]
    assert totals == sorted(totals)
    assert backward == sorted(backward)
    assert 15 * 60 <= totals[0] <= 20 * 60
    assert totals[-1] == 45 * 60
    # A beginner's start: at most four bouts of 30 seconds.
    count, longest, _ = backward_bouts(six_weeks.sessions[0].plan)
    assert count <= 4
    assert longest == 30
    assert six_weeks.sessions[0].plan.level is Level.BEGINNER


def test_the_bundled_program_changes_one_thing_at_a_time(six_weeks: Program) -> None:
    for before, after in itertools.pairwise(six_weeks.sessions):
        count_a, length_a, speeds_a = backward_bouts(before.plan)
        count_b, length_b, speeds_b = backward_bouts(after.plan)
        # One speed per session, so a speed change is easy to read.
        assert len(speeds_a) == len(speeds_b) == 1
        (speed_a,), (speed_b,) = speeds_a, speeds_b
        assert speed_a is not None and speed_b is not None
        changed = [count_a != count_b, length_a != length_b, speed_a != speed_b]
        assert sum(changed) <= 1, (before.label, after.label)
        assert 0 <= speed_b - speed_a <= 0.5 + 1e-9, (before.label, after.label)


def test_no_session_of_the_bundled_program_gets_a_safety_warning(six_weeks: Program) -> None:
    assert six_weeks.sessions
    for session in six_weeks.sessions:
        assert lint_plan(session.plan) == [], session.label


def test_the_program_file_is_not_listed_as_a_plan() -> None:
    plans = discover([], bundled=BUNDLED)
    assert all(entry.path.name != "six-week-block.toml" for entry in plans)
    programs = discover_programs([], bundled=BUNDLED)
    assert [(entry.title, entry.error) for entry in programs] == [("Six-week backward block", None)]


# -- the documentation -----------------------------------------------------------------------


def test_the_complete_example_of_the_documentation_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "program-format.md").read_text(encoding="utf-8")
    example = doc.split("## A complete example", 1)[1]
    text = re.search(r"```toml\n(.*?)```", example, re.DOTALL)
    assert text is not None
    program = parse_program_text(
        text.group(1), source=tmp_path / "two-week-starter.toml", search=[BUNDLED]
    )
    assert [len(week.sessions) for week in program.weeks] == [3, 2]
    assert program.sessions[0].plan.name == "Retro starter"
    assert [session.plan.name for session in program.weeks[1].sessions] == [
        "Four 30-second bouts",
        "Four 45-second bouts",
    ]
