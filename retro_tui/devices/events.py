"""What the devices say happened, as the workout hears it: one small value per event.

The links (:mod:`retro_tui.devices.link`) turn notifications, answers and lost
connections into these; :meth:`~retro_tui.devices.link.DeviceHub.poll` hands
them over in order, and the workout decides what each means for the clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from retro_tui.devices.protocol import DeviceKind


@dataclass(frozen=True)
class Connected:
    kind: DeviceKind
    name: str


@dataclass(frozen=True)
class Lost:
    kind: DeviceKind
    name: str


@dataclass(frozen=True)
class Problem:
    """Something went wrong that the person should read once."""

    kind: DeviceKind
    text: str


@dataclass(frozen=True)
class Refused:
    """The treadmill answered a command with anything but success."""

    command: str
    result: str


@dataclass(frozen=True)
class NoControl:
    """The treadmill can't be controlled: retro-tui advises the speeds instead."""

    reason: str


@dataclass(frozen=True)
class SafetyKey:
    """The safety key came off: the belt stopped."""


@dataclass(frozen=True)
class StoppedOnConsole:
    paused: bool


@dataclass(frozen=True)
class StartedOnConsole:
    pass


@dataclass(frozen=True)
class ConsoleSpeed:
    """The person set another speed on the console."""

    kmh: float


@dataclass(frozen=True)
class ConsoleIncline:
    pct: float


DeviceEvent = (
    Connected
    | Lost
    | Problem
    | Refused
    | NoControl
    | SafetyKey
    | StoppedOnConsole
    | StartedOnConsole
    | ConsoleSpeed
    | ConsoleIncline
)
