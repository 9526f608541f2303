"""FIT workout export: every file written is read back by two decoders that share no code.

fitdecode (with its CRC check) and Garmin's own FIT SDK must both read each file
without an error and agree on every step; the steps are then held against the
plan: the repeat steps expanded (by the small interpreter below, as a watch
follows them) must give the plan's timeline back, second for second, with its
speeds in m/s, its kinds as intensities and a name that says BACKWARD where you
turn around.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fitdecode
import pytest
import tomli_w
from garmin_fit_sdk import Decoder, Stream
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retro_tui.interchange.fit_workout import (
    STEP_NAME_BYTES,
    RepeatStep,
    TimedStep,
    fit_workout,
    speed_mps,
    step_name,
    workout_steps,
)
from retro_tui.plan import Kind, Plan, load_plan, parse_plan_text
from retro_tui.plan.folders import is_program_file
from retro_tui.plan.limits import MAX_STEPS, MAX_TOTAL_S
from retro_tui.plan.program import load_program

PLANS = Path(__file__).resolve().parents[2] / "plans"
CREATED = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
REPEAT = "repeat_until_steps_cmplt"
INTENSITY = {
    Kind.WARMUP: "warmup",
    Kind.WORK: "active",
    Kind.RECOVER: "rest",
    Kind.COOLDOWN: "cooldown",
}


# -- reading a file back, twice -------------------------------------------------------------


@dataclass(frozen=True)
class Decoded:
    """One workout_step as a decoder read it; raw values where FIT scales them."""

    index: int
    name: str | None
    duration_type: str
    duration_ms: int | None
    back_to: int | None
    times: int | None
    target_type: str | None
    speed_low_mms: int | None
    speed_high_mms: int | None
    intensity: str | None
    notes: str | None


@dataclass(frozen=True)
class Workout:
    message_names: list[str]
    file_id: dict[str, Any]
    workout: dict[str, Any]
    steps: list[Decoded]


def read_with_fitdecode(data: bytes) -> Workout:
    names: list[str] = []
    messages: dict[str, dict[str, Any]] = {}
    steps: list[Decoded] = []
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            names.append(frame.name)
            values = {field.name: field.value for field in frame.fields}
            raw = {field.name: field.raw_value for field in frame.fields}
            if frame.name != "workout_step":
                messages[frame.name] = values
                continue
            repeat = values.get("duration_type") == REPEAT
            speed = values.get("target_type") == "speed"
            steps.append(
                Decoded(
                    index=values["message_index"],
                    name=values.get("wkt_step_name"),
                    duration_type=values["duration_type"],
                    duration_ms=None if repeat else raw.get("duration_time"),
                    back_to=values.get("duration_step") if repeat else None,
                    times=values.get("repeat_steps") if repeat else None,
                    target_type=values.get("target_type"),
                    speed_low_mms=raw.get("custom_target_speed_low") if speed else None,
                    speed_high_mms=raw.get("custom_target_speed_high") if speed else None,
                    intensity=values.get("intensity"),
                    notes=values.get("notes"),
                )
            )
    return Workout(names, messages["file_id"], messages["workout"], steps)


def read_with_garmin_sdk(data: bytes) -> Workout:
    # Each check reads the stream to its end, so each gets a decoder of its own.
    assert Decoder(Stream.from_byte_array(bytearray(data))).is_fit()
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    names: list[str] = []
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    messages, errors = decoder.read(mesg_listener=lambda number, _: names.append(str(number)))
    assert errors == []
    steps = []
    for message in messages["workout_step_mesgs"]:
        values: dict[str, Any] = dict(message)  # the SDK's own types name enums in camelCase
        repeat = values.get("duration_type") == REPEAT
        speed = values.get("target_type") == "speed"
        steps.append(
            Decoded(
                index=values["message_index"],
                name=values.get("wkt_step_name"),
                duration_type=values["duration_type"],
                duration_ms=None if repeat else values.get("duration_value"),
                back_to=values.get("duration_step") if repeat else None,
                times=values.get("repeat_steps") if repeat else None,
                target_type=values.get("target_type"),
                speed_low_mms=values.get("custom_target_value_low") if speed else None,
                speed_high_mms=values.get("custom_target_value_high") if speed else None,
                intensity=values.get("intensity"),
                notes=values.get("notes"),
            )
        )
    (file_id,) = messages["file_id_mesgs"]
    (workout,) = messages["workout_mesgs"]
    return Workout(names, dict(file_id), dict(workout), steps)


def read_back(data: bytes) -> Workout:
    """The file as both decoders read it, after checking that they agree."""
    first = read_with_fitdecode(data)
    second = read_with_garmin_sdk(data)
    assert first.steps == second.steps
    # The SDK names messages by their global number: 0 file_id, 26 workout, 27 workout_step.
    assert second.message_names == [
        {"file_id": "0", "workout": "26", "workout_step": "27"}[name]
        for name in first.message_names
    ]
    for key in ("type", "manufacturer", "time_created"):
        assert first.file_id[key] == second.file_id[key]
    for key in ("wkt_name", "sport", "sub_sport", "num_valid_steps"):
        assert first.workout[key] == second.workout[key]
    return first


def expand(steps: list[Decoded]) -> list[Decoded]:
    """The timed steps in the order a watch runs them, repeat steps followed (nested too)."""
    assert [step.index for step in steps] == list(range(len(steps)))
    timeline: list[Decoded] = []
    passes: dict[int, int] = {}
    at = 0
    while at < len(steps):
        step = steps[at]
        if step.duration_type != REPEAT:
            timeline.append(step)
            at += 1
            continue
        assert step.back_to is not None and step.times is not None
        assert 0 <= step.back_to < at, "a repeat step points back to the start of its block"
        passes[at] = passes.get(at, 0) + 1
        if passes[at] < step.times:
            at = step.back_to
        else:
            passes[at] = 0  # an inner repeat starts counting again next time round
            at += 1
    return timeline


def check_workout(plan: Plan, data: bytes) -> Workout:
    """Everything a file of ``plan`` must say, read back by both decoders."""
    workout = read_back(data)
    assert workout.message_names == ["file_id", "workout"] + ["workout_step"] * len(workout.steps)
    assert workout.file_id["type"] == "workout"
    assert workout.workout["wkt_name"] == plan.name
    assert workout.workout["sport"] == "running"
    assert workout.workout["sub_sport"] == "treadmill"
    assert workout.workout["num_valid_steps"] == len(workout.steps)

    timeline = expand(workout.steps)
    assert len(timeline) == len(plan.steps)
    assert sum(step.duration_ms or 0 for step in timeline) == plan.total_s * 1000
    for decoded, step in zip(timeline, plan.steps, strict=True):
        assert decoded.duration_type == "time"
        assert decoded.duration_ms == step.duration_s * 1000
        assert decoded.intensity == INTENSITY[step.kind]
        assert decoded.name is not None and len(decoded.name.encode()) <= STEP_NAME_BYTES
        assert decoded.name.startswith("BACKWARD") == step.is_backward
        assert decoded.notes is not None and decoded.notes.startswith(step.name)
        speed = speed_mps(step.speed, plan.units)
        if speed is None:
            assert decoded.target_type == "open"
            continue
        assert decoded.target_type == "speed"
        assert decoded.speed_low_mms is not None and decoded.speed_high_mms is not None
        low, high = decoded.speed_low_mms / 1000, decoded.speed_high_mms / 1000
        assert low < speed < high
        assert high - speed == pytest.approx(max(0.1, 0.03 * speed), abs=0.001)
        if low > 0:
            assert (low + high) / 2 == pytest.approx(speed, abs=0.001)
    return workout


def plan_of(steps_toml: str, units: str = "mph") -> Plan:
    return parse_plan_text(f'[plan]\nname = "Test plan"\nunits = "{units}"\n\n{steps_toml}')


def repeats(workout: Workout) -> list[Decoded]:
    return [step for step in workout.steps if step.duration_type == REPEAT]


# -- the bundled plans ---------------------------------------------------------------------


def bundled_plans() -> list[Any]:
    params = []
    for path in sorted(PLANS.glob("*.toml")):
        if is_program_file(path):
            for session in load_program(path, [PLANS]).sessions:
                params.append(pytest.param(session.plan, id=f"{path.stem}-{session.label}"))
        else:
            params.append(pytest.param(load_plan(path), id=path.stem))
    return params


def test_every_bundled_plan_is_found() -> None:
    assert len(bundled_plans()) > len(list(PLANS.glob("*.toml")))


@pytest.mark.parametrize("plan", bundled_plans())
def test_every_bundled_plan_exports_and_decodes(plan: Plan) -> None:
    check_workout(plan, fit_workout(plan, created=CREATED))


def test_the_starter_plan_repeats_its_intervals() -> None:
    plan = load_plan(PLANS / "starter.toml")
    workout = check_workout(plan, fit_workout(plan, created=CREATED))
    (repeat,) = repeats(workout)
    assert repeat.times == 3
    first = workout.steps[repeat.back_to or 0]
    assert first.name == "BACKWARD 30s"
    assert len(workout.steps) < len(plan.steps)


# -- the file ------------------------------------------------------------------------------


def test_the_file_id_comes_first_and_says_when_it_was_made() -> None:
    plan = plan_of('[[step]]\nduration = "1m"\nspeed = 3.0\n')
    workout = check_workout(plan, fit_workout(plan, created=CREATED))
    assert workout.message_names == ["file_id", "workout", "workout_step"]
    assert workout.file_id["manufacturer"] == "development"
    assert workout.file_id["time_created"] == CREATED
    assert workout.file_id["serial_number"] != 0


def test_the_same_plan_and_time_give_the_same_bytes() -> None:
    plan = load_plan(PLANS / "advanced-incline.toml")
    assert fit_workout(plan, created=CREATED) == fit_workout(plan, created=CREATED)


def test_without_a_time_the_file_is_made_now() -> None:
    plan = plan_of('[[step]]\nduration = "1m"\n')
    before = datetime.now(UTC).replace(microsecond=0)
    workout = check_workout(plan, fit_workout(plan))
    assert before <= workout.file_id["time_created"] <= datetime.now(UTC)


def test_durations_are_written_in_milliseconds() -> None:
    plan = plan_of('[[step]]\nduration = "1h2m3s"\n\n[[step]]\nduration = 1\n')
    workout = check_workout(plan, fit_workout(plan, created=CREATED))
    assert [step.duration_ms for step in workout.steps] == [3_723_000, 1_000]


# -- targets, intensities and names -----------------------------------------------------------


def test_mph_speeds_become_metres_a_second() -> None:
    plan = plan_of('[[step]]\nduration = "1m"\nspeed = 3.0\n', units="mph")
    (step,) = check_workout(plan, fit_workout(plan, created=CREATED)).steps
    # 3 mph = 1.341 m/s; the band is the wider of 0.1 m/s and 3 %.
    assert (step.speed_low_mms, step.speed_high_mms) == (1241, 1441)


def test_kmh_speeds_become_metres_a_second() -> None:
    plan = plan_of('[[step]]\nduration = "1m"\nspeed = 18.0\n', units="kmh")
    (step,) = check_workout(plan, fit_workout(plan, created=CREATED)).steps
    # 18 km/h = 5 m/s, where 3 % (0.15 m/s) is wider than 0.1 m/s.
    assert (step.speed_low_mms, step.speed_high_mms) == (4850, 5150)


def test_a_step_without_a_speed_has_an_open_target() -> None:
    plan = plan_of('[[step]]\nkind = "recover"\nduration = "2m"\n')
    (step,) = check_workout(plan, fit_workout(plan, created=CREATED)).steps
    assert step.target_type == "open"
    assert step.speed_low_mms is None


def test_a_very_slow_step_keeps_its_target_above_zero() -> None:
    plan = plan_of('[[step]]\nduration = "1m"\nspeed = 0.1\n', units="kmh")
    (step,) = check_workout(plan, fit_workout(plan, created=CREATED)).steps
    assert step.speed_low_mms == 0
    assert step.speed_high_mms == 128  # 0.028 m/s + 0.1


def test_kinds_become_intensities() -> None:
    plan = plan_of(
        "".join(
            f'[[step]]\nkind = "{kind}"\nduration = "1m"\n\n'
            for kind in ("warmup", "work", "recover", "cooldown")
        )
    )
    workout = check_workout(plan, fit_workout(plan, created=CREATED))
    assert [step.intensity for step in workout.steps] == ["warmup", "active", "rest", "cooldown"]


@pytest.mark.parametrize(
    ("duration", "name"),
    [
        ('"30s"', "BACKWARD 30s"),
        ('"1m"', "BACKWARD 1m"),
        ('"1m30s"', "BACKWARD 1m30s"),
        ('"1h"', "BACKWARD 1h00m"),
        ('"1h1m1s"', "BACKWARD"),  # "BACKWARD 1h01m01s" is 17 characters
    ],
)
def test_backward_steps_are_named_backward(duration: str, name: str) -> None:
    plan = plan_of(
        f'[[step]]\nname = "Careful backward walk"\ndirection = "backward"\n'
        f'kind = "recover"\nduration = {duration}\nspeed = 1.0\n'
    )
    (step,) = check_workout(plan, fit_workout(plan, created=CREATED)).steps
    assert step.name == name
    assert step.notes == "Careful backward walk; 1 mph"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Forward walk", "Forward walk"),
        ("Walk and get ready", "Walk and get"),
        ("Incline up to 2 %", "Incline up to 2"),
        ("Supercalifragilistic", "Supercalifragili"),
        ("Échauffement très doux", "Échauffement"),
        ("ÄÖÜÄÖÜÄÖÜ", "ÄÖÜÄÖÜÄÖ"),  # two bytes a letter: 16 bytes hold eight
    ],
)
def test_forward_names_are_cut_at_a_word_to_fit_a_watch(written: str, shown: str) -> None:
    plan = plan_of(f'[[step]]\nname = "{written}"\nduration = "1m"\nincline = 2.0\n')
    (step,) = check_workout(plan, fit_workout(plan, created=CREATED)).steps
    assert step.name == shown
    assert step.notes == f"{written}; incline 2 %"
    assert step_name(plan.steps[0]) == shown


# -- repeats ---------------------------------------------------------------------------------

INTERVALS = """\
[[step]]
kind = "warmup"
duration = "5m"
speed = 3.0

[[step]]
name = "Set"
repeat = 4
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 2.0
  [[step.step]]
  kind = "recover"
  duration = "1m"
  speed = 3.0

[[step]]
kind = "cooldown"
duration = "4m"
"""


def test_a_regular_block_becomes_a_repeat_step() -> None:
    plan = plan_of(INTERVALS)
    workout = check_workout(plan, fit_workout(plan, created=CREATED))
    assert [step.duration_type for step in workout.steps] == ["time"] * 3 + [REPEAT, "time"]
    repeat = workout.steps[3]
    assert (repeat.back_to, repeat.times) == (1, 4)
    assert workout.steps[1].name == "BACKWARD 30s"
    assert workout.workout["num_valid_steps"] == 5


def test_a_block_done_once_is_written_without_a_repeat() -> None:
    plan = plan_of(INTERVALS.replace("repeat = 4", "repeat = 1"))
    workout = check_workout(plan, fit_workout(plan, created=CREATED))
    assert repeats(workout) == []
    assert len(workout.steps) == 4


NESTED = """\
[[step]]
duration = "2m"

[[step]]
name = "Sets"
repeat = 2
  [[step.step]]
  name = "Bouts"
  repeat = 3
    [[step.step.step]]
    direction = "backward"
    duration = "20s"
    speed = 2.5
    [[step.step.step]]
    kind = "recover"
    duration = "40s"
  [[step.step]]
  name = "Set break"
  kind = "recover"
  duration = "2m"
"""


def test_nested_blocks_repeat_the_outer_one_and_write_the_inner_one_out() -> None:
    plan = plan_of(NESTED)
    workout = check_workout(plan, fit_workout(plan, created=CREATED))
    (repeat,) = repeats(workout)
    assert (repeat.back_to, repeat.times) == (1, 2)
    # One round of the outer block: the inner block's 3 bouts written out, then the break.
    assert len(workout.steps) == 1 + 3 * 2 + 1 + 1


def changed_in_round_two(plan: Plan, name: str) -> Plan:
    """``plan`` with the step called ``name`` a second longer in round 2 of its outer block."""
    steps = tuple(
        dataclasses.replace(step, duration_s=step.duration_s + 1)
        if step.name == name and step.origin.rounds[0][0] == 2
        else step
        for step in plan.steps
    )
    return dataclasses.replace(plan, steps=steps)


def test_a_block_whose_rounds_differ_is_written_out() -> None:
    plan = changed_in_round_two(plan_of(INTERVALS), "Recovery")
    workout = check_workout(plan, fit_workout(plan, created=CREATED))
    assert repeats(workout) == []
    assert len(workout.steps) == len(plan.steps)


def test_inside_a_block_whose_rounds_differ_the_inner_blocks_repeat() -> None:
    plan = changed_in_round_two(plan_of(NESTED), "Set break")
    workout = check_workout(plan, fit_workout(plan, created=CREATED))
    assert [(step.back_to, step.times) for step in repeats(workout)] == [(1, 3), (5, 3)]


def test_the_steps_before_encoding_say_the_same() -> None:
    steps = workout_steps(plan_of(INTERVALS))
    kinds = [type(step) for step in steps]
    assert kinds == [TimedStep, TimedStep, TimedStep, RepeatStep, TimedStep]
    assert steps[3] == RepeatStep(back_to=1, times=4)


# -- any plan --------------------------------------------------------------------------------

NAMES = st.text(alphabet="abcXYZ éßü%,-0123456789", min_size=1, max_size=24).map(str.strip)


@st.composite
def plain_steps(draw: st.DrawFn) -> dict[str, Any]:
    step: dict[str, Any] = {
        "kind": draw(st.sampled_from([kind.value for kind in Kind])),
        "direction": draw(st.sampled_from(["forward", "backward"])),
        "duration": draw(st.integers(1, 90)),
    }
    name = draw(NAMES)
    if name and draw(st.booleans()):
        step["name"] = name
    if draw(st.booleans()):
        step["speed"] = draw(st.integers(1, 120)) / 10
    if draw(st.booleans()):
        step["incline"] = float(draw(st.integers(0, 10)))
    return step


@st.composite
def ladders(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.integers(1, 10)) / 2
    rungs = draw(st.integers(1, 4))
    return {
        "direction": draw(st.sampled_from(["forward", "backward"])),
        "ladder": {"from": start, "to": start + 0.5 * (rungs - 1), "by": 0.5, "hold": 30},
    }


def blocks(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"repeat": st.integers(1, 4), "step": st.lists(children, min_size=1, max_size=3)}
    )


LEAVES = plain_steps() | ladders()
# A top-level step, a block of steps, or a block of blocks: the format's three levels.
TOP_STEPS = LEAVES | blocks(LEAVES) | blocks(LEAVES | blocks(LEAVES))


def seconds_and_count(step: dict[str, Any]) -> tuple[int, int]:
    """What the loader should make of ``step``: its seconds and its number of steps."""
    if "ladder" in step:
        ladder = step["ladder"]
        rungs = round((ladder["to"] - ladder["from"]) / ladder["by"]) + 1
        return rungs * ladder["hold"], rungs
    if "repeat" in step:
        inner = [seconds_and_count(child) for child in step["step"]]
        return (
            step["repeat"] * sum(seconds for seconds, _ in inner),
            step["repeat"] * sum(count for _, count in inner),
        )
    return step["duration"], 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(TOP_STEPS, min_size=1, max_size=5),
    units=st.sampled_from(["mph", "kmh"]),
)
def test_any_plan_comes_back_step_for_step(steps: list[dict[str, Any]], units: str) -> None:
    seconds = sum(seconds_and_count(step)[0] for step in steps)
    count = sum(seconds_and_count(step)[1] for step in steps)
    assert seconds <= MAX_TOTAL_S and count <= MAX_STEPS  # the strategies stay in bounds
    text = tomli_w.dumps({"plan": {"name": "Any plan", "units": units}, "step": steps})
    plan = parse_plan_text(text)
    assert plan.total_s == seconds

    workout = check_workout(plan, fit_workout(plan, created=CREATED))
    timeline = expand(workout.steps)
    assert [step.duration_ms for step in timeline] == [s.duration_s * 1000 for s in plan.steps]
    assert sum(step.duration_ms or 0 for step in timeline) == plan.total_s * 1000
    # One level of repeats: each repeated block starts after the one before it ended.
    ends = [-1] + [step.index for step in repeats(workout)]
    starts = [step.back_to or 0 for step in repeats(workout)]
    assert all(start > end for start, end in zip(starts, ends, strict=False))


@pytest.mark.parametrize(
    ("target", "said"), [("2", "heart-rate zone 2"), ("[2, 3]", "heart-rate zones 2-3")]
)
def test_a_target_heart_rate_zone_goes_in_the_notes(target: str, said: str) -> None:
    plan = plan_of(
        f'[[step]]\nname = "Steady"\nduration = "5m"\nspeed = 5.0\ntarget_hr_zone = {target}\n'
    )
    (step,) = check_workout(plan, fit_workout(plan, created=CREATED)).steps
    assert step.notes == f"Steady; 5 mph; {said}"
