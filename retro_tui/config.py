"""User settings: ``config.toml``, validated into typed sections with defaults.

A missing file means all defaults. A file with mistakes never stops the app:
each bad key is reported as ``FILE:LINE: section.key: message`` and its
default is used, while the good keys still apply. The file is never rewritten
behind the user's back.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from retro_tui.plan.errors import PlanIssue
from retro_tui.plan.loader import display_path
from retro_tui.plan.locate import KeyPath, LineLocator

SOUND_MODES = ("off", "bell")


@dataclass(frozen=True)
class WorkoutSettings:
    preflight: bool = True
    """Show the safety check before the first step."""
    cue_seconds: float = 8.0
    """How long each rotating cue stays on screen."""
    flash: bool = True
    """Flash the screen at every step change."""


@dataclass(frozen=True)
class SoundSettings:
    mode: str = "bell"
    """``off`` or ``bell`` (the terminal bell at 3-2-1 and at every change)."""


@dataclass(frozen=True)
class Config:
    workout: WorkoutSettings = field(default_factory=WorkoutSettings)
    sound: SoundSettings = field(default_factory=SoundSettings)


@dataclass(frozen=True)
class ConfigResult:
    """The settings in force and the problems found in the file, if any."""

    config: Config
    problems: tuple[PlanIssue, ...] = ()


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _seconds(low: float, high: float) -> Callable[[object], float]:
    def check(value: object) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            raise ValueError("must be a number of seconds")
        if not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g} seconds")
        return float(value)

    return check


def _one_of(choices: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        assert isinstance(value, str)
        return value

    return check


VALIDATORS: dict[str, dict[str, Callable[[object], Any]]] = {
    "workout": {"preflight": _boolean, "cue_seconds": _seconds(2, 120), "flash": _boolean},
    "sound": {"mode": _one_of(SOUND_MODES)},
}


def load_config(path: Path) -> ConfigResult:
    """Read the settings at ``path``; never raises for anything in the file."""
    label = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return ConfigResult(Config())
    except (OSError, UnicodeDecodeError) as error:
        reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
        return ConfigResult(Config(), (PlanIssue(label, None, "", f"{reason}; using defaults"),))
    return parse_config(text, label)


def parse_config(text: str, label: str = "<config>") -> ConfigResult:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        # "(at end of document)": the last line with text on it, not line 1.
        line = text.count("\n", 0, len(text.rstrip())) + 1
        if "(at line " in message:
            line = int(message.split("(at line ", 1)[1].split(",", 1)[0])
        issue = PlanIssue(label, line, "", f"TOML syntax error: {message}; using defaults")
        return ConfigResult(Config(), (issue,))
    except (ValueError, RecursionError) as error:
        # Valid TOML that tomllib still refuses: a number over 4300 digits, deep nesting.
        reason = "is nested too deeply" if isinstance(error, RecursionError) else str(error)
        return ConfigResult(Config(), (PlanIssue(label, None, "", f"{reason}; using defaults"),))
    locator = LineLocator(text)
    problems: list[PlanIssue] = []

    def report(path: KeyPath, message: str) -> None:
        problems.append(PlanIssue(label, locator.line_of(path), display_path(path), message))

    config = Config()
    for section, value in document.items():
        if section not in VALIDATORS:
            report((section,), f"unknown section{_hint(section, VALIDATORS)}")
            continue
        if not isinstance(value, dict):
            report((section,), f"must be a table ([{section}])")
            continue
        config = replace(
            config, **{section: _section(getattr(config, section), section, value, report)}
        )
    return ConfigResult(config, tuple(problems))


def _section(
    defaults: Any,
    name: str,
    table: Mapping[str, object],
    report: Callable[[KeyPath, str], None],
) -> Any:
    validators = VALIDATORS[name]
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in validators:
            report((name, key), f"unknown key{_hint(key, validators)}")
            continue
        try:
            values[key] = validators[key](value)
        except ValueError as error:
            default = getattr(defaults, key)
            report((name, key), f"{error}; using the default ({_show(default)})")
    return replace(defaults, **values)


def _hint(word: str, choices: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)
