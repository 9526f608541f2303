"""What the link asks of a Bluetooth LE backend, and how a backend is chosen.

Two backends speak it: :mod:`.bleak_radio` (the computer's own Bluetooth, through
the system's stack, on Linux, macOS and Windows) and :mod:`.bumble_radio` (a USB
dongle driven directly, or a virtual radio, such as the one ``retro-tui
simulate`` runs). The protocol code above never knows which one it talks to.
Characteristics are named by their 16-bit assigned numbers.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from retro_tui.devices.protocol import DeviceKind

BACKEND_VARIABLE = "RETRO_TUI_BLE_BACKEND"
DEFAULT_BACKEND = "bleak"
BUMBLE_PREFIX = "bumble:"

_ADDRESS = re.compile(r"^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(/P)?$|^[0-9A-Fa-f-]{36}$")
"""A Bluetooth address (``AA:BB:CC:DD:EE:FF``) or a macOS device UUID."""


class RadioError(Exception):
    """Something the radio could not do, in words for the screen."""


@dataclass(frozen=True)
class Advert:
    """A device heard while scanning."""

    address: str
    name: str
    rssi: int | None
    kinds: frozenset[DeviceKind] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        kinds = ", ".join(sorted(kind.label for kind in self.kinds)) or "unknown"
        return f"{self.name or '(no name)'} [{kinds}]"


Notify = Callable[[bytes], None]


class Connection(Protocol):
    """One connected device's GATT characteristics."""

    address: str

    def has(self, uuid: int) -> bool:
        """Whether the device has characteristic ``uuid``."""

    async def read(self, uuid: int) -> bytes: ...

    async def write(self, uuid: int, data: bytes) -> None:
        """Write with response (the Control Point needs it)."""

    async def subscribe(self, uuid: int, callback: Notify) -> None:
        """Notifications or indications, whichever the characteristic has."""

    async def disconnect(self) -> None: ...


class Radio(Protocol):
    """One Bluetooth controller: scan, connect."""

    description: str

    async def open(self) -> None: ...

    async def scan(self, seconds: float) -> list[Advert]: ...

    async def connect(self, address: str, on_lost: Callable[[], None]) -> Connection: ...

    async def close(self) -> None: ...


def looks_like_address(text: str) -> bool:
    """Whether a configured device is an address (else it is a name to look for)."""
    return bool(_ADDRESS.match(text.strip()))


def same_address(left: str, right: str) -> bool:
    return left.strip().upper().removesuffix("/P") == right.strip().upper().removesuffix("/P")


def matches(advert: Advert, wanted: str) -> bool:
    """Whether ``advert`` is the device the settings name (by address or by name)."""
    wanted = wanted.strip()
    if looks_like_address(wanted):
        return same_address(advert.address, wanted)
    return bool(advert.name) and advert.name.strip().casefold() == wanted.casefold()


def chosen_backend(configured: str) -> str:
    """The backend to use: ``RETRO_TUI_BLE_BACKEND`` first, then the settings."""
    return os.environ.get(BACKEND_VARIABLE, "").strip() or configured.strip() or DEFAULT_BACKEND


def check_backend(text: str) -> str:
    """``bleak`` or ``bumble:TRANSPORT``, or a ValueError saying what is wrong."""
    value = text.strip()
    if value == DEFAULT_BACKEND:
        return value
    if value.startswith(BUMBLE_PREFIX) and value.removeprefix(BUMBLE_PREFIX).strip():
        return value
    raise ValueError(
        'is "bleak" (the computer\'s Bluetooth) or "bumble:TRANSPORT" '
        '(such as "bumble:usb:0" or "bumble:tcp-client:127.0.0.1:9102")'
    )


def make_radio(backend: str) -> Radio:
    """The radio ``backend`` names (see :func:`check_backend`); imported only when used."""
    value = check_backend(backend)
    if value.startswith(BUMBLE_PREFIX):
        from retro_tui.devices.bumble_radio import BumbleRadio

        return BumbleRadio(value.removeprefix(BUMBLE_PREFIX).strip())
    from retro_tui.devices.bleak_radio import BleakRadio

    return BleakRadio()


async def cancel_all(tasks: Iterable[asyncio.Task[None]]) -> None:
    """Cancel ``tasks`` and wait for each to end; what they raise on the way out is dropped,
    because a link or a simulator being closed has no one left to tell."""
    tasks = list(tasks)
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
