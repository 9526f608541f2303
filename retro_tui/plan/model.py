"""The plan model: a validated, frozen, flat timeline of steps.

The loader turns a TOML file into a :class:`Plan` whose ``steps`` are already
expanded (repeat blocks unrolled, speed ladders turned into one step per
speed). Each :class:`Step` keeps its :class:`Origin` so screens can say
"round 2 of 4 of Backward intervals" and errors can point back to the file.
Nothing here reads files or imports a UI framework.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Kind(StrEnum):
    WARMUP = "warmup"
    WORK = "work"
    RECOVER = "recover"
    COOLDOWN = "cooldown"


class Direction(StrEnum):
    FORWARD = "forward"
    BACKWARD = "backward"


class Units(StrEnum):
    MPH = "mph"
    KMH = "kmh"

    @property
    def label(self) -> str:
        return "mph" if self is Units.MPH else "km/h"


KMH_PER_MPH = 1.609344
"""An international mile is 1.609344 km: a speed in mph times this is in km/h."""
METRES_PER_MILE = 1000 * KMH_PER_MPH


def to_kmh(speed: float, units: Units | str) -> float:
    """A speed in ``units`` (a plan's, or a history record's ``"mph"``/``"kmh"``) in km/h."""
    return speed * KMH_PER_MPH if units == Units.MPH else speed


def from_kmh(kmh: float, units: Units | str) -> float:
    """A speed in km/h in ``units``."""
    return kmh / KMH_PER_MPH if units == Units.MPH else kmh


class Level(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


_KIND_NAMES = {
    Kind.WARMUP: "Warm-up",
    Kind.WORK: "",
    Kind.RECOVER: "Recovery",
    Kind.COOLDOWN: "Cool-down",
}


def default_step_name(kind: Kind, direction: Direction) -> str:
    """The name of an unnamed step: ``Backward``, ``Warm-up``, ``Backward recovery``."""
    if kind is Kind.WORK:
        return "Backward" if direction is Direction.BACKWARD else "Forward"
    name = _KIND_NAMES[kind]
    return f"Backward {name.lower()}" if direction is Direction.BACKWARD else name


def count_backward_intervals(backward_flags: Iterable[bool]) -> int:
    """Separate times a sequence of steps turns you around.

    A run of consecutive backward steps (a ladder, a backward work step and a
    backward recovery) is one interval. Plans, sessions and the history all
    count with this one rule, so "3 of 3 backward intervals" always adds up.
    """
    count = 0
    previous = False
    for backward in backward_flags:
        if backward and not previous:
            count += 1
        previous = backward
    return count


@dataclass(frozen=True)
class Cue:
    """A line of advice shown during a step; ``at`` seconds into the step if timed."""

    text: str
    at: int | None = None


@dataclass(frozen=True)
class Origin:
    """Where an expanded step came from in the plan file.

    ``path`` holds 0-based indices of the ``[[step]]`` tables from the top
    level down (``(1, 0)`` is the first step inside the second top-level
    step). ``rounds`` holds ``(round, of)`` for every enclosing repeat block,
    outermost first, counted from 1, and ``block_names`` their own names;
    ``rung`` is ``(rung, of)`` for a ladder. ``block`` is the nearest named block.
    """

    path: tuple[int, ...]
    line: int
    block: str | None = None
    rounds: tuple[tuple[int, int], ...] = ()
    rung: tuple[int, int] | None = None
    block_names: tuple[str | None, ...] = ()
    """The ``name`` of each enclosing repeat block (``None``: unnamed), as ``rounds``."""

    @property
    def key_path(self) -> str:
        """``step[2].step[1]`` for ``path == (1, 0)``: steps counted from 1, as a person counts."""
        return ".".join(f"step[{index + 1}]" for index in self.path)


@dataclass(frozen=True)
class Step:
    """One timed step of the expanded timeline."""

    name: str
    kind: Kind
    direction: Direction
    duration_s: int
    origin: Origin
    speed: float | None = None
    incline: float | None = None
    cues: tuple[Cue, ...] = ()
    rate: bool = False
    target_rpe: int | None = None
    target_hr_zone: tuple[int, int] | None = None
    """The heart-rate zones (1-5) to stay in, lowest and highest: ``(2, 2)`` for zone 2."""

    @property
    def is_backward(self) -> bool:
        return self.direction is Direction.BACKWARD

    @property
    def is_backward_work(self) -> bool:
        return self.is_backward and self.kind is Kind.WORK


@dataclass(frozen=True)
class Plan:
    """A validated workout plan with its steps expanded into one timeline."""

    name: str
    steps: tuple[Step, ...]
    summary: str = ""
    units: Units = Units.MPH
    level: Level | None = None
    cues: tuple[str, ...] = ()
    source: Path | None = None
    _positions: tuple[tuple[int, int], ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        # Positions ("Backward 2 of 4") are counted once, here, not on every redraw,
        # among steps of the same name, kind and direction. Ladder rungs are
        # numbered by their ladder instead, so they don't count.
        def group(step: Step) -> tuple[str, Kind, Direction]:
            return (step.name, step.kind, step.direction)

        totals: dict[tuple[str, Kind, Direction], int] = {}
        for step in self.steps:
            if step.origin.rung is None:
                totals[group(step)] = totals.get(group(step), 0) + 1
        seen: dict[tuple[str, Kind, Direction], int] = {}
        positions = []
        for step in self.steps:
            if step.origin.rung is None:
                seen[group(step)] = seen.get(group(step), 0) + 1
            positions.append((seen.get(group(step), 0), totals.get(group(step), 0)))
        object.__setattr__(self, "_positions", tuple(positions))

    @property
    def total_s(self) -> int:
        return sum(step.duration_s for step in self.steps)

    @property
    def backward_s(self) -> int:
        return sum(step.duration_s for step in self.steps if step.is_backward)

    @property
    def backward_intervals(self) -> int:
        """How many separate times the plan turns you around (see count_backward_intervals)."""
        return count_backward_intervals(step.is_backward for step in self.steps)

    def position(self, index: int) -> tuple[int, int]:
        """``(n, of)`` of step ``index`` among steps of the same name, kind and direction."""
        return self._positions[index]

    def position_label(self, index: int) -> str:
        """A label like ``Backward 2 of 4`` or ``Backward ladder, rung 3 of 5``."""
        step = self.steps[index]
        if step.origin.rung is not None:
            rung, of = step.origin.rung
            return f"{step.name}, rung {rung} of {of}"
        number, of = self.position(index)
        return step.name if of == 1 else f"{step.name} {number} of {of}"

    def where_label(self, index: int) -> str:
        """Where step ``index`` is, in the plan's own names: ``Set 2 of 2 · Backward 3 of 6``.

        Each repeat block done more than once says its round ("round 2 of 3" when it
        has no name), unless the step's own label already counts the same way.
        """
        step = self.steps[index]
        label = self.position_label(index)
        names = step.origin.block_names + (None,) * len(step.origin.rounds)
        parts = []
        for (number, of), name in zip(step.origin.rounds, names, strict=False):
            counted = f" {number} of {of}"
            if of == 1 or label.endswith(counted):
                continue
            parts.append(f"{name}{counted}" if name else f"round{counted}")
        return " · ".join([*parts, label])

    @property
    def file_label(self) -> str:
        return self.source.name if self.source else "<plan>"
