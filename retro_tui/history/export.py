"""Sessions as JSON and CSV, for spreadsheets and scripts.

Both exports carry every field of the log, including keys this version does
not know (``extra``), so nothing is lost on the way out:

- JSON: a list of sessions, each an object with the session's keys and a
  ``steps`` list of step objects. Dates are ISO 8601 strings with their UTC
  offset. :func:`sessions_from_json` reads it back to equal records.
- CSV: one row per step run, the session's columns repeated on each of its
  rows (``session_`` prefix) so a spreadsheet can filter and pivot; a session
  without steps still gets one row. Unknown keys go in two JSON-encoded
  columns, ``session_extra`` and ``step_extra``. The seconds in each
  heart-rate zone are five columns, ``session_zone1_s`` to ``session_zone5_s``
  (empty without a heart rate); in JSON they are one list, ``heart_rate_zone_s``.

The column names and order are part of the format (``CSV_COLUMNS``); new
columns are only ever added at the end.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any, TextIO

from retro_tui.history.record import (
    SessionRecord,
    StepRecord,
    session_fields,
    session_from_table,
    step_fields,
)

SESSION_COLUMNS = (
    "id", "plan", "plan_file", "started", "ended", "status", "units",
    "rpe", "notes", "planned_intervals",
)  # fmt: skip
STEP_COLUMNS = (
    "name", "kind", "direction", "planned_s", "actual_s", "speed", "incline",
    "rpe", "target_rpe", "skipped", "plan_step",
)  # fmt: skip
# Columns added after the first release of the format: at the end, as promised.
LATER_SESSION_COLUMNS = (
    "athlete", "pain", "pain_where", "program", "program_file", "program_week",
    "program_session", "program_run", "suggestion", "suggestion_text",
)  # fmt: skip
CSV_COLUMNS = (
    *(f"session_{name}" for name in SESSION_COLUMNS),
    "step_number",
    *(f"step_{name}" for name in STEP_COLUMNS),
    "session_extra",
    "step_extra",
    *(f"session_{name}" for name in LATER_SESSION_COLUMNS),
    "session_damage",
    *(f"session_zone{zone}_s" for zone in range(1, 6)),
)
ZONE_SECONDS_KEY = "heart_rate_zone_s"
"""The session key the ``session_zone*_s`` columns spread out."""


def _jsonable(value: Any) -> Any:
    """``value`` as strict JSON takes it: date-times in ISO 8601, and a nan or infinity typed
    into the log (kept as written, and said to be damage) as its TOML text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def session_to_json(session: SessionRecord) -> dict[str, Any]:
    values = _jsonable(session_fields(session))
    values["steps"] = [_jsonable(step_fields(step)) for step in session.steps]
    if session.damage:
        values["damage"] = list(session.damage)  # what the log says is wrong with it
    return dict(values)


def sessions_to_json(sessions: Iterable[SessionRecord]) -> str:
    out = io.StringIO()
    write_json(sessions, out)
    return out.getvalue()


def write_json(sessions: Iterable[SessionRecord], out: TextIO) -> None:
    """The sessions as a JSON array to ``out``, one session at a time (memory stays flat).

    One session a line, between the array's brackets: a script can read it whole as
    JSON, or a line at a time. (Written by the standard library's C encoder, with
    date-times in ISO 8601: an indented layout would take its slow pure-Python one.)
    """
    encode = json.JSONEncoder(default=_json_default, allow_nan=False).encode
    first = True
    for session in sessions:
        values = dict(session_fields(session))
        values["steps"] = [step_fields(step) for step in session.steps]
        if session.damage:
            values["damage"] = session.damage
        try:
            text = encode(values)
        except ValueError:
            # A nan or inf typed into the log is not JSON: the slower walk writes it as text.
            text = encode(_jsonable(values))
        out.write(("[\n" if first else ",\n") + text)
        first = False
    out.write("[]\n" if first else "\n]\n")


def _json_default(value: object) -> object:
    """What the JSON encoder can't write itself: date-times, and tables held as mappings."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def sessions_from_json(text: str) -> list[SessionRecord]:
    """Read an export back (for tests and scripts); dates become datetimes again."""
    records = []
    for item in json.loads(text):
        table = dict(item)
        table["started"] = datetime.fromisoformat(table["started"])
        table["ended"] = datetime.fromisoformat(table["ended"])
        table["step"] = table.pop("steps")
        table.pop("damage", None)
        records.append(session_from_table(table))
    return records


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _extra(values: Mapping[str, Any], known: tuple[str, ...]) -> str:
    extra = {key: value for key, value in values.items() if key not in known}
    return json.dumps(_jsonable(extra), sort_keys=True) if extra else ""


def sessions_to_csv(sessions: Iterable[SessionRecord]) -> str:
    out = io.StringIO()
    write_csv(sessions, out)
    return out.getvalue()


def write_csv(sessions: Iterable[SessionRecord], out: TextIO) -> None:
    """The sessions as CSV rows to ``out``, one session at a time (memory stays flat)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for session in sessions:
        head = session_fields(session)
        session_cells = [_cell(head.get(name)) for name in SESSION_COLUMNS]
        later_cells = [_cell(head.get(name)) for name in LATER_SESSION_COLUMNS]
        later_cells.append("; ".join(session.damage))
        zones = session.heart_rate_zone_s
        later_cells += [_cell(seconds) for seconds in zones] if zones else [""] * 5
        # A value typed over by hand (kept in ``extra``) has no columns: it stays in the extra.
        in_columns = (ZONE_SECONDS_KEY,) if zones else ()
        session_extra = _extra(head, (*SESSION_COLUMNS, *LATER_SESSION_COLUMNS, *in_columns))
        steps: list[StepRecord | None] = list(session.steps) or [None]
        for number, step in enumerate(steps, start=1):
            if step is None:
                writer.writerow(
                    [
                        *session_cells,
                        "",
                        *([""] * len(STEP_COLUMNS)),
                        session_extra,
                        "",
                        *later_cells,
                    ]
                )
                continue
            values = step_fields(step)
            writer.writerow(
                [
                    *session_cells,
                    str(number),
                    *(_cell(values.get(name)) for name in STEP_COLUMNS),
                    session_extra,
                    _extra(values, STEP_COLUMNS),
                    *later_cells,
                ]
            )
