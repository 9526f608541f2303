"""Zwift workout (.zwo) export: the XML parses, and the plan can be read back out of it.

Every file is parsed with the standard library and played back the way Zwift
runs it (an IntervalsT round by round, its text events assigned to the round
and half they fall in). The steps played back must be the plan's timeline:
the same seconds, each speed within the rounding of its share, every backward
step announced with BACKWARD, every turn back to forward said, and the cues at
their times.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from retro_tui.interchange.zwo_write import (
    BACKWARD_PREFIX,
    FORWARD_AGAIN_PREFIX,
    IntervalsT,
    ReferencePaceNeeded,
    SteadyState,
    TextEvent,
    share_of,
    workout_intervals,
    zwo_workout,
)
from retro_tui.plan import Kind, Plan, load_plan, parse_plan_text
from retro_tui.plan.folders import is_program_file
from retro_tui.plan.program import load_program

PLANS = Path(__file__).resolve().parents[2] / "plans"
FIVE_KM_MPH = 7.5  # an 8:00 a mile 5 km
HEADER = ["author", "name", "description", "sportType", "tags", "workout"]


# -- playing a file back ------------------------------------------------------------------------


@dataclass(frozen=True)
class Played:
    """One step as Zwift runs it: its seconds, its share of the pace and its messages."""

    duration_s: int
    share: float | None
    events: list[tuple[int, str]]


def parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode())
    assert root.tag == "workout_file"
    assert [child.tag for child in root] == HEADER
    return root


def events_of(element: ET.Element) -> list[tuple[int, str]]:
    assert all(child.tag == "textevent" for child in element)
    assert all(set(child.attrib) == {"timeoffset", "message"} for child in element)
    return [(int(child.attrib["timeoffset"]), child.attrib["message"]) for child in element]


def play(root: ET.Element) -> list[Played]:
    """The workout's steps in the order Zwift runs them."""
    workout = root.find("workout")
    assert workout is not None
    played: list[Played] = []
    for element in workout:
        attrib = element.attrib
        events = events_of(element)
        if element.tag == "FreeRide":
            assert set(attrib) == {"Duration"}
            played.append(Played(int(attrib["Duration"]), None, events))
        elif element.tag == "SteadyState":
            assert list(attrib) == ["Duration", "Power", "pace"]
            assert attrib["pace"] == "1"
            played.append(Played(int(attrib["Duration"]), float(attrib["Power"]), events))
        else:
            assert element.tag == "IntervalsT"
            assert list(attrib) == [
                "Repeat",
                "OnDuration",
                "OffDuration",
                "OnPower",
                "OffPower",
                "pace",
            ]
            assert attrib["pace"] == "1"
            repeat, on, off = (int(attrib[key]) for key in ("Repeat", "OnDuration", "OffDuration"))
            assert repeat >= 2
            rounds = [
                (
                    Played(on, float(attrib["OnPower"]), []),
                    Played(off, float(attrib["OffPower"]), []),
                )
                for _ in range(repeat)
            ]
            for offset, message in events:
                round_index, within = divmod(offset, on + off)
                assert round_index < repeat
                half, at = (0, within) if within < on else (1, within - on)
                rounds[round_index][half].events.append((at, message))
            played += [step for pair in rounds for step in pair]
    return played


def expected_events(plan: Plan, index: int) -> list[tuple[int, str]]:
    """The messages step ``index`` of ``plan`` must carry, in order."""
    step = plan.steps[index]
    events = []
    if step.is_backward:
        events.append((0, BACKWARD_PREFIX + step.name))
    elif index > 0 and plan.steps[index - 1].is_backward:
        events.append((0, FORWARD_AGAIN_PREFIX + step.name))
    cues = sorted(step.cues, key=lambda cue: cue.at or 0)
    return events + [(cue.at or 0, cue.text) for cue in cues]


def check_zwo(plan: Plan, reference: float | None = FIVE_KM_MPH) -> ET.Element:
    """Everything the .zwo file of ``plan`` must say; its root element."""
    root = parse(zwo_workout(plan, reference))
    assert root.findtext("author") == "retro-tui"
    assert root.findtext("name") == plan.name
    assert (root.findtext("description") or "") == plan.summary
    assert root.findtext("sportType") == "run"
    tags = root.find("tags")
    assert tags is not None and len(tags) == 0 and not (tags.text or "").strip()

    played = play(root)
    assert len(played) == len(plan.steps)
    assert sum(step.duration_s for step in played) == plan.total_s
    for index, (back, step) in enumerate(zip(played, plan.steps, strict=True)):
        assert back.duration_s == step.duration_s
        if step.speed is None:
            assert back.share is None
        else:
            assert back.share is not None and reference is not None
            # Rounded to the nearest hundredth, never below 0.01.
            assert back.share >= 0.01
            assert abs(back.share * reference - step.speed) <= max(
                0.005 * reference + 1e-9, 0.01 * reference - step.speed
            )
        assert back.events == expected_events(plan, index), step.name
    return root


def plan_of(steps_toml: str, units: str = "mph", name: str = "Test plan") -> Plan:
    return parse_plan_text(f"[plan]\nname = {name!r}\nunits = {units!r}\n\n{steps_toml}")


def elements(root: ET.Element) -> list[tuple[str, dict[str, str]]]:
    workout = root.find("workout")
    assert workout is not None
    return [(element.tag, dict(element.attrib)) for element in workout]


# -- the bundled plans --------------------------------------------------------------------------


def bundled_plans() -> list[Any]:
    params = []
    for path in sorted(PLANS.glob("*.toml")):
        if is_program_file(path):
            for session in load_program(path, [PLANS]).sessions:
                params.append(pytest.param(session.plan, id=f"{path.stem}-{session.label}"))
        else:
            params.append(pytest.param(load_plan(path), id=path.stem))
    return params


@pytest.mark.parametrize("plan", bundled_plans())
def test_every_bundled_plan_exports_and_plays_back(plan: Plan) -> None:
    check_zwo(plan)


def test_the_starter_plan_repeats_its_intervals() -> None:
    root = check_zwo(load_plan(PLANS / "starter.toml"))
    assert elements(root) == [
        ("SteadyState", {"Duration": "60", "Power": "0.47", "pace": "1"}),
        ("SteadyState", {"Duration": "60", "Power": "0.53", "pace": "1"}),
        ("SteadyState", {"Duration": "60", "Power": "0.60", "pace": "1"}),
        ("SteadyState", {"Duration": "900", "Power": "0.67", "pace": "1"}),
        ("SteadyState", {"Duration": "60", "Power": "0.40", "pace": "1"}),
        (
            "IntervalsT",
            {
                "Repeat": "3",
                "OnDuration": "30",
                "OffDuration": "90",
                "OnPower": "0.33",
                "OffPower": "0.40",
                "pace": "1",
            },
        ),
        ("SteadyState", {"Duration": "240", "Power": "0.40", "pace": "1"}),
    ]
    intervals = root.find("workout/IntervalsT")
    assert intervals is not None
    assert events_of(intervals)[:5] == [
        (0, "BACKWARD: Backward"),
        (0, "Short, quick steps"),
        (0, "Land on the ball of your foot, then let the heel down"),
        (15, "Halfway: eyes on your mark, don't look back"),
        (30, "Turn to face forward: Recovery walk"),
    ]
    # Each of the three rounds says it again, at its own time.
    assert [at for at, text in events_of(intervals) if text.startswith("BACKWARD")] == [0, 120, 240]


def test_the_header_is_the_plan_and_nothing_else() -> None:
    plan = load_plan(PLANS / "starter.toml")
    root = parse(zwo_workout(plan, FIVE_KM_MPH))
    assert [(child.tag, child.text, dict(child.attrib)) for child in root][:5] == [
        ("author", "retro-tui", {}),
        ("name", "Retro starter", {}),
        ("description", plan.summary, {}),
        ("sportType", "run", {}),
        ("tags", None, {}),
    ]


def test_the_same_plan_gives_the_same_text() -> None:
    plan = load_plan(PLANS / "block-session.toml")
    assert zwo_workout(plan, FIVE_KM_MPH) == zwo_workout(plan, FIVE_KM_MPH)


# -- repeats ------------------------------------------------------------------------------------

INTERVALS = """\
[[step]]
kind = "warmup"
duration = "5m"
speed = 3.75

[[step]]
name = "Set"
repeat = 4
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 1.5
  [[step.step]]
  kind = "recover"
  duration = "1m"
  speed = 3.0

[[step]]
kind = "cooldown"
duration = "4m"
"""


def test_an_on_off_block_becomes_an_intervals_t() -> None:
    root = check_zwo(plan_of(INTERVALS))
    assert elements(root) == [
        ("SteadyState", {"Duration": "300", "Power": "0.50", "pace": "1"}),
        (
            "IntervalsT",
            {
                "Repeat": "4",
                "OnDuration": "30",
                "OffDuration": "60",
                "OnPower": "0.20",
                "OffPower": "0.40",
                "pace": "1",
            },
        ),
        ("FreeRide", {"Duration": "240"}),
    ]
    intervals = root.find("workout/IntervalsT")
    assert intervals is not None
    assert events_of(intervals) == [
        event
        for start in (0, 90, 180, 270)
        for event in [(start, "BACKWARD: Backward"), (start + 30, "Turn to face forward: Recovery")]
    ]


def test_a_block_done_once_is_written_out() -> None:
    root = check_zwo(plan_of(INTERVALS.replace("repeat = 4", "repeat = 1")))
    assert [tag for tag, _ in elements(root)] == ["SteadyState"] * 3 + ["FreeRide"]


def test_a_block_with_a_step_without_speed_is_written_out() -> None:
    plan = plan_of(INTERVALS.replace('duration = "1m"\n  speed = 3.0', 'duration = "1m"'))
    root = check_zwo(plan)
    assert [tag for tag, _ in elements(root)] == ["SteadyState"] + [
        "SteadyState",
        "FreeRide",
    ] * 4 + ["FreeRide"]


def test_a_block_of_three_steps_is_written_out_round_by_round() -> None:
    plan = plan_of(
        "[[step]]\nrepeat = 2\nstep = [\n  { duration = 60, speed = 3.0 },\n"
        '  { direction = "backward", duration = 30, speed = 1.5 },\n'
        '  { kind = "recover", duration = 60, speed = 3.0 },\n]\n'
    )
    root = check_zwo(plan)
    assert [attrib["Duration"] for _, attrib in elements(root)] == ["60", "30", "60"] * 2
    workout = root.find("workout")
    assert workout is not None
    # The first step of round 2 comes after a forward step: no turn to announce.
    assert events_of(workout[3]) == []
    assert events_of(workout[4]) == [(0, "BACKWARD: Backward")]


NESTED = """\
[[step]]
duration = "2m"
speed = 3.0

[[step]]
name = "Sets"
repeat = 2
  [[step.step]]
  name = "Bouts"
  repeat = 3
    [[step.step.step]]
    direction = "backward"
    duration = "20s"
    speed = 2.25
    [[step.step.step]]
    kind = "recover"
    duration = "40s"
    speed = 3.0
  [[step.step]]
  name = "Set break"
  kind = "recover"
  duration = "2m"
"""


def test_nested_blocks_write_the_outer_out_and_repeat_the_inner() -> None:
    root = check_zwo(plan_of(NESTED))
    bouts = {
        "Repeat": "3",
        "OnDuration": "20",
        "OffDuration": "40",
        "OnPower": "0.30",
        "OffPower": "0.40",
        "pace": "1",
    }
    assert elements(root) == [
        ("SteadyState", {"Duration": "120", "Power": "0.40", "pace": "1"}),
        ("IntervalsT", bouts),
        ("FreeRide", {"Duration": "120"}),
        ("IntervalsT", bouts),
        ("FreeRide", {"Duration": "120"}),
    ]


def test_a_ladder_of_two_rungs_repeated_is_an_intervals_t() -> None:
    plan = plan_of(
        '[[step]]\nrepeat = 3\n  [[step.step]]\n  direction = "backward"\n'
        '  ladder = { from = 1.5, to = 3.0, by = 1.5, hold = "1m" }\n'
    )
    root = check_zwo(plan)
    assert elements(root) == [
        (
            "IntervalsT",
            {
                "Repeat": "3",
                "OnDuration": "60",
                "OffDuration": "60",
                "OnPower": "0.20",
                "OffPower": "0.40",
                "pace": "1",
            },
        )
    ]


def test_a_ladder_is_one_steady_state_a_rung() -> None:
    plan = plan_of(
        '[[step]]\nname = "Backward ladder"\ndirection = "backward"\n'
        'ladder = { from = 1.5, to = 3.0, by = 0.75, hold = "1m" }\n'
        'cues = [{ at = "30s", text = "Steady?" }]\n\n'
        '[[step]]\nname = "Walk"\nkind = "recover"\nduration = "2m"\nspeed = 3.0\n'
    )
    root = check_zwo(plan)
    assert [(tag, attrib.get("Power")) for tag, attrib in elements(root)] == [
        ("SteadyState", "0.20"),
        ("SteadyState", "0.30"),
        ("SteadyState", "0.40"),
        ("SteadyState", "0.40"),
    ]
    workout = root.find("workout")
    assert workout is not None
    assert [events_of(element) for element in workout] == [
        [(0, "BACKWARD: Backward ladder"), (30, "Steady?")],
        [(0, "BACKWARD: Backward ladder"), (30, "Steady?")],
        [(0, "BACKWARD: Backward ladder"), (30, "Steady?")],
        [(0, "Turn to face forward: Walk")],
    ]


# -- cues, text and speeds ------------------------------------------------------------------------


def test_cues_become_text_events_at_their_times_plain_ones_at_the_start() -> None:
    plan = plan_of(
        '[[step]]\nduration = "2m"\nspeed = 3.0\n'
        'cues = [{ at = "1m30s", text = "Late" }, "Plain", { at = "0s", text = "At once" },'
        ' { at = "10s", text = "Soon" }]\n'
    )
    root = check_zwo(plan)
    workout = root.find("workout")
    assert workout is not None
    assert events_of(workout[0]) == [(0, "Plain"), (0, "At once"), (10, "Soon"), (90, "Late")]


def test_a_plan_without_speeds_needs_no_pace_and_is_free_ride() -> None:
    plan = plan_of(
        '[[step]]\nduration = "5m"\n\n[[step]]\ndirection = "backward"\nduration = 30\n\n'
        '[[step]]\nkind = "cooldown"\nduration = "3m"\n'
    )
    root = check_zwo(plan, reference=None)
    assert elements(root) == [
        ("FreeRide", {"Duration": "300"}),
        ("FreeRide", {"Duration": "30"}),
        ("FreeRide", {"Duration": "180"}),
    ]
    assert zwo_workout(plan) == zwo_workout(plan, FIVE_KM_MPH)


def test_speeds_without_a_reference_pace_are_refused() -> None:
    plan = plan_of('[[step]]\nduration = "5m"\nspeed = 3.0\n')
    with pytest.raises(ReferencePaceNeeded, match="5 km"):
        zwo_workout(plan)


@pytest.mark.parametrize("reference", [0.0, -7.5, math.nan, math.inf])
def test_a_reference_speed_must_be_above_zero(reference: float) -> None:
    plan = plan_of('[[step]]\nduration = "5m"\nspeed = 3.0\n')
    with pytest.raises(ValueError, match="above zero"):
        zwo_workout(plan, reference)


def test_kmh_speeds_are_shares_of_a_kmh_pace() -> None:
    plan = plan_of(
        '[[step]]\nduration = "5m"\nspeed = 6.0\n\n[[step]]\nduration = "1m"\nspeed = 13.2\n',
        units="kmh",
    )
    root = check_zwo(plan, reference=12.0)  # a 5:00 a km 5 km
    assert [attrib["Power"] for _, attrib in elements(root)] == ["0.50", "1.10"]


@pytest.mark.parametrize(
    ("speed", "reference", "share"),
    [
        (7.5, 7.5, "1.00"),
        (2.5, 7.5, "0.33"),
        (5.0, 7.5, "0.67"),
        (1.125, 1.0, "1.13"),  # halves go up (Python's round() would give 1.12)
        (1.115, 1.0, "1.12"),
        (9.0, 6.0, "1.50"),
        (0.1, 24.0, "0.01"),  # 0.004 would be 0.00, which reads as no speed
    ],
)
def test_shares_are_rounded_to_the_nearest_hundredth(
    speed: float, reference: float, share: str
) -> None:
    assert share_of(speed, reference) == share


def test_names_and_cues_are_escaped_and_kept_as_written() -> None:
    name = 'Tom & Jerry <fast> "run"'
    cue = 'Arms [relaxed] [/] & <b>bold</b> "quoted"'
    plan = parse_plan_text(
        tomli_w.dumps(
            {
                "plan": {"name": name, "summary": "Line one\n\tline <two> & three"},
                "step": [
                    {"name": name, "direction": "backward", "duration": 30, "cues": [cue]},
                ],
            }
        )
    )
    text = zwo_workout(plan)
    assert "<fast>" not in text and "<b>" not in text
    assert "&lt;fast&gt;" in text and "&amp;" in text
    root = check_zwo(plan, reference=None)
    assert root.findtext("name") == name
    assert root.findtext("description") == "Line one\n\tline <two> & three"
    workout = root.find("workout")
    assert workout is not None
    assert events_of(workout[0]) == [(0, f"BACKWARD: {name}"), (0, cue)]


def test_the_intervals_before_the_xml_say_the_same() -> None:
    intervals = workout_intervals(plan_of(INTERVALS), FIVE_KM_MPH)
    assert [type(interval) for interval in intervals] == [SteadyState, IntervalsT, SteadyState]
    assert intervals[2] == SteadyState(duration_s=240, share=None, events=())
    assert isinstance(intervals[1], IntervalsT)
    assert intervals[1].events[:2] == (
        TextEvent(0, "BACKWARD: Backward"),
        TextEvent(30, "Turn to face forward: Recovery"),
    )


# -- any plan ------------------------------------------------------------------------------

TEXTS = st.text(alphabet="abcXYZ <>&\"'[]/éß%", min_size=1, max_size=20).filter(str.strip)


@st.composite
def cues(draw: st.DrawFn, within_s: int) -> list[Any]:
    written: list[Any] = []
    for _ in range(draw(st.integers(0, 3))):
        text = draw(TEXTS).strip()
        if draw(st.booleans()):
            written.append(text)
        else:
            written.append({"at": draw(st.integers(0, within_s - 1)), "text": text})
    return written


@st.composite
def plain_steps(draw: st.DrawFn) -> dict[str, Any]:
    duration = draw(st.integers(1, 90))
    step: dict[str, Any] = {
        "kind": draw(st.sampled_from([kind.value for kind in Kind])),
        "direction": draw(st.sampled_from(["forward", "backward"])),
        "duration": duration,
        "cues": draw(cues(duration)),
    }
    if draw(st.booleans()):
        step["name"] = draw(TEXTS).strip()
    if draw(st.integers(0, 3)):
        step["speed"] = draw(st.integers(1, 150)) / 10
    return step


@st.composite
def ladders(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.integers(1, 10)) / 2
    rungs = draw(st.integers(1, 3))
    return {
        "direction": draw(st.sampled_from(["forward", "backward"])),
        "ladder": {"from": start, "to": start + 0.5 * (rungs - 1), "by": 0.5, "hold": 30},
        "cues": draw(cues(30)),
    }


def blocks(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"repeat": st.integers(1, 3), "step": st.lists(children, min_size=1, max_size=2)}
    )


LEAVES = plain_steps() | ladders()
# A top-level step, a block of steps, or a block of blocks: the format's three levels, kept
# small enough that no plan passes the limits (3 x 2 x 3 x 2 x 90 s, three times, is 2:42:00).
TOP_STEPS = LEAVES | blocks(LEAVES) | blocks(LEAVES | blocks(LEAVES))


@settings(max_examples=60)
@given(
    steps=st.lists(TOP_STEPS, min_size=1, max_size=3),
    units=st.sampled_from(["mph", "kmh"]),
    reference=st.integers(40, 240).map(lambda tenths: tenths / 10),
)
def test_any_plan_plays_back_second_for_second(
    steps: list[dict[str, Any]], units: str, reference: float
) -> None:
    plan = parse_plan_text(
        tomli_w.dumps({"plan": {"name": "Any <plan> & more", "units": units}, "step": steps})
    )
    root = check_zwo(plan, reference)
    # Every element's seconds, repeats counted, add up to the plan's.
    workout = root.find("workout")
    assert workout is not None
    total = 0
    for element in workout:
        attrib = element.attrib
        if element.tag == "IntervalsT":
            total += int(attrib["Repeat"]) * (
                int(attrib["OnDuration"]) + int(attrib["OffDuration"])
            )
        else:
            total += int(attrib["Duration"])
    assert total == plan.total_s
    # Every backward step says so, first thing; no forward step does.
    for back, step in zip(play(root), plan.steps, strict=True):
        announced = back.events[:1] == [(0, BACKWARD_PREFIX + step.name)]
        assert announced == step.is_backward
