"""``retro-tui program``: the calendar as a table, ``--ics`` files, and every mistake's message.

Run through ``retro_tui.cli.main`` as a user runs it, with "now" fixed at
Thursday 5 March 2026, 09:00. The program is two weeks of three sessions on
Monday, Wednesday and Friday, each the 10-minute plan ``walk``; Ana did week 1
session 1 on Monday 2 March (10 minutes) and session 2 on Thursday 5 March.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from icalendar import Calendar

import retro_tui.cli.program as program_command
from retro_tui.cli import main
from retro_tui.history.log import append_session
from retro_tui.history.record import ProgramSlot, SessionRecord, SessionStatus, StepRecord

ZONE = timezone(timedelta(hours=1))
NOW = datetime(2026, 3, 5, 9, 0, tzinfo=ZONE)
NAME = "Two-week test block"
WALK = """\
[plan]
name = "Walk and turn"

[[step]]
kind = "warmup"
duration = "9m"
speed = 3.0

[[step]]
direction = "backward"
duration = "1m"
speed = 1.5
"""
PROGRAM = f"""\
[program]
name = "{NAME}"
days = ["mon", "wed", "fri"]

[[week]]
  [[week.session]]
  plan = "walk"
  [[week.session]]
  plan = "walk"
  [[week.session]]
  plan = "walk"

[[week]]
  [[week.session]]
  plan = "walk"
  [[week.session]]
  plan = "walk"
  [[week.session]]
  plan = "walk"
"""


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(program_command, "local_now", lambda: NOW)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "walk.toml").write_text(WALK, encoding="utf-8")
    (folder / "block.toml").write_text(PROGRAM, encoding="utf-8")
    return folder


def done(week: int, number: int, day: int, athlete: str = "Ana") -> SessionRecord:
    started = datetime(2026, 3, day, 7, 0, tzinfo=ZONE)
    return SessionRecord(
        id=f"202603{day:02d}T070000-{week}{number}00",
        plan="Walk and turn",
        started=started,
        ended=started + timedelta(minutes=10),
        status=SessionStatus.COMPLETED,
        steps=(
            StepRecord("Warm-up", "warmup", "forward", 540, 540.0),
            StepRecord("Backward", "work", "backward", 60, 60.0),
        ),
        athlete=athlete,
        program=ProgramSlot(NAME, week, number, run="20260302T070000-a0a0", file="block.toml"),
    )


@pytest.fixture
def history(tmp_path: Path) -> Path:
    log = tmp_path / "history.toml"
    append_session(log, done(1, 1, 2))
    append_session(log, done(1, 2, 5))
    return log


def run(args: list[str], history: Path) -> int:
    return main(["program", *args, "--history", str(history)])


def test_the_calendar_as_a_table(
    folder: Path, history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([str(folder / "block.toml"), "--athlete", "Ana"], history) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"{NAME} · Ana"
    assert lines[1] == "Run from Mon 2 Mar 2026 · today Thu 5 Mar 2026 (week 1)"
    assert lines[2] == "Next: week 1, session 3 · Walk and turn (10:00) · due Fri 6 Mar"
    header = next(line for line in lines if line.startswith("week"))
    assert header.split() == [
        "week", "from", "Mon", "Tue", "Wed", "[Thu]", "Fri", "Sat", "Sun", "sessions", "minutes",
    ]  # fmt: skip
    week1 = next(line for line in lines if line.startswith("1 "))
    # Monday on its day, Wednesday's done a day late (Thursday, today), Friday's next.
    assert week1.split() == ["1", "2", "Mar", "✓1", "[✓2]", "▶·3", "2/3", "20/30"]
    week2 = next(line for line in lines if line.startswith("2 "))
    assert week2.split() == ["2", "9", "Mar", "·1", "·2", "·3", "0/3", "0/30"]
    assert "In all: 2/6 sessions, 20/60 min" in lines
    assert any(line.startswith("✓ done  → moved") for line in lines)


def test_the_athlete_comes_from_the_settings(
    folder: Path, history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[athlete]\nname = "Ana"\n', encoding="utf-8")
    assert main(["program", str(folder / "block.toml"), "--history", str(history),
                 "--config", str(config)]) == 0  # fmt: skip
    assert "In all: 2/6 sessions" in capsys.readouterr().out
    # Nobody in particular has done nothing yet: a new run from today.
    assert run([str(folder / "block.toml")], history) == 0
    out = capsys.readouterr().out
    assert f"{NAME} · nobody in particular" in out
    assert "Not started yet: planned from Thu 5 Mar 2026" in out


def test_ics_writes_the_coming_sessions_and_the_same_uids_twice(
    folder: Path, history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "block.ics"
    args = [str(folder / "block.toml"), "--athlete", "Ana", "--ics", str(target)]
    assert run([*args, "--time", "18:30"], history) == 0
    assert capsys.readouterr().out == f"{target}: 4 coming sessions\n"
    parsed = Calendar.from_ical(target.read_bytes())
    events = list(parsed.walk("VEVENT"))
    starts = [event.decoded("dtstart") for event in events]
    assert starts == [
        datetime(2026, 3, day, 18, 30) for day in (6, 9, 11, 13)
    ]  # Friday, then week 2
    assert [event.decoded("dtend") - event.decoded("dtstart") for event in events] == [
        timedelta(minutes=10)
    ] * 4
    assert str(events[0]["summary"]) == "retro-tui: Week 1 · Session 3 — Walk and turn"
    assert "1.0 backward minutes" in str(events[0]["description"])
    assert events[0].decoded("dtstamp") == NOW.astimezone(UTC)
    uids = [str(event["uid"]) for event in events]
    assert run(args, history) == 0  # again, at the default time
    again = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert [str(event["uid"]) for event in again] == uids
    assert again[0].decoded("dtstart") == datetime(2026, 3, 6, 7, 0)
    assert not list(tmp_path.glob("*.tmp*"))


def test_ics_to_standard_output(
    folder: Path, history: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert run([str(folder / "block.toml"), "--athlete", "Ana", "--ics", "-"], history) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"BEGIN:VCALENDAR\r\n") and out.count(b"BEGIN:VEVENT") == 4


def test_a_program_by_its_own_name_and_a_new_run_from_a_day(
    folder: Path, history: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RETRO_TUI_PLANS", str(folder))
    assert run([NAME.lower(), "--athlete", "Ana", "--start", "2026-03-16"], history) == 0
    out = capsys.readouterr().out
    assert "Not started yet: planned from Mon 16 Mar 2026" in out
    assert "In all: 0/6 sessions, 0/60 min" in out
    assert run(["block", "--athlete", "Ana"], history) == 0  # by the file's name
    assert "In all: 2/6 sessions" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothing-like-it"], "retro-tui program: no program file or program named "),
        (["walk"], "retro-tui program: walk is a plan, not a program of several weeks"),
        (["missing.toml"], "retro-tui program: no program file missing.toml"),
        (["block", "--time", "07:00"], "retro-tui program: --time is for --ics"),
        (
            ["block", "--start", "2026-03-04"],
            "retro-tui program: --start 2026-03-04: a new run starts today (2026-03-05) or "
            "within a year of it",
        ),
        (["block", "--start", "9999-12-31", "--ics", "-"], "retro-tui program: --start 9999"),
    ],
)
def test_what_is_asked_wrong_is_one_line_and_exit_status_2(
    args: list[str],
    message: str,
    folder: Path,
    history: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("RETRO_TUI_PLANS", str(folder))
    assert run(args, history) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message) and captured.err.count("\n") == 1


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--start", "2026-02-30"], "--start: 2026-02-30 is not a date; write it as YYYY-MM-DD"),
        (["--ics", "-", "--time", "7h"], "--time: 7h is not a time of day: write it as HH:MM"),
        (["--ics", "-", "--time", "24:00"], "--time: 24:00 is not a time of day"),
    ],
)
def test_a_bad_date_or_time_is_a_usage_error(
    option: list[str], message: str, history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["block", *option], history)
    assert exit_info.value.code == 2
    assert f"retro-tui program: {message}" in capsys.readouterr().err


def test_a_broken_program_and_a_missing_folder(
    folder: Path, history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = folder / "broken.toml"
    broken.write_text('[program]\nname = "Broken"\n\n[[week]]\nname = "Empty"\n', "utf-8")
    assert run([str(broken)], history) == 1
    assert capsys.readouterr().err.startswith(f"{broken}:4: week[1]: week 1 has no sessions")
    nowhere = tmp_path / "no-such-folder" / "block.ics"
    assert run([str(folder / "block.toml"), "--ics", str(nowhere)], history) == 1
    assert "there is no folder" in capsys.readouterr().err
