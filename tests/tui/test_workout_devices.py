"""The workout driving a treadmill and reading a strap, over bumble's in-process radio.

The treadmill and the strap are the simulator's GATT devices; the app's side
is the same hub and bumble backend the app uses, so every command crosses the
virtual controllers as it would cross the air. The workout's clock is the
harness's fake clock; the radio runs in real time, so each check waits (with a
bound) for the machine to get there rather than sleeping.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from textual.pilot import Pilot

from retro_tui.devices.simulator import BeltState
from retro_tui.devices.telemetry import read_samples
from retro_tui.tui.screens.summary import SummaryScreen
from retro_tui.tui.screens.workout import WorkoutScreen
from retro_tui.tui.widgets.big_text import BigText
from retro_tui.workout.engine import Status

from .conftest import MakeHarness
from .helpers import advance, sessions, text_of
from .simulated import DEVICES, on_the_radio, until


def devices_line(pilot: Pilot[Any]) -> str:
    return text_of(pilot, "#devices")


def headline(pilot: Pilot[Any]) -> str:
    return pilot.app.screen.query_one("#headline", BigText).text


async def test_the_belt_follows_the_plan_and_the_session_keeps_what_was_measured(
    harness: MakeHarness,
) -> None:
    h = harness(settings=DEVICES)
    simulator = on_the_radio(h)
    treadmill = simulator.treadmill
    async with h.app.run_test(size=(100, 30)) as pilot:
        # The warm-up: forward at once to its 3.0 mph (4.8 km/h on the belt's 0.1 grid).
        await until(pilot, lambda: treadmill.state is BeltState.RUNNING, "the belt to start")
        await until(pilot, lambda: treadmill.target_kmh == 4.8, "the warm-up's speed")
        await until(pilot, lambda: re.search(r"♥ \d+", devices_line(pilot)), "a heart rate")
        await until(pilot, lambda: "Belt 3.0 of 3.0 mph" in devices_line(pilot), "the belt up")
        for _ in range(8):
            # The belt moves in real time: give it some before the next samples are due.
            await asyncio.sleep(0.4)
            await advance(pilot, h, 5)
        # Backward: from the lowest speed, said, incline only once the ramp is done.
        await until(pilot, lambda: treadmill.target_kmh == 0.8, "the backward ramp's start")
        assert treadmill.target_incline == 0.0
        ramp_said = "Belt at 0.5, then up 0.5 a minute to 2.0"  # 0.8 km/h
        await until(pilot, lambda: ramp_said in devices_line(pilot), "the ramp said")
        # The safety key pulled: the workout pauses at once and says why.
        await simulator.pull_safety_key()
        screen = pilot.app.screen
        assert isinstance(screen, WorkoutScreen)
        await until(pilot, lambda: screen.workout.status is Status.PAUSED, "the workout to pause")
        treadmill.put_safety_key_back()
        await pilot.press("space")  # the person resumes when ready
        await until(pilot, lambda: treadmill.state is BeltState.RUNNING, "the belt again")
        assert screen.workout.status is Status.RUNNING
        for _ in range(70):
            await advance(pilot, h, 5)
        assert isinstance(pilot.app.screen, SummaryScreen)
        await until(pilot, lambda: treadmill.state is not BeltState.RUNNING, "the belt to stop")
        await pilot.press("enter")
        await h.app.workers.wait_for_complete()
        await pilot.pause()
    [session] = sessions(h.history)
    samples = session["samples"]
    assert isinstance(samples, str) and samples.startswith("samples/")
    steps = session["step"]
    assert isinstance(steps, list)
    warmup = steps[0]
    assert warmup["belt_speed"] == pytest.approx(3.0, abs=0.3)
    assert warmup["distance_m"] > 0
    assert 50 <= warmup["heart_rate_avg"] <= warmup["heart_rate_max"] <= 200
    rows = read_samples(h.history.parent / samples)
    assert len(rows) >= 40
    assert {row["step"] for row in rows} >= {"1", "2"}
    assert all(row["heart_rate_bpm"] for row in rows[5:])


async def test_advise_sends_nothing_and_says_the_speed_to_set(harness: MakeHarness) -> None:
    h = harness(settings=DEVICES + 'control = "advise"\n')
    simulator = on_the_radio(h)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "set it yourself" in devices_line(pilot), "the advice")
        assert "of 3.0 mph" in devices_line(pilot)
        await advance(pilot, h, 10)
        await asyncio.sleep(0.5)
        assert simulator.treadmill.state is BeltState.STOPPED
        assert simulator.treadmill.controller is None


async def test_a_lost_treadmill_is_shown_big_and_the_clock_runs_on(harness: MakeHarness) -> None:
    h = harness(settings=DEVICES)
    simulator = on_the_radio(h)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: simulator.treadmill.state is BeltState.RUNNING, "the belt")
        simulator.notifying = False
        await simulator.drop_connections()
        screen = pilot.app.screen
        assert isinstance(screen, WorkoutScreen)
        await until(pilot, lambda: "BELT LOST" in headline(pilot), "the headline")
        assert screen.workout.status is Status.RUNNING
        simulator.notifying = True
        await until(pilot, lambda: "BELT LOST" not in headline(pilot), "a reconnection")
        await until(pilot, lambda: simulator.treadmill.target_kmh == 4.8, "the speed again")
