"""Session records: rendered as TOML and read back field for field, forgiving but exact on errors.

``render_session`` -> ``tomllib`` -> ``session_from_table`` must give back the
very record that went in (notes with quotes, brackets, newlines, unicode and
backslashes included), optional fields stay absent, keys this version does not
know survive, and a table that cannot be a session fails with a
:class:`RecordError` naming the key path (``step[2].rpe``).
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retro_tui.history.record import (
    RecordError,
    SessionRecord,
    SessionStatus,
    StepRecord,
    new_session_id,
    render_session,
    session_from_table,
)
from retro_tui.history.session import build_session
from retro_tui.plan import parse_plan_text
from retro_tui.workout import FakeClock, Status, Workout

CET = timezone(timedelta(hours=1))


def full_session(**changes: Any) -> SessionRecord:
    """A session with every field, optional ones included, set to something non-default."""
    steps = (
        StepRecord(
            name="Easy run",
            kind="warmup",
            direction="forward",
            planned_s=600,
            actual_s=598.25,
            skipped=False,
            speed=5.5,
            incline=1.0,
            rpe=None,
            target_rpe=None,
        ),
        StepRecord(
            name="Backward 1",
            kind="work",
            direction="backward",
            planned_s=30,
            actual_s=30.0,
            skipped=False,
            speed=2.0,
            incline=0.5,
            rpe=5,
            target_rpe=4,
        ),
        StepRecord(
            name="Backward 2",
            kind="work",
            direction="backward",
            planned_s=30,
            actual_s=12.125,
            skipped=True,
            speed=2.25,
            incline=None,
            rpe=7,
            target_rpe=6,
        ),
    )
    values: dict[str, Any] = {
        "id": "20261121T070211-3f9c",
        "plan": "Retro starter",
        "started": datetime(2026, 11, 21, 7, 2, 11, tzinfo=CET),
        "ended": datetime(2026, 11, 21, 7, 24, 40, 250000, tzinfo=CET),
        "status": SessionStatus.ENDED_EARLY,
        "steps": steps,
        "plan_file": "retro-starter.toml",
        "units": "kmh",
        "rpe": 6,
        "notes": "left calf tight",
        "planned_intervals": 4,
        "heart_rate_zone_s": (61.5, 300.0, 120.25, 0.0, 0.0),
    }
    values.update(changes)
    return SessionRecord(**values)


def round_trip(session: SessionRecord, table: str = "session") -> SessionRecord:
    document = tomllib.loads(render_session(session, table))
    assert list(document) == [table]
    assert len(document[table]) == 1
    return session_from_table(document[table][0])


def test_every_field_round_trips() -> None:
    session = full_session()
    back = round_trip(session)
    assert back == session
    # Field by field too, so a failure says which one broke.
    for item in dataclasses.fields(SessionRecord):
        assert getattr(back, item.name) == getattr(session, item.name), item.name
    for before, after in zip(session.steps, back.steps, strict=True):
        for item in dataclasses.fields(StepRecord):
            assert getattr(after, item.name) == getattr(before, item.name), item.name
    assert back.status is SessionStatus.ENDED_EARLY
    assert back.started.utcoffset() == timedelta(hours=1)
    assert back.ended.microsecond == 250000


@pytest.mark.parametrize("status", list(SessionStatus))
def test_every_status_round_trips(status: SessionStatus) -> None:
    assert round_trip(full_session(status=status)).status is status


def test_the_block_matches_the_documented_format() -> None:
    text = render_session(full_session())
    lines = text.splitlines()
    assert lines[0] == "[[session]]"
    assert 'id = "20261121T070211-3f9c"' in lines
    assert "started = 2026-11-21T07:02:11+01:00" in lines
    assert 'status = "ended early"' in lines
    assert lines.count("  [[session.step]]") == 3
    assert "  planned_s = 30" in lines
    assert "  actual_s = 30.0" in lines
    assert "  skipped = true" in lines
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_another_table_name_is_used_for_journals() -> None:
    text = render_session(full_session(), "journal")
    assert text.startswith("[[journal]]\n")
    assert "[[journal.step]]" in text and "[[session" not in text
    assert round_trip(full_session(), "journal") == full_session()


TRICKY_NOTES = [
    "she said \"go\" then 'stop'",
    "brackets [relaxed] [/] [[session]] [[session.step]]",
    "line one\nline two\n\nline four\n",
    '\n[[session]]\nid = "injected"\nplan = "x"\n',
    "windows\r\nline\rends",
    "tab\there and a form feed\f and a bell\x07 and null\x00 and delete\x7f",
    "unicode: Rückwärts 後ろ向き 🏃‍♀️ — ½ mile, Ω, \u00a0nbsp",
    "back\\slash \\n not a newline \\u0041 C:\\Users\\retro\\",
    "triple \"\"\"quotes\"\"\" and '''single'''",
    "# not a comment = true",
    "   leading and trailing spaces   ",
    "x" * 5000,
]


@pytest.mark.parametrize("notes", TRICKY_NOTES)
def test_notes_round_trip_exactly(notes: str) -> None:
    session = full_session(notes=notes)
    text = render_session(session)
    back = round_trip(session)
    assert back.notes == notes
    assert back == session
    # Whatever the notes say, the block is still one session with three steps.
    assert text.count("[[session]]") == 1 + notes.count("[[session]]")
    assert len(tomllib.loads(text)["session"]) == 1


@pytest.mark.parametrize("text", TRICKY_NOTES)
def test_tricky_text_in_every_string_field_round_trips(text: str) -> None:
    step = dataclasses.replace(full_session().steps[1], name=text, kind=text, direction=text)
    session = full_session(id=text, plan=text, plan_file=text, units=text, steps=(step,))
    assert round_trip(session) == session


def test_the_time_in_each_zone_is_one_list_of_seconds() -> None:
    lines = render_session(full_session()).splitlines()
    assert "heart_rate_zone_s = [61.5, 300.0, 120.25, 0.0, 0.0]" in lines
    assert "heart_rate_zone_s" not in render_session(full_session(heart_rate_zone_s=None))
    # Whole numbers typed by hand are seconds too.
    table = tomllib.loads(render_session(full_session()))["session"][0]
    table["heart_rate_zone_s"] = [0, 60, 0, 0, 0]
    assert session_from_table(table).heart_rate_zone_s == (0.0, 60.0, 0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    "value",
    [
        '"ten minutes"',
        "[60, 120]",
        "[1, 2, 3, 4, 5, 6]",
        "[1, 2, 3, 4, -5]",
        '[1, 2, 3, 4, "5"]',
        "[1, 2, 3, 4, true]",
        "[1, 2, 3, 4, nan]",
        "[1, 2, 3, 4, inf]",
        "[1e308, 1e308, 0, 0, 0]",
        "[1e20, 0, 0, 0, 0]",
        "{ zone1 = 60 }",
    ],
)
def test_time_in_zone_typed_over_by_hand_is_kept_as_written_and_said(value: str) -> None:
    text = render_session(full_session()).replace(
        "heart_rate_zone_s = [61.5, 300.0, 120.25, 0.0, 0.0]", f"heart_rate_zone_s = {value}"
    )
    table = tomllib.loads(text)["session"][0]
    session = session_from_table(table)
    assert session.heart_rate_zone_s is None
    assert "heart_rate_zone_s" in session.extra  # kept, and written back as it was
    assert any("heart_rate_zone_s is not five numbers of seconds" in d for d in session.damage)
    again = tomllib.loads(render_session(session))["session"][0]
    assert repr(again["heart_rate_zone_s"]) == repr(table["heart_rate_zone_s"])


def test_optional_fields_absent_stay_absent() -> None:
    step = StepRecord(name="Walk", kind="work", direction="forward", planned_s=60, actual_s=60.0)
    session = SessionRecord(
        id="20260101T000000-0000",
        plan="Bare",
        started=datetime(2026, 1, 1, tzinfo=UTC),
        ended=datetime(2026, 1, 1, 0, 1, tzinfo=UTC),
        status=SessionStatus.COMPLETED,
        steps=(step,),
    )
    text = render_session(session)
    table = tomllib.loads(text)["session"][0]
    for key in ("rpe", "notes", "planned_intervals"):
        assert key not in table
    for key in ("speed", "incline", "rpe", "target_rpe"):
        assert key not in table["step"][0]
    assert table["step"][0]["skipped"] is False
    back = session_from_table(table)
    assert back == session
    assert back.rpe is None and back.notes == "" and back.planned_intervals is None
    assert back.steps[0].speed is None and back.steps[0].rpe is None


def test_a_session_without_steps_round_trips() -> None:
    session = full_session(steps=())
    text = render_session(session)
    assert "step" not in tomllib.loads(text)["session"][0]
    assert round_trip(session) == session


def test_zero_values_are_kept_not_dropped() -> None:
    step = StepRecord(
        name="",
        kind="work",
        direction="backward",
        planned_s=0,
        actual_s=0.0,
        speed=0.0,
        incline=0.0,
        rpe=0,
        target_rpe=0,
    )
    session = full_session(rpe=0, planned_intervals=0, steps=(step,))
    back = round_trip(session)
    assert back == session
    assert back.rpe == 0 and back.planned_intervals == 0
    assert back.steps[0].rpe == 0 and back.steps[0].speed == 0.0


def test_naive_datetimes_round_trip_as_local_times() -> None:
    session = full_session(
        started=datetime(2026, 3, 1, 6, 0, 0), ended=datetime(2026, 3, 1, 6, 30, 5, 123000)
    )
    back = round_trip(session)
    assert back.started == session.started and back.started.tzinfo is None
    assert back.ended == session.ended


def test_float_noise_is_rounded_to_milliseconds() -> None:
    step = dataclasses.replace(full_session().steps[1], actual_s=29.999999999999996)
    back = round_trip(full_session(steps=(step,)))
    assert back.steps[0].actual_s == 30.0
    assert "actual_s = 30.0" in render_session(full_session(steps=(step,)))


def test_unknown_keys_are_kept_and_written_back() -> None:
    step = dataclasses.replace(
        full_session().steps[1],
        extra={
            "cadence": 172,
            "heart": {"avg": 141, "max": 171, "zones": [1, 2, 3]},
            "laps": [{"n": 1, "s": 15.5}, {"n": 2, "s": 14.5}],
        },
    )
    session = full_session(
        steps=(step,),
        extra={
            "device": "treadmill #3",
            "weather": {"temp_c": 21.5, "where": {"city": "Zürich"}},
            "tags": ["retro", "a b", "[x]"],
            "when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
            "flag": True,
            "empty": {},
            "key with spaces": 1,
            "a = b": "tricky key",
            "ключ": "unicode key",
        },
    )
    back = round_trip(session)
    assert back == session
    assert dict(back.extra) == dict(session.extra)
    assert dict(back.steps[0].extra) == dict(step.extra)


def test_extra_keys_never_override_known_fields() -> None:
    session = full_session(extra={"id": "other", "status": "completed"})
    table = tomllib.loads(render_session(session))["session"][0]
    assert table["id"] == session.id
    assert table["status"] == "ended early"


HAND_WRITTEN = """\
# my log, edited by hand
[[session]]
ended = 2026-02-03T18:45:00Z      # keys in any order
started = 2026-02-03T18:15:00Z
id = "hand-1"
heart_rate = 144                  # a key this version does not know
gear = { shoes = "old", treadmill = "gym #2" }

  [[session.step]]
  planned_s = 45
  direction = "backward"
  mood = "good"

  [[session.step]]
  name = "Walk"
  kind = "recover"
  planned_s = 60
  actual_s = 61.5
  speed = 3
  skipped = true
"""


def test_a_hand_written_session_reads_fine() -> None:
    table = tomllib.loads(HAND_WRITTEN)["session"][0]
    session = session_from_table(table)
    assert session.id == "hand-1"
    assert session.plan == "" and session.plan_file == ""
    # What the app always writes and a hand is free to forget: said, and not made up.
    assert session.damage == (
        "plan, plan_file, status and units missing",
        "step 1: name, kind, actual_s and skipped missing",
        "step 2: direction missing",
    )
    assert session.status is SessionStatus.ENDED_EARLY
    assert session.units == "mph"
    assert session.rpe is None and session.notes == "" and session.planned_intervals is None
    assert session.started == datetime(2026, 2, 3, 18, 15, tzinfo=UTC)
    assert session.ended - session.started == timedelta(minutes=30)
    assert dict(session.extra) == {
        "heart_rate": 144,
        "gear": {"shoes": "old", "treadmill": "gym #2"},
    }
    first, second = session.steps
    assert first == StepRecord(
        name="",
        kind="work",
        direction="backward",
        planned_s=45,
        actual_s=0.0,  # a missing actual time is no time done, never the planned time
        extra={"mood": "good"},
    )
    assert second.name == "Walk" and second.kind == "recover"
    assert second.actual_s == 61.5 and second.skipped is True
    assert second.speed == 3.0 and isinstance(second.speed, float)
    assert session.backward_s == 0.0
    assert session.active_s == 61.5
    # ... and writing it again loses nothing.
    assert round_trip(session) == session


def _table() -> dict[str, Any]:
    return tomllib.loads(render_session(full_session()))["session"][0]


def _set(table: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    target: Any = table
    for part in path[:-1]:
        target = target[part]
    if value is _MISSING:
        del target[path[-1]]
    else:
        target[path[-1]] = value


_MISSING = object()

BAD_VALUES = [
    (("step", 1, "rpe"), 11, "step[2].rpe"),
    (("step", 1, "rpe"), -1, "step[2].rpe"),
    (("step", 1, "rpe"), 5.0, "step[2].rpe"),
    (("step", 1, "rpe"), True, "step[2].rpe"),
    (("step", 0, "target_rpe"), "hard", "step[1].target_rpe"),
    (("step", 2, "skipped"), "no", "step[3].skipped"),
    (("step", 2, "speed"), "fast", "step[3].speed"),
    (("step", 2, "incline"), False, "step[3].incline"),
    (("step", 1, "planned_s"), "30s", "step[2].planned_s"),
    (("step", 1, "planned_s"), True, "step[2].planned_s"),
    (("step", 1, "planned_s"), math.inf, "step[2].planned_s"),
    (("step", 1, "planned_s"), math.nan, "step[2].planned_s"),
    (("step", 0, "actual_s"), "long", "step[1].actual_s"),
    (("step", 0, "name"), 7, "step[1].name"),
    (("step", 0, "kind"), ["work"], "step[1].kind"),
    (("step", 2, "direction"), None, "step[3].direction"),
    (("step",), 5, "step"),
    (("step",), [1, 2], "step"),
    (("id",), _MISSING, "id"),
    (("id",), 5, "id"),
    (("plan",), 1.5, "plan"),
    (("plan_file",), ["a"], "plan_file"),
    (("status",), "done", "status"),
    (("status",), 1, "status"),
    (("started",), "2026-11-21T07:02:11+01:00", "started"),
    (("started",), _MISSING, "started"),
    (("ended",), _MISSING, "ended"),
    (("ended",), datetime(2026, 1, 1).date(), "ended"),
    (("units",), 3, "units"),
    (("rpe",), 12, "rpe"),
    (("rpe",), 5.5, "rpe"),
    (("notes",), 3, "notes"),
    (("planned_intervals",), 2.5, "planned_intervals"),
    (("planned_intervals",), False, "planned_intervals"),
]


@pytest.mark.parametrize(
    ("path", "value", "key"),
    BAD_VALUES,
    ids=[
        f"{key}={type(value).__name__}:{value!s:.20}"
        if type(value) is not object
        else f"{key}=object"
        for _, value, key in BAD_VALUES
    ],
)
def test_bad_values_name_their_key_path(path: tuple[str | int, ...], value: Any, key: str) -> None:
    table = _table()
    _set(table, path, value)
    with pytest.raises(RecordError) as caught:
        session_from_table(table)
    assert caught.value.key == key
    assert str(caught.value).startswith(f"{key}: ")
    assert isinstance(caught.value, ValueError)


def test_a_bad_value_in_written_toml_names_the_step() -> None:
    text = render_session(full_session()).replace("  rpe = 7\n", "  rpe = 70\n")
    with pytest.raises(RecordError, match=r"^step\[3\]\.rpe: .*0-10"):
        session_from_table(tomllib.loads(text)["session"][0])


def test_the_error_message_says_what_is_wrong() -> None:
    table = _table()
    table["status"] = "finished"
    with pytest.raises(RecordError) as caught:
        session_from_table(table)
    assert '"completed", "ended early", "recovered"' in str(caught.value)
    assert "'finished'" in str(caught.value)
    del table["id"]
    table["status"] = "completed"
    with pytest.raises(RecordError, match=r"^id: is missing$"):
        session_from_table(table)


def test_derived_figures() -> None:
    session = full_session()
    assert session.active_s == pytest.approx(598.25 + 30.0 + 12.125)
    assert session.backward_s == pytest.approx(42.125)
    assert session.backward_intervals == 1  # two backward steps in a row: one interval
    assert session.ratings == [5, 7]


def test_new_session_ids_carry_the_start_time_and_differ() -> None:
    started = datetime(2026, 11, 21, 7, 2, 11, tzinfo=CET)
    ids = {new_session_id(started) for _ in range(50)}
    assert len(ids) > 40
    for session_id in ids:
        assert re.fullmatch(r"20261121T070211-[0-9a-f]{4}", session_id)


PLAN = """
[plan]
name = "Intervals \\"quoted\\""
units = "kmh"

[[step]]
kind = "warmup"
duration = "1m"
speed = 8.0

[[step]]
repeat = 2
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 3.0
  target_rpe = 5
  [[step.step]]
  kind = "recover"
  duration = "45s"
  speed = 4.0
"""


@pytest.mark.parametrize(
    ("how", "status"),
    [
        ("run out", SessionStatus.COMPLETED),
        ("finish", SessionStatus.COMPLETED),
        ("abort", SessionStatus.ENDED_EARLY),
        ("still running", SessionStatus.RECOVERED),
    ],
)
def test_a_session_built_from_a_workout_round_trips(how: str, status: SessionStatus) -> None:
    plan = parse_plan_text(PLAN)
    clock = FakeClock()
    workout = Workout(plan, clock)
    workout.start()
    clock.advance(60 + 30)  # the warm-up and the first backward interval
    workout.poll()
    workout.rate(6)
    clock.advance(10)
    if how == "run out":
        clock.advance(1000)
        workout.poll()
        assert workout.status is Status.FINISHED
    elif how == "finish":
        workout.finish()
    elif how == "abort":
        workout.abort()
    else:
        workout.poll()
    started = datetime(2026, 5, 1, 6, 0, tzinfo=CET)
    session = build_session(
        workout,
        session_id="s-1",
        started=started,
        ended=started + timedelta(minutes=5),
        rpe=7,
        notes="felt [good]",
    )
    assert session.status is status
    assert session.plan == 'Intervals "quoted"'
    assert session.units == "kmh"
    assert session.planned_intervals == 2
    assert session.steps[0].kind == "warmup" and session.steps[0].actual_s == 60.0
    assert session.steps[1].direction == "backward"
    assert session.steps[1].rpe == 6 and session.steps[1].target_rpe == 5
    assert session.steps[1].speed == 3.0
    assert round_trip(session) == session


# -- properties ------------------------------------------------------------------------------

_text = st.text(max_size=40)
_thousandths = st.integers(min_value=0, max_value=10**7).map(lambda n: n / 1000)
_steps = st.builds(
    StepRecord,
    name=_text,
    kind=st.sampled_from(["warmup", "work", "recover", "cooldown"]),
    direction=st.sampled_from(["forward", "backward"]),
    planned_s=st.integers(min_value=0, max_value=10**6),
    actual_s=_thousandths,
    skipped=st.booleans(),
    speed=st.none() | _thousandths,
    incline=st.none() | _thousandths,
    rpe=st.none() | st.integers(0, 10),
    target_rpe=st.none() | st.integers(0, 10),
)
_moments = st.datetimes(
    min_value=datetime(1970, 1, 2),
    max_value=datetime(2200, 1, 1),
    timezones=st.none() | st.just(UTC) | st.just(CET),
)
_sessions = st.builds(
    SessionRecord,
    id=st.text(min_size=1, max_size=30),
    plan=_text,
    started=_moments,
    ended=_moments,
    status=st.sampled_from(list(SessionStatus)),
    steps=st.lists(_steps, max_size=4).map(tuple),
    plan_file=_text,
    units=st.sampled_from(["mph", "kmh"]),
    rpe=st.none() | st.integers(0, 10),
    notes=st.text(max_size=200),
    planned_intervals=st.none() | st.integers(0, 50),
    heart_rate_zone_s=st.none() | st.tuples(*[_thousandths] * 5),
)


@settings(max_examples=150, deadline=None)
@given(_sessions)
def test_any_session_round_trips(session: SessionRecord) -> None:
    assert round_trip(session) == session


def _step(direction: str, planned: int, actual: float, skipped: bool, number: int) -> StepRecord:
    kind = "work" if direction == "backward" else "recover"
    return StepRecord(
        name=direction, kind=kind, direction=direction, planned_s=planned,
        actual_s=actual, skipped=skipped, plan_step=number,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("second_interval", "counted"),
    [
        ((30, 30.0, False), 3),  # run in full
        ((30, 3.0, True), 2),  # skipped after a few seconds: not done
        ((30, 15.0, True), 3),  # skipped at half time: done
        ((30, 29.0, True), 3),  # skipped in the last second: done
    ],
)
def test_an_interval_skipped_early_is_not_counted_as_done(
    second_interval: tuple[int, float, bool], counted: int
) -> None:
    planned, actual, skipped = second_interval
    steps = [
        _step("backward", 30, 30.0, False, 1),
        _step("forward", 60, 60.0, False, 2),
        _step("backward", planned, actual, skipped, 3),
        _step("forward", 60, 60.0, False, 4),
        _step("backward", 30, 30.0, False, 5),
    ]
    session = full_session(steps=tuple(steps), planned_intervals=3)
    assert session.backward_intervals == counted


def test_an_interval_skipped_then_run_again_after_back_counts_once() -> None:
    steps = [
        _step("backward", 30, 2.0, True, 1),
        _step("backward", 30, 30.0, False, 1),  # "b" went back to it and it ran in full
        _step("forward", 60, 60.0, False, 2),
    ]
    assert full_session(steps=tuple(steps)).backward_intervals == 1
