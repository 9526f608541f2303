"""``retro-tui history`` as a table: the athlete column when people mix, and the pain column.

The table shares its cells with the app's history screen (``history.stats.table_cells``), so
these checks read the printed text only for what the command itself decides: which columns it
prints and how the title names an athlete.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from retro_tui.cli import main
from retro_tui.cli.history import session_table
from retro_tui.history.log import append_session
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord


def record(number: int, athlete: str, pain: int | None = None, where: str = "") -> SessionRecord:
    started = datetime(2026, 11, 1, 7, 0, tzinfo=UTC) + timedelta(days=number)
    return SessionRecord(
        id=f"s{number}",
        plan="Retro starter",
        started=started,
        ended=started + timedelta(minutes=11),
        status=SessionStatus.COMPLETED,
        steps=(
            StepRecord("Walk", "warmup", "forward", 600, 600.0),
            StepRecord("Backward", "work", "backward", 60, 60.0, rpe=5),
        ),
        rpe=4,
        athlete=athlete,
        pain=pain,
        pain_where=where,
    )


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """Ana (knee pain, then none), then Bo [x] (pain not asked)."""
    path = tmp_path / "history.toml"
    append_session(path, record(1, "Ana", pain=3, where="knee"))
    append_session(path, record(2, "Ana", pain=0))
    append_session(path, record(3, "Bo [x]"))
    return path


def header(out: str) -> list[str]:
    line = next(line for line in out.splitlines() if line.startswith("date"))
    return line.split()


def rows(out: str) -> list[str]:
    """The printed rows, each with its runs of spaces made one."""
    return [" ".join(line.split()) for line in out.splitlines() if line.startswith("2026-")]


def test_a_mixed_log_gets_an_athlete_column_and_pain(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--history", str(log), "history"]) == 0
    out = capsys.readouterr().out
    assert header(out) == [
        "date", "athlete", "plan", "total", "back", "int", "avg", "RPE", "load", "pain", "status",
    ]  # fmt: skip
    # A name with brackets prints as written; pain not asked, none, and 3 at the knee.
    assert rows(out) == [
        "2026-11-04 07:00 Bo [x] Retro starter 11:00 1:00 1 5.0 4 44 – completed",
        "2026-11-03 07:00 Ana Retro starter 11:00 1:00 1 5.0 4 44 0 completed",
        "2026-11-02 07:00 Ana Retro starter 11:00 1:00 1 5.0 4 44 3 knee completed",
    ]
    assert "pain: 0-10 (0: none) and where · –: not asked" in out
    # Piped output is 120 columns wide, and the table fits in it.
    assert max(len(line) for line in out.splitlines() if "sessions" not in line) <= 120


def test_one_athletes_table_names_them_in_the_title_not_in_a_column(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--history", str(log), "history", "--athlete", " ana "]) == 0
    out = capsys.readouterr().out
    assert "2 of 2 sessions of ana, newest first" in out
    assert "athlete" not in header(out)
    assert rows(out) == [
        "2026-11-03 07:00 Retro starter 11:00 1:00 1 5.0 4 44 0 completed",
        "2026-11-02 07:00 Retro starter 11:00 1:00 1 5.0 4 44 3 knee completed",
    ]


def test_the_plan_gives_way_in_a_narrow_terminal() -> None:
    sessions = [record(1, "Ana"), record(2, "Bo")]
    sessions[1] = replace(sessions[1], plan="Week 1.1: three 30-second bouts at 2.5 mph")
    console = Console(width=100, record=True, color_system=None)
    console.print(session_table(sessions, "title", width=100))
    lines = console.export_text().splitlines()
    assert all(len(line.rstrip()) <= 100 for line in lines)
    printed = [" ".join(line.split()) for line in lines if line.startswith("2026-")]
    # Only the plan is cut short; every figure is whole.
    assert printed[1].startswith("2026-11-03 07:00 Bo Week 1.1: three 30-second")
    assert "…" in printed[1]
    assert printed[1].endswith("11:00 1:00 1 5.0 4 44 – completed")


def test_sessions_saved_to_a_rescue_file_are_listed_and_exported(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from retro_tui.history.log import save_session

    # Damage the log's end: the next save goes to a rescue file beside it.
    with log.open("a", encoding="utf-8") as file:
        file.write("\n[[session]\nid = 'broken'\n")
    result = save_session(log, record(4, "Ana"))
    assert result.path != log and result.path.exists()
    assert main(["history", "--history", str(log), "--json"]) == 1
    captured = capsys.readouterr()
    ids = [session["id"] for session in json.loads(captured.out)]
    assert ids == ["s1", "s2", "s3", "s4"]
    assert f"read from {result.path}" in captured.err
    assert f"{log} is damaged from line " in captured.err


def test_a_session_copied_back_from_the_rescue_file_counts_once(tmp_path: Path) -> None:
    from retro_tui.history.log import rescue_path
    from retro_tui.history.reader import read_history

    path = tmp_path / "history.toml"
    append_session(path, record(1, "Ana"))
    append_session(rescue_path(path), record(1, "Ana"))
    append_session(rescue_path(path), record(2, "Ana"))
    read = read_history(path)
    assert [session.id for session in read.sessions] == ["s1", "s2"]
    assert read.rescues == (rescue_path(path),)
