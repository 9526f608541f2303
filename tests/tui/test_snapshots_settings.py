"""What a person sees: the settings screen, and the main screens in the high-contrast theme.

Update the pictures after an intended change with ``pytest --snapshot-update``
and look at them (``snapshot_report.html``) before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from retro_tui.config import HIGH_CONTRAST_THEME
from retro_tui.tui.app import RetroApp, make_app

from .conftest import MakeHarness
from .helpers import at

SnapCompare = Callable[..., bool]
SIZE = (100, 30)
HIGH_CONTRAST = f'[display]\ntheme = "{HIGH_CONTRAST_THEME}"\n'


def settings_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> RetroApp:
    """The app with ``text`` as its settings; paths relative, so the picture is the same
    wherever the test runs."""
    monkeypatch.chdir(tmp_path)
    Path("config.toml").write_text(text, encoding="utf-8")
    return make_app([], history=Path("history.toml"), config=Path("config.toml"))


async def open_settings(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()  # the same problem at startup: the screen is the subject
    await pilot.press("s")
    await pilot.pause()


def test_settings(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file with a mistake on one key: the row says so, the others can still be changed."""
    app = settings_app(
        tmp_path,
        monkeypatch,
        '[workout]\npreflight = false\ncue_seconds = "x"\n\n[athlete]\nname = "Ana"\n',
    )
    assert snap_compare(app, terminal_size=SIZE, run_before=open_settings)


SMALL = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]


@pytest.mark.parametrize("size", SMALL)
@pytest.mark.parametrize("keys", [(), ("down", "enter"), ("athlete.name", "enter")],
                         ids=["screen", "value", "athlete"])  # fmt: skip
def test_settings_in_a_small_terminal(
    snap_compare: SnapCompare,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    keys: tuple[str, ...],
) -> None:
    """The screen, the field for a number and the athlete dialog, at 80x24 and 60x20."""
    app = settings_app(tmp_path, monkeypatch, '[workout]\ncue_seconds = "x"\n')

    async def open_and_press(pilot: Pilot[Any]) -> None:
        await open_settings(pilot)
        for key in keys:
            if "." in key:  # a setting, by its key: the rows above it may come and go
                listing = pilot.app.screen.query_one("#settings-list", OptionList)
                rows = pilot.app.screen.rows  # type: ignore[attr-defined]
                listing.highlighted = next(i for i, row in enumerate(rows) if row.key == key)
                await pilot.wait_for_scheduled_animations()
            else:
                await pilot.press(key)
            await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_and_press)


def test_settings_of_a_file_that_does_not_parse_in_high_contrast(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = settings_app(tmp_path, monkeypatch, '[display]\ntheme = "retro-high-contrast"\nx =\n')

    async def open_and_try(pilot: Pilot[Any]) -> None:
        await open_settings(pilot)
        app.theme = HIGH_CONTRAST_THEME  # the file's theme can't be read: show it anyway
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_and_try)


def test_library_in_high_contrast(snap_compare: SnapCompare, harness: MakeHarness) -> None:
    h = harness(run=False, settings=HIGH_CONTRAST)

    async def highlight_starter(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        plans = pilot.app.screen.query_one(OptionList)
        for index in range(plans.option_count):
            if "Retro starter" in str(plans.get_option_at_index(index).prompt):
                plans.highlighted = index
        await pilot.pause()

    assert snap_compare(h.app, terminal_size=SIZE, run_before=highlight_starter)


@pytest.mark.parametrize(
    ("seconds", "keys"),
    [(12, ()), (43, ()), (72, ()), (45, ("space",))],
    ids=["forward", "backward", "rating", "paused"],
)
def test_workout_in_high_contrast(
    snap_compare: SnapCompare, harness: MakeHarness, seconds: float, keys: tuple[str, ...]
) -> None:
    h = harness(settings=HIGH_CONTRAST)
    assert snap_compare(h.app, terminal_size=SIZE, run_before=at(h, seconds, *keys))


def test_summary_in_high_contrast(snap_compare: SnapCompare, harness: MakeHarness) -> None:
    h = harness(settings=HIGH_CONTRAST)

    async def finish_and_rate(pilot: Pilot[Any]) -> None:
        await at(h, 70, "6")(pilot)
        await at(h, 90, "7")(pilot)
        await at(h, 180, "5")(pilot)

    assert snap_compare(h.app, terminal_size=SIZE, run_before=finish_and_rate)
