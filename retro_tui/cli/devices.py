"""``retro-tui devices``: list the treadmills, straps and foot pods in range; ``--pair`` picks.

The scan lasts a few seconds. With ``--pair`` each kind found is offered as a
numbered list, and the ones chosen are written to ``[devices]`` in the settings
file (by name, since a phone or a treadmill may change its address; an
unnamed device by its address), keeping the rest of the file as it was.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from retro_tui.cli.command import PROG, Command, converted
from retro_tui.cli.session import Session
from retro_tui.config import ConfigWriteError, update_config
from retro_tui.devices.link import scan
from retro_tui.devices.protocol import DeviceKind
from retro_tui.devices.radio import (
    BACKEND_VARIABLE,
    Advert,
    RadioError,
    check_backend,
    chosen_backend,
    make_radio,
)

SETTING_OF = {
    DeviceKind.TREADMILL: "treadmill",
    DeviceKind.HEART_RATE: "heart_rate",
    DeviceKind.FOOT_POD: "foot_pod",
}


def _seconds(text: str) -> float:
    value = float(text)
    if not 1 <= value <= 60:
        raise ValueError(text)
    return value


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seconds",
        type=lambda text: converted(text, _seconds, f"{text} is not 1 to 60 seconds"),
        default=5.0,
        help="how long to listen (default: 5)",
    )
    parser.add_argument(
        "--pair",
        action="store_true",
        help="choose the devices to use and save them in the settings",
    )
    parser.add_argument(
        "--backend",
        type=lambda text: converted(text, check_backend, f"{text!r} is not a backend"),
        help=f'"bleak" or "bumble:TRANSPORT" (default: ${BACKEND_VARIABLE}, then the settings)',
    )


def signal_words(rssi: int | None) -> str:
    if rssi is None:
        return "?"
    bars = "strong" if rssi >= -60 else "good" if rssi >= -75 else "weak"
    return f"{rssi} dBm ({bars})"


def device_table(found: list[Advert]) -> list[str]:
    rows = [(advert.label, advert.address, signal_words(advert.rssi)) for advert in found]
    widths = [
        max(len(row[column]) for row in [("device", "address", "signal"), *rows])
        for column in range(3)
    ]
    lines = []
    for row in [("device", "address", "signal"), *rows]:
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return lines


def choose(kind: DeviceKind, offered: list[Advert]) -> Advert | None:
    """Ask which of ``offered`` to use as the ``kind``; Enter (or no terminal) skips it."""
    print(f"\n{kind.label.capitalize()}s:")
    for number, advert in enumerate(offered, start=1):
        print(
            f"  {number}. {advert.name or '(no name)'}  {advert.address}  "
            f"{signal_words(advert.rssi)}"
        )
    while True:
        try:
            answer = input(f"Which {kind.label}? 1-{len(offered)}, Enter for none: ").strip()
        except EOFError:
            print()
            return None
        if not answer:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(offered):
            return offered[int(answer) - 1]
        print(f"  {answer!r} is not one of 1-{len(offered)}")


def _execute(options: argparse.Namespace, session: Session) -> int:
    backend = options.backend or chosen_backend(session.loaded.config.devices.backend)
    try:
        radio = make_radio(backend)
    except ValueError as error:
        print(f"{PROG} devices: backend {backend!r} {error}", file=sys.stderr)
        return 2
    print(f"Listening for {options.seconds:g} s with {radio.description} ...", flush=True)

    async def listen() -> list[Advert]:
        try:
            return await scan(radio, options.seconds)
        finally:
            await radio.close()

    try:
        found = asyncio.run(listen())
    except RadioError as error:
        print(f"{PROG} devices: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    if not found:
        print(
            "No treadmill, heart-rate strap or foot pod heard. Is it on and awake (a treadmill "
            "often needs a key press, a strap needs skin contact), and not connected to a phone?"
        )
        return 1
    for line in device_table(found):
        print(line)
    if not options.pair:
        print(f"\nTo use them: {PROG} devices --pair")
        return 0
    return pair(found, session)


def pair(found: list[Advert], session: Session) -> int:
    updates: dict[tuple[str | int, ...], object] = {}
    for kind, key in SETTING_OF.items():
        offered = [advert for advert in found if kind in advert.kinds]
        if not offered:
            continue
        chosen = choose(kind, offered)
        if chosen is not None:
            updates[("devices", key)] = chosen.name or chosen.address
    if not updates:
        print("Nothing chosen; the settings are as they were.")
        return 0
    try:
        update_config(session.config_file, updates)
    except ConfigWriteError as error:
        print(f"{PROG} devices: {error}", file=sys.stderr)
        return 1
    print(f"\nSaved in {session.config_file}:")
    for key_path, value in updates.items():
        print(f"  [devices] {key_path[-1]} = {value!r}")
    return 0


COMMAND = Command(
    name="devices",
    synopsis="devices",
    summary=(
        "list Bluetooth treadmills, heart-rate straps and\nfoot pods in range; --pair picks "
        "the ones to use"
    ),
    example="retro-tui devices --pair",
    description="List the Bluetooth treadmills (FTMS), heart-rate straps and foot pods in range, "
    "with their name, address and signal; --pair asks which to use and saves them in the "
    "settings ([devices]).",
    arguments=_arguments,
    execute=_execute,
)
