"""A treadmill and a heart-rate strap that follow the specifications as real ones do.

:class:`TreadmillModel` is the machine itself, on an injected clock: a belt that
speeds up and slows down at a treadmill's rate, the speed range and increment
it reports, commands only after Request Control, a safety key that can be
pulled, and a console the person can press. :class:`HeartModel` is a strap
whose reading follows the effort with a lag. :class:`Simulator` serves both as
GATT devices on bumble virtual controllers: in one process on a
:class:`~bumble.link.LocalLink` (the tests), or with the app's controller on a
loopback TCP port (``retro-tui simulate``).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bumble.controller import Controller
from bumble.core import AdvertisingData
from bumble.device import Device
from bumble.gatt import Characteristic, CharacteristicValue, Service
from bumble.hci import Address
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport import open_transport
from bumble.transport.common import AsyncPipeSink

from retro_tui.devices import protocol as ftms
from retro_tui.devices.bumble_radio import hush_late_answers
from retro_tui.devices.packets import Malformed
from retro_tui.devices.protocol import InclineRange, Opcode, ResultCode, SpeedRange, StatusCode
from retro_tui.devices.radio import GOODBYE_S, at_most, cancel_all
from retro_tui.devices.sensors import encode_heart_rate

Clock = Callable[[], float]

SIM_SPEEDS = SpeedRange(0.8, 16.0, 0.1)
SIM_INCLINES = InclineRange(0.0, 12.0, 0.5)
ACCELERATION_KMH_S = 0.8
"""How fast the belt gains speed: home treadmills take a few seconds per km/h."""
DECELERATION_KMH_S = 1.2
INCLINE_RATE_PCT_S = 0.5
NOTIFY_EVERY_S = 1.0
TREADMILL_NAME = "Retro Sim Treadmill"
STRAP_NAME = "Retro Sim HR"
TREADMILL_ADDRESS = "F1:F1:F1:F1:F1:F1"
STRAP_ADDRESS = "F2:F2:F2:F2:F2:F2"
ADVERTISING_INTERVAL_MS = 100


class BeltState(StrEnum):
    STOPPED = "stopped"
    RUNNING = "running"
    PAUSED = "paused"


@dataclass
class TreadmillModel:
    """The machine: what a control command does, and what the belt does over time."""

    clock: Clock = time.monotonic
    speeds: SpeedRange = SIM_SPEEDS
    inclines: InclineRange = SIM_INCLINES
    sets_incline: bool = True
    state: BeltState = BeltState.STOPPED
    target_kmh: float = 0.0
    speed_kmh: float = 0.0
    target_incline: float = 0.0
    incline_pct: float = 0.0
    distance_m: float = 0.0
    elapsed_s: float = 0.0
    safety_key_in: bool = True
    controller: object | None = None
    """Who has control (one connection); commands from anyone else are refused."""
    log: list[str] = field(default_factory=list)
    _updated_at: float | None = None

    def advance(self) -> None:
        """Bring the belt up to now: speed towards its target at the belt's rate."""
        now = self.clock()
        last = self._updated_at if self._updated_at is not None else now
        self._updated_at = now
        dt = max(0.0, now - last)
        if dt == 0:
            return
        goal = self.target_kmh if self.state is BeltState.RUNNING else 0.0
        before = self.speed_kmh
        if self.speed_kmh < goal:
            self.speed_kmh = min(goal, self.speed_kmh + ACCELERATION_KMH_S * dt)
        elif self.speed_kmh > goal:
            self.speed_kmh = max(goal, self.speed_kmh - DECELERATION_KMH_S * dt)
        self.distance_m += (before + self.speed_kmh) / 2 / 3.6 * dt
        if self.state is BeltState.RUNNING:
            self.elapsed_s += dt
        step = INCLINE_RATE_PCT_S * dt
        if self.incline_pct < self.target_incline:
            self.incline_pct = min(self.target_incline, self.incline_pct + step)
        else:
            self.incline_pct = max(self.target_incline, self.incline_pct - step)

    def command(self, data: bytes, who: object) -> tuple[bytes, list[bytes]]:
        """A Control Point write: the answer to indicate and the status notifications."""
        self.advance()
        parsed = ftms.parse_control_command(data)
        opcode = data[0] if data else 0
        if isinstance(parsed, Malformed):
            return ftms.encode_control_response(opcode, ResultCode.INVALID_PARAMETER), []
        if parsed.opcode == Opcode.REQUEST_CONTROL:
            self.controller = who
            self.log.append("control given")
            return ftms.encode_control_response(opcode, ResultCode.SUCCESS), []
        known = {
            Opcode.RESET,
            Opcode.SET_TARGET_SPEED,
            Opcode.SET_TARGET_INCLINATION,
            Opcode.START_OR_RESUME,
            Opcode.STOP_OR_PAUSE,
        }
        if parsed.opcode not in known:
            return ftms.encode_control_response(opcode, ResultCode.NOT_SUPPORTED), []
        if self.controller is not who:
            return ftms.encode_control_response(opcode, ResultCode.CONTROL_NOT_PERMITTED), []
        result, statuses = self._obey(parsed)
        return ftms.encode_control_response(opcode, result), statuses

    def _obey(self, command: ftms.ControlCommand) -> tuple[ResultCode, list[bytes]]:
        if command.opcode == Opcode.RESET:
            self.state, self.target_kmh, self.controller = BeltState.STOPPED, 0.0, None
            return ResultCode.SUCCESS, [ftms.encode_machine_status(StatusCode.RESET)]
        if command.opcode == Opcode.SET_TARGET_SPEED:
            kmh = command.speed_kmh or 0.0
            if not self.speeds.minimum_kmh - 0.005 <= kmh <= self.speeds.maximum_kmh + 0.005:
                return ResultCode.INVALID_PARAMETER, []
            self.target_kmh = self.speeds.clamp(kmh)
            self.log.append(f"speed {self.target_kmh:.2f}")
            status = ftms.encode_machine_status(
                StatusCode.TARGET_SPEED_CHANGED, speed_kmh=self.target_kmh
            )
            return ResultCode.SUCCESS, [status]
        if command.opcode == Opcode.SET_TARGET_INCLINATION:
            pct = command.incline_pct or 0.0
            if not self.sets_incline:
                return ResultCode.NOT_SUPPORTED, []
            if not self.inclines.minimum_pct - 0.05 <= pct <= self.inclines.maximum_pct + 0.05:
                return ResultCode.INVALID_PARAMETER, []
            self.target_incline = self.inclines.clamp(pct)
            self.log.append(f"incline {self.target_incline:.1f}")
            status = ftms.encode_machine_status(
                StatusCode.TARGET_INCLINE_CHANGED, incline_pct=self.target_incline
            )
            return ResultCode.SUCCESS, [status]
        if command.opcode == Opcode.START_OR_RESUME:
            if not self.safety_key_in:
                return ResultCode.OPERATION_FAILED, []
            self.state = BeltState.RUNNING
            if self.target_kmh <= 0:
                self.target_kmh = self.speeds.minimum_kmh
            self.log.append("start")
            return ResultCode.SUCCESS, []
        # Stop or pause.
        pause = command.stop_or_pause == ftms.PAUSE
        self.state = BeltState.PAUSED if pause else BeltState.STOPPED
        if not pause:
            self.target_kmh = 0.0
        self.log.append("pause" if pause else "stop")
        return ResultCode.SUCCESS, []

    # -- the person at the console ---------------------------------------------------------

    def console_speed(self, kmh: float) -> list[bytes]:
        """The person pressed the console's speed keys."""
        self.advance()
        self.target_kmh = self.speeds.clamp(kmh)
        self.log.append(f"console speed {self.target_kmh:.2f}")
        return [
            ftms.encode_machine_status(StatusCode.TARGET_SPEED_CHANGED, speed_kmh=self.target_kmh)
        ]

    def console_incline(self, pct: float) -> list[bytes]:
        self.advance()
        self.target_incline = self.inclines.clamp(pct)
        self.log.append(f"console incline {self.target_incline:.1f}")
        return [
            ftms.encode_machine_status(
                StatusCode.TARGET_INCLINE_CHANGED, incline_pct=self.target_incline
            )
        ]

    def pull_safety_key(self) -> list[bytes]:
        """The clip came off: the belt stops at once, and the machine says why."""
        self.advance()
        self.safety_key_in = False
        self.state, self.target_kmh = BeltState.STOPPED, 0.0
        self.speed_kmh = 0.0  # the safety stop brakes hard
        self.log.append("safety key pulled")
        return [ftms.encode_machine_status(StatusCode.STOPPED_BY_SAFETY_KEY)]

    def put_safety_key_back(self) -> None:
        self.safety_key_in = True
        self.log.append("safety key back")

    def console_start(self) -> list[bytes]:
        if not self.safety_key_in:
            return []
        self.advance()
        self.state = BeltState.RUNNING
        self.target_kmh = self.target_kmh or self.speeds.minimum_kmh
        return [ftms.encode_machine_status(StatusCode.STARTED_BY_USER)]

    def console_stop(self, *, pause: bool) -> list[bytes]:
        self.advance()
        self.state = BeltState.PAUSED if pause else BeltState.STOPPED
        if not pause:
            self.target_kmh = 0.0
        return [ftms.encode_machine_status(StatusCode.STOPPED_OR_PAUSED_BY_USER, paused=pause)]

    def data(self) -> bytes:
        """A Treadmill Data notification of the belt as it is."""
        self.advance()
        return ftms.encode_treadmill_data(
            speed_kmh=self.speed_kmh,
            distance_m=int(self.distance_m),
            incline_pct=self.incline_pct,
            elapsed_s=int(self.elapsed_s),
        )


@dataclass
class HeartModel:
    """A strap: the heart rate climbs towards what the belt asks, about 30 s behind."""

    treadmill: TreadmillModel
    clock: Clock = time.monotonic
    resting_bpm: float = 62.0
    bpm: float = 62.0
    override_bpm: int | None = None
    _updated_at: float | None = None

    def reading(self) -> int:
        now = self.clock()
        last = self._updated_at if self._updated_at is not None else now
        self._updated_at = now
        if self.override_bpm is not None:
            return self.override_bpm
        # Backward at walking speeds works the heart hard for the speed.
        goal = self.resting_bpm + 14.0 * self.treadmill.speed_kmh + 4.0 * self.treadmill.incline_pct
        self.bpm += (goal - self.bpm) * (1 - math.exp(-max(0.0, now - last) / 30.0))
        return round(self.bpm)


def _advertising_data(name: str, service: int) -> bytes:
    return bytes(
        AdvertisingData(
            [
                (AdvertisingData.COMPLETE_LOCAL_NAME, name.encode()),
                (
                    AdvertisingData.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
                    service.to_bytes(2, "little"),
                ),
            ]
        )
    )


def _uuid(number: int) -> str:
    return f"{number:04X}"


class Simulator:
    """The treadmill and the strap as GATT devices on bumble virtual controllers."""

    def __init__(
        self,
        link: LocalLink | None = None,
        clock: Clock = time.monotonic,
        *,
        strap: bool = True,
        on_change: Callable[[str], None] | None = None,
    ) -> None:
        self.link = link or LocalLink()  # type: ignore[no-untyped-call]
        self.clock = clock
        self.treadmill = TreadmillModel(clock)
        self.heart = HeartModel(self.treadmill, clock)
        self.with_strap = strap
        self.on_change = on_change or (lambda _text: None)
        self._devices: list[Device] = []
        self._transports: list[Any] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._treadmill_device: Device | None = None
        self._strap_device: Device | None = None
        self.notifying = True
        """False stops the data (a machine that goes quiet without dropping the link)."""

    def _device(self, name: str, address: str) -> Device:
        controller = Controller(name, link=self.link, public_address=address)
        device = Device(
            name=name, address=Address(address), host=Host(controller, AsyncPipeSink(controller))
        )
        self._devices.append(device)
        return device

    async def add_app_port(self, transport: str) -> None:
        """A controller on this link for an app in another process (``tcp-server:HOST:PORT``)."""
        opened = await open_transport(transport)
        self._transports.append(opened)
        Controller("app", host_source=opened.source, host_sink=opened.sink, link=self.link)

    async def start(self) -> None:
        hush_late_answers()
        treadmill = self._device(TREADMILL_NAME, TREADMILL_ADDRESS)
        self._treadmill_device = treadmill
        model = self.treadmill

        def on_control(connection: Any, value: bytes) -> None:
            answer, statuses = model.command(bytes(value), connection)
            self.on_change(f"command {ftms.command_words(bytes(value))}: answered {answer.hex()}")
            # Indicate after the write's own response has gone out.
            asyncio.get_running_loop().call_soon(self._send, self.control_point, answer, statuses)

        properties = Characteristic.Properties
        self.treadmill_data = Characteristic(
            _uuid(ftms.TREADMILL_DATA), properties.NOTIFY, Characteristic.READABLE, b""
        )
        self.control_point: Characteristic[Any] = Characteristic(
            _uuid(ftms.CONTROL_POINT),
            properties.WRITE | properties.INDICATE,
            Characteristic.WRITEABLE,
            CharacteristicValue[Any](write=on_control),
        )
        self.machine_status = Characteristic(
            _uuid(ftms.MACHINE_STATUS), properties.NOTIFY, Characteristic.READABLE, b""
        )
        readable = (properties.READ, Characteristic.READABLE)
        treadmill.add_service(
            Service(
                _uuid(ftms.FTMS_SERVICE),
                [
                    Characteristic(
                        _uuid(ftms.FEATURE),
                        *readable,
                        ftms.encode_features(sets_speed=True, sets_incline=model.sets_incline),
                    ),
                    self.treadmill_data,
                    Characteristic(
                        _uuid(ftms.SPEED_RANGE), *readable, ftms.encode_speed_range(model.speeds)
                    ),
                    Characteristic(
                        _uuid(ftms.INCLINATION_RANGE),
                        *readable,
                        ftms.encode_incline_range(model.inclines),
                    ),
                    self.control_point,
                    self.machine_status,
                ],
            )
        )
        await self._power_and_advertise(treadmill, TREADMILL_NAME, ftms.FTMS_SERVICE)
        if self.with_strap:
            strap = self._device(STRAP_NAME, STRAP_ADDRESS)
            self._strap_device = strap
            self.heart_rate = Characteristic(
                _uuid(ftms.HEART_RATE_MEASUREMENT), properties.NOTIFY, Characteristic.READABLE, b""
            )
            strap.add_service(Service(_uuid(ftms.HEART_RATE_SERVICE), [self.heart_rate]))
            await self._power_and_advertise(strap, STRAP_NAME, ftms.HEART_RATE_SERVICE)
        self._tasks.append(asyncio.create_task(self._notify_forever()))

    async def _power_and_advertise(self, device: Device, name: str, service: int) -> None:
        await device.power_on()
        device.advertising_data = _advertising_data(name, service)

        def advertise_again(*_: object) -> None:
            # A real machine advertises again once its user has gone.
            asyncio.get_running_loop().create_task(self._advertise(device))

        device.on("connection", lambda connection: connection.on("disconnection", advertise_again))
        await self._advertise(device)

    async def _advertise(self, device: Device) -> None:
        with contextlib.suppress(Exception):
            await device.start_advertising(
                auto_restart=True,
                advertising_interval_min=ADVERTISING_INTERVAL_MS,
                advertising_interval_max=ADVERTISING_INTERVAL_MS,
            )

    def _send(
        self, characteristic: Characteristic[Any], answer: bytes, statuses: list[bytes]
    ) -> None:
        asyncio.get_running_loop().create_task(
            self._indicate_then_notify(characteristic, answer, statuses)
        )

    async def _indicate_then_notify(
        self, characteristic: Characteristic[Any], answer: bytes, statuses: list[bytes]
    ) -> None:
        device = self._treadmill_device
        if device is None:
            return
        with contextlib.suppress(Exception):
            await device.indicate_subscribers(characteristic, answer)
        await self.send_statuses(statuses)

    async def send_statuses(self, statuses: list[bytes]) -> None:
        device = self._treadmill_device
        if device is None:
            return
        for status in statuses:
            with contextlib.suppress(Exception):
                await device.notify_subscribers(self.machine_status, status)

    async def _notify_forever(self) -> None:
        while True:
            await self.notify_once()
            await self._drop_if_app_gone()
            await asyncio.sleep(NOTIFY_EVERY_S)

    async def _drop_if_app_gone(self) -> None:
        """An app that went away without saying so (killed) would hold the devices forever on
        a virtual radio; a real one would time the link out. So do that."""
        for opened in self._transports:
            gone = getattr(opened.sink, "transport", True) is None
            if gone and any(device.connections for device in self._devices):
                await self.drop_connections()

    async def notify_once(self) -> None:
        """One round of Treadmill Data and Heart Rate Measurement, as the devices send them."""
        if not self.notifying:
            return
        if self._treadmill_device is not None:
            with contextlib.suppress(Exception):
                await self._treadmill_device.notify_subscribers(
                    self.treadmill_data, self.treadmill.data()
                )
        if self._strap_device is not None:
            with contextlib.suppress(Exception):
                await self._strap_device.notify_subscribers(
                    self.heart_rate, encode_heart_rate(self.heart.reading())
                )

    # -- what a person (or a test) does ----------------------------------------------------

    async def console_speed(self, kmh: float) -> None:
        await self.send_statuses(self.treadmill.console_speed(kmh))

    async def console_incline(self, pct: float) -> None:
        await self.send_statuses(self.treadmill.console_incline(pct))

    async def pull_safety_key(self) -> None:
        await self.send_statuses(self.treadmill.pull_safety_key())
        await self.notify_once()

    async def drop_connections(self) -> None:
        """The machine loses its link (a radio out of range, a power blip)."""
        for device in self._devices:
            for connection in list(device.connections.values()):
                await at_most(GOODBYE_S, connection.disconnect())
        self.treadmill.controller = None

    async def close(self) -> None:
        await cancel_all(self._tasks)
        for device in self._devices:
            await at_most(GOODBYE_S, device.power_off())
        for transport in self._transports:
            await at_most(GOODBYE_S, transport.close())
