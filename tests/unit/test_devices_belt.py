"""The belt planner: the plan's speeds and inclines reached the way the safety rules say."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retro_tui.devices.belt import (
    HOLD_S,
    SETTLE_S,
    BeltAction,
    BeltPlanner,
    Say,
    SetIncline,
    SetSpeed,
    speed_words,
)
from retro_tui.devices.protocol import InclineRange, SpeedRange
from retro_tui.plan.model import KMH_PER_MPH, Direction, Kind, Origin, Step, Units, from_kmh, to_kmh

SPEEDS = SpeedRange(0.8, 16.0, 0.1)
INCLINES = InclineRange(0.0, 15.0, 0.5)


def step(
    direction: Direction = Direction.BACKWARD,
    speed: float | None = 3.0,
    incline: float | None = None,
    kind: Kind = Kind.WORK,
    duration_s: int = 600,
) -> Step:
    return Step("Step", kind, direction, duration_s, Origin((0,), 1), speed=speed, incline=incline)


def planner(units: Units = Units.KMH) -> BeltPlanner:
    return BeltPlanner(units, SPEEDS, INCLINES)


def commands(actions: list[BeltAction]) -> list[BeltAction]:
    return [action for action in actions if not isinstance(action, Say)]


def words(actions: list[BeltAction]) -> list[str]:
    return [action.text for action in actions if isinstance(action, Say)]


def run(belt: BeltPlanner, start: float, end: float, every: float = 1.0) -> list[BeltAction]:
    """Updates once a second from ``start`` to ``end``, the belt where it was asked to be."""
    actions: list[BeltAction] = []
    now = start
    while now <= end + 1e-9:
        actions += belt.update(
            now, running=True, belt_kmh=belt.target_kmh, belt_incline=belt.target_incline
        )
        now += every
    return actions


def test_backward_starts_at_the_lowest_speed_and_says_where_it_is_going() -> None:
    belt = planner()
    actions = belt.start_step(step(speed=3.0), now=0.0)
    assert commands(actions) == [SetSpeed(0.8)]
    assert words(actions) == ["Belt at 0.8, then up 0.8 a minute to 3.0"]
    assert belt.ramping


def test_the_ramp_rises_a_raise_a_minute_until_the_step_speed() -> None:
    belt = planner()
    belt.start_step(step(speed=3.0), now=0.0)
    assert commands(run(belt, 1, 59)) == []
    assert commands(run(belt, 60, 60)) == [SetSpeed(1.6)]
    assert commands(run(belt, 61, 119)) == []
    assert commands(run(belt, 120, 120)) == [SetSpeed(2.4)]
    last = run(belt, 121, 180)
    assert commands(last) == [SetSpeed(3.0)]
    assert words(last) == ["Speeding up to 3.0"]
    assert not belt.ramping
    assert commands(run(belt, 181, 600)) == []


def test_in_mph_the_ramp_is_half_a_mile_an_hour_and_said_in_mph() -> None:
    belt = planner(Units.MPH)
    actions = belt.start_step(step(speed=2.0), now=0.0)
    assert words(actions) == ["Belt at 0.5, then up 0.5 a minute to 2.0"]
    rises = [a.kmh for a in commands(run(belt, 1, 400)) if isinstance(a, SetSpeed)]
    assert rises[-1] == SPEEDS.clamp(2.0 * KMH_PER_MPH) == 3.2  # on the belt's 0.1 grid
    steps_up = [b - a for a, b in zip([0.8, *rises], rises, strict=False)]
    assert all(up <= 0.5 * KMH_PER_MPH + 1e-6 for up in steps_up)


def test_a_paused_workout_holds_the_ramp() -> None:
    belt = planner()
    belt.start_step(step(speed=3.0), now=0.0)
    run(belt, 1, 30)
    for now in range(31, 300):
        assert belt.update(now, running=False, belt_kmh=0.0, belt_incline=0.0) == []
    assert commands(run(belt, 300, 328)) == []
    assert commands(run(belt, 329, 330)) == [SetSpeed(1.6)]


def test_what_was_held_carries_over_to_the_next_backward_step() -> None:
    belt = planner()
    belt.start_step(step(speed=3.0, duration_s=90), now=0.0)
    run(belt, 1, 90)
    assert belt.target_kmh == 1.6
    rest = belt.start_step(step(Direction.FORWARD, speed=4.0, kind=Kind.RECOVER), now=90.0)
    assert commands(rest) == [SetSpeed(4.0)]  # forward: straight to the speed
    run(belt, 91, 150)
    again = belt.start_step(step(speed=3.0), now=150.0)
    assert commands(again) == [SetSpeed(1.6)]
    assert words(again) == ["Belt at 1.6, then up 0.8 a minute to 3.0"]
    # The 30 s held at 1.6 in the first interval count: 30 more and it rises.
    assert commands(run(belt, 151, 179)) == []
    assert commands(run(belt, 180, 181)) == [SetSpeed(2.4)]


def test_slower_is_at_once() -> None:
    belt = planner()
    belt.start_step(step(speed=3.0), now=0.0)
    run(belt, 1, 200)
    assert belt.target_kmh == 3.0
    slower = belt.start_step(step(speed=2.0), now=200.0)
    assert commands(slower) == [SetSpeed(2.0)]
    assert words(slower) == ["Slowing to 2.0"]


def test_a_step_without_a_speed_leaves_the_belt_alone() -> None:
    belt = planner()
    belt.start_step(step(speed=3.0), now=0.0)
    assert belt.start_step(step(Direction.FORWARD, speed=None), now=10.0) == []
    assert commands(run(belt, 11, 200)) == []


def test_a_backward_step_without_a_speed_never_starts_on_a_fast_belt() -> None:
    belt = planner()
    belt.start_step(step(Direction.FORWARD, speed=5.0, kind=Kind.WARMUP), now=0.0)
    turned = belt.start_step(step(speed=None), now=300.0)
    assert commands(turned) == [SetSpeed(0.8)]
    assert words(turned) == ["Slowing to 0.8"]
    assert commands(run(belt, 301, 600)) == []  # from there, the person's to set


def test_speed_and_incline_never_change_together_the_easier_goes_first() -> None:
    belt = planner()
    first = belt.start_step(step(Direction.FORWARD, speed=4.0, incline=2.0), now=0.0)
    assert commands(first) == [SetSpeed(4.0)]  # a rise in incline is the harder one
    # The incline follows once the belt reports the speed.
    later = belt.update(1.0, running=True, belt_kmh=4.0, belt_incline=0.0)
    assert commands(later) == [SetIncline(2.0)]
    assert words(later) == ["Incline 2 percent"]
    flatter = belt.start_step(step(Direction.FORWARD, speed=5.0, incline=0.0), now=100.0)
    assert commands(flatter) == [SetIncline(0.0)]  # a lower incline before a higher speed
    assert belt.update(101.0, running=True, belt_kmh=4.0, belt_incline=1.5) == []
    assert commands(belt.update(102.0, running=True, belt_kmh=4.0, belt_incline=0.0)) == [
        SetSpeed(5.0)
    ]
    belt.update(103.0, running=True, belt_kmh=5.0, belt_incline=0.0)
    belt.start_step(step(Direction.FORWARD, speed=5.0, incline=2.0), now=200.0)
    belt.update(201.0, running=True, belt_kmh=5.0, belt_incline=2.0)
    both_down = belt.start_step(step(Direction.FORWARD, speed=3.0, incline=0.0), now=300.0)
    assert commands(both_down) == [SetSpeed(3.0)]  # slower before flatter
    assert commands(belt.update(301.0, running=True, belt_kmh=3.0, belt_incline=2.0)) == [
        SetIncline(0.0)
    ]


def test_the_second_change_waits_for_the_first_only_so_long() -> None:
    belt = planner()
    belt.start_step(step(Direction.FORWARD, speed=4.0, incline=2.0), now=0.0)
    stuck = [belt.update(t, running=True, belt_kmh=1.0, belt_incline=0.0) for t in range(1, 10)]
    assert all(actions == [] for actions in stuck)
    assert commands(belt.update(SETTLE_S, running=True, belt_kmh=1.0, belt_incline=0.0)) == [
        SetIncline(2.0)
    ]


def test_an_incline_rise_waits_for_the_backward_ramp() -> None:
    belt = planner()
    start = belt.start_step(step(speed=2.4, incline=3.0), now=0.0)
    assert commands(start) == [SetSpeed(0.8)]
    assert commands(run(belt, 1, 119)) == [SetSpeed(1.6)]  # no incline while ramping
    assert commands(run(belt, 120, 120)) == [SetSpeed(2.4)]
    # Then the incline, once the belt is there (``run`` reports it there the next second).
    assert commands(run(belt, 121, 121)) == [SetIncline(3.0)]


def test_after_the_ramp_the_incline_waits_for_the_belt_or_the_settling_time() -> None:
    belt = planner()
    belt.start_step(step(speed=1.6, incline=3.0), now=0.0)
    slow = [belt.update(t, running=True, belt_kmh=0.8, belt_incline=0.0) for t in range(1, 61)]
    assert [commands(a) for a in slow if commands(a)] == [[SetSpeed(1.6)]]
    late = [belt.update(t, running=True, belt_kmh=1.0, belt_incline=0.0) for t in range(61, 80)]
    assert [(t, commands(a)) for t, a in zip(range(61, 80), late, strict=True) if a] == [
        (60 + SETTLE_S, [SetIncline(3.0)])
    ]


def test_a_speed_set_on_the_console_is_kept_for_the_step() -> None:
    belt = planner()
    belt.start_step(step(speed=3.0), now=0.0)
    run(belt, 1, 70)
    said = belt.console_speed(1.2)
    assert said == [Say("Keeping your speed, 1.2, for this step")]
    assert not belt.ramping
    assert commands(run(belt, 71, 500)) == []
    # The next step follows the plan again, from no faster than the person went.
    again = belt.start_step(step(speed=3.0), now=500.0)
    assert commands(again) == []  # the belt is at 1.2 already
    assert belt.ramping
    assert commands(run(belt, 501, 560)) == [SetSpeed(2.0)]


def test_an_incline_set_on_the_console_is_kept_for_the_step() -> None:
    belt = planner()
    belt.start_step(step(Direction.FORWARD, speed=4.0, incline=2.0), now=0.0)
    assert belt.console_incline(1.0) == [Say("Keeping your incline, 1 percent, for this step")]
    assert commands(belt.update(20.0, running=True, belt_kmh=4.0, belt_incline=1.0)) == []
    nxt = belt.start_step(step(Direction.FORWARD, speed=4.0, incline=2.0), now=30.0)
    assert commands(nxt) == [SetIncline(2.0)]


def test_console_changes_before_any_step_are_ignored() -> None:
    belt = planner()
    assert belt.console_speed(3.0) == []
    assert belt.console_incline(1.0) == []
    assert belt.update(5.0, running=True, belt_kmh=3.0, belt_incline=1.0) == []


@pytest.mark.parametrize(
    ("speed", "incline", "said", "sent"),
    [
        (20.0, None, "The treadmill's highest speed is 16.0", [SetSpeed(16.0)]),
        (0.3, None, "The treadmill's lowest speed is 0.8", [SetSpeed(0.8)]),
        (None, 22.0, "The treadmill's highest incline is 15 percent", [SetIncline(15.0)]),
        (None, -3.0, "The treadmill's lowest incline is 0 percent", [SetIncline(0.0)]),
    ],
)
def test_a_target_out_of_range_is_set_to_the_limit_and_said(
    speed: float | None, incline: float | None, said: str, sent: list[BeltAction]
) -> None:
    belt = planner()
    actions = belt.start_step(step(Direction.FORWARD, speed=speed, incline=incline), now=0.0)
    assert said in words(actions)
    assert commands(actions) == sent


def test_the_ranges_the_treadmill_reports_replace_the_defaults() -> None:
    belt = planner()
    belt.set_ranges(SpeedRange(1.0, 12.0, 0.5), InclineRange(0.0, 10.0, 1.0))
    actions = belt.start_step(step(speed=2.6), now=0.0)
    assert commands(actions) == [SetSpeed(1.0)]
    rises = [a.kmh for a in commands(run(belt, 1, 200)) if isinstance(a, SetSpeed)]
    # 0.8 up at most, on the machine's 0.5 grid; the plan's 2.6 is the grid's 2.5.
    assert rises == [1.5, 2.0, 2.5]


def test_units_round_trip() -> None:
    assert to_kmh(1.0, Units.MPH) == pytest.approx(KMH_PER_MPH)
    assert from_kmh(to_kmh(2.5, Units.MPH), Units.MPH) == pytest.approx(2.5)
    assert to_kmh(3.0, Units.KMH) == 3.0
    assert speed_words(4.0234, Units.KMH) == "4.0"


STEPS = st.builds(
    step,
    direction=st.sampled_from(list(Direction)),
    speed=st.one_of(st.none(), st.floats(0.0, 25.0).map(lambda v: round(v, 1))),
    incline=st.one_of(st.none(), st.floats(-5.0, 20.0).map(lambda v: round(v, 1))),
    kind=st.sampled_from(list(Kind)),
    duration_s=st.integers(10, 400),
)


@settings(max_examples=150, deadline=None)
@given(
    steps=st.lists(STEPS, min_size=1, max_size=6),
    pauses=st.lists(st.integers(0, 120), min_size=6, max_size=6),
    units=st.sampled_from(list(Units)),
)
def test_any_workout_keeps_the_rules(steps: list[Step], pauses: list[int], units: Units) -> None:
    """Whatever the plan: every target inside the machine's range; backward, never more than
    one raise above the fastest backward speed already held, and each rise after a minute of
    backward time; never a speed and an incline in the same breath."""
    belt = planner(units)
    now = 0.0
    fastest_backward: float | None = None
    backward_since_rise = 0.0

    def check(actions: list[BeltAction], backward: bool) -> None:
        nonlocal fastest_backward, backward_since_rise
        sent = commands(actions)
        assert len(sent) <= 1, sent
        for action in sent:
            if isinstance(action, SetIncline):
                assert INCLINES.minimum_pct <= action.pct <= INCLINES.maximum_pct
                continue
            assert isinstance(action, SetSpeed)
            assert SPEEDS.minimum_kmh <= action.kmh <= SPEEDS.maximum_kmh
            if not backward:
                continue
            if fastest_backward is None:
                assert action.kmh <= SPEEDS.minimum_kmh + 1e-6  # the first: the lowest
            elif action.kmh > fastest_backward + 1e-6:
                assert action.kmh - fastest_backward <= belt.raise_kmh + 1e-6
                assert backward_since_rise >= HOLD_S - 1e-6
            if fastest_backward is None or action.kmh > fastest_backward + 1e-6:
                fastest_backward = action.kmh
                backward_since_rise = 0.0

    for index, planned in enumerate(steps):
        check(belt.start_step(planned, now), planned.is_backward)
        if planned.is_backward and fastest_backward is None and belt.target_kmh is not None:
            # Already at the lowest speed (a forward step asked for it): no command needed.
            assert belt.target_kmh <= SPEEDS.minimum_kmh + 1e-6
            fastest_backward = belt.target_kmh
        end = now + planned.duration_s
        paused_until = now + pauses[index]
        while now < end:
            now += 1.0
            running = now > paused_until
            if running and planned.is_backward:
                backward_since_rise += 1.0
            actions = belt.update(
                now, running=running, belt_kmh=belt.target_kmh, belt_incline=belt.target_incline
            )
            check(actions, planned.is_backward)
