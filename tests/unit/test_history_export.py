"""CSV and JSON exports carry every field of the log and read back to the same values."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from retro_tui.history.export import (
    CSV_COLUMNS,
    sessions_from_json,
    sessions_to_csv,
    sessions_to_json,
    write_json,
)
from retro_tui.history.log import append_session
from retro_tui.history.reader import read_history
from retro_tui.history.record import ProgramSlot, SessionRecord, SessionStatus, StepRecord

PLUS_ONE = timezone(timedelta(hours=1))


def sample() -> list[SessionRecord]:
    started = datetime(2026, 11, 21, 7, 2, 11, tzinfo=PLUS_ONE)
    return [
        SessionRecord(
            id="20261121T070211-3f9c",
            plan='Retro "starter", [v2]',
            plan_file="starter.toml",
            started=started,
            ended=started + timedelta(minutes=29),
            status=SessionStatus.COMPLETED,
            steps=(
                StepRecord("Easy run", "warmup", "forward", 900, 900.0, speed=5.0),
                StepRecord(
                    "Backward",
                    "work",
                    "backward",
                    30,
                    29.5,
                    speed=2.5,
                    incline=1.0,
                    rpe=6,
                    target_rpe=5,
                ),
                StepRecord("Walk", "recover", "forward", 90, 12.25, skipped=True),
            ),
            rpe=5,
            notes="calf tight,\nthen fine; 10% better",
            planned_intervals=3,
            athlete="Ana",
            pain=2,
            pain_where="left calf",
            program=ProgramSlot("Six-week block", 2, 3, run="20261101T070000", file="six.toml"),
            suggestion="hold",
            suggestion_text="Hold: same plan next time",
            heart_rate_zone_s=(120.0, 900.5, 330.0, 12.0, 0.0),
            extra={"shoes": "old"},
        ),
        SessionRecord(
            id="20261122T180000-0001",
            plan="Rehab backward walk",
            started=datetime(2026, 11, 22, 18, 0, tzinfo=UTC),
            ended=datetime(2026, 11, 22, 18, 1, tzinfo=UTC),
            status=SessionStatus.ENDED_EARLY,
            steps=(),
            units="kmh",
        ),
    ]


def test_json_round_trips_every_field() -> None:
    sessions = sample()
    text = sessions_to_json(sessions)
    assert sessions_from_json(text) == sessions
    first = json.loads(text)[0]
    assert first["started"] == "2026-11-21T07:02:11+01:00"
    assert first["athlete"] == "Ana"
    assert first["heart_rate_zone_s"] == [120.0, 900.5, 330.0, 12.0, 0.0]
    assert "heart_rate_zone_s" not in json.loads(text)[1]  # no strap: absent
    assert first["steps"][1] == {
        "name": "Backward",
        "kind": "work",
        "direction": "backward",
        "planned_s": 30,
        "actual_s": 29.5,
        "speed": 2.5,
        "incline": 1.0,
        "rpe": 6,
        "target_rpe": 5,
        "skipped": False,
    }


def test_csv_has_one_row_per_step_and_reads_back_to_the_same_numbers() -> None:
    sessions = sample()
    rows = list(csv.DictReader(io.StringIO(sessions_to_csv(sessions))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 4  # three steps, and one row for the session without steps
    back = rows[1]
    assert back["session_id"] == "20261121T070211-3f9c"
    assert back["session_plan"] == 'Retro "starter", [v2]'
    assert back["session_notes"] == "calf tight,\nthen fine; 10% better"
    assert datetime.fromisoformat(back["session_started"]) == sessions[0].started
    assert int(back["session_rpe"]) == 5
    assert int(back["step_number"]) == 2
    assert float(back["step_actual_s"]) == 29.5
    assert float(back["step_speed"]) == 2.5
    assert int(back["step_rpe"]) == 6
    assert back["step_skipped"] == "false"
    assert json.loads(back["session_extra"]) == {"shoes": "old"}
    assert back["session_athlete"] == "Ana" and back["session_pain"] == "2"
    assert back["session_pain_where"] == "left calf"
    assert back["session_program"] == "Six-week block" and back["session_program_week"] == "2"
    assert back["session_program_session"] == "3" and back["session_suggestion"] == "hold"
    zones = [back[f"session_zone{zone}_s"] for zone in range(1, 6)]
    assert [float(seconds) for seconds in zones] == [120.0, 900.5, 330.0, 12.0, 0.0]
    assert CSV_COLUMNS[-5:] == tuple(f"session_zone{zone}_s" for zone in range(1, 6))
    assert rows[2]["step_skipped"] == "true" and float(rows[2]["step_actual_s"]) == 12.25
    assert rows[0]["step_rpe"] == "" and rows[0]["step_incline"] == ""
    empty = rows[3]
    assert empty["session_status"] == "ended early" and empty["session_units"] == "kmh"
    assert empty["step_number"] == "" and empty["step_name"] == ""
    assert all(empty[f"session_zone{zone}_s"] == "" for zone in range(1, 6))
    total = sum(float(row["step_actual_s"]) for row in rows if row["step_actual_s"])
    assert total == sum(step.actual_s for session in sessions for step in session.steps)


def test_empty_exports_are_still_valid() -> None:
    assert json.loads(sessions_to_json([])) == []
    assert sessions_to_csv([]).splitlines() == [",".join(CSV_COLUMNS)]


def test_time_in_zone_typed_over_by_hand_stays_in_the_extra_column() -> None:
    odd = dataclasses.replace(sample()[1], extra={"heart_rate_zone_s": "ten minutes"})
    (row,) = csv.DictReader(io.StringIO(sessions_to_csv([odd])))
    assert json.loads(row["session_extra"]) == {"heart_rate_zone_s": "ten minutes"}
    assert row["session_zone1_s"] == ""


def test_a_nan_typed_into_the_log_is_still_strict_json(tmp_path: Path) -> None:
    log = tmp_path / "history.toml"
    append_session(log, sample()[0])
    text = log.read_text(encoding="utf-8").replace(
        "[[session]]\n", "[[session]]\nwobble = nan\nspin = [1.0, -inf]\n", 1
    )
    log.write_text(text, encoding="utf-8")
    out = io.StringIO()
    write_json(read_history(log).sessions, out)
    [session] = json.loads(out.getvalue(), parse_constant=_refuse)
    assert session["wobble"] == "nan"
    assert session["spin"] == [1.0, "-inf"]


def _refuse(name: str) -> object:
    raise AssertionError(f"{name} is not strict JSON")
