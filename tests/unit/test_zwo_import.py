"""Zwift run workouts (.zwo) become plans: speeds from race paces, cues, directions, safety.

Every imported plan goes through the real plan loader; the numbers are worked by hand
from a 5 km race time of 25:00 (12 km/h). Bad files are refused with ``FILE:LINE:`` and
nothing is written; XML's entity tricks are refused without a byte read from disk.
"""

from __future__ import annotations

import builtins
import io
import math
import os
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from retro_tui.cli import main
from retro_tui.coach.paces import RacePaces
from retro_tui.config import parse_config
from retro_tui.interchange.imported import (
    ImportedRepeat,
    ImportedWorkout,
    PaceNeeded,
    plan_toml,
    ramp_parts,
)
from retro_tui.interchange.zwo import read_zwo
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.loader import parse_plan_text
from retro_tui.plan.model import Direction, Kind, Plan, Units
from retro_tui.tomltext import FileProblemError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interchange"
PACES = RacePaces(25 * 60)  # 5 km in 25:00: 12 km/h


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def zwo(body: str, *, sport: str = "run", head: str = "") -> bytes:
    """A .zwo file around ``body`` (the children of <workout>), on line 5 and after."""
    return (
        '<?xml version="1.0"?>\n<workout_file>\n'
        f"<name>Test</name><sportType>{sport}</sportType>{head}\n"
        "<workout>\n"
        f"{body}\n"
        "</workout>\n</workout_file>\n"
    ).encode()


def read(data: bytes, units: Units = Units.KMH, paces: RacePaces | None = PACES) -> ImportedWorkout:
    return read_zwo(data, "w.zwo", units=units, paces=paces)


def as_plan(workout: ImportedWorkout) -> Plan:
    """The workout through the real loader: what `retro-tui check` would say."""
    return parse_plan_text(plan_toml(workout, source_name="w.zwo"), "w.toml")


def refusal(data: bytes) -> str:
    with pytest.raises(FileProblemError) as error:
        read(data)
    return str(error.value)


# -- the fixture, worked by hand --------------------------------------------------------------


def test_the_fixture_becomes_a_valid_plan_of_the_same_length() -> None:
    workout = read(fixture("retro-intervals.zwo"))
    plan = as_plan(workout)
    assert plan.name == "Retro intervals & strides"
    assert plan.summary.startswith("A ramp warm-up")
    # Warmup 600 + 4 x (30 + 90) + 300 + FreeRide 240 + Cooldown 301
    assert plan.total_s == 600 + 4 * 120 + 300 + 240 + 301
    assert plan.backward_s == 4 * 30
    assert plan.backward_intervals == 4


def test_speeds_are_power_times_the_race_pace_named_by_pace() -> None:
    plan = as_plan(read(fixture("retro-intervals.zwo")))
    by_name = {(step.name, step.kind): step for step in plan.steps}
    # pace="1" is 5 km pace, 12 km/h: 0.4 of it is 4.8 km/h, 0.6 is 7.2 km/h.
    assert by_name["Backward", Kind.WORK].speed == 4.8
    assert by_name["Recovery", Kind.RECOVER].speed == 7.2
    # pace="2" is 10 km pace: 25:00 x 2^1.06 = 52:07.4, 11.51 km/h; 0.9 of it 10.36.
    tempo = next(step for step in plan.steps if step.duration_s == 300)
    assert tempo.speed == pytest.approx(10.4)


def test_race_paces_follow_riegel() -> None:
    assert PACES.speed_kmh(5000) == pytest.approx(12.0)
    assert PACES.race_time_s(10000) == pytest.approx(1500 * 2**1.06)
    mile_s = 1500 * (1609.344 / 5000) ** 1.06
    assert PACES.speed_kmh(1609.344) == pytest.approx(1609.344 / mile_s * 3.6)
    assert RacePaces.from_pace(5 * 60, Units.KMH).time_5k_s == pytest.approx(1500)
    assert RacePaces.from_pace(8 * 60 + 3, Units.MPH).time_5k_s == pytest.approx(1500, abs=1)


def test_a_steady_state_at_0_8_of_5k_pace_runs_at_9_6_kmh() -> None:
    plan = as_plan(read(zwo('<SteadyState Duration="300" Power="0.8" pace="1"/>')))
    assert [step.speed for step in plan.steps] == [9.6]


def test_speeds_in_mph_plans() -> None:
    workout = read(zwo('<SteadyState Duration="300" Power="0.8" pace="1"/>'), Units.MPH)
    plan = as_plan(workout)
    assert plan.units is Units.MPH
    assert plan.steps[0].speed == round(9.6 / 1.609344, 1)  # 6.0 mph


def test_the_warmup_ramp_rises_in_whole_seconds_adding_up_to_its_duration() -> None:
    plan = as_plan(read(fixture("retro-intervals.zwo")))
    warmup = [step for step in plan.steps if step.kind is Kind.WARMUP]
    assert sum(step.duration_s for step in warmup) == 600
    speeds = [step.speed for step in warmup]
    assert speeds == sorted(speeds) and speeds[0] > 6.0 and speeds[-1] < 9.0
    cooldown = [step for step in plan.steps if step.kind is Kind.COOLDOWN]
    assert sum(step.duration_s for step in cooldown) == 301
    assert [step.speed for step in cooldown] == sorted(
        (step.speed for step in cooldown), reverse=True
    )


@given(
    duration=st.integers(1, 6 * 3600),
    low=st.floats(0.3, 1.5),
    high=st.floats(0.3, 1.5),
    units=st.sampled_from(list(Units)),
)
def test_ramp_parts_always_add_up_exactly(
    duration: int, low: float, high: float, units: Units
) -> None:
    parts = ramp_parts(duration, low * 12, high * 12, units)
    assert sum(seconds for seconds, _ in parts) == duration
    assert all(seconds >= 1 for seconds, _ in parts)
    speeds = [speed for _, speed in parts]
    assert speeds == sorted(speeds, reverse=high < low)


# -- cues and directions ---------------------------------------------------------------------


def test_cue_offsets_land_in_the_step_running_then() -> None:
    workout = read(fixture("retro-intervals.zwo"))
    plan = as_plan(workout)
    cues = [(index, cue.at, cue.text) for index, step in enumerate(plan.steps) for cue in step.cues]
    first_warmup = [(at, text) for index, at, text in cues if index == 0]
    # 66.00032 s is shown at 66 s, in the first of five two-minute parts.
    assert first_warmup == [
        (0, "Easy start: hands light on the rails"),
        (66, "Relax the shoulders"),
    ]
    # timeoffset 150 of the intervals: round 2 (120-240 s) starts its recovery at 150.
    second_recovery = plan.steps[8]
    assert second_recovery.kind is Kind.RECOVER
    assert [(cue.at, cue.text) for cue in second_recovery.cues] == [
        (0, "Second round: short quick steps")
    ]
    # Only the first round says to turn around: the rounds were split to keep it there.
    turn = [index for index, at, text in cues if text.startswith("Turn around")]
    assert turn == [5]
    # 320 s into a 300 s steady state: 20 s into the free ride after it.
    free_ride = next(step for step in plan.steps if step.speed is None)
    assert [(cue.at, cue.text) for cue in free_ride.cues] == [(20, "Tempo done: ease off")]
    notes = [str(note) for note in workout.notes]
    assert "line 22: a cue set after its step ends is shown in the step running then" in notes
    assert any("comes after the workout ends" in note and "line 27" in note for note in notes)


def test_split_rounds_keep_the_round_count() -> None:
    workout = read(fixture("retro-intervals.zwo"))
    blocks = [item for item in workout.items if isinstance(item, ImportedRepeat)]
    assert [block.repeat for block in blocks] == [1, 1, 2]
    assert [block.part for block in blocks] == ["round 1 of 4", "round 2 of 4", "rounds 3-4 of 4"]


def test_directions_come_from_the_words_of_the_step() -> None:
    body = (
        '<SteadyState Duration="60" Power="0.5" pace="1" Text="Retro walk"/>\n'
        '<SteadyState Duration="60" Power="0.5" pace="1">\n'
        '  <textevent timeoffset="10" message="Now go REVERSE, slowly"/>\n'
        "</SteadyState>\n"
        '<SteadyState Duration="60" Power="0.5" pace="1" Text="Retrospective jog"/>\n'
        '<SteadyState Duration="60" Power="0.5" pace="1" Text="Easy"/>'
    )
    plan = as_plan(read(zwo(body)))
    assert [step.direction for step in plan.steps] == [
        Direction.BACKWARD,
        Direction.BACKWARD,
        Direction.FORWARD,
        Direction.FORWARD,
    ]
    assert plan.steps[0].name == "Retro walk"


def test_backward_intervals_turn_only_the_on_part_around() -> None:
    plan = as_plan(read(fixture("retro-intervals.zwo")))
    rounds = [step for step in plan.steps if step.origin.rounds]
    assert [step.direction for step in rounds[:2]] == [Direction.BACKWARD, Direction.FORWARD]
    assert [step.kind for step in rounds[:2]] == [Kind.WORK, Kind.RECOVER]


def test_what_is_not_carried_over_is_said_in_plain_words() -> None:
    workout = read(fixture("retro-intervals.zwo"))
    notes = "\n".join(str(note) for note in workout.notes)
    assert "line 17: cadence targets are not carried over" in notes
    assert "line 24: <RestDay> is not a step retro-tui knows; left out" in notes
    assert 'FlatRoad="0" on <FreeRide> is not carried over' in notes
    text = plan_toml(workout, source_name="retro-intervals.zwo")
    assert "# Imported from retro-intervals.zwo (Zwift workout) on " in text
    assert "#   line 24: <RestDay> is not a step retro-tui knows; left out" in text
    assert '# from line 13: <Warmup Duration="600" PowerLow="0.5"' in text


def test_a_distance_workout_takes_its_times_from_the_paces() -> None:
    plan = as_plan(read(fixture("by-distance.zwo")))
    # 1000 m at 0.6 x 12 km/h (2 m/s): 500 s; 400 m at 12 km/h: 120 s; 200 m at 6: 120 s.
    assert [step.duration_s for step in plan.steps] == [500, *[120] * 6, 500]
    assert plan.steps[-1].incline == 1.0


def test_text_is_plain_and_escaped() -> None:
    body = (
        '<SteadyState Duration="60" Power="0.5" pace="1" Text="Arms [relaxed] [/] &quot;x&quot;"/>'
    )
    plan = as_plan(read(zwo(body)))
    assert plan.steps[0].name == 'Arms [relaxed] [/] "x"'


def test_the_plan_has_no_check_errors_and_its_warnings_are_lint_warnings() -> None:
    plan = as_plan(read(fixture("retro-intervals.zwo")))
    assert all(issue.severity == "warning" for issue in lint_plan(plan))


def test_without_a_race_pace_the_reader_says_it_needs_one() -> None:
    with pytest.raises(PaceNeeded) as needed:
        read(fixture("retro-intervals.zwo"), paces=None)
    assert needed.value.line == 13
    # A file whose speeds don't depend on one needs none.
    plan = as_plan(read(zwo('<FreeRide Duration="600"/>'), paces=None))
    assert plan.total_s == 600


# -- a property: random run workouts keep their time and their rounds --------------------------

_POWERS = st.sampled_from([0.4, 0.5, 0.6, 0.75, 0.9, 1.0, 1.1])
_ELEMENT = st.one_of(
    st.builds(
        lambda d, p: (f'<SteadyState Duration="{d}" Power="{p}" pace="1"/>', d, 0),
        st.integers(1, 1800),
        _POWERS,
    ),
    st.builds(
        lambda tag, d, a, b: (
            f'<{tag} Duration="{d}" PowerLow="{a}" PowerHigh="{b}" pace="1"/>',
            d,
            0,
        ),
        st.sampled_from(["Warmup", "Ramp", "Cooldown"]),
        st.integers(1, 1800),
        _POWERS,
        _POWERS,
    ),
    st.builds(
        lambda r, on, off, a, b: (
            f'<IntervalsT Repeat="{r}" OnDuration="{on}" OffDuration="{off}" '
            f'OnPower="{a}" OffPower="{b}" pace="1"/>',
            r * (on + off),
            r,
        ),
        st.integers(1, 12),
        st.integers(1, 300),
        st.integers(1, 300),
        _POWERS,
        _POWERS,
    ),
    st.builds(lambda d: (f'<FreeRide Duration="{d}"/>', d, 0), st.integers(1, 1800)),
)


@given(
    elements=st.lists(_ELEMENT, min_size=1, max_size=6),
    offsets=st.lists(st.floats(0, 1), max_size=5),
)
def test_random_workouts_keep_their_total_time_rounds_and_cues(
    elements: list[tuple[str, int, int]], offsets: list[float]
) -> None:
    total = sum(seconds for _, seconds, _ in elements)
    assume(total <= 6 * 3600)
    # Text events directly in <workout> count from its start; one anywhere before the end.
    events = "".join(
        f'<textevent timeoffset="{int(share * (total - 1))}" message="cue {index}"/>'
        for index, share in enumerate(offsets)
    )
    workout = read(zwo("\n".join(xml for xml, _, _ in elements) + events))
    plan = as_plan(workout)
    assert plan.total_s == workout.total_s == total
    rounds = sum(repeat for _, _, repeat in elements)
    assert sum(1 for step in plan.steps if step.origin.rounds) == 2 * rounds
    texts = sorted(cue.text for step in plan.steps for cue in step.cues)
    assert texts == sorted(f"cue {index}" for index in range(len(offsets)))


# -- bad files: FILE:LINE: and a plain message ----------------------------------------------------


BAD_FILES = pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"this is not XML at all", "w.zwo:1: not a Zwift workout: the XML is broken"),
        (
            b"<workout_file><name>x</workout_file>",
            "w.zwo:1: not a Zwift workout: the XML is broken",
        ),
        (b"<?xml version='1.0'?>\n<plan/>", "w.zwo:2: the file starts with <plan>"),
        (
            fixture("ride.zwo"),
            "w.zwo:4: this is a Zwift ride (sportType bike); retro-tui runs "
            "treadmill workouts, not rides",
        ),
        (b"<workout_file>\n<workout/></workout_file>", "w.zwo:1: the file has no <sportType>"),
        (zwo('<SteadyState Power="0.5" pace="1"/>'), "w.zwo:5: <SteadyState> has no Duration"),
        (zwo('<SteadyState Duration="-60" Power="0.5"/>'), 'w.zwo:5: Duration="-60" is negative'),
        (
            zwo('<SteadyState Duration="ten" Power="0.5"/>'),
            'w.zwo:5: Duration="ten" is not a number',
        ),
        (
            zwo('<SteadyState Duration="0.2" Power="0.5"/>'),
            "w.zwo:5: Duration must be longer than zero",
        ),
        (zwo('<FreeRide Duration="30000"/>'), "w.zwo:5: a step of 8h20m is not possible"),
        (
            zwo('<FreeRide Duration="20000"/><FreeRide Duration="9000"/>'),
            "w.zwo:5: the workout lasts 8h03m20s",
        ),
        (
            zwo('<IntervalsT Repeat="0" OnDuration="30" OffDuration="30" OnPower="1"/>'),
            'w.zwo:5: Repeat="0" is not a whole number from 1 to 100',
        ),
        (
            zwo('<IntervalsT Repeat="101" OnDuration="3" OffDuration="3" OnPower="1"/>'),
            'w.zwo:5: Repeat="101" is not a whole number from 1 to 100',
        ),
        (
            zwo('<SteadyState Duration="60" Power="3" pace="1"/>'),
            "w.zwo:5: the speed works out at 36 km/h",
        ),
        (
            zwo('<SteadyState Duration="60" Power="0.5" pace="8268"/>'),
            'w.zwo:5: pace="8268" is not one of',
        ),
        (zwo("<RestDay/><Bogus/>"), "w.zwo:4: no steps retro-tui can use"),
        (zwo("", head="<durationType>laps</durationType>"), 'w.zwo:3: durationType "laps"'),
        (
            zwo('<FreeRide Duration="400"/>', head="<durationType>distance</durationType>"),
            "w.zwo:5: Duration is 400 m, and a step without a pace gives no time",
        ),
    ],
)


@BAD_FILES
def test_bad_files_are_refused_with_their_line(data: bytes, expected: str) -> None:
    assert expected in refusal(data)


@BAD_FILES
def test_bad_files_through_the_command_say_where_and_write_nothing(
    data: bytes, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "w.zwo"
    source.write_bytes(data)
    assert main(["import", str(source), "--pace", "5:00", "--units", "kmh"]) == 1
    err = capsys.readouterr().err
    assert expected.replace("w.zwo", str(source)) in err
    assert "Traceback" not in err
    assert not plans_folder().exists()


def test_every_mistake_of_a_file_is_reported_at_once() -> None:
    body = '<SteadyState Power="0.5"/>\n<SteadyState Duration="x" Power="0.5"/>'
    lines = refusal(zwo(body)).splitlines()
    assert [line.split(":")[1] for line in lines] == ["5", "6"]


def test_unknown_tags_are_noted_not_fatal() -> None:
    workout = read(zwo('<Bogus/>\n<FreeRide Duration="60"/>', head="<extra/>"))
    notes = [str(note) for note in workout.notes]
    assert "line 5: <Bogus> is not a step retro-tui knows; left out" in notes
    assert "line 3: <extra> is not something retro-tui knows" in notes


# -- XML's entity tricks --------------------------------------------------------------------


@pytest.fixture
def no_files_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything opens a file while the XML is read."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a file was opened: {args}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    monkeypatch.setattr(os, "open", refuse)


@pytest.mark.parametrize("name", ["billion-laughs.zwo", "external-entity.zwo"])
def test_entity_tricks_are_refused_before_anything_is_expanded_or_read(name: str) -> None:
    data = fixture(name)  # read before the guard goes up
    with pytest.MonkeyPatch.context() as patch:
        for module in (builtins, io):
            patch.setattr(module, "open", lambda *a, **k: pytest.fail(f"opened {a}"))
        patch.setattr(os, "open", lambda *a, **k: pytest.fail(f"opened {a}"))
        message = refusal(data)
    assert message.startswith("w.zwo:2: a DOCTYPE is not allowed in a workout file")
    assert "root:" not in message and "lol" not in message


def test_a_parameter_entity_is_refused_too(no_files_opened: None) -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n<w/>'
    )
    assert refusal(data).startswith("w.zwo:2: a DOCTYPE is not allowed")


def test_an_undeclared_entity_is_an_xml_error(no_files_opened: None) -> None:
    data = b'<?xml version="1.0"?>\n<workout_file>\n<name>&xxe;</name>\n</workout_file>'
    assert refusal(data).startswith("w.zwo:3: not a Zwift workout: the XML is broken")


# -- the command, end to end -----------------------------------------------------------------


def plans_folder() -> Path:
    return Path(os.environ["RETRO_TUI_PLANS"])


def test_import_then_check(capsys: pytest.CaptureFixture[str]) -> None:
    source = FIXTURES / "retro-intervals.zwo"
    assert main(["import", str(source), "--pace", "5:00", "--units", "kmh"]) == 0
    out = capsys.readouterr().out
    written = plans_folder() / "retro-intervals-strides.toml"
    assert f"Wrote {written}" in out
    assert "ok  retro-intervals-strides.toml: Retro intervals & strides: 32:01 total" in out
    assert "Not carried over as written from retro-intervals.zwo:" in out
    assert "line 24: <RestDay> is not a step retro-tui knows; left out" in out
    assert main(["check", "retro-intervals-strides"]) == 0
    assert "ok  retro-intervals-strides: Retro intervals & strides" in capsys.readouterr().out


def test_an_existing_plan_is_never_replaced(capsys: pytest.CaptureFixture[str]) -> None:
    source = str(FIXTURES / "retro-intervals.zwo")
    assert main(["import", source, "--pace", "8:03", "--units", "mph"]) == 0
    written = plans_folder() / "retro-intervals-strides.toml"
    before = written.read_bytes()
    capsys.readouterr()
    assert main(["import", source, "--pace", "5:00", "--units", "kmh"]) == 1
    err = capsys.readouterr().err
    assert f"{written} already exists and was left as it is; choose another name with --name" in err
    assert written.read_bytes() == before
    assert main(["import", source, "--pace", "5:00", "--name", "Tuesday retro"]) == 0
    assert (plans_folder() / "tuesday-retro.toml").is_file()


def test_a_bad_file_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(FIXTURES / "ride.zwo"), "--pace", "5:00"]) == 1
    err = capsys.readouterr().err
    assert f"{FIXTURES / 'ride.zwo'}:4: this is a Zwift ride" in err
    assert "Traceback" not in err
    assert not plans_folder().exists()


def test_entity_tricks_through_the_command_write_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", str(FIXTURES / "external-entity.zwo"), "--pace", "5:00"]) == 1
    assert ":2: a DOCTYPE is not allowed" in capsys.readouterr().err
    assert not plans_folder().exists()


def test_without_a_pace_or_a_terminal_it_says_to_pass_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("retro_tui.cli.import_workout._interactive", lambda: False)
    assert main(["import", str(FIXTURES / "retro-intervals.zwo"), "--units", "kmh"]) == 1
    err = capsys.readouterr().err
    assert "retro-intervals.zwo:13: a speed given as a share of a pace needs your race pace" in err
    assert "pass --pace MM:SS (your 5 km race pace per km)" in err
    assert not plans_folder().exists()


def test_on_a_terminal_it_asks_for_the_pace(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("retro_tui.cli.import_workout._interactive", lambda: True)
    answers = iter(["fast", "5:00"])
    monkeypatch.setattr(builtins, "input", lambda prompt: next(answers))
    assert main(["import", str(FIXTURES / "retro-intervals.zwo"), "--units", "kmh"]) == 0
    out = capsys.readouterr().out
    assert "'fast' is not a pace" in out
    text = (plans_folder() / "retro-intervals-strides.toml").read_text(encoding="utf-8")
    assert "from a 5 km race time of 25:00" in text


def test_the_race_time_setting_is_used(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = Path(os.environ["RETRO_TUI_CONFIG"])
    config.write_text('[display]\nunits = "kmh"\n[athlete]\ntime_5k = "25:00"\n', encoding="utf-8")
    out_folder = tmp_path / "elsewhere"
    assert main(["import", str(FIXTURES / "by-distance.zwo"), "-o", str(out_folder)]) == 0
    plan_text = (out_folder / "400s-by-distance.toml").read_text(encoding="utf-8")
    assert 'units = "kmh"' in plan_text and "speed = 12.0" in plan_text
    assert not plans_folder().exists()


@pytest.mark.parametrize(
    ("pace", "message"),
    [
        ("5", "'5' is not a pace"),
        ("1:00", "makes 5 km in 5:00"),
        ("40:00", "makes 5 km in 3:20:00"),
    ],
)
def test_a_bad_pace_is_a_usage_error(
    pace: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["import", str(FIXTURES / "by-distance.zwo"), "--pace", pace, "--units", "kmh"]) == 2
    )
    assert message in capsys.readouterr().err


def test_a_missing_file_is_a_plain_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "no-such.zwo", "--pace", "5:00"]) == 1
    assert "no-such.zwo: no such file" in capsys.readouterr().err


def test_rounded_speeds_stay_sane() -> None:
    # The smallest power that still rounds to a speed; 0 is "no target".
    plan = as_plan(read(zwo('<SteadyState Duration="60" Power="0.01" pace="4"/>')))
    assert plan.steps[0].speed is not None and math.isclose(plan.steps[0].speed, 0.1)


def test_a_name_without_latin_letters_is_kept_and_the_file_named_after_the_source(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "tempo_run.zwo"
    source.write_bytes(
        zwo('<FreeRide Duration="600"/>').replace(b"<name>Test", "<name>後ろ走り".encode())
    )
    assert main(["import", str(source)]) == 0
    text = (plans_folder() / "tempo-run.toml").read_text(encoding="utf-8")
    assert 'name = "後ろ走り"' in text


def test_a_file_without_a_name_is_named_after_the_file(tmp_path: Path) -> None:
    source = tmp_path / "hill_reps-2.zwo"
    source.write_bytes(zwo('<FreeRide Duration="600"/>').replace(b"<name>Test</name>", b""))
    assert main(["import", str(source)]) == 0
    assert 'name = "Hill reps 2"' in (plans_folder() / "hill-reps-2.toml").read_text("utf-8")


def test_a_bad_name_or_folder_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = str(FIXTURES / "by-distance.zwo")
    assert main(["import", source, "--pace", "5:00", "--name", "   "]) == 1
    assert (
        'retro-tui import: a plan needs a name, such as "Hill Tuesday"' in capsys.readouterr().err
    )
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["import", source, "--pace", "5:00", "-o", str(blocker / "plans")]) == 1
    assert "could not make the folder" in capsys.readouterr().err
    assert not plans_folder().exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"5:00"', "must be a 5 km race time between 12:00 and 2:00:00, not 5:00"),
        ("1500", 'must be a time in quotes, like "25:00"'),
        ('"fast"', 'must be a time like "25:00"'),
    ],
)
def test_the_race_time_setting_is_checked(value: str, message: str) -> None:
    good = parse_config('[athlete]\ntime_5k = " 1:02:30 "\n')
    assert good.problems == () and good.config.athlete.time_5k == "1:02:30"
    bad = parse_config(f"[athlete]\ntime_5k = {value}\n")
    assert bad.config.athlete.time_5k is None
    assert [(problem.line, problem.key) for problem in bad.problems] == [(2, "athlete.time_5k")]
    assert message in bad.problems[0].message
