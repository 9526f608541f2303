"""Read intervals.icu's workout text into an :class:`~.imported.ImportedWorkout`.

intervals.icu's workout builder takes plain text (its forum's "Workout Builder
Syntax Quick Guide", forum.intervals.icu/t/123701). A line starting with ``-``
is a step: an optional text (the step's name), a duration (``10m``, ``90s``,
``1h2m30s``, ``5'``, ``1'30"``, ``1m30``) or a distance (``2km``, ``1mi``,
``400mtr``), then targets:

- an absolute pace, ``6:30/km Pace``, or a range ``7:15-7:00/km Pace``;
- a share of threshold pace, ``80% Pace`` or ``78-82% Pace``;
- ``ramp`` before a target: the target changes steadily over the step;
- ``freeride``: no target at all.

Other lines are section headers: ``Main set 4x`` or ``4x`` make the steps below
them, up to the next blank line, a repeat block (intervals.icu does not nest
repeats). A header without steps under it is description text. Timed prompts
come before ``<!>``: ``- Settle in 33^Find your rhythm <!> 10m 6:00/km Pace``.

Heart-rate and power targets, zones (whose bounds live in intervals.icu, not in
the text) and cadences have no meaning for a treadmill's belt and are noted as
not carried over. As a convenience for treadmill users, and not intervals.icu
syntax, a speed may also be written directly: ``2.5mph``, ``12km/h``.

Threshold pace, which ``% Pace`` is a share of, is the pace a runner holds for
about an hour; this reader takes it as the athlete's 10 km race pace (worked out
from their 5 km time by Riegel's formula), since 10 km takes most runners 40 to
60 minutes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from retro_tui.coach.paces import RacePaces
from retro_tui.interchange.imported import (
    ImportedCue,
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
from retro_tui.plan.durations import format_clock
from retro_tui.plan.limits import MAX_REPEAT
from retro_tui.plan.model import KMH_PER_MPH, METRES_PER_MILE, Direction, Kind, Units
from retro_tui.tomltext import decode_toml

SOURCE_FORMAT = "intervals.icu workout text"
THRESHOLD_DISTANCE_M = 10000.0
"""Threshold pace is taken as 10 km race pace: see the module's docstring."""

_HMS = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s)?$",
    re.IGNORECASE,
)
_MINUTES_SECONDS = re.compile(r"^(?P<m>\d+)m(?P<s>\d+)$", re.IGNORECASE)  # 1m30
# 5', 30", 1'30" and 1'30: a bare number is never a duration.
_QUOTES = re.compile(r"""^(?:(?P<m>\d+)'(?:(?P<s>\d+)"?)?|(?P<only_s>\d+)")$""")
_DISTANCE = re.compile(r"^(?P<n>\d+(?:\.\d+)?)(?P<unit>km|mi|mtr)$", re.IGNORECASE)
_PACE = re.compile(
    r"^(?P<a>\d{1,2}:[0-5]\d)(?P<ua>/[a-z0-9]+)?(?:-(?P<b>\d{1,2}:[0-5]\d)(?P<ub>/[a-z0-9]+)?)?$",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"^(?P<a>\d+(?:\.\d+)?)%?(?:-(?P<b>\d+(?:\.\d+)?))?%$")
_ZONE = re.compile(r"^c?z\d+(?:-c?z?\d+)?$", re.IGNORECASE)
_WATTS = re.compile(r"^\d+(?:-\d+)?w$", re.IGNORECASE)
_CADENCE = re.compile(r"^\d+(?:-\d+)?rpm$", re.IGNORECASE)
_SPEED = re.compile(r"^(?P<n>\d+(?:\.\d+)?)(?P<unit>mph|km/h|kmh|kph)$", re.IGNORECASE)
# Bounded digit runs: int() refuses more than 4300 digits, and no count or offset needs 10.
_REPEAT_HEADER = re.compile(r"^(?P<name>.*?)\s*(?P<count>\d{1,9})\s*[x×]$", re.IGNORECASE)
_PROMPT = re.compile(r"(\d{1,9})\^")
_PACE_UNITS_M = {
    "/km": 1000.0,
    "/mi": METRES_PER_MILE,
    "/100m": 100.0,
    "/100y": 91.44,
    "/250m": 250.0,
    "/400m": 400.0,
    "/500m": 500.0,
}
_INTENSITIES = {
    "warmup": Kind.WARMUP,
    "cooldown": Kind.COOLDOWN,
    "recovery": Kind.RECOVER,
    "rest": Kind.RECOVER,
    "active": Kind.WORK,
    "interval": Kind.WORK,
}
_WARMUP = re.compile(r"\bwarm[\s-]?up\b", re.IGNORECASE)
_COOLDOWN = re.compile(r"\bcool[\s-]?down\b", re.IGNORECASE)
# Not "walk" or "easy": in retro-tui a (backward) walk is often the work itself.
_RECOVER = re.compile(r"\b(?:recover(?:y)?|rest)\b", re.IGNORECASE)


def kind_from_words(text: str | None) -> Kind | None:
    """The kind a step's or a section's words name (``Warmup``, ``Recovery jog``), if any."""
    if not text:
        return None
    if _WARMUP.search(text):
        return Kind.WARMUP
    if _COOLDOWN.search(text):
        return Kind.COOLDOWN
    return Kind.RECOVER if _RECOVER.search(text) else None


def duration_seconds(token: str) -> float | None:
    """Seconds for a duration token (``1h2m30s``, ``90s``, ``1m30``, ``5'``), else ``None``."""
    for pattern in (_MINUTES_SECONDS, _HMS, _QUOTES):
        match = pattern.match(token)
        if match and any(match.groupdict().values()):
            parts = {key: float(value) for key, value in match.groupdict().items() if value}
            seconds = parts.get("s", 0) + parts.get("only_s", 0)
            return parts.get("h", 0) * 3600 + parts.get("m", 0) * 60 + seconds
    return None


def distance_metres(token: str) -> float | None:
    match = _DISTANCE.match(token)
    if match is None:
        return None
    scale = {"km": 1000.0, "mi": METRES_PER_MILE, "mtr": 1.0}[match["unit"].lower()]
    return float(match["n"]) * scale


@dataclass
class _Section:
    line: int
    header: str | None
    repeat: int | None = None
    name: str | None = None
    steps: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Target:
    """What a step line asks for, once read."""

    start_kmh: float | None = None
    end_kmh: float | None = None
    speed_from: str = ""
    ramp: bool = False


def read_icu_text(
    data: bytes, label: str, *, units: Units, paces: RacePaces | None
) -> ImportedWorkout:
    """The workout in ``data`` (intervals.icu workout text, UTF-8), speeds in ``units``.

    ``paces`` gives threshold pace for ``% Pace``; without it a file that needs
    it raises :class:`PaceNeeded` (after any mistakes, which come first). Every
    mistake is raised together as :class:`FileProblemError` (``FILE:LINE: message``).
    """
    text = decode_toml(data, label, "workout")
    return _Reader(label, source_lines(text), units, paces).workout()


class _Reader:
    def __init__(self, label: str, lines: list[str], units: Units, paces: RacePaces | None) -> None:
        self.label = label
        self.lines = lines
        self.units = units
        self.paces = paces
        self.problems = Problems(label)
        self.notes = NoteBook()
        self.pace_wanted: int | None = None
        self.threshold_used = False
        self.clock = 0.0
        self.cues: list[TimedCue] = []

    # -- the text as sections ----------------------------------------------------------------

    def sections(self) -> tuple[list[_Section], list[tuple[int, str]]]:
        """Groups of step lines under their headers, and the lines of text that are none."""
        sections: list[_Section] = []
        free_text: list[tuple[int, str]] = []
        current: _Section | None = None

        def close() -> None:
            nonlocal current
            if current is not None:
                if current.steps:
                    sections.append(current)
                elif current.header:
                    free_text.append((current.line, current.header))
            current = None

        for number, raw in enumerate(self.lines, start=1):
            line = raw.strip()
            if not line:
                close()
            elif line.startswith("-"):
                if current is None:
                    current = _Section(number, None)
                current.steps.append((number, line[1:].strip()))
            else:
                close()  # a header right after steps starts the next section
                current = self.header(number, line.lstrip("#").strip())
        close()
        return sections, free_text

    def header(self, number: int, text: str) -> _Section:
        section = _Section(number, text)
        match = _REPEAT_HEADER.match(text)
        if match is not None:
            count = int(match["count"])
            if not 1 <= count <= MAX_REPEAT:
                self.problems.add(
                    number, f"{count}x: a plan repeats a block 1 to {MAX_REPEAT} times"
                )
                count = 1
            section.repeat = count
            section.name = step_name(match["name"].strip(" -:")) or None
        return section

    # -- the workout --------------------------------------------------------------------------

    def workout(self) -> ImportedWorkout:
        sections, free_text = self.sections()
        items: list[ImportedItem] = []
        for section in sections:
            items += self.section(section)
        self.problems.raise_any()
        if self.pace_wanted is not None:
            raise PaceNeeded(self.label, self.pace_wanted, "a pace given as a share of threshold")
        # A short first line before the steps is the workout's title, as intervals.icu's
        # own examples write it; the other free text describes it.
        name = None
        if free_text and sections and free_text[0][0] < sections[0].line:
            name = step_name(free_text[0][1])
        rest = free_text[1:] if name else free_text
        description, shortened = summary_text("\n".join(text for _, text in rest))
        if shortened:
            self.notes.add(None, "the description was shortened to 1000 characters")
        workout = ImportedWorkout(
            name=name,
            description=description,
            units=self.units,
            items=place_cues(items, self.cues, self.notes),
            source_format=SOURCE_FORMAT,
            speeds_from=self.speeds_from(),
        )
        check_limits(workout, self.problems)
        self.problems.raise_any()
        return replace(workout, notes=self.notes.notes())

    def speeds_from(self) -> tuple[str, ...]:
        if not self.threshold_used or self.paces is None:
            return ()
        return (
            "Speeds: % Pace is a share of threshold pace, taken as your 10 km race pace,",
            f"from {self.paces.describe()} by Riegel's formula, T2 = T1 x (D2/D1)^1.06.",
        )

    def section(self, section: _Section) -> list[ImportedItem]:
        start = self.clock
        steps: list[ImportedStep] = []
        for number, body in section.steps:
            made = self.step(number, body, section)
            steps += made
            # Kept as a running sum: a long text has tens of thousands of steps.
            self.clock += sum(step.duration_s for step in made)
        if section.repeat is None:
            return list(steps)
        source = source_snippet(self.lines, section.line)
        block = ImportedRepeat(section.repeat, tuple(steps), section.line, source, section.name)
        self.clock = start + item_seconds(block)
        return [block]

    # -- one step line -----------------------------------------------------------------------

    def step(self, number: int, body: str, section: _Section) -> list[ImportedStep]:
        prompts: list[tuple[int, str]] = []
        if "<!>" in body:
            written, body = body.split("<!>", 1)
            pieces = _PROMPT.split(written)
            label = pieces[0].strip()
            for offset, text in zip(pieces[1::2], pieces[2::2], strict=False):
                prompts.append((int(offset), text.strip()))
            tokens = body.split()
        else:
            tokens = body.split()
            first = next((i for i, token in enumerate(tokens) if _is_length(token)), None)
            label = " ".join(tokens[:first]) if first is not None else ""
            tokens = tokens[first:] if first is not None else []
        if not tokens or not _is_length(tokens[0]):
            self.problems.add(
                number, "no duration or distance found: a step reads like - 5m 6:30/km Pace"
            )
            return []
        length, targets = tokens[0], tokens[1:]
        target, kind = self.targets(number, targets)
        # A warm-up or cool-down section makes every step in it one, whatever the step's words.
        section_kind = kind_from_words(section.header)
        if section_kind not in (Kind.WARMUP, Kind.COOLDOWN):
            section_kind = None
        kind = kind or section_kind or kind_from_words(label) or Kind.WORK
        # The words say which way: the label, the prompts, or a word among the targets.
        backward = says_backward(label, *(text for _, text in prompts), *targets)
        if says_backward(section.header) and kind is not Kind.RECOVER:
            backward = True
        seconds = self.seconds(number, length, target)
        name = step_name(label)
        if name is None and section.repeat is None and kind_from_words(section.header) is None:
            name = step_name(section.header)
        cues: list[ImportedCue] = []
        if label and step_name(label) is None:  # too long for a name: shown as a cue instead
            prompts.insert(0, (0, label))
        for offset, text in prompts:
            cleaned = cue_text(text, number, self.notes)
            if cleaned is None:
                continue
            if offset < seconds:
                cues.append(ImportedCue(cleaned, offset))
            else:  # past the step: placed by time in the step running then
                cue = TimedCue(self.clock + offset, cleaned, number, self.clock + seconds)
                self.cues.append(cue)
        base = ImportedStep(
            kind=kind,
            direction=Direction.BACKWARD if backward else Direction.FORWARD,
            duration_s=seconds,
            line=number,
            source=source_snippet(self.lines, number),
            name=name,
            speed_kmh=target.start_kmh,
            speed_from=target.speed_from,
            cues=tuple(cues),
        )
        if target.ramp and target.start_kmh is not None and target.end_kmh is not None:
            parts = ramp_parts(seconds, target.start_kmh, target.end_kmh, self.units)
            if len(parts) == 1:
                return [replace(base, speed_kmh=parts[0][1])]
            steps = []
            part_start = 0
            for index, (part_s, speed) in enumerate(parts):
                # Each prompt goes with the part of the ramp running at its time.
                own = tuple(
                    ImportedCue(cue.text, cue.at_s - part_start)
                    for cue in cues
                    if part_start <= cue.at_s < part_start + part_s
                )
                part = f"part {index + 1} of {len(parts)} of the ramp"
                steps.append(replace(base, duration_s=part_s, speed_kmh=speed, cues=own, part=part))
                part_start += part_s
            return steps
        return [base]

    def seconds(self, number: int, length: str, target: _Target) -> int:
        """The step's whole seconds, from its duration or from its distance and pace."""
        seconds = duration_seconds(length)
        if seconds is None:
            metres = distance_metres(length) or 0.0
            if target.start_kmh is None or target.end_kmh is None:
                if self.pace_wanted is None:
                    self.problems.add(
                        number,
                        f"a {length} step needs a pace to know how long it lasts: give it one "
                        "(like 5:00/km Pace) or a time instead",
                    )
                return 1
            seconds = metres / ((target.start_kmh + target.end_kmh) / 2 / 3.6)
        if not math.isfinite(seconds):
            self.problems.add(number, f"{one_line(length, 30)[0]} is far longer than a plan can be")
            return 1
        whole = round(seconds)
        if whole <= 0:
            self.problems.add(number, f"{length} is not longer than zero seconds")
            return 1
        return whole

    def targets(self, number: int, tokens: list[str]) -> tuple[_Target, Kind | None]:
        """The speed a step's targets ask for, and the kind its ``intensity=`` names."""
        target = _Target()
        kind: Kind | None = None
        index = 0
        while index < len(tokens):
            token = tokens[index]
            after = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
            index += 1
            lowered = token.lower()
            if lowered == "ramp":
                target.ramp = True
            elif lowered == "pace":
                continue  # the word after a pace, already read
            elif lowered == "freeride":
                target = _Target(speed_from="", ramp=target.ramp)
            elif lowered.startswith("intensity="):
                kind = _INTENSITIES.get(lowered.split("=", 1)[1])
                if kind is None:
                    self.notes.add(number, f"{token} is not carried over")
            elif (match := _PACE.match(token)) is not None:
                self.pace(number, match, target)
            elif (match := _PERCENT.match(token)) is not None:
                index += self.percent(number, token, match, after, target)
            elif _ZONE.match(token):
                what = {"pace": "pace", "hr": "heart-rate"}.get(after, "power")
                index += 1 if after in ("pace", "hr") else 0
                self.notes.add(
                    number,
                    f"{what} zones are set in intervals.icu, not in the text, so {token} sets no "
                    "speed here",
                )
            elif (match := _SPEED.match(token)) is not None:
                shown = one_line(token, 30)[0]
                value = float(match["n"])
                kmh = value * KMH_PER_MPH if match["unit"].lower() == "mph" else value
                if target.ramp and target.start_kmh is not None:  # ramp 8km/h 10km/h
                    target.end_kmh = kmh
                    target.speed_from = f"a ramp from {target.speed_from} to {shown}"
                else:
                    target.start_kmh = target.end_kmh = kmh
                    target.speed_from = shown
            elif _WATTS.match(token) or lowered == "mmp":
                self.notes.add(number, "power targets have no meaning on a treadmill")
            elif _CADENCE.match(token):
                self.notes.add(
                    number, "cadence targets are not carried over: the belt sets the pace"
                )
            elif lowered == "press" and after == "lap":
                index += 1
                self.notes.add(number, "press lap: the step ends when its time is up")
            elif says_backward(token):
                pass  # the step's direction, read with its label (see step)
            else:
                shown = one_line(token, 30)[0]
                self.notes.add(number, f'"{shown}" is not understood, so it was left out')
        return target, kind

    def pace(self, number: int, match: re.Match[str], target: _Target) -> None:
        unit = (match["ub"] or match["ua"] or "").lower()
        if not unit:
            unit = "/km" if self.units is Units.KMH else "/mi"
            self.notes.add(number, f"a pace without a unit is read as per {unit[1:]}")
        if unit not in _PACE_UNITS_M:
            self.problems.add(number, f"{unit} is not a pace unit (/km, /mi, /400m, ...)")
            return
        metres = _PACE_UNITS_M[unit]
        first = _clock_seconds(match["a"])
        last = _clock_seconds(match["b"]) if match["b"] else first
        if first <= 0 or last <= 0:
            self.problems.add(number, "a pace of 0:00 is not possible")
            return
        start, end = metres / first * 3.6, metres / last * 3.6
        written = match.group(0)
        if target.ramp or first == last:
            target.start_kmh, target.end_kmh = start, end
            target.speed_from = f"{written} pace" if first == last else f"a ramp, {written} pace"
        else:
            middle = (start + end) / 2
            target.start_kmh = target.end_kmh = middle
            target.speed_from = f"the middle of {written}"
            self.notes.add(number, "a pace range runs at its middle: a treadmill holds one speed")

    def percent(
        self, number: int, token: str, match: re.Match[str], after: str, target: _Target
    ) -> int:
        """Read a percentage target; how many of the following tokens it used."""
        if after in ("hr", "lthr"):
            self.notes.add(number, "heart-rate targets are not carried over: the belt sets a speed")
            return 1
        if after != "pace":
            self.notes.add(
                number,
                f"power target {token} of FTP has no meaning on a treadmill; the step has no "
                "target speed",
            )
            return 1 if after == "mmp" else 0
        if self.paces is None:
            if self.pace_wanted is None:
                self.pace_wanted = number
            return 1
        self.threshold_used = True
        threshold = self.paces.speed_kmh(THRESHOLD_DISTANCE_M)
        low, high = float(match["a"]), float(match["b"] or match["a"])
        pace = format_clock(3600 / threshold * (1.0 if self.units is Units.KMH else KMH_PER_MPH))
        unit = "km" if self.units is Units.KMH else "mile"
        shown = f"{token} of threshold pace ({pace}/{unit})"
        if target.ramp or low == high:
            target.start_kmh, target.end_kmh = threshold * low / 100, threshold * high / 100
            target.speed_from = shown
        else:
            target.start_kmh = target.end_kmh = threshold * (low + high) / 200
            target.speed_from = f"the middle of {shown}"
            self.notes.add(number, "a pace range runs at its middle: a treadmill holds one speed")
        return 1


def _is_length(token: str) -> bool:
    return duration_seconds(token) is not None or distance_metres(token) is not None


def _clock_seconds(text: str) -> int:
    minutes, seconds = text.split(":")
    return int(minutes) * 60 + int(seconds)
