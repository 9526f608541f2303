"""A session as a TCX activity (Garmin's Training Center XML, version 2).

Strava, Garmin Connect, TrainingPeaks and intervals.icu all read it. What
Strava documents for TCX uploads is kept to: every trackpoint has a time, the
activity has an ``Id`` (its start) and a sport (``Running``: TCX knows only
Running, Biking and Other, and a treadmill walk is closest to running), each
lap carries its start, time, distance, intensity and trigger. A lap's
``Notes`` say which step it was (``BACKWARD · Backward 1``), its planned and
real time and its rating; the activity's ``Notes`` say how the session went
and whether the speeds were measured or estimated from the plan.

Speed and cadence have no element of their own in a trackpoint: they go in
the Activity Extension v2 (``TPX``/``LX``), as Garmin's own files write them.
The session's time in each heart-rate zone has no place in TCX at all (neither
the schema nor its extensions have one): it is in the FIT file only, and a site
reading the TCX works it out from the trackpoints' heart rates.
Written with the standard library's ElementTree; text from the plan and the
history is escaped by it, never pasted in.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from retro_tui.interchange.activity import Activity, Lap, Point

TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
EXT_NS = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{TCX_NS} http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd"

_INTENSITY = {"recover": "Resting"}
"""TCX has two intensities: a recovery is Resting, everything else Active."""


def _time(at: datetime) -> str:
    """UTC with a Z, to the millisecond where it has any: what every TCX reader takes."""
    utc = at.astimezone(UTC)
    if utc.microsecond:
        return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return utc.isoformat(timespec="seconds").replace("+00:00", "Z")


def _sub(parent: ET.Element, tag: str, text: str | None = None, ns: str = TCX_NS) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _number(value: float, places: int = 2) -> str:
    return f"{value:.{places}f}"


def tcx_activity(activity: Activity) -> bytes:
    """The TCX file of ``activity``, UTF-8 with its XML declaration."""
    ET.register_namespace("", TCX_NS)
    ET.register_namespace("ax", EXT_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(f"{{{TCX_NS}}}TrainingCenterDatabase")
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    activities = _sub(root, "Activities")
    element = _sub(activities, "Activity")
    element.set("Sport", "Running")
    _sub(element, "Id", _time(activity.start))
    points = list(activity.points)
    for number, lap in enumerate(activity.laps):
        last = number == len(activity.laps) - 1
        inside = [
            point
            for point in points
            if lap.start <= point.time < lap.end or (last and point.time >= lap.end)
        ]
        _lap(element, lap, inside)
    _sub(element, "Notes", activity.notes)
    creator = _sub(element, "Creator")
    creator.set(f"{{{XSI_NS}}}type", "Device_t")
    _sub(creator, "Name", "retro-tui")
    _sub(creator, "UnitId", "0")
    _sub(creator, "ProductID", "0")
    version = _sub(creator, "Version")
    _sub(version, "VersionMajor", "1")
    _sub(version, "VersionMinor", "0")
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def _lap(parent: ET.Element, lap: Lap, points: list[Point]) -> None:
    element = _sub(parent, "Lap")
    element.set("StartTime", _time(lap.start))
    _sub(element, "TotalTimeSeconds", _number(lap.seconds, 3))
    _sub(element, "DistanceMeters", _number(lap.distance_m))
    if lap.max_speed_mps is not None:
        _sub(element, "MaximumSpeed", _number(lap.max_speed_mps, 3))
    _sub(element, "Calories", "0")
    if lap.avg_heart_rate is not None and lap.max_heart_rate is not None:
        _sub(_sub(element, "AverageHeartRateBpm"), "Value", str(lap.avg_heart_rate))
        _sub(_sub(element, "MaximumHeartRateBpm"), "Value", str(lap.max_heart_rate))
    _sub(element, "Intensity", _INTENSITY.get(lap.step.kind, "Active"))
    _sub(element, "TriggerMethod", "Manual")
    if points:
        track = _sub(element, "Track")
        for point in points:
            _trackpoint(track, point)
    _sub(element, "Notes", lap.words)
    if lap.avg_speed_mps is not None or lap.avg_cadence is not None:
        extension = _sub(_sub(element, "Extensions"), "LX", ns=EXT_NS)
        if lap.avg_speed_mps is not None:
            _sub(extension, "AvgSpeed", _number(lap.avg_speed_mps, 3), ns=EXT_NS)
        if lap.avg_cadence is not None:
            _sub(extension, "AvgRunCadence", str(round(lap.avg_cadence / 2)), ns=EXT_NS)


def _trackpoint(track: ET.Element, point: Point) -> None:
    element = _sub(track, "Trackpoint")
    _sub(element, "Time", _time(point.time))
    _sub(element, "DistanceMeters", _number(point.distance_m))
    if point.heart_rate is not None:
        _sub(_sub(element, "HeartRateBpm"), "Value", str(point.heart_rate))
    if point.speed_mps is not None or point.cadence is not None:
        extension = _sub(_sub(element, "Extensions"), "TPX", ns=EXT_NS)
        if point.speed_mps is not None:
            _sub(extension, "Speed", _number(point.speed_mps, 3), ns=EXT_NS)
        if point.cadence is not None:
            # RunCadence counts one foot, as FIT's does: half the steps a minute.
            _sub(extension, "RunCadence", str(round(point.cadence / 2)), ns=EXT_NS)
