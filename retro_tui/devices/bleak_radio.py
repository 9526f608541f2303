"""The bleak backend: the computer's own Bluetooth (BlueZ, CoreBluetooth, WinRT).

Kept thin on purpose: it only turns bleak's calls and errors into the
:class:`~retro_tui.devices.radio.Radio` interface. Everything a treadmill
means lives in the protocol code both backends share. bleak cannot be pointed
at a virtual controller on these machines (that needs the kernel's vhci device
and BlueZ), so the tests drive the same link through bumble.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from retro_tui.devices.protocol import DeviceKind
from retro_tui.devices.radio import Advert, Notify, RadioError

CONNECT_TIMEOUT_S = 15.0
BASE_UUID_TAIL = "-0000-1000-8000-00805f9b34fb"


def full_uuid(number: int) -> str:
    return f"0000{number:04x}{BASE_UUID_TAIL}"


def short_uuid(text: str) -> int | None:
    text = text.lower()
    if text.startswith("0000") and text.endswith(BASE_UUID_TAIL):
        return int(text[4:8], 16)
    return None


class BleakConnection:
    def __init__(self, client: Any) -> None:
        self._client = client
        self.address = str(client.address)
        self._numbers = {
            number
            for service in client.services
            for characteristic in service.characteristics
            if (number := short_uuid(str(characteristic.uuid))) is not None
        }

    def has(self, uuid: int) -> bool:
        return uuid in self._numbers

    async def read(self, uuid: int) -> bytes:
        try:
            return bytes(await self._client.read_gatt_char(full_uuid(uuid)))
        except Exception as error:  # bleak raises BleakError, OSError, asyncio errors
            raise RadioError(f"could not read 0x{uuid:04X}: {error}") from error

    async def write(self, uuid: int, data: bytes) -> None:
        try:
            await self._client.write_gatt_char(full_uuid(uuid), data, response=True)
        except Exception as error:
            raise RadioError(f"could not write 0x{uuid:04X}: {error}") from error

    async def subscribe(self, uuid: int, callback: Notify) -> None:
        try:
            await self._client.start_notify(full_uuid(uuid), lambda _, data: callback(bytes(data)))
        except Exception as error:
            raise RadioError(f"could not subscribe to 0x{uuid:04X}: {error}") from error

    async def disconnect(self) -> None:
        with contextlib.suppress(Exception):
            await self._client.disconnect()


class BleakRadio:
    description = "this computer's Bluetooth"

    async def open(self) -> None:
        try:
            import bleak  # noqa: F401
        except ImportError as error:  # pragma: no cover - bleak is a dependency
            raise RadioError("bleak is not installed") from error

    async def scan(self, seconds: float) -> list[Advert]:
        from bleak import BleakScanner

        try:
            found = await BleakScanner.discover(timeout=seconds, return_adv=True)
        except Exception as error:
            raise RadioError(f"could not scan with {self.description}: {error}") from error
        adverts = []
        for device, advertisement in found.values():
            kinds: set[DeviceKind] = set()
            for text in advertisement.service_uuids:
                number = short_uuid(text)
                with contextlib.suppress(ValueError):
                    kinds.add(DeviceKind(number if number is not None else -1))
            name = advertisement.local_name or device.name or ""
            adverts.append(Advert(str(device.address), name, advertisement.rssi, frozenset(kinds)))
        return adverts

    async def connect(self, address: str, on_lost: Callable[[], None]) -> BleakConnection:
        from bleak import BleakClient

        client = BleakClient(address, disconnected_callback=lambda _: on_lost())
        try:
            await client.connect(timeout=CONNECT_TIMEOUT_S)
        except Exception as error:
            raise RadioError(f"could not connect to {address}: {error or 'timed out'}") from error
        return BleakConnection(client)

    async def close(self) -> None:
        return None
