"""The samples file and each step's measured figures."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from retro_tui.devices.telemetry import (
    SAMPLE_COLUMNS,
    Sample,
    SampleFile,
    StepFigures,
    read_samples,
    samples_path,
)
from retro_tui.plan.model import KMH_PER_MPH, Units

START = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)


def sample(second: float, step: int = 1, **readings: float | int | None) -> Sample:
    return Sample(START + timedelta(seconds=second), second, step, **readings)  # type: ignore[arg-type]


def test_samples_go_beside_the_log_one_file_per_session(tmp_path: Path) -> None:
    history = tmp_path / "data" / "history.toml"
    assert samples_path(history, "20261203T073000-ab12") == (
        tmp_path / "data" / "samples" / "20261203T073000-ab12.csv"
    )


def test_rows_are_written_under_a_header_each_flushed_at_once(tmp_path: Path) -> None:
    path = tmp_path / "samples" / "s.csv"
    out = SampleFile(path)
    out.add(sample(0, speed_kmh=0.8, incline_pct=0.0, distance_m=0.0, heart_rate_bpm=92))
    # Readable before close: a crash loses nothing already added.
    rows = read_samples(path)
    assert rows == [
        {
            "time": "2026-12-03T07:30:00+00:00",
            "elapsed_s": "0",
            "step": "1",
            "speed_kmh": "0.8",
            "incline_pct": "0",
            "distance_m": "0",
            "heart_rate_bpm": "92",
            "cadence_spm": "",
        }
    ]
    out.add(sample(1.0, heart_rate_bpm=95))
    out.close()
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(SAMPLE_COLUMNS)
    second = read_samples(path)[1]
    assert second["speed_kmh"] == "" and second["heart_rate_bpm"] == "95"
    assert out.rows == 2 and out.error is None


def test_a_file_is_appended_to_never_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    first = SampleFile(path)
    first.add(sample(0, speed_kmh=1.0))
    first.close()
    again = SampleFile(path)  # a resumed session
    again.add(sample(1, speed_kmh=1.1))
    again.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and lines.count(",".join(SAMPLE_COLUMNS)) == 1
    assert [row["speed_kmh"] for row in read_samples(path)] == ["1", "1.1"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="this user writes anywhere")
def test_a_file_that_cannot_be_written_is_reported_not_raised(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        out = SampleFile(locked / "samples" / "s.csv")
        out.add(sample(0, speed_kmh=1.0))
        out.add(sample(1, speed_kmh=1.0))
        out.close()
        assert out.error is not None and str(locked) in out.error
        assert out.rows == 0
    finally:
        locked.chmod(0o700)


def test_a_file_in_the_way_of_the_folder_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "samples").write_text("not a folder", encoding="utf-8")
    out = SampleFile(tmp_path / "samples" / "s.csv")
    out.add(sample(0, speed_kmh=1.0))
    out.close()
    assert out.error is not None and "samples" in out.error
    assert (tmp_path / "samples").read_text(encoding="utf-8") == "not a folder"


def test_has_readings() -> None:
    assert not sample(0).has_readings
    assert sample(0, cadence_spm=140).has_readings


def test_a_run_averages_speed_and_incline_and_takes_distance_from_the_treadmill() -> None:
    figures = StepFigures(Units.KMH)
    figures.begin_run(0)
    for second in range(60):
        speed = 3.0 if second < 30 else 4.0
        figures.add(
            sample(
                second,
                speed_kmh=speed,
                incline_pct=1.0,
                distance_m=100.0 + second,
                heart_rate_bpm=100 + second,
            )
        )
    figures.begin_run(1)
    figures.add(sample(60, step=2, speed_kmh=5.0, distance_m=200.0))
    assert figures.of(0) == {
        "belt_speed": 3.5,
        "distance_m": 59.0,
        "belt_incline": 1.0,
        "heart_rate_avg": 129.5,
        "heart_rate_max": 159.0,
    }
    # The next run counts from where the last one's distance ended.
    assert figures.of(1)["distance_m"] == 41.0


def test_without_a_distance_it_is_the_speed_over_time() -> None:
    figures = StepFigures(Units.KMH)
    figures.begin_run(0)
    for second in range(0, 61):
        figures.add(sample(second, speed_kmh=3.6))
    assert figures.of(0)["distance_m"] == pytest.approx(60.0)


def test_a_gap_in_the_speed_is_not_counted_as_distance() -> None:
    figures = StepFigures(Units.KMH)
    figures.begin_run(0)
    figures.add(sample(0, speed_kmh=3.6))
    figures.add(sample(1, speed_kmh=3.6))
    figures.add(sample(2))  # the belt's link was lost
    figures.add(sample(30, speed_kmh=3.6))
    figures.add(sample(31, speed_kmh=3.6))
    assert figures.of(0)["distance_m"] == pytest.approx(2.0)


def test_figures_are_in_the_sessions_units_and_a_hand_speed_is_kept() -> None:
    figures = StepFigures(Units.MPH)
    figures.begin_run(3)
    figures.add(sample(0, speed_kmh=2.0 * KMH_PER_MPH))
    figures.by_hand(2.5 * KMH_PER_MPH)
    assert figures.of(3) == {"belt_speed": 2.0, "distance_m": 0.0, "speed_by_hand": 2.5}


def test_nothing_measured_gives_no_keys() -> None:
    figures = StepFigures(Units.KMH)
    figures.add(sample(0, speed_kmh=3.0))  # before any run: ignored
    figures.by_hand(3.0)
    assert figures.of(0) == {}
    figures.begin_run(0)
    figures.add(sample(1))
    assert figures.of(0) == {}
