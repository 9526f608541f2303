"""The byte layouts of FTMS (treadmills), and the assigned numbers of every service.

Everything is little-endian, as the Bluetooth SIG's service specifications say.
Parsing never raises: a packet that is too short, or whose flags promise fields
that are not there, comes back as :class:`Malformed` saying what was wrong, so
one bad notification costs one reading and never a workout. Encoding takes
values in the units people use (km/h, percent) and rounds them to the
protocol's own (0.01 km/h, 0.1 %) without truncating: 3.5 km/h goes out as 350,
not 300.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

from retro_tui.devices.packets import Malformed, PacketReader

# -- assigned numbers ----------------------------------------------------------------------

FTMS_SERVICE = 0x1826
HEART_RATE_SERVICE = 0x180D
RSC_SERVICE = 0x1814

FEATURE = 0x2ACC
TREADMILL_DATA = 0x2ACD
TRAINING_STATUS = 0x2AD3
SPEED_RANGE = 0x2AD4
INCLINATION_RANGE = 0x2AD5
CONTROL_POINT = 0x2AD9
MACHINE_STATUS = 0x2ADA
HEART_RATE_MEASUREMENT = 0x2A37
RSC_MEASUREMENT = 0x2A53


class DeviceKind(IntEnum):
    """What a device is, by the service it advertises."""

    TREADMILL = FTMS_SERVICE
    HEART_RATE = HEART_RATE_SERVICE
    FOOT_POD = RSC_SERVICE

    @property
    def label(self) -> str:
        return {
            DeviceKind.TREADMILL: "treadmill",
            DeviceKind.HEART_RATE: "heart-rate strap",
            DeviceKind.FOOT_POD: "foot pod",
        }[self]


# -- Treadmill Data (0x2ACD) ---------------------------------------------------------------


class TreadmillFlag(IntEnum):
    MORE_DATA = 1 << 0  # inverted: CLEAR means the instantaneous speed is present
    AVERAGE_SPEED = 1 << 1
    TOTAL_DISTANCE = 1 << 2
    INCLINATION = 1 << 3
    ELEVATION_GAIN = 1 << 4
    INSTANTANEOUS_PACE = 1 << 5
    AVERAGE_PACE = 1 << 6
    EXPENDED_ENERGY = 1 << 7
    HEART_RATE = 1 << 8
    METABOLIC_EQUIVALENT = 1 << 9
    ELAPSED_TIME = 1 << 10
    REMAINING_TIME = 1 << 11
    FORCE_AND_POWER = 1 << 12


@dataclass(frozen=True)
class TreadmillData:
    """One Treadmill Data notification: the fields it carried, each ``None`` if absent.

    ``more_data`` is set on the first part of a notification split in two; that
    part carries no instantaneous speed.
    """

    more_data: bool = False
    speed_kmh: float | None = None
    average_speed_kmh: float | None = None
    distance_m: int | None = None
    incline_pct: float | None = None
    ramp_angle_deg: float | None = None
    elevation_gain_m: float | None = None
    total_energy_kcal: int | None = None
    heart_rate_bpm: int | None = None
    elapsed_s: int | None = None
    remaining_s: int | None = None
    power_w: int | None = None


NOT_AVAILABLE_U16 = 0xFFFF
NOT_AVAILABLE_S16 = 0x7FFF
NOT_AVAILABLE_U8 = 0xFF


def parse_treadmill_data(data: bytes) -> TreadmillData | Malformed:
    """Read a Treadmill Data notification (see the module docstring: never raises)."""
    data = bytes(data)
    what = "treadmill data"
    if len(data) < 2:
        return Malformed(what, "shorter than its flags", data)
    read = PacketReader(data)
    flags = read.take("<H", "flags")
    more_data = bool(flags & TreadmillFlag.MORE_DATA)
    speed = None if more_data else read.take("<H", "instantaneous speed") / 100
    average = (
        read.take("<H", "average speed") / 100 if flags & TreadmillFlag.AVERAGE_SPEED else None
    )
    distance = read.uint24("total distance") if flags & TreadmillFlag.TOTAL_DISTANCE else None
    incline = angle = None
    if flags & TreadmillFlag.INCLINATION:
        raw_incline = read.take("<h", "inclination")
        raw_angle = read.take("<h", "ramp angle")
        incline = None if raw_incline == NOT_AVAILABLE_S16 else raw_incline / 10
        angle = None if raw_angle == NOT_AVAILABLE_S16 else raw_angle / 10
    gain = None
    if flags & TreadmillFlag.ELEVATION_GAIN:
        gain = read.take("<H", "positive elevation gain") / 10
        read.skip(2, "negative elevation gain")
    # Pace fields: one byte each by the specification. Machines disagree on the width,
    # so nothing after them is trusted more than the specification's layout allows.
    if flags & TreadmillFlag.INSTANTANEOUS_PACE:
        read.skip(1, "instantaneous pace")
    if flags & TreadmillFlag.AVERAGE_PACE:
        read.skip(1, "average pace")
    energy = None
    if flags & TreadmillFlag.EXPENDED_ENERGY:
        total = read.take("<H", "total energy")
        read.skip(2, "energy per hour")
        read.skip(1, "energy per minute")
        energy = None if total == NOT_AVAILABLE_U16 else total
    heart_rate = None
    if flags & TreadmillFlag.HEART_RATE:
        heart_rate = read.take("<B", "heart rate") or None
    if flags & TreadmillFlag.METABOLIC_EQUIVALENT:
        read.skip(1, "metabolic equivalent")
    elapsed = read.take("<H", "elapsed time") if flags & TreadmillFlag.ELAPSED_TIME else None
    remaining = read.take("<H", "remaining time") if flags & TreadmillFlag.REMAINING_TIME else None
    power = None
    if flags & TreadmillFlag.FORCE_AND_POWER:
        read.skip(2, "force on belt")
        power = read.take("<h", "power output")
    if read.missing is not None:
        return Malformed(what, f"the flags promise {read.missing}, which is missing", data)
    return TreadmillData(
        more_data=more_data,
        speed_kmh=speed,
        average_speed_kmh=average,
        distance_m=distance,
        incline_pct=incline,
        ramp_angle_deg=angle,
        elevation_gain_m=gain,
        total_energy_kcal=energy,
        heart_rate_bpm=heart_rate,
        elapsed_s=elapsed,
        remaining_s=remaining,
        power_w=power,
    )


def encode_treadmill_data(
    *,
    speed_kmh: float | None,
    distance_m: int | None = None,
    incline_pct: float | None = None,
    heart_rate_bpm: int | None = None,
    elapsed_s: int | None = None,
) -> bytes:
    """A Treadmill Data notification as a machine sends it (the simulator's)."""
    flags = 0 if speed_kmh is not None else TreadmillFlag.MORE_DATA
    body = b""
    if speed_kmh is not None:
        body += struct.pack("<H", speed_units(speed_kmh))
    if distance_m is not None:
        flags |= TreadmillFlag.TOTAL_DISTANCE
        body += min(max(distance_m, 0), 0xFFFFFF).to_bytes(3, "little")
    if incline_pct is not None:
        flags |= TreadmillFlag.INCLINATION
        body += struct.pack("<hh", incline_units(incline_pct), NOT_AVAILABLE_S16)
    if heart_rate_bpm is not None:
        flags |= TreadmillFlag.HEART_RATE
        body += struct.pack("<B", max(0, min(heart_rate_bpm, 255)))
    if elapsed_s is not None:
        flags |= TreadmillFlag.ELAPSED_TIME
        body += struct.pack("<H", max(0, min(elapsed_s, 0xFFFF)))
    return struct.pack("<H", flags) + body


# -- ranges and features -------------------------------------------------------------------


@dataclass(frozen=True)
class SpeedRange:
    """What the belt can do, in km/h (Supported Speed Range)."""

    minimum_kmh: float
    maximum_kmh: float
    increment_kmh: float

    def clamp(self, kmh: float) -> float:
        """``kmh`` inside the range, on the machine's increment."""
        inside = min(max(kmh, self.minimum_kmh), self.maximum_kmh)
        if inside >= self.maximum_kmh:
            return round(self.maximum_kmh, 2)  # the top, even off the increment's grid
        if self.increment_kmh > 0:
            steps = round((inside - self.minimum_kmh) / self.increment_kmh)
            inside = min(self.minimum_kmh + steps * self.increment_kmh, self.maximum_kmh)
        return round(inside, 2)


@dataclass(frozen=True)
class InclineRange:
    """What the deck can do, in percent (Supported Inclination Range)."""

    minimum_pct: float
    maximum_pct: float
    increment_pct: float

    def clamp(self, pct: float) -> float:
        inside = min(max(pct, self.minimum_pct), self.maximum_pct)
        if inside >= self.maximum_pct:
            return round(self.maximum_pct, 1)
        if self.increment_pct > 0:
            steps = round((inside - self.minimum_pct) / self.increment_pct)
            inside = min(self.minimum_pct + steps * self.increment_pct, self.maximum_pct)
        return round(inside, 1)


DEFAULT_SPEED_RANGE = SpeedRange(0.5, 20.0, 0.1)
"""Assumed when a machine does not say: a cautious home treadmill."""
DEFAULT_INCLINE_RANGE = InclineRange(0.0, 15.0, 0.5)


def _read_range(data: bytes, what: str, form: str, per: int) -> list[float] | Malformed:
    """A range characteristic: minimum, maximum and increment, each in 1/``per`` units."""
    data = bytes(data)
    if len(data) < struct.calcsize(form):
        return Malformed(what, "shorter than three values", data)
    low, high, step = struct.unpack_from(form, data)
    if low > high:
        return Malformed(what, "its minimum is above its maximum", data)
    return [low / per, high / per, step / per]


def parse_speed_range(data: bytes) -> SpeedRange | Malformed:
    read = _read_range(data, "speed range", "<HHH", 100)
    return read if isinstance(read, Malformed) else SpeedRange(*read)


def encode_speed_range(speeds: SpeedRange) -> bytes:
    return struct.pack(
        "<HHH",
        speed_units(speeds.minimum_kmh),
        speed_units(speeds.maximum_kmh),
        speed_units(speeds.increment_kmh),
    )


def parse_incline_range(data: bytes) -> InclineRange | Malformed:
    read = _read_range(data, "inclination range", "<hhH", 10)
    return read if isinstance(read, Malformed) else InclineRange(*read)


def encode_incline_range(inclines: InclineRange) -> bytes:
    return struct.pack(
        "<hhH",
        incline_units(inclines.minimum_pct),
        incline_units(inclines.maximum_pct),
        round(inclines.increment_pct * 10),
    )


@dataclass(frozen=True)
class Features:
    """Fitness Machine Feature: what the machine reports and which targets it takes."""

    machine: int
    targets: int

    @property
    def sets_speed(self) -> bool:
        return bool(self.targets & 0b01)

    @property
    def sets_incline(self) -> bool:
        return bool(self.targets & 0b10)


def parse_features(data: bytes) -> Features | Malformed:
    data = bytes(data)
    if len(data) < 8:
        return Malformed("machine features", "shorter than two 32-bit fields", data)
    machine, targets = struct.unpack_from("<II", data)
    return Features(machine, targets)


def encode_features(*, sets_speed: bool, sets_incline: bool) -> bytes:
    # Machine features: average speed (bit 0), total distance (bit 2), inclination (bit 3),
    # heart rate (bit 10), elapsed time (bit 12).
    machine = (1 << 0) | (1 << 2) | (1 << 3) | (1 << 10) | (1 << 12)
    return struct.pack("<II", machine, int(sets_speed) | int(sets_incline) << 1)


# -- the Control Point (0x2AD9) ------------------------------------------------------------


class Opcode(IntEnum):
    REQUEST_CONTROL = 0x00
    RESET = 0x01
    SET_TARGET_SPEED = 0x02
    SET_TARGET_INCLINATION = 0x03
    START_OR_RESUME = 0x07
    STOP_OR_PAUSE = 0x08
    RESPONSE = 0x80


class ResultCode(IntEnum):
    SUCCESS = 0x01
    NOT_SUPPORTED = 0x02
    INVALID_PARAMETER = 0x03
    OPERATION_FAILED = 0x04
    CONTROL_NOT_PERMITTED = 0x05

    @property
    def words(self) -> str:
        return RESULT_WORDS[self]


RESULT_WORDS = {
    ResultCode.SUCCESS: "done",
    ResultCode.NOT_SUPPORTED: "the treadmill does not support it",
    ResultCode.INVALID_PARAMETER: "the treadmill refused the value",
    ResultCode.OPERATION_FAILED: "the treadmill could not do it",
    ResultCode.CONTROL_NOT_PERMITTED: "the treadmill does not let retro-tui control it",
}

COMMAND_WORDS = {
    Opcode.REQUEST_CONTROL: "take control",
    Opcode.RESET: "reset",
    Opcode.SET_TARGET_SPEED: "set the speed",
    Opcode.SET_TARGET_INCLINATION: "set the incline",
    Opcode.START_OR_RESUME: "start the belt",
    Opcode.STOP_OR_PAUSE: "stop the belt",
}

STOP = 0x01
PAUSE = 0x02


def speed_units(kmh: float) -> int:
    """km/h in the protocol's 0.01 km/h, rounded (never truncated), within a uint16."""
    return max(0, min(round(kmh * 100), 0xFFFF))


def incline_units(pct: float) -> int:
    """Percent in the protocol's 0.1 %, rounded, within a sint16."""
    return max(-0x8000, min(round(pct * 10), 0x7FFE))


def request_control() -> bytes:
    return bytes([Opcode.REQUEST_CONTROL])


def set_target_speed(kmh: float) -> bytes:
    return bytes([Opcode.SET_TARGET_SPEED]) + struct.pack("<H", speed_units(kmh))


def set_target_incline(pct: float) -> bytes:
    return bytes([Opcode.SET_TARGET_INCLINATION]) + struct.pack("<h", incline_units(pct))


def start_or_resume() -> bytes:
    return bytes([Opcode.START_OR_RESUME])


def stop_or_pause(*, pause: bool) -> bytes:
    return bytes([Opcode.STOP_OR_PAUSE, PAUSE if pause else STOP])


def command_words(command: bytes) -> str:
    """What a Control Point command asks, in words: ``set the speed to 3.50 km/h``."""
    if not command:
        return "an empty command"
    try:
        opcode = Opcode(command[0])
    except ValueError:
        return f"command 0x{command[0]:02x}"
    words = COMMAND_WORDS.get(opcode, opcode.name.lower())
    if opcode is Opcode.SET_TARGET_SPEED and len(command) >= 3:
        return f"{words} to {struct.unpack_from('<H', command, 1)[0] / 100:.2f} km/h"
    if opcode is Opcode.SET_TARGET_INCLINATION and len(command) >= 3:
        return f"{words} to {struct.unpack_from('<h', command, 1)[0] / 10:.1f} %"
    return words


@dataclass(frozen=True)
class ControlResponse:
    """The machine's answer to one command: ``[0x80, opcode, result]``."""

    opcode: int
    result: int

    @property
    def succeeded(self) -> bool:
        return self.result == ResultCode.SUCCESS

    @property
    def words(self) -> str:
        try:
            return ResultCode(self.result).words
        except ValueError:
            return f"the treadmill answered with an unknown result (0x{self.result:02x})"


def parse_control_response(data: bytes) -> ControlResponse | Malformed:
    data = bytes(data)
    if len(data) < 3:
        return Malformed("control point answer", "shorter than three bytes", data)
    if data[0] != Opcode.RESPONSE:
        return Malformed("control point answer", "not a response code", data)
    return ControlResponse(data[1], data[2])


def encode_control_response(opcode: int, result: ResultCode) -> bytes:
    return bytes([Opcode.RESPONSE, opcode & 0xFF, result])


@dataclass(frozen=True)
class ControlCommand:
    """A command as the machine reads it off its Control Point (the simulator's side)."""

    opcode: int
    speed_kmh: float | None = None
    incline_pct: float | None = None
    stop_or_pause: int | None = None


@dataclass(frozen=True)
class _Coded:
    """A code byte and the one parameter it may carry: a speed, an incline, or a byte."""

    code: int
    speed_kmh: float | None = None
    incline_pct: float | None = None
    parameter: int | None = None


def _read_coded(
    data: bytes, what: str, codes: tuple[int, int, int], names: tuple[str, str, str]
) -> _Coded | Malformed:
    """Control Point commands and status notifications share one layout: a code, then for
    the speed code a uint16 in 0.01 km/h, for the incline code a sint16 in 0.1 %, and for
    the stop code one byte. ``names`` words each of the three for a message."""
    data = bytes(data)
    if not data:
        return Malformed(what, "empty", data)
    code = data[0]
    speed_code, incline_code, byte_code = codes
    if code in (speed_code, incline_code) and len(data) < 3:
        return Malformed(what, f"{names[code == incline_code]} needs two bytes", data)
    if code == speed_code:
        return _Coded(code, speed_kmh=struct.unpack_from("<H", data, 1)[0] / 100)
    if code == incline_code:
        return _Coded(code, incline_pct=struct.unpack_from("<h", data, 1)[0] / 10)
    if code == byte_code:
        if len(data) < 2:
            return Malformed(what, f"{names[2]} needs its parameter", data)
        return _Coded(code, parameter=data[1])
    return _Coded(code)


def parse_control_command(data: bytes) -> ControlCommand | Malformed:
    codes = (Opcode.SET_TARGET_SPEED, Opcode.SET_TARGET_INCLINATION, Opcode.STOP_OR_PAUSE)
    names = ("a speed", "an incline", "stop or pause")
    read = _read_coded(data, "control point command", codes, names)
    if isinstance(read, Malformed):
        return read
    return ControlCommand(read.code, read.speed_kmh, read.incline_pct, read.parameter)


# -- Fitness Machine Status (0x2ADA) -------------------------------------------------------


class StatusCode(IntEnum):
    RESET = 0x01
    STOPPED_OR_PAUSED_BY_USER = 0x02
    STOPPED_BY_SAFETY_KEY = 0x03
    STARTED_BY_USER = 0x04
    TARGET_SPEED_CHANGED = 0x05
    TARGET_INCLINE_CHANGED = 0x06
    CONTROL_PERMISSION_LOST = 0xFF


@dataclass(frozen=True)
class MachineStatus:
    """One status notification: what the machine, or the person at it, did."""

    code: int
    speed_kmh: float | None = None
    incline_pct: float | None = None
    paused: bool | None = None
    """For 0x02: true if paused, false if stopped."""


def parse_machine_status(data: bytes) -> MachineStatus | Malformed:
    codes = (
        StatusCode.TARGET_SPEED_CHANGED,
        StatusCode.TARGET_INCLINE_CHANGED,
        StatusCode.STOPPED_OR_PAUSED_BY_USER,
    )
    names = ("a new target speed", "a new target incline", "stopped or paused")
    read = _read_coded(data, "machine status", codes, names)
    if isinstance(read, Malformed):
        return read
    paused = None if read.parameter is None else read.parameter == PAUSE
    return MachineStatus(read.code, read.speed_kmh, read.incline_pct, paused)


def encode_machine_status(
    code: StatusCode,
    *,
    speed_kmh: float | None = None,
    incline_pct: float | None = None,
    paused: bool = False,
) -> bytes:
    if code is StatusCode.TARGET_SPEED_CHANGED:
        return bytes([code]) + struct.pack("<H", speed_units(speed_kmh or 0.0))
    if code is StatusCode.TARGET_INCLINE_CHANGED:
        return bytes([code]) + struct.pack("<h", incline_units(incline_pct or 0.0))
    if code is StatusCode.STOPPED_OR_PAUSED_BY_USER:
        return bytes([code, PAUSE if paused else STOP])
    return bytes([code])
