"""Heart-rate zones in a workout: the live zone, the step's target zone said when it is left,
and the seconds in each zone kept with the session.

The simulator's strap is held at a figure (``override_bpm``) and runs on the
workout's fake clock; the radio between it and the app runs in real time, so
each change is waited for (with a bound) before the clock moves on, a second
at a time as the screen's own timer would.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from retro_tui.devices.simulator import BeltState
from retro_tui.tui.screens.summary import SummaryScreen

from .conftest import Harness, MakeHarness
from .helpers import SnapCompare, advance, sessions, text_of
from .simulated import DEVICES, on_the_radio, until

EASY_BY_HEART = """\
[plan]
name = "Easy by heart"

[[step]]
name = "Easy walk"
kind = "warmup"
duration = "2m"
speed = 3.0
target_hr_zone = 2

[[step]]
name = "Walk it off"
kind = "cooldown"
duration = "1m"
speed = 2.5
"""
HEART_ZONES = DEVICES + "max_heart_rate = 190\n"
"""The simulator's devices, and a highest heart rate of 190: zone 2 is 114-132 bpm."""
HIGH = "Heart rate high for zone 2: ease off"
START = 5000.0
"""The harness's fake clock when the workout starts."""


class HeardVoice:
    """Stands in for the speech program: keeps what the workout says, at its clock's second."""

    def __init__(self, h: Harness) -> None:
        self.h = h
        self.said: list[tuple[float, str]] = []

    def say(self, words: str) -> None:
        self.said.append((self.h.clock.now - START, words))

    def stop(self) -> None:
        pass

    def cues(self) -> list[float]:
        """When the heart-rate cue was said, in seconds from the start."""
        return [at for at, words in self.said if HIGH in words]


def devices_line(pilot: Pilot[Any]) -> str:
    return text_of(pilot, "#devices")


async def seconds_to(pilot: Pilot[Any], h: Harness, second: float) -> None:
    """Tick a second at a time up to ``second`` after the start."""
    while h.clock.now - START < second:
        await advance(pilot, h, 1)


async def test_leaving_the_target_zone_is_said_and_the_time_in_each_zone_is_kept(
    harness: MakeHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(EASY_BY_HEART, sound="voice", settings=HEART_ZONES)
    voice = HeardVoice(h)
    monkeypatch.setattr(h.app, "voice", lambda: voice)
    simulator = on_the_radio(h, simulator_clock=h.clock)
    heart = simulator.heart
    heart.override_bpm = 125
    async with h.app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "♥  125  Z2 Easy" in devices_line(pilot), "zone 2 shown")
        assert "aim Z2" in devices_line(pilot)
        await seconds_to(pilot, h, 10)
        heart.override_bpm = 160  # zone 4: above the step's zone 2 from second 10
        await until(pilot, lambda: "♥  160  Z4 Hard" in devices_line(pilot), "zone 4 shown")
        await seconds_to(pilot, h, 30)
        assert voice.cues() == []  # 20 s out is not yet more than 20 s
        await seconds_to(pilot, h, 31)
        assert voice.cues() == [31]
        assert HIGH in devices_line(pilot)  # on screen too
        assert "▲ aim Z2" in devices_line(pilot)
        await seconds_to(pilot, h, 90)
        assert voice.cues() == [31], "once a minute at most"
        await seconds_to(pilot, h, 91)
        assert voice.cues() == [31, 91]
        heart.override_bpm = 125  # back in zone 2
        await until(pilot, lambda: "Z2 Easy" in devices_line(pilot), "back in zone")
        assert "▲" not in devices_line(pilot) and "aim Z2" in devices_line(pilot)
        await seconds_to(pilot, h, 180)
        assert voice.cues() == [31, 91], "the cool-down has no target zone"
        assert isinstance(pilot.app.screen, SummaryScreen)
        # The summary says the time in each zone reached, as the history will keep it.
        assert "Heart zones   Z2 Easy 1:38 · Z4 Hard 1:21" in text_of(pilot, "#summary-done")
        await until(
            pilot, lambda: simulator.treadmill.state is not BeltState.RUNNING, "the belt to stop"
        )
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
    [session] = sessions(h.history)
    # Zone 2 for the first 10 s and from 91 s to the end, zone 4 from 10 to 91 s: each
    # reading holds until the next. The last second ends the workout, and is not counted.
    assert session["heart_rate_zone_s"] == [0.0, 98.0, 0.0, 81.0, 0.0]


async def test_without_a_highest_heart_rate_no_zone_is_shown_or_kept(
    harness: MakeHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(EASY_BY_HEART, sound="voice", settings=DEVICES)
    voice = HeardVoice(h)
    monkeypatch.setattr(h.app, "voice", lambda: voice)
    simulator = on_the_radio(h, simulator_clock=h.clock)
    simulator.heart.override_bpm = 160
    async with h.app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "♥ 160" in devices_line(pilot), "the heart rate")
        await seconds_to(pilot, h, 60)
        assert "Z4" not in devices_line(pilot) and "aim" not in devices_line(pilot)
        await seconds_to(pilot, h, 180)
        assert voice.cues() == []
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
    [session] = sessions(h.history)
    assert "heart_rate_zone_s" not in session


def test_workout_with_the_heart_rate_above_its_zone(
    snap_compare: SnapCompare, harness: MakeHarness
) -> None:
    """The live zone in its colour and name, the step's target, and the cue on screen."""
    h = harness(EASY_BY_HEART, settings=HEART_ZONES)
    simulator = on_the_radio(h, simulator_clock=h.clock)
    simulator.heart.override_bpm = 160
    treadmill = simulator.treadmill

    async def out_of_zone(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: treadmill.target_kmh == 4.8, "the warm-up's speed")
        await until(pilot, lambda: "♥  160  Z4 Hard" in devices_line(pilot), "zone 4 shown")
        await seconds_to(pilot, h, 25)
        await until(
            pilot,
            lambda: (
                "Belt 3.0 of 3.0 mph" in devices_line(pilot)
                and "▲ aim Z2" in devices_line(pilot)
                and HIGH in devices_line(pilot)
            ),
            "the belt up and the cue on screen",
        )

    assert snap_compare(h.app, terminal_size=(100, 30), run_before=out_of_zone)


SHORT_BACKWARD = """\
[plan]
name = "Short backward"

[[step]]
kind = "warmup"
duration = "20s"
speed = 3.0

[[step]]
name = "Backward"
direction = "backward"
duration = "20s"
speed = 2.0

[[step]]
kind = "cooldown"
duration = "20s"
speed = 3.0
"""


async def test_an_interval_rated_on_the_summary_keeps_what_the_devices_measured(
    harness: MakeHarness,
) -> None:
    h = harness(SHORT_BACKWARD, settings=HEART_ZONES)
    simulator = on_the_radio(h, simulator_clock=h.clock)
    simulator.heart.override_bpm = 125
    async with h.app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "♥  125" in devices_line(pilot), "the heart rate")
        await seconds_to(pilot, h, 60)
        assert isinstance(pilot.app.screen, SummaryScreen)
        await until(
            pilot, lambda: simulator.treadmill.state is not BeltState.RUNNING, "the belt to stop"
        )
        await pilot.press("4", "5", "0")  # the backward interval, the session, no pain
        await pilot.pause()
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
    [session] = sessions(h.history)
    steps = session["step"]
    assert isinstance(steps, list)
    backward = next(step for step in steps if step["direction"] == "backward")
    assert backward["rpe"] == 4
    # The rating did not cost the step its measured heart rate.
    assert backward["heart_rate_avg"] == pytest.approx(125, abs=1)
    assert all("heart_rate_avg" in step for step in steps)
