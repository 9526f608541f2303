"""The plan safety linter: each rule with a plan that breaks it and one that doesn't.

Plans are written as TOML text so line numbers can be read off the strings:
line 1 is ``[plan]``, and every ``[[step]]`` header is the line a warning about
that step points to.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from retro_tui import paths
from retro_tui.plan.catalog import discover, load_entry
from retro_tui.plan.errors import PlanIssue
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.loader import load_plan, parse_plan_text
from retro_tui.tui.library_entries import entry_label
from retro_tui.tui.widgets.plan_preview import plan_preview


def lint(text: str) -> list[str]:
    return [str(issue) for issue in lint_plan(parse_plan_text(text))]


def head(level: str | None = None, units: str = "mph") -> str:
    """Lines 1-4 of every plan below (a blank line 4 when there is no level)."""
    level_line = f'level = "{level}"' if level else ""
    return f'[plan]\nname = "T"\nunits = "{units}"\n{level_line}\n'


def backward(duration: str, speed: float, extra: str = "") -> str:
    """A backward work step: 4 lines, or 5 with ``extra``."""
    text = f'[[step]]\ndirection = "backward"\nduration = "{duration}"\nspeed = {speed}\n'
    return text + (extra + "\n" if extra else "")


def ladder(start: float, end: float, by: float, hold: str) -> str:
    """A backward ladder step: 3 lines."""
    rungs = f'{{ from = {start}, to = {end}, by = {by}, hold = "{hold}" }}'
    return f'[[step]]\ndirection = "backward"\nladder = {rungs}\n'


def recover(speed: float = 3.0, duration: str = "1m") -> str:
    """A forward recovery walk: 4 lines."""
    return f'[[step]]\nkind = "recover"\nduration = "{duration}"\nspeed = {speed}\n'


RAISE_MESSAGE = (
    "raise it at most 0.5 mph at a time so your balance can keep up"  # the end of rule a
)
HOLD_MESSAGE = (
    "hold each speed at least 1 minute before raising it so you are steady before the next one"
)


# -- f: start backward slowly -------------------------------------------------------------


def test_f_a_first_backward_step_faster_than_a_walk_is_warned_about_once() -> None:
    # Backward at 15.6 km/h (line 5), as an import of a forward tempo might make it.
    text = head(units="kmh") + backward("1m", 15.6) + recover(5.0) + backward("1m", 15.6)
    text += recover(5.0)
    assert lint(text) == [
        "<plan>:5: step[1].speed: warning: the first backward step is at 15.6 km/h; start "
        "backward at a walk, at most 6.4 km/h, and build up 0.8 km/h at a time from there"
    ]


@pytest.mark.parametrize(
    ("units", "speed", "warned"),
    [("mph", 4.0, False), ("mph", 4.1, True), ("kmh", 6.4, False), ("kmh", 6.5, True)],
)
def test_f_the_limit_is_a_brisk_walk_in_either_unit(units: str, speed: float, warned: bool) -> None:
    text = head(units=units) + backward("1m", speed) + recover(1.0)
    assert any("the first backward step is at" in line for line in lint(text)) is warned


def test_f_later_backward_steps_are_left_to_the_raise_rules() -> None:
    # Slow first, then a big jump: the raise rule speaks, not the start rule.
    text = head() + backward("1m", 2.0) + recover() + backward("1m", 5.0) + recover()
    found = lint(text)
    assert len(found) == 1 and "speed goes up 3.0 mph" in found[0]


# -- a: speed steps ----------------------------------------------------------------------


def test_a_backward_speed_jump_is_measured_from_the_last_backward_step() -> None:
    # Lines 5, 9, 13, 17: backward 2.0, a forward walk at 3.0, backward 3.0, a walk.
    text = head() + backward("1m", 2.0) + recover() + backward("1m", 3.0) + recover()
    assert lint(text) == [
        "<plan>:13: step[3].speed: warning: speed goes up 1.0 mph from the last backward step "
        f"(2.0 -> 3.0); {RAISE_MESSAGE}"
    ]


def test_a_half_mph_steps_and_every_decrease_are_fine() -> None:
    run = '[[step]]\nkind = "warmup"\nduration = "5m"\nspeed = 5.0\n'
    text = (
        head()
        + run
        + recover(3.0)
        + backward("1m", 2.0)
        + recover(3.0)
        + backward("1m", 2.5)
        + recover(2.5)
        + backward("1m", 1.0)
        + recover(3.0)
    )
    assert lint(text) == []


def test_a_forward_speed_jump_from_a_walk_to_a_run() -> None:
    run = '[[step]]\nduration = "5m"\nspeed = 5.0\n'
    # A walk at 3.0 (line 5), backward (9), then a run at 5.0 (13) with no build-up.
    text = head() + recover(3.0, "2m") + backward("1m", 2.0) + run + recover()
    assert lint(text) == [
        "<plan>:13: step[3].speed: warning: speed goes up 2.0 mph from the last forward step "
        f"(3.0 -> 5.0); {RAISE_MESSAGE}"
    ]


def test_a_kmh_plans_allow_0_8_kmh_steps() -> None:
    fine = head(units="kmh") + backward("1m", 3.2) + recover(5.0) + backward("1m", 4.0)
    fine += recover(5.0)
    assert lint(fine) == []
    too_much = head(units="kmh") + backward("1m", 3.2) + recover(5.0) + backward("1m", 4.1)
    too_much += recover(5.0)
    assert lint(too_much) == [
        "<plan>:13: step[3].speed: warning: speed goes up 0.9 km/h from the last backward step "
        "(3.2 -> 4.1); raise it at most 0.8 km/h at a time so your balance can keep up"
    ]
    # The same 0.8 step in mph is too much.
    assert len(lint(fine.replace('"kmh"', '"mph"'))) == 1


def test_a_ladder_with_big_rungs_warns_once_on_by() -> None:
    text = head() + ladder(1.0, 4.0, 1.0, "1m") + recover()
    assert lint(text) == [
        "<plan>:5: step[1].ladder.by: warning: speed goes up 1.0 mph from the last backward "
        f"step (1.0 -> 2.0); {RAISE_MESSAGE}"
    ]


def test_a_ladder_starting_far_above_the_last_backward_speed_warns_on_from() -> None:
    text = head() + backward("1m", 1.0) + recover() + ladder(2.0, 2.5, 0.5, "1m") + recover()
    assert lint(text) == [
        "<plan>:13: step[3].ladder.from: warning: speed goes up 1.0 mph from the last backward "
        f"step (1.0 -> 2.0); {RAISE_MESSAGE}"
    ]


# -- b: hold a speed a minute before raising it ----------------------------------------


def test_b_a_raise_after_30_seconds() -> None:
    text = head() + backward("30s", 2.0) + recover() + backward("30s", 2.5) + recover()
    assert lint(text) == [
        "<plan>:13: step[3].speed: warning: speed goes up after only 30s at 2.0 mph "
        f"(2.0 -> 2.5); {HOLD_MESSAGE}"
    ]


def test_b_the_starter_pattern_repeats_a_speed_and_is_not_a_raise() -> None:
    text = (
        head("beginner")
        + backward("30s", 2.5)
        + recover()
        + backward("30s", 2.5)
        + recover()
        + backward("30s", 2.5)
        + recover()
    )
    assert lint(text) == []


def test_b_bouts_at_one_speed_add_up_across_the_forward_walks_between_them() -> None:
    text = (
        head()
        + backward("30s", 2.0)
        + recover()
        + backward("30s", 2.0)
        + recover()
        + backward("30s", 2.5)
        + recover()
    )
    assert lint(text) == []


@pytest.mark.parametrize(("hold", "warns"), [("30s", True), ("45s", True), ("1m", False)])
def test_b_a_ladder_holding_each_rung_under_a_minute_warns_once_on_hold(
    hold: str, warns: bool
) -> None:
    issues = lint(head() + ladder(1.0, 3.0, 0.5, hold) + recover())
    expected = (
        f"<plan>:5: step[1].ladder.hold: warning: speed goes up after only {hold} at 1.0 mph "
        f"(1.0 -> 1.5); {HOLD_MESSAGE}"
    )
    assert issues == ([expected] if warns else [])


# -- c: one change at a time -------------------------------------------------------------


def test_c_speed_and_duration_up_together() -> None:
    text = head() + backward("1m", 2.0) + recover() + backward("2m", 2.5) + recover()
    assert lint(text) == [
        "<plan>:13: step[3].speed: warning: speed (2.0 -> 2.5 mph) and duration (1m -> 2m) "
        "both go up from the last backward step; change one thing at a time so each step up "
        "stays small enough to handle"
    ]


def test_c_speed_and_incline_up_together_and_all_three() -> None:
    text = (
        head("advanced")
        + backward("1m", 2.0)
        + recover()
        + backward("1m", 2.5, "incline = 2.0")
        + recover()
        + backward("2m", 3.0, "incline = 4.0")
        + recover()
    )
    assert lint(text) == [
        "<plan>:13: step[3].speed: warning: speed (2.0 -> 2.5 mph) and incline (0 -> 2 %) "
        "both go up from the last backward step; change one thing at a time so each step up "
        "stays small enough to handle",
        "<plan>:22: step[5].speed: warning: speed (2.5 -> 3.0 mph), duration (1m -> 2m) and "
        "incline (2 -> 4 %) all go up from the last backward step; change one thing at a time "
        "so each step up stays small enough to handle",
    ]


def test_c_one_change_at_a_time_is_fine() -> None:
    text = (
        head("advanced")
        + backward("1m", 2.0)
        + recover()
        + backward("2m", 2.0)  # duration only
        + recover()
        + backward("2m", 2.0, "incline = 2.0")  # incline only
        + recover()
        + backward("1m", 2.5, "incline = 2.0")  # speed only (and shorter)
        + recover()
    )
    assert lint(text) == []


# -- d: no incline backward for beginners ------------------------------------------------


BLOCK_WITH_INCLINE = """\
[[step]]
repeat = 3
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 2.0
  incline = 1.5
  [[step.step]]
  kind = "recover"
  duration = "1m"
  speed = 3.0
"""


def test_d_beginner_incline_backward_warns_once_for_a_repeat_block() -> None:
    assert lint(head("beginner") + BLOCK_WITH_INCLINE) == [
        "<plan>:7: step[1].step[1].incline: warning: a 1.5 % incline going backward in a "
        "beginner plan; practise backward on the level first, inclines come after a lot of "
        "practice"
    ]


def test_d_incline_is_fine_for_others_and_forward() -> None:
    assert lint(head("intermediate") + BLOCK_WITH_INCLINE) == []
    assert lint(head() + BLOCK_WITH_INCLINE) == []
    forward_hill = '[[step]]\nkind = "warmup"\nduration = "5m"\nspeed = 3.0\nincline = 2.0\n'
    assert lint(head("beginner") + forward_hill + backward("30s", 2.0) + recover()) == []


# -- e: beginners start short and few ----------------------------------------------------


def test_e_a_long_first_backward_bout_for_beginners() -> None:
    text = head("beginner") + backward("1m30s", 2.0) + recover() + backward("30s", 2.0)
    text += recover()
    assert lint(text) == [
        "<plan>:5: step[1].duration: warning: the first backward work lasts 1m30s in a beginner "
        "plan; start with short bouts, around 30 seconds and at most 1 minute, while balance "
        "is new"
    ]
    assert lint(text.replace('"beginner"', '"intermediate"')) == []
    assert lint(text.replace('"1m30s"', '"1m"')) == []


def test_e_a_beginner_ladder_holding_its_first_rung_long() -> None:
    assert lint(head("beginner") + ladder(1.0, 1.5, 0.5, "2m") + recover()) == [
        "<plan>:5: step[1].ladder.hold: warning: the first backward work lasts 2m in a beginner "
        "plan; start with short bouts, around 30 seconds and at most 1 minute, while balance "
        "is new"
    ]


@pytest.mark.parametrize(("level", "repeat", "warns"), [
    ("beginner", 4, False),
    ("beginner", 5, True),
    ("intermediate", 5, False),
])  # fmt: skip
def test_e_at_most_four_backward_intervals_for_beginners(
    level: str, repeat: int, warns: bool
) -> None:
    block = BLOCK_WITH_INCLINE.replace("repeat = 3", f"repeat = {repeat}").replace(
        "  incline = 1.5\n", ""
    )
    expected = (
        "<plan>:7: step[1].step[1]: warning: a beginner plan with 5 backward intervals; "
        "beginners start with 1 to 4 and add more once those feel steady"
    )
    assert lint(head(level) + block) == ([expected] if warns else [])


# -- f: never end facing backward --------------------------------------------------------


def test_f_a_plan_ending_backward() -> None:
    text = head() + recover() + backward("30s", 2.0) + recover() + backward("30s", 2.0)
    assert lint(text) == [
        "<plan>:17: step[4]: warning: the plan ends facing backward; add a forward or recovery "
        "step after the last backward work so you turn around and slow down before the belt "
        "stops"
    ]


def test_f_a_backward_cooldown_is_still_facing_backward() -> None:
    cooldown = '[[step]]\nkind = "cooldown"\ndirection = "backward"\nduration = "1m"\n'
    assert len(lint(head() + backward("30s", 2.0) + cooldown)) == 1


@pytest.mark.parametrize(
    "after",
    [
        recover(),
        '[[step]]\nkind = "recover"\ndirection = "backward"\nduration = "1m"\n',
        '[[step]]\nkind = "cooldown"\nduration = "1m"\n',
    ],
    ids=["forward-recovery", "backward-recovery", "forward-cooldown"],
)
def test_f_a_forward_or_recovery_step_after_the_last_backward_work(after: str) -> None:
    assert lint(head() + backward("30s", 2.0) + after) == []


def test_f_no_backward_work_at_all() -> None:
    assert lint(head() + recover()) == []


# -- across rules ------------------------------------------------------------------------


def test_a_repeat_block_gives_one_warning_per_place_not_one_per_round() -> None:
    block = """\
[[step]]
repeat = 4
  [[step.step]]
  direction = "backward"
  duration = "1m"
  speed = 2.0
  [[step.step]]
  kind = "recover"
  duration = "1m"
  speed = 3.0
  [[step.step]]
  direction = "backward"
  duration = "1m"
  speed = 3.0
  [[step.step]]
  kind = "recover"
  duration = "1m"
  speed = 3.0
"""
    assert lint(head() + block) == [
        "<plan>:15: step[1].step[3].speed: warning: speed goes up 1.0 mph from the last "
        f"backward step (2.0 -> 3.0); {RAISE_MESSAGE}"
    ]


def test_warnings_come_top_to_bottom_with_several_rules() -> None:
    # A long first bout (line 5), then a jump of 1.0 mph at the last step, which ends the plan.
    text = head("beginner") + backward("2m", 1.0) + recover() + backward("30s", 2.0)
    lines = [issue.line for issue in lint_plan(parse_plan_text(text))]
    keys = [issue.key for issue in lint_plan(parse_plan_text(text))]
    assert lines == [5, 13, 13]
    assert keys == ["step[1].duration", "step[3].speed", "step[3]"]


def test_warnings_name_the_file_as_the_loader_does(tmp_path: Path) -> None:
    path = tmp_path / "ends.toml"
    path.write_text(head() + backward("30s", 2.0), encoding="utf-8")
    [issue] = lint_plan(load_plan(path))
    assert issue == PlanIssue(
        str(path),
        5,
        "step[1]",
        "the plan ends facing backward; add a forward or recovery step after the last "
        "backward work so you turn around and slow down before the belt stops",
        "warning",
    )
    assert str(issue).startswith(f"{path}:5: step[1]: warning: the plan ends facing backward")


BUNDLED = [
    "starter",
    "treadmill-intro",
    "spaced-intervals",
    "rehab-walk",
    "advanced-incline",
    "block-session",
]


@pytest.mark.parametrize("stem", BUNDLED)
def test_bundled_plans_lint_clean(stem: str) -> None:
    assert lint_plan(load_plan(paths.bundled_plans_dir() / f"{stem}.toml")) == []


def test_every_bundled_plan_the_library_lists_lints_clean() -> None:
    # Whatever else ships in plans/ later: nothing the library shows may carry a warning.
    entries = [entry for entry in discover([], paths.bundled_plans_dir()) if entry.plan]
    assert len(entries) >= 6
    assert {entry.path.name: entry.warnings for entry in entries if entry.warnings} == {}


# -- where warnings show: the library ----------------------------------------------------


def render(renderable: object) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_library_entries_carry_their_warnings_into_the_label_and_preview(tmp_path: Path) -> None:
    path = tmp_path / "ends.toml"
    path.write_text(head() + backward("30s", 2.0), encoding="utf-8")
    entry = load_entry(path)
    assert len(entry.warnings) == 1
    assert entry_label(entry).plain.endswith("⚠ 1")
    shown = render(plan_preview(entry))
    assert "Safety, line 5 (step[1]): the plan ends facing backward" in shown


def test_a_clean_plan_has_no_warning_mark(tmp_path: Path) -> None:
    path = tmp_path / "fine.toml"
    path.write_text(head() + backward("30s", 2.0) + recover(), encoding="utf-8")
    entry = load_entry(path)
    assert entry.warnings == ()
    assert "⚠" not in entry_label(entry).plain
    assert "Safety" not in render(plan_preview(entry))
