"""``retro-tui history --form``: the fitness model day by day, as a coach's spreadsheet reads it."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from retro_tui.cli import main
from retro_tui.history.log import append_session
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord

DAYS = 30


def daily(athlete: str, back: int, minutes: float = 20.0, rpe: int = 5) -> SessionRecord:
    """A session ``back`` days before today at noon local time: load ``rpe`` x ``minutes``."""
    started = datetime.combine(date.today() - timedelta(days=back), datetime.min.time())
    started = started.replace(hour=12).astimezone()
    return SessionRecord(
        id=f"{started:%Y%m%dT%H%M%S}-{athlete[:2]}",
        plan="Retro starter",
        started=started,
        ended=started + timedelta(minutes=minutes),
        status=SessionStatus.COMPLETED,
        steps=(StepRecord("Backward", "work", "backward", 60, minutes * 60.0),),
        rpe=rpe,
        athlete=athlete,
    )


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """Ana trained every day for 30 days, load 100 a day; Bo once."""
    path = tmp_path / "history.toml"
    for back in range(DAYS - 1, -1, -1):
        append_session(path, daily("Ana", back))
    append_session(path, daily("Bo", 3))
    return path


def test_csv_is_every_day_with_the_closed_form(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--history", str(log), "history", "--form", "--athlete", "Ana", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == DAYS
    assert rows[-1]["date"] == date.today().isoformat()
    assert float(rows[-1]["fitness"]) == pytest.approx(100 * (1 - (41 / 42) ** DAYS), abs=1e-3)
    assert float(rows[-1]["fatigue"]) == pytest.approx(100 * (1 - (6 / 7) ** DAYS), abs=1e-3)
    # The ratio is blank for the first 27 days, then 1 for a steady load.
    assert rows[26]["ratio_rolling"] == "" and float(rows[27]["ratio_rolling"]) == 1.0
    # Thirty days in, fatigue (7 days) has caught up and fitness (42) has not; the word
    # allows for that, and a steady load reads as building.
    assert rows[-1]["form_word"] == "building"


def test_json_from_since_keeps_the_averages_of_every_day(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    since = (date.today() - timedelta(days=2)).isoformat()
    argv = ["--history", str(log), "history", "--form", "--athlete", "ana", "--json"]
    assert main([*argv, "--since", since]) == 0
    days = json.loads(capsys.readouterr().out)
    assert days[0]["date"] == since and len(days) == 3
    assert days[-1]["fitness"] == pytest.approx(100 * (1 - (41 / 42) ** DAYS), abs=1e-3)


def test_the_table_says_todays_form(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--history", str(log), "history", "--form", "--athlete", "Ana"]) == 0
    out = capsys.readouterr().out
    assert "Fitness, fatigue and form of Ana" in out
    said = " ".join(out.split())
    assert (
        "Today: Fitness 51, fatigue 99, form -48 (+0 % of fitness, allowing for 30 days of "
        "history): building." in said
    )
    assert "Load ratio 7:28: 1.00, building safely." in said


def test_several_athletes_need_a_name_and_plan_does_not_apply(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--history", str(log), "history", "--form"]) == 2
    assert "several athletes (Ana, Bo); say whose form with --athlete NAME" in (
        capsys.readouterr().err
    )
    assert main(["--history", str(log), "history", "--form", "--plan", "x"]) == 2
    assert "--plan does not apply" in capsys.readouterr().err


def test_no_heart_rate_load_without_a_strap(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--history", str(log), "history", "--form", "--athlete", "Ana", "--load", "hr"]
    assert main(argv) == 0
    assert "No heart rate (TRIMP) load of Ana to go by yet." in capsys.readouterr().out


def test_the_table_from_since_and_load_without_form(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    since = (date.today() - timedelta(days=20)).isoformat()
    argv = ["--history", str(log), "history", "--form", "--athlete", "Ana", "--since", since]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    dates = [line.split()[0] for line in lines if line.strip()[:3] == "202"]
    assert dates[0] == since and len(dates) == 21
    assert main(["--history", str(log), "history", "--load", "hr"]) == 2
    assert "--load is for --form" in capsys.readouterr().err


def test_athlete_empty_is_nobody_in_particular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "history.toml"
    append_session(path, daily("Ana", 2))
    append_session(path, daily("", 1, rpe=2))
    assert main(["--history", str(path), "history", "--form", "--athlete", "", "--json"]) == 0
    days = json.loads(capsys.readouterr().out)
    assert [day["load"] for day in days] == [40.0, 0.0]  # nobody's one session, 2 x 20
