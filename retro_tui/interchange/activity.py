"""A session as an activity file sees it: laps, and a record every second.

Each step of the session is a lap, timed by what really ran (``actual_s``),
back to back from the session's start; a step skipped before it began (no
time) is left out, as a watch would. The records, one a second, come from the
devices' samples when the treadmill or a strap recorded any (the belt's real
speed, incline and distance, the heart rate, the cadence). Without samples
they are worked out from each step's planned speed and its real time, and the
activity says so in its notes: a reader of the file in Strava or
intervals.icu must not take a plan's speed for a measured one.

FIT and TCX (:mod:`.fit_activity`, :mod:`.tcx`) both write this model, so the
two files of a session always agree with each other and with the history.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

from retro_tui.history.record import SessionRecord, StepRecord
from retro_tui.plan.durations import format_clock
from retro_tui.plan.model import to_kmh

WALK_RUN_MPS = 99.16 / 60
"""Above this speed (about 6 km/h) a step is running, below it walking: the speed at
which the ACSM equations change from walking to running (see coach/energy.py)."""
MAX_SAMPLE_ROWS = 24 * 3600
"""A samples file longer than a day of seconds is not read further."""


@dataclass(frozen=True)
class Point:
    """One record: what the belt, the strap and the pod said at ``time``."""

    time: datetime
    distance_m: float
    speed_mps: float | None = None
    incline_pct: float | None = None
    heart_rate: int | None = None
    cadence: int | None = None


@dataclass(frozen=True)
class Lap:
    """One step of the session as it ran."""

    index: int
    """The step's place in the session, from 0."""
    step: StepRecord
    start: datetime
    seconds: float
    distance_m: float
    avg_speed_mps: float | None
    max_speed_mps: float | None
    avg_heart_rate: int | None
    max_heart_rate: int | None
    avg_cadence: int | None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)

    @property
    def title(self) -> str:
        """``BACKWARD · Backward 1``: the direction first, as a watch shows a step's name."""
        direction = "BACKWARD" if self.step.is_backward else "forward"
        return f"{direction} · {self.step.name}"

    @property
    def words(self) -> str:
        """The lap's notes: planned and real time, speed, and how hard it was."""
        parts = [
            self.title,
            f"planned {format_clock(self.step.planned_s)}, ran {format_clock(self.seconds)}",
        ]
        if self.step.skipped:
            parts.append("skipped")
        if self.step.rpe is not None:
            parts.append(f"RPE {self.step.rpe}")
        if self.step.target_rpe is not None:
            parts.append(f"target RPE {self.step.target_rpe}")
        return " · ".join(parts)


@dataclass(frozen=True)
class Activity:
    """A session ready to be written as FIT or TCX."""

    session: SessionRecord
    laps: tuple[Lap, ...]
    points: tuple[Point, ...]
    measured: bool
    """Whether the records come from the devices (else from the plan's speeds)."""

    @property
    def start(self) -> datetime:
        return self.session.started

    @property
    def seconds(self) -> float:
        """The time the clock ran: the sum of the laps."""
        return sum(lap.seconds for lap in self.laps)

    @property
    def elapsed_s(self) -> float:
        """From the start to the end, pauses included."""
        return max(self.seconds, (self.session.ended - self.session.started).total_seconds())

    @property
    def distance_m(self) -> float:
        return sum(lap.distance_m for lap in self.laps)

    @property
    def running(self) -> bool:
        """Running or walking, by the average speed of the session."""
        seconds = self.seconds
        return seconds > 0 and self.distance_m / seconds >= WALK_RUN_MPS

    @property
    def name(self) -> str:
        return f"{self.session.plan} (retro-tui)"

    @property
    def notes(self) -> str:
        """The activity's notes: the plan, how it ended, the effort, and where the speeds
        came from."""
        session = self.session
        lines = [f"{session.plan}: {session.status.value}, treadmill, backward intervals."]
        if session.rpe is not None:
            lines.append(f"Session RPE {session.rpe}.")
        if session.pain is not None:
            where = f" ({session.pain_where})" if session.pain_where else ""
            lines.append(f"Pain {session.pain}/10{where}.")
        if session.notes:
            lines.append(session.notes)
        if self.measured:
            lines.append("Speeds, distance and heart rate as the devices recorded them.")
        else:
            lines.append(
                "Speeds and distance are estimated from the plan's speeds and each step's "
                "real time: no treadmill was connected."
            )
        lines.append(f"retro-tui session {session.id}")
        return "\n".join(lines)


def speed_mps(speed: float | None, units: str) -> float | None:
    """A plan or history speed in its units (mph or km/h) as metres a second."""
    if speed is None or not math.isfinite(speed) or speed < 0:
        return None
    return to_kmh(speed, units) / 3.6


def samples_file(session: SessionRecord, history: Path) -> Path | None:
    """The session's samples file beside the log, if it names one that is there."""
    if not session.samples:
        return None
    path = history.parent / session.samples
    return path if path.is_file() else None


def read_sample_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a samples file; a damaged or unreadable one gives what could be read."""
    rows: list[dict[str, str]] = []
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append(row)
                if len(rows) >= MAX_SAMPLE_ROWS:
                    break
    except (OSError, UnicodeDecodeError, csv.Error):
        pass
    return rows


def activity_of(session: SessionRecord, samples: list[dict[str, str]] | None = None) -> Activity:
    """The activity of ``session``, with the devices' ``samples`` rows when there are any."""
    ran = [(index, step) for index, step in enumerate(session.steps) if step.actual_s > 0]
    spans: list[tuple[int, StepRecord, datetime, float]] = []
    at = session.started
    for index, step in ran:
        spans.append((index, step, at, step.actual_s))
        at += timedelta(seconds=step.actual_s)
    measured_points = _measured_points(samples or [], session.started)
    if measured_points:
        points = measured_points
        # The samples carry their own times, pauses included: each lap starts at its
        # step's first sample when the samples and the steps line up one to one.
        starts = _step_starts(samples or [], len(spans))
        if starts is not None:
            spans = [
                (index, step, start, seconds)
                for (index, step, _, seconds), start in zip(spans, starts, strict=True)
            ]
    else:
        points = _estimated_points(spans, session.units)
    laps = tuple(_lap(index, step, start, seconds, points) for index, step, start, seconds in spans)
    return Activity(session, laps, tuple(points), bool(measured_points))


def _number(row: dict[str, str], key: str) -> float | None:
    text = (row.get(key) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _time(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _measured_points(rows: list[dict[str, str]], started: datetime) -> list[Point]:
    """A point a sample row, in time order; the distance from the belt's own count when it
    gives one (counted from the first), else from the speed."""
    points: list[Point] = []
    first_distance: float | None = None
    distance = 0.0
    last: datetime | None = None
    for row in rows:
        at = _time(row.get("time"))
        if at is None or (at.tzinfo is None) != (started.tzinfo is None):
            continue
        if last is not None and at <= last:
            continue  # a clock that stepped back: a record's time must always grow
        kmh = _number(row, "speed_kmh")
        mps = None if kmh is None else kmh / 3.6
        belt = _number(row, "distance_m")
        if belt is not None:
            first_distance = belt if first_distance is None else first_distance
            distance = max(distance, belt - first_distance)
        elif mps is not None and last is not None:
            distance += mps * min((at - last).total_seconds(), 5.0)
        heart = _number(row, "heart_rate_bpm")
        cadence = _number(row, "cadence_spm")
        points.append(
            Point(
                time=at,
                distance_m=round(distance, 2),
                speed_mps=mps,
                incline_pct=_number(row, "incline_pct"),
                heart_rate=None if heart is None else round(heart),
                cadence=None if cadence is None else round(cadence),
            )
        )
        last = at
    if not any(point.speed_mps is not None or point.heart_rate is not None for point in points):
        return []
    return points


def _step_starts(rows: list[dict[str, str]], count: int) -> list[datetime] | None:
    """When each run of the same step began in the samples, if there is one run a lap."""
    starts: list[datetime] = []
    previous: str | None = None
    for row in rows:
        step = (row.get("step") or "").strip()
        at = _time(row.get("time"))
        if at is None or not re.fullmatch(r"\d+", step):
            continue
        if step != previous:
            starts.append(at)
            previous = step
    if len(starts) != count or any(b <= a for a, b in pairwise(starts)):
        return None
    return starts


def _estimated_points(
    spans: list[tuple[int, StepRecord, datetime, float]], units: str
) -> list[Point]:
    """A point every whole second from the start and at each step's end, at the planned speed
    of the step running then, the distance summed over each step's real time."""
    if not spans:
        return []
    start = spans[0][2]
    edges = []  # each step's end, in seconds from the start
    total = 0.0
    for _, _, _, seconds in spans:
        total += seconds
        edges.append(total)

    def distance_at(t: float) -> float:
        covered, begin = 0.0, 0.0
        for (_, step, _, _), end in zip(spans, edges, strict=True):
            mps = speed_mps(step.speed, units) or 0.0
            covered += mps * (min(t, end) - begin) if t > begin else 0.0
            begin = end
        return covered

    def step_at(t: float) -> StepRecord:
        for (_, step, _, _), end in zip(spans, edges, strict=True):
            if t < end:
                return step
        return spans[-1][1]

    # Every whole second, and each step's end: a step that ends part-way through a second
    # has a point there, so its lap's distance is its own (the FIT file keeps one record a
    # second, the first).
    whole = {float(second) for second in range(math.ceil(total - 1e-9))}
    moments = sorted(whole | set(edges))
    points = []
    for t in moments:
        step = step_at(t)
        points.append(
            Point(
                time=start + timedelta(seconds=t),
                distance_m=round(distance_at(t), 2),
                speed_mps=speed_mps(step.speed, units),
                incline_pct=step.incline,
            )
        )
    return points


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _distance_at(points: list[Point], at: datetime) -> float:
    """The distance covered at ``at``, between the points either side of it: a step that ends
    part-way through a second keeps its share of that second's metres."""
    before = [point for point in points if point.time <= at]
    if not before:
        return 0.0
    last = before[-1]
    after = next((point for point in points if point.time > at), None)
    if after is None or last.time == at:
        return last.distance_m
    span = (after.time - last.time).total_seconds()
    share = (at - last.time).total_seconds() / span
    return last.distance_m + (after.distance_m - last.distance_m) * share


def _lap(index: int, step: StepRecord, start: datetime, seconds: float, points: list[Point]) -> Lap:
    end = start + timedelta(seconds=seconds)
    inside = [point for point in points if start <= point.time < end]
    begin = _distance_at(points, start)
    finish = max(begin, _distance_at(points, end))
    speeds = [point.speed_mps for point in inside if point.speed_mps is not None]
    hearts = [float(point.heart_rate) for point in inside if point.heart_rate is not None]
    cadences = [float(point.cadence) for point in inside if point.cadence is not None]
    average_heart = _mean(hearts)
    average_cadence = _mean(cadences)
    distance = max(0.0, finish - begin)
    return Lap(
        index=index,
        step=step,
        start=start,
        seconds=seconds,
        distance_m=round(distance, 2),
        avg_speed_mps=distance / seconds if seconds > 0 and speeds else None,
        max_speed_mps=max(speeds) if speeds else None,
        avg_heart_rate=None if average_heart is None else round(average_heart),
        max_heart_rate=round(max(hearts)) if hearts else None,
        avg_cadence=None if average_cadence is None else round(average_cadence),
    )


def file_stem(session: SessionRecord) -> str:
    """``2026-11-21-0702-retro-starter-3f9c``: the day, the time, the plan and the end of
    the session's id (two sessions of a minute stay two files), safe in any file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", session.plan.casefold()).strip("-")[:40] or "session"
    tail = re.sub(r"[^a-z0-9]+", "", session.id.rsplit("-", 1)[-1].casefold())[:8]
    stem = f"{session.started.strftime('%Y-%m-%d-%H%M')}-{slug}"
    return f"{stem}-{tail}" if tail else stem
