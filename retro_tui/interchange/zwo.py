"""Read a Zwift running workout (``.zwo``) into an :class:`~.imported.ImportedWorkout`.

A ``.zwo`` file is XML: ``<workout_file>`` with a ``<name>``, ``<description>``,
``<sportType>`` and a ``<workout>`` whose children are the steps, in order:
``SteadyState``, ``Warmup``/``Cooldown``/``Ramp`` (a speed rising or falling from
``PowerLow`` to ``PowerHigh``), ``IntervalsT`` (``Repeat`` rounds of an on and an
off step), ``FreeRide`` (an open pace), each with ``textevent`` children shown
``timeoffset`` seconds into the element. There is no official specification;
the tags are those of h4l/zwift-workout-file-reference (made from every workout
Zwift ships), and what a run's numbers mean is what the zwiftworkout.com editor
(breiko83/zwo-editor, ``src/components/Editor/Editor.tsx``, ``calculateSpeed``
and ``PaceSelector.tsx``) does with them:

- in a run, ``Power`` is a share of a race pace: ``Power="1.0"`` is that pace;
- the ``pace`` attribute says which race: 0 one mile, 1 5 km, 2 10 km, 3 half
  marathon, 4 marathon (0 when it is left out);
- ``<durationType>distance</durationType>`` makes every ``Duration`` metres.

The XML is read by :mod:`.safe_xml`, which keeps every element's line and
refuses entity tricks.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import NoReturn

from retro_tui.coach.paces import RacePaces
from retro_tui.interchange.imported import (
    ImportedItem,
    ImportedRepeat,
    ImportedStep,
    ImportedWorkout,
    NoteBook,
    PaceNeeded,
    Problems,
    TimedCue,
    check_limits,
    cue_text,
    item_seconds,
    one_line,
    place_cues,
    ramp_parts,
    says_backward,
    source_lines,
    source_snippet,
    step_name,
    summary_text,
)
from retro_tui.interchange.safe_xml import Element, parse_xml
from retro_tui.interchange.zwo_write import BACKWARD_PREFIX, FORWARD_AGAIN_PREFIX
from retro_tui.plan.durations import format_clock
from retro_tui.plan.limits import MAX_NAME_CHARS, MAX_REPEAT
from retro_tui.plan.model import KMH_PER_MPH, Direction, Kind, Units
from retro_tui.tomltext import FileProblemError

SOURCE_FORMAT = "Zwift workout"
# The `pace` attribute's race distances, in metres, by its value.
PACE_DISTANCES_M = (1609.344, 5000.0, 10000.0, 21097.5, 42195.0)
PACE_NAMES = ("1 mile", "5 km", "10 km", "half marathon", "marathon")

# A step's attributes that this reader uses, as Zwift spells them; every other one is noted.
# fmt: off
_USED_SPELT = (
    "Duration", "OnDuration", "OffDuration", "Power", "PowerLow", "PowerHigh", "OnPower",
    "OffPower", "PowerOnLow", "PowerOnHigh", "PowerOffLow", "PowerOffHigh", "Repeat", "pace",
    "Incline", "Text",
)
# fmt: on
_USED = frozenset(name.lower() for name in _USED_SPELT)
_SPELLING = {name.lower(): name for name in _USED_SPELT}
_CADENCE = frozenset({"cadence", "cadencelow", "cadencehigh", "cadenceresting"})
# Attributes of a text event about how it looks on Zwift's screen, not what it says.
_EVENT_LOOKS = frozenset({"duration", "y", "x", "textscale", "locindex", "font_size"})
# What describes the file rather than the workout: left out without a word.
# fmt: off
_ABOUT_THE_FILE = frozenset((
    "author", "author_alias", "authoricon", "category", "categoryindex", "categoryoverride",
    "subcategory", "tags", "uniqueid", "legacyidhash", "entid", "overridehash", "painindex",
    "visibleaftertime", "visibleoutsideplan", "workoutplan", "activitysavename", "skippable",
    "showcp20", "workoutlength", "ftpoverride",
))
# fmt: on
_KINDS = {"warmup": Kind.WARMUP, "cooldown": Kind.COOLDOWN, "ramp": Kind.WORK}


def read_zwo(data: bytes, label: str, *, units: Units, paces: RacePaces | None) -> ImportedWorkout:
    """The workout in ``data`` (a ``.zwo`` file's bytes), speeds in ``units``.

    ``paces`` gives the race pace that a run's ``Power`` is a share of; without it
    a file that needs one raises :class:`PaceNeeded` (after any mistakes, which
    come first). Every mistake in the file is raised together as
    :class:`FileProblemError` (``FILE:LINE: message``).
    """
    root = parse_xml(data, label, kind=SOURCE_FORMAT)
    lines = source_lines(data.decode("utf-8", "replace"))
    return _Reader(label, lines, units, paces).workout(root)


class _Reader:
    def __init__(
        self, label: str, source_lines: list[str], units: Units, paces: RacePaces | None
    ) -> None:
        self.label = label
        self.source_lines = source_lines
        self.units = units
        self.paces = paces
        self.problems = Problems(label)
        self.notes = NoteBook()
        self.by_distance = False
        self.pace_wanted: int | None = None
        """The first line that needs a race pace, when none was given."""
        self.paces_used: set[int] = set()
        self.clock = 0.0
        """Seconds from the workout's start to the element being read."""
        self.cues: list[TimedCue] = []
        self.marked = False
        """Whether retro-tui wrote the file: its turn notices then give every direction."""

    # -- the document ----------------------------------------------------------------------

    def workout(self, root: Element) -> ImportedWorkout:
        if root.name != "workout_file":
            self.fail(
                root.line,
                f"the file starts with <{root.tag}>; a Zwift workout starts with <workout_file>",
            )
        self.check_sport(root)
        duration_type = root.child("durationtype")
        if duration_type is not None:
            if duration_type.text.lower() not in ("time", "distance"):
                what = one_line(duration_type.text, 30)[0]
                self.fail(duration_type.line, f'durationType "{what}" is not time or distance')
            self.by_distance = duration_type.text.lower() == "distance"
        steps = root.child("workout")
        if steps is None:
            self.fail(root.line, "there is no <workout> element, so no steps to import")
        known = ("name", "description", "sporttype", "durationtype", "workout")
        for child in root.children:
            if child.name not in known and child.name not in _ABOUT_THE_FILE:
                self.notes.add(child.line, f"<{child.tag}> is not something retro-tui knows")
        self.marked = any(
            _is_direction_mark(event.attributes.get("message", ""))
            for element in steps.children
            for event in element.children
        )
        items: list[ImportedItem] = []
        for element in steps.children:
            items += self.element(element)
        self.problems.raise_any()
        if self.pace_wanted is not None:
            raise PaceNeeded(self.label, self.pace_wanted, "a speed given as a share of a pace")
        workout = ImportedWorkout(
            name=self.text_of(root, "name") or None,
            description=self.text_of(root, "description"),
            units=self.units,
            items=place_cues(items, self.cues, self.notes),
            source_format=SOURCE_FORMAT,
            speeds_from=self.speeds_from(),
        )
        check_limits(workout, self.problems, steps_line=steps.line)
        self.problems.raise_any()
        return replace(workout, notes=self.notes.notes())

    def check_sport(self, root: Element) -> None:
        sport = root.child("sporttype")
        if sport is None:
            self.fail(
                root.line,
                "the file has no <sportType>, which Zwift reads as a ride; retro-tui runs "
                "treadmill workouts, not rides (a run says <sportType>run</sportType>)",
            )
        kind = sport.text.lower()
        if kind == "bike":
            self.fail(
                sport.line,
                "this is a Zwift ride (sportType bike); retro-tui runs treadmill workouts, "
                "not rides",
            )
        if kind != "run":
            self.fail(
                sport.line,
                f'sportType "{one_line(sport.text, 30)[0]}" is not a run; retro-tui imports '
                "Zwift run workouts (sportType run)",
            )

    def fail(self, line: int, message: str) -> NoReturn:
        """Stop at a mistake that leaves nothing to read on from."""
        self.problems.add(line, message)
        raise FileProblemError(self.problems.found)

    def text_of(self, root: Element, name: str) -> str:
        """The workout's name (one line) or description (a plan's summary), made to fit."""
        element = root.child(name)
        if element is None:
            return ""
        if name == "name":
            text, shortened = one_line(element.text, MAX_NAME_CHARS)
        else:
            text, shortened = summary_text(element.text)
        if shortened:
            self.notes.add(element.line, f"the {name} was shortened to fit a plan")
        return text

    def speeds_from(self) -> tuple[str, ...]:
        if not self.paces_used or self.paces is None:
            return ()
        races = ", ".join(PACE_NAMES[index] for index in sorted(self.paces_used))
        return (
            f"Speeds: Zwift's Power times your race pace ({races}), from {self.paces.describe()};",
            "other race paces from it by Riegel's formula, T2 = T1 x (D2/D1)^1.06.",
        )

    # -- one element of <workout> ----------------------------------------------------------

    def element(self, element: Element) -> list[ImportedItem]:
        name = element.name
        start = self.clock
        items: list[ImportedItem]
        if name == "steadystate":
            items = [self.steady(element)]
        elif name in _KINDS:
            items = list(self.ramp(element, _KINDS[name]))
        elif name == "intervalst":
            items = [self.intervals(element)]
        elif name in ("freeride", "maxeffort"):
            items = [self.open_step(element)]
        elif name in ("textevent", "textnotification"):
            # Directly in <workout>: its offset counts from the workout's start.
            self.event(element, 0.0, math.inf, None)
            return []
        else:
            self.notes.add(element.line, f"<{element.tag}> is not a step retro-tui knows; left out")
            return []
        seconds = sum(item_seconds(item) for item in items)
        self.clock = start + seconds
        speed = items[0].speed_kmh if items and isinstance(items[0], ImportedStep) else None
        for child in element.children:
            self.event(child, start, start + seconds, speed)
        self.note_attributes(element)
        return items

    def note_attributes(self, element: Element) -> None:
        for key, value in element.attributes.items():
            if key in _CADENCE:
                self.notes.add(
                    element.line,
                    "cadence targets are not carried over: on a treadmill the belt sets the "
                    "pace and your steps follow it",
                )
            elif key not in _USED:
                shown = one_line(value, 30)[0]
                message = f'{element.spelt(key)}="{shown}" on <{element.tag}> is not carried over'
                self.notes.add(element.line, message)

    def direction(self, element: Element) -> Direction:
        """Backward when the element's own text or its text events say so.

        A file retro-tui wrote says it in so many words: its ``BACKWARD:`` events
        decide alone, whatever a cue's words ("next you turn to walk backward").
        """
        messages = [child.attributes.get("message", "") for child in element.children]
        if self.marked:
            backward = any(message.startswith(BACKWARD_PREFIX) for message in messages)
            return Direction.BACKWARD if backward else Direction.FORWARD
        texts = [element.attributes.get("text", "")]
        for child in element.children:
            texts += [child.attributes.get("message", ""), child.attributes.get("text", "")]
        return Direction.BACKWARD if says_backward(*texts) else Direction.FORWARD

    def base_step(self, element: Element, kind: Kind) -> ImportedStep:
        """The element as a step with no time yet: what all its parts share."""
        return ImportedStep(
            kind=kind,
            direction=self.direction(element),
            duration_s=1,
            line=element.line,
            source=source_snippet(self.source_lines, element.line),
            name=step_name(element.attributes.get("text")),
            incline=self.incline(element),
        )

    def steady(self, element: Element) -> ImportedStep:
        power, how = self.power(element, "power", "powerlow", "powerhigh")
        speed, speed_from = self.speed(element, power, how)
        return replace(
            self.base_step(element, Kind.WORK),
            duration_s=self.seconds(element, "duration", speed),
            speed_kmh=speed,
            speed_from=speed_from,
        )

    def ramp(self, element: Element, kind: Kind) -> list[ImportedStep]:
        base = self.base_step(element, kind)
        if "powerlow" in element.attributes or "powerhigh" in element.attributes:
            low = self.number(element, "powerlow", required=True)
            high = self.number(element, "powerhigh", required=True)
        else:  # a ramp written with one Power holds it
            low = high = self.number(element, "power", required=True)
        if kind is Kind.COOLDOWN and low is not None and high is not None and high > low:
            self.notes.add(
                element.line,
                "this cool-down speeds up from PowerLow to PowerHigh, as the file says; some "
                "programs write cool-downs the other way round, so check it",
            )
        start, start_from = self.speed(element, low, "")
        end, _ = self.speed(element, high, "")
        if start is None or end is None or low is None or high is None:
            return [replace(base, duration_s=self.seconds(element, "duration", None))]
        seconds = self.seconds(element, "duration", (start + end) / 2)
        parts = ramp_parts(seconds, start, end, self.units)
        race = PACE_NAMES[int(element.attributes.get("pace", "0").strip() or "0")]
        speed_from = start_from
        if start != end:
            speed_from = (
                f"a ramp from {low:g} to {high:g} x {race} race pace "
                f"({self.pace_text(start)} to {self.pace_text(end)})"
            )
        return [
            replace(
                base,
                duration_s=part_s,
                speed_kmh=speed,
                speed_from=speed_from,
                part=f"part {number} of {len(parts)} of the ramp" if len(parts) > 1 else "",
            )
            for number, (part_s, speed) in enumerate(parts, start=1)
        ]

    def intervals(self, element: Element) -> ImportedRepeat:
        repeat = self.repeat(element)
        on_power, on_how = self.power(element, "onpower", "poweronlow", "poweronhigh")
        off_power, off_how = self.power(element, "offpower", "powerofflow", "poweroffhigh")
        on_speed, on_from = self.speed(element, on_power, on_how)
        off_speed, off_from = self.speed(element, off_power, off_how)
        base = self.base_step(element, Kind.WORK)
        on = replace(
            base,
            name=None,
            duration_s=self.seconds(element, "onduration", on_speed),
            speed_kmh=on_speed,
            speed_from=on_from,
            part="the on part",
        )
        # The recovery faces forward whatever the set says: "retro intervals" are the work.
        off = replace(
            base,
            name=None,
            kind=Kind.RECOVER,
            direction=Direction.FORWARD,
            duration_s=self.seconds(element, "offduration", off_speed),
            speed_kmh=off_speed,
            speed_from=off_from,
            part="the off part",
        )
        if self.marked:
            on, off = self.marked_directions(element, on, off)
        name = base.name or "Intervals"
        return ImportedRepeat(repeat, (on, off), element.line, base.source, name=name)

    def marked_directions(
        self, element: Element, on: ImportedStep, off: ImportedStep
    ) -> tuple[ImportedStep, ImportedStep]:
        """The on and off parts' directions from the first round's ``BACKWARD:`` notices."""
        turns = {
            _float(event.attributes.get("timeoffset", "")) or 0.0
            for event in element.children
            if event.attributes.get("message", "").startswith(BACKWARD_PREFIX)
        }

        def facing(backward: bool) -> Direction:
            return Direction.BACKWARD if backward else Direction.FORWARD

        return (
            replace(on, direction=facing(0.0 in turns)),
            replace(off, direction=facing(float(on.duration_s) in turns)),
        )

    def open_step(self, element: Element) -> ImportedStep:
        """A free ride or a max effort: time on the belt at a speed the runner chooses."""
        base = self.base_step(element, Kind.WORK)
        # Named for what it asks, since it has no speed to show: the runner sets the belt.
        name = base.name or ("Max effort" if element.name == "maxeffort" else "Own pace")
        return replace(base, name=name, duration_s=self.seconds(element, "duration", None))

    def event(self, event: Element, start: float, end: float, speed: float | None) -> None:
        """A text event of the element running from ``start`` to ``end``: a cue, placed later."""
        if event.name not in ("textevent", "textnotification"):
            self.notes.add(event.line, f"<{event.tag}> is not carried over")
            return
        for key in event.attributes:
            if key not in _EVENT_LOOKS | {"timeoffset", "distoffset", "message", "text"}:
                message = f"{event.spelt(key)} on <{event.tag}> is not carried over"
                self.notes.add(event.line, message)
        text = event.attributes.get("message", event.attributes.get("text", ""))
        if _is_direction_mark(text):
            return  # retro-tui's own turn notice: the step's direction carries it
        cleaned = cue_text(text, event.line, self.notes)
        if cleaned is None:
            self.notes.add(event.line, "a text event without a message was left out")
            return
        offset = self.event_offset(event, speed)
        if offset is not None:
            self.cues.append(TimedCue(start + offset, cleaned, event.line, end))

    def event_offset(self, event: Element, speed: float | None) -> float | None:
        raw = event.attributes.get("timeoffset")
        if raw is None and "distoffset" in event.attributes:
            metres = _float(event.attributes["distoffset"])
            if metres is None or metres < 0 or not speed:
                message = "a text event placed by distance, on a step without a pace, was left out"
                self.notes.add(event.line, message)
                return None
            return metres / (speed / 3.6)
        offset = _float(raw or "0")
        if offset is None or offset < 0:
            shown = one_line(raw or "", 30)[0]
            self.notes.add(event.line, f'a text event at timeoffset="{shown}" was left out')
            return None
        return offset

    # -- attributes --------------------------------------------------------------------------

    def number(self, element: Element, key: str, *, required: bool = False) -> float | None:
        """A non-negative number attribute; a problem when it is anything else."""
        raw = element.attributes.get(key)
        spelt = element.spelt(key) if key in element.attributes else _spelt(key)
        if raw is None:
            if required:
                self.problems.add(element.line, f"<{element.tag}> has no {spelt}")
            return None
        value = _float(raw)
        if value is None:
            self.problems.add(element.line, f'{spelt}="{one_line(raw, 30)[0]}" is not a number')
            return None
        if value < 0:
            self.problems.add(element.line, f'{spelt}="{raw.strip()}" is negative')
            return None
        return value

    def seconds(self, element: Element, key: str, speed: float | None) -> int:
        """How long the element's ``key`` lasts in whole seconds (1 where it is broken).

        With ``durationType`` distance it is metres, run at ``speed`` (km/h).
        """
        value = self.number(element, key, required=True)
        if value is None:
            return 1
        if self.by_distance:
            if not speed:
                # Waiting for a race pace says so once, at the end; otherwise say it here.
                if self.pace_wanted is None:
                    self.problems.add(
                        element.line,
                        f"{element.spelt(key)} is {value:g} m, and a step without a pace "
                        "gives no time from a distance",
                    )
                return 1
            value = value / (speed / 3.6)
        seconds = round(value)
        if seconds <= 0:
            spelt = element.spelt(key)
            self.problems.add(element.line, f"{spelt} must be longer than zero seconds")
            return 1
        return seconds

    def repeat(self, element: Element) -> int:
        value = self.number(element, "repeat", required=True)
        if value is None:
            return 1
        if value != int(value) or not 1 <= value <= MAX_REPEAT:
            raw = element.attributes["repeat"].strip()
            self.problems.add(
                element.line,
                f'{element.spelt("repeat")}="{raw}" is not a whole number from 1 to {MAX_REPEAT}',
            )
            return 1
        return int(value)

    def power(self, element: Element, key: str, low: str, high: str) -> tuple[float | None, str]:
        """The element's power (a share of the race pace), or the middle of its range."""
        if key in element.attributes:
            return self.number(element, key), ""
        low_value, high_value = self.number(element, low), self.number(element, high)
        if low_value is not None and high_value is not None:
            self.notes.add(
                element.line, "a power range runs at its middle: a treadmill holds one speed"
            )
            return (low_value + high_value) / 2, "the middle of the range"
        message = f"<{element.tag}> has no {_spelt(key)}, so no target speed: set the belt yourself"
        self.notes.add(element.line, message)
        return None, ""

    def speed(self, element: Element, power: float | None, how: str) -> tuple[float | None, str]:
        """km/h for ``power`` times the element's race pace, and how that was worked out."""
        if power is None:
            return None, ""
        if power == 0:
            self.notes.add(element.line, "a power of 0 sets no speed: the step has no target")
            return None, ""
        raw = element.attributes.get("pace", "0").strip() or "0"
        if raw not in ("0", "1", "2", "3", "4"):
            self.problems.add(
                element.line,
                f'{element.spelt("pace")}="{one_line(raw, 30)[0]}" is not one of 0 (1 mile), '
                "1 (5 km), 2 (10 km), 3 (half marathon) or 4 (marathon)",
            )
            return None, ""
        index = int(raw)
        if self.paces is None:
            if self.pace_wanted is None:
                self.pace_wanted = element.line
            return None, ""
        self.paces_used.add(index)
        speed = power * self.paces.speed_kmh(PACE_DISTANCES_M[index])
        reason = f", {how}" if how else ""
        return speed, f"{power:g} x {PACE_NAMES[index]} race pace{reason}: {self.pace_text(speed)}"

    def pace_text(self, speed_kmh: float) -> str:
        """``6:15/km`` (or per mile, in an mph plan) for a speed in km/h."""
        if self.units is Units.KMH:
            return f"{format_clock(3600 / speed_kmh)}/km"
        return f"{format_clock(3600 / speed_kmh * KMH_PER_MPH)}/mile"

    def incline(self, element: Element) -> float | None:
        """Percent, from the fraction the zwiftworkout.com editor writes (``0.02`` is 2 %)."""
        raw = element.attributes.get("incline")
        if raw is None:
            return None
        value = _float(raw)
        if value is None:
            shown = one_line(raw, 30)[0]
            self.problems.add(element.line, f'{element.spelt("incline")}="{shown}" is not a number')
            return None
        return round(value * 100, 1)


def _float(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _spelt(key: str) -> str:
    """An attribute as Zwift spells it: ``OnDuration`` for ``onduration``."""
    return _SPELLING.get(key, key)


def _is_direction_mark(message: str) -> bool:
    """Whether ``message`` is the turn notice retro-tui writes at a change of direction."""
    return message.startswith((BACKWARD_PREFIX, FORWARD_AGAIN_PREFIX))
