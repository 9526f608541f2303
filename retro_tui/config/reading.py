"""Reading ``config.toml``: every key checked against the schema, every mistake with its line.

A missing file means all defaults. A file with mistakes never stops the app:
each bad key is reported as ``FILE:LINE: section.key: message`` and its
default is used, while the good keys still apply.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from retro_tui.config.checks import athlete_name
from retro_tui.config.schema import (
    ATHLETE_KEYS,
    NAMED_VALIDATORS,
    VALIDATORS,
    AthleteProfile,
    Config,
)
from retro_tui.tomltext import (
    FileProblem,
    FileProblemError,
    KeyPath,
    LineLocator,
    decode_toml,
    did_you_mean,
    display_path,
    last_text_line,
    read_toml_bytes,
    syntax_position,
)


@dataclass(frozen=True)
class ConfigResult:
    """The settings in force and the problems found in the file, if any."""

    config: Config
    problems: tuple[FileProblem, ...] = ()

    @property
    def unreadable(self) -> FileProblem | None:
        """Why the file as a whole could not be read (not TOML, not UTF-8, ...), if it could not.

        Such a file must not be written: :func:`update_config` refuses it, since
        rewriting it would throw away whatever the user wrote.
        """
        return next((problem for problem in self.problems if not problem.key), None)


def load_config(path: Path) -> ConfigResult:
    """Read the settings at ``path``; never raises for anything in the file."""
    label = str(path)
    try:
        if not path.exists():
            return ConfigResult(Config())
        text = decode_toml(read_toml_bytes(path, "settings"), label, "settings")
    except FileProblemError as error:
        issue = error.first
        return ConfigResult(Config(), (replace(issue, message=f"{issue.message}; using defaults"),))
    return parse_config(text, label)


def parse_config(text: str, label: str = "<config>") -> ConfigResult:
    locator = LineLocator(text)
    if locator.problem is not None:
        message = f"{locator.problem.message}; using defaults"
        return ConfigResult(Config(), (FileProblem(label, locator.problem.line, "", message),))
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # The whole of tomllib's message, position included, as the settings screen shows it.
        line = syntax_position(error).line or last_text_line(text)
        issue = FileProblem(label, line, "", f"TOML syntax error: {error}; using defaults")
        return ConfigResult(Config(), (issue,))
    except (ValueError, RecursionError):
        # Valid TOML that tomllib still refuses (the locator's bounds leave little of it).
        issue = FileProblem(label, None, "", "holds a value too big to read; using defaults")
        return ConfigResult(Config(), (issue,))
    problems: list[FileProblem] = []

    def report(path: KeyPath, message: str) -> None:
        problems.append(FileProblem(label, locator.line_of(path), display_path(path), message))

    config = Config()
    sections = [*VALIDATORS, *NAMED_VALIDATORS]
    for section, value in document.items():
        if section not in sections:
            report((section,), f"unknown section{did_you_mean(section, dict.fromkeys(sections))}")
            continue
        if not isinstance(value, dict):
            report((section,), f"must be a table ([{section}])")
            continue
        if section in NAMED_VALIDATORS:
            named: Any = _named(section, value, report)
            config = replace(config, **{section: named})
            continue
        config = replace(
            config, **{section: _section(getattr(config, section), section, value, report)}
        )
    devices = config.devices
    if _resting_not_below(devices.resting_heart_rate, devices.max_heart_rate):
        report(("devices", "resting_heart_rate"), _RESTING_NOT_BELOW)
        config = replace(config, devices=replace(devices, resting_heart_rate=None))
    return ConfigResult(config, tuple(problems))


_RESTING_NOT_BELOW = "must be below the highest heart rate (max_heart_rate); left out"


def _resting_not_below(resting: int | None, highest: int | None) -> bool:
    return resting is not None and highest is not None and resting >= highest


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
            report((name, key), f"unknown key{did_you_mean(key, validators)}")
            continue
        try:
            values[key] = validators[key](value)
        except ValueError as error:
            default = getattr(defaults, key)
            report((name, key), f"{error}; using the default ({_show(default)})")
    return replace(defaults, **values)


def _named(
    name: str, table: Mapping[str, object], report: Callable[[KeyPath, str], None]
) -> dict[str, Any]:
    """``[athletes]``: each athlete's body mass (``"Sam" = 62``) or table of keys."""
    check = NAMED_VALIDATORS[name]
    values: dict[str, Any] = {}
    for key, value in table.items():
        try:
            athlete_name(key)
        except ValueError as error:
            report((name, key), f"{error}; left out")
            continue
        if isinstance(value, dict):
            values[key.strip()] = _athlete_table((name, key), value, report)
            continue
        try:
            values[key.strip()] = AthleteProfile(body_mass_kg=check(value))
        except ValueError as error:
            also = "" if isinstance(value, int | float) else f", or a table ([{name}.{key}])"
            report((name, key), f"{error}{also}; left out")
    return values


def _athlete_table(
    path: KeyPath, table: Mapping[str, object], report: Callable[[KeyPath, str], None]
) -> AthleteProfile:
    """``[athletes.Sam]``: the athlete's own keys; a bad one is reported and left out."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        setting = ATHLETE_KEYS.get(key)
        if setting is None:
            hint = did_you_mean(key, ATHLETE_KEYS) or f"; an athlete has {', '.join(ATHLETE_KEYS)}"
            report((*path, key), f"unknown key{hint}")
            continue
        try:
            values[key] = setting.check(value)
        except ValueError as error:
            report((*path, key), f"{error}; left out")
    profile = AthleteProfile(**values)
    if _resting_not_below(profile.resting_heart_rate, profile.max_heart_rate):
        report((*path, "resting_heart_rate"), _RESTING_NOT_BELOW)
        profile = replace(profile, resting_heart_rate=None)
    return profile


def unknown_theme_issue(path: Path, theme: str, known: Iterable[str]) -> FileProblem:
    """``FILE:LINE: display.theme: unknown theme "x" (did you mean ...); using the default``.

    The names of themes come from the screen, which knows them; the line is
    where ``display.theme`` is written in ``path`` (none if it can't be read).
    """
    try:
        line = LineLocator(path.read_bytes().decode("utf-8-sig")).lines.get(("display", "theme"))
    except (OSError, UnicodeDecodeError):
        line = None
    message = f'unknown theme "{theme}"{did_you_mean(theme, known)}; using the default'
    return FileProblem(str(path), line, "display.theme", message)


def _show(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)
