"""The FTMS, HRS and RSC byte layouts, checked against packets built by hand.

Every expected packet here is written out as literal bytes, worked out from the Bluetooth
SIG specifications (summarised in devices.md), never produced by the module's own
encoders: little-endian throughout; Treadmill Data is a uint16 of flags, then its fields in
the order of the flag bits, with bit 0 ("more data") inverted, so a CLEAR bit 0 means the
instantaneous speed (uint16, 0.01 km/h) is there. The file checks:

- Treadmill Data: single fields (fractional low speeds, negative incline, "not available",
  uint24 distance, heart rate, times, power) and all 2**13 flag combinations, field by
  field, so a field read at the wrong width or offset (the pace fields above all) shows up;
- that a packet cut short anywhere is a ``Malformed`` naming the missing field, never an
  exception;
- Heart Rate Measurement, RSC Measurement, the Control Point (commands, answers, result
  words), Fitness Machine Status, the supported speed and inclination ranges and their
  clamping;
- round trips through the simulator-side encoders, and that no parser raises on
  arbitrary bytes (Hypothesis).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retro_tui.devices import protocol, sensors
from retro_tui.devices.packets import Malformed
from retro_tui.devices.protocol import (
    ControlCommand,
    ControlResponse,
    Features,
    InclineRange,
    MachineStatus,
    ResultCode,
    SpeedRange,
    StatusCode,
    TreadmillData,
)
from retro_tui.devices.sensors import HeartRate, Stride
from retro_tui.plan.model import KMH_PER_MPH


def hexbytes(text: str) -> bytes:
    """``"0c05 5e01"`` as bytes: spaces only group the fields for the reader."""
    return bytes.fromhex(text)


def expect_malformed(result: object, *, naming: str | None = None) -> Malformed:
    assert isinstance(result, Malformed), f"expected Malformed, got {result!r}"
    if naming is not None:
        assert naming in result.reason, f"{result.reason!r} does not name {naming!r}"
    return result


def expect_treadmill(data: bytes) -> TreadmillData:
    result = protocol.parse_treadmill_data(data)
    assert isinstance(result, TreadmillData), f"{data.hex(' ')} -> {result}"
    return result


# -- Treadmill Data: single fields ---------------------------------------------------------


@pytest.mark.parametrize(
    ("packet", "speed_kmh"),
    [
        ("0000 5e01", 3.5),  # 350 = 0x015E
        ("0000 5000", 0.8),  # 80 = 0x0050: about 0.5 mph
        ("0000 a100", 1.61),  # 161 = 0x00A1: about 1 mph
        ("0000 1e00", 0.3),  # 30
        ("0000 0000", 0.0),
        ("0000 d007", 20.0),  # 2000 = 0x07D0
        ("0000 ffff", 655.35),  # the largest a uint16 holds
    ],
)
def test_instantaneous_speed_is_in_hundredths_of_a_kmh(packet: str, speed_kmh: float) -> None:
    reading = expect_treadmill(hexbytes(packet))
    assert reading.speed_kmh == pytest.approx(speed_kmh)
    assert reading.more_data is False


def test_speed_is_read_little_endian() -> None:
    # 0x5E01 would be 240.01 km/h; the bytes 5e 01 are 0x015E = 350 = 3.50 km/h.
    assert expect_treadmill(hexbytes("0000 5e01")).speed_kmh == pytest.approx(3.5)


def test_more_data_bit_set_means_no_instantaneous_speed() -> None:
    reading = expect_treadmill(hexbytes("0100"))
    assert reading.more_data is True
    assert reading.speed_kmh is None


def test_more_data_packet_reads_its_next_field_from_the_first_byte_after_the_flags() -> None:
    # flags 0x0003: more data (no speed) + average speed 161 -> 1.61 km/h.
    reading = expect_treadmill(hexbytes("0300 a100"))
    assert reading.speed_kmh is None
    assert reading.average_speed_kmh == pytest.approx(1.61)


@pytest.mark.parametrize(
    ("incline_bytes", "incline_pct"),
    [
        ("f1ff", -1.5),  # -15 = 0xFFF1
        ("e7ff", -2.5),  # -25 = 0xFFE7
        ("ffff", -0.1),  # -1
        ("0080", -3276.8),  # -32768, the most negative sint16
        ("0f00", 1.5),
        ("9600", 15.0),  # 150
    ],
)
def test_incline_is_a_signed_tenth_of_a_percent(incline_bytes: str, incline_pct: float) -> None:
    # flags 0x0008: inclination + ramp angle after the speed.
    reading = expect_treadmill(hexbytes(f"0800 5e01 {incline_bytes} 0000"))
    assert reading.incline_pct == pytest.approx(incline_pct)
    assert reading.ramp_angle_deg == 0.0


def test_incline_and_ramp_angle_0x7fff_mean_not_available() -> None:
    reading = expect_treadmill(hexbytes("0800 5e01 ff7f ff7f"))
    assert reading.incline_pct is None
    assert reading.ramp_angle_deg is None


def test_ramp_angle_is_a_signed_tenth_of_a_degree_after_the_incline() -> None:
    reading = expect_treadmill(hexbytes("0800 5e01 ff7f f6ff"))  # angle -10 -> -1.0 degree
    assert reading.incline_pct is None
    assert reading.ramp_angle_deg == pytest.approx(-1.0)


@pytest.mark.parametrize(
    ("distance_bytes", "distance_m"),
    [
        ("000000", 0),
        ("ffff00", 65535),
        ("000001", 65536),  # just past what a uint16 could hold
        ("a08601", 100000),  # 0x0186A0
        ("ffffff", 16777215),  # the largest uint24
    ],
)
def test_total_distance_is_a_uint24_of_metres(distance_bytes: str, distance_m: int) -> None:
    reading = expect_treadmill(hexbytes(f"0400 5e01 {distance_bytes}"))
    assert reading.distance_m == distance_m


def test_elevation_gain_exposes_the_positive_gain_in_tenths_of_a_metre() -> None:
    # flags 0x0010: positive 123 -> 12.3 m, negative 45 (not exposed), then heart rate
    # would follow; a wrong width here would misread it.
    reading = expect_treadmill(hexbytes("1001 5e01 7b00 2d00 5a"))
    assert reading.elevation_gain_m == pytest.approx(12.3)
    assert reading.heart_rate_bpm == 90


def test_heart_rate_in_treadmill_data() -> None:
    reading = expect_treadmill(hexbytes("0001 5e01 5a"))  # flags 0x0100, 90 bpm
    assert reading.heart_rate_bpm == 90


def test_heart_rate_of_zero_in_treadmill_data_means_no_reading() -> None:
    # Machines send 0 when no hand is on the grips; it is not a pulse.
    assert expect_treadmill(hexbytes("0001 5e01 00")).heart_rate_bpm is None


def test_elapsed_and_remaining_time_are_uint16_seconds() -> None:
    # flags 0x0C00: elapsed 0x0E10 = 3600 s, remaining 0x012C = 300 s.
    reading = expect_treadmill(hexbytes("000c 5e01 100e 2c01"))
    assert reading.elapsed_s == 3600
    assert reading.remaining_s == 300


def test_power_is_the_signed_field_after_the_force_on_belt() -> None:
    # flags 0x1000: force -12 N (0xFFF4, not exposed), power 150 W (0x0096).
    assert expect_treadmill(hexbytes("0010 5e01 f4ff 9600")).power_w == 150
    # power -50 W = 0xFFCE: sint16, so a braking belt reads negative.
    assert expect_treadmill(hexbytes("0010 5e01 0000 ceff")).power_w == -50


def test_total_energy_0xffff_means_not_available() -> None:
    # flags 0x0080: total, per hour, per minute.
    assert expect_treadmill(hexbytes("8000 5e01 ffff ffff ff")).total_energy_kcal is None
    assert expect_treadmill(hexbytes("8000 5e01 2c01 e803 11")).total_energy_kcal == 300


def test_bytes_after_the_last_promised_field_are_ignored() -> None:
    assert expect_treadmill(hexbytes("0000 5e01 dead")).speed_kmh == pytest.approx(3.5)


def test_treadmill_data_accepts_a_bytearray_as_bleak_delivers_it() -> None:
    # Annotated ``bytes``, but bleak hands notifications over as bytearray.
    reading = protocol.parse_treadmill_data(cast(bytes, bytearray(hexbytes("0000 5e01"))))
    assert isinstance(reading, TreadmillData)
    assert reading.speed_kmh == pytest.approx(3.5)


def test_a_real_looking_notification_with_several_fields() -> None:
    # flags 0x058C = bits 2, 3, 7, 8, 10; speed 1.61 km/h (a1 00), distance 1234 m
    # (d2 04 00), incline -1.5 % (f1 ff) with ramp angle n/a (ff 7f), energy 42 kcal
    # (2a 00), 120 kcal/h (78 00), 2 kcal/min (02), heart rate 0x6E = 110, elapsed 0x0258
    # = 600 s.
    reading = expect_treadmill(hexbytes("8c05 a100 d20400 f1ff ff7f 2a00 7800 02 6e 5802"))
    assert reading == TreadmillData(
        speed_kmh=1.61,
        distance_m=1234,
        incline_pct=-1.5,
        total_energy_kcal=42,
        heart_rate_bpm=110,
        elapsed_s=600,
    )


# -- Treadmill Data: every combination of the 13 flag bits ---------------------------------


@dataclass(frozen=True)
class Field:
    """One field of Treadmill Data: its name in messages, its bytes, and what it reads as."""

    name: str
    raw: bytes
    attribute: str | None = None
    value: object = None


# Written out by hand from the layout table, in packet order. Every field's bytes differ
# from its neighbours', so a field read at the wrong offset or width reads wrong.
LAYOUT: list[tuple[int, tuple[Field, ...]]] = [
    (0, (Field("instantaneous speed", b"\x5e\x01", "speed_kmh", 3.5),)),  # 350
    (1, (Field("average speed", b"\xa1\x00", "average_speed_kmh", 1.61),)),  # 161
    (2, (Field("total distance", b"\x40\xe2\x01", "distance_m", 123456),)),  # 0x01E240
    (
        3,
        (
            Field("inclination", b"\xf1\xff", "incline_pct", -1.5),  # -15
            Field("ramp angle", b"\xf6\xff", "ramp_angle_deg", -1.0),  # -10
        ),
    ),
    (
        4,
        (
            Field("positive elevation gain", b"\x7b\x00", "elevation_gain_m", 12.3),  # 123
            Field("negative elevation gain", b"\x2d\x00"),
        ),
    ),
    (5, (Field("instantaneous pace", b"\x55"),)),
    (6, (Field("average pace", b"\x66"),)),
    (
        7,
        (
            Field("total energy", b"\x2c\x01", "total_energy_kcal", 300),
            Field("energy per hour", b"\xe8\x03"),  # 1000
            Field("energy per minute", b"\x11"),
        ),
    ),
    (8, (Field("heart rate", b"\x8c", "heart_rate_bpm", 140),)),
    (9, (Field("metabolic equivalent", b"\x23"),)),
    (10, (Field("elapsed time", b"\x10\x0e", "elapsed_s", 3600),)),
    (11, (Field("remaining time", b"\x58\x02", "remaining_s", 600),)),
    (
        12,
        (
            Field("force on belt", b"\x9c\xff"),  # -100 N
            Field("power output", b"\x4b\x00", "power_w", 75),
        ),
    ),
]

ALL_FLAG_COMBINATIONS = range(1 << 13)


def fields_for(flags: int) -> list[Field]:
    """The fields a packet with these flags carries, in order (bit 0 is inverted)."""
    present: list[Field] = []
    for bit, fields in LAYOUT:
        is_set = bool(flags & (1 << bit))
        if is_set != (bit == 0):
            present.extend(fields)
    return present


def packet_for(flags: int) -> bytes:
    return flags.to_bytes(2, "little") + b"".join(field.raw for field in fields_for(flags))


def expected_reading(flags: int) -> dict[str, Any]:
    expected: dict[str, Any] = {
        "more_data": bool(flags & 1),
        "speed_kmh": None,
        "average_speed_kmh": None,
        "distance_m": None,
        "incline_pct": None,
        "ramp_angle_deg": None,
        "elevation_gain_m": None,
        "total_energy_kcal": None,
        "heart_rate_bpm": None,
        "elapsed_s": None,
        "remaining_s": None,
        "power_w": None,
    }
    for field in fields_for(flags):
        if field.attribute is not None:
            expected[field.attribute] = field.value
    return expected


def test_the_hand_table_covers_every_attribute_the_module_exposes() -> None:
    exposed = set(TreadmillData.__dataclass_fields__) - {"more_data"}
    in_table = {f.attribute for _, fields in LAYOUT for f in fields if f.attribute}
    assert in_table == exposed


def test_every_flag_combination_reads_every_field_right() -> None:
    wrong: list[str] = []
    for flags in ALL_FLAG_COMBINATIONS:
        data = packet_for(flags)
        result = protocol.parse_treadmill_data(data)
        if not isinstance(result, TreadmillData):
            wrong.append(f"flags 0x{flags:04x}: {result}")
            continue
        expected = expected_reading(flags)
        for attribute, value in expected.items():
            actual = getattr(result, attribute)
            if actual != value:
                wrong.append(f"flags 0x{flags:04x}: {attribute} = {actual!r}, not {value!r}")
    assert not wrong, f"{len(wrong)} wrong, first: " + "; ".join(wrong[:5])


def test_every_flag_combination_one_byte_short_names_its_last_field() -> None:
    wrong: list[str] = []
    for flags in ALL_FLAG_COMBINATIONS:
        present = fields_for(flags)
        if not present:
            continue  # only flags: nothing to cut
        data = packet_for(flags)[:-1]
        result = protocol.parse_treadmill_data(data)
        if not isinstance(result, Malformed) or present[-1].name not in result.reason:
            wrong.append(f"flags 0x{flags:04x}: {result!r}, wanted {present[-1].name}")
    assert not wrong, f"{len(wrong)} wrong, first: " + "; ".join(wrong[:5])


EVERY_FIELD_FLAGS = 0x1FFE  # all twelve optional bits, bit 0 clear so the speed is there too


def cut_points_with_missing_field() -> list[tuple[int, str]]:
    """Each length the full packet can be cut to, and the field that is then missing."""
    cuts: list[tuple[int, str]] = []
    offset = 2
    for field in fields_for(EVERY_FIELD_FLAGS):
        cuts.extend((length, field.name) for length in range(offset, offset + len(field.raw)))
        offset += len(field.raw)
    return cuts


@pytest.mark.parametrize(("length", "missing"), cut_points_with_missing_field())
def test_packet_with_every_field_cut_anywhere_names_the_missing_field(
    length: int, missing: str
) -> None:
    data = packet_for(EVERY_FIELD_FLAGS)[:length]
    expect_malformed(protocol.parse_treadmill_data(data), naming=missing)


def test_packet_with_every_field_uncut_is_read_whole() -> None:
    data = packet_for(EVERY_FIELD_FLAGS)
    # 2 flags + 2 + 2 + 3 + 4 + 4 + 1 + 1 + 5 + 1 + 1 + 2 + 2 + 4 = 34 bytes.
    assert len(data) == 34
    assert expect_treadmill(data) == TreadmillData(**expected_reading(EVERY_FIELD_FLAGS))


@pytest.mark.parametrize("data", [b"", b"\x00"])
def test_treadmill_data_shorter_than_its_flags_is_malformed(data: bytes) -> None:
    malformed = expect_malformed(protocol.parse_treadmill_data(data), naming="flags")
    assert malformed.data == data


def test_malformed_says_what_and_shows_the_bytes() -> None:
    malformed = expect_malformed(protocol.parse_treadmill_data(hexbytes("0000 5e")))
    assert str(malformed).startswith("treadmill data: ")
    assert "instantaneous speed" in str(malformed)
    assert str(malformed).endswith("(00 00 5e)")
    assert str(expect_malformed(protocol.parse_treadmill_data(b""))).endswith("(empty)")


# -- Heart Rate Measurement (0x2A37) -------------------------------------------------------


@pytest.mark.parametrize(
    ("packet", "expected"),
    [
        ("00 48", HeartRate(72)),  # uint8 bpm, contact not supported
        ("00 ff", HeartRate(255)),
        ("01 4800", HeartRate(72)),  # uint16 bpm
        ("01 2c01", HeartRate(300)),  # 0x012C: only a uint16 holds it
        ("02 48", HeartRate(72, contact=None)),  # status 1: not supported either
        ("04 48", HeartRate(72, contact=False)),  # status 2: not in contact
        ("06 48", HeartRate(72, contact=True)),  # status 3: in contact
        ("08 48 e803", HeartRate(72, energy_kj=1000)),  # energy 0x03E8
        ("10 48", HeartRate(72)),  # RR flag but no interval yet
        ("10 48 0004", HeartRate(72, rr_intervals_s=(1.0,))),  # 1024/1024 s
        ("10 48 0004 0002 0003", HeartRate(72, rr_intervals_s=(1.0, 0.5, 0.75))),
        (
            "1f 4800 e803 0004 0002",  # uint16 bpm, in contact, energy and two intervals
            HeartRate(72, contact=True, energy_kj=1000, rr_intervals_s=(1.0, 0.5)),
        ),
    ],
)
def test_heart_rate_measurement(packet: str, expected: HeartRate) -> None:
    assert sensors.parse_heart_rate(hexbytes(packet)) == expected


@pytest.mark.parametrize(
    ("packet", "missing"),
    [
        ("", None),
        ("00", None),  # flags only
        ("01 48", "heart rate"),  # uint16 bpm with one byte
        ("08 48", "energy expended"),
        ("08 48 e8", "energy expended"),
        ("09 4800 e8", "energy expended"),
    ],
)
def test_truncated_heart_rate_is_malformed(packet: str, missing: str | None) -> None:
    expect_malformed(sensors.parse_heart_rate(hexbytes(packet)), naming=missing)


# -- RSC Measurement (0x2A53) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("packet", "expected"),
    [
        # speed 0x0100 / 256 = 1.0 m/s, cadence 0x5A = 90, walking
        ("00 0001 5a", Stride(1.0, 90, running=False)),
        ("04 0001 5a", Stride(1.0, 90, running=True)),
        # stride 0x004B = 75 cm -> 0.75 m; speed 0x0080 / 256 = 0.5 m/s
        ("01 8000 5a 4b00", Stride(0.5, 90, running=False, stride_m=0.75)),
        # distance 0x00002710 = 10000 tenths -> 1000.0 m
        ("02 0001 5a 10270000", Stride(1.0, 90, running=False, distance_m=1000.0)),
        # everything: speed 0x0280 / 256 = 2.5 m/s, cadence 180, stride 100 cm,
        # distance 0x3039 = 12345 -> 1234.5 m
        (
            "07 8002 b4 6400 39300000",
            Stride(2.5, 180, running=True, stride_m=1.0, distance_m=1234.5),
        ),
        ("00 0100 00", Stride(1 / 256, 0, running=False)),  # the smallest step of speed
    ],
)
def test_rsc_measurement(packet: str, expected: Stride) -> None:
    assert sensors.parse_rsc(hexbytes(packet)) == expected


@pytest.mark.parametrize(
    ("packet", "missing"),
    [
        ("", None),
        ("00 0001", None),  # no cadence
        ("01 0001 5a", "stride length"),
        ("01 0001 5a 4b", "stride length"),
        ("02 0001 5a 102700", "total distance"),
        ("03 0001 5a 4b00 1027", "total distance"),
    ],
)
def test_truncated_rsc_is_malformed(packet: str, missing: str | None) -> None:
    expect_malformed(sensors.parse_rsc(hexbytes(packet)), naming=missing)


# -- Control Point commands ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kmh", "expected"),
    [
        (3.5, [0x02, 0x5E, 0x01]),  # 350: not 300, as QZ once sent
        (0.8, [0x02, 0x50, 0x00]),  # 80
        (1.1, [0x02, 0x6E, 0x00]),  # 110 (1.1 * 100 = 110.00000000000001)
        (2.55, [0x02, 0xFF, 0x00]),  # 255 (2.55 * 100 = 254.99999999999997)
        (0.29, [0x02, 0x1D, 0x00]),  # 29 (0.29 * 100 = 28.999999999999996)
        (1.15, [0x02, 0x73, 0x00]),  # 115
        (2.01, [0x02, 0xC9, 0x00]),  # 201
        (4.35, [0x02, 0xB3, 0x01]),  # 435 = 0x01B3
        (1.61, [0x02, 0xA1, 0x00]),  # 161
        (0.5 * KMH_PER_MPH, [0x02, 0x50, 0x00]),  # 0.5 mph = 0.804672 -> 80
        (1.0 * KMH_PER_MPH, [0x02, 0xA1, 0x00]),  # 1 mph = 1.609344 -> 161
        (0.0, [0x02, 0x00, 0x00]),
        (-1.0, [0x02, 0x00, 0x00]),  # never below zero
        (1000.0, [0x02, 0xFF, 0xFF]),  # never past a uint16
    ],
)
def test_set_target_speed_rounds_to_hundredths(kmh: float, expected: list[int]) -> None:
    assert protocol.set_target_speed(kmh) == bytes(expected)


@pytest.mark.parametrize(
    ("pct", "expected"),
    [
        (-2.5, [0x03, 0xE7, 0xFF]),  # -25 = 0xFFE7
        (-1.5, [0x03, 0xF1, 0xFF]),  # -15
        (1.5, [0x03, 0x0F, 0x00]),
        (0.0, [0x03, 0x00, 0x00]),
        (15.0, [0x03, 0x96, 0x00]),  # 150
        (1.26, [0x03, 0x0D, 0x00]),  # 12.6 rounds to 13, not 12
        (-1.26, [0x03, 0xF3, 0xFF]),  # -12.6 rounds to -13 = 0xFFF3
        (9999.0, [0x03, 0xFE, 0x7F]),  # capped below 0x7FFF, which means "not available"
        (-9999.0, [0x03, 0x00, 0x80]),  # the most negative sint16
    ],
)
def test_set_target_incline_rounds_to_tenths(pct: float, expected: list[int]) -> None:
    assert protocol.set_target_incline(pct) == bytes(expected)


def test_stop_and_pause_differ_only_in_their_parameter() -> None:
    assert protocol.stop_or_pause(pause=False) == bytes([0x08, 0x01])
    assert protocol.stop_or_pause(pause=True) == bytes([0x08, 0x02])


def test_request_control_and_start_have_no_parameters() -> None:
    assert protocol.request_control() == bytes([0x00])
    assert protocol.start_or_resume() == bytes([0x07])


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("00", "take control"),
        ("01", "reset"),
        ("02 5e01", "set the speed to 3.50 km/h"),
        ("02 5000", "set the speed to 0.80 km/h"),
        ("02 5e", "set the speed"),  # cut short: no value to show
        ("03 e7ff", "set the incline to -2.5 %"),
        ("07", "start the belt"),
        ("08 02", "stop the belt"),
        ("42", "command 0x42"),
        ("", "an empty command"),
    ],
)
def test_command_words(command: str, words: str) -> None:
    assert protocol.command_words(hexbytes(command)) == words


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("00", ControlCommand(0x00)),
        ("07", ControlCommand(0x07)),
        ("02 5e01", ControlCommand(0x02, speed_kmh=3.5)),
        ("03 e7ff", ControlCommand(0x03, incline_pct=-2.5)),
        ("08 01", ControlCommand(0x08, stop_or_pause=1)),
        ("08 02", ControlCommand(0x08, stop_or_pause=2)),
    ],
)
def test_control_command_as_the_machine_reads_it(command: str, expected: ControlCommand) -> None:
    assert protocol.parse_control_command(hexbytes(command)) == expected


@pytest.mark.parametrize(
    ("command", "missing"),
    [("", "empty"), ("02", "speed"), ("02 5e", "speed"), ("03 e7", "incline"), ("08", "stop")],
)
def test_truncated_control_command_is_malformed(command: str, missing: str) -> None:
    expect_malformed(protocol.parse_control_command(hexbytes(command)), naming=missing)


# -- Control Point answers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "words"),
    [
        (0x01, "done"),
        (0x02, "the treadmill does not support it"),
        (0x03, "the treadmill refused the value"),
        (0x04, "the treadmill could not do it"),
        (0x05, "the treadmill does not let retro-tui control it"),
        (0x09, "the treadmill answered with an unknown result (0x09)"),
    ],
)
def test_control_response_in_words(result: int, words: str) -> None:
    answer = protocol.parse_control_response(bytes([0x80, 0x02, result]))
    assert answer == ControlResponse(opcode=0x02, result=result)
    assert answer.words == words
    assert answer.succeeded is (result == 0x01)


def test_result_codes_match_the_specification() -> None:
    assert [int(code) for code in ResultCode] == [1, 2, 3, 4, 5]
    assert all(code.words for code in ResultCode)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [("", "shorter"), ("80 02", "shorter"), ("02 02 01", "not a response")],
)
def test_malformed_control_response(answer: str, reason: str) -> None:
    expect_malformed(protocol.parse_control_response(hexbytes(answer)), naming=reason)


# -- Fitness Machine Status (0x2ADA) -------------------------------------------------------


@pytest.mark.parametrize(
    ("packet", "expected"),
    [
        ("01", MachineStatus(0x01)),  # reset
        ("02 01", MachineStatus(0x02, paused=False)),  # stopped by the user
        ("02 02", MachineStatus(0x02, paused=True)),  # paused by the user
        ("03", MachineStatus(0x03)),  # safety key
        ("04", MachineStatus(0x04)),  # started or resumed by the user
        ("05 5e01", MachineStatus(0x05, speed_kmh=3.5)),
        ("05 5000", MachineStatus(0x05, speed_kmh=0.8)),
        ("06 e7ff", MachineStatus(0x06, incline_pct=-2.5)),
        ("06 0f00", MachineStatus(0x06, incline_pct=1.5)),
        ("ff", MachineStatus(0xFF)),  # control permission lost
        ("07 0a", MachineStatus(0x07)),  # a code retro-tui does not use: kept, not read
    ],
)
def test_machine_status(packet: str, expected: MachineStatus) -> None:
    assert protocol.parse_machine_status(hexbytes(packet)) == expected


def test_status_codes_match_the_specification() -> None:
    assert {code.name: int(code) for code in StatusCode} == {
        "RESET": 0x01,
        "STOPPED_OR_PAUSED_BY_USER": 0x02,
        "STOPPED_BY_SAFETY_KEY": 0x03,
        "STARTED_BY_USER": 0x04,
        "TARGET_SPEED_CHANGED": 0x05,
        "TARGET_INCLINE_CHANGED": 0x06,
        "CONTROL_PERMISSION_LOST": 0xFF,
    }


@pytest.mark.parametrize(
    ("packet", "missing"),
    [("", "empty"), ("02", "parameter"), ("05", "speed"), ("05 5e", "speed"), ("06 e7", "incline")],
)
def test_truncated_machine_status_is_malformed(packet: str, missing: str) -> None:
    expect_malformed(protocol.parse_machine_status(hexbytes(packet)), naming=missing)


# -- supported ranges ----------------------------------------------------------------------


def test_speed_range_is_three_uint16_hundredths() -> None:
    # 0x0032 = 50 -> 0.5, 0x07D0 = 2000 -> 20.0, 0x000A = 10 -> 0.1
    assert protocol.parse_speed_range(hexbytes("3200 d007 0a00")) == SpeedRange(0.5, 20.0, 0.1)
    # 0x0050 = 0.8, 0x0258 = 6.0, 0x0005 = 0.05
    assert protocol.parse_speed_range(hexbytes("5000 5802 0500")) == SpeedRange(0.8, 6.0, 0.05)


def test_incline_range_has_signed_limits_and_an_unsigned_increment() -> None:
    # 0xFFEC = -20 -> -2.0 %, 0x0096 = 150 -> 15.0 %, 0x0005 -> 0.5 %
    assert protocol.parse_incline_range(hexbytes("ecff 9600 0500")) == InclineRange(-2.0, 15.0, 0.5)
    # an increment with the top bit set is a large uint16, not a negative number
    parsed = protocol.parse_incline_range(hexbytes("0000 9600 0080"))
    assert isinstance(parsed, InclineRange)
    assert parsed.increment_pct == pytest.approx(3276.8)


@pytest.mark.parametrize(
    ("parse", "packet", "reason"),
    [
        (protocol.parse_speed_range, "3200 d007 0a", "shorter"),
        (protocol.parse_speed_range, "", "shorter"),
        (protocol.parse_speed_range, "d007 3200 0a00", "minimum is above its maximum"),
        (protocol.parse_incline_range, "ecff 9600", "shorter"),
        (protocol.parse_incline_range, "9600 ecff 0500", "minimum is above its maximum"),
    ],
)
def test_malformed_ranges(parse: Callable[[bytes], object], packet: str, reason: str) -> None:
    expect_malformed(parse(hexbytes(packet)), naming=reason)


@pytest.mark.parametrize(
    ("kmh", "clamped"),
    [
        (0.2, 0.5),  # below the minimum
        (0.5, 0.5),  # the minimum itself
        (20.0, 20.0),  # the maximum itself
        (25.0, 20.0),  # above the maximum
        (3.54, 3.5),  # onto the 0.1 km/h increment
        (3.56, 3.6),
        (0.81, 0.8),
    ],
)
def test_speed_range_clamp(kmh: float, clamped: float) -> None:
    assert SpeedRange(0.5, 20.0, 0.1).clamp(kmh) == clamped


def test_speed_range_clamp_counts_increments_from_the_minimum() -> None:
    belt = SpeedRange(0.8, 5.8, 0.5)  # 0.8, 1.3, 1.8, ... 5.8
    assert belt.clamp(1.0) == 0.8
    assert belt.clamp(1.1) == 1.3
    assert belt.clamp(5.7) == 5.8
    assert belt.clamp(9.0) == 5.8


def test_speed_range_without_an_increment_only_clamps_and_rounds() -> None:
    belt = SpeedRange(0.5, 6.0, 0.0)
    assert belt.clamp(1.234) == 1.23
    assert belt.clamp(0.1) == 0.5
    assert belt.clamp(7.0) == 6.0


@pytest.mark.parametrize(
    ("pct", "clamped"),
    [
        (-5.0, -3.0),
        (-3.0, -3.0),
        (15.0, 15.0),
        (20.0, 15.0),
        (2.2, 2.0),
        (2.3, 2.5),
        (-1.2, -1.0),
        (-1.3, -1.5),
    ],
)
def test_incline_range_clamp(pct: float, clamped: float) -> None:
    assert InclineRange(-3.0, 15.0, 0.5).clamp(pct) == clamped


def test_default_ranges_are_sane() -> None:
    assert protocol.DEFAULT_SPEED_RANGE.clamp(0.0) == 0.5
    assert protocol.DEFAULT_INCLINE_RANGE.clamp(-1.0) == 0.0


# -- features ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("targets_byte", "sets_speed", "sets_incline"),
    [("00", False, False), ("01", True, False), ("02", False, True), ("03", True, True)],
)
def test_features_target_bits(targets_byte: str, sets_speed: bool, sets_incline: bool) -> None:
    features = protocol.parse_features(hexbytes(f"0d140000 {targets_byte}000000"))
    assert isinstance(features, Features)
    assert features.machine == 0x0000140D
    assert (features.sets_speed, features.sets_incline) == (sets_speed, sets_incline)


def test_short_features_are_malformed() -> None:
    expect_malformed(protocol.parse_features(hexbytes("0d140000 03")), naming="shorter")


# -- the simulator-side encoders, against hand-built bytes and back ------------------------


def test_encode_treadmill_data_matches_the_hand_built_packet() -> None:
    encoded = protocol.encode_treadmill_data(
        speed_kmh=3.5, distance_m=100000, incline_pct=-1.5, heart_rate_bpm=120, elapsed_s=600
    )
    # flags bits 2, 3, 8, 10 = 0x050C; 3.5 km/h, 100000 m, -1.5 % with ramp angle n/a,
    # 0x78 = 120 bpm, 0x0258 = 600 s
    assert encoded == hexbytes("0c05 5e01 a08601 f1ff ff7f 78 5802")
    assert expect_treadmill(encoded) == TreadmillData(
        speed_kmh=3.5, distance_m=100000, incline_pct=-1.5, heart_rate_bpm=120, elapsed_s=600
    )


def test_encode_treadmill_data_without_speed_sets_more_data() -> None:
    encoded = protocol.encode_treadmill_data(speed_kmh=None, elapsed_s=30)
    assert encoded == hexbytes("0104 1e00")
    assert expect_treadmill(encoded) == TreadmillData(more_data=True, elapsed_s=30)


@given(
    speed_units=st.none() | st.integers(0, 0xFFFF),
    distance_m=st.none() | st.integers(0, 0xFFFFFF),
    incline_units=st.none() | st.integers(-0x8000, 0x7FFE),
    heart_rate_bpm=st.none() | st.integers(1, 255),
    elapsed_s=st.none() | st.integers(0, 0xFFFF),
)
def test_treadmill_data_round_trip(
    speed_units: int | None,
    distance_m: int | None,
    incline_units: int | None,
    heart_rate_bpm: int | None,
    elapsed_s: int | None,
) -> None:
    speed = None if speed_units is None else speed_units / 100
    incline = None if incline_units is None else incline_units / 10
    reading = expect_treadmill(
        protocol.encode_treadmill_data(
            speed_kmh=speed,
            distance_m=distance_m,
            incline_pct=incline,
            heart_rate_bpm=heart_rate_bpm,
            elapsed_s=elapsed_s,
        )
    )
    assert reading.more_data is (speed is None)
    assert reading.speed_kmh == speed
    assert reading.distance_m == distance_m
    assert reading.incline_pct == incline
    assert reading.heart_rate_bpm == heart_rate_bpm
    assert reading.elapsed_s == elapsed_s


@given(units=st.integers(0, 0xFFFF))
def test_target_speed_round_trip(units: int) -> None:
    command = protocol.parse_control_command(protocol.set_target_speed(units / 100))
    assert command == ControlCommand(0x02, speed_kmh=units / 100)


@given(units=st.integers(-0x8000, 0x7FFE))
def test_target_incline_round_trip(units: int) -> None:
    command = protocol.parse_control_command(protocol.set_target_incline(units / 10))
    assert command == ControlCommand(0x03, incline_pct=units / 10)


@pytest.mark.parametrize(("pause", "parameter"), [(False, 1), (True, 2)])
def test_stop_or_pause_round_trip(pause: bool, parameter: int) -> None:
    command = protocol.parse_control_command(protocol.stop_or_pause(pause=pause))
    assert command == ControlCommand(0x08, stop_or_pause=parameter)


@pytest.mark.parametrize("result", list(ResultCode))
def test_control_response_round_trip(result: ResultCode) -> None:
    encoded = protocol.encode_control_response(0x03, result)
    assert encoded == bytes([0x80, 0x03, int(result)])
    assert protocol.parse_control_response(encoded) == ControlResponse(0x03, int(result))


@pytest.mark.parametrize(
    ("code", "keywords", "expected_bytes", "expected"),
    [
        (StatusCode.RESET, {}, "01", MachineStatus(0x01)),
        (StatusCode.STOPPED_OR_PAUSED_BY_USER, {}, "02 01", MachineStatus(0x02, paused=False)),
        (
            StatusCode.STOPPED_OR_PAUSED_BY_USER,
            {"paused": True},
            "02 02",
            MachineStatus(0x02, paused=True),
        ),
        (StatusCode.STOPPED_BY_SAFETY_KEY, {}, "03", MachineStatus(0x03)),
        (StatusCode.STARTED_BY_USER, {}, "04", MachineStatus(0x04)),
        (
            StatusCode.TARGET_SPEED_CHANGED,
            {"speed_kmh": 2.55},
            "05 ff00",
            MachineStatus(0x05, speed_kmh=2.55),
        ),
        (
            StatusCode.TARGET_INCLINE_CHANGED,
            {"incline_pct": -2.5},
            "06 e7ff",
            MachineStatus(0x06, incline_pct=-2.5),
        ),
        (StatusCode.CONTROL_PERMISSION_LOST, {}, "ff", MachineStatus(0xFF)),
    ],
)
def test_machine_status_round_trip(
    code: StatusCode, keywords: dict[str, Any], expected_bytes: str, expected: MachineStatus
) -> None:
    encoded = protocol.encode_machine_status(code, **keywords)
    assert encoded == hexbytes(expected_bytes)
    assert protocol.parse_machine_status(encoded) == expected


@pytest.mark.parametrize(
    ("bpm", "contact", "expected_bytes"),
    [
        (72, True, "06 48"),  # contact status 3
        (72, False, "04 48"),  # contact status 2
        (300, True, "07 2c01"),  # uint16
    ],
)
def test_heart_rate_round_trip(bpm: int, contact: bool, expected_bytes: str) -> None:
    encoded = sensors.encode_heart_rate(bpm, contact=contact)
    assert encoded == hexbytes(expected_bytes)
    assert sensors.parse_heart_rate(encoded) == HeartRate(bpm, contact)


@pytest.mark.parametrize(
    ("speed_mps", "cadence", "running", "expected_bytes"),
    [
        (1.0, 90, False, "00 0001 5a"),
        (2.5, 180, True, "04 8002 b4"),
    ],
)
def test_rsc_round_trip(speed_mps: float, cadence: int, running: bool, expected_bytes: str) -> None:
    encoded = sensors.encode_rsc(speed_mps, cadence, running=running)
    assert encoded == hexbytes(expected_bytes)
    assert sensors.parse_rsc(encoded) == Stride(speed_mps, cadence, running)


def test_range_round_trips() -> None:
    speeds = SpeedRange(0.8, 6.0, 0.05)
    assert protocol.encode_speed_range(speeds) == hexbytes("5000 5802 0500")
    assert protocol.parse_speed_range(protocol.encode_speed_range(speeds)) == speeds
    inclines = InclineRange(-2.0, 15.0, 0.5)
    assert protocol.encode_incline_range(inclines) == hexbytes("ecff 9600 0500")
    assert protocol.parse_incline_range(protocol.encode_incline_range(inclines)) == inclines


@pytest.mark.parametrize(
    ("sets_speed", "sets_incline"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_features_round_trip(sets_speed: bool, sets_incline: bool) -> None:
    encoded = protocol.encode_features(sets_speed=sets_speed, sets_incline=sets_incline)
    machine, targets = struct.unpack("<II", encoded)
    assert machine == 0b1_0100_0000_1101  # bits 0, 2, 3, 10, 12
    assert targets == int(sets_speed) | int(sets_incline) << 1
    features = protocol.parse_features(encoded)
    assert isinstance(features, Features)
    assert (features.sets_speed, features.sets_incline) == (sets_speed, sets_incline)


# -- no parser raises ----------------------------------------------------------------------

PARSERS: list[tuple[Callable[[bytes], object], type]] = [
    (protocol.parse_treadmill_data, TreadmillData),
    (sensors.parse_heart_rate, HeartRate),
    (sensors.parse_rsc, Stride),
    (protocol.parse_speed_range, SpeedRange),
    (protocol.parse_incline_range, InclineRange),
    (protocol.parse_features, Features),
    (protocol.parse_control_response, ControlResponse),
    (protocol.parse_control_command, ControlCommand),
    (protocol.parse_machine_status, MachineStatus),
]


@pytest.mark.parametrize(
    ("parse", "reading_type"), PARSERS, ids=[parse.__name__ for parse, _ in PARSERS]
)
@given(data=st.binary(max_size=40))
def test_parsers_never_raise_on_arbitrary_bytes(
    parse: Callable[[bytes], object], reading_type: type, data: bytes
) -> None:
    result = parse(data)
    assert isinstance(result, reading_type | Malformed)
    if isinstance(result, Malformed):
        assert result.data == data
        assert result.reason


@given(flags=st.integers(0, 0x1FFF), body=st.binary(max_size=40))
def test_treadmill_data_never_raises_whatever_the_flags_promise(flags: int, body: bytes) -> None:
    data = flags.to_bytes(2, "little") + body
    result = protocol.parse_treadmill_data(data)
    needed = sum(len(field.raw) for field in fields_for(flags))
    if len(body) >= needed:
        assert isinstance(result, TreadmillData)
    else:
        assert isinstance(result, Malformed)
