"""Where the settings say things are: the history log and the extra plan folders.

A path in ``config.toml`` may start with ``~`` (already expanded when read)
and may be relative: it is then taken from the settings file's own folder, so
the file means the same whichever folder retro-tui is started in.
"""

from __future__ import annotations

from pathlib import Path

from retro_tui import paths
from retro_tui.config.schema import Config


def resolve_setting_path(path: Path, config_file: Path) -> Path:
    """A path from the settings file: relative ones are taken from the file's own folder."""
    return path if path.is_absolute() else config_file.parent / path


def configured_history(config: Config, config_file: Path) -> Path:
    """The history log: ``$RETRO_TUI_HISTORY``, else ``[paths] history``, else the default."""
    configured = config.paths.history
    return paths.history_path(
        resolve_setting_path(configured, config_file) if configured is not None else None
    )


def configured_plans(config: Config, config_file: Path) -> list[Path]:
    """The plan folders named in the settings (``[paths] plans``)."""
    return [resolve_setting_path(folder, config_file) for folder in config.paths.plans]
