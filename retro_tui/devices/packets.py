"""Reading a Bluetooth notification's bytes: fields off a packet, and a packet that can't be read.

Everything is little-endian, as the Bluetooth SIG's service specifications
say. A reader never raises: it notes the first field the packet is too short
for, and the parser turns that into a :class:`Malformed` that says so, so one
bad notification costs one reading and never a workout.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class Malformed:
    """A packet that could not be read, and why (shown once, never raised)."""

    what: str
    reason: str
    data: bytes

    def __str__(self) -> str:
        return f"{self.what}: {self.reason} ({self.data.hex(' ') or 'empty'})"


class PacketReader:
    """Reads little-endian fields off a packet, noting the first one that is missing."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0
        self.missing: str | None = None

    def take(self, form: str, field: str) -> int:
        size = struct.calcsize(form)
        if self.missing is not None or self.offset + size > len(self.data):
            self.missing = self.missing or field
            return 0
        (value,) = struct.unpack_from(form, self.data, self.offset)
        self.offset += size
        return int(value)

    def uint24(self, field: str) -> int:
        if self.missing is not None or self.offset + 3 > len(self.data):
            self.missing = self.missing or field
            return 0
        value = int.from_bytes(self.data[self.offset : self.offset + 3], "little")
        self.offset += 3
        return value

    def skip(self, size: int, field: str) -> None:
        if self.missing is not None or self.offset + size > len(self.data):
            self.missing = self.missing or field
            return
        self.offset += size

    @property
    def left(self) -> int:
        return len(self.data) - self.offset
