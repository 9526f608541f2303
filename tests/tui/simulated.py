"""The app's devices on the simulator's virtual radio, for Pilot tests and snapshots.

The hub is the app's own :class:`~retro_tui.devices.link.DeviceHub` on the
bumble backend; only where its radio leads is chosen here: to a
:class:`~retro_tui.devices.simulator.Simulator` on an in-process link. The
simulator starts and closes with the hub, in the app's event loop, because
``snap_compare`` runs the app in a loop of its own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bumble.link import LocalLink
from textual.pilot import Pilot

from retro_tui.config import Config
from retro_tui.devices.bumble_radio import BumbleRadio
from retro_tui.devices.link import Clock, DeviceHub
from retro_tui.devices.simulator import STRAP_NAME, TREADMILL_NAME, Simulator
from retro_tui.tui.screens.workout import WorkoutScreen

from .conftest import Harness

WAIT_S = 20.0
DEVICES = f'\n[devices]\ntreadmill = "{TREADMILL_NAME}"\nheart_rate = "{STRAP_NAME}"\n'
"""Settings text naming the simulator's treadmill and strap."""


@dataclass
class SimulatorRig:
    """A simulator and who looks after it: started by the first hub, closed by the last one
    (the app's at its end) unless the test closes it itself."""

    simulator: Simulator
    closes_with_hub: bool = True
    started: bool = False


class SimulatedHub(DeviceHub):
    """A hub whose radio reaches the simulator, which comes up before the hub looks for it."""

    def __init__(self, rig: SimulatorRig, config: Config) -> None:
        devices = config.devices
        super().__init__(
            BumbleRadio(link=rig.simulator.link),
            treadmill=devices.treadmill,
            heart_rate=devices.heart_rate,
            foot_pod=devices.foot_pod,
            control=devices.control == "auto",
        )
        self.rig = rig
        self._simulator_up: asyncio.Task[None] | None = None

    def start(self) -> None:
        async def simulator_then_hub() -> None:
            if not self.rig.started:
                self.rig.started = True
                await self.rig.simulator.start()
            DeviceHub.start(self)

        self._simulator_up = asyncio.get_running_loop().create_task(simulator_then_hub())

    async def close(self) -> None:
        if self._simulator_up is not None:
            await self._simulator_up
        await super().close()
        if self.rig.closes_with_hub:
            await self.rig.simulator.close()


def on_the_radio(
    harness: Harness, *, simulator_clock: Clock | None = None, closes_with_hub: bool = True
) -> Simulator:
    """Give the harness's app its devices on a new simulator; returns the simulator.

    ``simulator_clock`` drives the belt and the heart (the harness's fake clock makes what
    they report depend on the workout's time alone); the radio itself runs in real time.
    With ``closes_with_hub=False`` the app may replace its hub (new devices chosen) and the
    test closes the simulator once the app has ended.
    """
    simulator = Simulator(LocalLink(), simulator_clock or time.monotonic)  # type: ignore[no-untyped-call]
    rig = SimulatorRig(simulator, closes_with_hub)

    def make(config: Config) -> DeviceHub:
        return SimulatedHub(rig, config)

    harness.app.settings.make_devices = make
    return simulator


async def until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, timeout_s: float = WAIT_S
) -> None:
    """Wait in real time, the workout screen ticking, until ``condition`` holds."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        screen = pilot.app.screen
        if time.monotonic() >= deadline:
            shown = (
                screen.query_one("#devices").render() if isinstance(screen, WorkoutScreen) else ""
            )
            raise AssertionError(f"timed out waiting for {what}; the devices line: {shown}")
        if isinstance(screen, WorkoutScreen):
            screen.tick()
        await asyncio.sleep(0.05)
        await pilot.pause()
