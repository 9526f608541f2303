"""A session as a FIT activity file: what Garmin Connect, Strava and intervals.icu import.

The messages, in the order the FIT SDK's own activity examples and Garmin's
"best practice" for activity files put them:

1. ``file_id`` (an activity, made by a development manufacturer);
2. ``event`` timer start;
3. ``workout`` and one ``workout_step`` a step, so each lap has a name a
   watch or a web site can show ("BACKWARD · Backward 1") and notes (planned
   and real time, the rating); the workout's description carries the
   activity's notes, estimated speeds included;
4. ``record`` a second (time, distance, speed, incline as grade, heart rate,
   cadence), each lap's ``lap`` after its records;
5. ``event`` timer stop, ``time_in_zone`` (the seconds in each heart-rate
   zone, when the session kept them), then ``session`` (running or walking on a
   treadmill) and ``activity``.

fit-tool (a maintained FIT encoder) writes the bytes: definitions, scaling,
the header and the CRC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.messages.time_in_zone_message import TimeInZoneMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    Activity as ActivityKind,
)
from fit_tool.profile.profile_type import (
    Event,
    EventType,
    FileType,
    Intensity,
    LapTrigger,
    Manufacturer,
    MesgNum,
    SessionTrigger,
    Sport,
    SubSport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from retro_tui.interchange.activity import Activity, Lap, Point
from retro_tui.interchange.fit_workout import INTENSITY_OF_KIND

NAME_CHARS = 50
"""The longest string written; FIT readers cut longer ones anyway."""
NOTES_CHARS = 250


def _ms(at: datetime) -> int:
    """``at`` to the whole second (FIT's times have no finer grain), in the milliseconds
    since 1970 that fit-tool takes and converts to FIT's own. Rounded here, once, so the
    records left out as a second's repeat are the ones the file would have repeated."""
    return round(at.timestamp()) * 1000


def _local_seconds(at: datetime) -> int:
    """The activity's local time, as FIT's ``local_date_time``: seconds since 1989-12-31
    in the athlete's own time zone (fit-tool writes this field as given)."""
    offset = at.utcoffset()
    local = at.timestamp() + (offset.total_seconds() if offset is not None else 0.0)
    return round(local) - 631065600


def fit_activity(activity: Activity) -> bytes:
    """The FIT file of ``activity``."""
    builder = FitFileBuilder(auto_define=True, min_string_size=NAME_CHARS)
    sport = Sport.RUNNING if activity.running else Sport.WALKING
    start_ms = _ms(activity.start)

    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = int(activity.session.id.encode().hex()[-8:] or "0", 16) or 1
    file_id.time_created = start_ms
    builder.add(file_id)

    builder.add(_event(start_ms, EventType.START))

    workout = WorkoutMessage()
    workout.workout_name = activity.name[:NAME_CHARS]
    workout.sport = sport
    workout.sub_sport = SubSport.TREADMILL
    workout.num_valid_steps = len(activity.laps)
    workout.workout_description = activity.notes[:NOTES_CHARS]
    builder.add(workout)
    for number, lap in enumerate(activity.laps):
        builder.add(_workout_step(number, lap))

    points = list(activity.points)
    written = 0
    last_second: int | None = None
    for number, lap in enumerate(activity.laps):
        end_ms = _ms(lap.end)
        last = number == len(activity.laps) - 1
        # Each record goes before the lap it falls in; the last lap takes the rest.
        while written < len(points) and (last or _ms(points[written].time) < end_ms):
            second = _ms(points[written].time) // 1000
            # FIT times are whole seconds: a second point within the same second is left out.
            if second != last_second:
                builder.add(_record(points[written]))
                last_second = second
            written += 1
        builder.add(_lap(number, lap, sport, last=last))

    end_ms = _ms(activity.laps[-1].end) if activity.laps else start_ms
    if points:
        end_ms = max(end_ms, _ms(points[-1].time))
    builder.add(_event(end_ms, EventType.STOP_ALL))
    zone_seconds = activity.session.heart_rate_zone_s
    if zone_seconds is not None:
        builder.add(_time_in_zone(zone_seconds, end_ms))
    builder.add(_session(activity, sport, start_ms, end_ms))

    summary = ActivityMessage()
    summary.timestamp = end_ms
    summary.total_timer_time = activity.seconds
    summary.num_sessions = 1
    summary.type = ActivityKind.MANUAL
    summary.event = Event.ACTIVITY
    summary.event_type = EventType.STOP
    summary.local_timestamp = _local_seconds(activity.session.ended)
    builder.add(summary)
    data: bytes = builder.build().to_bytes()
    return data


def _event(at_ms: int, kind: Any) -> EventMessage:
    event = EventMessage()
    event.event = Event.TIMER
    event.event_type = kind
    event.timestamp = at_ms
    return event


def _workout_step(number: int, lap: Lap) -> WorkoutStepMessage:
    step = WorkoutStepMessage()
    step.message_index = number
    step.workout_step_name = lap.title[:NAME_CHARS]
    step.duration_type = WorkoutStepDuration.TIME
    step.duration_time = float(lap.step.planned_s)
    step.target_type = WorkoutStepTarget.OPEN
    step.intensity = INTENSITY_OF_KIND.get(lap.step.kind, Intensity.ACTIVE)
    step.notes = lap.words[:NOTES_CHARS]
    return step


def _record(point: Point) -> RecordMessage:
    record = RecordMessage()
    record.timestamp = _ms(point.time)
    record.distance = point.distance_m
    if point.speed_mps is not None:
        record.speed = point.speed_mps
    if point.incline_pct is not None:
        record.grade = point.incline_pct
    if point.heart_rate is not None:
        record.heart_rate = point.heart_rate
    if point.cadence is not None:
        # FIT's running cadence counts one foot: strides a minute, half the steps.
        record.cadence = round(point.cadence / 2)
    return record


def _lap(number: int, lap: Lap, sport: Any, *, last: bool) -> LapMessage:
    message = LapMessage()
    message.message_index = number
    message.timestamp = _ms(lap.end)
    message.start_time = _ms(lap.start)
    message.event = Event.LAP
    message.event_type = EventType.STOP
    message.lap_trigger = LapTrigger.SESSION_END if last else LapTrigger.MANUAL
    message.total_elapsed_time = lap.seconds
    message.total_timer_time = lap.seconds
    message.total_distance = lap.distance_m
    message.sport = sport
    message.sub_sport = SubSport.TREADMILL
    message.intensity = INTENSITY_OF_KIND.get(lap.step.kind, Intensity.ACTIVE)
    message.workout_step_index = number
    if lap.avg_speed_mps is not None:
        message.avg_speed = lap.avg_speed_mps
    if lap.max_speed_mps is not None:
        message.max_speed = lap.max_speed_mps
    if lap.avg_heart_rate is not None:
        message.avg_heart_rate = lap.avg_heart_rate
    if lap.max_heart_rate is not None:
        message.max_heart_rate = lap.max_heart_rate
    if lap.avg_cadence is not None:
        message.avg_running_cadence = round(lap.avg_cadence / 2)
    return message


def _time_in_zone(seconds: tuple[float, ...], end_ms: int) -> TimeInZoneMessage:
    """The session's seconds in heart-rate zones 1 to 5, for the file's one session.

    Only the seconds: the session keeps no zone bounds (the athlete's zones may have
    changed since), so none are written, and readers take their own.
    """
    message = TimeInZoneMessage()
    message.timestamp = end_ms
    message.reference_mesg = MesgNum.SESSION.value
    message.reference_index = 0
    message.time_in_hr_zone = list(seconds)
    return message


def _session(activity: Activity, sport: Any, start_ms: int, end_ms: int) -> SessionMessage:
    session = SessionMessage()
    session.timestamp = end_ms
    session.start_time = start_ms
    session.event = Event.SESSION
    session.event_type = EventType.STOP
    session.trigger = SessionTrigger.ACTIVITY_END
    session.sport = sport
    session.sub_sport = SubSport.TREADMILL
    session.total_elapsed_time = max(activity.elapsed_s, (end_ms - start_ms) / 1000)
    session.total_timer_time = activity.seconds
    session.total_distance = activity.distance_m
    session.first_lap_index = 0
    session.num_laps = len(activity.laps)
    if activity.seconds > 0:
        session.avg_speed = activity.distance_m / activity.seconds
    speeds = [point.speed_mps for point in activity.points if point.speed_mps is not None]
    if speeds:
        session.max_speed = max(speeds)
    hearts = [point.heart_rate for point in activity.points if point.heart_rate is not None]
    if hearts:
        session.avg_heart_rate = round(sum(hearts) / len(hearts))
        session.max_heart_rate = max(hearts)
    return session
