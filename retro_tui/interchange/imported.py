"""A workout read from another program's file, on its way to becoming a retro-tui plan.

``retro-tui import`` reads a Zwift ``.zwo`` file (:mod:`.zwo`) or intervals.icu's
workout text (:mod:`.icu_text`) into an :class:`ImportedWorkout`: steps and
repeat blocks in whole seconds and km/h, each remembering the line it came
from, and a list of :class:`ImportNote` saying in plain words what could not
be carried over (a cadence, a heart-rate target). :func:`plan_toml` then
writes it as plan-format TOML whose comments say which line each step came
from, so the person can compare the two files.

Speeds that the source gives relative to a race pace are worked out from the
athlete's 5 km race time (:class:`RacePaces`); the other race distances come
from it by Riegel's formula. Nothing here reads the settings: the command
passes the race time in.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from retro_tui.plan.durations import format_clock, format_duration
from retro_tui.plan.limits import (
    MAX_CUE_CHARS,
    MAX_INCLINE,
    MAX_NAME_CHARS,
    MAX_REPEAT,
    MAX_SPEED,
    MAX_STEPS,
    MAX_SUMMARY_CHARS,
    MAX_TOTAL_S,
    MIN_INCLINE,
)
from retro_tui.plan.lint import MAX_SPEED_RAISE, MIN_HOLD_S
from retro_tui.plan.model import KMH_PER_MPH, Direction, Kind, Units, from_kmh
from retro_tui.plan.skeleton import toml_string
from retro_tui.tomltext import FileProblem, FileProblemError

MAX_RAMP_PARTS = 20
"""A ramp becomes at most this many steps: a smooth enough rise to read on the screen."""

_BACKWARD_WORDS = re.compile(r"\b(?:backwards?|reverse|retro)\b", re.IGNORECASE)


def says_backward(*texts: str | None) -> bool:
    """Whether any text names backward running: backward, backwards, reverse or retro, as words.

    The readers ask it of a step's own words (its name, its text events or prompts, its
    section's header), never of the workout's name or description: a workout called
    "Retro intervals" has a forward warm-up, and turning every step around would end it
    facing backward.
    """
    return any(text and _BACKWARD_WORDS.search(text) for text in texts)


class PaceNeeded(Exception):
    """The file sets speeds relative to race paces, and no race time was given."""

    def __init__(self, label: str, line: int, what: str) -> None:
        self.label, self.line, self.what = label, line, what
        super().__init__(f"{label}:{line}: {what} needs your race pace")


# -- the imported workout ----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedCue:
    """A timed cue, ``at_s`` whole seconds into its step."""

    text: str
    at_s: int


@dataclass(frozen=True)
class ImportedStep:
    """One plain step, as the plan will hold it, and where in the source it came from."""

    kind: Kind
    direction: Direction
    duration_s: int
    line: int
    source: str
    """The source line it was read from, for the comment above the step."""
    name: str | None = None
    speed_kmh: float | None = None
    """``None``: no target speed (an open pace, or a target that does not carry over)."""
    speed_from: str = ""
    """How the speed was worked out (``0.8 x 5 km race pace``), for the comment and errors."""
    incline: float | None = None
    cues: tuple[ImportedCue, ...] = ()
    part: str = ""
    """Which part of its source element it is (``part 2 of 5 of the ramp``), if not all of it."""


@dataclass(frozen=True)
class ImportedRepeat:
    """A repeat block: its steps run in order, ``repeat`` times."""

    repeat: int
    steps: tuple[ImportedStep, ...]
    line: int
    source: str
    name: str | None = None
    part: str = ""

    @property
    def period_s(self) -> int:
        return sum(step.duration_s for step in self.steps)


ImportedItem = ImportedStep | ImportedRepeat


@dataclass(frozen=True)
class ImportNote:
    """Something of the source that the plan does not carry, and the lines it was on."""

    lines: tuple[int, ...]
    message: str

    def __str__(self) -> str:
        if not self.lines:
            return self.message
        if len(self.lines) == 1:
            return f"line {self.lines[0]}: {self.message}"
        shown = [str(line) for line in self.lines[:8]]
        more = f" and {len(self.lines) - 8} more" if len(self.lines) > 8 else ""
        where = ", ".join(shown[:-1]) + f" and {shown[-1]}" if not more else ", ".join(shown)
        return f"lines {where}{more}: {self.message}"


@dataclass(frozen=True)
class ImportedWorkout:
    """A whole imported workout: what :func:`plan_toml` writes as a plan."""

    name: str | None
    """``None``: the source had none; the command names it after the file."""
    description: str
    units: Units
    items: tuple[ImportedItem, ...]
    source_format: str
    """What the file was, for the plan's first comment: ``Zwift workout``."""
    notes: tuple[ImportNote, ...] = ()
    speeds_from: tuple[str, ...] = ()
    """Lines for the plan's header saying how speeds were worked out."""

    def expanded(self) -> Iterator[ImportedStep]:
        """Every step in the order it runs, repeat blocks written out round by round."""
        for item in self.items:
            if isinstance(item, ImportedRepeat):
                for _ in range(item.repeat):
                    yield from item.steps
            else:
                yield item

    @property
    def total_s(self) -> int:
        return sum(step.duration_s for step in self.expanded())


class NoteBook:
    """The notes of one file, one entry per message with every line it applies to."""

    def __init__(self) -> None:
        self._lines: dict[str, list[int]] = {}

    def add(self, line: int | None, message: str) -> None:
        lines = self._lines.setdefault(message, [])
        if line is not None and line not in lines:
            lines.append(line)

    def notes(self) -> tuple[ImportNote, ...]:
        found = [ImportNote(tuple(lines), message) for message, lines in self._lines.items()]
        return tuple(sorted(found, key=lambda note: note.lines[:1] or (0,)))


class Problems:
    """The mistakes found in one file, raised together as ``FILE:LINE: message``."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.found: list[FileProblem] = []

    def add(self, line: int | None, message: str) -> None:
        self.found.append(FileProblem(self.label, line, "", message))

    def raise_any(self) -> None:
        if self.found:
            raise FileProblemError(sorted(self.found, key=lambda problem: problem.line or 0))


# -- text from the source, made plan text ------------------------------------------------------


def one_line(text: str, limit: int) -> tuple[str, bool]:
    """``text`` on one line (control characters and runs of space made one space), at most
    ``limit`` characters; and whether it had to be shortened."""
    spaced = "".join(" " if unicodedata.category(char) in ("Cc", "Cs") else char for char in text)
    cleaned = " ".join(spaced.split())
    if len(cleaned) <= limit:
        return cleaned, False
    return cleaned[: limit - 1].rstrip() + "…", True


def summary_text(text: str) -> tuple[str, bool]:
    """A description as a plan's summary: line breaks and tabs kept, at most 1000 characters."""
    kept = "".join(
        char if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs") else " "
        for char in text.replace("\r\n", "\n")
    )
    lines = [line.rstrip() for line in kept.strip().splitlines()]
    cleaned = "\n".join(lines)
    if len(cleaned) <= MAX_SUMMARY_CHARS:
        return cleaned, False
    return cleaned[: MAX_SUMMARY_CHARS - 1].rstrip() + "…", True


def cue_text(text: str, line: int, notes: NoteBook) -> str | None:
    """A cue's text fit for a plan, or ``None`` when nothing is left of it."""
    cleaned, shortened = one_line(text, MAX_CUE_CHARS)
    if shortened:
        notes.add(line, f"a cue longer than {MAX_CUE_CHARS} characters was shortened")
    return cleaned or None


def step_name(text: str | None) -> str | None:
    """A step's name from source text, or ``None`` when it has none that fits one line."""
    if not text:
        return None
    cleaned, shortened = one_line(text, MAX_NAME_CHARS)
    return cleaned if cleaned and not shortened else None


def source_lines(text: str) -> list[str]:
    """``text``'s lines as an editor (and expat) counts them: only CR, LF and CRLF end one.

    ``str.splitlines`` also breaks at form feeds and Unicode separators, which would put
    every line number after one of them out of step with the file.
    """
    return re.split(r"\r\n|\r|\n", text)


def source_snippet(lines: list[str], line: int) -> str:
    """The source's line ``line`` for a comment: one line, at most 100 characters."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return one_line(text, 100)[0]


# -- ramps and cues ----------------------------------------------------------------------------


def ramp_parts(
    duration_s: int, start_kmh: float, end_kmh: float, units: Units
) -> list[tuple[int, float]]:
    """A ramp as steps: ``(seconds, km/h)`` each, whole seconds adding up to ``duration_s``.

    The plan format can't change speed within a step, and a ladder needs every rung
    the same length and speeds an exact number of ``by`` apart, which rounded speeds
    and odd durations rarely are. So a ramp becomes a few plain steps, each at the
    ramp's mean speed over its own stretch (the same distance as the ramp), as many as
    keep each rise within the safety linter's largest raise (less 0.1 for rounding)
    while holding each speed at least a minute, where the ramp is long enough.
    """
    change = abs(end_kmh - start_kmh)
    unit_kmh = KMH_PER_MPH if units is Units.MPH else 1.0
    rise_kmh = (MAX_SPEED_RAISE[units] - 0.1) * unit_kmh
    by_rise = math.ceil(change / rise_kmh - 1e-9) if change > 0 else 1
    by_hold = max(1, duration_s // MIN_HOLD_S)
    count = max(1, min(by_rise, by_hold, MAX_RAMP_PARTS))
    if change > 0 and by_hold >= 2:
        count = max(count, 2)  # a ramp long enough to climb should be seen to climb
    base, extra = divmod(duration_s, count)
    step_kmh = (end_kmh - start_kmh) / count
    return [
        (base + (1 if index < extra else 0), start_kmh + step_kmh * (index + 0.5))
        for index in range(count)
    ]


@dataclass(frozen=True)
class TimedCue:
    """A cue at ``at_s`` seconds from the start of the workout, not yet on a step."""

    at_s: float
    text: str
    line: int
    home_end_s: float
    """Where the element it was written in ends: a cue past it has to move."""


def place_cues(
    items: Iterable[ImportedItem], cues: Iterable[TimedCue], notes: NoteBook
) -> tuple[ImportedItem, ...]:
    """``items`` with every cue on the step running at its time.

    A cue past the end of the element it was written in moves into the step it
    falls in (and is noted); one after the workout's end is dropped (and noted). A
    cue that falls in one round of a repeat block splits the block, so that it
    shows in that round only: rounds with the same cues stay one block.
    """
    items = list(items)
    starts: list[float] = []
    clock = 0.0
    for item in items:
        starts.append(clock)
        clock += item_seconds(item)
    # Per item: cues of a plain step; per round and step for a block.
    on_step: dict[int, list[ImportedCue]] = {}
    on_round: dict[int, dict[int, list[tuple[int, ImportedCue]]]] = {}
    for cue in sorted(cues, key=lambda cue: cue.at_s):
        if cue.at_s < 0 or cue.at_s >= clock:
            notes.add(
                cue.line,
                f"the cue at {format_clock(cue.at_s)} comes after the workout ends "
                f"({format_clock(clock)}); left out",
            )
            continue
        if cue.at_s >= cue.home_end_s:
            notes.add(cue.line, "a cue set after its step ends is shown in the step running then")
        index = bisect_right(starts, cue.at_s) - 1
        item, offset = items[index], cue.at_s - starts[index]
        if isinstance(item, ImportedStep):
            on_step.setdefault(index, []).append(ImportedCue(cue.text, int(offset)))
            continue
        round_number, within = divmod(offset, item.period_s)
        for position, step in enumerate(item.steps):
            if within < step.duration_s:
                placed = ImportedCue(cue.text, int(within))
                on_round.setdefault(index, {}).setdefault(int(round_number), [])
                on_round[index][int(round_number)].append((position, placed))
                break
            within -= step.duration_s
    placed_items: list[ImportedItem] = []
    for index, item in enumerate(items):
        if isinstance(item, ImportedStep):
            placed_items.append(_with_cues(item, on_step.get(index, [])))
        elif index not in on_round:
            placed_items.append(item)
        else:
            placed_items += _split_rounds(item, on_round[index])
    return tuple(placed_items)


def _with_cues(step: ImportedStep, extra: list[ImportedCue]) -> ImportedStep:
    if not extra:
        return step
    return replace(step, cues=tuple(sorted((*step.cues, *extra), key=lambda cue: cue.at_s)))


def _split_rounds(
    block: ImportedRepeat, by_round: dict[int, list[tuple[int, ImportedCue]]]
) -> list[ImportedRepeat]:
    """The block as runs of rounds with the same cues, each run its own block."""
    runs: list[tuple[int, int, tuple[tuple[int, ImportedCue], ...]]] = []
    for number in range(block.repeat):
        extra = tuple(by_round.get(number, ()))
        if runs and runs[-1][2] == extra:
            first, _, _ = runs[-1]
            runs[-1] = (first, number, extra)
        else:
            runs.append((number, number, extra))
    blocks = []
    for first, last, extra in runs:
        steps = tuple(
            _with_cues(step, [cue for position, cue in extra if position == index])
            for index, step in enumerate(block.steps)
        )
        rounds = f"round {first + 1}" if first == last else f"rounds {first + 1}-{last + 1}"
        part = f"{rounds} of {block.repeat}"
        blocks.append(replace(block, repeat=last - first + 1, steps=steps, part=part))
    return blocks


# -- limits ------------------------------------------------------------------------------------


def plan_speed(speed_kmh: float, units: Units) -> float:
    """A speed in the plan's units, as the plan file writes it (to 0.1)."""
    return round(from_kmh(speed_kmh, units), 1)


def check_limits(workout: ImportedWorkout, problems: Problems, *, steps_line: int = 1) -> None:
    """Report, with the source's lines, everything that would make the plan refused.

    ``steps_line`` is where the steps were looked for, for a workout without any.
    """
    if not workout.items:
        problems.add(steps_line, "no steps retro-tui can use, so there is nothing to import")
        return
    label = workout.units.label
    for item in workout.items:
        if isinstance(item, ImportedRepeat) and not 1 <= item.repeat <= MAX_REPEAT:
            problems.add(item.line, f"repeats {item.repeat} times; a plan repeats 1 to 100 times")
        for step in item.steps if isinstance(item, ImportedRepeat) else (item,):
            where = f"{step.part}: " if step.part else ""
            if not 0 < step.duration_s <= MAX_TOTAL_S:
                problems.add(
                    step.line,
                    f"{where}a step of {_hours(step.duration_s)} is not possible; "
                    "a step lasts more than 0 seconds and at most 6 hours",
                )
            if step.speed_kmh is not None:
                speed = plan_speed(step.speed_kmh, workout.units)
                how = f" ({step.speed_from})" if step.speed_from else ""
                if speed > MAX_SPEED[workout.units]:
                    problems.add(
                        step.line,
                        f"{where}the speed works out at {speed:g} {label}{how}, faster than a "
                        f"treadmill goes (at most {MAX_SPEED[workout.units]:g} {label})",
                    )
                elif speed <= 0:
                    problems.add(
                        step.line,
                        f"{where}the speed works out at {speed:g} {label}{how}, too slow to "
                        "set on a treadmill",
                    )
            if step.incline is not None and not MIN_INCLINE <= step.incline <= MAX_INCLINE:
                problems.add(
                    step.line,
                    f"an incline of {step.incline:g} % is not possible; a treadmill goes from "
                    f"{MIN_INCLINE:g} to {MAX_INCLINE:g} %",
                )
    steps = sum(1 for _ in workout.expanded())
    if steps > MAX_STEPS:
        problems.add(
            workout.items[0].line,
            f"the workout makes {steps:,} steps; a plan has at most {MAX_STEPS:,}",
        )
    if workout.total_s > MAX_TOTAL_S:
        # Named at the part during which the six hours run out: where to cut.
        clock, over = 0, workout.items[-1]
        for item in workout.items:
            clock += item_seconds(item)
            if clock > MAX_TOTAL_S:
                over = item
                break
        problems.add(
            over.line,
            f"the workout lasts {_hours(workout.total_s)}; a plan lasts at most 6 hours, "
            "and they run out here",
        )


def _hours(seconds: int) -> str:
    """A duration for a message, however absurd: ``8h20m``, or ``more than 1000 hours``."""
    return format_duration(seconds) if seconds < 1000 * 3600 else "more than 1000 hours"


def item_seconds(item: ImportedItem) -> int:
    """How long an item runs, every round of a block counted."""
    return item.repeat * item.period_s if isinstance(item, ImportedRepeat) else item.duration_s


# -- the plan file -----------------------------------------------------------------------------


def _comment(text: str) -> str:
    """``text`` fit for a TOML comment: no control characters (tabs become spaces too)."""
    return "".join(" " if unicodedata.category(char) in ("Cc", "Cs") else char for char in text)


@dataclass
class _Writer:
    units: Units
    lines: list[str] = field(default_factory=list)

    def comment(self, text: str, indent: str = "") -> None:
        self.lines.append(f"{indent}# {_comment(text)}".rstrip())

    def step(self, step: ImportedStep, header: str, indent: str) -> None:
        where = f"from line {step.line}: {step.source}"
        self.comment(where + (f" ({step.part})" if step.part else ""), indent)
        if step.speed_from:
            self.comment(f"speed: {step.speed_from}", indent)
        self.lines.append(f"{indent}{header}")
        if step.name:
            self.lines.append(f"{indent}name = {toml_string(step.name)}")
        self.lines.append(f'{indent}kind = "{step.kind.value}"')
        self.lines.append(f'{indent}direction = "{step.direction.value}"')
        self.lines.append(f'{indent}duration = "{format_duration(step.duration_s)}"')
        if step.speed_kmh is not None:
            self.lines.append(f"{indent}speed = {plan_speed(step.speed_kmh, self.units):.1f}")
        if step.incline is not None:
            self.lines.append(f"{indent}incline = {round(step.incline, 1):.1f}")
        if step.cues:
            self.lines.append(f"{indent}cues = [")
            for cue in step.cues:
                at = format_duration(cue.at_s) if cue.at_s else "0s"
                self.lines.append(f'{indent}    {{ at = "{at}", text = {toml_string(cue.text)} }},')
            self.lines.append(f"{indent}]")
        self.lines.append("")


def plan_toml(workout: ImportedWorkout, *, source_name: str, today: date | None = None) -> str:
    """The workout as plan-format TOML, commented with where each step came from.

    The result parses with the plan loader whenever :func:`check_limits` found
    nothing, which the readers make sure of before they return a workout.
    """
    day = (today or date.today()).isoformat()
    out = _Writer(workout.units)
    out.comment(f"Imported from {source_name} ({workout.source_format}) on {day}")
    out.comment("by retro-tui import. Each step says which line of the file it came from.")
    for line in workout.speeds_from:
        out.comment(line)
    if workout.notes:
        out.comment("")
        out.comment("Not carried over as written:")
        for note in workout.notes:
            out.comment(f"  {note}")
    out.comment("")
    out.comment("Check it before you run it: retro-tui check <this file>")
    out.lines.append("")
    out.lines.append("[plan]")
    out.lines.append(f"name = {toml_string(workout.name or 'Imported workout')}")
    if workout.description:
        out.lines.append(f"summary = {toml_string(workout.description)}")
    out.lines.append(f'units = "{workout.units.value}"')
    out.lines.append("")
    for item in workout.items:
        if isinstance(item, ImportedStep):
            out.step(item, "[[step]]", "")
            continue
        where = f"from line {item.line}: {item.source}"
        out.comment(where + (f" ({item.part})" if item.part else ""))
        out.lines.append("[[step]]")
        if item.name:
            out.lines.append(f"name = {toml_string(item.name)}")
        out.lines.append(f"repeat = {item.repeat}")
        out.lines.append("")
        for step in item.steps:
            out.step(step, "[[step.step]]", "  ")
    return "\n".join(out.lines).rstrip("\n") + "\n"
