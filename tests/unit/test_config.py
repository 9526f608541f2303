"""User settings: defaults when absent, every key honoured, mistakes reported and survived.

A missing file means defaults. Every key written with a non-default value is
read back as written. Unknown sections and keys, wrong types and TOML syntax
errors become problems phrased ``FILE:LINE: key.path: message`` (with a "did
you mean" where one is close) while the good keys still apply and the bad ones
fall back to their defaults. Loading never raises for anything in the file and
never changes the file.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from retro_tui.coach.zones import HeartRateZones
from retro_tui.config import (
    DEFAULT_PORT,
    DEFAULT_THEME,
    HEADER,
    HIGH_CONTRAST_THEME,
    NAMED_VALIDATORS,
    SOUND_MODES,
    VALIDATORS,
    AthleteProfile,
    AthleteSettings,
    Config,
    ConfigResult,
    ConfigWriteError,
    DeviceSettings,
    DisplaySettings,
    PathSettings,
    ServeSettings,
    SoundSettings,
    WorkoutSettings,
    config_document,
    load_config,
    parse_config,
    unknown_theme_issue,
    update_config,
)
from retro_tui.paths import config_path

DEFAULTS = Config()

# Every key set to something other than its default.
EVERY_KEY = """\
# all of them
[workout]
preflight = false
cue_seconds = 30.5
flash = false

[sound]
mode = "off"
voice_command = "espeak-ng -v 'en gb' -s 150"

[display]
theme = "retro-high-contrast"
units = "kmh"

[paths]
history = "/srv/retro/history.toml"
plans = ["/srv/retro/plans", "/srv/club plans"]

[serve]
port = 8123

[athlete]
name = "Sam"
body_mass_kg = 71.5
time_5k = "24:30"

[devices]
treadmill = "KS-R1 Treadmill"
heart_rate = "AA:BB:CC:DD:EE:01"
foot_pod = "Stryd"
control = "advise"
backend = "bumble:usb:0"
max_heart_rate = 182
resting_heart_rate = 52
heart_rate_zones = "reserve"

[athletes]
"Ana María" = 58
Bo = 90.5

[athletes.Cy]
max_heart_rate = 195
resting_heart_rate = 48
"""
EVERY_KEY_CONFIG = Config(
    workout=WorkoutSettings(preflight=False, cue_seconds=30.5, flash=False),
    sound=SoundSettings(mode="off", voice_command=("espeak-ng", "-v", "en gb", "-s", "150")),
    display=DisplaySettings(theme=HIGH_CONTRAST_THEME, units="kmh"),
    paths=PathSettings(
        history=Path("/srv/retro/history.toml"),
        plans=(Path("/srv/retro/plans"), Path("/srv/club plans")),
    ),
    serve=ServeSettings(port=8123),
    athlete=AthleteSettings(name="Sam", body_mass_kg=71.5, time_5k="24:30"),
    devices=DeviceSettings(
        treadmill="KS-R1 Treadmill",
        heart_rate="AA:BB:CC:DD:EE:01",
        foot_pod="Stryd",
        control="advise",
        backend="bumble:usb:0",
        max_heart_rate=182,
        resting_heart_rate=52,
        heart_rate_zones="reserve",
    ),
    athletes={
        "Ana María": AthleteProfile(body_mass_kg=58.0),
        "Bo": AthleteProfile(body_mass_kg=90.5),
        "Cy": AthleteProfile(max_heart_rate=195, resting_heart_rate=48),
    },
)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


def load_text(path: Path, text: str | bytes) -> ConfigResult:
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return load_config(path)


def all_settings(config: Config) -> dict[tuple[str, str], Any]:
    values: dict[tuple[str, str], Any] = {}
    for section in dataclasses.fields(config):
        group = getattr(config, section.name)
        if not dataclasses.is_dataclass(group):
            values[(section.name, "*")] = dict(group)  # a table of names the user chose
            continue
        for item in dataclasses.fields(group):
            values[(section.name, item.name)] = getattr(group, item.name)
    return values


# -- the happy paths ---------------------------------------------------------------------


def test_a_missing_file_means_defaults(config_file: Path) -> None:
    assert not config_file.exists()
    result = load_config(config_file)
    assert result == ConfigResult(Config(), ())
    assert not config_file.exists()  # loading does not create it


def test_the_defaults() -> None:
    assert DEFAULTS.workout == WorkoutSettings(preflight=True, cue_seconds=8.0, flash=True)
    assert DEFAULTS.sound == SoundSettings(mode="bell", voice_command=())
    assert DEFAULTS.display == DisplaySettings(theme=DEFAULT_THEME, units="mph")
    assert DEFAULT_THEME == "textual-dark"  # the look of every snapshot
    assert DEFAULTS.paths == PathSettings(history=None, plans=())
    assert DEFAULTS.serve == ServeSettings(port=DEFAULT_PORT)
    assert DEFAULTS.athlete == AthleteSettings(name="", body_mass_kg=None)
    assert DEFAULTS.athletes == {}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "[workout]\n[sound]\n"])
def test_an_empty_file_means_defaults(config_file: Path, text: str) -> None:
    assert load_text(config_file, text) == ConfigResult(Config(), ())


def test_every_key_is_read_as_written(config_file: Path) -> None:
    result = load_text(config_file, EVERY_KEY)
    assert result.problems == ()
    assert result.config == EVERY_KEY_CONFIG


def test_the_every_key_file_really_covers_every_key() -> None:
    """A new setting must be added to EVERY_KEY, with a non-default value."""
    written = all_settings(EVERY_KEY_CONFIG)
    assert set(written) == {(s, k) for s, keys in VALIDATORS.items() for k in keys} | {
        (section, "*") for section in NAMED_VALIDATORS
    }
    for key, value in all_settings(DEFAULTS).items():
        assert written[key] != value, f"{key} is set to its default in EVERY_KEY"


def test_settings_written_with_tomli_w_round_trip(config_file: Path) -> None:
    for config in (EVERY_KEY_CONFIG, DEFAULTS):
        text = tomli_w.dumps(config_document(config))
        result = load_text(config_file, text)
        assert result.problems == ()
        assert result.config == config


@pytest.mark.parametrize(
    ("text", "section", "key", "value"),
    [
        ("[workout]\npreflight = false\n", "workout", "preflight", False),
        ("[workout]\nflash = false\n", "workout", "flash", False),
        ("[workout]\ncue_seconds = 2\n", "workout", "cue_seconds", 2.0),
        ("[workout]\ncue_seconds = 120\n", "workout", "cue_seconds", 120.0),
        ("[workout]\ncue_seconds = 12.25\n", "workout", "cue_seconds", 12.25),
        ('[sound]\nmode = "off"\n', "sound", "mode", "off"),
        ('[sound]\nmode = "bell"\n', "sound", "mode", "bell"),
        ("workout.flash = false\n", "workout", "flash", False),
        ("workout = { cue_seconds = 3 }\n", "workout", "cue_seconds", 3.0),
        ('[sound]\nmode = "voice"\n', "sound", "mode", "voice"),
        (
            "[sound]\nvoice_command = \"spd-say -r '-10'\"\n",
            "sound",
            "voice_command",
            ("spd-say", "-r", "-10"),
        ),
        (
            '[sound]\nvoice_command = ["espeak-ng", "-v", "en gb"]\n',
            "sound",
            "voice_command",
            ("espeak-ng", "-v", "en gb"),
        ),
        ('[sound]\nvoice_command = ""\n', "sound", "voice_command", ()),
        ('[display]\ntheme = " nord "\n', "display", "theme", "nord"),
        ('[display]\nunits = "kmh"\n', "display", "units", "kmh"),
        ('[paths]\nhistory = "~/h.toml"\n', "paths", "history", Path("~/h.toml").expanduser()),
        ('[paths]\nhistory = "logs/h.toml"\n', "paths", "history", Path("logs/h.toml")),
        ('[paths]\nplans = "~/p"\n', "paths", "plans", (Path("~/p").expanduser(),)),
        ('[paths]\nplans = ["a", "b c"]\n', "paths", "plans", (Path("a"), Path("b c"))),
        ("[serve]\nport = 1\n", "serve", "port", 1),
        ("[serve]\nport = 65535\n", "serve", "port", 65535),
        ('[athlete]\nname = "  Bo "\n', "athlete", "name", "Bo"),
        ("[athlete]\nbody_mass_kg = 20\n", "athlete", "body_mass_kg", 20.0),
    ],
)
def test_one_key_changes_only_that_setting(
    config_file: Path, text: str, section: str, key: str, value: object
) -> None:
    result = load_text(config_file, text)
    assert result.problems == ()
    expected = all_settings(DEFAULTS) | {(section, key): value}
    assert all_settings(result.config) == expected
    if key == "cue_seconds":
        assert isinstance(result.config.workout.cue_seconds, float)


def test_a_byte_order_mark_is_fine(config_file: Path) -> None:
    result = load_text(config_file, b"\xef\xbb\xbf" + EVERY_KEY.encode())
    assert result.problems == ()
    assert result.config == EVERY_KEY_CONFIG


def test_crlf_line_endings_are_fine(config_file: Path) -> None:
    result = load_text(config_file, EVERY_KEY.replace("\n", "\r\n"))
    assert result == ConfigResult(EVERY_KEY_CONFIG, ())


def test_the_default_location_honours_the_environment(isolated_locations: Path) -> None:
    path = config_path()
    assert path == isolated_locations / "config.toml"
    path.write_text(EVERY_KEY)
    assert load_config(path).config == EVERY_KEY_CONFIG


# -- unknown names -----------------------------------------------------------------------


def test_an_unknown_key_is_reported_with_file_line_path_and_a_suggestion(
    config_file: Path,
) -> None:
    text = "[workout]\nflash = false\n\ncue_second = 5\n"
    result = load_text(config_file, text)
    assert result.config == Config(workout=WorkoutSettings(flash=False))
    (problem,) = result.problems
    assert problem.file == str(config_file)
    assert problem.line == 4
    assert problem.key == "workout.cue_second"
    assert str(problem) == (
        f'{config_file}:4: workout.cue_second: unknown key (did you mean "cue_seconds"?)'
    )


def test_an_unknown_section_is_reported_with_a_suggestion(config_file: Path) -> None:
    text = '[sound]\nmode = "off"\n\n[workotu]\npreflight = false\n'
    result = load_text(config_file, text)
    assert result.config == Config(sound=SoundSettings(mode="off"))  # the good keys apply
    (problem,) = result.problems
    assert problem.line == 4
    assert problem.key == "workotu"
    assert str(problem) == f'{config_file}:4: workotu: unknown section (did you mean "workout"?)'


@pytest.mark.parametrize(
    ("text", "key", "line", "hint"),
    [
        ("[workout]\npreflite = false\n", "workout.preflite", 2, "preflight"),
        ("[workout]\nFlash = false\n", "workout.Flash", 2, "flash"),
        ('[sound]\nmod = "off"\n', "sound.mod", 2, "mode"),
        ('[sounds]\nmode = "off"\n', "sounds", 1, "sound"),
        ("[workout]\nvolume = 3\n", "workout.volume", 2, None),
        ("[display]\ncolour = 1\n", "display.colour", 2, None),
        ("[display]\nunit = 'kmh'\n", "display.unit", 2, "units"),
        ("[path]\nplans = []\n", "path", 1, "paths"),
        ("[serve]\nprot = 80\n", "serve.prot", 2, "port"),
        ("[sound]\nvoice = 'say'\n", "sound.voice", 2, None),
        ('top_level = "x"\n', "top_level", 1, None),
        ("[workout.extra]\nx = 1\n", "workout.extra", 1, None),
    ],
)
def test_unknown_names(config_file: Path, text: str, key: str, line: int, hint: str | None) -> None:
    result = load_text(config_file, text)
    assert result.config == DEFAULTS
    (problem,) = result.problems
    assert problem.line == line
    assert problem.key == key
    assert str(problem).startswith(f"{config_file}:{line}: ")
    assert "unknown" in problem.message
    if hint is None:
        assert "did you mean" not in problem.message
    else:
        assert f'did you mean "{hint}"?' in problem.message


# -- wrong values ------------------------------------------------------------------------

WRONG = [
    ("workout", "preflight", '"yes"', "true or false"),
    ("workout", "preflight", "1", "true or false"),
    ("workout", "flash", "0", "true or false"),
    ("workout", "flash", "[true]", "true or false"),
    ("workout", "cue_seconds", '"8s"', "number of seconds"),
    ("workout", "cue_seconds", "true", "number of seconds"),
    ("workout", "cue_seconds", "nan", "number of seconds"),
    ("workout", "cue_seconds", "inf", "number of seconds"),
    ("workout", "cue_seconds", "-inf", "number of seconds"),
    ("workout", "cue_seconds", "1.5", "between 2 and 120 seconds"),
    ("workout", "cue_seconds", "121", "between 2 and 120 seconds"),
    ("workout", "cue_seconds", "-8", "between 2 and 120 seconds"),
    ("workout", "cue_seconds", "1" + "0" * 400, "between 2 and 120 seconds"),
    ("workout", "cue_seconds", "{ s = 8 }", "number of seconds"),
    ("sound", "mode", '"loud"', "one of off, bell"),
    ("sound", "mode", '"Bell"', "one of off, bell"),
    ("sound", "mode", "1", "one of off, bell"),
    ("sound", "mode", '["off"]', "one of off, bell"),
    ("sound", "mode", '"voice "', "one of off, bell, voice"),
    ("sound", "voice_command", "5", "must be a command"),
    ("sound", "voice_command", '["say", 1]', "must be a command"),
    ("sound", "voice_command", '"say \'unclosed"', "cannot be split into words"),
    ("sound", "voice_command", '["say", "a\\u0000"]', "must not contain NUL"),
    ("display", "theme", '""', "must be the name of a theme"),
    ("display", "theme", '"  "', "must be the name of a theme"),
    ("display", "theme", "3", "must be the name of a theme"),
    ("display", "theme", '"' + "x" * 61 + '"', "at most 60 characters"),
    ("display", "theme", '"a\\tb"', "at most 60 characters"),
    ("display", "units", '"km/h"', "must be one of mph, kmh"),
    ("display", "units", '"MPH"', "must be one of mph, kmh"),
    ("paths", "history", '""', "must be a path"),
    ("paths", "history", '["a.toml"]', "must be a path"),
    ("paths", "history", '"a\\u0000b"', "must not contain NUL"),
    ("paths", "plans", "3", "must be a list of folders"),
    ("paths", "plans", '["ok", 3]', "must be a path"),
    ("paths", "plans", '["ok", ""]', "must be a path"),
    ("serve", "port", "0", "between 1 and 65535"),
    ("serve", "port", "65536", "between 1 and 65535"),
    ("serve", "port", "80.0", "must be a whole number"),
    ("serve", "port", '"80"', "must be a whole number"),
    ("serve", "port", "true", "must be a whole number"),
    ("athlete", "name", "7", "must be text"),
    ("athlete", "name", '"' + "x" * 61 + '"', "at most 60 characters"),
    ("athlete", "body_mass_kg", "5", "between 20 and 300 kg"),
    ("athlete", "body_mass_kg", "nan", "number of kilograms"),
]


@pytest.mark.parametrize(
    ("section", "key", "value", "message"), WRONG, ids=[f"{k}={v[:12]}" for _, k, v, _ in WRONG]
)
def test_a_wrong_value_uses_the_default_and_the_good_keys_still_apply(
    config_file: Path, section: str, key: str, value: str, message: str
) -> None:
    # Every other key is set to its non-default value; only the bad one falls back.
    lines = EVERY_KEY.splitlines()
    index = next(n for n, text in enumerate(lines) if text.startswith(f"{key} ="))
    lines[index] = f"{key} = {value}"
    result = load_text(config_file, "\n".join(lines) + "\n")
    expected = all_settings(EVERY_KEY_CONFIG) | {
        (section, key): all_settings(DEFAULTS)[section, key]
    }
    assert all_settings(result.config) == expected
    (problem,) = result.problems
    assert problem.line == index + 1
    assert problem.key == f"{section}.{key}"
    assert message in problem.message
    assert "using the default" in problem.message
    assert str(problem).startswith(f"{config_file}:{index + 1}: {section}.{key}: ")


def test_the_default_is_named_in_toml_terms(config_file: Path) -> None:
    text = '[workout]\npreflight = "no"\ncue_seconds = "x"\n[sound]\nmode = 3\n'
    messages = [problem.message for problem in load_text(config_file, text).problems]
    assert messages[0].endswith("using the default (true)")
    assert messages[1].endswith("using the default (8)")
    assert messages[2].endswith("using the default ('bell')")


def test_every_problem_is_reported_in_one_pass(config_file: Path) -> None:
    text = (
        "[workout]\n"
        'preflight = "no"\n'  # 2
        "cue_secs = 4\n"  # 3
        "flash = false\n"
        "cue_seconds = 999\n"  # 5
        "[sound]\n"
        'mode = "beep"\n'  # 7
        "[colours]\n"  # 8
        "x = 1\n"
    )
    result = load_text(config_file, text)
    assert [(p.line, p.key) for p in result.problems] == [
        (2, "workout.preflight"),
        (3, "workout.cue_secs"),
        (5, "workout.cue_seconds"),
        (7, "sound.mode"),
        (8, "colours"),
    ]
    assert result.config == Config(workout=WorkoutSettings(flash=False))


@pytest.mark.parametrize("value", ["5", '"workout"', "[1, 2]", "true"])
def test_a_section_that_is_not_a_table(config_file: Path, value: str) -> None:
    result = load_text(config_file, f'workout = {value}\n[sound]\nmode = "off"\n')
    assert result.config == Config(sound=SoundSettings(mode="off"))
    (problem,) = result.problems
    assert (problem.line, problem.key) == (1, "workout")
    assert "must be a table ([workout])" in problem.message


# -- files that are not TOML at all ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[workout]\npreflight = false\nflash = \n", 3),
        ("[workout]\npreflight = false\n\n[sound\nmode = 'off'\n", 4),
        ("[workout]\ncue_seconds = 10\ncue_seconds = 11\n", 3),
        ('[sound]\nmode = "off\n', 2),
        ("[workout]\nflash = [\n\n", 2),
        ("[workout]\npreflight = false\n\n\ngarbage\n", 5),
    ],
)
def test_a_syntax_error_means_defaults_and_names_the_line(
    config_file: Path, text: str, line: int
) -> None:
    result = load_text(config_file, text)
    assert result.config == DEFAULTS  # even the keys before the mistake are not half-applied
    (problem,) = result.problems
    assert problem.line == line
    assert problem.key == ""
    assert "TOML syntax error" in problem.message
    assert "using defaults" in problem.message
    assert str(problem).startswith(f"{config_file}:{line}: ")


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe[\x00w\x00o\x00r\x00k\x00",
        b'[sound]\nmode = "caf\xe9"\n',
        b"[workout]\npreflight = false\n# \x80\x81\n",
    ],
    ids=["utf-16", "latin-1 value", "bad byte in a comment"],
)
def test_a_file_that_is_not_utf8_means_defaults_and_a_problem(
    config_file: Path, content: bytes
) -> None:
    result = load_text(config_file, content)
    assert result.config == DEFAULTS
    (problem,) = result.problems
    assert problem.file == str(config_file)
    assert "UTF-8" in problem.message
    assert "using defaults" in problem.message
    assert str(problem).startswith(str(config_file))


def test_a_folder_where_the_file_should_be(config_file: Path) -> None:
    config_file.mkdir()
    result = load_config(config_file)
    assert result.config == DEFAULTS
    (problem,) = result.problems
    assert problem.file == str(config_file)
    assert "using defaults" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "[workout]\ncue_seconds = 1" + "0" * 5000 + "\n",
        "deep = " + "[" * 3000 + "]" * 3000 + "\n",
        "[workout]\ncue_seconds = 1" + "0" * 400 + "\n",
        "\x00",
        '[workout]\npreflight = """\n',
    ],
    ids=["over 4300 digits", "nested too deeply", "too big for a float", "a NUL", "open string"],
)
def test_loading_never_raises(config_file: Path, text: str) -> None:
    result = load_text(config_file, text)
    assert result.config == DEFAULTS
    assert len(result.problems) == 1
    assert str(result.problems[0]).startswith(str(config_file))


FILES = [
    EVERY_KEY,
    EVERY_KEY.replace("\n", "\r\n"),
    "[workout]\ncue_second = 5\n[workotu]\n",
    '[workout]\npreflight = "yes"\n',
    "[workout\n",
    "no final newline = 1",
]


@pytest.mark.parametrize("content", [text.encode() for text in FILES] + [b"\xff\xfe\x00bad"])
def test_loading_never_changes_the_file(config_file: Path, content: bytes) -> None:
    config_file.write_bytes(content)
    old = time.time() - 3600
    os.utime(config_file, (old, old))
    before = config_file.stat()
    listing = sorted(config_file.parent.iterdir())
    for _ in range(3):
        load_config(config_file)
    after = config_file.stat()
    assert config_file.read_bytes() == content
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    assert sorted(config_file.parent.iterdir()) == listing  # no backup or rewritten copy


# -- any document at all -----------------------------------------------------------------

_names = st.sampled_from(
    ["workout", "sound", "preflight", "flash", "cue_seconds", "mode", "workotu", "x", "a.b"]
) | st.text(min_size=1, max_size=8)
_values = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([*SOUND_MODES, "Bell", ""]),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
)
_OTHER_SECTIONS = {"display", "paths", "serve", "athlete", "athletes"}
_sections = st.dictionaries(
    # The other sections have tests of their own; here they would only be found by chance.
    st.sampled_from(["workout", "sound"]) | _names.filter(lambda name: name not in _OTHER_SECTIONS),
    st.dictionaries(_names, _values, max_size=5) | _values,
    max_size=4,
)


def _valid(section: str, key: str, value: object) -> bool:
    if key in ("preflight", "flash"):
        return isinstance(value, bool)
    if key == "cue_seconds":
        return (
            not isinstance(value, bool)
            and isinstance(value, int | float)
            and not (isinstance(value, float) and math.isnan(value))
            and 2 <= value <= 120
        )
    return value in SOUND_MODES


@settings(max_examples=200, deadline=None)
@given(_sections)
def test_any_document_gives_good_keys_their_value_and_bad_keys_a_problem(
    document: dict[str, Any],
) -> None:
    text = tomli_w.dumps(document)
    result = parse_config(text, "cfg.toml")
    expected = all_settings(DEFAULTS)
    problems: set[str] = set()
    for section, table in document.items():
        if section not in VALIDATORS or not isinstance(table, dict):
            problems.add(section)
        else:
            for key, value in table.items():
                if key in VALIDATORS[section] and _valid(section, key, value):
                    expected[section, key] = float(value) if key == "cue_seconds" else value
                else:
                    problems.add(f"{section}.{key}")
    assert all_settings(result.config) == expected
    assert {problem.key for problem in result.problems} == problems
    lines = text.count("\n") + 1
    for problem in result.problems:
        assert problem.file == "cfg.toml"
        assert problem.line is not None and 1 <= problem.line <= lines


# -- athletes --------------------------------------------------------------------------------


def test_body_mass_comes_from_the_athletes_own_entry_first(config_file: Path) -> None:
    config = load_text(config_file, EVERY_KEY).config
    assert config.body_mass_for("Sam") == 71.5  # the [athlete] table's own name
    assert config.body_mass_for(" ana maría ") == 58.0  # names match ignoring case and spaces
    assert config.body_mass_for("Bo") == 90.5
    assert config.body_mass_for("Cy") is None  # Cy's entry has heart rates only
    assert config.body_mass_for("Di") is None  # nobody's mass is guessed
    assert config.body_mass_for("") is None
    assert config.known_athletes() == ["Ana María", "Bo", "Cy", "Sam"]


def test_a_body_mass_without_a_name_is_for_nobody_in_particular(config_file: Path) -> None:
    config = load_text(config_file, "[athlete]\nbody_mass_kg = 80\n").config
    assert config.body_mass_for("") == 80.0
    assert config.body_mass_for("Sam") is None
    assert config.known_athletes() == []


@pytest.mark.parametrize(
    ("text", "line", "key", "fragment"),
    [
        ("[athlete]\nbody_mass_kg = 5\n", 2, "athlete.body_mass_kg", "between 20 and 300"),
        ('[athlete]\nbody_mass_kg = "70"\n', 2, "athlete.body_mass_kg", "number of kilograms"),
        ("[athlete]\nname = 7\n", 2, "athlete.name", "must be text"),
        ('[athletes]\nSam = "heavy"\n', 2, "athletes.Sam", "number of kilograms"),
        ("[athletes]\n\nBo = 1000\n", 3, "athletes.Bo", "between 20 and 300"),
        ("athletes = 3\n", 1, "athletes", "must be a table"),
        ("[athelete]\nname = 'x'\n", 1, "athelete", 'did you mean "athlete"'),
    ],
)
def test_athlete_mistakes_are_reported_with_their_line(
    config_file: Path, text: str, line: int, key: str, fragment: str
) -> None:
    result = load_text(config_file, text)
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.line, problem.key) == (line, key)
    assert fragment in problem.message


# -- heart rates, per athlete -------------------------------------------------------------

HEART_RATES = """\
[athlete]
name = "Sam"

[devices]
max_heart_rate = 185
resting_heart_rate = 55

[athletes]
"Ana María" = 58                                     # the old form: a body mass alone
Bo = { body_mass_kg = 90.5, max_heart_rate = 175 }   # a table, inline

[athletes.Cy]                                        # a table of its own
max_heart_rate = 195
resting_heart_rate = 48
"""


def test_both_forms_of_an_athlete_are_read(config_file: Path) -> None:
    result = load_text(config_file, HEART_RATES)
    assert result.problems == ()
    assert result.config.athletes == {
        "Ana María": AthleteProfile(body_mass_kg=58.0),
        "Bo": AthleteProfile(body_mass_kg=90.5, max_heart_rate=175),
        "Cy": AthleteProfile(max_heart_rate=195, resting_heart_rate=48),
    }
    assert result.config.known_athletes() == ["Ana María", "Bo", "Cy", "Sam"]
    assert result.config.body_mass_for("bo") == 90.5


def test_heart_rate_zones_come_from_the_athletes_own_entry_first(config_file: Path) -> None:
    config = load_text(config_file, HEART_RATES).config
    # Bo's own highest rate; no resting rate of his own, and [devices] is Sam's, not his.
    assert config.heart_rate_zones_for("Bo") == HeartRateZones(175)
    assert config.heart_rate_zones_for(" cy ") == HeartRateZones(195, 48)
    # Sam is the athlete [athlete] names: the [devices] rates are his.
    assert config.heart_rate_zones_for("Sam") == HeartRateZones(185, 55)
    # Ana has a body mass only, and nobody's heart rate is guessed.
    assert config.heart_rate_zones_for("Ana María") is None
    assert config.heart_rate_zones_for("Di") is None
    assert config.heart_rate_zones_for("") is None


def test_the_general_heart_rates_are_nobodys_in_particular_without_a_name(
    config_file: Path,
) -> None:
    text = "[devices]\nmax_heart_rate = 180\n"
    config = load_text(config_file, text).config
    assert config.heart_rate_zones_for("") == HeartRateZones(180)
    assert config.heart_rate_zones_for("Sam") is None


@pytest.mark.parametrize(
    ("devices", "zones"),
    [
        (
            'heart_rate_zones = "reserve"\nresting_heart_rate = 60',
            HeartRateZones(190, 60, "reserve"),
        ),
        ("resting_heart_rate = 60", HeartRateZones(190, 60, "max")),
        # The reserve needs a resting rate: without one the zones are shares of the highest.
        ('heart_rate_zones = "reserve"', HeartRateZones(190)),
    ],
    ids=["reserve", "max with a resting rate", "reserve without a resting rate"],
)
def test_the_zone_method_is_the_settings(
    config_file: Path, devices: str, zones: HeartRateZones
) -> None:
    text = f"[devices]\nmax_heart_rate = 190\n{devices}\n"
    result = load_text(config_file, text)
    assert result.problems == ()
    assert result.config.heart_rate_zones_for("") == zones


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        (
            "[athletes.Sam]\nmax_hart_rate = 180\n",
            2,
            "athletes.Sam.max_hart_rate",
            'unknown key (did you mean "max_heart_rate"?)',
        ),
        (
            "[athletes.Sam]\ncolour = 1\n",
            2,
            "athletes.Sam.colour",
            "unknown key; an athlete has body_mass_kg, max_heart_rate, resting_heart_rate",
        ),
        (
            "[athletes.Sam]\n\nmax_heart_rate = 250\n",
            3,
            "athletes.Sam.max_heart_rate",
            "must be between 100 and 230 beats per minute; left out",
        ),
        (
            '[athletes]\nSam = { resting_heart_rate = "low" }\n',
            2,
            "athletes.Sam.resting_heart_rate",
            "must be a whole number of beats per minute; left out",
        ),
        (
            "[athletes.Sam]\nresting_heart_rate = 62.5\n",
            2,
            "athletes.Sam.resting_heart_rate",
            "must be a whole number of beats per minute; left out",
        ),
        (
            "[athletes.Sam]\nmax_heart_rate = 110\nresting_heart_rate = 115\n",
            3,
            "athletes.Sam.resting_heart_rate",
            "must be below the highest heart rate (max_heart_rate); left out",
        ),
        (
            "[devices]\nresting_heart_rate = 130\n",
            2,
            "devices.resting_heart_rate",
            "must be between 30 and 120 beats per minute; using the default (none)",
        ),
        (
            "[devices]\nmax_heart_rate = 105\nresting_heart_rate = 110\n",
            3,
            "devices.resting_heart_rate",
            "must be below the highest heart rate (max_heart_rate); left out",
        ),
        (
            '[devices]\nheart_rate_zones = "karvonen"\n',
            2,
            "devices.heart_rate_zones",
            "must be one of max, reserve; using the default ('max')",
        ),
        (
            "[athletes]\nSam = [62]\n",
            2,
            "athletes.Sam",
            "must be a number of kilograms, or a table ([athletes.Sam]); left out",
        ),
    ],
)
def test_heart_rate_mistakes_are_reported_with_their_line(
    config_file: Path, text: str, line: int, key: str, message: str
) -> None:
    result = load_text(config_file, text)
    (problem,) = result.problems
    assert str(problem) == f"{config_file}:{line}: {key}: {message}"


def test_a_bad_key_of_an_athlete_leaves_the_good_ones(config_file: Path) -> None:
    text = "[athletes.Sam]\nbody_mass_kg = 62\nmax_heart_rate = 999\nresting_heart_rate = 50\n"
    result = load_text(config_file, text)
    assert [problem.key for problem in result.problems] == ["athletes.Sam.max_heart_rate"]
    assert result.config.athletes == {
        "Sam": AthleteProfile(body_mass_kg=62.0, resting_heart_rate=50)
    }
    assert result.config.heart_rate_zones_for("Sam") is None  # no highest: no zones


ANA_AND_BO = """\
# The gym laptop.
[athletes]
"Ana" = 58.0  # weighed in November
Bo = 90.5
"""


def test_a_heart_rate_makes_a_body_mass_a_table_and_keeps_the_comments(
    config_file: Path,
) -> None:
    config_file.write_text(ANA_AND_BO, encoding="utf-8")
    update_config(
        config_file,
        {("athletes", "ana", "max_heart_rate"): 190, ("athletes", "ana", "resting_heart_rate"): 50},
    )
    written = config_file.read_text(encoding="utf-8")
    assert "# The gym laptop." in written
    assert "body_mass_kg = 58.0  # weighed in November" in written  # under [athletes.Ana]
    assert '[athletes."Ana"]' in written or "[athletes.Ana]" in written
    assert load_config(config_file).config.athletes == {
        "Ana": AthleteProfile(body_mass_kg=58.0, max_heart_rate=190, resting_heart_rate=50),
        "Bo": AthleteProfile(body_mass_kg=90.5),
    }


def test_a_body_mass_alone_stays_a_number_and_a_table_keeps_its_form(
    config_file: Path,
) -> None:
    config_file.write_text(ANA_AND_BO + "\n[athletes.Cy]\nmax_heart_rate = 180\n", "utf-8")
    update_config(
        config_file,
        {
            ("athletes", "Bo", "body_mass_kg"): 91.0,
            ("athletes", "Cy", "body_mass_kg"): 64.0,
            ("athletes", "Di", "body_mass_kg"): 70.0,
        },
    )
    written = config_file.read_text(encoding="utf-8")
    assert "Bo = 91.0\n" in written
    assert "Di = 70.0\n" in written
    assert "[athletes.Cy]\nmax_heart_rate = 180\nbody_mass_kg = 64.0\n" in written
    # Taking out what an entry holds: the key goes, and an entry left empty goes too.
    update_config(
        config_file,
        {("athletes", "Cy", "max_heart_rate"): None, ("athletes", "Bo", "body_mass_kg"): None},
    )
    athletes = load_config(config_file).config.athletes
    assert athletes == {
        "Ana": AthleteProfile(body_mass_kg=58.0),
        "Cy": AthleteProfile(body_mass_kg=64.0),
        "Di": AthleteProfile(body_mass_kg=70.0),
    }
    update_config(config_file, {("athletes", "Cy", "body_mass_kg"): None})
    assert "Cy" not in load_config(config_file).config.athletes


def test_a_heart_rate_inside_an_inline_table_stays_inline(config_file: Path) -> None:
    text = 'athletes = { "Ana" = 58.0, "Bo" = 90.5 }\n'
    config_file.write_text(text, encoding="utf-8")
    update_config(config_file, {("athletes", "Bo", "max_heart_rate"): 180})
    written = config_file.read_text(encoding="utf-8")
    assert written.count("\n") == 1, "one line still"
    assert load_config(config_file).config.athletes["Bo"] == AthleteProfile(90.5, 180)


def test_the_written_settings_read_back_with_every_athlete_form(config_file: Path) -> None:
    config = load_text(config_file, HEART_RATES).config
    text = tomli_w.dumps(config_document(config))
    assert '"Ana María" = 58.0' in text  # a body mass alone, as a number
    assert load_text(config_file, text) == ConfigResult(config, ())


# -- changing the file -----------------------------------------------------------------------


def test_update_config_sets_one_key_and_keeps_the_others(config_file: Path) -> None:
    config_file.write_text(EVERY_KEY, encoding="utf-8")
    update_config(
        config_file, {("athlete", "name"): "Bo", ("athletes", "Cy", "body_mass_kg"): 64.0}
    )
    result = load_config(config_file)
    assert result.problems == ()
    assert result.config.athlete.name == "Bo"
    assert result.config.athletes == {
        **EVERY_KEY_CONFIG.athletes,
        "Cy": AthleteProfile(body_mass_kg=64.0, max_heart_rate=195, resting_heart_rate=48),
    }
    assert result.config.workout == EVERY_KEY_CONFIG.workout
    update_config(config_file, {("athlete", "name"): None})
    assert load_config(config_file).config.athlete.name == ""


def test_update_config_creates_a_missing_file_and_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    update_config(path, {("athlete", "name"): 'Ann "Q" [b]'})
    assert load_config(path).config.athlete.name == 'Ann "Q" [b]'
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temp file left


def test_update_config_never_replaces_a_file_that_does_not_parse(config_file: Path) -> None:
    broken = "[workout]\npreflight = false\nflash = \n"
    config_file.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigWriteError) as caught:
        update_config(config_file, {("athlete", "name"): "Sam"})
    assert f"{config_file}:3" in str(caught.value)
    assert "nothing was changed" in str(caught.value)
    assert config_file.read_text(encoding="utf-8") == broken


COMMENTED = """\
# My settings for the gym laptop.
# The bell is enough there; the voice is for home.

[sound]
mode = "bell"   # the gym is loud

[athlete]
# Whoever is on the belt this morning.
name = "Ana"
body_mass_kg = 58.0  # weighed in November

[athletes]
"Bo" = 90.5
"""


def test_update_config_keeps_comments_order_and_layout(config_file: Path) -> None:
    text = COMMENTED
    config_file.write_text(text, encoding="utf-8")
    update_config(config_file, {("athlete", "name"): "Bo", ("display", "units"): "kmh"})
    written = config_file.read_text(encoding="utf-8")
    assert written == text.replace('name = "Ana"', 'name = "Bo"') + '\n[display]\nunits = "kmh"\n'
    assert load_config(config_file).config.display.units == "kmh"


def test_removing_a_key_keeps_the_comments_around_it(config_file: Path) -> None:
    text = COMMENTED
    config_file.write_text(text, encoding="utf-8")
    update_config(config_file, {("athlete", "body_mass_kg"): None})
    written = config_file.read_text(encoding="utf-8")
    assert "body_mass_kg" not in written
    assert written == text.replace("body_mass_kg = 58.0  # weighed in November\n", "")


def test_a_change_inside_an_inline_table_stays_inline(config_file: Path) -> None:
    text = '# Two people share this laptop.\nathletes = { "Ana" = 58.0, "Bo" = 90.5 }\n'
    config_file.write_text(text, encoding="utf-8")
    update_config(config_file, {("athletes", "Bo"): 91.0})
    assert config_file.read_text(encoding="utf-8") == text.replace("90.5", "91.0")


def test_a_new_settings_file_says_where_its_keys_are_explained(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    update_config(path, {("sound", "mode"): "voice"})
    assert path.read_text(encoding="utf-8") == HEADER + '[sound]\nmode = "voice"\n'


def test_update_config_writes_every_key_so_that_it_reads_back(config_file: Path) -> None:
    updates: dict[tuple[str | int, ...], object] = {}
    for (section, key), value in all_settings(EVERY_KEY_CONFIG).items():
        if key == "*":
            updates.update(
                {
                    (section, name, field): number
                    for name, profile in value.items()
                    for field, number in dataclasses.asdict(profile).items()
                    if number is not None
                }
            )
        else:
            updates[(section, key)] = value
    update_config(config_file, updates)
    assert load_config(config_file) == ConfigResult(EVERY_KEY_CONFIG, ())


@pytest.mark.parametrize(
    "command",
    ["espeak-ng -v 'en gb' -s 150", ["espeak-ng", "-v", "en gb", "-s", "150"]],
    ids=["as text", "as a list"],
)
def test_a_voice_command_is_written_as_given_and_reads_back_as_words(
    config_file: Path, command: object
) -> None:
    update_config(config_file, {("sound", "voice_command"): command})
    result = load_config(config_file)
    assert result.problems == ()
    assert result.config.sound.voice_command == ("espeak-ng", "-v", "en gb", "-s", "150")


def test_update_config_keeps_a_bad_value_for_the_person_to_fix(config_file: Path) -> None:
    config_file.write_text('[workout]\ncue_seconds = "x"\nflash = false\n', encoding="utf-8")
    update_config(config_file, {("display", "units"): "kmh"})
    result = load_config(config_file)
    assert [problem.key for problem in result.problems] == ["workout.cue_seconds"]
    assert result.config.display.units == "kmh"
    assert result.config.workout.flash is False


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[display]\ntheme = "retro-high-contrats"\n', 2),
        ('# about\n\n[sound]\nmode = "off"\n\n[display]\nunits = "kmh"\ntheme = "x"\n', 8),
        ('display.theme = "x"\n', 1),
        ('# a\n[sound]\nmode = "off"\n[display]\n\n\n  theme   =   "x" # mine\n', 7),
    ],
)
def test_an_unknown_theme_is_reported_on_the_line_of_its_key(
    config_file: Path, text: str, line: int
) -> None:
    config_file.write_text(text, encoding="utf-8")
    issue = unknown_theme_issue(config_file, "retro-high-contrats", ["textual-dark", "nord"])
    assert (issue.file, issue.line, issue.key) == (str(config_file), line, "display.theme")
    assert str(issue) == (
        f'{config_file}:{line}: display.theme: unknown theme "retro-high-contrats"; '
        "using the default"
    )
    near = unknown_theme_issue(config_file, "retro-high-contrats", [HIGH_CONTRAST_THEME])
    assert near.message == (
        'unknown theme "retro-high-contrats" (did you mean "retro-high-contrast"?); '
        "using the default"
    )


def test_an_unknown_theme_in_a_file_that_is_gone_has_no_line(config_file: Path) -> None:
    issue = unknown_theme_issue(config_file, "x", [])
    assert str(issue) == f'{config_file}: display.theme: unknown theme "x"; using the default'


@pytest.mark.parametrize(
    ("content", "unreadable"),
    [
        (b"[workout\n", True),
        (b"\xff\xfe[", True),
        (b'[workout]\ncue_seconds = "x"\n[nothing]\n', False),
        (b"", False),
    ],
)
def test_a_file_that_cannot_be_read_as_a_whole_is_unreadable(
    config_file: Path, content: bytes, unreadable: bool
) -> None:
    result = load_text(config_file, content)
    assert (result.unreadable is not None) == unreadable
    if unreadable:
        with pytest.raises(ConfigWriteError):
            update_config(config_file, {("serve", "port"): 9000})
        assert config_file.read_bytes() == content


def test_a_missing_file_or_a_folder(config_file: Path) -> None:
    assert load_config(config_file).unreadable is None
    config_file.mkdir()
    assert load_config(config_file).unreadable is not None
