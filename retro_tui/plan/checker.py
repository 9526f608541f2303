"""Checking the values of a plan or program document, every problem with its file and line.

:class:`DocumentChecker` holds the problems found so far and the checks the
plan and program loaders share: known keys (with a "did you mean"), text,
choices, numbers, speeds, inclines and durations within :mod:`.limits`.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TypeVar

from retro_tui.plan.durations import DURATION_HINT, format_duration, parse_duration
from retro_tui.plan.errors import PlanIssue
from retro_tui.plan.limits import (
    MAX_CUE_CHARS,
    MAX_INCLINE,
    MAX_ISSUES,
    MAX_SPEED,
    MAX_TOTAL_S,
    MIN_INCLINE,
)
from retro_tui.plan.model import Direction, Kind, Level, Units
from retro_tui.tomltext import KeyPath, LineLocator, did_you_mean, display_path

_E = TypeVar("_E", Kind, Direction, Units, Level)


# In this order: a bool is an int, and an int is not a float to a person.
_TYPE_NAMES: tuple[tuple[type, str], ...] = (
    (bool, "true/false"),
    (int, "a whole number"),
    (float, "a number"),
    (str, "text"),
    (list, "a list"),
    (dict, "a table"),
)


def type_name(value: object) -> str:
    """What a TOML value is, in a person's words: "a whole number", "text", "a table"."""
    return next((name for kind, name in _TYPE_NAMES if isinstance(value, kind)), "a date or time")


def show_value(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        # str() refuses ints over 4300 digits, and a hex literal in TOML can be one.
        sign = "-" if value < 0 else ""
        return f"{sign}about 10^{math.floor(math.log10(abs(value)))}"
    try:
        text = (
            repr(value)
            if isinstance(value, str)
            else str(value).lower()
            if isinstance(value, bool)
            else str(value)
        )
    except ValueError:  # a list or table holding such an int
        return type_name(value)
    return text if len(text) <= 40 else text[:37] + "..."


class DocumentChecker:
    """Checks the values of a parsed TOML document, collecting every problem with its line.

    The plan loader and the program loader walk their documents with it: each
    check reports what is wrong at the key's line and returns ``None``, so a
    whole file is checked in one pass.
    """

    def __init__(self, label: str, locator: LineLocator, prefix: KeyPath = ()) -> None:
        self.label = label
        self.locator = locator
        # Where the checked document sits in the file: () for a plan file, the
        # session's key path for a plan written inside a program file.
        self.prefix = prefix
        self.issues: list[PlanIssue] = []
        self.unreported = 0
        """Problems past :data:`MAX_ISSUES`: counted, not described."""
        self.units = Units.MPH

    # -- reporting ---------------------------------------------------------------------

    def line_of(self, path: KeyPath) -> int:
        return self.locator.line_of(self.prefix + path)

    @property
    def full(self) -> bool:
        """Whether enough problems are described: a person fixes those first."""
        return len(self.issues) >= MAX_ISSUES

    def error(self, path: KeyPath, message: str) -> None:
        if self.full:
            self.unreported += 1
            return
        self.issues.append(
            PlanIssue(self.label, self.line_of(path), display_path(self.prefix + path), message)
        )

    def check_keys(
        self, table: Mapping[str, object], path: KeyPath, allowed: Iterable[str], what: str
    ) -> None:
        allowed = tuple(allowed)
        for key in table:
            if key not in allowed:
                if self.full:  # no "did you mean" for problems nobody will read
                    self.unreported += 1
                    continue
                hint = did_you_mean(key, allowed)
                if not hint:
                    hint = f"; {what} takes: {', '.join(allowed)}"
                self.error(path + (key,), f"unknown key{hint}")

    def more_problems(self) -> list[PlanIssue]:
        """The line that counts what :data:`MAX_ISSUES` left out, if anything was."""
        if not self.unreported:
            return []
        more = f"and {self.unreported:,} more problems; fix the ones above first"
        return [PlanIssue(self.label, None, "", more)]

    # -- typed getters -----------------------------------------------------------------

    def text(
        self,
        table: Mapping[str, object],
        key: str,
        path: KeyPath,
        *,
        limit: int,
        required: bool = False,
        multiline: bool = False,
    ) -> str | None:
        if key not in table:
            if required:
                self.error(path, f'missing {key}: add {key} = "..."')
            return None
        value = table[key]
        return self.check_text(value, path + (key,), limit=limit, multiline=multiline)

    def check_text(
        self, value: object, path: KeyPath, *, limit: int, multiline: bool = False
    ) -> str | None:
        if not isinstance(value, str):
            self.error(path, f"must be text in quotes, not {type_name(value)}")
            return None
        stripped = value.strip()
        if not stripped:
            self.error(path, "must not be empty")
            return None
        allowed_controls = "\n\t" if multiline else ""
        if any(
            unicodedata.category(char) == "Cc" and char not in allowed_controls for char in value
        ):
            what = "control characters" if multiline else "line breaks or control characters"
            self.error(path, f"must not contain {what}")
            return None
        if len(stripped) > limit:
            self.error(path, f"is {len(stripped)} characters long; at most {limit} fit the screen")
            return None
        return stripped

    def choice(
        self, table: Mapping[str, object], key: str, path: KeyPath, enum: type[_E], default: _E
    ) -> _E:
        if key not in table:
            return default
        value = table[key]
        choices = [member.value for member in enum]
        if not isinstance(value, str):
            self.error(
                path + (key,), f"must be one of {', '.join(choices)}, not {type_name(value)}"
            )
            return default
        try:
            return enum(value)
        except ValueError:
            hint = did_you_mean(value, choices)
            self.error(
                path + (key,), f"{show_value(value)} is not one of {', '.join(choices)}{hint}"
            )
            return default

    def number(self, value: object, path: KeyPath) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"must be a number, not {type_name(value)}")
            return None
        try:
            number = float(value)
        except OverflowError:  # an int too big for a float
            number = math.inf
        if not math.isfinite(number):
            self.error(path, "must be a finite number")
            return None
        return number

    def speed(self, value: object, path: KeyPath) -> float | None:
        speed = self.number(value, path)
        if speed is None:
            return None
        limit = MAX_SPEED[self.units]
        if speed <= 0:
            self.error(path, "must be above zero (leave speed out to set no target)")
            return None
        if speed > limit:
            self.error(
                path,
                f"{speed:g} {self.units.label} is faster than a treadmill goes "
                f"(at most {limit:g} {self.units.label})",
            )
            return None
        return speed

    def incline(self, table: Mapping[str, object], path: KeyPath) -> float | None:
        if "incline" not in table:
            return None
        incline = self.number(table["incline"], path + ("incline",))
        if incline is None:
            return None
        if not MIN_INCLINE <= incline <= MAX_INCLINE:
            self.error(
                path + ("incline",),
                f"{incline:g} % is outside what a treadmill does "
                f"({MIN_INCLINE:g} to {MAX_INCLINE:g} %)",
            )
            return None
        return incline

    def duration(self, value: object, path: KeyPath, *, allow_zero: bool = False) -> int | None:
        seconds = parse_duration(value)
        if seconds is None:
            self.error(path, f"must be {DURATION_HINT}, not {show_value(value)}")
            return None
        if seconds < 0 or (seconds == 0 and not allow_zero):
            self.error(path, f"must be longer than zero, not {show_value(value)}")
            return None
        if seconds > MAX_TOTAL_S:
            huge = seconds.bit_length() > 128
            shown = show_value(seconds) + "s" if huge else format_duration(seconds)
            self.error(path, f"is {shown}; a plan lasts at most 6 hours")
            return None
        return seconds

    def cue_list(self, table: Mapping[str, object], path: KeyPath) -> tuple[tuple[str, ...], bool]:
        """The texts of the list of cues at ``path`` (its last part a key of ``table``).

        Returns the good ones and whether all of them were good; a missing list is none.
        """
        key = path[-1]
        if not isinstance(key, str) or key not in table:
            return (), True
        value = table[key]
        if not isinstance(value, list):
            self.error(path, f"must be a list of text, not {type_name(value)}")
            return (), False
        texts = [
            self.check_text(item, path + (index,), limit=MAX_CUE_CHARS)
            for index, item in enumerate(value)
        ]
        good = tuple(text for text in texts if text is not None)
        return good, len(good) == len(texts)
