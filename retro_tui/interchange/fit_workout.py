"""A plan as a FIT workout file: what a Garmin watch (or Garmin Connect) follows step by step.

The messages, in the order of the FIT SDK's workout cookbook:

1. ``file_id``: a workout, made by a development manufacturer;
2. ``workout``: the plan's name, running on a treadmill, ``num_valid_steps``;
3. one ``workout_step`` a step, ``message_index`` counting from 0.

Each timed step lasts the plan step's time (duration type ``time``), carries the
step's kind as its intensity and, when the step has a speed, a custom speed
target in m/s around it (else the target is open). Its ``wkt_step_name`` is what
the watch shows, and watches give it little room, so names are kept to
:data:`STEP_NAME_BYTES`: a backward step is called ``BACKWARD 30s`` (the one
thing that must not be missed is that you turn around), a forward step keeps
the plan's name, cut at a word. The full name, the speed in the plan's own
units, the incline (a watch can't target incline) and the heart-rate zone to
stay in go in the step's notes.

Repeat blocks: the loader hands over the plan already expanded, each step with
the ``(round, of)`` of its enclosing blocks. The blocks are found again from
that, and a block becomes FIT repeat steps (one round written out, then a step
of duration type ``repeat_until_steps_cmplt`` pointing back to the round's
first step, ``target_value`` the number of rounds) when every round is the
same. Only one level is written that way: Garmin Connect's editor can't make
nested repeats and watches follow them unreliably, so blocks inside a repeated
block are written out in full. The outermost block is the one kept as a repeat
because it saves the most steps. A block whose rounds differ (the loader never
makes one today, but a file is no place to guess) is written out round by round,
its inner blocks again eligible to repeat.

fit-tool (a maintained FIT encoder) writes the bytes: definitions, scaling,
the header and the CRC.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    FileType,
    Intensity,
    Manufacturer,
    Sport,
    SubSport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from retro_tui.interchange.activity import speed_mps
from retro_tui.interchange.blocks import Leaf, Node, blocks_of
from retro_tui.plan.durations import format_duration
from retro_tui.plan.model import Kind, Plan, Step, Units, default_step_name

STEP_NAME_BYTES = 16
"""The longest ``wkt_step_name`` written, in UTF-8 bytes: about what a watch's
step screen shows before it cuts or scrolls."""
TEXT_BYTES = 254
"""The longest other string (workout name, notes): a FIT field holds at most 255
bytes, the terminating NUL included."""
BACKWARD = "BACKWARD"

SPEED_BAND_MPS = 0.1
SPEED_BAND_SHARE = 0.03
"""A speed target spans the step's speed plus or minus the wider of 0.1 m/s and 3 %:
the belt holds its speed, but a watch measures it (from the wrist or a foot pod,
walking backward) much less exactly, and a narrow band would only nag."""

INTENSITY_OF_KIND: dict[str, Intensity] = {
    Kind.WARMUP: Intensity.WARMUP,
    Kind.WORK: Intensity.ACTIVE,
    # rest, not the newer "recovery": every watch knows rest, and a recovery step
    # here is an easy walk the watch need not tell apart from standing still.
    Kind.RECOVER: Intensity.REST,
    Kind.COOLDOWN: Intensity.COOLDOWN,
}
"""FIT's intensity for each kind of step, in workouts and in activities' laps alike."""

# One local message type a message layout, so a repeat step (fewer fields) or an
# open-target step doesn't make fit-tool define the step message again and again.
_LOCAL_FILE_ID = 0
_LOCAL_WORKOUT = 1
_LOCAL_SPEED_STEP = 2
_LOCAL_OPEN_STEP = 3
_LOCAL_REPEAT_STEP = 4

# Strings up to a step name's size share one definition; fit-tool pads them with NULs.
_MIN_STRING_SIZE = STEP_NAME_BYTES + 1


# -- what is written, before fit-tool ---------------------------------------------------


@dataclass(frozen=True)
class TimedStep:
    """A ``workout_step`` of duration type time, as it goes into the file."""

    name: str
    notes: str
    duration_s: int
    intensity: Kind
    speed_low_mps: float | None = None
    speed_high_mps: float | None = None


@dataclass(frozen=True)
class RepeatStep:
    """Go back to step ``back_to`` until the steps from there have been done ``times`` times."""

    back_to: int
    times: int


WorkoutStep = TimedStep | RepeatStep


def fit_workout(plan: Plan, *, created: datetime | None = None) -> bytes:
    """The FIT workout file of ``plan``; ``created`` (default: now) is its ``time_created``."""
    return encode_workout(plan, workout_steps(plan), created or datetime.now(UTC))


def workout_steps(plan: Plan) -> list[WorkoutStep]:
    """The steps of ``plan``'s workout file, repeat steps included, in file order."""
    steps: list[WorkoutStep] = []
    _write_nodes(blocks_of(plan.steps, depth=0), plan.units, steps, inside_repeat=False)
    return steps


# -- the steps of the file -----------------------------------------------------------------


def _write_nodes(
    nodes: Sequence[Node], units: Units, out: list[WorkoutStep], *, inside_repeat: bool
) -> None:
    for node in nodes:
        if isinstance(node, Leaf):
            out.append(_timed_step(node.step, units))
            continue
        if not inside_repeat and len(node.rounds) > 1:
            written = [_expanded(round_nodes, units) for round_nodes in node.rounds]
            if all(steps == written[0] for steps in written[1:]):
                first = len(out)
                out.extend(written[0])
                out.append(RepeatStep(back_to=first, times=len(node.rounds)))
                continue
        for round_nodes in node.rounds:
            _write_nodes(round_nodes, units, out, inside_repeat=inside_repeat)


def _expanded(nodes: Sequence[Node], units: Units) -> list[WorkoutStep]:
    out: list[WorkoutStep] = []
    _write_nodes(nodes, units, out, inside_repeat=True)
    return out


def _timed_step(step: Step, units: Units) -> TimedStep:
    speed = speed_mps(step.speed, units)
    low = high = None
    if speed is not None:
        band = max(SPEED_BAND_MPS, speed * SPEED_BAND_SHARE)
        low, high = max(0.0, speed - band), speed + band
    return TimedStep(
        name=step_name(step),
        notes=_notes(step, units),
        duration_s=step.duration_s,
        intensity=step.kind,
        speed_low_mps=low,
        speed_high_mps=high,
    )


def step_name(step: Step) -> str:
    """The short name a watch shows: ``BACKWARD 1m30s``, or the plan's name cut at a word."""
    if step.is_backward:
        # The watch shows the time left anyway; the time in the name is a bonus
        # dropped when it doesn't fit (steps of an hour and more).
        timed = f"{BACKWARD} {format_duration(step.duration_s)}"
        return timed if _utf8_len(timed) <= STEP_NAME_BYTES else BACKWARD
    name = step.name.strip() or default_step_name(step.kind, step.direction)
    return _cut_at_word(name, STEP_NAME_BYTES)


def _notes(step: Step, units: Units) -> str:
    parts = [step.name.strip() or default_step_name(step.kind, step.direction)]
    if step.speed is not None:
        parts.append(f"{step.speed:g} {units.label}")
    if step.incline is not None:
        parts.append(f"incline {step.incline:g} %")
    if step.target_hr_zone is not None:
        # In the notes, not as the step's target: the target is the speed the belt is set
        # to, and a watch's zones are its own, not the ones retro-tui works out.
        low, high = step.target_hr_zone
        parts.append(f"heart-rate zone {low}" if low == high else f"heart-rate zones {low}-{high}")
    return _cut_to_bytes("; ".join(parts), TEXT_BYTES)


def _utf8_len(text: str) -> int:
    return len(text.encode())


def _cut_to_bytes(text: str, limit: int) -> str:
    """The longest start of ``text`` that is at most ``limit`` bytes in UTF-8 (whole characters)."""
    return text.encode()[:limit].decode(errors="ignore")


def _cut_at_word(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` bytes, at the last word boundary if that keeps half of it."""
    if _utf8_len(text) <= limit:
        return text
    cut = _cut_to_bytes(text, limit)
    if not text[len(cut)].isspace():
        space = cut.rfind(" ")
        if space >= len(cut) // 2:
            cut = cut[:space]
    return cut.rstrip(" ,;:-")


# -- the bytes -------------------------------------------------------------------------------


def encode_workout(plan: Plan, steps: Sequence[WorkoutStep], created: datetime) -> bytes:
    """``steps`` as a FIT workout file named after ``plan``."""
    builder = FitFileBuilder(auto_define=True, min_string_size=_MIN_STRING_SIZE)

    file_id = FileIdMessage(local_id=_LOCAL_FILE_ID)
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    # The same plan keeps its serial number; 0 is FIT's "invalid" for this field.
    file_id.serial_number = zlib.crc32(plan.name.encode()) or 1
    # fit-tool takes ms since 1970; FIT keeps whole seconds, and fit-tool would round
    # half a second up into the future, so the fraction is dropped here.
    file_id.time_created = int(created.timestamp()) * 1000
    builder.add(file_id)

    workout = WorkoutMessage(local_id=_LOCAL_WORKOUT)
    workout.workout_name = _cut_to_bytes(plan.name, TEXT_BYTES)
    workout.sport = Sport.RUNNING
    workout.sub_sport = SubSport.TREADMILL
    # Every workout_step message, repeat steps included, as the FIT SDK's cookbook
    # counts them (fit-tool's strict validator counts repeat steps out).
    workout.num_valid_steps = len(steps)
    builder.add(workout)

    for index, step in enumerate(steps):
        builder.add(_step_message(index, step))
    data: bytes = builder.build().to_bytes()
    return data


def _step_message(index: int, step: WorkoutStep) -> Any:
    """The fit-tool message of ``step``.

    fit-tool picks a subfield's scale from the fields already set, so the type
    (``duration_type``, ``target_type``) must be set before the value: set the
    other way round, ``duration_time = 30`` is written as 30 ms.
    """
    if isinstance(step, RepeatStep):
        message = WorkoutStepMessage(local_id=_LOCAL_REPEAT_STEP)
        message.message_index = index
        message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
        message.duration_step = step.back_to
        message.target_type = WorkoutStepTarget.OPEN
        message.target_repeat_steps = step.times
        return message

    has_speed = step.speed_low_mps is not None and step.speed_high_mps is not None
    message = WorkoutStepMessage(local_id=_LOCAL_SPEED_STEP if has_speed else _LOCAL_OPEN_STEP)
    message.message_index = index
    message.workout_step_name = step.name
    message.duration_type = WorkoutStepDuration.TIME
    message.duration_time = float(step.duration_s)  # seconds; fit-tool writes ms
    if has_speed:
        message.target_type = WorkoutStepTarget.SPEED
        message.target_value = 0  # 0: a custom range, not a speed zone
        message.custom_target_speed_low = step.speed_low_mps  # m/s; fit-tool writes mm/s
        message.custom_target_speed_high = step.speed_high_mps
    else:
        message.target_type = WorkoutStepTarget.OPEN
        message.target_value = 0
    message.intensity = INTENSITY_OF_KIND[step.intensity]
    message.notes = step.notes
    return message
