"""Changing ``config.toml``: one key at a time, the rest of the file kept as the person wrote it.

The file is never rewritten behind the user's back: only the settings screen
and choosing an athlete write it, and a file that does not parse is refused.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, MutableMapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

from retro_tui.config.reading import parse_config
from retro_tui.config.schema import ATHLETES, AthleteProfile, Config
from retro_tui.files import replace_atomically
from retro_tui.tomltext import (
    KeyPath,
)

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
        if section == ATHLETES.section:
            document[section] = {
                name: athlete_value(profile) for name, profile in config.athletes.items()
            }
            continue
        document[section] = {
            key: config_value(value) for key, value in values.items() if value is not None
        }
    return document


def athlete_value(profile: AthleteProfile) -> object:
    """An athlete's entry as the file holds it: a body mass alone as a number (``62``),
    anything more as a table of the keys that are set."""
    values = {key: value for key, value in asdict(profile).items() if value is not None}
    if list(values) == ["body_mass_kg"]:
        return values["body_mass_kg"]
    return values


class ConfigWriteError(Exception):
    """The settings could not be changed; the message says why and names the file."""


def update_config(path: Path, updates: Mapping[KeyPath, object]) -> None:
    """Set keys in the settings file, keeping every other key as it was.

    ``updates`` maps key paths like ``("athlete", "name")`` to values; ``None``
    removes the key. An athlete's keys are set by their three-part path,
    ``("athletes", "Sam", "max_heart_rate")``: a body mass alone is written as a
    number (``"Sam" = 62``), and becomes a table of the athlete's keys the first
    time another of them is set. A file that does not parse is never replaced: the change is
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
    # Imported here: every start reads the settings, and only a change writes them.
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

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
    if len(key_path) == 3 and key_path[0] == ATHLETES.section:
        _set_athlete(document, str(key_path[1]), str(key_path[2]), value, path)
        return
    table: MutableMapping[str, Any] = document
    for key in map(str, key_path[:-1]):
        if key not in table:
            table[key] = {}  # becomes a [table] of its own, as tomlkit writes a dict
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


def _set_athlete(document: TOMLDocument, name: str, key: str, value: object, path: Path) -> None:
    """One key of an athlete's entry in ``[athletes]``, in the form the entry has (see
    :func:`update_config`); ``None`` removes it, and an entry left empty goes too."""
    import tomlkit
    from tomlkit.items import InlineTable

    section = ATHLETES.section
    if section not in document:
        if value is None:
            return
        document[section] = {}
    athletes = document[section]
    if not isinstance(athletes, MutableMapping):
        raise ConfigWriteError(
            f"{path}: {section} is not a table; fix the file first, nothing was changed"
        )
    # The entry as the file names it: names match ignoring case and spaces, as they are read.
    wanted = name.strip().casefold()
    own = next((written for written in athletes if written.strip().casefold() == wanted), name)
    entry = athletes.get(own)
    mass = entry if isinstance(entry, int | float) and not isinstance(entry, bool) else None
    if entry is None or mass is not None:
        if key == "body_mass_kg":  # a body mass alone stays a number
            if value is None:
                athletes.pop(own, None)
            else:
                athletes[own] = config_value(value)
            return
        if value is None:
            return  # nothing to take out
        table = tomlkit.inline_table() if isinstance(athletes, InlineTable) else tomlkit.table()
        if mass is not None:
            table["body_mass_kg"] = mass
        athletes[own] = table
        entry = athletes[own]
    if not isinstance(entry, MutableMapping):
        raise ConfigWriteError(
            f"{path}: {section}.{own} is neither a body mass nor a table; fix the file first, "
            "nothing was changed"
        )
    if value is None:
        entry.pop(key, None)
        if not entry:
            athletes.pop(own, None)
    else:
        entry[key] = config_value(value)
