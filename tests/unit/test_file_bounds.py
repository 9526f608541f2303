"""Files written to break the app: each is refused in a moment with its line and a plain reason.

Plans, programs and settings are files a person (or anyone who can write to the
plans folder) may hand the app. Before these checks, one key of 32,000 dotted
parts took ``check`` about 40 s and 640 nested table headers about 5 s; a FIFO
named as a plan waited for a writer forever. ``time_limit`` is a guard against
such runaways, far above the few milliseconds each takes now; the speeds are
measured in bench/.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from retro_tui.config import Config, load_config, parse_config
from retro_tui.plan.catalog import iter_entries
from retro_tui.plan.errors import PlanError
from retro_tui.plan.limits import MAX_ISSUES
from retro_tui.plan.loader import load_plan, parse_plan_text
from retro_tui.plan.program import parse_program_text
from retro_tui.tomltext.locate import MAX_KEY_PARTS, MAX_VALUES, LineLocator

TimeLimit = Callable[[float], AbstractContextManager[None]]

HEAD = '[plan]\nname = "Hostile"\n\n[[step]]\nduration = "1:00"\nspeed = 3.0\n'
"""Six lines of a valid plan: what follows starts on line 7."""

HOSTILE = {
    "a key of 32,000 dotted parts": (
        HEAD + "a" + ".a" * 32_000 + " = 1\n",
        7,
        "a key of more than 10 dotted parts (a.a.a.a.a.a.a.a.a.a.a); no file here needs so many",
    ),
    "640 nested table headers": (
        '[plan]\nname = "x"\n'
        + "".join("[[" + ".".join(["step"] * n) + ']]\nduration = "0:10"\n' for n in range(1, 641)),
        23,
        "a table header of more than 10 dotted parts "
        "(step.step.step.step.step.step.step.step.…); no file here needs so many",
    ),
    "a key half a million characters long": (
        HEAD + "k" * 500_000 + " = 1\n",
        7,
        "a key 500,000 characters long (" + "k" * 40 + "…); keys here are at most 100",
    ),
    "arrays nested 2,000 deep": (
        HEAD + "x = " + "[" * 2000 + "]" * 2000 + "\n",
        7,
        "arrays and tables nested more than 32 deep; no file here needs so many",
    ),
    "a 5,000-digit integer": (
        HEAD + "repeat = " + "9" * 5000 + "\n",
        7,
        "a number more than 4,300 characters long; no file here needs one",
    ),
    "an array of 500,000 numbers": (
        HEAD + "cues = [" + ",".join(["1"] * 500_000) + "]\n",
        7,
        "holds more than 20,000 keys and values; no file here needs so many",
    ),
    "90,000 keys": (
        '[plan]\nname = "x"\n' + "".join(f"k{n} = 1\n" for n in range(90_000)),
        20_001,
        "holds more than 20,000 keys and values; no file here needs so many",
    ),
}


@pytest.mark.parametrize(("text", "line", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_plan_is_refused_at_once_with_its_line(
    text: str, line: int, message: str, time_limit: TimeLimit
) -> None:
    with time_limit(5), pytest.raises(PlanError) as raised:
        parse_plan_text(text, "hostile.toml")
    assert str(raised.value) == f"hostile.toml:{line}: {message}"


@pytest.mark.parametrize(("text", "line", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_settings_file_falls_back_to_defaults_at_once(
    text: str, line: int, message: str, time_limit: TimeLimit
) -> None:
    with time_limit(5):
        result = parse_config(text, "config.toml")
    assert result.config == Config()
    assert [str(problem) for problem in result.problems] == [
        f"config.toml:{line}: {message}; using defaults"
    ]


def test_a_settings_key_of_8000_parts(time_limit: TimeLimit) -> None:
    with time_limit(5):
        result = parse_config("[sound]\n" + ".".join(["mode"] * 8000) + ' = "off"\n', "c.toml")
    assert [problem.line for problem in result.problems] == [2]
    assert "dotted parts" in result.problems[0].message


def test_a_hostile_program_is_refused_at_once(time_limit: TimeLimit) -> None:
    text = '[program]\nname = "x"\n' + "w" + ".w" * 32_000 + " = 1\n"
    with time_limit(5), pytest.raises(PlanError) as raised:
        parse_program_text(text, "program.toml")
    assert raised.value.first.line == 3
    assert "dotted parts" in raised.value.first.message


def test_limits_are_generous_for_any_real_file() -> None:
    # As many dotted parts as allowed: the file is read, and its keys judged as usual.
    keys = ".".join(["x"] * MAX_KEY_PARTS)
    locator = LineLocator(f"{keys} = 1\n")
    assert locator.problem is None
    assert locator.line_of(tuple(["x"] * MAX_KEY_PARTS)) == 1
    # A plan of 2,000 steps, the most a plan may have, is far from the values' bound.
    steps = "".join(f'[[step]]\nduration = "0:0{n % 10}"\nspeed = 3.0\n' for n in range(2000))
    assert LineLocator(HEAD + steps).problem is None
    assert MAX_VALUES > 3 * 2000


def test_a_thousand_comment_lines_and_long_strings_are_fine(time_limit: TimeLimit) -> None:
    text = "# a note\n" * 100_000 + HEAD.replace('"Hostile"', '"' + "x" * 70 + '"')
    with time_limit(5):
        locator = LineLocator(text)
    assert locator.problem is None
    assert locator.line_of(("plan", "name")) == 100_002


def test_only_the_first_hundred_problems_are_described(time_limit: TimeLimit) -> None:
    unknown = "".join(f"speeed{n} = 1\n" for n in range(5000))
    with time_limit(5), pytest.raises(PlanError) as raised:
        parse_plan_text(HEAD + unknown, "many.toml")
    issues = raised.value.issues
    assert len(issues) == MAX_ISSUES + 1
    assert str(issues[0]).startswith(
        'many.toml:7: step[1].speeed0: unknown key (did you mean "speed"?)'
    )
    assert str(issues[-1]) == "many.toml: and 4,900 more problems; fix the ones above first"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_as_a_plan_or_settings_is_refused_without_waiting(
    tmp_path: Path, time_limit: TimeLimit
) -> None:
    fifo = tmp_path / "plan.toml"
    os.mkfifo(fifo)
    with time_limit(5):
        with pytest.raises(PlanError) as raised:
            load_plan(fifo)
        settings = load_config(fifo)
        entries = list(iter_entries([fifo]))
    assert str(raised.value) == f"{fifo}: is not a regular file, so not a plan file"
    assert [str(problem) for problem in settings.problems] == [
        f"{fifo}: is not a regular file, so not a settings file; using defaults"
    ]
    assert [entry.error and str(entry.error) for entry in entries] == [str(raised.value)]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused(time_limit: TimeLimit) -> None:
    with time_limit(5), pytest.raises(PlanError) as raised:
        load_plan("/dev/zero")
    assert str(raised.value) == "/dev/zero: is not a regular file, so not a plan file"


def test_entries_come_one_by_one_bundled_first(tmp_path: Path) -> None:
    bundled, user = tmp_path / "bundled", tmp_path / "user"
    bundled.mkdir()
    user.mkdir()
    (bundled / "b.toml").write_text(HEAD, encoding="utf-8")
    (user / "a.toml").write_text(HEAD + "a" + ".a" * 32_000 + " = 1\n", encoding="utf-8")
    (user / "c.toml").write_text(HEAD, encoding="utf-8")
    (user / "p.toml").write_text('[program]\nname = "P"\n', encoding="utf-8")
    entries = iter_entries([user], bundled=bundled)
    first = next(entries)
    assert (first.path.name, first.bundled) == ("b.toml", True)
    rest = list(entries)
    assert [entry.path.name for entry in rest] == ["a.toml", "c.toml", "p.toml"]
    assert rest[0].error is not None and "dotted parts" in str(rest[0].error)
    assert type(rest[2]).__name__ == "ProgramEntry"
