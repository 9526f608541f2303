"""The ``days`` key of a program and of its weeks: weekdays read, every mistake with its line."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from retro_tui.plan import PlanError
from retro_tui.plan.program import Program, load_program

SHORT_PLAN = '[plan]\nname = "Short walk"\n\n[[step]]\nduration = "30s"\n'


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "short.toml").write_text(SHORT_PLAN, encoding="utf-8")
    return folder


def week(sessions: int, days: str = "") -> str:
    lines = ["[[week]]"]
    if days:
        lines.append(f"days = {days}")
    lines += ['[[week.session]]\nplan = "short"'] * sessions
    return "\n".join(lines) + "\n"


def load(text: str, plans: Path) -> Program:
    path = plans.parent / "program.toml"
    path.write_text(dedent(text), encoding="utf-8")
    return load_program(path, [plans])


def problems(text: str, plans: Path) -> list[str]:
    with pytest.raises(PlanError) as error:
        load(text, plans)
    return [str(issue).split("program.toml:", 1)[1] for issue in error.value.issues]


HEAD = '[program]\nname = "Days"\n'


def test_weekdays_of_the_program_and_of_a_week(plans: Path) -> None:
    text = (
        HEAD + 'days = ["mon", "Wed", "FRIDAY"]\n' + week(3) + week(2, '["tue", "sat"]') + week(1)
    )
    program = load(text, plans)
    assert [w.days for w in program.weeks] == [(0, 2, 4), (1, 5), (0, 2, 4)]


def test_without_days_a_week_has_none(plans: Path) -> None:
    assert load(HEAD + week(3), plans).weeks[0].days == ()


def test_a_day_twice_is_two_sessions_that_day_but_not_three(plans: Path) -> None:
    assert load(HEAD + week(2, '["mon", "mon"]'), plans).weeks[0].days == (0, 0)
    assert problems(HEAD + week(3, '["mon", "mon", "mon"]'), plans) == [
        "4: week[1].days[3]: mon is named more than 2 times: at most 2 sessions a day"
    ]


def test_every_mistake_in_days_with_its_line_and_key(plans: Path) -> None:
    text = (
        HEAD
        + 'days = "mon"\n'  # line 3
        + week(2, '["tue", "funday", 3]')  # days on line 5
        + week(1, '["mon", "wed"]')  # days on line 11
        + week(1, "[]")  # days on line 15
    )
    assert problems(text, plans) == [
        '3: program.days: must be a list of weekdays, like days = ["mon", "wed", "fri"], not text',
        "5: week[1].days[2]: 'funday' is not a weekday: write one of mon, tue, wed, thu, fri, "
        "sat, sun in quotes",
        "5: week[1].days[3]: a whole number is not a weekday: write one of mon, tue, wed, thu, "
        "fri, sat, sun in quotes",
        "11: week[2].days: names 2 days for week 2's 1 session: one day for each session",
        '15: week[3].days: must be a list of weekdays, like days = ["mon", "wed", "fri"], '
        "not an empty list",
    ]


def test_a_week_with_more_sessions_than_the_program_s_days(plans: Path) -> None:
    text = HEAD + 'days = ["mon", "thu"]\n' + week(2) + week(3)
    assert problems(text, plans) == [
        "9: week[2]: week 2 has 3 sessions, more than the 2 days of [program] days: give it "
        "days of its own, one for each session"
    ]
    # Its own days settle it.
    fixed = HEAD + 'days = ["mon", "thu"]\n' + week(2) + week(3, '["mon", "wed", "fri"]')
    assert [w.days for w in load(fixed, plans).weeks] == [(0, 3), (0, 2, 4)]


def test_days_is_a_key_of_the_program_and_of_weeks_only(plans: Path) -> None:
    text = HEAD + '[[week]]\n[[week.session]]\nplan = "short"\ndays = ["mon"]\n'
    assert problems(text, plans) == [
        "6: week[1].session[1].days: unknown key; a session takes: plan, step"
    ]
