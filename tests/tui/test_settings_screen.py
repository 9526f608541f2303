"""The settings screen: every kind of setting changed by keyboard, written at once, used at once.

Each change goes through the file (read back here with the loader) and the
settings in force; a value typed wrong gets the loader's own message; a file
that does not parse is shown with the line to fix and never written; an
unknown theme is reported with the line it is on.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from retro_tui.config import (
    DEFAULT_THEME,
    HIGH_CONTRAST_THEME,
    VALIDATORS,
    AthleteProfile,
    Config,
    load_config,
    parse_config,
)
from retro_tui.paths import user_plans_dir
from retro_tui.plan.loader import load_plan
from retro_tui.tui.app import RetroApp, make_app
from retro_tui.tui.dialogs.athlete import AthleteDialog
from retro_tui.tui.dialogs.choose_setting import ChooseSettingDialog
from retro_tui.tui.dialogs.setting_value import SettingValueDialog
from retro_tui.tui.screens.library import LibraryScreen
from retro_tui.tui.screens.settings import SettingsScreen

from .conftest import Harness, MakeHarness

# -- driving the screen --------------------------------------------------------------------


async def open_settings(pilot: Pilot[Any]) -> SettingsScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


def settings_screen(pilot: Pilot[Any]) -> SettingsScreen:
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


def row_index(pilot: Pilot[Any], key: str) -> int:
    return next(i for i, row in enumerate(settings_screen(pilot).rows) if row.key == key)


async def highlight(pilot: Pilot[Any], key: str) -> None:
    settings_screen(pilot).query_one("#settings-list", OptionList).highlighted = row_index(
        pilot, key
    )
    await pilot.pause()


def row(pilot: Pilot[Any], key: str) -> str:
    listing = settings_screen(pilot).query_one("#settings-list", OptionList)
    return str(listing.get_option_at_index(row_index(pilot, key)).prompt)


def status(pilot: Pilot[Any]) -> str:
    return str(settings_screen(pilot).query_one("#settings-status", Static).content)


def banner(pilot: Pilot[Any]) -> str:
    return str(settings_screen(pilot).query_one("#settings-banner", Static).content)


def masses(config: Config) -> dict[str, float | None]:
    """Each athlete's body mass, as ``[athletes]`` holds them."""
    return {name: profile.body_mass_kg for name, profile in config.athletes.items()}


async def type_value(pilot: Pilot[Any], key: str, text: str) -> None:
    """Enter on ``key``, replace the field's text with ``text``, Enter."""
    await highlight(pilot, key)
    await pilot.press("enter")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, SettingValueDialog)
    dialog.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


def dialog_error(pilot: Pilot[Any]) -> str:
    dialog = pilot.app.screen
    assert isinstance(dialog, SettingValueDialog)
    return str(dialog.query_one("#value-error", Static).content)


def config_file(h: Harness | RetroApp) -> Path:
    app = h if isinstance(h, RetroApp) else h.app
    path = app.settings.config_path
    assert path is not None
    return path


def in_file(h: Harness) -> Config:
    """The settings as the loader reads the file now; the file must have no problems."""
    result = load_config(config_file(h))
    assert result.problems == ()
    return result.config


def app_with(tmp_path: Path, text: str) -> RetroApp:
    """The app on the library, with ``text`` as the whole settings file."""
    config = tmp_path / "settings" / "config.toml"
    config.parent.mkdir(exist_ok=True)
    config.write_text(text, encoding="utf-8")
    return make_app([], history=tmp_path / "history.toml", config=config)


# -- opening and leaving -------------------------------------------------------------------


async def test_s_in_the_library_shows_every_key_and_escape_or_q_goes_back(
    harness: MakeHarness,
) -> None:
    h = harness(run=False, settings='[athletes]\n"Ana María" = 58\n')
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any(
            binding.key == "s" and binding.show
            for binding in LibraryScreen.BINDINGS
            if not isinstance(binding, tuple)
        )
        screen = await open_settings(pilot)
        keys = {setting.key for setting in screen.rows}
        every = {f"{section}.{key}" for section, table in VALIDATORS.items() for key in table}
        assert keys == every | {"athletes.Ana María"}
        assert "Safety check before the first step" in row(pilot, "workout.preflight")
        assert "off" in row(pilot, "workout.preflight")  # the harness turns it off
        assert "[workout] preflight" in row(pilot, "workout.preflight")
        assert "58 kg" in row(pilot, "athletes.Ana María")
        assert "[athletes] 'Ana María'" in row(pilot, "athletes.Ana María")
        file_line = str(screen.query_one("#settings-file", Static).content)
        assert str(config_file(h)) in file_line
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        await open_settings(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)


# -- each kind of setting ------------------------------------------------------------------


async def test_a_switch_flips_with_enter_or_space_and_is_written_at_once(
    harness: MakeHarness,
) -> None:
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        await highlight(pilot, "workout.preflight")
        await pilot.press("enter")
        await pilot.pause()
        assert h.app.config.workout.preflight is True
        assert in_file(h).workout.preflight is True
        assert in_file(h).workout.flash is False  # the other keys are kept
        assert in_file(h).sound.mode == "bell"
        assert " on " in row(pilot, "workout.preflight") + " "
        assert "Takes effect at the next workout" in status(pilot)
        await highlight(pilot, "workout.flash")
        await pilot.press("space")
        await pilot.pause()
        assert h.app.config.workout.flash is True
        assert in_file(h).workout.flash is True


async def test_the_safety_check_setting_is_used_by_the_next_workout(
    harness: MakeHarness,
) -> None:
    from retro_tui.tui.dialogs.preflight import PreflightDialog

    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        await highlight(pilot, "workout.preflight")
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        await pilot.press("enter")  # the highlighted plan
        await pilot.pause()
        assert isinstance(pilot.app.screen, PreflightDialog)


async def test_choices_step_to_the_next_value(harness: MakeHarness) -> None:
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        await highlight(pilot, "sound.mode")
        seen = []
        for _ in range(3):
            await pilot.press("enter")
            await pilot.pause()
            seen.append((h.app.config.sound.mode, in_file(h).sound.mode))
        assert seen == [("voice", "voice"), ("off", "off"), ("bell", "bell")]
        await highlight(pilot, "display.units")
        await pilot.press("enter")
        await pilot.pause()
        assert h.app.config.display.units == in_file(h).display.units == "kmh"
        assert "New plans (n in the library, retro-tui new) use it" in status(pilot)


async def test_new_plans_from_the_library_use_the_units_set(
    harness: MakeHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import contextmanager

    @contextmanager
    def no_suspend() -> Any:
        yield

    monkeypatch.setenv("VISUAL", "true")
    h = harness(run=False, settings='[display]\nunits = "kmh"\n')
    monkeypatch.setattr(h.app, "suspend", no_suspend)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("n", *"Metric", "enter")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    plan = load_plan(user_plans_dir() / "metric.toml")
    assert plan.units.value == "kmh"


async def test_the_theme_list_shows_each_theme_and_escape_puts_it_back(
    harness: MakeHarness,
) -> None:
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        assert pilot.app.theme == DEFAULT_THEME
        await highlight(pilot, "display.theme")
        await pilot.press("enter")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ChooseSettingDialog)
        listing = dialog.query_one(OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert prompts[0] == HIGH_CONTRAST_THEME
        assert set(prompts) == set(pilot.app.available_themes)
        listing.highlighted = 0
        await pilot.pause()
        assert pilot.app.theme == HIGH_CONTRAST_THEME  # shown as it is highlighted
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.theme == DEFAULT_THEME
        assert not config_file(h).read_text().count("theme")  # nothing written

        await pilot.press("enter")
        await pilot.pause()
        pilot.app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SettingsScreen)
        assert pilot.app.theme == HIGH_CONTRAST_THEME
        assert h.app.config.display.theme == in_file(h).display.theme == HIGH_CONTRAST_THEME
        assert "In effect now" in status(pilot)


async def test_numbers_are_checked_with_the_loaders_own_messages(harness: MakeHarness) -> None:
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        for typed, toml in [("1.5", "1.5"), ("x", '"x"'), ("nan", "nan"), ("500", "500")]:
            await type_value(pilot, "workout.cue_seconds", typed)
            (problem,) = parse_config(f"[workout]\ncue_seconds = {toml}\n").problems
            expected = problem.message.split("; using the default")[0]
            assert dialog_error(pilot) == f"workout.cue_seconds: {expected}"
            await pilot.press("escape")
            await pilot.pause()
        assert "cue_seconds" not in config_file(h).read_text()

        await type_value(pilot, "workout.cue_seconds", "12.5")
        assert isinstance(pilot.app.screen, SettingsScreen)
        assert h.app.config.workout.cue_seconds == in_file(h).workout.cue_seconds == 12.5
        assert "12.5 s" in row(pilot, "workout.cue_seconds")

        await type_value(pilot, "workout.cue_seconds", "")  # empty: back to the default
        assert h.app.config.workout.cue_seconds == in_file(h).workout.cue_seconds == 8.0
        assert "cue_seconds" not in config_file(h).read_text()

        await type_value(pilot, "serve.port", "80000")
        assert dialog_error(pilot) == "serve.port: must be between 1 and 65535"
        await pilot.press("escape")
        await type_value(pilot, "serve.port", "8123")
        assert h.app.config.serve.port == in_file(h).serve.port == 8123
        assert "serve starts" in status(pilot)


async def test_text_settings_voice_command_and_athlete_mass(harness: MakeHarness) -> None:
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        await type_value(pilot, "sound.voice_command", 'espeak-ng "-s 150')
        assert dialog_error(pilot).startswith("sound.voice_command: cannot be split into words")
        await pilot.press("escape")
        started = h.app.voice()  # a voice already made, with the command found then
        await type_value(pilot, "sound.voice_command", "espeak-ng -v 'en gb' -s 150")
        expected = ("espeak-ng", "-v", "en gb", "-s", "150")
        assert h.app.config.sound.voice_command == in_file(h).sound.voice_command == expected
        assert h.app.voice() is not started
        assert h.app.voice().command == expected  # the next workout speaks with the new one
        assert "espeak-ng -v 'en gb' -s 150" in row(pilot, "sound.voice_command")

        await type_value(pilot, "athlete.body_mass_kg", "19")
        assert dialog_error(pilot) == "athlete.body_mass_kg: must be between 20 and 300 kg"
        await pilot.press("escape")
        await type_value(pilot, "athlete.body_mass_kg", "71,5")
        assert h.app.config.athlete.body_mass_kg == in_file(h).athlete.body_mass_kg == 71.5
        assert h.app.body_mass("") == 71.5  # used at once for nobody in particular


async def test_the_history_path_takes_effect_next_start_and_the_log_in_use_is_shown(
    harness: MakeHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RETRO_TUI_HISTORY")
    h = harness(run=False)
    in_use = h.history
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        assert f"In use: {in_use} (--history comes before this setting)" in row(
            pilot, "paths.history"
        )
        await type_value(pilot, "paths.history", "~/logs/retro.toml")
        assert in_file(h).paths.history == Path("~/logs/retro.toml").expanduser()
        assert 'history = "~/logs/retro.toml"' in config_file(h).read_text()
        assert h.app.history_path == in_use  # not switched under a running app
        assert "Takes effect the next time retro-tui starts" in status(pilot)
        assert "a new setting takes effect the next time retro-tui starts" in row(
            pilot, "paths.history"
        )


async def test_the_history_log_shown_is_the_one_the_settings_chose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retro_tui.config import configured_history
    from retro_tui.tui.app import make_app

    monkeypatch.delenv("RETRO_TUI_HISTORY")
    config = tmp_path / "conf" / "config.toml"
    config.parent.mkdir()
    config.write_text('[paths]\nhistory = "logs/h.toml"\n', encoding="utf-8")
    loaded = load_config(config)
    app = make_app([], config=config, loaded=loaded)
    expected = tmp_path / "conf" / "logs" / "h.toml"
    assert configured_history(loaded.config, config) == expected
    async with app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        assert f"In use: {expected} (this setting)" in row(pilot, "paths.history")
        assert "logs/h.toml" in row(pilot, "paths.history")


async def test_plan_folders_are_listed_at_once(harness: MakeHarness, tmp_path: Path) -> None:
    folder = tmp_path / "club plans"
    folder.mkdir()
    (folder / "club.toml").write_text(
        '[plan]\nname = "Club night"\n[[step]]\nduration = "5m"\n', encoding="utf-8"
    )
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        await type_value(pilot, "paths.plans", f"{folder}{os.pathsep}~/more")
        expected = (folder, Path("~/more").expanduser())
        assert h.app.config.paths.plans == in_file(h).paths.plans == expected
        assert "The library lists them now" in status(pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        listing = pilot.app.screen.query_one(OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any("Club night" in prompt for prompt in prompts)


async def test_the_athlete_uses_the_athlete_dialog_and_masses_can_be_changed_or_removed(
    harness: MakeHarness,
) -> None:
    h = harness(run=False, settings="[athletes]\nBo = 90\n")
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        await highlight(pilot, "athlete.name")
        await pilot.press("enter")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, AthleteDialog)
        dialog.query_one("#athlete-name", Input).value = "Cy"
        dialog.query_one("#athlete-mass", Input).value = "64"
        dialog.query_one("#athlete-name", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SettingsScreen)
        assert h.app.athlete == "Cy"
        assert in_file(h).athlete.name == "Cy"
        assert masses(in_file(h)) == {"Bo": 90.0, "Cy": 64.0}
        assert "64 kg" in row(pilot, "athletes.Cy")  # a row for the new entry

        await type_value(pilot, "athletes.Bo", "91.5")
        assert masses(in_file(h)) == {"Bo": 91.5, "Cy": 64.0}
        await type_value(pilot, "athletes.Bo", "")  # empty: Bo's entry taken out
        assert masses(in_file(h)) == {"Cy": 64.0}
        assert masses(h.app.config) == {"Cy": 64.0}
        assert all(setting.key != "athletes.Bo" for setting in settings_screen(pilot).rows)
        await pilot.press("escape")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        library = pilot.app.screen
        assert isinstance(library, LibraryScreen)
        assert "Cy" in str(library.query_one("#library-status", Static).content)


async def test_after_every_kind_of_change_the_file_reads_back_as_the_settings_in_force(
    harness: MakeHarness, tmp_path: Path
) -> None:
    h = harness(run=False, settings='[athlete]\nname = "Sam"\n')
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        for key in ("workout.preflight", "workout.flash", "sound.mode", "display.units"):
            await highlight(pilot, key)
            await pilot.press("enter")
            await pilot.pause()
        for key, text in [
            ("workout.cue_seconds", "30"),
            ("sound.voice_command", "say -v Samantha"),
            ("paths.history", str(tmp_path / "h.toml")),
            ("paths.plans", str(tmp_path)),
            ("serve.port", "9000"),
            ("athlete.body_mass_kg", "80"),
        ]:
            await type_value(pilot, key, text)
            assert isinstance(pilot.app.screen, SettingsScreen), key
        assert in_file(h) == h.app.config
        assert h.app.config != Config()


# -- a file with mistakes --------------------------------------------------------------------


async def test_a_file_that_does_not_parse_is_shown_and_never_written(
    harness: MakeHarness,
) -> None:
    h = harness(run=False, settings="[display\ntheme = 'x'\n")
    path = config_file(h)
    before = path.read_bytes()
    async with h.app.run_test(size=(100, 30)) as pilot:
        screen = await open_settings(pilot)
        assert screen.unreadable is not None
        line = screen.unreadable.line
        assert line == 7
        assert f"{path}:7: TOML syntax error" in banner(pilot)
        assert f"Fix line 7 of {path}" in banner(pilot)
        assert f"Fix line 7 of {path}" in status(pilot)
        for key in ("workout.preflight", "sound.mode"):
            await highlight(pilot, key)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(pilot.app.screen, SettingsScreen)  # no dialog either
        await highlight(pilot, "workout.cue_seconds")
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SettingsScreen)
        assert h.app.config.workout.preflight is True  # the defaults, unchanged
        assert "Nothing can be changed here" in status(pilot)
    assert path.read_bytes() == before


async def test_a_bad_key_is_shown_on_its_row_and_the_file_can_still_be_changed(
    tmp_path: Path,
) -> None:
    app = app_with(tmp_path, '[workout]\ncue_seconds = "x"\n[colours]\nx = 1\n')
    async with app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        assert "must be a number of seconds; using the default (8)" in row(
            pilot, "workout.cue_seconds"
        )
        assert "colours: unknown section" in banner(pilot)
        await highlight(pilot, "sound.mode")
        await pilot.press("enter")
        await pilot.pause()
        text = config_file(app).read_text()
        assert 'mode = "voice"' in text
        assert 'cue_seconds = "x"' in text  # kept, for the person to fix
        await type_value(pilot, "workout.cue_seconds", "10")
        assert "using the default" not in row(pilot, "workout.cue_seconds")
        assert app.config.workout.cue_seconds == 10.0
        assert app.config.sound.mode == "voice"


async def test_a_file_that_cannot_be_written_changes_nothing(
    harness: MakeHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness(run=False)
    before = config_file(h).read_bytes()

    def full_disk(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        # The new file is written and synced before it takes the old one's place.
        monkeypatch.setattr(os, "fsync", full_disk)
        await highlight(pilot, "workout.preflight")
        await pilot.press("enter")
        await pilot.pause()
        assert h.app.config.workout.preflight is False
        assert status(pilot) == (
            f"Not changed: {config_file(h)}: cannot be written (No space left on device); "
            "nothing was changed"
        )
    assert config_file(h).read_bytes() == before


async def test_a_folder_where_the_file_should_be_is_never_written(
    harness: MakeHarness, tmp_path: Path
) -> None:
    h = harness(run=False)
    folder = tmp_path / "a folder"
    folder.mkdir()
    h.app.settings.config_path = folder
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        await highlight(pilot, "workout.preflight")
        await pilot.press("enter")
        await pilot.pause()
        assert h.app.config.workout.preflight is False
        assert f"Fix {folder}, then open the settings again" in status(pilot)
    assert folder.is_dir() and not any(folder.iterdir())


# -- themes at startup -----------------------------------------------------------------------


async def test_the_configured_theme_is_used_from_the_start(harness: MakeHarness) -> None:
    h = harness(run=False, settings=f'[display]\ntheme = "{HIGH_CONTRAST_THEME}"\n')
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert pilot.app.theme == HIGH_CONTRAST_THEME
        assert pilot.app.theme_variables["background"] == "#000000"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[display]\ntheme = "retro-high-contrats"\n', 2),
        ('# mine\n\n[display]\nunits = "kmh"\n\ntheme = "retro-high-contrats"  # x\n', 6),
        ('[sound]\nmode = "off"\n[workout]\n[display]\n\n\ntheme = "retro-high-contrats"\n', 7),
        ('display.theme = "retro-high-contrats"\n[sound]\nmode = "off"\n', 1),
        ('# a\n\ndisplay = { units = "kmh", theme = "retro-high-contrats" }\n', 3),
    ],
    ids=["table", "lower down", "after other tables", "dotted", "inline"],
)
async def test_an_unknown_theme_is_reported_with_its_line_and_the_default_used(
    tmp_path: Path, text: str, line: int
) -> None:
    app = app_with(tmp_path, text)
    shown: list[str] = []
    original = app.notify

    def record(message: str, *args: Any, **kwargs: Any) -> None:
        shown.append(message)
        original(message, *args, **kwargs)

    app.notify = record  # type: ignore[method-assign]
    path = config_file(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert pilot.app.theme == DEFAULT_THEME
        assert app.config.display.theme == DEFAULT_THEME
        assert [note for note in shown if "display.theme" in note] == [
            f'{path}:{line}: display.theme: unknown theme "retro-high-contrats" '
            '(did you mean "retro-high-contrast"?); using the default'
        ]
        await open_settings(pilot)
        assert f"line {line}: unknown theme" in row(pilot, "display.theme")
        assert "textual-dark" in row(pilot, "display.theme")


async def test_a_known_theme_is_not_reported(tmp_path: Path) -> None:
    app = app_with(tmp_path, '[display]\ntheme = "nord"\n')
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert pilot.app.theme == "nord"
        assert app.settings.config_problems == []


async def test_a_body_mass_changed_here_keeps_the_athletes_heart_rates(
    harness: MakeHarness,
) -> None:
    h = harness(
        run=False, settings="[athletes.Bo]  # Bo's own\nbody_mass_kg = 90\nmax_heart_rate = 180\n"
    )
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        assert "90 kg" in row(pilot, "athletes.Bo")
        await type_value(pilot, "athletes.Bo", "88")
        assert in_file(h).athletes["Bo"] == AthleteProfile(88.0, 180)
        await type_value(pilot, "athletes.Bo", "")  # the mass goes, the heart rate stays
        assert in_file(h).athletes["Bo"] == AthleteProfile(max_heart_rate=180)
        assert "not set" in row(pilot, "athletes.Bo")
        assert "# Bo's own" in config_file(h).read_text(encoding="utf-8")


async def test_a_resting_heart_rate_not_below_the_highest_is_refused(
    harness: MakeHarness,
) -> None:
    h = harness(run=False, settings="\n[devices]\nmax_heart_rate = 150\n")
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_settings(pilot)
        await type_value(pilot, "devices.resting_heart_rate", "110")
        assert h.app.config.devices.resting_heart_rate == 110
        await type_value(pilot, "devices.max_heart_rate", "105")
        assert "must be below the highest (105)" in status(pilot)
        assert h.app.config.devices.max_heart_rate == in_file(h).devices.max_heart_rate == 150
