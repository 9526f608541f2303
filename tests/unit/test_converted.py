"""Zwift workouts in a plans folder as library entries, and the TOML plan made to edit one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retro_tui.coach.paces import RacePaces
from retro_tui.interchange.converted import (
    converted_copy,
    converted_entries,
    converted_entry,
)
from retro_tui.interchange.imported import PaceNeeded
from retro_tui.plan.folders import zwo_files
from retro_tui.plan.loader import load_plan
from retro_tui.plan.model import Units
from retro_tui.tomltext import FileProblemError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interchange"
PACES = RacePaces(25 * 60)

OPEN_PACE = """\
<workout_file>
  <sportType>run</sportType>
  <workout>
    <FreeRide Duration="120"><textevent timeoffset="0" message="Walk backward, slowly"/></FreeRide>
  </workout>
</workout_file>
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(FIXTURES / "retro-intervals.zwo", plans / "ana.zwo")
    (plans / "Upper.ZWO").write_text(OPEN_PACE, encoding="utf-8")
    (plans / "plan.toml").write_text('[plan]\nname = "x"\n', encoding="utf-8")
    (plans / "a-folder.zwo").mkdir()
    return plans


def test_the_zwo_files_of_a_folder_any_case_and_files_only(folder: Path) -> None:
    assert [path.name for path in zwo_files(folder)] == ["Upper.ZWO", "ana.zwo"]
    assert zwo_files(folder / "missing") == []


def test_an_entry_is_the_converted_plan_with_its_warnings(folder: Path) -> None:
    entry = converted_entry(folder / "ana.zwo", units=Units.KMH, paces=PACES)
    assert entry.plan is not None and entry.error is None
    assert entry.converted_from == "Zwift workout" and not entry.bundled
    assert entry.plan.name == "Retro intervals & strides"
    assert entry.plan.source == folder / "ana.zwo"
    assert entry.plan.total_s == 32 * 60 + 1 and entry.plan.backward_s == 4 * 30
    assert entry.plan.steps[5].is_backward
    assert entry.plan.steps[5].speed == pytest.approx(4.8)  # 0.4 of a 12 km/h 5 km pace
    # Warnings point at the .zwo's own lines (the tempo's SteadyState), with no plan keys.
    assert [(w.file, w.line, w.key) for w in entry.warnings] == [(str(folder / "ana.zwo"), 21, "")]
    assert "speed goes up" in entry.warnings[0].message


def test_a_workout_without_a_name_is_named_from_its_file(folder: Path) -> None:
    entry = converted_entry(folder / "Upper.ZWO", units=Units.MPH, paces=None)
    assert entry.plan is not None
    assert entry.plan.name == "Upper"
    assert entry.plan.steps[0].is_backward and entry.plan.steps[0].speed is None


def test_without_a_race_time_the_entry_says_what_to_set(folder: Path) -> None:
    entry = converted_entry(folder / "ana.zwo", units=Units.KMH, paces=None)
    assert entry.plan is None and entry.error is not None
    assert entry.converted_from == "Zwift workout"
    first = entry.error.first
    assert first.file.endswith("ana.zwo") and first.line is not None
    assert "needs your 5 km race time: set it in the settings" in first.message


def test_a_broken_file_is_an_entry_with_its_line(folder: Path) -> None:
    (folder / "broken.zwo").write_bytes(b"<workout_file>\n<workout>\n")
    entry = converted_entry(folder / "broken.zwo", units=Units.KMH, paces=PACES)
    assert entry.plan is None and entry.error is not None
    assert str(entry.error.first).startswith(f"{folder / 'broken.zwo'}:3: not a Zwift workout")


def test_entries_come_once_each_from_every_folder(folder: Path, tmp_path: Path) -> None:
    entries = list(
        converted_entries(
            [*zwo_files(folder), *zwo_files(folder), *zwo_files(tmp_path / "none")],
            units=Units.KMH,
            paces=PACES,
        )
    )
    assert [entry.path.name for entry in entries] == ["Upper.ZWO", "ana.zwo"]


def test_the_copy_to_edit_is_made_once_and_never_replaced(folder: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    first = converted_copy(folder / "ana.zwo", mine, units=Units.KMH, paces=PACES)
    assert first.created and first.path == mine / "ana.toml"
    assert load_plan(first.path).name == "Retro intervals & strides"
    first.path.write_text(first.path.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    again = converted_copy(folder / "ana.zwo", mine, units=Units.KMH, paces=PACES)
    assert not again.created and again.path == first.path
    assert first.path.read_text(encoding="utf-8").endswith("# mine\n")


def test_a_copy_that_needs_a_race_time_writes_nothing(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(PaceNeeded):
        converted_copy(folder / "ana.zwo", tmp_path / "mine", units=Units.KMH, paces=None)
    assert not (tmp_path / "mine").exists()
    with pytest.raises(FileProblemError):
        converted_copy(folder / "a-folder.zwo", tmp_path / "mine", units=Units.KMH, paces=PACES)
