"""New plans: the commented skeleton, its file name, never overwriting, and `retro-tui new`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retro_tui.cli import main
from retro_tui.plan.limits import MAX_NAME_CHARS
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.loader import load_plan, parse_plan_text
from retro_tui.plan.model import Direction, Kind, Level
from retro_tui.plan.skeleton import (
    PlanNameError,
    check_plan_name,
    plan_file_name,
    plan_slug,
    skeleton_text,
    toml_string,
    user_copy,
    write_skeleton,
)

ODD_NAMES = [
    "Hill Tuesday",
    'Say "go"',
    "back\\slash \\n not a newline",
    "[b]bold[/b] and [red]",
    "Rückwärts über Straße",
    "跑步 retro 1",
    "emoji 🏃 run",
    "'single' and \"double\" and `back`",
    "x" * MAX_NAME_CHARS,
    "a#b = c # not a comment",
    "@NAME@ @STEM@",
    "a \u2028 line separator is not a line break in TOML",
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_skeleton_loads_and_keeps_the_name_as_typed(name: str) -> None:
    plan = parse_plan_text(skeleton_text(name))
    assert plan.name == name


@given(st.text(min_size=1, max_size=MAX_NAME_CHARS))
def test_any_accepted_name_gives_a_plan_that_loads(name: str) -> None:
    try:
        expected = check_plan_name(name)
    except PlanNameError:
        return
    assert parse_plan_text(skeleton_text(name)).name == expected


def test_toml_string_escapes_what_toml_requires() -> None:
    assert toml_string('a"b\\c') == '"a\\"b\\\\c"'
    assert toml_string("tab\there\x7f") == '"tab\\u0009here\\u007F"'


def test_skeleton_is_a_short_safe_beginner_plan() -> None:
    plan = parse_plan_text(skeleton_text("Mine"))
    assert plan.level is Level.BEGINNER
    assert plan.steps[0].kind is Kind.WARMUP
    assert plan.steps[-1].kind is Kind.COOLDOWN
    assert plan.steps[-1].direction is Direction.FORWARD
    backward = [step for step in plan.steps if step.is_backward_work]
    assert 2 <= len(backward) <= 3
    assert all(step.duration_s == 30 and not step.incline for step in backward)
    # Every backward interval is followed by a forward recovery.
    for index, step in enumerate(plan.steps):
        if step.is_backward_work:
            after = plan.steps[index + 1]
            assert after.direction is Direction.FORWARD
            assert after.kind is Kind.RECOVER


def test_skeleton_has_no_safety_warnings() -> None:
    assert lint_plan(parse_plan_text(skeleton_text("Mine"))) == []


@pytest.mark.parametrize(
    "key",
    [
        "name", "summary", "units", "level", "cues", "kind", "direction", "duration",
        "speed", "incline", "at", "rate", "target_rpe", "target_hr_zone", "repeat", "ladder",
        "from", "to", "by", "hold",
    ],
)  # fmt: skip
def test_comments_explain_every_key(key: str) -> None:
    # The comment part of each line: a whole comment line, or what follows "  # ".
    lines = skeleton_text("Mine").splitlines()
    comments = "\n".join(line.partition("#")[2] for line in lines if "#" in line)
    assert re.search(rf"(?<![\w-]){key}(?![\w-])", comments), f"no comment mentions {key}"


def test_skeleton_names_the_check_command_for_its_file() -> None:
    assert "retro-tui check hill-tuesday" in skeleton_text("Hill Tuesday")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Hill Tuesday", "hill-tuesday"),
        ("  Hill   Tuesday  ", "hill-tuesday"),
        ("Bob's plan", "bobs-plan"),
        ("Rückwärts über Straße", "ruckwarts-uber-strasse"),
        ("a;touch PWNED", "a-touch-pwned"),
        ("$(touch PWNED)", "touch-pwned"),
        ("../../etc/passwd", "etc-passwd"),
        ("[b]", "b"),
        ("Con", "con-plan"),
        ("x" * 80, "x" * 64),
        ("跑步", ""),
    ],
)
def test_slug(name: str, slug: str) -> None:
    assert plan_slug(name) == slug


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("two\nlines", "one line"),
        ("x" * (MAX_NAME_CHARS + 1), f"at most {MAX_NAME_CHARS}"),
        ("跑步", "no letters a-z or digits"),
        ("!!!", "no letters a-z or digits"),
        ("bad \udcff bytes", "not valid text"),
    ],
)
def test_names_that_cannot_make_a_plan(name: str, message: str) -> None:
    with pytest.raises(PlanNameError, match=re.escape(message)):
        skeleton_text(name)


def test_write_skeleton_makes_the_folder_and_a_plan_that_loads(tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "plans"
    path = write_skeleton("Hill Tuesday", folder)
    assert path == folder / "hill-tuesday.toml"
    assert load_plan(path).name == "Hill Tuesday"


def test_write_skeleton_never_overwrites(tmp_path: Path) -> None:
    mine = tmp_path / "hill-tuesday.toml"
    mine.write_text("# my own work\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_skeleton("Hill Tuesday", tmp_path)
    # A different name that slugs to the same file is refused the same way.
    with pytest.raises(FileExistsError):
        write_skeleton("hill  TUESDAY!", tmp_path)
    assert mine.read_text(encoding="utf-8") == "# my own work\n"


def test_write_skeleton_writes_nothing_for_a_bad_name(tmp_path: Path) -> None:
    with pytest.raises(PlanNameError):
        write_skeleton("跑步", tmp_path / "plans")
    assert not (tmp_path / "plans").exists()


def test_user_copy_copies_once_and_then_keeps_the_users_copy(tmp_path: Path) -> None:
    source = tmp_path / "bundled" / "starter.toml"
    source.parent.mkdir()
    source.write_text("# original\n", encoding="utf-8")
    folder = tmp_path / "mine"
    first = user_copy(source, folder)
    assert first.created
    assert first.path == folder / "starter.toml"
    assert first.path.read_text(encoding="utf-8") == "# original\n"
    first.path.write_text("# edited\n", encoding="utf-8")
    second = user_copy(source, folder)
    assert second == (first.path, False)
    assert first.path.read_text(encoding="utf-8") == "# edited\n"
    assert source.read_text(encoding="utf-8") == "# original\n"


# -- retro-tui new ---------------------------------------------------------------------------


def test_cli_new_writes_a_plan_that_checks(
    isolated_locations: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "Hill Tuesday"]) == 0
    path = isolated_locations / "plans" / "hill-tuesday.toml"
    out = capsys.readouterr().out
    assert str(path) in out
    assert "edit it, then `retro-tui check hill-tuesday`" in out
    assert main(["check", "hill-tuesday"]) == 0
    assert "ok  hill-tuesday: Hill Tuesday:" in capsys.readouterr().out


def test_cli_new_joins_unquoted_words(isolated_locations: Path) -> None:
    assert main(["new", "Hill", "Tuesday"]) == 0
    assert load_plan(isolated_locations / "plans" / "hill-tuesday.toml").name == "Hill Tuesday"


def test_cli_new_writes_an_odd_name_as_typed(isolated_locations: Path) -> None:
    name = 'Coach "K" \\ [b]Hills[/b]'
    assert main(["new", name]) == 0
    assert load_plan(isolated_locations / "plans" / "coach-k-b-hills-b.toml").name == name


def test_cli_new_refuses_to_overwrite(
    isolated_locations: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = isolated_locations / "plans" / "hill-tuesday.toml"
    path.parent.mkdir()
    path.write_text("# mine\n", encoding="utf-8")
    assert main(["new", "Hill Tuesday"]) == 1
    captured = capsys.readouterr()
    assert f"{path} already exists" in captured.err
    assert captured.out == ""
    assert path.read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [("跑步", "no letters a-z or digits"), ("x" * 81, "81 characters long; at most 80")],
)
def test_cli_new_explains_a_bad_name(
    name: str, message: str, isolated_locations: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", name]) == 1
    assert message in capsys.readouterr().err
    assert not (isolated_locations / "plans").exists()


def test_cli_new_names_the_file_when_a_bundled_plan_has_its_stem(
    isolated_locations: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "Starter"]) == 0
    path = isolated_locations / "plans" / "starter.toml"
    # `check starter` would find the bundled plan first, so the hint names the file.
    assert f"edit it, then `retro-tui check {path}`" in capsys.readouterr().out
    assert main(["check", str(path)]) == 0


def test_cli_new_reports_a_folder_it_cannot_write(
    isolated_locations: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = isolated_locations / "plans-file"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setenv("RETRO_TUI_PLANS", str(not_a_folder))
    assert main(["new", "Hill Tuesday"]) == 1
    assert f"could not write a plan into {not_a_folder}" in capsys.readouterr().err


def test_cli_help_lists_new(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert 'example: retro-tui new "Hill Tuesday"' in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    assert "hill-tuesday.toml" in capsys.readouterr().out


def test_plan_file_name() -> None:
    assert plan_file_name("  Hill Tuesday ") == "hill-tuesday.toml"


# -- units -------------------------------------------------------------------------------------


@pytest.mark.parametrize("units", ["mph", "kmh"])
def test_the_skeleton_in_either_unit_is_a_safe_beginner_plan(units: str) -> None:
    from retro_tui.plan.lint import lint_plan

    plan = parse_plan_text(skeleton_text("Mine", units))
    assert plan.units.value == units
    assert plan.level is Level.BEGINNER
    assert lint_plan(plan) == []
    backward = {step.speed for step in plan.steps if step.is_backward_work}
    forward = {step.speed for step in plan.steps if step.kind is Kind.RECOVER}
    # The same walks in either unit: 2 mph backward is 3.2 km/h, 3 mph forward about 5.
    assert backward == ({2.0} if units == "mph" else {3.2})
    assert forward == ({3.0} if units == "mph" else {5.0})


def test_the_kmh_skeleton_says_the_belt_speed_in_kmh() -> None:
    text = skeleton_text("Mine", "kmh")
    assert 'units = "kmh"' in text
    assert "belt to 3.2" in text
    assert "belt to 2.0" not in text
    assert "@" not in text.replace("@NAME@", "")  # every placeholder filled in
    # The comments stay in their columns whatever the unit.
    columns = [line.find("#") for line in text.splitlines()]
    assert columns == [line.find("#") for line in skeleton_text("Mine", "mph").splitlines()]


def test_the_skeleton_refuses_other_units() -> None:
    with pytest.raises(ValueError, match="km/h"):
        skeleton_text("Mine", "km/h")


def test_write_skeleton_in_kmh(tmp_path: Path) -> None:
    path = write_skeleton("Metric", tmp_path, "kmh")
    assert load_plan(path).units.value == "kmh"


def test_cli_new_uses_the_units_in_the_settings(isolated_locations: Path) -> None:
    (isolated_locations / "config.toml").write_text('[display]\nunits = "kmh"\n')
    assert main(["new", "Metric"]) == 0
    assert load_plan(isolated_locations / "plans" / "metric.toml").units.value == "kmh"
    (isolated_locations / "config.toml").write_text('[display]\nunits = "mph"\n')
    assert main(["new", "Imperial"]) == 0
    assert load_plan(isolated_locations / "plans" / "imperial.toml").units.value == "mph"
