"""What the devices measured: a sample a second to a file, and each step's figures.

The samples of one session go to ``samples/<session id>.csv`` beside the history
log: one row a second (the time, the seconds since the start, the plan step,
the belt's speed, incline and distance, the heart rate and the cadence), with
a header row naming each column and its unit. The file is only ever appended
to and flushed each row, so a crash loses at most the row being written. An
activity export (FIT, TCX) can be made from it later.

Each step run's figures (average belt speed, distance, average incline,
average and highest heart rate, a speed set by hand) go into its record in the
history log, in the session's units.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from retro_tui.plan.model import Units, from_kmh

SAMPLES_FOLDER = "samples"
SAMPLE_COLUMNS = (
    "time",
    "elapsed_s",
    "step",
    "speed_kmh",
    "incline_pct",
    "distance_m",
    "heart_rate_bpm",
    "cadence_spm",
)
FSYNC_EVERY_ROWS = 30


def samples_path(history: Path, session_id: str) -> Path:
    """Where a session's samples go: a folder beside the log, one file per session."""
    return history.parent / SAMPLES_FOLDER / f"{session_id}.csv"


@dataclass(frozen=True)
class Sample:
    """The devices' readings at one moment (``None``: that device had nothing fresh)."""

    time: datetime
    elapsed_s: float
    step: int
    """The plan step (1-based) running then."""
    speed_kmh: float | None = None
    incline_pct: float | None = None
    distance_m: float | None = None
    heart_rate_bpm: int | None = None
    cadence_spm: int | None = None

    @property
    def has_readings(self) -> bool:
        return any(
            value is not None
            for value in (
                self.speed_kmh,
                self.incline_pct,
                self.distance_m,
                self.heart_rate_bpm,
                self.cadence_spm,
            )
        )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


class SampleFile:
    """Appends samples to one session's file; a failure is kept in :attr:`error`, never raised."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error: str | None = None
        self.rows = 0
        self._out: TextIO | None = None

    def _open(self) -> TextIO:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists() or self.path.stat().st_size == 0
        out = open(self.path, "a", encoding="utf-8", newline="")  # noqa: SIM115 - kept open
        if new:
            out.write(",".join(SAMPLE_COLUMNS) + "\n")
        return out

    def add(self, sample: Sample) -> None:
        if self.error is not None:
            return
        try:
            if self._out is None:
                self._out = self._open()
            row = io.StringIO()
            csv.writer(row, lineterminator="\n").writerow(
                [_cell(getattr(sample, name)) for name in SAMPLE_COLUMNS]
            )
            self._out.write(row.getvalue())
            self._out.flush()
            self.rows += 1
            if self.rows % FSYNC_EVERY_ROWS == 0:
                os.fsync(self._out.fileno())
        except OSError as error:
            self.error = f"{self.path}: {error.strerror or error}"

    def close(self) -> None:
        out, self._out = self._out, None
        if out is None:
            return
        try:
            out.flush()
            os.fsync(out.fileno())
        except OSError as error:
            self.error = self.error or f"{self.path}: {error.strerror or error}"
        finally:
            out.close()


def read_samples(path: Path) -> list[dict[str, str]]:
    """A samples file's rows, by column name (for tests, exports and scripts)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class _RunFigures:
    speeds: list[float] = field(default_factory=list)
    inclines: list[float] = field(default_factory=list)
    heart_rates: list[int] = field(default_factory=list)
    distance_from: float | None = None
    distance_to: float | None = None
    integrated_m: float = 0.0
    last_elapsed: float | None = None
    hand_speed_kmh: float | None = None


class StepFigures:
    """Each step run's figures, from the samples taken while it ran."""

    def __init__(self, units: Units) -> None:
        self.units = units
        self._runs: dict[int, _RunFigures] = {}
        self._current: int | None = None
        self._last_distance: float | None = None

    def begin_run(self, run: int) -> None:
        """Step run number ``run`` (its place in the session's steps) starts now."""
        self._current = run
        self._runs[run] = _RunFigures(distance_from=self._last_distance)

    def add(self, sample: Sample) -> None:
        figures = self._runs.get(self._current) if self._current is not None else None
        if figures is None:
            return
        if sample.speed_kmh is not None:
            figures.speeds.append(sample.speed_kmh)
            if figures.last_elapsed is not None:
                figures.integrated_m += (
                    sample.speed_kmh / 3.6 * (sample.elapsed_s - figures.last_elapsed)
                )
            figures.last_elapsed = sample.elapsed_s
        else:
            figures.last_elapsed = None
        if sample.incline_pct is not None:
            figures.inclines.append(sample.incline_pct)
        if sample.heart_rate_bpm is not None:
            figures.heart_rates.append(sample.heart_rate_bpm)
        if sample.distance_m is not None:
            if figures.distance_from is None:
                figures.distance_from = sample.distance_m
            figures.distance_to = sample.distance_m
            self._last_distance = sample.distance_m

    def by_hand(self, kmh: float) -> None:
        """The person set ``kmh`` on the console during the current run."""
        figures = self._runs.get(self._current) if self._current is not None else None
        if figures is not None:
            figures.hand_speed_kmh = kmh

    def of(self, run: int) -> dict[str, Any]:
        """Run ``run``'s figures as the history's step keys (only those measured)."""
        figures = self._runs.get(run)
        if figures is None:
            return {}
        values: dict[str, Any] = {}
        if figures.speeds:
            values["belt_speed"] = round(from_kmh(_mean(figures.speeds), self.units), 2)
        if figures.distance_from is not None and figures.distance_to is not None:
            values["distance_m"] = round(max(0.0, figures.distance_to - figures.distance_from), 1)
        elif figures.speeds:
            values["distance_m"] = round(figures.integrated_m, 1)
        if figures.inclines:
            values["belt_incline"] = round(_mean(figures.inclines), 1)
        if figures.heart_rates:
            values["heart_rate_avg"] = round(_mean(figures.heart_rates), 1)
            values["heart_rate_max"] = float(max(figures.heart_rates))
        if figures.hand_speed_kmh is not None:
            values["speed_by_hand"] = round(from_kmh(figures.hand_speed_kmh, self.units), 2)
        return values


def _mean(values: list[float] | list[int]) -> float:
    return sum(values) / len(values)
