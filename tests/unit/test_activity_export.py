"""Sessions as FIT and TCX activities, read back by decoders that are not ours.

Every FIT file is read by fitdecode (with its CRC check) and by the Garmin FIT
SDK's own decoder (with its integrity check); every TCX file by ElementTree,
its elements checked against the order the TCX v2 schema sets, and every
trackpoint for the time Strava needs.
"""

from __future__ import annotations

import contextlib
import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from garmin_fit_sdk import Decoder, Stream
from hypothesis import given, settings
from hypothesis import strategies as st

from retro_tui.cli import main
from retro_tui.history.log import append_session
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord
from retro_tui.interchange.activity import Activity, activity_of, file_stem, speed_mps
from retro_tui.interchange.fit_activity import fit_activity
from retro_tui.interchange.tcx import EXT_NS, TCX_NS, tcx_activity

TZ = timezone(timedelta(hours=1))
START = datetime(2026, 11, 21, 7, 2, 11, tzinfo=TZ)


def steps(*runs: tuple[str, str, float, float | None]) -> tuple[StepRecord, ...]:
    """Step records from (name, direction, seconds, speed) in mph."""
    made = []
    for name, direction, seconds, speed in runs:
        kind = "work" if direction == "backward" else "warmup"
        made.append(StepRecord(name, kind, direction, round(seconds), seconds, speed=speed))
    return tuple(made)


STARTER_RUNS = steps(
    ("Easy run", "forward", 60.0, 5.0),
    ("Backward 1", "backward", 30.0, 2.0),
    ("Recovery walk", "forward", 45.5, 3.0),
)


def a_session(runs: tuple[StepRecord, ...] = STARTER_RUNS, **fields: Any) -> SessionRecord:
    seconds = sum(step.actual_s for step in runs)
    values: dict[str, Any] = {
        "id": "20261121T070211-3f9c",
        "plan": "Retro starter",
        "started": START,
        "ended": START + timedelta(seconds=seconds + 20),
        "status": SessionStatus.COMPLETED,
        "steps": runs,
        "rpe": 6,
    }
    values.update(fields)
    return SessionRecord(**values)


def sample_rows(session: SessionRecord, *, bpm: int = 120) -> list[dict[str, str]]:
    """A sample a second, as the devices write them: the belt a little under the plan."""
    rows = []
    at = session.started
    for number, step in enumerate(session.steps, start=1):
        for second in range(round(step.actual_s)):
            kmh = (step.speed or 0.0) * 1.609344 * 0.98
            rows.append(
                {
                    "time": (at + timedelta(seconds=second)).isoformat(),
                    "elapsed_s": "0",
                    "step": str(number),
                    "speed_kmh": f"{kmh:.2f}",
                    "incline_pct": "1.0",
                    "distance_m": "",
                    "heart_rate_bpm": str(bpm + second % 5),
                    "cadence_spm": "150",
                }
            )
        at += timedelta(seconds=step.actual_s)
    return rows


# -- decoding ------------------------------------------------------------------------------


def garmin_messages(data: bytes) -> dict[str, list[dict[str, Any]]]:
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    assert decoder.is_fit()
    assert decoder.check_integrity()
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    messages, errors = decoder.read()
    assert errors == []
    return dict(messages)


def fitdecode_names(data: bytes) -> list[str]:
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        return [frame.name for frame in reader if isinstance(frame, fitdecode.FitDataMessage)]


def check_fit(activity: Activity) -> dict[str, list[dict[str, Any]]]:
    """Decode ``activity``'s FIT file twice and check what every activity file must hold."""
    data = fit_activity(activity)
    names = fitdecode_names(data)
    assert names[0] == "file_id"
    assert names[-2:] == ["session", "activity"]
    assert names.count("lap") == len(activity.laps)
    if "lap" in names:  # each lap comes after its records: no record after the last lap
        assert "record" not in names[len(names) - names[::-1].index("lap") :]
    messages = garmin_messages(data)
    records = messages.get("record_mesgs", [])
    times = [record["timestamp"] for record in records]
    assert times == sorted(times) and len(set(times)) == len(times)
    distances = [record["distance"] for record in records]
    assert distances == sorted(distances)
    laps = messages.get("lap_mesgs", [])
    assert [lap["total_timer_time"] for lap in laps] == pytest.approx(
        [lap.seconds for lap in activity.laps], abs=0.001
    )
    session = messages["session_mesgs"][0]
    assert session["sub_sport"] == "treadmill"
    assert session["total_timer_time"] == pytest.approx(activity.session.active_s, abs=0.01)
    assert session["num_laps"] == len(activity.laps)
    assert session["total_distance"] == pytest.approx(activity.distance_m, abs=0.05)
    assert messages["activity_mesgs"][0]["num_sessions"] == 1
    return messages


def test_a_session_without_devices_is_estimated_from_the_plan() -> None:
    activity = activity_of(a_session())
    assert not activity.measured
    assert "estimated" in activity.notes
    assert [lap.step.name for lap in activity.laps] == ["Easy run", "Backward 1", "Recovery walk"]
    assert [lap.start for lap in activity.laps] == [
        START,
        START + timedelta(seconds=60),
        START + timedelta(seconds=90),
    ]
    # The distance is each step's planned speed for its real time.
    expected = sum((speed_mps(step.speed, "mph") or 0) * step.actual_s for step in STARTER_RUNS)
    assert activity.distance_m == pytest.approx(expected, abs=0.05)
    assert activity.laps[1].title == "BACKWARD · Backward 1"
    assert not activity.running  # about 3.6 mph on average: a walk


def test_the_fit_file_of_an_estimated_session_decodes_cleanly() -> None:
    activity = activity_of(a_session())
    messages = check_fit(activity)
    steps_written = messages["workout_step_mesgs"]
    assert [step["wkt_step_name"] for step in steps_written] == [
        "forward · Easy run",
        "BACKWARD · Backward 1",
        "forward · Recovery walk",
    ]
    assert "estimated" in messages["workout_mesgs"][0]["wkt_description"]
    assert [lap["wkt_step_index"] for lap in messages["lap_mesgs"]] == [0, 1, 2]
    assert "heart_rate" not in messages["record_mesgs"][0]
    assert messages["session_mesgs"][0]["sport"] == "walking"


def test_a_session_with_samples_carries_the_belt_and_the_heart() -> None:
    session = a_session(samples="samples/20261121T070211-3f9c.csv")
    rows = sample_rows(session)
    activity = activity_of(session, rows)
    assert activity.measured
    assert "as the devices recorded them" in activity.notes
    assert activity.laps[1].avg_heart_rate is not None
    messages = check_fit(activity)
    records = messages["record_mesgs"]
    assert len(records) == len(rows)  # a sample a whole second
    assert records[0]["heart_rate"] == 120
    assert records[0]["cadence"] == 75  # one foot: half the steps a minute
    assert records[0]["speed"] == pytest.approx(5 * 1.609344 * 0.98 / 3.6, abs=0.002)
    assert messages["session_mesgs"][0]["max_heart_rate"] == 124


def test_samples_that_pause_move_the_laps_to_when_the_steps_ran() -> None:
    session = a_session()
    rows = sample_rows(session)
    # A two-minute pause before the backward interval: its samples come later.
    for row in rows[60:]:
        row["time"] = (datetime.fromisoformat(row["time"]) + timedelta(minutes=2)).isoformat()
    activity = activity_of(session, rows)
    assert activity.laps[1].start == START + timedelta(seconds=180)
    check_fit(activity)


@pytest.mark.parametrize(
    "broken",
    [
        {"time": "yesterday"},
        {"speed_kmh": "fast"},
        {"speed_kmh": "-3"},
        {"heart_rate_bpm": "nan"},
        {"step": ""},
    ],
)
def test_damaged_sample_rows_cost_only_themselves(broken: dict[str, str]) -> None:
    session = a_session()
    rows = sample_rows(session)
    rows[10].update(broken)
    activity = activity_of(session, rows)
    assert activity.measured
    check_fit(activity)


def test_samples_with_no_reading_at_all_fall_back_to_the_plan() -> None:
    session = a_session()
    rows = [dict(row, speed_kmh="", heart_rate_bpm="") for row in sample_rows(session)]
    assert not activity_of(session, rows).measured


def test_a_step_skipped_before_it_ran_is_no_lap() -> None:
    runs = (*STARTER_RUNS[:2], StepRecord("Backward 2", "work", "backward", 30, 0.0, skipped=True))
    activity = activity_of(a_session(runs))
    assert len(activity.laps) == 2
    check_fit(activity)


def test_an_empty_session_still_makes_a_valid_fit_file() -> None:
    activity = activity_of(a_session(()))
    assert activity.laps == ()
    names = fitdecode_names(fit_activity(activity))
    assert names[0] == "file_id" and names[-1] == "activity"


def test_file_names_come_from_the_session_and_are_safe_anywhere() -> None:
    session = a_session(plan="Ana's / rehab: week 1")
    assert file_stem(session) == "2026-11-21-0702-ana-s-rehab-week-1-3f9c"


# -- TCX -----------------------------------------------------------------------------------

ACTIVITY_ORDER = ["Id", "Lap", "Notes", "Training", "Creator", "Extensions"]
LAP_ORDER = [
    "TotalTimeSeconds",
    "DistanceMeters",
    "MaximumSpeed",
    "Calories",
    "AverageHeartRateBpm",
    "MaximumHeartRateBpm",
    "Intensity",
    "Cadence",
    "TriggerMethod",
    "Track",
    "Notes",
    "Extensions",
]
TRACKPOINT_ORDER = [
    "Time",
    "Position",
    "AltitudeMeters",
    "DistanceMeters",
    "HeartRateBpm",
    "Cadence",
    "SensorState",
    "Extensions",
]
"""The sequences of Activity_t, ActivityLap_t and Trackpoint_t in TrainingCenterDatabasev2.xsd."""


def local(element: ET.Element) -> str:
    return element.tag.split("}", 1)[1]


def in_schema_order(element: ET.Element, order: list[str], required: set[str]) -> None:
    names = [local(child) for child in element]
    assert set(names) <= set(order), names
    assert names == sorted(names, key=order.index), names
    assert required <= set(names), names


def check_tcx(activity: Activity) -> ET.Element:
    root = ET.fromstring(tcx_activity(activity))
    ns = {"t": TCX_NS, "x": EXT_NS}
    (element,) = root.findall("t:Activities/t:Activity", ns)
    assert element.get("Sport") == "Running"
    in_schema_order(element, ACTIVITY_ORDER, {"Id", "Lap"})
    laps = element.findall("t:Lap", ns)
    assert len(laps) == len(activity.laps)
    for lap, expected in zip(laps, activity.laps, strict=True):
        in_schema_order(lap, LAP_ORDER, {"TotalTimeSeconds", "DistanceMeters", "Calories",
                                         "Intensity", "TriggerMethod"})  # fmt: skip
        assert datetime.fromisoformat(lap.get("StartTime", "")) == expected.start
        assert float(lap.findtext("t:TotalTimeSeconds", "", ns)) == pytest.approx(
            expected.seconds, abs=0.001
        )
        for point in lap.findall("t:Track/t:Trackpoint", ns):
            in_schema_order(point, TRACKPOINT_ORDER, {"Time"})
    times = [datetime.fromisoformat(t.text or "") for t in root.iter(f"{{{TCX_NS}}}Time")]
    assert len(times) == len(activity.points)
    assert all(time.tzinfo is not None for time in times)
    assert times == sorted(times)
    return element


def test_the_tcx_file_keeps_the_schema_order_and_a_time_on_every_trackpoint() -> None:
    element = check_tcx(activity_of(a_session()))
    notes = [lap.findtext(f"{{{TCX_NS}}}Notes") for lap in element.findall(f"{{{TCX_NS}}}Lap")]
    assert notes[1] == "BACKWARD · Backward 1 · planned 0:30, ran 0:30"
    assert "estimated" in (element.findtext(f"{{{TCX_NS}}}Notes") or "")


def test_the_tcx_file_of_a_measured_session_has_heart_rate_and_speed() -> None:
    session = a_session()
    element = check_tcx(activity_of(session, sample_rows(session)))
    point = element.find(f".//{{{TCX_NS}}}Trackpoint")
    assert point is not None
    assert point.findtext(f"{{{TCX_NS}}}HeartRateBpm/{{{TCX_NS}}}Value") == "120"
    assert point.find(f".//{{{EXT_NS}}}Speed") is not None
    assert point.findtext(f".//{{{EXT_NS}}}RunCadence") == "75"


def test_text_from_the_history_is_escaped_never_markup_or_xml() -> None:
    session = a_session(notes="calf <tight> & sore ]]> [b]x[/b]", plan="A < B")
    element = check_tcx(activity_of(session))
    assert "calf <tight> & sore ]]> [b]x[/b]" in (element.findtext(f"{{{TCX_NS}}}Notes") or "")


# -- any session ---------------------------------------------------------------------------

step_runs = st.lists(
    st.tuples(
        st.sampled_from(["forward", "backward"]),
        st.floats(min_value=0.0, max_value=40.0, allow_nan=False).map(lambda s: round(s, 3)),
        st.one_of(st.none(), st.floats(min_value=0.5, max_value=12.0).map(lambda v: round(v, 1))),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(step_runs, st.booleans())
def test_any_session_exports_files_the_decoders_read(
    runs: list[tuple[str, float, float | None]], sampled: bool
) -> None:
    records = steps(*[(f"Step {n}", d, s, v) for n, (d, s, v) in enumerate(runs)])
    session = a_session(records)
    activity = activity_of(session, sample_rows(session) if sampled else None)
    assert sum(lap.seconds for lap in activity.laps) == pytest.approx(session.active_s)
    check_fit(activity)
    if activity.laps:  # TCX needs a lap; a session with none is not exported at all
        check_tcx(activity)


def test_times_in_utc_and_in_other_zones_mean_the_same_moment() -> None:
    utc = a_session(started=START.astimezone(UTC), ended=START.astimezone(UTC))
    assert activity_of(utc).laps[0].start == activity_of(a_session()).laps[0].start


# -- retro-tui export ----------------------------------------------------------------------


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """Three sessions a day apart; the second with samples from the devices beside the log."""
    path = tmp_path / "history.toml"
    for number in range(3):
        session = a_session(
            id=f"20261121T07021{number}-000{number}",
            started=START + timedelta(days=number),
            ended=START + timedelta(days=number, minutes=3),
            plan="Rehab backward walk" if number == 0 else "Retro starter",
            samples="samples/second.csv" if number == 1 else "",
        )
        append_session(path, session)
        if number == 1:
            folder = tmp_path / "samples"
            folder.mkdir()
            rows = sample_rows(session)
            with open(folder / "second.csv", "w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
    return path


def export(log: Path, *words: str) -> int:
    return main(["--history", str(log), "export", *words])


def test_export_writes_the_last_session_as_fit_and_tcx_here(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "here"
    out.mkdir()
    monkeypatch.chdir(out)
    assert export(log) == 0
    names = sorted(path.name for path in out.iterdir())
    assert names == [
        "2026-11-23-0702-retro-starter-0002.fit",
        "2026-11-23-0702-retro-starter-0002.tcx",
    ]
    assert capsys.readouterr().out.split() == [str(Path(name)) for name in names]
    garmin_messages((out / names[0]).read_bytes())
    ET.fromstring((out / names[1]).read_bytes())


def test_export_by_filters_writes_every_session_that_passes(log: Path, tmp_path: Path) -> None:
    assert export(log, "--plan", "starter", "--fit", "-o", str(tmp_path / "fit")) == 0
    files = sorted((tmp_path / "fit").iterdir())
    assert [path.suffix for path in files] == [".fit", ".fit"]
    measured = garmin_messages(files[0].read_bytes())
    assert measured["record_mesgs"][0]["heart_rate"] == 120  # the samples beside the log


def test_export_by_id_to_stdout(log: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert export(log, "20261121T070210-0000", "--tcx", "-o", "-") == 0
    root = ET.fromstring(capsysbinary.readouterr().out)
    assert "Rehab backward walk" in "".join(root.itertext())


@pytest.mark.parametrize(
    ("words", "status", "said"),
    [
        (["nope"], 1, "no session nope in"),
        (["--plan", "zzz"], 1, "passes those filters"),
        (["20261121T070210-0000", "--last"], 2, "not both"),
        (["--last", "-o", "-"], 2, "-o - writes one file"),
        (["--since", "2026-13-01"], 2, "is not a date"),
    ],
)
def test_export_says_what_is_wrong_in_plain_words(
    log: Path, words: list[str], status: int, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with contextlib.suppress(SystemExit):
        assert export(log, *words) == status
    err = capsys.readouterr().err
    assert said in err
    assert "Traceback" not in err


def test_export_into_a_folder_it_cannot_write_says_so(
    log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert export(log, "-o", str(blocker / "inside")) == 1
    assert "cannot write" in capsys.readouterr().err


def test_an_empty_log_has_nothing_to_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export(tmp_path / "none.toml") == 1
    assert "no session in" in capsys.readouterr().err


def test_a_step_ending_part_way_through_a_second_keeps_its_own_metres() -> None:
    # 4.407 s at 3.9 mph, then 3 s without a speed: the first lap has all 7.68 m.
    started = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)
    session = SessionRecord(
        id="20261101T070000-a1b2",
        plan="Short",
        started=started,
        ended=started + timedelta(seconds=7.407),
        status=SessionStatus.ENDED_EARLY,
        steps=(
            StepRecord("Walk", "work", "forward", 60, 4.407, speed=3.9, plan_step=1),
            StepRecord("Own pace", "work", "forward", 60, 3.0, plan_step=2),
        ),
        rpe=3,
    )
    activity = activity_of(session)
    first, second = activity.laps
    assert first.distance_m == pytest.approx(3.9 * 0.44704 * 4.407, abs=0.01)
    assert first.avg_speed_mps == pytest.approx(3.9 * 0.44704, abs=0.005)
    assert second.distance_m == 0.0 and second.avg_speed_mps is None
    messages = garmin_messages(fit_activity(activity))
    seconds = [record["timestamp"] for record in messages["record_mesgs"]]
    assert seconds == sorted(set(seconds))  # still one record a second
    assert [lap["total_distance"] for lap in messages["lap_mesgs"]] == pytest.approx(
        [7.68, 0.0], abs=0.01
    )


def test_the_time_in_each_heart_rate_zone_goes_in_the_fit_file() -> None:
    zones = (30.0, 75.5, 30.0, 0.0, 0.0)
    session = a_session(samples="samples/20261121T070211-3f9c.csv", heart_rate_zone_s=zones)
    activity = activity_of(session, sample_rows(session))
    messages = check_fit(activity)
    (in_zone,) = messages["time_in_zone_mesgs"]
    assert in_zone["reference_mesg"] == "session"
    assert in_zone["reference_index"] == 0
    assert in_zone["time_in_hr_zone"] == pytest.approx(list(zones), abs=0.001)
    assert "time_in_zone" in fitdecode_names(fit_activity(activity))
    # Without the seconds there is no such message; TCX has no place for them at all.
    plain = activity_of(a_session(), [])
    assert "time_in_zone_mesgs" not in check_fit(plain)
    assert b"zone" not in tcx_activity(activity).lower()
