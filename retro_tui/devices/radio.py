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
from collections.abc import Awaitable, Callable, Iterable
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


CANCEL_PATIENCE_S = 3.0
"""How long closing waits for a cancelled task to end before it leaves it behind."""
RECANCEL_S = 0.1
"""How often a task that is still running after its cancellation is cancelled again."""


async def cancel_all(
    tasks: Iterable[asyncio.Task[None]], patience_s: float = CANCEL_PATIENCE_S
) -> None:
    """Cancel ``tasks`` and wait for them to end, for ``patience_s`` at the most.

    A cancellation can be lost: Python 3.11's ``asyncio.wait_for`` (which bumble and
    the links use) drops one that lands as the awaited thing finishes, and the task
    then waits on as if nothing happened. So each task still running is cancelled
    again every tenth of a second, and closing never waits on one forever. What the
    tasks raise on the way out is dropped: a link or a simulator being closed has no
    one left to tell. A cancellation of the caller itself is not swallowed.
    """
    tasks = list(tasks)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience_s
    pending = {task for task in tasks if not task.done()}
    while pending and loop.time() < deadline:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=RECANCEL_S)
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()  # looked at, so asyncio does not log it as never retrieved


GOODBYE_S = 3.0
"""The longest a disconnection or a power-off may take on the way out."""


async def at_most(seconds: float, step: Awaitable[object]) -> None:
    """Await a step of shutting down for ``seconds`` at the most, whatever it raises.

    A radio's goodbye waits for the other side's answer, and a link that is already
    half gone (the other side leaving at the same moment) may never answer: closing
    must end all the same, so nobody waits on a dead link.
    """
    with contextlib.suppress(Exception):
        await asyncio.wait_for(step, seconds)
