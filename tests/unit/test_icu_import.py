"""intervals.icu workout text becomes plans: durations, paces, repeats, ramps, distances.

Every imported plan goes through the real plan loader. Paces are worked by hand from a
5 km race time of 25:00; threshold pace is 10 km race pace by Riegel's formula
(25:00 x 2^1.06 = 52:07, 11.51 km/h). Bad text is refused with ``FILE:LINE:``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from retro_tui.cli import main
from retro_tui.coach.paces import RacePaces
from retro_tui.interchange.icu_text import duration_seconds, read_icu_text
from retro_tui.interchange.imported import ImportedRepeat, ImportedWorkout, PaceNeeded, plan_toml
from retro_tui.plan.loader import parse_plan_text
from retro_tui.plan.model import Direction, Kind, Plan, Units
from retro_tui.tomltext import FileProblemError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interchange"
PACES = RacePaces(25 * 60)
THRESHOLD_KMH = 10000 / (1500 * 2**1.06) * 3.6  # 11.51 km/h


def read(
    text: str | bytes, units: Units = Units.KMH, paces: RacePaces | None = PACES
) -> ImportedWorkout:
    data = text.encode() if isinstance(text, str) else text
    return read_icu_text(data, "w.txt", units=units, paces=paces)


def as_plan(workout: ImportedWorkout) -> Plan:
    return parse_plan_text(plan_toml(workout, source_name="w.txt"), "w.toml")


def refusal(text: str | bytes) -> str:
    with pytest.raises(FileProblemError) as error:
        read(text)
    return str(error.value)


@pytest.mark.parametrize(
    ("token", "seconds"),
    [
        ("1h2m30s", 3750),
        ("90s", 90),
        ("10m", 600),
        ("1h", 3600),
        ("5m30s", 330),
        ("1m30", 90),
        ("5'", 300),
        ('30"', 30),
        ("1'30\"", 90),
        ("1'30", 90),
        ("1.5m", 90),
    ],
)
def test_durations_as_intervals_icu_writes_them(token: str, seconds: int) -> None:
    assert duration_seconds(token) == seconds


@pytest.mark.parametrize("token", ["90", "5km", "1mi", "400mtr", "6:30/km", "4x", "ramp", ""])
def test_what_is_not_a_duration(token: str) -> None:
    assert duration_seconds(token) is None


# -- the fixtures ------------------------------------------------------------------------------


def test_the_fixture_becomes_a_valid_plan() -> None:
    workout = read((FIXTURES / "tempo-strides.txt").read_bytes())
    plan = as_plan(workout)
    assert plan.name == "Tempo with backward strides"
    # 10m + 4 x (30s + 90s) + 3 x (1 km at 5:00/km = 5m + 2m) + 20s + 5m
    assert plan.total_s == 600 + 4 * 120 + 3 * (300 + 120) + 20 + 300
    blocks = [item for item in workout.items if isinstance(item, ImportedRepeat)]
    assert [(block.name, block.repeat, len(block.steps)) for block in blocks] == [
        ("Backward set", 4, 2),
        ("Main set", 3, 2),
    ]


def test_paces_become_speeds() -> None:
    plan = as_plan(read("- 5m 6:00/km Pace\n- 5m 5:00/km Pace\n- 5m 8:00/mi Pace\n- 5m 80% Pace"))
    assert [step.speed for step in plan.steps] == [
        10.0,
        12.0,
        round(1.609344 * 60 / 8, 1),
        round(THRESHOLD_KMH * 0.8, 1),  # 9.2
    ]


def test_a_pace_range_runs_at_its_middle_and_says_so() -> None:
    workout = read("- 5m 6:00-5:00/km Pace\n- 5m 78-82% Pace")
    plan = as_plan(workout)
    assert plan.steps[0].speed == 11.0  # the middle of 10 and 12 km/h
    assert plan.steps[1].speed == round(THRESHOLD_KMH * 0.8, 1)
    assert "line 1: a pace range runs at its middle: a treadmill holds one speed" in [
        str(note) for note in workout.notes
    ] or any("lines 1 and 2: a pace range" in str(note) for note in workout.notes)


def test_a_ramp_rises_in_whole_seconds_adding_up_exactly() -> None:
    plan = as_plan(read("Warmup\n- 10m ramp 7:00-6:00/km Pace\n"))
    assert sum(step.duration_s for step in plan.steps) == 600
    speeds = [step.speed for step in plan.steps]
    assert speeds == sorted(speeds) and len(speeds) >= 2
    assert all(step.kind is Kind.WARMUP for step in plan.steps)
    assert 60 / 7 * 60 / 60 < speeds[0] < speeds[-1] < 10.0  # between 8.57 and 10 km/h


def test_a_distance_step_lasts_distance_over_speed() -> None:
    plan = as_plan(read("- 1km 5:00/km Pace\n- 400mtr 4:00/km Pace\n- 1mi 8:00/mi Pace"))
    assert [step.duration_s for step in plan.steps] == [300, 96, 480]


def test_the_awkward_fixture() -> None:
    workout = read((FIXTURES / "awkward.icu").read_bytes(), Units.MPH)
    plan = as_plan(workout)
    assert plan.name == "Treadmill odds and ends"
    assert plan.summary.startswith("Every form of time")
    # 5' + 1'30" + 2 x (1m30 + 90s + 30") + 12m + 3m + 2m
    assert plan.total_s == 300 + 90 + 2 * (90 + 90 + 30) + 720 + 180 + 120
    assert [step.speed for step in plan.steps[:3]] == [3.0, 3.5, 2.0]
    retro = plan.steps[2]
    assert (retro.name, retro.direction, retro.kind) == (
        "Retro walk",
        Direction.BACKWARD,
        Kind.WORK,
    )
    assert plan.steps[4].speed is None  # freeride
    notes = "\n".join(str(note) for note in workout.notes)
    assert "press lap: the step ends when its time is up" in notes
    assert "line 15: power targets have no meaning on a treadmill" in notes
    assert "line 16: power target 75% of FTP has no meaning on a treadmill" in notes


# -- names, kinds, directions and prompts -------------------------------------------------------


def test_directions_come_from_the_words() -> None:
    text = (
        "Backward set 2x\n"
        "- 30s 3.0mph\n"
        "- Recovery 60s 4.0mph\n"
        "\n"
        "- Retro walk 1m 2.0mph\n"
        "- Retrospective 1m 3.0mph\n"
        "- Easy 33^go REVERSE now <!> 1m 3.0mph\n"
    )
    plan = as_plan(read(text))
    assert [(step.direction, step.kind) for step in plan.steps] == [
        (Direction.BACKWARD, Kind.WORK),
        (Direction.FORWARD, Kind.RECOVER),
        (Direction.BACKWARD, Kind.WORK),
        (Direction.FORWARD, Kind.RECOVER),
        (Direction.BACKWARD, Kind.WORK),
        (Direction.FORWARD, Kind.WORK),
        (Direction.BACKWARD, Kind.WORK),
    ]


def test_text_before_the_duration_names_the_step_and_prompts_are_cues() -> None:
    plan = as_plan(read("- Settle in 0^Hands on the rails 33^Find your rhythm <!> 2m 6:00/km Pace"))
    step = plan.steps[0]
    assert step.name == "Settle in"
    assert [(cue.at, cue.text) for cue in step.cues] == [
        (0, "Hands on the rails"),
        (33, "Find your rhythm"),
    ]


def test_a_prompt_past_its_step_moves_into_the_next() -> None:
    workout = read("- Stride 10^Tall 33^Eyes up <!> 20s 9:00/km Pace\n- 5m 7:30/km Pace")
    plan = as_plan(workout)
    assert [(cue.at, cue.text) for cue in plan.steps[0].cues] == [(10, "Tall")]
    assert [(cue.at, cue.text) for cue in plan.steps[1].cues] == [(13, "Eyes up")]
    assert "line 1: a cue set after its step ends is shown in the step running then" in [
        str(note) for note in workout.notes
    ]


def test_a_prompt_after_the_workout_is_dropped_with_a_note() -> None:
    workout = read("- Go 600^Too late <!> 20s 9:00/km Pace")
    assert as_plan(workout).steps[0].cues == ()
    assert any("comes after the workout ends" in str(note) for note in workout.notes)


def test_a_long_label_becomes_a_cue_not_a_name() -> None:
    label = "Run tall and relaxed " * 5
    plan = as_plan(read(f"- {label} 2m 6:00/km Pace"))
    assert plan.steps[0].name == "Forward"
    assert plan.steps[0].cues[0].text == label.strip()


def test_heart_rate_power_and_cadence_are_noted() -> None:
    workout = read("- 10m Z2 HR\n- 5m 75% HR\n- 5m 220w 90rpm\n- 5m 88%\n- 5m Z3 Pace\n- 5m foo")
    plan = as_plan(workout)
    assert all(step.speed is None for step in plan.steps)
    notes = "\n".join(str(note) for note in workout.notes)
    assert "line 1: heart-rate zones are set in intervals.icu" in notes
    assert "line 2: heart-rate targets are not carried over" in notes
    assert "line 3: power targets have no meaning on a treadmill" in notes
    assert "line 3: cadence targets are not carried over" in notes
    assert "line 4: power target 88% of FTP has no meaning on a treadmill" in notes
    assert "line 5: pace zones are set in intervals.icu" in notes
    assert 'line 6: "foo" is not understood, so it was left out' in notes


def test_text_is_plain_and_escaped() -> None:
    plan = as_plan(read('- Arms [relaxed] [/] "quoted" \\ 30s 3.0mph'))
    assert plan.steps[0].name == 'Arms [relaxed] [/] "quoted" \\'


def test_percent_pace_needs_a_race_pace() -> None:
    with pytest.raises(PaceNeeded) as needed:
        read("- 10m 6:00/km Pace\n- 5m 80% Pace", paces=None)
    assert needed.value.line == 2
    assert as_plan(read("- 10m 6:00/km Pace", paces=None)).total_s == 600


# -- a property: random texts keep their time and their rounds --------------------------------

_STEP = st.builds(
    lambda seconds, pace: (f"- {seconds}s {pace // 60}:{pace % 60:02d}/km Pace", seconds),
    st.integers(1, 1200),
    st.integers(4 * 60, 12 * 60),
)
_SECTION = st.tuples(
    st.one_of(st.none(), st.integers(1, 10)), st.lists(_STEP, min_size=1, max_size=4)
)


@given(sections=st.lists(_SECTION, min_size=1, max_size=5))
def test_random_texts_keep_their_total_time_and_rounds(
    sections: list[tuple[int | None, list[tuple[str, int]]]],
) -> None:
    total = sum((repeat or 1) * sum(seconds for _, seconds in steps) for repeat, steps in sections)
    assume(total <= 6 * 3600)
    text = "\n\n".join(
        ("" if repeat is None else f"Set {repeat}x\n") + "\n".join(line for line, _ in steps)
        for repeat, steps in sections
    )
    plan = as_plan(read(text))
    assert plan.total_s == total
    in_blocks = sum(repeat * len(steps) for repeat, steps in sections if repeat is not None)
    assert sum(1 for step in plan.steps if step.origin.rounds) == in_blocks


# -- bad text: FILE:LINE: and a plain message ---------------------------------------------------


BAD_TEXT = pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- easy does it", "w.txt:1: no duration or distance found"),
        ("Warmup\n- 10m 6:00/km Pace\n- 1km Z2 HR", "w.txt:3: a 1km step needs a pace"),
        ("Main 0x\n- 1m 3.0mph", "w.txt:1: 0x: a plan repeats a block 1 to 100 times"),
        ("Main 101x\n- 1m 3.0mph", "w.txt:1: 101x: a plan repeats a block 1 to 100 times"),
        ("- 7h 3.0mph", "w.txt:1: a step of 7h00m is not possible"),
        (
            "- 4h 3.0mph\n- 3h 3.0mph",
            "w.txt:2: the workout lasts 7h00m; a plan lasts at most 6 hours, and they run out here",
        ),
        ("- 5m 30mph", "w.txt:1: the speed works out at 48.3 km/h"),
        ("- 5m 5:00/lap Pace", "w.txt:1: /lap is not a pace unit"),
        ("- 0s 3.0mph", "w.txt:1: 0s is not longer than zero seconds"),
        ("Just a description.\n", "w.txt:1: no steps retro-tui can use"),
        ("", "w.txt:1: no steps retro-tui can use"),
        (b"- 5m 3.0mph\n- caf\xe9 1m 3.0mph", "w.txt:2: not UTF-8 text"),
        ("Set 999999999x\n- 1m 3.0mph", "w.txt:1: 999999999x: a plan repeats a block 1 to 100"),
        ("- " + "9" * 5000 + "m 3.0mph", "is far longer than a plan can be"),
    ],
)


@BAD_TEXT
def test_bad_text_is_refused_with_its_line(text: str | bytes, expected: str) -> None:
    assert expected in refusal(text)


@BAD_TEXT
def test_bad_text_through_the_command_says_where_and_writes_nothing(
    text: str | bytes, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "w.txt"
    source.write_bytes(text.encode() if isinstance(text, str) else text)
    assert main(["import", str(source), "--pace", "5:00", "--units", "kmh"]) == 1
    err = capsys.readouterr().err
    assert expected.replace("w.txt", str(source)) in err
    assert f"{source}:" in err and "Traceback" not in err
    assert not plans_folder().exists()


# -- the command, end to end -----------------------------------------------------------------


def plans_folder() -> Path:
    return Path(os.environ["RETRO_TUI_PLANS"])


def test_import_then_check(capsys: pytest.CaptureFixture[str]) -> None:
    source = FIXTURES / "tempo-strides.txt"
    assert main(["import", str(source), "--pace", "8:03", "--units", "mph"]) == 0
    out = capsys.readouterr().out
    written = plans_folder() / "tempo-with-backward-strides.toml"
    assert f"Wrote {written}" in out
    assert "Not carried over as written from tempo-strides.txt:" in out
    assert "line 15: heart-rate zones are set in intervals.icu" in out
    text = written.read_text(encoding="utf-8")
    assert "# Imported from tempo-strides.txt (intervals.icu workout text) on " in text
    assert "# from line 4: - 10m ramp 7:00-6:00/km Pace (part 1 of" in text
    assert main(["check", str(written)]) == 0
    assert "ok  " in capsys.readouterr().out


def test_any_other_file_name_is_read_as_intervals_icu_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "my_session.workout"
    source.write_text("- 5m 3.0mph\n- Retro walk 1m 2.0mph\n- 2m 3.0mph\n", encoding="utf-8")
    assert main(["import", str(source), "--units", "mph"]) == 0
    assert "Wrote" in capsys.readouterr().out
    plan_file = plans_folder() / "my-session.toml"
    assert 'name = "My session"' in plan_file.read_text(encoding="utf-8")


def test_bad_text_through_the_command_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "bad.txt"
    source.write_text("Main 3x\n- 1m 3.0mph\n- 1km Z2 HR\n", encoding="utf-8")
    assert main(["import", str(source), "--pace", "5:00"]) == 1
    err = capsys.readouterr().err
    assert f"{source}:3: a 1km step needs a pace" in err
    assert f"retro-tui import: nothing imported from {source}" in err
    assert not plans_folder().exists()


def test_a_backward_word_among_the_targets_turns_the_step() -> None:
    workout = read(
        "Back\n\n- 2m 9:00/km Pace backward\n- 2m 7:00/km Pace\n- 1m reverse 9:00/km Pace\n"
    )
    plan = as_plan(workout)
    assert [step.direction.value for step in plan.steps] == ["backward", "forward", "backward"]
    assert not any("backward" in note.message for note in workout.notes)


def test_a_long_text_is_read_in_linear_time(time_limit: Any) -> None:
    # 20,000 one-second steps: refused (a plan has at most 2,000), and quickly. Adding up
    # the clock anew at every step took seconds here; a running sum takes a fraction.
    text = "Big\n\n" + "- 1s 8:00/km Pace\n" * 20_000
    with time_limit(10.0):
        message = refusal(text)
    assert "the workout makes 20,000 steps; a plan has at most 2,000" in message
