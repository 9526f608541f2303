"""Default locations of the history log, the config file and the plan folders.

Every path the app reads or writes by default is decided here, so that tests,
the command line and the TUI agree. Environment variables override the
platform defaults (``RETRO_TUI_HISTORY``, ``RETRO_TUI_CONFIG``,
``RETRO_TUI_PLANS``, ``RETRO_TUI_EXPORTS``), and the history log may also be set in ``config.toml``
(``[paths] history``), which the environment overrides; command-line flags
override everything, in ``cli.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "retro-tui"

HISTORY_ENV = "RETRO_TUI_HISTORY"
CONFIG_ENV = "RETRO_TUI_CONFIG"
PLANS_ENV = "RETRO_TUI_PLANS"
EXPORTS_ENV = "RETRO_TUI_EXPORTS"


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def default_history_path() -> Path:
    """The history log when nothing says otherwise: the user data dir's ``history.toml``."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "history.toml"


def history_path(configured: Path | None = None) -> Path:
    """The history log: ``$RETRO_TUI_HISTORY``, else ``configured`` (from the settings),
    else :func:`default_history_path`."""
    return _from_env(HISTORY_ENV) or configured or default_history_path()


def config_path() -> Path:
    """The settings file: ``$RETRO_TUI_CONFIG`` or the user config dir's ``config.toml``."""
    return _from_env(CONFIG_ENV) or Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def user_plans_dir() -> Path:
    """The folder for the user's own plans: ``$RETRO_TUI_PLANS`` or ``<data dir>/plans``."""
    return _from_env(PLANS_ENV) or Path(platformdirs.user_data_dir(APP_NAME)) / "plans"


def exports_dir() -> Path:
    """Where the app puts activity files (FIT, TCX) for Strava, Garmin or intervals.icu:
    ``$RETRO_TUI_EXPORTS``, else a ``retro-tui`` folder in the user's documents, where a
    person looks for a file to upload."""
    return _from_env(EXPORTS_ENV) or Path(platformdirs.user_documents_dir()) / APP_NAME


def fallback_journal_dir() -> Path:
    """Where crash journals go when the history log's own folder can't be written."""
    return Path(platformdirs.user_state_dir(APP_NAME)) / "journals"


def bundled_plans_dir() -> Path:
    """The plans that ship with retro-tui.

    In an installed wheel they live inside the package (``retro_tui/plans``);
    in a source checkout or an editable install they are the repository's
    top-level ``plans/`` folder.
    """
    package_dir = Path(__file__).resolve().parent
    inside = package_dir / "plans"
    if inside.is_dir():
        return inside
    return package_dir.parent / "plans"
