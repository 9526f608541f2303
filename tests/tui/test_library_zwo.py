"""Zwift workouts in the plans folder: listed as plans with a mark, run as they convert,
and edited as the TOML plan made from them once.

The ``.zwo`` is a fixture written by hand from the format's public descriptions
(tests/fixtures/interchange); its speeds are shares of race paces, so the
athlete's 5 km race time (``[athlete] time_5k``) decides whether it can run.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from retro_tui import paths
from retro_tui.plan.loader import load_plan
from retro_tui.tui.screens.workout import WorkoutScreen

from .conftest import MakeHarness
from .helpers import Notes, highlight, highlight_titled, library, no_suspend, preview, settle

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "interchange" / "retro-intervals.zwo"
TIME_5K = '[athlete]\ntime_5k = "25:00"\n'


@pytest.fixture
def zwo() -> Path:
    """The fixture, dropped into the user's plans folder as a coach would."""
    folder = paths.user_plans_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(FIXTURE, folder / "coach-ana.zwo"))


def label_of(pilot: Pilot[Any], path: Path) -> str:
    screen = library(pilot)
    index = screen.index_of(path)
    assert index is not None, f"{path} is not listed"
    return str(screen.query_one(OptionList).get_option_at_index(index).prompt)


async def test_a_zwo_is_listed_marked_and_runs_as_converted(
    harness: MakeHarness, zwo: Path
) -> None:
    h = harness(run=False, settings=TIME_5K)
    before = sorted(zwo.parent.iterdir())
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        label = label_of(pilot, zwo)
        assert label.startswith("⇄ Retro intervals & strides")
        assert "32:01 · 2:00 back · zwo" in label
        await highlight(pilot, zwo)
        shown = preview(pilot)
        assert "coach-ana.zwo · a Zwift workout, converted: e makes a plan of it to edit" in shown
        assert "BACK" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(h.app.screen, WorkoutScreen)
        assert h.app.screen.plan.source == zwo
        assert h.app.screen.plan.total_s == 32 * 60 + 1
    assert sorted(zwo.parent.iterdir()) == before  # listing and running wrote nothing


async def test_without_a_race_time_the_entry_says_what_to_set(
    harness: MakeHarness, zwo: Path
) -> None:
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert label_of(pilot, zwo).startswith("✗ coach-ana.zwo")
        await highlight(pilot, zwo)
        shown = preview(pilot)
        assert "This plan cannot run" in shown
        assert "needs your 5 km race time: set it in the settings" in shown


async def test_a_broken_zwo_is_listed_with_its_line(harness: MakeHarness) -> None:
    folder = paths.user_plans_dir()
    folder.mkdir(parents=True, exist_ok=True)
    broken = folder / "broken.zwo"
    broken.write_text("<workout_file>\n  <workout>\n    <SteadyState/>\n", encoding="utf-8")
    h = harness(run=False, settings=TIME_5K)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight(pilot, broken)
        assert "broken.zwo:4: not a Zwift workout: the XML is broken" in preview(pilot)


async def test_e_makes_the_plan_once_and_edits_it(
    harness: MakeHarness, zwo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "editor.log"
    script = tmp_path / "fake-editor"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> {log}\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(script))
    original = zwo.read_bytes()
    h = harness(run=False, settings=TIME_5K)
    monkeypatch.setattr(h.app, "suspend", no_suspend)
    notes = Notes(h, monkeypatch)
    made = zwo.with_suffix(".toml")
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight(pilot, zwo)
        await pilot.press("e")
        await settle(pilot)
        assert log.read_text(encoding="utf-8").split() == [str(made)]
        assert f"You edited the plan made from coach-ana.zwo: {made}" in notes
        plan = load_plan(made)
        assert plan.name == "Retro intervals & strides" and plan.total_s == 32 * 60 + 1
        assert "# Imported from coach-ana.zwo (Zwift workout)" in made.read_text(encoding="utf-8")
        assert label_of(pilot, made).startswith("★ Retro intervals & strides")

        # Again: the plan made before is edited, never replaced.
        made.write_text(made.read_text(encoding="utf-8") + "# my note\n", encoding="utf-8")
        await highlight(pilot, zwo)
        await pilot.press("e")
        await settle(pilot)
        assert "You edited the plan made earlier from coach-ana.zwo" in notes
        assert made.read_text(encoding="utf-8").endswith("# my note\n")
    assert zwo.read_bytes() == original


@pytest.mark.usefixtures("plans_shown_once_loaded")
def test_library_with_a_zwo_snapshot(snap_compare: Any, harness: MakeHarness, zwo: Path) -> None:
    """The converted workout highlighted: its mark in the list, where it came from on the right."""
    h = harness(run=False, settings=TIME_5K)

    async def highlight_it(pilot: Pilot[Any]) -> None:
        await highlight_titled(pilot, "Retro intervals & strides")

    assert snap_compare(h.app, terminal_size=(100, 30), run_before=highlight_it)
