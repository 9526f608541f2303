"""The athlete dialog's heart rates: typed beside the body mass, checked, kept in the athlete's
own entry of the settings, and used for that athlete's zones from then on."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from retro_tui.coach.zones import HeartRateZones
from retro_tui.config import AthleteProfile, load_config
from retro_tui.tui.dialogs.athlete import AthleteDialog
from retro_tui.tui.screens.library import LibraryScreen

from .conftest import MakeHarness
from .helpers import settle, text_of


async def athlete_dialog(pilot: Pilot[int]) -> AthleteDialog:
    await pilot.press("a")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, AthleteDialog)
    return dialog


async def test_heart_rates_typed_for_a_new_athlete_are_kept_in_their_entry(
    harness: MakeHarness, tmp_path: Path
) -> None:
    h = harness(run=False, settings='\n[devices]\nheart_rate_zones = "reserve"\n')
    config = tmp_path / "config.toml"
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await athlete_dialog(pilot)
        # Name, body mass, highest and resting heart rate: Tab from one to the next.
        await pilot.press("tab", *"Bo", "tab", *"71.5", "tab", *"186 bpm", "tab", *"52", "enter")
        await settle(pilot)
        assert isinstance(h.app.screen, LibraryScreen)
        assert h.app.athlete == "Bo"
        written = tomllib.loads(config.read_text(encoding="utf-8"))
        assert written["athletes"] == {
            "Bo": {"body_mass_kg": 71.5, "max_heart_rate": 186, "resting_heart_rate": 52}
        }
        assert written["devices"] == {"heart_rate_zones": "reserve"}, "the other keys kept"
        assert h.app.config.heart_rate_zones_for("Bo") == HeartRateZones(186, 52, "reserve")
        # The list shows the athlete's highest heart rate from now on.
        listing = (await athlete_dialog(pilot)).query_one("#athlete-list", OptionList)
        labels = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert "Bo  71.5 kg  ♥ 186 highest" in labels
    assert load_config(config).config.heart_rate_zones_for("bo") == HeartRateZones(
        186, 52, "reserve"
    )


async def test_a_heart_rate_for_an_athlete_with_a_body_mass_alone_makes_a_table(
    harness: MakeHarness, tmp_path: Path
) -> None:
    h = harness(run=False, settings='\n[athletes]\n"Ana" = 58  # weighed in May\n')
    config = tmp_path / "config.toml"
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await athlete_dialog(pilot)
        await pilot.press("tab", *"ana", "tab", "tab", *"190", "enter")
        await settle(pilot)
    result = load_config(config)
    assert result.problems == ()
    assert result.config.athletes == {"Ana": AthleteProfile(body_mass_kg=58, max_heart_rate=190)}
    assert "# weighed in May" in config.read_text(encoding="utf-8")


async def test_odd_heart_rates_are_asked_again_and_nothing_is_written(
    harness: MakeHarness, tmp_path: Path
) -> None:
    h = harness(run=False)
    config = tmp_path / "config.toml"
    before = config.read_bytes()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog = await athlete_dialog(pilot)
        await pilot.press("tab", *"Cy", "tab", "tab", *"fast", "enter")
        await pilot.pause()
        assert isinstance(h.app.screen, AthleteDialog)
        assert text_of(pilot, "#athlete-error") == (
            "Highest heart rate: a whole number of beats per minute between 100 and 230, "
            "or nothing."
        )
        assert dialog.focused is dialog.query_one("#athlete-max-hr")
        await pilot.press(*["backspace"] * 4, *"180", "tab", *"20", "enter")
        await pilot.pause()
        assert text_of(pilot, "#athlete-error") == (
            "Resting heart rate: a whole number of beats per minute between 30 and 120, or nothing."
        )
        await pilot.press(*["backspace"] * 2, *"118", "enter")
        await pilot.pause()
        assert isinstance(h.app.screen, LibraryScreen)  # 118 is below 180: fine
        assert h.app.config.heart_rate_zones_for("Cy") == HeartRateZones(180, 118)
        await athlete_dialog(pilot)
        await pilot.press("tab", *"Di", "tab", "tab", *"110", "tab", *"115", "enter")
        await pilot.pause()
        assert text_of(pilot, "#athlete-error") == (
            "Resting heart rate: below the highest (110 bpm), or nothing."
        )
        await pilot.press("escape")
        await pilot.pause()
    assert "Di" not in load_config(config).config.athletes
    assert config.read_bytes() != before  # Cy's entry only


async def test_numbers_typed_then_an_athlete_picked_are_that_athletes(
    harness: MakeHarness, tmp_path: Path
) -> None:
    h = harness(run=False, settings='\n[athletes]\n"Ana" = 58\n')
    config = tmp_path / "config.toml"
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog = await athlete_dialog(pilot)
        await pilot.press("tab", "tab", "tab", *"190")
        # Back to the list, and Ana picked with Enter.
        dialog.query_one("#athlete-list", OptionList).focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(h.app.screen, LibraryScreen)
        assert h.app.athlete == "Ana"
    result = load_config(config)
    assert result.config.athletes == {"Ana": AthleteProfile(body_mass_kg=58, max_heart_rate=190)}


async def test_a_highest_rate_below_the_resting_one_kept_is_asked_again(
    harness: MakeHarness, tmp_path: Path
) -> None:
    h = harness(run=False, settings="\n[athletes.Ana]\nresting_heart_rate = 110\n")
    config = tmp_path / "config.toml"
    before = config.read_bytes()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await athlete_dialog(pilot)
        await pilot.press("tab", *"Ana", "tab", "tab", *"105", "enter")
        await pilot.pause()
        assert isinstance(h.app.screen, AthleteDialog)
        assert "above the resting one kept (110 bpm)" in text_of(pilot, "#athlete-error")
    assert config.read_bytes() == before


async def test_enter_on_the_list_with_a_new_name_typed_asks_which_was_meant(
    harness: MakeHarness, tmp_path: Path
) -> None:
    h = harness(run=False, settings='\n[athletes]\n"Ana" = 58\n')
    config = tmp_path / "config.toml"
    before = config.read_bytes()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dialog = await athlete_dialog(pilot)
        await pilot.press("tab", *"Bo", "tab", *"70")
        dialog.query_one("#athlete-list", OptionList).focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(h.app.screen, AthleteDialog)
        assert "To add Bo, press Enter in the name field" in text_of(pilot, "#athlete-error")
    assert config.read_bytes() == before
