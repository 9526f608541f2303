"""User settings: ``config.toml``, validated into typed sections with defaults.

The schema (:mod:`.schema`) holds every key once: its type, default, check,
limits and help. :mod:`.reading` checks a file against it (a mistake never
stops the app: the key's default is used and the problem reported with its
line), :mod:`.writing` changes one key at a time keeping the rest of the file
as written, and :mod:`.checks` has the checks the values pass.
"""

from retro_tui.config.checks import (
    MAX_ATHLETE_CHARS,
    MAX_BODY_MASS_KG,
    MIN_BODY_MASS_KG,
    athlete_name,
)
from retro_tui.config.locations import (
    configured_history,
    configured_plans,
    resolve_setting_path,
)
from retro_tui.config.reading import (
    ConfigResult,
    load_config,
    parse_config,
    unknown_theme_issue,
)
from retro_tui.config.schema import (
    ATHLETES,
    DEFAULT_PORT,
    DEFAULT_THEME,
    FOLDER_SEPARATOR,
    HIGH_CONTRAST_THEME,
    NAMED_VALIDATORS,
    NEW_PLANS,
    NEXT_SERVE,
    NEXT_START,
    NEXT_WORKOUT,
    NOW,
    SCHEMA,
    SOUND_MODES,
    UNITS,
    VALIDATORS,
    AthleteSettings,
    Config,
    DisplaySettings,
    PathSettings,
    ServeSettings,
    Setting,
    SoundSettings,
    WorkoutSettings,
    athlete_setting,
    readme_default,
    readme_table,
)
from retro_tui.config.writing import (
    HEADER,
    ConfigWriteError,
    config_document,
    config_value,
    update_config,
)

__all__ = [
    "ATHLETES",
    "DEFAULT_PORT",
    "DEFAULT_THEME",
    "FOLDER_SEPARATOR",
    "HEADER",
    "HIGH_CONTRAST_THEME",
    "MAX_ATHLETE_CHARS",
    "MAX_BODY_MASS_KG",
    "MIN_BODY_MASS_KG",
    "NAMED_VALIDATORS",
    "NEW_PLANS",
    "NEXT_SERVE",
    "NEXT_START",
    "NEXT_WORKOUT",
    "NOW",
    "SCHEMA",
    "SOUND_MODES",
    "UNITS",
    "VALIDATORS",
    "AthleteSettings",
    "Config",
    "ConfigResult",
    "ConfigWriteError",
    "DisplaySettings",
    "PathSettings",
    "ServeSettings",
    "Setting",
    "SoundSettings",
    "WorkoutSettings",
    "athlete_name",
    "athlete_setting",
    "config_document",
    "config_value",
    "configured_history",
    "configured_plans",
    "load_config",
    "parse_config",
    "readme_default",
    "readme_table",
    "resolve_setting_path",
    "unknown_theme_issue",
    "update_config",
]
