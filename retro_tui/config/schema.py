"""The settings schema: every key of ``config.toml`` with its type, default, check and help.

Each key is a field of a section dataclass (its type and default) whose
metadata is a :class:`Setting` (its check, limits and words). The validation,
the settings screen and the README's table of settings are all made from
:data:`SCHEMA`, so a key is described once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from retro_tui.coach.paces import parse_race_time
from retro_tui.coach.zones import ZONE_METHODS, HeartRateZones
from retro_tui.config.checks import (
    athlete_name,
    body_mass,
    boolean,
    command,
    device_name,
    file_path,
    file_paths,
    heart_rate_limit,
    number_between,
    one_of,
    port_number,
    resting_heart_rate,
    theme_name,
)
from retro_tui.devices.radio import DEFAULT_BACKEND, check_backend
from retro_tui.plan.model import Units
from retro_tui.tomltext import (
    display_path,
)

SOUND_MODES = ("off", "bell", "voice")
CONTROL_MODES = ("auto", "advise")
UNITS = tuple(unit.value for unit in Units)
DEFAULT_THEME = "textual-dark"
HIGH_CONTRAST_THEME = "retro-high-contrast"
DEFAULT_PORT = 8000

# When a change made on the settings screen takes effect.
NOW = "In effect now."
NEXT_WORKOUT = "Takes effect at the next workout."
NEW_PLANS = "New plans (n in the library, retro-tui new) use it."
NEXT_START = "Takes effect the next time retro-tui starts."
NEXT_SERVE = "Takes effect the next time retro-tui serve starts."
NEXT_IMPORT = "The library's Zwift workouts use it at once, retro-tui import at its next run."

FOLDER_SEPARATOR = "a colon (:)" if os.pathsep == ":" else "a semicolon (;)"


# -- the schema: every key, in one place -------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One key of ``config.toml``: its check, its help and how the settings screen changes it.

    The key's type and default are its field's in the section dataclass below, where
    this sits as the field's metadata; :data:`SCHEMA` lists them all in file order.
    The validation, the settings screen and the README's table all come from here.
    """

    check: Callable[[object], Any]
    """Turns a value read from the file into the setting, or raises ValueError saying why."""
    label: str
    """The settings screen's name for it."""
    explanation: str
    """The settings screen's line on what it does."""
    kind: str
    """How Enter changes it: ``switch``, ``cycle``, ``theme``, ``number``, ``text``,
    ``folders`` or ``athlete``."""
    effect: str
    """When a change takes effect."""
    readme: str
    """What it does, as the README's table of settings says it."""
    choices: tuple[str, ...] = ()
    """The values ``cycle`` steps through."""
    readme_default: str | None = None
    """The default as the README shows it, where the value alone says too little."""
    section: str = ""
    name: str = ""
    """The key's own name in its section: ``preflight``; an athlete's name in ``[athletes]``."""
    default: Any = None

    @property
    def path(self) -> tuple[str, str]:
        """Its section and key: ``("workout", "preflight")``; ``("athletes", name)`` for a mass."""
        return (self.section, self.name)

    @property
    def key(self) -> str:
        """``workout.preflight``: the key as the file's messages name it."""
        return display_path(self.path)

    @property
    def where(self) -> str:
        """``[workout] preflight``: where to find it in the file."""
        bare = self.name.replace("_", "").replace("-", "").isalnum() and self.name.isascii()
        return f"[{self.section}] {self.name if bare else repr(self.name)}"


def _about(**about: Any) -> dict[str, Setting]:
    """A section field's metadata: its :class:`Setting` (the field itself keeps the default)."""
    return {"setting": Setting(**about)}


@dataclass(frozen=True)
class WorkoutSettings:
    preflight: bool = field(
        default=True,
        metadata=_about(
            check=boolean,
            label="Safety check before the first step",
            explanation=(
                "Stop clip, a mark on the wall, hands on the rails, the belt at its lowest."
            ),
            kind="switch",
            effect=NEXT_WORKOUT,
            readme="The safety check before the first step: stop clip, a mark on the wall, hands "
            "on the rails, the belt at its lowest.",
        ),
    )
    cue_seconds: float = field(
        default=8.0,
        metadata=_about(
            check=number_between(2, 120, of="seconds", unit="seconds"),
            label="Seconds each cue stays on screen",
            explanation="Tips take turns during a step: 2 to 120 seconds each.",
            kind="number",
            effect=NEXT_WORKOUT,
            readme="How long each cue stays on screen before the next takes its turn, 2 to 120 "
            "seconds.",
        ),
    )
    flash: bool = field(
        default=True,
        metadata=_about(
            check=boolean,
            label="Flash the screen at every change",
            explanation="The direction and the countdown flash in reverse when a step changes.",
            kind="switch",
            effect=NEXT_WORKOUT,
            readme="Flash the direction and the countdown in reverse at every step change.",
        ),
    )


@dataclass(frozen=True)
class SoundSettings:
    mode: str = field(
        default="bell",
        metadata=_about(
            check=one_of(SOUND_MODES),
            choices=SOUND_MODES,
            label="Sound",
            explanation=(
                "off; bell: the terminal bell at 3-2-1 and at every change; voice: spoken too."
            ),
            kind="cycle",
            effect=NEXT_WORKOUT,
            readme='`"off"`; `"bell"`: the terminal bell at 3-2-1 and at every change; `"voice"`: '
            "the bell, and the workout spoken aloud (see [Spoken cues](#spoken-cues)).",
        ),
    )
    voice_command: tuple[str, ...] = field(
        default=(),
        metadata=_about(
            check=command,
            label="Voice command",
            explanation="Speech program and options for voice; empty: espeak-ng, espeak, spd-say "
            "or say.",
            kind="text",
            effect=NEXT_WORKOUT,
            readme='The speech program for `"voice"` and its options: a list (`["espeak-ng", '
            '"-s", "150"]`) or one line (`"espeak-ng -s 150"`, split into words as a shell would, '
            "never run through one). The words to say are added as its last argument. Without "
            "it, the first found of `espeak-ng`, `espeak`, `spd-say` and `say`.",
        ),
    )


@dataclass(frozen=True)
class DisplaySettings:
    theme: str = field(
        default=DEFAULT_THEME,
        metadata=_about(
            check=theme_name,
            label="Theme",
            explanation=(
                "The colours of every screen; retro-high-contrast reads best from the belt."
            ),
            kind="theme",
            effect=NOW,
            readme='The colours. `"retro-high-contrast"` is white on pure black with a yellow '
            "BACKWARD and a green FORWARD banner, for reading from the belt; any of Textual's "
            "themes works too (the settings screen lists them all). An unknown name is reported "
            "with its line and the default is used.",
        ),
    )
    units: str = field(
        default=Units.MPH.value,
        metadata=_about(
            check=one_of(UNITS),
            choices=UNITS,
            label="Units of new plans",
            explanation=(
                "Speeds in plans written by n in the library and by retro-tui new: mph or kmh."
            ),
            kind="cycle",
            effect=NEW_PLANS,
            readme="The speed units of new plans written by `n` in the library and by `retro-tui "
            'new`: `"mph"` or `"kmh"`. Every plan keeps its own `units`.',
        ),
    )


@dataclass(frozen=True)
class PathSettings:
    history: Path | None = field(
        default=None,
        metadata=_about(
            check=file_path,
            label="History log",
            explanation="The file every session is added to; empty: the default place.",
            kind="text",
            effect=NEXT_START,
            readme='The history log (see "Where things are kept"). `~` is your home folder; a '
            "relative path is taken from the folder `config.toml` is in.",
            readme_default="the default place",
        ),
    )
    plans: tuple[Path, ...] = field(
        default=(),
        metadata=_about(
            check=file_paths,
            label="More plan folders",
            explanation="Listed in the library beside your own; separate folders with "
            f"{FOLDER_SEPARATOR}.",
            kind="folders",
            effect=NEXT_START,
            readme="More folders (or plan files) of plans: listed in the library beside your own, "
            "and searched by `check` and `run`. A list of paths, or one path as text; `~` and "
            "relative paths as for `history`.",
        ),
    )


@dataclass(frozen=True)
class ServeSettings:
    port: int = field(
        default=DEFAULT_PORT,
        metadata=_about(
            check=port_number,
            label="Port of retro-tui serve",
            explanation="Where the app listens when served to a browser: 1 to 65535.",
            kind="number",
            effect=NEXT_SERVE,
            readme="The port `retro-tui serve` listens on, 1 to 65535; `--port` comes first.",
        ),
    )


def race_time_5k(value: object) -> str:
    """A 5 km race time in quotes (``"25:00"``, ``"1:02:30"``), kept as written (trimmed)."""
    if not isinstance(value, str):
        raise ValueError('must be a time in quotes, like "25:00"')
    parse_race_time(value)
    return value.strip()


@dataclass(frozen=True)
class AthleteSettings:
    name: str = field(
        default="",
        metadata=_about(
            check=athlete_name,
            label="Athlete",
            explanation="Who is training: stored on every session (a in the library too).",
            kind="athlete",
            effect=NOW,
            readme="Who is training: stored on every session, and whose history and program the "
            'app shows. `""` is nobody in particular. `a` in the library sets it.',
        ),
    )
    body_mass_kg: float | None = field(
        default=None,
        metadata=_about(
            check=body_mass,
            label="Body mass, kg",
            explanation="For energy estimates of the athlete above (20-300); empty: none shown.",
            kind="number",
            effect=NOW,
            readme="The body mass in kg (20 to 300) of the athlete named beside it (or of nobody "
            "in particular, without a name), for energy estimates. Without one no estimate is "
            "shown.",
        ),
    )
    time_5k: str | None = field(
        default=None,
        metadata=_about(
            check=race_time_5k,
            label="5 km race time",
            explanation="Sets imported workouts' speeds (retro-tui import), like 25:00; empty: "
            "asked for.",
            kind="text",
            effect=NEXT_IMPORT,
            readme='Your 5 km race time, `"25:00"` (minutes:seconds) or `"1:02:30"`, from '
            "12:00 to 2:00:00. `retro-tui import` sets the speeds of a Zwift run workout "
            "(a share of your mile, 5 km, 10 km, half or marathon pace) and of intervals.icu's "
            "`% Pace` (a share of threshold pace, taken as your 10 km pace) from it, the other "
            "race paces worked out by Riegel's formula. `--pace` comes first; without either, "
            "the import asks.",
        ),
    )


@dataclass(frozen=True)
class DeviceSettings:
    treadmill: str = field(
        default="",
        metadata=_about(
            check=device_name,
            label="Treadmill",
            explanation="Its Bluetooth name or address (retro-tui devices --pair); empty: none.",
            kind="text",
            effect=NEXT_START,
            readme="The treadmill (Bluetooth FTMS) by its name or address; `retro-tui devices "
            "--pair` writes it. Empty: no treadmill.",
        ),
    )
    heart_rate: str = field(
        default="",
        metadata=_about(
            check=device_name,
            label="Heart-rate strap",
            explanation="Its Bluetooth name or address; empty: none.",
            kind="text",
            effect=NEXT_START,
            readme="The heart-rate strap or watch (Bluetooth Heart Rate Service) by its name or "
            "address.",
        ),
    )
    foot_pod: str = field(
        default="",
        metadata=_about(
            check=device_name,
            label="Foot pod",
            explanation="A running foot pod for cadence, by name or address; empty: none.",
            kind="text",
            effect=NEXT_START,
            readme="A running foot pod (Bluetooth RSC) by its name or address: cadence in the "
            "samples.",
        ),
    )
    control: str = field(
        default=CONTROL_MODES[0],
        metadata=_about(
            check=one_of(CONTROL_MODES),
            choices=CONTROL_MODES,
            label="Treadmill control",
            explanation="auto: retro-tui sets the belt; advise: it shows the speed, you set it.",
            kind="cycle",
            effect=NEXT_WORKOUT,
            readme='`"auto"`: retro-tui starts the belt after the safety check and sets every '
            "speed and incline itself (see [Treadmill and heart rate](#treadmill-and-heart-rate)); "
            '`"advise"`: it only shows and says them, and reads what the belt does.',
        ),
    )
    backend: str = field(
        default=DEFAULT_BACKEND,
        metadata=_about(
            check=check_backend,
            label="Bluetooth backend",
            explanation='"bleak": this computer\'s Bluetooth; "bumble:TRANSPORT": a dongle or '
            "a virtual radio.",
            kind="text",
            effect=NEXT_START,
            readme='`"bleak"`: the computer\'s own Bluetooth; `"bumble:TRANSPORT"`: a USB dongle '
            'driven directly (`"bumble:usb:0"`) or a virtual radio (`"bumble:tcp-client:'
            '127.0.0.1:9102"`, as `retro-tui simulate` prints). `RETRO_TUI_BLE_BACKEND` comes '
            "first.",
        ),
    )
    max_heart_rate: int | None = field(
        default=None,
        metadata=_about(
            check=heart_rate_limit,
            label="Highest heart rate",
            explanation="For the heart-rate zones (100-230); empty: no zones shown.",
            kind="number",
            effect=NEXT_WORKOUT,
            readme="Your highest heart rate (100 to 230 bpm), for the heart-rate zones: the live "
            "zone, a step's target zone and the time in each zone (see [Treadmill and heart "
            "rate](#treadmill-and-heart-rate)). Without it no zone is shown. An athlete's own "
            "entry in `[athletes]` comes first; this one is the athlete's named in `[athlete]` "
            "(or nobody's in particular), as `body_mass_kg` is.",
        ),
    )
    resting_heart_rate: int | None = field(
        default=None,
        metadata=_about(
            check=resting_heart_rate,
            label="Resting heart rate",
            explanation="For zones of the heart-rate reserve (30-120); empty: none.",
            kind="number",
            effect=NEXT_WORKOUT,
            readme="Your resting heart rate (30 to 120 bpm, below the highest): the zones of "
            '`heart_rate_zones = "reserve"` start from it. The same athlete\'s as '
            "`max_heart_rate`.",
        ),
    )
    heart_rate_zones: str = field(
        default=ZONE_METHODS[0],
        metadata=_about(
            check=one_of(ZONE_METHODS),
            choices=ZONE_METHODS,
            label="Heart-rate zones",
            explanation="max: shares of the highest heart rate; reserve: of highest minus resting.",
            kind="cycle",
            effect=NEXT_WORKOUT,
            readme='`"max"`: zone 2 from 60 % of the highest heart rate, then a zone every 10 %; '
            '`"reserve"` (Karvonen): the same shares of the reserve (highest minus resting), '
            "added to the resting rate. Without a resting rate the zones are shares of the "
            "highest. For every athlete.",
        ),
    )

    @property
    def any(self) -> bool:
        return bool(self.treadmill or self.heart_rate or self.foot_pod)


ATHLETES = Setting(
    check=body_mass,
    label="Body mass of {name}, kg",
    explanation="For {name}'s energy estimates (20-300); empty: none (with nothing else "
    "kept, {name} leaves the list).",
    kind="number",
    effect=NOW,
    readme="Each athlete by name, one laptop and several clients: a body mass in kg "
    '(`"Sam" = 62`), or a table of the keys below (`[athletes.Sam]`). An athlete\'s own entry '
    "comes before `body_mass_kg`, `max_heart_rate` and `resting_heart_rate`.",
    section="athletes",
    default={},
)
"""``[athletes]``: a key per athlete, named by the user, each a body mass or a table of the
keys of :class:`AthleteProfile`."""


@dataclass(frozen=True)
class AthleteProfile:
    """One athlete's own entry in ``[athletes]``: ``"Sam" = 62`` is a body mass alone,
    ``[athletes.Sam]`` a table of any of these keys."""

    body_mass_kg: float | None = field(
        default=None,
        metadata=_about(
            check=body_mass,
            label="Body mass of {name}, kg",
            explanation="For {name}'s energy estimates (20-300).",
            kind="number",
            effect=NOW,
            readme="The athlete's body mass in kg (20 to 300), for energy estimates.",
        ),
    )
    max_heart_rate: int | None = field(
        default=None,
        metadata=_about(
            check=heart_rate_limit,
            label="Highest heart rate of {name}",
            explanation="For {name}'s heart-rate zones (100-230).",
            kind="number",
            effect=NEXT_WORKOUT,
            readme="The athlete's highest heart rate (100 to 230 bpm), for their zones.",
        ),
    )
    resting_heart_rate: int | None = field(
        default=None,
        metadata=_about(
            check=resting_heart_rate,
            label="Resting heart rate of {name}",
            explanation="For {name}'s zones of the heart-rate reserve (30-120).",
            kind="number",
            effect=NEXT_WORKOUT,
            readme="The athlete's resting heart rate (30 to 120 bpm, below the highest).",
        ),
    )


ATHLETE_KEYS: dict[str, Setting] = {
    key.name: replace(key.metadata["setting"], section="athletes.NAME", name=key.name)
    for key in fields(AthleteProfile)
}
"""The keys of an athlete's table in ``[athletes]``, each with its check and words."""


def _zones(max_bpm: int | None, resting_bpm: int | None, method: str) -> HeartRateZones | None:
    """The zones of these rates. A resting rate at or above the highest is left out, and
    without a resting rate the reserve falls back to shares of the highest."""
    if max_bpm is None:
        return None
    if resting_bpm is not None and resting_bpm >= max_bpm:
        resting_bpm = None
    return HeartRateZones(max_bpm, resting_bpm, method if resting_bpm is not None else "max")


@dataclass(frozen=True)
class Config:
    workout: WorkoutSettings = field(default_factory=WorkoutSettings)
    sound: SoundSettings = field(default_factory=SoundSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    paths: PathSettings = field(default_factory=PathSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)
    athlete: AthleteSettings = field(default_factory=AthleteSettings)
    devices: DeviceSettings = field(default_factory=DeviceSettings)
    athletes: Mapping[str, AthleteProfile] = field(default_factory=dict)
    """Each athlete's own entry by name (``[athletes] "Sam" = 62``, a body mass, or
    ``[athletes.Sam]``, a table): one laptop, several clients, each with their own energy
    estimates and heart-rate zones."""

    def athlete_profile(self, athlete: str) -> AthleteProfile | None:
        """``athlete``'s own entry in ``[athletes]`` (names match ignoring case and spaces)."""
        wanted = athlete.strip().casefold()
        if not wanted:
            return None
        return next(
            (entry for name, entry in self.athletes.items() if name.strip().casefold() == wanted),
            None,
        )

    def athlete_key(self, athlete: str) -> str:
        """The name ``athlete``'s entry in ``[athletes]`` goes by (``athlete`` if none yet)."""
        wanted = athlete.strip().casefold()
        return next(
            (name for name in self.athletes if name.strip().casefold() == wanted),
            athlete.strip(),
        )

    def with_athlete(self, name: str, **values: Any) -> Config:
        """These settings with keys of ``name``'s own entry in ``[athletes]`` changed
        (``body_mass_kg=62``); an entry left with nothing set is taken out."""
        athletes = dict(self.athletes)
        key = self.athlete_key(name)
        profile = replace(athletes.get(key, AthleteProfile()), **values)
        if profile == AthleteProfile():
            athletes.pop(key, None)
        else:
            athletes[key] = profile
        return replace(self, athletes=athletes)

    def _is_named_athlete(self, athlete: str) -> bool:
        """Whether ``athlete`` is the one ``[athlete]`` names (nobody, when it names nobody)."""
        return athlete.strip().casefold() == self.athlete.name.strip().casefold()

    def body_mass_for(self, athlete: str) -> float | None:
        """The body mass to estimate ``athlete``'s energy with, if one is known.

        An athlete's own entry in ``[athletes]`` wins; ``[athlete] body_mass_kg``
        belongs to the athlete named beside it, or to nobody in particular.
        """
        own = self.athlete_profile(athlete)
        if own is not None and own.body_mass_kg is not None:
            return own.body_mass_kg
        if self._is_named_athlete(athlete):
            return self.athlete.body_mass_kg
        return None

    def heart_rate_zones_for(self, athlete: str) -> HeartRateZones | None:
        """``athlete``'s heart-rate zones, if their highest heart rate is known.

        Each rate comes from the athlete's own entry in ``[athletes]`` first; the
        ``[devices]`` rates belong, like ``[athlete] body_mass_kg``, to the athlete
        named in ``[athlete]``, or to nobody in particular. The method is
        ``[devices] heart_rate_zones``, for everyone; the reserve needs a resting rate
        below the highest, and without one the zones are shares of the highest.
        """
        own = self.athlete_profile(athlete) or AthleteProfile()
        general = self.devices if self._is_named_athlete(athlete) else DeviceSettings()
        highest = own.max_heart_rate or general.max_heart_rate
        resting = own.resting_heart_rate or general.resting_heart_rate
        return _zones(highest, resting, self.devices.heart_rate_zones)

    def known_athletes(self) -> list[str]:
        names = [self.athlete.name] if self.athlete.name.strip() else []
        names += [name for name in self.athletes if name.strip()]
        unique: dict[str, str] = {}
        for name in names:
            unique.setdefault(name.strip().casefold(), name.strip())
        return sorted(unique.values(), key=str.casefold)


def _schema() -> tuple[Setting, ...]:
    settings = []
    for section in fields(Config):
        if section.name == ATHLETES.section:
            continue
        section_type: Any = section.default_factory  # the section's dataclass
        for key in fields(section_type):
            about: Setting = key.metadata["setting"]
            settings.append(
                replace(about, section=section.name, name=key.name, default=key.default)
            )
    return tuple(settings)


SCHEMA: tuple[Setting, ...] = _schema()
"""Every key of the settings file with a fixed name, in the order of the file."""

VALIDATORS: dict[str, dict[str, Callable[[object], Any]]] = {}
for _setting in SCHEMA:
    VALIDATORS.setdefault(_setting.section, {})[_setting.name] = _setting.check
# Sections whose keys are names the user chooses, each holding one kind of value.
NAMED_VALIDATORS: dict[str, Callable[[object], Any]] = {ATHLETES.section: ATHLETES.check}


def athlete_setting(name: str) -> Setting:
    """The key of one athlete's body mass in ``[athletes]``."""
    return replace(
        ATHLETES,
        name=name,
        default=None,
        label=ATHLETES.label.format(name=name),
        explanation=ATHLETES.explanation.format(name=name),
    )


def readme_default(setting: Setting) -> str:
    """The default as the README's table shows it: ``true``, ``8``, ``"bell"``, none."""
    if setting.readme_default is not None:
        return setting.readme_default
    value = setting.default
    if value is None or value in ((), {}):
        return "none"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{value:g}`" if isinstance(value, float) else f"`{value}`"


def readme_table() -> list[str]:
    """The README's table of settings, row by row, as the schema says it."""
    rows = ["| key | default | what it does |", "|---|---|---|"]
    rows += [f"| `{s.where}` | {readme_default(s)} | {s.readme} |" for s in SCHEMA]
    rows.append(f"| `[{ATHLETES.section}]` | none | {ATHLETES.readme} |")
    rows += [f"| `{s.where}` | none | {s.readme} |" for s in ATHLETE_KEYS.values()]
    return rows
