"""The checks a settings value passes: each returns the setting or raises ValueError saying why.

The messages are what the settings screen and a file's problems show after
the key, so they are phrased to follow it: ``workout.cue_seconds: must be
between 2 and 120 seconds``.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Callable
from pathlib import Path

MAX_ATHLETE_CHARS = 60
MIN_BODY_MASS_KG, MAX_BODY_MASS_KG = 20, 300


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def number_between(low: float, high: float, *, of: str, unit: str) -> Callable[[object], float]:
    """A number from ``low`` to ``high``: "must be a number of {of}", "... between ... {unit}"."""

    def check(value: object) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            raise ValueError(f"must be a number of {of}")
        if not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g} {unit}")
        return float(value)

    return check


def one_of(choices: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        assert isinstance(value, str)
        return value

    return check


def athlete_name(value: object) -> str:
    """An athlete's name as typed: one line of text, trimmed."""
    if not isinstance(value, str):
        raise ValueError("must be text")
    if len(value) > MAX_ATHLETE_CHARS or any(not char.isprintable() for char in value):
        raise ValueError(f"must be one line of at most {MAX_ATHLETE_CHARS} characters")
    return value.strip()


body_mass = number_between(MIN_BODY_MASS_KG, MAX_BODY_MASS_KG, of="kilograms", unit="kg")


def command(value: object) -> tuple[str, ...]:
    """A program and its options: one string (split like a shell would) or a list of strings.

    Nothing here runs a shell: the words become an argument list.
    """
    if isinstance(value, str):
        try:
            words = shlex.split(value)
        except ValueError as error:
            raise ValueError(f"cannot be split into words ({error})") from None
    elif isinstance(value, list) and all(isinstance(word, str) for word in value):
        words = list(value)
    else:
        raise ValueError('must be a command, like "espeak-ng -s 150" or ["espeak-ng", "-s", "150"]')
    if any("\0" in word for word in words):
        raise ValueError("must not contain NUL characters")
    return tuple(words)


def theme_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be the name of a theme")
    if len(value) > 60 or any(not char.isprintable() for char in value):
        raise ValueError("must be one line of at most 60 characters")
    return value.strip()


def file_path(value: object) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a path to a file or folder")
    if "\0" in value:
        raise ValueError("must not contain NUL characters")
    return Path(value.strip()).expanduser()


def file_paths(value: object) -> tuple[Path, ...]:
    if isinstance(value, str):
        return (file_path(value),)
    if not isinstance(value, list):
        raise ValueError('must be a list of folders, like ["~/plans"]')
    return tuple(file_path(item) for item in value)


def port_number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    if not 1 <= value <= 65535:
        raise ValueError("must be between 1 and 65535")
    return value


MAX_DEVICE_CHARS = 100


def device_name(value: object) -> str:
    """A Bluetooth device's name or address, as typed: one line of text, trimmed."""
    if not isinstance(value, str):
        raise ValueError("must be text: a device's name or its address")
    if len(value) > MAX_DEVICE_CHARS or any(not char.isprintable() for char in value):
        raise ValueError(f"must be one line of at most {MAX_DEVICE_CHARS} characters")
    return value.strip()


MIN_MAX_HEART_RATE, MAX_MAX_HEART_RATE = 100, 230
MIN_RESTING_HEART_RATE, MAX_RESTING_HEART_RATE = 30, 120


def _beats_between(low: int, high: int) -> Callable[[object], int]:
    """A whole number of beats per minute from ``low`` to ``high``."""

    def check(value: object) -> int:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not math.isfinite(value))
            or value != int(value)
        ):
            raise ValueError("must be a whole number of beats per minute")
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high} beats per minute")
        return int(value)

    return check


heart_rate_limit = _beats_between(MIN_MAX_HEART_RATE, MAX_MAX_HEART_RATE)
"""The highest heart rate: 100 to 230 bpm."""
resting_heart_rate = _beats_between(MIN_RESTING_HEART_RATE, MAX_RESTING_HEART_RATE)
"""The resting heart rate: 30 to 120 bpm."""
