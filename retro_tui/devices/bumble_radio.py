"""The bumble backend: a USB Bluetooth dongle driven directly, or a virtual radio.

bumble is a whole Bluetooth host in Python, so it needs no system stack: it
opens an HCI transport (``usb:0``, ``tcp-client:127.0.0.1:9102``, ...) and
runs in the same asyncio loop as the app. The tests and ``retro-tui simulate``
use its virtual controllers, linked in one process or over loopback TCP.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from bumble.controller import Controller
from bumble.core import UUID, AdvertisingData
from bumble.device import Device, Peer
from bumble.gatt import Characteristic
from bumble.gatt_client import CharacteristicProxy
from bumble.hci import Address
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport import open_transport
from bumble.transport.common import AsyncPipeSink

from retro_tui.devices.protocol import DeviceKind
from retro_tui.devices.radio import GOODBYE_S, Advert, Notify, RadioError, at_most

CONNECT_TIMEOUT_S = 10.0
APP_ADDRESS = "F0:F0:F0:F0:F0:F0"
"""The app's own address on a virtual radio (a real dongle has its own)."""

# bumble logs every unanswered packet at warning level; the screen says what matters.
logging.getLogger("bumble").setLevel(logging.ERROR)


def hush_late_answers() -> None:
    """Hide one harmless error from bumble in the running loop's log.

    Powering off or closing a controller, bumble's host still gets answers to
    commands it has given up on, and sets them on a settled future; asyncio
    then logs an error with a whole traceback at the person's terminal. Only
    that error is hidden; anything else is logged as before.
    """
    loop = asyncio.get_running_loop()
    before = loop.get_exception_handler()
    if getattr(before, "hushes_bumble", False):
        return

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        late = isinstance(context.get("exception"), asyncio.InvalidStateError)
        if late and "Host.on_packet" in repr(context.get("handle")):
            return
        if before is not None:
            before(loop, context)
        else:
            loop.default_exception_handler(context)

    handler.hushes_bumble = True  # type: ignore[attr-defined]
    loop.set_exception_handler(handler)


def advertised_kinds(data: AdvertisingData) -> frozenset[DeviceKind]:
    kinds: set[DeviceKind] = set()
    for kind in (
        AdvertisingData.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
        AdvertisingData.INCOMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
    ):
        for uuid in data.get(kind) or []:
            with contextlib.suppress(ValueError):
                kinds.add(DeviceKind(int.from_bytes(bytes(uuid.to_bytes()), "little")))
    return frozenset(kinds)


def advertised_name(data: AdvertisingData) -> str:
    for kind in (AdvertisingData.COMPLETE_LOCAL_NAME, AdvertisingData.SHORTENED_LOCAL_NAME):
        name = data.get(kind)
        if isinstance(name, bytes):
            return name.decode("utf-8", "replace")
        if isinstance(name, str):
            return name
    return ""


class BumbleConnection:
    """A connected peer's characteristics, found once at connect."""

    def __init__(self, address: str, connection: Any, characteristics: dict[int, Any]) -> None:
        self.address = address
        self._connection = connection
        self._characteristics: dict[int, CharacteristicProxy[bytes]] = characteristics

    def has(self, uuid: int) -> bool:
        return uuid in self._characteristics

    def _get(self, uuid: int) -> CharacteristicProxy[bytes]:
        found = self._characteristics.get(uuid)
        if found is None:
            raise RadioError(f"the device has no characteristic 0x{uuid:04X}")
        return found

    async def read(self, uuid: int) -> bytes:
        try:
            return bytes(await self._get(uuid).read_value())
        except RadioError:
            raise
        except Exception as error:  # bumble raises its own and asyncio's errors
            raise RadioError(f"could not read 0x{uuid:04X}: {error}") from error

    async def write(self, uuid: int, data: bytes) -> None:
        try:
            await self._get(uuid).write_value(data, with_response=True)
        except RadioError:
            raise
        except Exception as error:
            raise RadioError(f"could not write 0x{uuid:04X}: {error}") from error

    async def subscribe(self, uuid: int, callback: Notify) -> None:
        characteristic = self._get(uuid)
        notify = bool(characteristic.properties & Characteristic.Properties.NOTIFY)
        try:
            await characteristic.subscribe(
                lambda value: callback(bytes(value)), prefer_notify=notify
            )
        except Exception as error:
            raise RadioError(f"could not subscribe to 0x{uuid:04X}: {error}") from error

    async def disconnect(self) -> None:
        await at_most(GOODBYE_S, self._connection.disconnect())


class BumbleRadio:
    """A bumble host on an HCI transport, or on a virtual link in this process."""

    def __init__(self, transport: str = "", *, link: LocalLink | None = None) -> None:
        self.transport_name = transport
        self.link = link
        self.description = f"bumble on {transport}" if transport else "bumble on a virtual link"
        self.device: Device | None = None
        self._transport: Any = None

    async def open(self) -> None:
        if self.device is not None:
            return
        hush_late_answers()
        try:
            if self.link is not None:
                controller = Controller("retro-tui", link=self.link, public_address=APP_ADDRESS)
                host = Host(controller, AsyncPipeSink(controller))
                self.device = Device(name="retro-tui", address=Address(APP_ADDRESS), host=host)
            else:
                self._transport = await open_transport(self.transport_name)
                self.device = Device.with_hci(
                    "retro-tui", Address(APP_ADDRESS), self._transport.source, self._transport.sink
                )
            await self.device.power_on()
        except Exception as error:
            self.device = None
            raise RadioError(f"could not open {self.description}: {error}") from error

    def _device(self) -> Device:
        if self.device is None:
            raise RadioError("the radio is not open")
        return self.device

    async def scan(self, seconds: float) -> list[Advert]:
        device = self._device()
        heard: dict[str, Advert] = {}

        def on_advertisement(advertisement: Any) -> None:
            address = str(advertisement.address).removesuffix("/P")
            name = advertised_name(advertisement.data)
            kinds = advertised_kinds(advertisement.data)
            before = heard.get(address)
            if before is not None:  # a scan response adds to what the advert said
                name = name or before.name
                kinds = kinds | before.kinds
            heard[address] = Advert(address, name, advertisement.rssi, kinds)

        device.on("advertisement", on_advertisement)
        try:
            await device.start_scanning(filter_duplicates=False)
            await asyncio.sleep(seconds)
        except Exception as error:
            raise RadioError(f"could not scan: {error}") from error
        finally:
            device.remove_listener("advertisement", on_advertisement)
            with contextlib.suppress(Exception):
                await device.stop_scanning()
        return list(heard.values())

    async def connect(self, address: str, on_lost: Callable[[], None]) -> BumbleConnection:
        device = self._device()
        try:
            connection = await asyncio.wait_for(
                device.connect(address.removesuffix("/P")), CONNECT_TIMEOUT_S
            )
        except Exception as error:
            raise RadioError(f"could not connect to {address}: {error or 'timed out'}") from error
        connection.on("disconnection", lambda *_: on_lost())
        try:
            peer = Peer(connection)
            await peer.discover_services()
            characteristics: dict[int, Any] = {}
            for service in peer.services:
                await service.discover_characteristics()
                for characteristic in service.characteristics:
                    number = _short_uuid(characteristic.uuid)
                    if number is not None:
                        characteristics.setdefault(number, characteristic)
        except Exception as error:
            with contextlib.suppress(Exception):
                await connection.disconnect()
            raise RadioError(f"could not read what {address} offers: {error}") from error
        return BumbleConnection(address, connection, characteristics)

    async def close(self) -> None:
        device, self.device = self.device, None
        if device is not None:
            await at_most(GOODBYE_S, device.power_off())
        transport, self._transport = self._transport, None
        if transport is not None:
            await at_most(GOODBYE_S, transport.close())


def _short_uuid(uuid: UUID) -> int | None:
    """A 16-bit assigned number, whether the device gave it short or in full."""
    raw = bytes(uuid.uuid_bytes)  # little-endian
    if len(raw) == 2:
        return int.from_bytes(raw, "little")
    if len(raw) == 16 and raw[:12] == _BASE[:12] and raw[14:] == _BASE[14:]:
        return int.from_bytes(raw[12:14], "little")
    return None


_BASE = bytes(UUID("00000000-0000-1000-8000-00805F9B34FB").to_bytes(force_128=True))
