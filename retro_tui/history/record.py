"""Session records: what one workout was, as stored in the history log (format v1).

A :class:`SessionRecord` is built from a finished (or ended early) workout and
rendered as one ``[[session]]`` TOML block with a ``[[session.step]]`` table
per step run. Reading goes the other way and is forgiving: keys this version
does not know are kept in ``extra`` rather than rejected, because people edit
their logs by hand and later versions add keys.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

import tomli_w

from retro_tui.plan.durations import elapsed_shares
from retro_tui.plan.model import count_backward_intervals


class SessionStatus(StrEnum):
    """How a session ended: one word, the same on screen, in the log and in every export.

    - ``completed``: it reached the end with at least half its planned backward
      time done (half its planned time, for a plan without backward steps);
    - ``ended early``: stopped before the end, or skipped through to it;
    - ``recovered``: the program stopped (a crash, a power cut, a kill) while the
      workout ran; the session holds what its crash journal had, to within seconds.
    """

    COMPLETED = "completed"
    ENDED_EARLY = "ended early"
    RECOVERED = "recovered"


LEGACY_STATUSES = {"aborted": SessionStatus.ENDED_EARLY}
"""Words older versions wrote for a status, read as today's word."""


@dataclass(frozen=True)
class StepRecord:
    """One step run of a session."""

    name: str
    kind: str
    direction: str
    planned_s: int
    actual_s: float
    skipped: bool = False
    speed: float | None = None
    incline: float | None = None
    rpe: int | None = None
    target_rpe: int | None = None
    plan_step: int | None = None
    """Which step of the plan's timeline this was (1-based): a step run twice shares it."""
    belt_speed: float | None = None
    """What a connected treadmill really did: its average speed (session units), ..."""
    belt_incline: float | None = None
    distance_m: float | None = None
    heart_rate_avg: float | None = None
    heart_rate_max: float | None = None
    speed_by_hand: float | None = None
    """A speed the person set on the treadmill's console during the step (session units)."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_backward(self) -> bool:
        return self.direction == "backward"

    @property
    def is_backward_work(self) -> bool:
        return self.is_backward and self.kind == "work"

    @property
    def ran_backward(self) -> bool:
        """A backward step run, not skipped before half its planned time."""
        return self.is_backward and (not self.skipped or self.actual_s * 2 >= self.planned_s)


@dataclass(frozen=True)
class ProgramSlot:
    """Which session of a multi-week program a workout was.

    ``run`` tells runs of the same program apart: it is set when a program is
    started (or restarted) and carried by every session of that run.
    """

    name: str
    week: int
    session: int
    run: str = ""
    file: str = ""


@dataclass(frozen=True)
class SessionRecord:
    """One workout as it happened."""

    id: str
    plan: str
    started: datetime
    ended: datetime
    status: SessionStatus
    steps: tuple[StepRecord, ...]
    plan_file: str = ""
    units: str = "mph"
    rpe: int | None = None
    notes: str = ""
    planned_intervals: int | None = None
    athlete: str = ""
    pain: int | None = None
    """Pain during or after the session, 0-10 (0: none); ``None`` if not asked."""
    pain_where: str = ""
    program: ProgramSlot | None = None
    suggestion: str = ""
    """The change suggested for next time (a kind: longer, more, faster, hold, back)."""
    suggestion_text: str = ""
    samples: str = ""
    """The file of per-second samples from the devices, beside the log; "" if none."""
    heart_rate_zone_s: tuple[float, float, float, float, float] | None = None
    """Seconds in heart-rate zones 1 to 5 (the athlete's zones then), counted from the
    strap's readings while the workout ran; ``None`` without a heart rate or zones."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    damage: tuple[str, ...] = field(default=(), compare=False)
    """What is wrong with this session as it was read (cut, changed, a value missing):
    shown with the session, never hidden. Empty for a session read as it was saved."""
    line: int | None = field(default=None, compare=False)
    """The line of the log its ``[[session]]`` header is on, when it was read from one."""

    @property
    def active_s(self) -> float:
        return sum(step.actual_s for step in self.steps)

    @property
    def backward_s(self) -> float:
        return sum(step.actual_s for step in self.steps if step.is_backward)

    @property
    def backward_shown_s(self) -> int:
        """The backward time in whole seconds as the steps show it: the sum of the backward
        steps' shares of the session's running clock (see :func:`elapsed_shares`), so the
        backward rows of a session's detail add up to its backward time."""
        shares = elapsed_shares(step.actual_s for step in self.steps)
        pairs = zip(self.steps, shares, strict=True)
        return sum(share for step, share in pairs if step.is_backward)

    @property
    def backward_intervals(self) -> int:
        """Separate backward stretches really run, counted as plans count them.

        A backward step skipped before half its time is not counted as run, so
        "3 of 3 intervals" never includes one cut short after a few seconds. With
        plan step numbers, a step run again after "back" counts once.
        """
        if self.steps and all(step.plan_step for step in self.steps):
            numbered: dict[int, bool] = {}
            for step in self.steps:
                key = step.plan_step or 0
                numbered[key] = numbered.get(key, False) or step.ran_backward
            return count_backward_intervals(numbered[key] for key in sorted(numbered))
        return count_backward_intervals(step.ran_backward for step in self.steps)

    @property
    def ratings(self) -> list[int]:
        return [step.rpe for step in self.steps if step.rpe is not None]


def new_session_id(started: datetime) -> str:
    """Unique enough for one person's log: the start time plus 16 random bits in hex."""
    return f"{started:%Y%m%dT%H%M%S}-{secrets.token_hex(2)}"


# -- writing ---------------------------------------------------------------------------------


def _toml_value(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and math.isfinite(value):
        # Round away float noise like 29.999999999 from monotonic clock sums.
        return repr(round(value, 3))
    if isinstance(value, Mapping):
        # An inline table: tomli-w would render a table as a `[v]` header section.
        pairs = ", ".join(f"{_bare_or_quoted(k)} = {_toml_value(v)}" for k, v in value.items())
        return f"{{ {pairs} }}" if pairs else "{}"
    if isinstance(value, list | tuple):
        # On one line, like a table: tomli-w would spread it over a line an item.
        return f"[{', '.join(_toml_value(item) for item in value)}]"
    # tomli-w knows how to escape strings and format every other value.
    line = tomli_w.dumps({"v": value})
    return line.removeprefix("v = ").rstrip("\n")


def _lines(values: Mapping[str, object], indent: str) -> list[str]:
    return [
        f"{indent}{_bare_or_quoted(key)} = {_toml_value(value)}" for key, value in values.items()
    ]


def _bare_or_quoted(key: str) -> str:
    if key and all(char.isascii() and (char.isalnum() or char in "_-") for char in key):
        return key
    return tomli_w.dumps({key: 0}).rsplit(" = ", 1)[0]


def step_fields(step: StepRecord) -> dict[str, object]:
    values: dict[str, object] = {
        "name": step.name,
        "kind": step.kind,
        "direction": step.direction,
        "planned_s": step.planned_s,
        "actual_s": float(step.actual_s),
    }
    for key in ("speed", "incline", "rpe", "target_rpe", "plan_step", *MEASURED_STEP_KEYS):
        value = getattr(step, key)
        if value is not None:
            values[key] = value
    values["skipped"] = step.skipped
    values.update({key: value for key, value in step.extra.items() if key not in values})
    return values


def session_fields(session: SessionRecord) -> dict[str, object]:
    values: dict[str, object] = {
        "id": session.id,
        "plan": session.plan,
        "plan_file": session.plan_file,
        "started": session.started,
        "ended": session.ended,
        "status": str(session.status),
        "units": session.units,
    }
    if session.rpe is not None:
        values["rpe"] = session.rpe
    if session.notes:
        values["notes"] = session.notes
    if session.planned_intervals is not None:
        values["planned_intervals"] = session.planned_intervals
    if session.athlete:
        values["athlete"] = session.athlete
    if session.pain is not None:
        values["pain"] = session.pain
    if session.pain_where:
        values["pain_where"] = session.pain_where
    if session.program is not None:
        values["program"] = session.program.name
        if session.program.file:
            values["program_file"] = session.program.file
        values["program_week"] = session.program.week
        values["program_session"] = session.program.session
        if session.program.run:
            values["program_run"] = session.program.run
    if session.suggestion:
        values["suggestion"] = session.suggestion
    if session.suggestion_text:
        values["suggestion_text"] = session.suggestion_text
    if session.samples:
        values["samples"] = session.samples
    if session.heart_rate_zone_s is not None:
        values["heart_rate_zone_s"] = list(session.heart_rate_zone_s)
    values.update({key: value for key, value in session.extra.items() if key not in values})
    return values


def render_session(session: SessionRecord, table: str = "session") -> str:
    """The session as a TOML block: ``[[session]]`` then one ``[[session.step]]`` per run.

    The session's own keys end with its seal (:data:`SEAL_KEYS`): how many steps were
    saved and a digest of every value, so that a reader can tell a session cut short,
    pasted into, or edited by hand from one read as it was saved.
    """
    head = [f"[[{table}]]", *_lines(session_fields(session), "")]
    steps: list[str] = []
    for step in session.steps:
        steps += ["", f"  [[{table}.step]]", *_lines(step_fields(step), "  ")]
    # The digest is of the values as a reader will parse them, not as Python holds them
    # (floats are rounded, date-times written to the second they hold).
    parsed = tomllib.loads("\n".join(head + steps) + "\n")[table][0]
    seal = {"steps_saved": len(session.steps), "digest": seal_digest(parsed)}
    return "\n".join(head + _lines(seal, "") + steps) + "\n"


SEAL_KEYS = ("steps_saved", "digest")
"""The keys that close a session's own keys when it is saved (see :func:`render_session`)."""


def seal_digest(table: Mapping[str, Any]) -> str:
    """A short digest of a parsed session table's values, its seal left out.

    Formatting, comments and key order do not count: the values do, every one
    of them, in the steps too.
    """
    values = {key: value for key, value in table.items() if key not in SEAL_KEYS}
    text = json.dumps(
        values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_text
    )
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _json_text(value: object) -> str:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"no JSON for {type(value).__name__}")


# -- reading ---------------------------------------------------------------------------------


class RecordError(ValueError):
    """A session table that lacks what every session must have; ``key`` names the culprit."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


def _optional_number(table: Mapping[str, Any], key: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(key, f"must be a number, not {value!r}")
    return float(value)


def _optional_rpe(table: Mapping[str, Any], key: str) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise RecordError(key, f"must be a whole number 0-10, not {value!r}")
    return value


def _text(table: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        if value is None:
            raise RecordError(key, "is missing")
        raise RecordError(key, f"must be text, not {value!r}")
    return value


def _when(table: Mapping[str, Any], key: str) -> datetime:
    value = table.get(key)
    if not isinstance(value, datetime):
        raise RecordError(key, f"must be a date and time, not {value!r}")
    return value


MEASURED_STEP_KEYS = (
    "belt_speed", "belt_incline", "distance_m", "heart_rate_avg", "heart_rate_max",
    "speed_by_hand",
)  # fmt: skip
"""What devices measured during a step: written only when a device was connected."""
STEP_KEYS = {
    "name", "kind", "direction", "planned_s", "actual_s", "skipped",
    "speed", "incline", "rpe", "target_rpe", "plan_step", *MEASURED_STEP_KEYS,
}  # fmt: skip
SESSION_KEYS = {
    "id", "plan", "plan_file", "started", "ended", "status", "units",
    "rpe", "notes", "planned_intervals", "step", "athlete", "pain", "pain_where",
    "program", "program_file", "program_week", "program_session", "program_run",
    "suggestion", "suggestion_text", "samples", "heart_rate_zone_s", *SEAL_KEYS,
}  # fmt: skip
ALWAYS_WRITTEN_SESSION_KEYS = ("plan", "plan_file", "status", "units")
"""Keys every version has written for every session (besides id, started and ended,
without which there is no session): one missing means the session was damaged."""
ALWAYS_WRITTEN_STEP_KEYS = ("name", "kind", "direction", "planned_s", "actual_s", "skipped")
"""Keys every version has written for every step."""


def step_from_table(table: Mapping[str, Any], damage: list[str] | None = None) -> StepRecord:
    """A step from its parsed table; a key every step has that is missing goes in ``damage``.

    A missing actual time counts as none (0 s), never as the planned time: a step
    cut out of the log is not a step done.
    """
    missing = [key for key in ALWAYS_WRITTEN_STEP_KEYS if key not in table]
    if missing and damage is not None:
        damage.append(f"{_and(missing)} missing")
    planned = table.get("planned_s", 0)
    actual = _optional_number(table, "actual_s")
    skipped = table.get("skipped", False)
    if (
        isinstance(planned, bool)
        or not isinstance(planned, int | float)
        or (isinstance(planned, float) and not math.isfinite(planned))
    ):
        raise RecordError("planned_s", f"must be a number, not {planned!r}")
    if not isinstance(skipped, bool):
        raise RecordError("skipped", f"must be true or false, not {skipped!r}")
    target = _optional_rpe(table, "target_rpe")
    plan_step = table.get("plan_step")
    if plan_step is not None and (
        isinstance(plan_step, bool) or not isinstance(plan_step, int) or plan_step < 1
    ):
        raise RecordError("plan_step", f"must be a whole number from 1, not {plan_step!r}")
    # Measured values typed over by hand: one that is not a number stays as written.
    measured = {
        key: float(value)
        for key in MEASURED_STEP_KEYS
        if isinstance(value := table.get(key), int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    }
    return StepRecord(
        name=_text(table, "name", ""),
        kind=_text(table, "kind", "work"),
        direction=_text(table, "direction", "forward"),
        planned_s=int(planned),
        actual_s=actual if actual is not None else 0.0,
        skipped=skipped,
        speed=_optional_number(table, "speed"),
        incline=_optional_number(table, "incline"),
        rpe=_optional_rpe(table, "rpe"),
        target_rpe=target,
        plan_step=plan_step,
        **measured,
        extra={
            key: value
            for key, value in table.items()
            if key not in STEP_KEYS or (key in MEASURED_STEP_KEYS and key not in measured)
        },
    )


# Descriptive keys a person may have typed by hand: a value that is not text is kept as an
# unknown key rather than making the whole session unreadable.
_LOOSE_TEXT = ("athlete", "pain_where", "suggestion", "suggestion_text", "samples")


def _loose_text(table: Mapping[str, Any], key: str) -> str:
    value = table.get(key, "")
    return value if isinstance(value, str) else ""


def _whole_from_one(table: Mapping[str, Any], key: str) -> int:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RecordError(key, f"must be a whole number from 1, not {value!r}")
    return value


def _program_slot(table: Mapping[str, Any]) -> ProgramSlot | None:
    if "program" not in table:
        return None
    return ProgramSlot(
        name=_text(table, "program"),
        week=_whole_from_one(table, "program_week"),
        session=_whole_from_one(table, "program_session"),
        run=_text(table, "program_run", ""),
        file=_text(table, "program_file", ""),
    )


ZONE_SECONDS_DAMAGE = "heart_rate_zone_s is not five numbers of seconds: kept as written, not shown"
MOST_ZONE_SECONDS = 86_400.0
"""More than a day in one zone is a number typed over, not a session."""


def _zone_seconds(
    table: Mapping[str, Any],
) -> tuple[float, float, float, float, float] | None:
    """``heart_rate_zone_s = [s1, ..., s5]``; ``None`` if absent or not five numbers of seconds
    (a value typed over by hand: the caller keeps it as written and says so)."""
    value = table.get("heart_rate_zone_s")
    if not isinstance(value, list) or len(value) != 5:
        return None
    if not all(
        isinstance(seconds, int | float)
        and not isinstance(seconds, bool)
        and math.isfinite(seconds)
        and 0 <= seconds <= MOST_ZONE_SECONDS
        for seconds in value
    ):
        return None
    first, second, third, fourth, fifth = (float(seconds) for seconds in value)
    return (first, second, third, fourth, fifth)


def session_from_table(table: Mapping[str, Any]) -> SessionRecord:
    """A session from its parsed TOML table; raises :class:`RecordError` if it can't be one.

    A session with an id and its times is always one, even damaged: a key every
    session has that is missing, or a seal that does not match its values, is
    said in its :attr:`~SessionRecord.damage`, and nothing is made up in its place
    (a session whose status is lost is not called completed).
    """
    damage: list[str] = []
    missing = [key for key in ALWAYS_WRITTEN_SESSION_KEYS if key not in table]
    if missing:
        damage.append(f"{_and(missing)} missing")
    status_text = _text(table, "status", str(SessionStatus.ENDED_EARLY))
    try:
        status = LEGACY_STATUSES.get(status_text) or SessionStatus(status_text)
    except ValueError:
        words = ", ".join(f'"{word}"' for word in SessionStatus)
        raise RecordError("status", f"must be one of {words}, not {status_text!r}") from None
    raw_steps = table.get("step", [])
    if not isinstance(raw_steps, list) or not all(isinstance(item, dict) for item in raw_steps):
        raise RecordError("step", "must be a list of [[session.step]] tables")
    steps = []
    for number, raw in enumerate(raw_steps, start=1):
        try:
            found: list[str] = []
            steps.append(step_from_table(raw, found))
            damage += [f"step {number}: {problem}" for problem in found]
        except RecordError as error:
            raise RecordError(f"step[{number}].{error.key}", str(error).split(": ", 1)[1]) from None
    planned_intervals = table.get("planned_intervals")
    if planned_intervals is not None and (
        isinstance(planned_intervals, bool) or not isinstance(planned_intervals, int)
    ):
        raise RecordError("planned_intervals", f"must be a whole number, not {planned_intervals!r}")
    zone_seconds = _zone_seconds(table)
    odd_zones = "heart_rate_zone_s" in table and zone_seconds is None
    return SessionRecord(
        id=_text(table, "id"),
        athlete=_loose_text(table, "athlete"),
        pain=_optional_rpe(table, "pain"),
        pain_where=_loose_text(table, "pain_where"),
        program=_program_slot(table),
        suggestion=_loose_text(table, "suggestion"),
        suggestion_text=_loose_text(table, "suggestion_text"),
        samples=_loose_text(table, "samples"),
        heart_rate_zone_s=zone_seconds,
        plan=_text(table, "plan", ""),
        plan_file=_text(table, "plan_file", ""),
        started=_when(table, "started"),
        ended=_when(table, "ended"),
        status=status,
        steps=tuple(steps),
        units=_text(table, "units", "mph"),
        rpe=_optional_rpe(table, "rpe"),
        notes=_text(table, "notes", ""),
        planned_intervals=planned_intervals,
        extra={
            key: value
            for key, value in table.items()
            if key not in SESSION_KEYS
            or (key in _LOOSE_TEXT and not isinstance(value, str))
            or (key == "heart_rate_zone_s" and odd_zones)
        },
        damage=tuple(
            damage
            + _seal_damage(table, len(steps), lost=bool(damage))
            + ([ZONE_SECONDS_DAMAGE] if odd_zones else [])
        ),
    )


def _seal_damage(table: Mapping[str, Any], steps: int, *, lost: bool) -> list[str]:
    """What the session's seal says of it: nothing when it is as saved (or has no seal).

    ``lost``: keys every session has are missing, so the change is a cut, not an edit.
    """
    saved, digest = table.get("steps_saved"), table.get("digest")
    if saved is None and digest is None:
        return []  # saved before sessions were sealed: nothing to check against
    if isinstance(saved, int) and not isinstance(saved, bool) and saved != steps:
        return [f"{saved} steps were saved and {steps} are here: cut short or pasted into"]
    if digest != seal_digest(table):
        if lost:
            return ["not all it was saved with is here: cut short or damaged"]
        return ["changed since it was saved (edited by hand?): shown as it reads now"]
    return []


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def with_line(session: SessionRecord, line: int) -> SessionRecord:
    """``session`` as read from the ``[[session]]`` header on ``line``."""
    return replace(session, line=line)
