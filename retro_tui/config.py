"""User settings: ``config.toml``, validated into typed sections with defaults.

A missing file means all defaults. A file with mistakes never stops the app:
each bad key is reported as ``FILE:LINE: section.key: message`` and its
default is used, while the good keys still apply. The file is never rewritten
behind the user's back.
"""

from __future__ import annotations

import math
import shlex
import tomllib
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit import TOMLDocument
from tomlkit.exceptions import TOMLKitError

from retro_tui.files import replace_atomically
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

SOUND_MODES = ("off", "bell", "voice")
UNITS = ("mph", "kmh")
DEFAULT_THEME = "textual-dark"
HIGH_CONTRAST_THEME = "retro-high-contrast"
DEFAULT_PORT = 8000


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
    """``off``; ``bell`` (the terminal bell at 3-2-1 and at every change); or ``voice``
    (the bell, and the changes, the 3-2-1, cues and rating prompts spoken aloud)."""
    voice_command: tuple[str, ...] = ()
    """The text-to-speech program and its options, as an argument list; the words to say
    are added as one last argument. Empty: the first of espeak-ng, spd-say or say found."""


@dataclass(frozen=True)
class DisplaySettings:
    theme: str = DEFAULT_THEME
    """A Textual theme by name, or ``retro-high-contrast`` for reading from two metres."""
    units: str = "mph"
    """Speed units of new plans (``mph`` or ``kmh``)."""


@dataclass(frozen=True)
class PathSettings:
    history: Path | None = None
    """The history log; None for the default location. ``~`` is expanded, and a relative
    path is taken from the settings file's folder."""
    plans: tuple[Path, ...] = ()
    """More folders (or files) of plans to list in the library, besides the user's own."""


@dataclass(frozen=True)
class ServeSettings:
    port: int = DEFAULT_PORT
    """The port ``retro-tui serve`` listens on."""


@dataclass(frozen=True)
class AthleteSettings:
    name: str = ""
    """Who is training: stored on every session. Empty for nobody in particular."""
    body_mass_kg: float | None = None
    """For energy estimates; without it none are shown."""


@dataclass(frozen=True)
class Config:
    workout: WorkoutSettings = field(default_factory=WorkoutSettings)
    sound: SoundSettings = field(default_factory=SoundSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    paths: PathSettings = field(default_factory=PathSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)
    athlete: AthleteSettings = field(default_factory=AthleteSettings)
    athletes: Mapping[str, float] = field(default_factory=dict)
    """Body mass in kg of each athlete by name (``[athletes] "Sam" = 62``): one laptop, several
    clients, each with their own energy estimates."""

    def body_mass_for(self, athlete: str) -> float | None:
        """The body mass to estimate ``athlete``'s energy with, if one is known.

        An athlete's own entry in ``[athletes]`` wins; ``[athlete] body_mass_kg``
        belongs to the athlete named beside it, or to nobody in particular.
        """
        wanted = athlete.strip().casefold()
        for name, mass in self.athletes.items():
            if name.strip().casefold() == wanted and wanted:
                return mass
        if wanted == self.athlete.name.strip().casefold():
            return self.athlete.body_mass_kg
        return None

    def known_athletes(self) -> list[str]:
        names = [self.athlete.name] if self.athlete.name.strip() else []
        names += [name for name in self.athletes if name.strip()]
        unique: dict[str, str] = {}
        for name in names:
            unique.setdefault(name.strip().casefold(), name.strip())
        return sorted(unique.values(), key=str.casefold)


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


MAX_ATHLETE_CHARS = 60


def _athlete_name(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    if len(value) > MAX_ATHLETE_CHARS or any(not char.isprintable() for char in value):
        raise ValueError(f"must be one line of at most {MAX_ATHLETE_CHARS} characters")
    return value.strip()


def _body_mass(value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        raise ValueError("must be a number of kilograms")
    if not 20 <= value <= 300:
        raise ValueError("must be between 20 and 300 kg")
    return float(value)


def _command(value: object) -> tuple[str, ...]:
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


def _theme_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be the name of a theme")
    if len(value) > 60 or any(not char.isprintable() for char in value):
        raise ValueError("must be one line of at most 60 characters")
    return value.strip()


def _path(value: object) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a path to a file or folder")
    if "\0" in value:
        raise ValueError("must not contain NUL characters")
    return Path(value.strip()).expanduser()


def _paths(value: object) -> tuple[Path, ...]:
    if isinstance(value, str):
        return (_path(value),)
    if not isinstance(value, list):
        raise ValueError('must be a list of folders, like ["~/plans"]')
    return tuple(_path(item) for item in value)


def _port(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    if not 1 <= value <= 65535:
        raise ValueError("must be between 1 and 65535")
    return value


VALIDATORS: dict[str, dict[str, Callable[[object], Any]]] = {
    "workout": {"preflight": _boolean, "cue_seconds": _seconds(2, 120), "flash": _boolean},
    "sound": {"mode": _one_of(SOUND_MODES), "voice_command": _command},
    "display": {"theme": _theme_name, "units": _one_of(UNITS)},
    "paths": {"history": _path, "plans": _paths},
    "serve": {"port": _port},
    "athlete": {"name": _athlete_name, "body_mass_kg": _body_mass},
}
# Sections whose keys are names the user chooses, each holding one kind of value.
NAMED_VALIDATORS: dict[str, Callable[[object], Any]] = {"athletes": _body_mass}


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
    check = NAMED_VALIDATORS[name]
    values: dict[str, Any] = {}
    for key, value in table.items():
        try:
            _athlete_name(key)
            values[key.strip()] = check(value)
        except ValueError as error:
            report((name, key), f"{error}; left out")
    return values


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
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


# -- writing ---------------------------------------------------------------------------------

HEADER = "# retro-tui settings: every key is described in the README, under Settings.\n"


def config_value(value: object) -> object:
    """A setting as TOML writes it: paths as text, argument lists as arrays."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [config_value(item) for item in value]
    return value


def config_document(config: Config) -> dict[str, Any]:
    """The settings as a TOML document (unset keys left out), e.g. for ``tomli_w.dumps``."""
    document: dict[str, Any] = {}
    for section, values in asdict(config).items():
        document[section] = {
            key: config_value(value) for key, value in values.items() if value is not None
        }
    return document


def resolve_setting_path(path: Path, config_file: Path) -> Path:
    """A path from the settings file: relative ones are taken from the file's own folder."""
    return path if path.is_absolute() else config_file.parent / path


class ConfigWriteError(Exception):
    """The settings could not be changed; the message says why and names the file."""


def update_config(path: Path, updates: Mapping[KeyPath, object]) -> None:
    """Set keys in the settings file, keeping every other key as it was.

    ``updates`` maps key paths like ``("athlete", "name")`` to values; ``None``
    removes the key. A file that does not parse is never replaced: the change is
    refused with the line to fix, because rewriting it would drop what the user
    wrote. The new file is written beside the old one and renamed over it, so a
    crash leaves either the old settings or the new ones, never half of each.
    Comments, key order and layout are kept (the file is edited with tomlkit).
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigWriteError(f"{path}: cannot be read ({error}); nothing was changed") from None
    result = parse_config(text, str(path))
    try:
        tomllib.loads(text)  # what the app reads must parse, whatever tomlkit accepts
        document = tomlkit.parse(text)
    except (ValueError, RecursionError, TOMLKitError):  # TOMLDecodeError is a ValueError
        where = result.problems[0] if result.problems else f"{path}"
        raise ConfigWriteError(f"{where}\nFix the file first; nothing was changed.") from None
    for key_path, value in updates.items():
        _set(document, key_path, value, path)
    written = tomlkit.dumps(document)
    # A new file says where its keys are explained; a file someone wrote stays theirs.
    data = (written if text.strip() else HEADER + written).encode("utf-8")
    try:
        replace_atomically(path, data)
    except OSError as error:
        raise ConfigWriteError(
            f"{path}: cannot be written ({error.strerror or error}); nothing was changed"
        ) from None


def _set(document: TOMLDocument, key_path: KeyPath, value: object, path: Path) -> None:
    table: MutableMapping[str, Any] = document
    for key in map(str, key_path[:-1]):
        if key not in table:
            table[key] = tomlkit.table()
        inner = table[key]
        if not isinstance(inner, MutableMapping):
            raise ConfigWriteError(
                f"{path}: {key} is not a table; fix the file first, nothing was changed"
            )
        table = inner
    last = str(key_path[-1])
    if value is None:
        table.pop(last, None)
    else:
        table[last] = config_value(value)
