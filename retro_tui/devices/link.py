"""Keeping each device connected, and the treadmill's Control Point conversation.

A :class:`DeviceHub` opens the radio once and runs one :class:`DeviceLink` per
device the settings name, each a task in the app's own asyncio loop. A link
looks for its device (by address, or by name in a scan), connects, subscribes,
and when the connection goes it says so and tries again in the background,
for as long as the app runs. Nothing here ever raises into the caller: what
goes wrong becomes an event (:meth:`DeviceHub.poll`) and a line of
:attr:`DeviceLink.problem`.

The treadmill link sends Control Point commands one at a time, each answered
(an indication) before the next, with a gap between them, because some
machines drop the connection when commands come too fast. It remembers what it
last asked of the belt, so after a reconnection it takes control again and
sets the same speed and incline: the machine may have forgotten them.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import TypeVar

from retro_tui.devices import protocol as ftms
from retro_tui.devices.events import (
    Connected,
    ConsoleIncline,
    ConsoleSpeed,
    DeviceEvent,
    Lost,
    NoControl,
    Problem,
    Refused,
    SafetyKey,
    StartedOnConsole,
    StoppedOnConsole,
)
from retro_tui.devices.packets import Malformed
from retro_tui.devices.protocol import (
    DeviceKind,
    InclineRange,
    SpeedRange,
    StatusCode,
    TreadmillData,
)
from retro_tui.devices.radio import (
    GOODBYE_S,
    Advert,
    Connection,
    Radio,
    RadioError,
    at_most,
    cancel_all,
    looks_like_address,
    matches,
)
from retro_tui.devices.sensors import HeartRate, Stride, parse_heart_rate, parse_rsc

Clock = Callable[[], float]
T = TypeVar("T")

SCAN_S = 3.0
RETRY_S = 2.0
"""Seconds between tries to find or reconnect a device."""
ANSWER_TIMEOUT_S = 3.0
"""How long a command waits for the machine's answer."""
COMMAND_GAP_S = 0.3
"""Between two commands: some machines drop the link when they come faster."""
STALE_S = 5.0
"""A reading older than this is no longer shown as the belt's or the heart's."""
OWN_TARGET_S = 6.0
"""A "target changed" status this soon after retro-tui set that target is its own echo."""


@dataclass(frozen=True)
class Reading:
    """The last value a device sent, and when (on the link's clock)."""

    value: object
    at: float


# -- one device ----------------------------------------------------------------------------


class DeviceLink:
    """Finds one device and keeps it connected; see the module docstring."""

    subscriptions: tuple[int, ...] = ()

    def __init__(self, hub: DeviceHub, kind: DeviceKind, wanted: str) -> None:
        self.hub = hub
        self.kind = kind
        self.wanted = wanted.strip()
        self.name = self.wanted
        self.address = self.wanted if looks_like_address(self.wanted) else ""
        self.connection: Connection | None = None
        self.connected = False
        self.ever_connected = False
        self.problem = ""
        self._lost = asyncio.Event()
        self._reported: set[str] = set()

    @property
    def clock(self) -> Clock:
        return self.hub.clock

    def emit(self, event: DeviceEvent) -> None:
        self.hub.events.append(event)
        self.hub.wake()

    def report(self, text: str, *, once: bool = False) -> None:
        """Note a problem (shown on screen); ``once``: only the first time it happens."""
        self.problem = text
        if once and text in self._reported:
            return
        self._reported.add(text)
        self.emit(Problem(self.kind, text))

    async def run(self) -> None:
        """Connect, and connect again whenever the link goes, until cancelled."""
        while True:
            try:
                await self._connect_once()
                if self.connection is not None:
                    await self._lost.wait()
            except asyncio.CancelledError:
                raise
            except RadioError as error:
                self.report(str(error), once=True)
            except Exception as error:  # a backend's surprise must not end the link
                self.report(f"{self.kind.label}: {error}", once=True)
            if self.connected:
                self._mark_lost()
            await asyncio.sleep(RETRY_S)

    async def _connect_once(self) -> None:
        # One radio does one thing at a time: a scan, or setting up one connection.
        async with self.hub.radio_lock:
            address = self.address or await self.hub.find(self.wanted)
            if not address:
                self.report(f"No {self.kind.label} called {self.wanted!r} in range", once=True)
                return
            self._lost = asyncio.Event()
            connection = await self.hub.radio.connect(address, self._on_lost)
        self.address = address
        self.connection = connection
        try:
            await self.set_up(connection)
        except BaseException:
            self.connection = None
            await connection.disconnect()
            raise
        self.connected = self.ever_connected = True
        self.problem = ""
        self.emit(Connected(self.kind, self.name))

    def _on_lost(self) -> None:
        self._lost.set()

    def _mark_lost(self) -> None:
        self.connected = False
        self.connection = None
        self.emit(Lost(self.kind, self.name))

    async def set_up(self, connection: Connection) -> None:
        """Subscribe to what the device sends (subclasses add the rest)."""
        for uuid in self.subscriptions:
            if not connection.has(uuid):
                raise RadioError(f"the {self.kind.label} {self.name} does not send 0x{uuid:04X}")
            await connection.subscribe(uuid, functools.partial(self.received, uuid))

    def received(self, uuid: int, data: bytes) -> None:
        """A notification; parsed by the subclass. Never raises (it runs in the backend)."""

    def fresh(self, reading: Reading | None) -> object | None:
        if reading is None or self.clock() - reading.at > STALE_S:
            return None
        return reading.value

    def bad_packet(self, malformed: Malformed) -> None:
        self.report(
            f"The {self.kind.label} sent a packet that can't be read: {malformed}", once=True
        )

    async def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            await connection.disconnect()


class SensorLink(DeviceLink):
    """A strap or a foot pod: one kind of notification, the latest kept."""

    def __init__(
        self,
        hub: DeviceHub,
        kind: DeviceKind,
        wanted: str,
        uuid: int,
        parse: Callable[[bytes], object],
    ) -> None:
        super().__init__(hub, kind, wanted)
        self.subscriptions = (uuid,)
        self._parse = parse
        self.reading: Reading | None = None

    def received(self, uuid: int, data: bytes) -> None:
        parsed = self._parse(data)
        if isinstance(parsed, Malformed):
            self.bad_packet(parsed)
            return
        self.reading = Reading(parsed, self.clock())

    @property
    def latest(self) -> object | None:
        return self.fresh(self.reading) if self.connected else None


@dataclass(frozen=True)
class BeltRequest:
    """What retro-tui last asked of the belt: kept to ask again after a reconnection."""

    running: bool = False
    paused: bool = False
    speed_kmh: float | None = None
    incline_pct: float | None = None


class TreadmillLink(DeviceLink):
    """The treadmill: its data, its status, and commands through its Control Point."""

    subscriptions = (ftms.TREADMILL_DATA,)

    def __init__(self, hub: DeviceHub, wanted: str, *, control: bool) -> None:
        super().__init__(hub, DeviceKind.TREADMILL, wanted)
        self.wants_control = control
        self.controlling = False
        self.speeds = ftms.DEFAULT_SPEED_RANGE
        self.inclines = ftms.DEFAULT_INCLINE_RANGE
        self.sets_incline = False
        self.data: Reading | None = None
        self.request = BeltRequest()
        self._answers: dict[int, asyncio.Future[ftms.ControlResponse]] = {}
        self._queue: list[bytes] = []
        self._wake = asyncio.Event()
        self._sent: list[tuple[int, float, float]] = []  # (opcode, value, when)
        self._sender: asyncio.Task[None] | None = None
        self._part: TreadmillData | None = None

    @property
    def belt(self) -> TreadmillData | None:
        """The belt as it was a moment ago, or ``None`` if nothing fresh came."""
        value = self.fresh(self.data) if self.connected else None
        return value if isinstance(value, TreadmillData) else None

    async def set_up(self, connection: Connection) -> None:
        await super().set_up(connection)
        self.controlling = False
        if connection.has(ftms.SPEED_RANGE):
            speeds = ftms.parse_speed_range(await connection.read(ftms.SPEED_RANGE))
            if isinstance(speeds, SpeedRange):
                self.speeds = speeds
            else:
                self.bad_packet(speeds)
        if connection.has(ftms.INCLINATION_RANGE):
            inclines = ftms.parse_incline_range(await connection.read(ftms.INCLINATION_RANGE))
            if isinstance(inclines, InclineRange):
                self.inclines = inclines
            else:
                self.bad_packet(inclines)
        features = None
        if connection.has(ftms.FEATURE):
            parsed = ftms.parse_features(await connection.read(ftms.FEATURE))
            features = parsed if isinstance(parsed, ftms.Features) else None
        self.sets_incline = (
            features.sets_incline if features else connection.has(ftms.INCLINATION_RANGE)
        )
        if connection.has(ftms.MACHINE_STATUS):
            await connection.subscribe(ftms.MACHINE_STATUS, self._status)
        if not self.wants_control:
            return
        if not connection.has(ftms.CONTROL_POINT):
            self.emit(NoControl("this treadmill only reports its data"))
            return
        # Indications first: the answer to the first command must not be missed.
        await connection.subscribe(ftms.CONTROL_POINT, self._answer)
        if self._sender is None or self._sender.done():
            self._sender = asyncio.create_task(self._send_forever())
        answer = await self._command(connection, ftms.request_control())
        if answer is None or not answer.succeeded:
            words = answer.words if answer else "it did not answer"
            self.emit(NoControl(f"the treadmill would not give control: {words}"))
            return
        self.controlling = True
        # Again what was asked before the link went: the machine may have forgotten it.
        # What was queued while away is in the request too: send that, once.
        self._queue = self._request_commands(self.request) if self.request.running else []
        self._wake.set()

    def _request_commands(self, request: BeltRequest) -> list[bytes]:
        commands = []
        if request.speed_kmh is not None:
            commands.append(ftms.set_target_speed(request.speed_kmh))
        if request.paused:
            commands.append(ftms.stop_or_pause(pause=True))
        else:
            commands.append(ftms.start_or_resume())
        if request.incline_pct is not None and self.sets_incline:
            commands.append(ftms.set_target_incline(request.incline_pct))
        return commands

    # -- what the machine sends ------------------------------------------------------------

    def received(self, uuid: int, data: bytes) -> None:
        parsed = ftms.parse_treadmill_data(data)
        if isinstance(parsed, Malformed):
            self.bad_packet(parsed)
            return
        if parsed.more_data:
            self._part = parsed  # the second part, with the speed, follows
            return
        if self._part is not None:
            parsed = _merged(self._part, parsed)
            self._part = None
        if parsed.speed_kmh is not None and parsed.speed_kmh > self.speeds.maximum_kmh + 1:
            self.report(
                f"The treadmill reported {parsed.speed_kmh:.1f} km/h, beyond its own "
                f"{self.speeds.maximum_kmh:.1f}: that reading is left out",
                once=True,
            )
            return
        self.data = Reading(parsed, self.clock())

    def _status(self, data: bytes) -> None:
        status = ftms.parse_machine_status(data)
        if isinstance(status, Malformed):
            self.bad_packet(status)
            return
        code = status.code
        if code == StatusCode.STOPPED_BY_SAFETY_KEY:
            self.request = BeltRequest(speed_kmh=self.request.speed_kmh)
            self.emit(SafetyKey())
        elif code == StatusCode.STOPPED_OR_PAUSED_BY_USER:
            self.emit(StoppedOnConsole(bool(status.paused)))
        elif code == StatusCode.STARTED_BY_USER:
            self.emit(StartedOnConsole())
        elif code == StatusCode.TARGET_SPEED_CHANGED and status.speed_kmh is not None:
            if not self._own(ftms.Opcode.SET_TARGET_SPEED, status.speed_kmh, 0.01):
                self.emit(ConsoleSpeed(status.speed_kmh))
        elif code == StatusCode.TARGET_INCLINE_CHANGED and status.incline_pct is not None:
            if not self._own(ftms.Opcode.SET_TARGET_INCLINATION, status.incline_pct, 0.1):
                self.emit(ConsoleIncline(status.incline_pct))
        elif code == StatusCode.CONTROL_PERMISSION_LOST:
            self.controlling = False
            self.emit(NoControl("the treadmill took control back"))

    def _own(self, opcode: int, value: float, tolerance: float) -> bool:
        now = self.clock()
        self._sent = [sent for sent in self._sent if now - sent[2] <= OWN_TARGET_S]
        return any(
            sent[0] == opcode and abs(sent[1] - value) <= tolerance + 1e-9 for sent in self._sent
        )

    def _answer(self, data: bytes) -> None:
        answer = ftms.parse_control_response(data)
        if isinstance(answer, Malformed):
            self.bad_packet(answer)
            return
        waiting = self._answers.pop(answer.opcode, None)
        if waiting is not None and not waiting.done():
            waiting.set_result(answer)

    # -- commands --------------------------------------------------------------------------

    def set_speed(self, kmh: float) -> None:
        self.request = replace(self.request, speed_kmh=kmh)
        self._enqueue(ftms.set_target_speed(kmh))

    def set_incline(self, pct: float) -> None:
        if not self.sets_incline:
            return
        self.request = replace(self.request, incline_pct=pct)
        self._enqueue(ftms.set_target_incline(pct))

    def start(self) -> None:
        self.request = replace(self.request, running=True, paused=False)
        self._enqueue(ftms.start_or_resume())

    def pause(self) -> None:
        self.request = replace(self.request, paused=True)
        self._enqueue(ftms.stop_or_pause(pause=True))

    def stop(self) -> None:
        self.request = BeltRequest()
        self._queue.clear()  # nothing queued before a stop matters any more
        self._enqueue(ftms.stop_or_pause(pause=False))

    def _enqueue(self, command: bytes) -> None:
        if not self.wants_control:
            return
        if command[0] in (ftms.Opcode.SET_TARGET_SPEED, ftms.Opcode.SET_TARGET_INCLINATION):
            # A newer target replaces one still waiting: the belt goes where it is asked now.
            self._queue = [queued for queued in self._queue if queued[0] != command[0]]
        self._queue.append(command)
        self._wake.set()

    async def _send_forever(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                connection = self.connection
                if connection is None or not self.controlling:
                    break  # kept: sent again from the request after the reconnection
                command = self._queue.pop(0)
                try:
                    await self._command(connection, command)
                except RadioError as error:
                    self.report(f"Could not {ftms.command_words(command)}: {error}", once=True)
                await asyncio.sleep(COMMAND_GAP_S)

    async def _command(self, connection: Connection, command: bytes) -> ftms.ControlResponse | None:
        """Send one command and wait for its answer; a refusal becomes an event."""
        opcode = command[0]
        waiting: asyncio.Future[ftms.ControlResponse] = asyncio.get_running_loop().create_future()
        self._answers[opcode] = waiting
        parsed = ftms.parse_control_command(command)
        if isinstance(parsed, ftms.ControlCommand):
            value = parsed.speed_kmh if parsed.speed_kmh is not None else parsed.incline_pct
            if value is not None:
                self._sent.append((opcode, value, self.clock()))
        await connection.write(ftms.CONTROL_POINT, command)
        try:
            answer = await asyncio.wait_for(waiting, ANSWER_TIMEOUT_S)
        except TimeoutError:
            self._answers.pop(opcode, None)
            self.report(f"The treadmill did not answer when asked to {ftms.command_words(command)}")
            return None
        if not answer.succeeded:
            self.emit(Refused(ftms.command_words(command), answer.words))
        return answer

    async def close(self) -> None:
        if self._sender is not None:
            await cancel_all([self._sender])
        await super().close()


def _merged(first: TreadmillData, second: TreadmillData) -> TreadmillData:
    """The two parts of a split notification as one."""
    missing = {
        item.name: getattr(first, item.name)
        for item in fields(TreadmillData)
        if getattr(second, item.name) is None and getattr(first, item.name) is not None
    }
    return replace(second, **missing)


# -- all devices ---------------------------------------------------------------------------


class DeviceHub:
    """The radio and one link per configured device, all in the app's asyncio loop."""

    def __init__(
        self,
        radio: Radio,
        *,
        treadmill: str = "",
        heart_rate: str = "",
        foot_pod: str = "",
        control: bool = True,
        clock: Clock = time.monotonic,
    ) -> None:
        self.radio = radio
        self.clock = clock
        self.events: list[DeviceEvent] = []
        self.treadmill = TreadmillLink(self, treadmill, control=control) if treadmill else None
        self.heart = (
            SensorLink(
                self,
                DeviceKind.HEART_RATE,
                heart_rate,
                ftms.HEART_RATE_MEASUREMENT,
                parse_heart_rate,
            )
            if heart_rate
            else None
        )
        self.foot_pod = (
            SensorLink(self, DeviceKind.FOOT_POD, foot_pod, ftms.RSC_MEASUREMENT, parse_rsc)
            if foot_pod
            else None
        )
        self.radio_lock = asyncio.Lock()
        self._heard: list[Advert] = []
        self._tasks: list[asyncio.Task[None]] = []
        self.radio_problem = ""
        self.wake: Callable[[], None] = lambda: None
        """Called at every event (in the loop's thread), so a screen can look at once."""

    @property
    def links(self) -> list[DeviceLink]:
        return [link for link in (self.treadmill, self.heart, self.foot_pod) if link is not None]

    def start(self) -> None:
        """Start every link's task in the running loop (returns at once)."""
        if not self._tasks and self.links:
            self._tasks.append(asyncio.get_running_loop().create_task(self._run()))

    async def _run(self) -> None:
        while True:
            try:
                await self.radio.open()
                break
            except RadioError as error:
                if str(error) != self.radio_problem:
                    self.radio_problem = str(error)
                    for link in self.links:
                        link.report(str(error), once=True)
            await asyncio.sleep(RETRY_S * 2)
        self.radio_problem = ""
        self._tasks += [asyncio.get_running_loop().create_task(link.run()) for link in self.links]

    async def find(self, wanted: str) -> str:
        """The address of the device called ``wanted``, from one scan shared by every link
        (the caller holds :attr:`radio_lock`)."""
        for fresh in (False, True):
            if fresh:
                self._heard = await self.radio.scan(SCAN_S)
            for advert in self._heard:
                if matches(advert, wanted):
                    self._heard.remove(advert)
                    return advert.address
        return ""

    def poll(self) -> list[DeviceEvent]:
        """Every event since the last poll, in order (as the workout engine's)."""
        events, self.events = self.events, []
        return events

    @property
    def heart_rate(self) -> int | None:
        reading = self.heart.latest if self.heart else None
        return reading.bpm if isinstance(reading, HeartRate) and reading.bpm > 0 else None

    @property
    def cadence(self) -> int | None:
        reading = self.foot_pod.latest if self.foot_pod else None
        return reading.cadence_spm if isinstance(reading, Stride) else None

    async def close(self) -> None:
        await cancel_all(self._tasks)
        self._tasks = []
        for link in self.links:
            await at_most(GOODBYE_S, link.close())
        await at_most(2 * GOODBYE_S, self.radio.close())


async def scan(radio: Radio, seconds: float) -> list[Advert]:
    """Every treadmill, strap and foot pod heard in ``seconds``, strongest first."""
    await radio.open()
    heard = await radio.scan(seconds)
    known = [advert for advert in heard if advert.kinds]
    return sorted(known, key=lambda advert: -(advert.rssi if advert.rssi is not None else -999))
