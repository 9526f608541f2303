"""What a person sees with a treadmill and a strap: the devices line under the clock.

The simulator's belt and heart run on the workout's fake clock, and the strap
is held at one figure, so the picture depends on the workout's time alone; the
radio between them runs in real time, so the picture is taken once the line
shows what the devices last sent. Update with ``pytest --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from retro_tui.devices.simulator import BeltState
from retro_tui.tui.dialogs.devices import DevicesDialog

from .conftest import MakeHarness
from .helpers import SIZES, SnapCompare, settled_library, text_of
from .simulated import DEVICES, on_the_radio, until


@pytest.mark.parametrize("size", SIZES)
def test_workout_with_devices(
    snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]
) -> None:
    h = harness(settings=DEVICES)
    simulator = on_the_radio(h, simulator_clock=h.clock)
    simulator.heart.override_bpm = 142
    treadmill = simulator.treadmill

    async def belt_up(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: treadmill.state is BeltState.RUNNING, "the belt to start")
        await until(pilot, lambda: treadmill.target_kmh == 4.8, "the warm-up's speed")
        h.clock.advance(20)  # the belt gets to 4.8 km/h in 6 s, then 14 s at it
        await until(
            pilot,
            lambda: (
                "Belt 3.0 of 3.0 mph" in text_of(pilot, "#devices")
                and "♥ 142" in text_of(pilot, "#devices")
                and "Speeding" not in text_of(pilot, "#devices")
                and "connected" not in text_of(pilot, "#devices")
            ),
            "the belt, the heart and no notice",
        )

    assert snap_compare(h.app, terminal_size=size, run_before=belt_up)


@pytest.mark.parametrize("size", SIZES)
def test_devices_dialog(
    snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]
) -> None:
    """``d`` in the library once the treadmill and the strap are heard, the treadmill marked."""
    h = harness(run=False)
    on_the_radio(h)

    async def heard(pilot: Pilot[Any]) -> None:
        await settled_library(pilot)
        await pilot.press("d")
        dialog = pilot.app.screen
        assert isinstance(dialog, DevicesDialog)
        await until(pilot, lambda: len(dialog.found) == 2, "the treadmill and the strap")
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(h.app, terminal_size=size, run_before=heard)
