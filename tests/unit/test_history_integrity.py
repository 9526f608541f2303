"""A history log that never silently changes: damage that still parses is said, never believed.

Each session is saved with its seal (how many steps, and a digest of every
value), so a log cut short, a line pasted twice, a torn header or a hand edit
is reported with its lines, and the session is shown marked rather than taken
as the truth or dropped. A session pasted twice counts once. The reader reads
only a regular file of a size it states, and a byte-order mark is no damage.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from retro_tui.history.export import sessions_to_csv, sessions_to_json
from retro_tui.history.log import append_session, rescue_path, save_session
from retro_tui.history.reader import HistoryRead, read_history
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord, render_session
from retro_tui.presentation import session_summary, table_cells

TimeLimit = Callable[[float], AbstractContextManager[None]]

EDITED = "changed since it was saved (edited by hand?): shown as it reads now"


def session(number: int, rpe: int | None = 6) -> SessionRecord:
    started = datetime(2026, 11, 1, 7, 0, tzinfo=UTC) + timedelta(days=number)
    steps = (
        StepRecord("Walk", "warmup", "forward", 60, 60.0, speed=3.0),
        StepRecord("Backward", "work", "backward", 30, 30.0, speed=2.5, rpe=rpe, plan_step=2),
        StepRecord("Recover", "recover", "forward", 90, 90.0, speed=3.0, plan_step=3),
    )
    return SessionRecord(
        id=f"2026110{number}T070000-ab{number:02d}",
        plan="Retro starter",
        plan_file="starter.toml",
        started=started,
        ended=started + timedelta(seconds=180),
        status=SessionStatus.COMPLETED,
        steps=steps,
        rpe=rpe,
        planned_intervals=1,
    )


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "history.toml"


def write(log: Path, *sessions: SessionRecord) -> str:
    for one in sessions:
        append_session(log, one)
    return log.read_text(encoding="utf-8")


def messages(result: HistoryRead) -> list[str]:
    return [problem.message for problem in result.problems]


def test_a_saved_session_carries_its_seal_and_reads_back_undamaged(log: Path) -> None:
    text = write(log, session(1), session(2))
    assert text.count("steps_saved = 3") == 2
    assert text.count('digest = "') == 2
    # The seal closes the session's own keys, before its steps.
    assert text.index("digest = ") < text.index("[[session.step]]")
    result = read_history(log)
    assert result.problems == ()
    assert [one.damage for one in result.sessions] == [(), ()]
    assert result.sessions == (session(1), session(2))


def test_a_log_cut_by_six_lines_says_so_and_makes_nothing_up(log: Path) -> None:
    text = write(log, session(1), session(2))
    log.write_text("\n".join(text.rstrip("\n").split("\n")[:-6]) + "\n", encoding="utf-8")
    result = read_history(log)
    first, last = result.sessions
    assert first.damage == ()
    # The last step lost most of its keys; the seal says the session is not as saved.
    assert last.damage == (
        "step 3: direction, planned_s, actual_s and skipped missing",
        "not all it was saved with is here: cut short or damaged",
    )
    assert last.steps[-1].actual_s == 0.0  # no time is made up for a step cut out
    [problem] = result.problems
    assert problem.first_line == last.line
    assert problem.message.startswith(f"session {last.id}: ")
    assert "!" in table_cells(session_summary(last))[0]


def test_cutting_a_rating_is_noticed(log: Path) -> None:
    text = write(log, session(1))
    log.write_text(text.replace("  rpe = 6\n", "", 1), encoding="utf-8")
    result = read_history(log)
    assert messages(result) == [f"session {session(1).id}: {EDITED}"]
    assert result.sessions[0].steps[1].rpe is None


def test_a_step_header_pasted_twice_is_not_an_empty_step(log: Path) -> None:
    text = write(log, session(1))
    log.write_text(text.replace("  [[session.step]]\n", "  [[session.step]]\n" * 2, 1), "utf-8")
    result = read_history(log)
    [damaged] = result.sessions
    assert damaged.damage == (
        "step 1: name, kind, direction, planned_s, actual_s and skipped missing",
        "3 steps were saved and 4 are here: cut short or pasted into",
    )
    assert [problem.first_line for problem in result.problems] == [1]


def test_a_torn_header_is_not_a_merge_taken_as_truth(log: Path) -> None:
    text = write(log, session(1), session(2))
    second = text.index("[[session]]", 1)
    # The second header and its session's own keys are lost; its steps remain.
    steps = text.index("  [[session.step]]", second)
    log.write_text(text[:second] + text[steps:], encoding="utf-8")
    result = read_history(log)
    [merged] = result.sessions
    assert len(merged.steps) == 6
    assert merged.damage == ("3 steps were saved and 6 are here: cut short or pasted into",)
    assert len(result.problems) == 1


def test_a_session_pasted_twice_counts_once_and_is_reported(log: Path) -> None:
    text = write(log, session(1), session(2))
    first_block = text[: text.index("[[session]]", 1)]
    log.write_text(text + "\n" + first_block, encoding="utf-8")
    result = read_history(log)
    assert result.sessions == (session(1), session(2))
    [problem] = result.problems
    again = text.count("\n") + 2
    assert (problem.first_line, problem.message) == (
        again,
        f"session {session(1).id} appears again (first on line 1): counted once",
    )


def test_a_hand_edit_is_reported_as_an_edit_and_shown_marked(log: Path) -> None:
    text = write(log, session(1), session(2))
    log.write_text(text.replace("rpe = 6", "rpe = 2", 1), encoding="utf-8")
    result = read_history(log)
    edited, untouched = result.sessions
    assert edited.rpe == 2  # shown as it reads now ...
    assert edited.damage == (EDITED,)  # ... and never as silent truth
    assert untouched.damage == ()
    assert [str(problem) for problem in result.problems] == [
        f"{log}:1-{edited_last_line(text)}: session {edited.id}: {EDITED}"
    ]
    exported = json.loads(sessions_to_json(result.sessions))
    assert exported[0]["damage"] == [EDITED]
    assert "damage" not in exported[1]
    rows = list(csv.DictReader(io.StringIO(sessions_to_csv(result.sessions))))
    assert rows[0]["session_damage"] == EDITED and rows[-1]["session_damage"] == ""
    assert table_cells(session_summary(edited))[0].endswith(" !")
    assert not table_cells(session_summary(untouched))[0].endswith("!")


def edited_last_line(text: str) -> int:
    block = text[: text.index("[[session]]", 1)].rstrip()
    return block.count("\n") + 1


def test_a_log_with_a_byte_order_mark_reads_and_takes_new_sessions(log: Path) -> None:
    log.write_bytes(b"\xef\xbb\xbf" + render_session(session(1)).encode("utf-8"))
    assert read_history(log).sessions == (session(1),)
    saved = save_session(log, session(2))
    assert saved.path == log and saved.rescued_from is None
    result = read_history(log)
    assert result.problems == ()
    assert result.sessions == (session(1), session(2))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_for_a_log_is_refused_at_once_and_sessions_go_to_a_rescue_file(
    log: Path, time_limit: TimeLimit
) -> None:
    os.mkfifo(log)
    with time_limit(5):
        result = read_history(log)
        assert [str(problem) for problem in result.problems] == [
            f"{log}: is not a regular file, so not a history log"
        ]
        saved = save_session(log, session(1))
        assert saved.path == rescue_path(log)
        result = read_history(log)
    assert result.sessions == (session(1),)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_for_a_log_is_refused(time_limit: TimeLimit) -> None:
    with time_limit(5):
        result = read_history(Path("/dev/zero"))
    assert messages(result) == ["is not a regular file, so not a history log"]


def test_a_folder_where_the_log_should_be_still_shows_the_rescued_sessions(log: Path) -> None:
    log.mkdir()
    saved = save_session(log, session(1))
    assert saved.path == rescue_path(log)
    result = read_history(log)
    assert result.sessions == (session(1),)
    assert messages(result) == ["is a folder, not a history log file; move it away or name a file"]
    assert result.rescues == (rescue_path(log),)


def test_a_5000_digit_number_in_the_log_is_said_in_plain_words(log: Path) -> None:
    write(log, session(1))
    with log.open("a", encoding="utf-8") as file:
        file.write('\n[[session]]\nid = "x"\nrpe = ' + "9" * 5000 + "\n")
    result = read_history(log)
    assert result.sessions == (session(1),)
    [problem] = result.problems
    assert problem.message == "holds a number of more than 4,300 digits, too long to read"
    assert problem.first_line > 1
