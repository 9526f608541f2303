"""The byte layouts of HRS (heart-rate straps) and RSC (foot pods).

Parsing never raises (see :mod:`retro_tui.devices.packets`); encoding, used
by the simulator, writes what a strap or a pod sends.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from retro_tui.devices.packets import Malformed, PacketReader

# -- Heart Rate Measurement (0x2A37) -------------------------------------------------------


@dataclass(frozen=True)
class HeartRate:
    bpm: int
    contact: bool | None = None
    """Whether the strap touches skin; ``None`` when it cannot tell."""
    energy_kj: int | None = None
    rr_intervals_s: tuple[float, ...] = ()


def parse_heart_rate(data: bytes) -> HeartRate | Malformed:
    data = bytes(data)
    what = "heart rate"
    if len(data) < 2:
        return Malformed(what, "shorter than its flags and a value", data)
    read = PacketReader(data)
    flags = read.take("<B", "flags")
    bpm = read.take("<H", "heart rate") if flags & 0x01 else read.take("<B", "heart rate")
    contact_status = (flags >> 1) & 0b11
    contact = None if contact_status < 2 else contact_status == 3
    energy = read.take("<H", "energy expended") if flags & 0x08 else None
    rr: list[float] = []
    if flags & 0x10:
        while read.missing is None and read.left >= 2:
            rr.append(read.take("<H", "RR interval") / 1024)
    if read.missing is not None:
        return Malformed(what, f"the flags promise {read.missing}, which is missing", data)
    return HeartRate(bpm, contact, energy, tuple(rr))


def encode_heart_rate(bpm: int, *, contact: bool = True) -> bytes:
    flags = 0b110 if contact else 0b100
    if bpm > 255:
        return bytes([flags | 0x01]) + struct.pack("<H", bpm)
    return bytes([flags, bpm])


# -- RSC Measurement (0x2A53) --------------------------------------------------------------


@dataclass(frozen=True)
class Stride:
    """A foot pod's reading."""

    speed_mps: float
    cadence_spm: int
    running: bool
    stride_m: float | None = None
    distance_m: float | None = None


def parse_rsc(data: bytes) -> Stride | Malformed:
    data = bytes(data)
    what = "running speed and cadence"
    if len(data) < 4:
        return Malformed(what, "shorter than its flags, speed and cadence", data)
    read = PacketReader(data)
    flags = read.take("<B", "flags")
    speed = read.take("<H", "speed") / 256
    cadence = read.take("<B", "cadence")
    stride = read.take("<H", "stride length") / 100 if flags & 0x01 else None
    distance = read.take("<I", "total distance") / 10 if flags & 0x02 else None
    if read.missing is not None:
        return Malformed(what, f"the flags promise {read.missing}, which is missing", data)
    return Stride(speed, cadence, bool(flags & 0x04), stride, distance)


def encode_rsc(speed_mps: float, cadence_spm: int, *, running: bool = False) -> bytes:
    flags = 0x04 if running else 0x00
    return bytes([flags]) + struct.pack(
        "<HB", max(0, min(round(speed_mps * 256), 0xFFFF)), max(0, min(cadence_spm, 255))
    )
