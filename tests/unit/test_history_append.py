"""Appending to the history log: earlier bytes are sacred, every append lands whole or not at all.

Whatever the log ends in (no newline, a comment without a newline, CRLF line
endings, a nested ``[[session.step]]`` table), the old content stays a byte
for byte prefix of the new file and the file parses to one more session.
Several processes appending at once all land whole. A damaged log is never
touched: the session goes to a rescue file instead. A failed or half-done
write leaves the log exactly as it was.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from filelock import lock_descriptor

from retro_tui.history import log as log_module
from retro_tui.history.log import (
    HistoryWriteError,
    LogProblem,
    SaveResult,
    append_session,
    check_log,
    rescue_path,
    save_session,
)
from retro_tui.history.record import (
    SessionRecord,
    SessionStatus,
    StepRecord,
    render_session,
    session_from_table,
)
from retro_tui.paths import history_path

START = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)


def make_session(number: int, notes: str = "") -> SessionRecord:
    started = START + timedelta(days=number)
    steps = tuple(
        StepRecord(
            name=f"Backward {k + 1}",
            kind="work",
            direction="backward",
            planned_s=30,
            actual_s=30.0 - k * 0.5,
            speed=2.0 + k / 4,
            rpe=k % 11,
        )
        for k in range(3)
    )
    return SessionRecord(
        id=f"s{number:04d}",
        plan="Retro starter",
        started=started,
        ended=started + timedelta(minutes=20),
        status=SessionStatus.COMPLETED,
        steps=steps,
        plan_file="starter.toml",
        rpe=number % 11,
        notes=notes or f"session {number}",
        planned_intervals=3,
    )


def read_sessions(path: Path) -> list[SessionRecord]:
    document = tomllib.loads(path.read_bytes().decode("utf-8"))
    return [session_from_table(table) for table in document.get("session", [])]


Appender = Callable[[Path, SessionRecord], object]
APPENDERS: dict[str, Appender] = {"append_session": append_session, "save_session": save_session}


@pytest.fixture(params=list(APPENDERS))
def append(request: pytest.FixtureRequest) -> Appender:
    return APPENDERS[request.param]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "history.toml"


# -- what the log ends in ----------------------------------------------------------------


def _one_then(tail: str) -> bytes:
    return (render_session(make_session(1)) + tail).encode()


ENDINGS: dict[str, tuple[bytes, int]] = {
    "empty file": (b"", 0),
    "only a comment, no newline": (b"# my retro history", 0),
    "only comments and blank lines": (b"# history\n\n# more\n\n", 0),
    "ends in a newline": (_one_then(""), 1),
    "no final newline": (render_session(make_session(1)).rstrip("\n").encode(), 1),
    "comment without a newline": (_one_then("# the end, no newline"), 1),
    "indented comment after a step": (_one_then("  # rpe = 9"), 1),
    "blank lines and spaces at the end": (_one_then("\n\n   \n\t"), 1),
    "CRLF line endings": (_one_then("").replace(b"\n", b"\r\n"), 1),
    "CRLF without a final newline": (_one_then("").replace(b"\n", b"\r\n").rstrip(b"\r\n"), 1),
    "CRLF and a trailing comment": (_one_then("# done").replace(b"\n", b"\r\n"), 1),
    "two sessions": (
        (render_session(make_session(1)) + "\n" + render_session(make_session(2))).encode(),
        2,
    ),
    "right after a nested step table": (
        b'[[session]]\nid = "hand"\nstarted = 2026-01-01T10:00:00Z\n'
        b"ended = 2026-01-01T10:10:00Z\n\n  [[session.step]]\n  planned_s = 30\n"
        b'  direction = "backward"',
        1,
    ),
    "right after an empty nested step table": (
        b'[[session]]\nid = "hand"\nstarted = 2026-01-01T10:00:00Z\n'
        b"ended = 2026-01-01T10:10:00Z\n[[session.step]]",
        1,
    ),
    "a multi-line string at the end": (
        b'[[session]]\nid = "ml"\nstarted = 2026-01-01T10:00:00Z\n'
        b'ended = 2026-01-01T10:10:00Z\nnotes = """\nfirst\n[[session]]\n"""',
        1,
    ),
    "unicode text": (_one_then("# Rückwärts 後ろ 🏃"), 1),
}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_earlier_bytes_are_kept_and_the_new_session_parses(
    ending: str, append: Appender, log: Path
) -> None:
    before, count = ENDINGS[ending]
    log.write_bytes(before)
    assert check_log(log) is None, "the fixture itself must be a valid log"
    new = make_session(99, notes='new "one" [[session]]\nwith a newline \\ and é')
    append(log, new)
    after = log.read_bytes()
    assert after.startswith(before)
    sessions = read_sessions(log)
    assert len(sessions) == count + 1
    assert sessions[-1] == new
    assert after.endswith(b"\n")
    # Appending again still works and still keeps everything.
    newer = make_session(100)
    append(log, newer)
    assert log.read_bytes().startswith(after)
    assert read_sessions(log)[-2:] == [new, newer]


def test_the_appended_block_is_exactly_the_rendered_session(log: Path) -> None:
    first, second = make_session(1), make_session(2)
    append_session(log, first)
    assert log.read_text() == render_session(first)
    append_session(log, second)
    # Sessions are separated by one blank line, for people who read the file.
    assert log.read_text() == render_session(first) + "\n" + render_session(second)


def test_a_missing_log_is_created(log: Path) -> None:
    assert not log.exists()
    result = save_session(log, make_session(1))
    assert result == SaveResult(log)
    assert result.rescued_from is None
    assert read_sessions(log) == [make_session(1)]


def test_missing_parent_folders_are_created(tmp_path: Path, append: Appender) -> None:
    log = tmp_path / "no" / "such" / "folder" / "history.toml"
    append(log, make_session(1))
    assert read_sessions(log) == [make_session(1)]


def test_the_default_location_is_used_and_created(isolated_locations: Path) -> None:
    log = history_path()
    assert log == isolated_locations / "history.toml"
    assert save_session(log, make_session(3)).path == log
    assert read_sessions(log) == [make_session(3)]


def test_many_appends_keep_every_session_in_order(log: Path) -> None:
    sessions = [make_session(number) for number in range(40)]
    for session in sessions:
        append_session(log, session)
    assert read_sessions(log) == sessions


# -- several processes at once -----------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from retro_tui.history.log import append_session, save_session
    from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord

    log, go = Path(sys.argv[1]), Path(sys.argv[2])
    worker, count = int(sys.argv[3]), int(sys.argv[4])
    save = append_session if worker % 2 else save_session
    started = datetime(2026, 1, 1, tzinfo=timezone.utc)
    print("ready", flush=True)
    deadline = time.monotonic() + 20
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("never told to go")
        time.sleep(0.001)
    for n in range(count):
        steps = tuple(
            StepRecord(f"w{worker} n{n} s{k}", "work", "backward", 30, 29.5, speed=2.0, rpe=k)
            for k in range(1 + n % 4)
        )
        save(log, SessionRecord(
            id=f"w{worker}-{n}",
            plan="concurrent",
            started=started,
            ended=started + timedelta(seconds=n),
            status=SessionStatus.COMPLETED,
            steps=steps,
            notes="x" * (50 * n) + "\\n[[session]] not a header",
        ))
    """
)


def test_concurrent_appends_from_several_processes_all_land_whole(log: Path) -> None:
    workers, count = 6, 20
    preamble = b"# shared log\n# last line has no newline"
    log.write_bytes(preamble)
    go = log.with_name("go")
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(log), str(go), str(worker), str(count)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(workers)
    ]
    try:
        for child in children:  # the barrier: all have started and are waiting
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        go.touch()
        for child in children:
            _, errors = child.communicate(timeout=60)
            assert child.returncode == 0, errors
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert log.read_bytes().startswith(preamble)
    sessions = read_sessions(log)
    assert len(sessions) == workers * count
    by_id = {session.id: session for session in sessions}
    assert set(by_id) == {f"w{w}-{n}" for w in range(workers) for n in range(count)}
    for session_id, session in by_id.items():
        worker, n = (int(part) for part in session_id[1:].split("-"))
        assert len(session.steps) == 1 + n % 4
        assert [step.name for step in session.steps] == [
            f"w{worker} n{n} s{k}" for k in range(1 + n % 4)
        ]
        assert session.notes == "x" * (50 * n) + "\n[[session]] not a header"
    # Each writer's sessions appear in the order it wrote them.
    for worker in range(workers):
        mine = [s.id for s in sessions if s.id.startswith(f"w{worker}-")]
        assert mine == [f"w{worker}-{n}" for n in range(count)]


# -- a damaged log is never touched ------------------------------------------------------

GOOD = render_session(make_session(1)).encode()
DAMAGED = GOOD + b'\n[[session]]\nid = "broken\nplan = "x"\n'
DAMAGED_LINE = GOOD.count(b"\n") + 3


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def test_check_log_finds_the_line_of_the_damage(log: Path) -> None:
    assert check_log(log) is None  # a missing log is fine
    log.write_bytes(GOOD)
    assert check_log(log) is None
    log.write_bytes(DAMAGED)
    problem = check_log(log)
    assert problem is not None
    assert problem.path == log
    assert problem.line == DAMAGED_LINE
    assert problem.message and "line" not in problem.message
    assert str(problem) == f"{log}:{DAMAGED_LINE}: {problem.message}"


def test_a_damaged_log_is_never_touched_and_the_session_is_rescued(log: Path) -> None:
    log.write_bytes(DAMAGED)
    old_time = time.time() - 3600
    os.utime(log, (old_time, old_time))
    before = _stat(log)

    first = make_session(2)
    result = save_session(log, first)
    assert result.path == rescue_path(log) == log.with_name("history.rescue.toml")
    assert isinstance(result.rescued_from, LogProblem)
    assert result.rescued_from.path == log
    assert result.rescued_from.line == DAMAGED_LINE
    assert log.read_bytes() == DAMAGED
    assert _stat(log) == before
    assert read_sessions(result.path) == [first]

    # A second save goes to the same rescue file, after the first.
    second = make_session(3)
    again = save_session(log, second)
    assert again.path == result.path
    assert again.rescued_from == result.rescued_from
    assert read_sessions(result.path) == [first, second]
    assert log.read_bytes() == DAMAGED
    assert _stat(log) == before


def test_a_damaged_rescue_file_sends_the_session_to_the_next_one(log: Path) -> None:
    log.write_bytes(DAMAGED)
    broken_rescue = b"[[session]\nthis is not toml"
    rescue_path(log).write_bytes(broken_rescue)
    result = save_session(log, make_session(4))
    assert result.path == rescue_path(log, 2) == log.with_name("history.rescue-2.toml")
    assert result.rescued_from is not None and result.rescued_from.line == DAMAGED_LINE
    assert read_sessions(result.path) == [make_session(4)]
    assert rescue_path(log).read_bytes() == broken_rescue
    assert log.read_bytes() == DAMAGED


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"\xff\xfe not utf-8", 1),
        (GOOD + b"# caf\xe9\n", GOOD.count(b"\n") + 1),
        (b"a = 1\nb = \n", 2),
        (b"[[session]]\nid = 'x'\nid = 'y'\n", 3),
        (b"# ok\n\n\nvalue = 1" + b"0" * 5000 + b"\n", None),
        (b"deep = " + b"[" * 5000 + b"]" * 5000 + b"\n", None),
    ],
    ids=["not utf-8", "latin-1 comment", "missing value", "duplicate key", "huge number", "deep"],
)
def test_every_kind_of_damage_is_rescued(log: Path, content: bytes, line: int | None) -> None:
    log.write_bytes(content)
    problem = check_log(log)
    assert problem is not None
    if line is not None:
        assert problem.line == line
    result = save_session(log, make_session(5))
    assert result.path == rescue_path(log)
    assert result.rescued_from == problem
    assert log.read_bytes() == content
    assert read_sessions(rescue_path(log)) == [make_session(5)]


def test_a_log_with_an_unusual_suffix_gets_a_rescue_file_beside_it(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    log.write_bytes(b"= broken")
    assert save_session(log, make_session(1)).path == tmp_path / "runs.rescue.log"
    bare = tmp_path / "history"
    bare.write_bytes(b"= broken")
    assert save_session(bare, make_session(1)).path == tmp_path / "history.rescue.toml"


@pytest.mark.parametrize("name", list(APPENDERS))
def test_an_append_waits_while_another_writer_holds_the_lock(log: Path, name: str) -> None:
    log.write_bytes(GOOD)
    holder = os.open(log, os.O_RDWR)
    assert lock_descriptor(holder, blocking=False)
    try:
        worker = threading.Thread(target=APPENDERS[name], args=(log, make_session(2)))
        worker.start()
        worker.join(0.2)
        assert worker.is_alive(), "the append did not wait for the lock"
        assert log.read_bytes() == GOOD
    finally:
        os.close(holder)  # releases the lock
    worker.join(10)
    assert not worker.is_alive()
    assert read_sessions(log) == [make_session(1), make_session(2)]


# -- write failures ----------------------------------------------------------------------


def _chmod_stops_writes(folder: Path) -> bool:
    """Whether a read-only folder really refuses new files here (not as root, say)."""
    probe = folder / "probe"
    try:
        probe.touch()
    except PermissionError:
        return True
    probe.unlink()
    return False


@pytest.fixture
def locked_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written in: chmod 0o500, or a refusing ``os.open`` under root."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.MonkeyPatch.context() as patch:
            if not _chmod_stops_writes(folder):
                real_open = os.open

                def refuse(path: object, flags: int, *args: object, **kwargs: object) -> int:
                    if str(path).startswith(str(folder)) and flags & (os.O_WRONLY | os.O_RDWR):
                        raise PermissionError(errno.EACCES, "Permission denied", str(path))
                    return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

                patch.setattr(os, "open", refuse)
            yield folder
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("where", ["history.toml", "sub/history.toml"])
def test_an_unwritable_folder_raises_a_plain_error(
    locked_folder: Path, append: Appender, where: str
) -> None:
    log = locked_folder / where
    with pytest.raises(HistoryWriteError) as caught:
        append(log, make_session(1))
    error = caught.value
    assert error.path == log
    assert error.message == "no permission to write here"
    assert str(error) == f"{log}: no permission to write here"
    assert isinstance(error, OSError)
    assert not log.exists()


def test_a_log_that_is_a_folder_raises_a_plain_error(log: Path) -> None:
    log.mkdir()
    with pytest.raises(HistoryWriteError) as caught:
        append_session(log, make_session(1))
    assert caught.value.path == log
    assert caught.value.message
    assert "Errno" not in caught.value.message


def test_saving_beside_a_log_that_cannot_be_written_uses_the_rescue_file(log: Path) -> None:
    log.mkdir()  # a folder where the log should be: left alone, like a damaged log
    result = save_session(log, make_session(1))
    assert result.path == rescue_path(log)
    assert result.rescued_from is not None
    assert "cannot be written" in result.rescued_from.message
    assert log.is_dir() and not any(log.iterdir())


def _full_disk(mode: str) -> Callable[[int, bytes], int]:
    real_write = os.write

    def write(descriptor: int, data: bytes) -> int:
        if mode == "nothing written":
            raise OSError(errno.ENOSPC, "No space left on device")
        half = real_write(descriptor, bytes(data)[: len(data) // 2])
        if mode == "half written, then an error":
            raise OSError(errno.ENOSPC, "No space left on device")
        return half  # "a short count": half written, no error

    return write


@pytest.mark.parametrize(
    "mode", ["nothing written", "half written, then an error", "a short count"]
)
@pytest.mark.parametrize("ending", ["ends in a newline", "no final newline", "CRLF line endings"])
def test_a_failed_write_leaves_the_log_exactly_as_it_was(
    log: Path, monkeypatch: pytest.MonkeyPatch, append: Appender, mode: str, ending: str
) -> None:
    before, count = ENDINGS[ending]
    log.write_bytes(before)
    # A context of its own: undoing it must not undo the test's own locations.
    with monkeypatch.context() as patched, pytest.raises(HistoryWriteError) as caught:
        patched.setattr(os, "write", _full_disk(mode))
        append(log, make_session(50, notes="n" * 10_000))
    assert caught.value.message == "the disk is full"
    assert caught.value.path == log
    assert log.read_bytes() == before
    # Once there is room again, the next append lands normally.
    append(log, make_session(51))
    assert log.read_bytes().startswith(before)
    assert len(read_sessions(log)) == count + 1


def test_a_failed_fsync_takes_the_block_back_out(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log.write_bytes(GOOD)

    def fsync(descriptor: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    with monkeypatch.context() as patched, pytest.raises(HistoryWriteError) as caught:
        patched.setattr(log_module.os, "fsync", fsync)
        save_session(log, make_session(2))
    assert caught.value.message == "Input/output error"
    assert log.read_bytes() == GOOD


def test_a_new_log_that_fails_its_first_write_is_left_empty(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched, pytest.raises(HistoryWriteError):
        patched.setattr(os, "write", _full_disk("half written, then an error"))
        append_session(log, make_session(1))
    assert log.read_bytes() == b""
    assert check_log(log) is None


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EACCES, "no permission to write here"),
        (errno.EPERM, "no permission to write here"),
        (errno.EROFS, "the disk is read-only"),
    ],
)
def test_errors_are_phrased_in_plain_words(
    log: Path, monkeypatch: pytest.MonkeyPatch, number: int, reason: str
) -> None:
    def write(descriptor: int, data: bytes) -> int:
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(os, "write", write)
    with pytest.raises(HistoryWriteError) as caught:
        save_session(log, make_session(1))
    assert caught.value.message == reason


def test_a_save_parses_only_what_follows_the_part_known_to_be_good(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(30):
        append_session(log, make_session(number))
    assert save_session(log, make_session(100)).path == log  # full check, remembered
    parsed: list[int] = []
    real_loads = tomllib.loads

    def counting(text: str) -> dict[str, object]:
        parsed.append(len(text))
        return real_loads(text)

    monkeypatch.setattr(tomllib, "loads", counting)
    assert save_session(log, make_session(101)).path == log
    whole = len(log.read_text(encoding="utf-8"))
    assert parsed and max(parsed) < whole / 10  # the last session or two, not the log


def test_damage_after_the_known_good_part_is_still_found(log: Path) -> None:
    append_session(log, make_session(1))
    assert check_log(log) is None
    with log.open("a", encoding="utf-8") as handle:
        handle.write("rpe = \n")
    problem = check_log(log)
    assert problem is not None and problem.line == log.read_text().count("\n")
    before = log.read_bytes()
    assert save_session(log, make_session(2)).path == rescue_path(log)
    assert log.read_bytes() == before


def test_an_edit_before_the_known_good_part_means_a_full_check(log: Path) -> None:
    append_session(log, make_session(1))
    append_session(log, make_session(2))
    assert check_log(log) is None
    text = log.read_text(encoding="utf-8")
    log.write_text(text.replace('plan = "', "plan = ", 1), encoding="utf-8")  # broken early
    problem = check_log(log)
    assert problem is not None and problem.line < 5


def test_a_save_to_a_long_log_parses_only_its_end(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(200):
        append_session(log, make_session(number))
    parsed: list[int] = []
    real = log_module.problem_in

    def counting(path: Path, data: bytes) -> LogProblem | None:
        parsed.append(len(data))
        return real(path, data)

    monkeypatch.setattr(log_module, "problem_in", counting)
    save_session(log, make_session(200))  # the first save checks the whole log once
    assert parsed == [log.stat().st_size - len(render_session(make_session(200))) - 1]
    parsed.clear()
    save_session(log, make_session(201))  # untouched since: nothing to parse
    assert parsed == []
    append_session(log, make_session(202))  # another process appends meanwhile
    parsed.clear()
    save_session(log, make_session(203))
    block = len(render_session(make_session(202)))
    assert len(parsed) == 1 and parsed[0] < 3 * block  # the last blocks, not the log
    assert [session.id for session in read_sessions(log)][-4:] == [
        make_session(number).id for number in range(200, 204)
    ]


def test_an_edit_in_the_middle_is_seen_at_the_next_save(log: Path) -> None:
    for number in range(5):
        append_session(log, make_session(number))
    save_session(log, make_session(5))
    text = log.read_text(encoding="utf-8")
    middle = text.index("[[session]]", len(text) // 2)
    log.write_text(text[:middle] + "[[session]\nbroken = \n" + text[middle:], encoding="utf-8")
    result = save_session(log, make_session(6))
    assert result.path == rescue_path(log)
    assert result.rescued_from is not None
