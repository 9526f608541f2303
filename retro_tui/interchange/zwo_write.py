"""A plan as a Zwift running workout (``.zwo``): the steps Zwift shows and counts down.

The file is Zwift's XML, written with the standard library (so names and cues
are escaped, never read as markup)::

    <workout_file>
      <author>retro-tui</author>
      <name>Retro starter</name>
      <description>the plan's summary</description>
      <sportType>run</sportType>
      <tags />
      <workout> ... </workout>
    </workout_file>

Speeds. A Zwift run workout gives no speeds, only shares of a reference pace
of the runner's: ``Power="0.85"`` is 85 % of the reference speed and the
``pace`` attribute says which race pace is the reference. The values, as the
zwo-editor behind zwiftworkout.com writes them (its pace menu in
src/components/Editor/WorkoutCanvas.tsx, written out as ``pace`` by
createWorkoutXml.ts in github.com/breiko83/zwo-editor): 0 = 1 mile pace,
1 = 5 km, 2 = 10 km, 3 = half marathon, 4 = marathon. (One blog post, "Why the
ZWO format sucks", counts them from 1 instead; Zwift's own workouts use 0 to 3,
and 0 on every cycling workout, which fits counting from 0.) Here the reference
is always the 5 km pace (``pace="1"``), given as a speed in the plan's units.
A share is the step's speed over the reference speed, rounded to the nearest
hundredth (halves up) and at least 0.01, so a reader that multiplies it by the
same reference gets the plan's speed back within half a hundredth of the
reference speed (0.04 mph for a 7.5 mph reference).

Steps. Each step is a ``SteadyState`` of its ``Duration`` in seconds; a step
without a speed is a ``FreeRide`` (run as you like). Repeat blocks are found
again as the FIT workout writer finds them (:mod:`.fit_workout`). Zwift has one
kind of repeat only, ``IntervalsT``: a number of rounds of an "on" step and an
"off" step. A block whose rounds are all the same pair of steps with speeds
becomes one; any other block is written out round by round (its inner blocks
again eligible), because Zwift can't repeat anything else.

Direction. Zwift doesn't know you can face backward, so each backward step
starts with the text event ``BACKWARD: <step name>``, and a forward step right
after a backward one with ``Turn to face forward: <step name>``. A step's cues
follow: timed ones at their ``at``, plain ones at the start of the step. Text
events sit inside their element with offsets from its start; in an
``IntervalsT`` that is the start of the first round, so every round's events
are written, each at its own time.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

# The blocks are found exactly as the FIT workout writer finds them, so the two
# files of one plan repeat the same things.
from retro_tui.interchange.blocks import Block, Leaf, Node, blocks_of
from retro_tui.plan.model import Plan, Step

AUTHOR = "retro-tui"
SPORT = "run"
FIVE_KM_PACE = "1"
"""Zwift's ``pace`` value for "a share of your 5 km pace" (see the module's docstring)."""
BACKWARD_PREFIX = "BACKWARD: "
FORWARD_AGAIN_PREFIX = "Turn to face forward: "
MIN_SHARE_HUNDREDTHS = 1
"""The slowest share written, 0.01: a 0.00 would read as no speed at all."""


class ReferencePaceNeeded(ValueError):
    """The plan has speeds, and a .zwo file can only give them as shares of a reference pace."""


# -- what is written, before the XML ----------------------------------------------------------


@dataclass(frozen=True)
class TextEvent:
    """A message Zwift shows ``offset_s`` seconds into its element."""

    offset_s: int
    message: str


@dataclass(frozen=True)
class SteadyState:
    """One plan step: ``share`` of the reference speed, or ``None`` for a FreeRide."""

    duration_s: int
    share: str | None
    events: tuple[TextEvent, ...]


@dataclass(frozen=True)
class IntervalsT:
    """``repeat`` rounds of an on step and an off step, with every round's events."""

    repeat: int
    on_s: int
    off_s: int
    on_share: str
    off_share: str
    events: tuple[TextEvent, ...]


Interval = SteadyState | IntervalsT


def zwo_workout(plan: Plan, reference_speed: float | None = None) -> str:
    """The ``.zwo`` XML of ``plan``, speeds as shares of ``reference_speed``.

    ``reference_speed`` is the runner's 5 km race pace as a speed in the plan's
    units; it is needed when any step has a speed (else
    :class:`ReferencePaceNeeded`), and must be above zero.
    """
    return workout_xml(plan, workout_intervals(plan, reference_speed))


def needs_reference(plan: Plan) -> bool:
    """Whether ``plan`` has a speed anywhere, so its .zwo file needs a reference pace."""
    return any(step.speed is not None for step in plan.steps)


def workout_intervals(plan: Plan, reference_speed: float | None = None) -> list[Interval]:
    """The elements of ``plan``'s ``<workout>``, in file order."""
    if reference_speed is not None and not (math.isfinite(reference_speed) and reference_speed > 0):
        raise ValueError(f"a reference speed must be above zero, not {reference_speed}")
    if reference_speed is None and needs_reference(plan):
        raise ReferencePaceNeeded(
            f"{plan.name!r} has target speeds, and a .zwo file gives them as shares of "
            "your 5 km race pace: a reference pace is needed"
        )
    writer = _Writer(reference_speed or 1.0)
    writer.write_nodes(blocks_of(plan.steps, depth=0))
    return writer.out


def share_of(speed: float, reference_speed: float) -> str:
    """``speed`` as Zwift's share of ``reference_speed``: ``"0.85"``, to the nearest 0.01."""
    hundredths = max(MIN_SHARE_HUNDREDTHS, math.floor(speed / reference_speed * 100 + 0.5))
    return f"{hundredths / 100:.2f}"


# -- from plan steps to intervals ---------------------------------------------------------------


def _step_key(step: Step) -> tuple[object, ...]:
    """What makes two rounds' steps the same step (where they sit in the plan aside)."""
    return (
        step.name,
        step.kind,
        step.direction,
        step.duration_s,
        step.speed,
        step.incline,
        step.cues,
    )


def _plain_steps(nodes: Sequence[Node]) -> list[Step] | None:
    """The steps of one round when it holds no block, else ``None``."""
    steps = [node.step for node in nodes if isinstance(node, Leaf)]
    return steps if len(steps) == len(nodes) else None


def _on_off_pair(block: Block) -> tuple[Step, Step] | None:
    """The on and off step of ``block`` if it can be an IntervalsT, else ``None``."""
    if len(block.rounds) < 2:
        return None
    rounds = [_plain_steps(round_nodes) for round_nodes in block.rounds]
    first = rounds[0]
    if first is None or len(first) != 2:
        return None
    keys = [_step_key(step) for step in first]
    if any(steps is None or [_step_key(step) for step in steps] != keys for steps in rounds):
        return None
    on, off = first
    if on.speed is None or off.speed is None:
        return None  # an IntervalsT has a target on both halves; a FreeRide has none
    return on, off


class _Writer:
    """Walks the plan's blocks in order, remembering whether the last step faced backward."""

    def __init__(self, reference_speed: float) -> None:
        self.reference_speed = reference_speed
        self.out: list[Interval] = []
        self.after_backward = False

    def write_nodes(self, nodes: Sequence[Node]) -> None:
        for node in nodes:
            if isinstance(node, Leaf):
                self.out.append(self._steady(node.step))
                continue
            pair = _on_off_pair(node)
            if pair is not None:
                self.out.append(self._intervals(len(node.rounds), *pair))
                continue
            for round_nodes in node.rounds:
                self.write_nodes(round_nodes)

    def _share(self, speed: float | None) -> str | None:
        return None if speed is None else share_of(speed, self.reference_speed)

    def _events(self, step: Step, start_s: int = 0) -> list[TextEvent]:
        """``step``'s text events, offsets counted from ``start_s`` before the step starts."""
        events = []
        if step.is_backward:
            events.append(TextEvent(start_s, BACKWARD_PREFIX + step.name))
        elif self.after_backward:
            events.append(TextEvent(start_s, FORWARD_AGAIN_PREFIX + step.name))
        # Sorted by time, the turn first: Zwift shows messages in the order they come.
        cues = sorted(step.cues, key=lambda cue: cue.at or 0)
        events.extend(TextEvent(start_s + (cue.at or 0), cue.text) for cue in cues)
        self.after_backward = step.is_backward
        return events

    def _steady(self, step: Step) -> SteadyState:
        share = self._share(step.speed)
        return SteadyState(step.duration_s, share, tuple(self._events(step)))

    def _intervals(self, repeat: int, on: Step, off: Step) -> IntervalsT:
        events: list[TextEvent] = []
        round_s = on.duration_s + off.duration_s
        for round_index in range(repeat):
            events += self._events(on, round_index * round_s)
            events += self._events(off, round_index * round_s + on.duration_s)
        return IntervalsT(
            repeat=repeat,
            on_s=on.duration_s,
            off_s=off.duration_s,
            # Both have a speed (_on_off_pair makes sure); the 0.0 only satisfies the type.
            on_share=share_of(on.speed or 0.0, self.reference_speed),
            off_share=share_of(off.speed or 0.0, self.reference_speed),
            events=tuple(events),
        )


# -- the XML ----------------------------------------------------------------------------------


def workout_xml(plan: Plan, intervals: Sequence[Interval]) -> str:
    """``intervals`` as a .zwo file named after ``plan``, with an XML declaration."""
    root = ET.Element("workout_file")
    ET.SubElement(root, "author").text = AUTHOR
    ET.SubElement(root, "name").text = plan.name
    ET.SubElement(root, "description").text = plan.summary
    ET.SubElement(root, "sportType").text = SPORT
    ET.SubElement(root, "tags")
    workout = ET.SubElement(root, "workout")
    for interval in intervals:
        _add_interval(workout, interval)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _add_interval(workout: ET.Element, interval: Interval) -> None:
    # Attributes in the order Zwift's own files give them.
    if isinstance(interval, IntervalsT):
        element = ET.SubElement(
            workout,
            "IntervalsT",
            {
                "Repeat": str(interval.repeat),
                "OnDuration": str(interval.on_s),
                "OffDuration": str(interval.off_s),
                "OnPower": interval.on_share,
                "OffPower": interval.off_share,
                "pace": FIVE_KM_PACE,
            },
        )
    elif interval.share is None:
        element = ET.SubElement(workout, "FreeRide", {"Duration": str(interval.duration_s)})
    else:
        element = ET.SubElement(
            workout,
            "SteadyState",
            {"Duration": str(interval.duration_s), "Power": interval.share, "pace": FIVE_KM_PACE},
        )
    for event in interval.events:
        ET.SubElement(
            element, "textevent", {"timeoffset": str(event.offset_s), "message": event.message}
        )
