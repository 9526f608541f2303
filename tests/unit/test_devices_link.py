"""The whole link over bumble's in-process virtual radio: the app's side against the simulator.

No mock of our own code: the simulator is a GATT server that follows FTMS, the
app's side is the same :class:`DeviceHub` and bumble backend the app uses, and
every byte crosses bumble's virtual controllers. Waits poll for what should
happen, with a bound, rather than sleeping a fixed time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from bumble.link import LocalLink

from retro_tui.devices import protocol as ftms
from retro_tui.devices.bumble_radio import BumbleRadio
from retro_tui.devices.events import (
    Connected,
    ConsoleSpeed,
    DeviceEvent,
    Lost,
    Problem,
    Refused,
    SafetyKey,
)
from retro_tui.devices.link import DeviceHub, scan
from retro_tui.devices.simulator import STRAP_NAME, TREADMILL_ADDRESS, TREADMILL_NAME, Simulator

WAIT_S = 15.0


@dataclass
class Rig:
    simulator: Simulator
    hub: DeviceHub
    seen: list[DeviceEvent]

    def events(self) -> list[DeviceEvent]:
        self.seen += self.hub.poll()
        return self.seen


RIG_S = 120.0
"""The most one test's rig may take, from the simulator's start to its close."""


async def until(condition: Callable[[], object], what: str, timeout_s: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def rig(
    *, treadmill: str = TREADMILL_NAME, heart_rate: str = STRAP_NAME, control: bool = True
) -> AsyncIterator[Rig]:
    link = LocalLink()  # type: ignore[no-untyped-call]
    simulator = Simulator(link)
    await simulator.start()
    hub = DeviceHub(
        BumbleRadio(link=link), treadmill=treadmill, heart_rate=heart_rate, control=control
    )
    hub.start()
    try:
        yield Rig(simulator, hub, [])
    finally:
        await hub.close()
        await simulator.close()


def run(test: Callable[[Rig], object], **options: object) -> None:
    """Run ``test`` against a fresh rig in its own event loop."""

    async def main() -> None:
        async for made in rig(**options):  # type: ignore[arg-type]
            await test(made)  # type: ignore[misc]

    # A bound on the whole exchange, set up and closing included: a link that waits on an
    # answer that never comes fails here, with where it waited, rather than hang the run.
    asyncio.run(asyncio.wait_for(main(), RIG_S))


async def controlling(made: Rig) -> None:
    treadmill = made.hub.treadmill
    assert treadmill is not None
    await until(lambda: treadmill.connected and treadmill.controlling, "control")


def test_a_scan_finds_the_treadmill_and_the_strap_by_their_services() -> None:
    async def main() -> None:
        link = LocalLink()  # type: ignore[no-untyped-call]
        simulator = Simulator(link)
        await simulator.start()
        radio = BumbleRadio(link=link)
        try:
            found = await scan(radio, 1.0)
        finally:
            await radio.close()
            await simulator.close()
        kinds = {advert.name: advert.kinds for advert in found}
        assert kinds == {
            TREADMILL_NAME: frozenset({ftms.DeviceKind.TREADMILL}),
            STRAP_NAME: frozenset({ftms.DeviceKind.HEART_RATE}),
        }
        assert all(advert.rssi is not None for advert in found)

    asyncio.run(main())


def test_connect_take_control_start_and_set_a_fractional_speed_unrounded() -> None:
    async def test(made: Rig) -> None:
        await controlling(made)
        treadmill = made.hub.treadmill
        assert treadmill is not None
        # What the simulator said it can do was read, not assumed.
        assert treadmill.speeds == made.simulator.treadmill.speeds
        treadmill.start()
        treadmill.set_speed(3.5)
        model = made.simulator.treadmill
        await until(lambda: model.target_kmh == 3.5, "the target speed")
        # The belt speeds up at its own rate, and its data comes back about once a second.
        await until(
            lambda: (belt := treadmill.belt) is not None and (belt.speed_kmh or 0) > 0.5,
            "the belt moving",
        )
        await until(lambda: made.hub.heart_rate is not None, "a heart rate")
        assert model.log[:3] == ["control given", "start", "speed 3.50"]
        assert [type(event) for event in made.events()][:2] == [Connected, Connected]

    run(test)


def test_a_speed_set_on_the_console_is_reported_but_our_own_echo_is_not() -> None:
    async def test(made: Rig) -> None:
        await controlling(made)
        treadmill = made.hub.treadmill
        assert treadmill is not None
        treadmill.start()
        treadmill.set_speed(3.0)
        await until(lambda: made.simulator.treadmill.target_kmh == 3.0, "our speed")
        await asyncio.sleep(0.3)  # the machine's own "target changed" for our command
        assert not [event for event in made.events() if isinstance(event, ConsoleSpeed)]
        await made.simulator.console_speed(4.5)
        await until(
            lambda: any(isinstance(event, ConsoleSpeed) for event in made.events()), "override"
        )
        assert [e.kmh for e in made.events() if isinstance(e, ConsoleSpeed)] == [4.5]

    run(test)


def test_the_safety_key_is_reported_and_a_start_after_it_is_refused_in_words() -> None:
    async def test(made: Rig) -> None:
        await controlling(made)
        treadmill = made.hub.treadmill
        assert treadmill is not None
        treadmill.start()
        treadmill.set_speed(2.0)
        await until(lambda: made.simulator.treadmill.speed_kmh > 0, "the belt moving")
        await made.simulator.pull_safety_key()
        await until(lambda: any(isinstance(e, SafetyKey) for e in made.events()), "safety key")
        assert made.simulator.treadmill.speed_kmh == 0.0
        treadmill.start()
        await until(lambda: any(isinstance(e, Refused) for e in made.events()), "a refusal")
        refused = next(e for e in made.events() if isinstance(e, Refused))
        assert refused == Refused("start the belt", "the treadmill could not do it")

    run(test)


def test_a_target_the_machine_cannot_do_is_refused_with_its_result_in_words() -> None:
    async def test(made: Rig) -> None:
        await controlling(made)
        treadmill = made.hub.treadmill
        assert treadmill is not None
        treadmill.set_speed(40.0)
        await until(lambda: any(isinstance(e, Refused) for e in made.events()), "a refusal")
        assert Refused("set the speed to 40.00 km/h", "the treadmill refused the value") in (
            made.events()
        )

    run(test)


def test_a_lost_connection_reconnects_and_sets_the_belt_again() -> None:
    async def test(made: Rig) -> None:
        await controlling(made)
        treadmill = made.hub.treadmill
        assert treadmill is not None
        treadmill.start()
        treadmill.set_speed(3.2)
        treadmill.set_incline(1.5)
        model = made.simulator.treadmill
        await until(lambda: model.target_incline == 1.5, "the incline")
        await made.simulator.drop_connections()
        await until(lambda: any(isinstance(e, Lost) for e in made.events()), "the loss")
        assert treadmill.belt is None  # nothing stale is shown as the belt
        # The machine forgot its user and its targets (a power blip).
        model.target_kmh, model.target_incline = 0.0, 0.0
        before = len(model.log)
        await until(lambda: treadmill.connected and treadmill.controlling, "reconnection", 20)
        await until(lambda: model.target_kmh == 3.2 and model.target_incline == 1.5, "again")
        assert model.log[before:] == ["control given", "speed 3.20", "start", "incline 1.5"]

    run(test)


def test_a_malformed_packet_is_said_once_and_the_link_carries_on() -> None:
    async def test(made: Rig) -> None:
        await controlling(made)
        treadmill = made.hub.treadmill
        assert treadmill is not None
        device = made.simulator._treadmill_device
        assert device is not None
        for _ in range(3):
            await device.notify_subscribers(
                made.simulator.treadmill_data, bytes([0x04, 0x00, 0x2C, 0x01, 0x10])
            )
        await until(lambda: any(isinstance(e, Problem) for e in made.events()), "the problem")
        problems = [e for e in made.events() if isinstance(e, Problem)]
        assert len(problems) == 1
        assert "total distance" in problems[0].text
        await until(lambda: treadmill.belt is not None, "good data again")

    run(test)


def test_a_device_that_is_not_there_is_said_and_nothing_raises() -> None:
    async def test(made: Rig) -> None:
        await until(
            lambda: any(
                isinstance(e, Problem) and "No treadmill called 'Nowhere Treadmill'" in e.text
                for e in made.events()
            ),
            "the problem",
        )
        assert made.hub.treadmill is not None and not made.hub.treadmill.connected

    run(test, treadmill="Nowhere Treadmill", heart_rate="")


def test_a_treadmill_named_by_its_address_connects_without_a_scan() -> None:
    async def test(made: Rig) -> None:
        await controlling(made)

    run(test, treadmill=TREADMILL_ADDRESS, heart_rate="")


def test_advise_mode_reads_the_belt_and_sends_nothing() -> None:
    async def test(made: Rig) -> None:
        treadmill = made.hub.treadmill
        assert treadmill is not None
        await until(lambda: treadmill.connected, "the connection")
        treadmill.start()
        treadmill.set_speed(3.0)
        await until(lambda: treadmill.belt is not None, "the belt's data")
        await asyncio.sleep(0.5)
        assert made.simulator.treadmill.log == []
        assert not treadmill.controlling

    run(test, control=False)
