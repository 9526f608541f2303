"""``d`` in the library: listen, mark a treadmill and a strap, save, and be connected to them."""

from __future__ import annotations

import tomllib

from textual.widgets import OptionList

from retro_tui.devices.simulator import STRAP_NAME, TREADMILL_NAME
from retro_tui.tui.dialogs.devices import DevicesDialog
from retro_tui.tui.screens.library import LibraryScreen

from .conftest import MakeHarness
from .helpers import settled_library, text_of
from .simulated import on_the_radio, until


async def test_d_pairs_the_devices_heard_and_connects_to_them(harness: MakeHarness) -> None:
    h = harness(run=False)
    simulator = on_the_radio(h, closes_with_hub=False)
    try:
        async with h.app.run_test(size=(100, 30)) as pilot:
            await settled_library(pilot)
            await pilot.press("d")
            await pilot.pause()
            dialog = pilot.app.screen
            assert isinstance(dialog, DevicesDialog)
            assert "Now: none chosen" in text_of(pilot, "#devices-now")
            await pilot.press("s")  # nothing marked yet: said, and the dialog stays
            assert "Nothing marked yet" in text_of(pilot, "#devices-status")
            await until(pilot, lambda: len(dialog.found) == 2, "the treadmill and the strap")
            listed = dialog.query_one("#devices-list", OptionList)
            names = [str(listed.get_option_at_index(i).prompt) for i in range(2)]
            assert any(TREADMILL_NAME in name and "Treadmill" in name for name in names)
            assert any(STRAP_NAME in name and "Heart-rate strap" in name for name in names)
            await pilot.press("enter", "down", "enter")
            marked = [str(listed.get_option_at_index(i).prompt) for i in range(2)]
            assert all(name.startswith("✓") for name in marked)
            await pilot.press("s")
            await until(pilot, lambda: isinstance(pilot.app.screen, LibraryScreen), "the library")

            def connected() -> bool:
                hub = h.app.devices
                return bool(
                    hub is not None
                    and hub.treadmill is not None
                    and hub.treadmill.connected
                    and hub.heart_rate is not None
                )

            await until(pilot, connected, "the new devices connected")
        config = tomllib.loads((h.history.parent / "config.toml").read_text(encoding="utf-8"))
        assert config["devices"] == {"treadmill": TREADMILL_NAME, "heart_rate": STRAP_NAME}
        assert config["sound"]["mode"] == "bell"  # the rest of the file as it was
    finally:
        await simulator.close()


async def test_escape_keeps_the_settings_as_they_were(harness: MakeHarness) -> None:
    h = harness(run=False)
    simulator = on_the_radio(h, closes_with_hub=False)
    config_file = h.history.parent / "config.toml"
    before = config_file.read_text(encoding="utf-8")
    try:
        async with h.app.run_test(size=(100, 30)) as pilot:
            await settled_library(pilot)
            await pilot.press("d")
            dialog = pilot.app.screen
            assert isinstance(dialog, DevicesDialog)
            await until(pilot, lambda: len(dialog.found) == 2, "the devices")
            await pilot.press("enter", "escape")
            await pilot.pause()
            assert isinstance(pilot.app.screen, LibraryScreen)
        assert config_file.read_text(encoding="utf-8") == before
    finally:
        await simulator.close()
