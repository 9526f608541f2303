"""Export: a one-hour session with a treadmill and a strap as FIT and as TCX, against the
``csv`` module reading the same per-second samples.

The figure is what ``retro-tui export`` and ``x`` on the history screen do for one
session: the activity built from the session and its samples file, then written.
The reference is the least any export of those samples must do: read the samples
file's 3,600 rows with :class:`csv.DictReader`. FIT is written with fit-tool, whose
pure-Python encoding costs about a millisecond a record; that is why the history
screen writes the files in a worker thread.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from bench.common import Options, Row, format_seconds, measure_pair, ratio
from retro_tui.devices.telemetry import SAMPLE_COLUMNS
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord
from retro_tui.interchange.activity import Activity, activity_of
from retro_tui.interchange.fit_activity import fit_activity
from retro_tui.interchange.tcx import tcx_activity

NAME = "export"
SUMMARY = "a one-hour measured session as FIT and TCX, vs csv reading its samples"

STEP_S = 300
STEPS = 12
START = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)


def session() -> SessionRecord:
    """An hour of five-minute steps, backward and forward by turns."""
    steps = tuple(
        StepRecord(
            "Backward" if number % 2 else "Easy run",
            "work",
            "backward" if number % 2 else "forward",
            STEP_S,
            float(STEP_S),
            speed=3.0 if number % 2 else 5.0,
            plan_step=number + 1,
        )
        for number in range(STEPS)
    )
    end = START + timedelta(seconds=STEP_S * STEPS)
    return SessionRecord(
        id="20261121T070000-bench",
        plan="Benchmark hour",
        started=START,
        ended=end,
        status=SessionStatus.COMPLETED,
        steps=steps,
        rpe=5,
    )


def samples_text() -> str:
    """The samples file a treadmill and a strap leave: a row a second."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SAMPLE_COLUMNS)
    distance = 0.0
    for second in range(STEP_S * STEPS):
        step = second // STEP_S + 1
        kmh = 4.8 if step % 2 else 8.0
        distance += kmh / 3.6
        at = (START + timedelta(seconds=second)).isoformat()
        beat = 120 + second % 30
        writer.writerow([at, second, step, kmh, 1.0, round(distance, 1), beat, 150])
    return out.getvalue()


def read_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def export(write: Callable[[Activity], bytes], record: SessionRecord, text: str) -> bytes:
    """What the export does: read the samples, build the activity, write its file."""
    return write(activity_of(record, read_rows(text)))


def run(options: Options) -> list[Row]:
    runs = options.runs(5, quick=2)
    record, text = session(), samples_text()
    activity = activity_of(record, read_rows(text))
    points = len(activity.points)
    rows = []
    for label, write in (("export: FIT", fit_activity), ("export: TCX", tcx_activity)):
        size = len(write(activity))
        mine, reference = measure_pair(
            partial(export, write, record, text),
            partial(read_rows, text),
            runs,
            options.min_run_s,
        )
        rows.append(
            Row(
                label,
                format_seconds(mine.median),
                f"{format_seconds(reference.median)} csv",
                ratio(mine.median, reference.median),
                f"{points} records, {size / 1024:.0f} KiB; {mine.describe()}",
            )
        )
    return rows
