"""The crash journal: atomic snapshots while a workout runs, recovered after a crash.

``write_journal`` replaces the journal atomically; ``recover_journals`` appends
journals left by dead processes to the log as "recovered" (once, never twice),
leaves live processes' journals alone, keeps journals it cannot read, and
never appends to a damaged log. A real process is SIGKILLed in the middle of a
step and everything before that step comes back. ``JournalWriter`` writes in
the background, newest snapshot wins, and stores errors instead of raising.
"""

from __future__ import annotations

import errno
import os
import queue
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from retro_tui.history import journal as journal_module
from retro_tui.history.journal import (
    JournalWriter,
    Recovery,
    fallback_journal_path,
    journal_path,
    journal_paths,
    recover_journals,
    remove_journal,
    write_journal,
)
from retro_tui.history.log import append_session
from retro_tui.history.record import (
    SessionRecord,
    SessionStatus,
    StepRecord,
    render_session,
    session_from_table,
)

START = datetime(2026, 6, 1, 7, 30, tzinfo=UTC)


def make_session(session_id: str = "20260601T073000-ab12", steps: int = 3) -> SessionRecord:
    return SessionRecord(
        id=session_id,
        plan='Retro "starter"',
        started=START,
        ended=START + timedelta(minutes=steps),
        status=SessionStatus.RECOVERED,
        steps=tuple(
            StepRecord(
                name=f"Backward {k + 1}",
                kind="work",
                direction="backward",
                planned_s=30,
                actual_s=30.0,
                speed=2.5,
                rpe=k % 11,
            )
            for k in range(steps)
        ),
        plan_file="starter.toml",
        notes="journal [x] \\ \n é",
        planned_intervals=4,
    )


def read_sessions(path: Path) -> list[SessionRecord]:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    return [session_from_table(table) for table in document.get("session", [])]


def read_journal(path: Path) -> tuple[dict[str, object], SessionRecord]:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(document) == {"owner", "journal"}
    assert len(document["journal"]) == 1
    return document["owner"], session_from_table(document["journal"][0])


def folder_names(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def set_owner(path: Path, pid: int, host: str | None = None) -> None:
    text = path.read_text(encoding="utf-8")
    mine = f"pid = {os.getpid()}\n"
    assert mine in text
    text = text.replace(mine, f"pid = {pid}\n")
    # The journal also names the process by boot id and start time: make it match.
    identity = journal_module._process_identity(os.getpid())
    text = text.replace(
        f'process = "{identity}"', f'process = "{journal_module._process_identity(pid)}"'
    )
    if host is not None:
        text = text.replace(f'host = "{journal_module._host()}"', f'host = "{host}"')
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def log(tmp_path: Path) -> Path:
    folder = tmp_path / "data"  # a folder of its own, so its listing shows every file made
    folder.mkdir()
    return folder / "history.toml"


@pytest.fixture
def live_process() -> Iterator[subprocess.Popen[bytes]]:
    child = subprocess.Popen(["sleep", "30"])
    try:
        yield child
    finally:
        child.kill()
        child.wait()


def dead_journal(log: Path, session: SessionRecord) -> Path:
    path = write_journal(log, session)
    set_owner(path, dead_pid())
    return path


# -- write_journal -----------------------------------------------------------------------


def test_write_journal_is_hidden_beside_the_log_and_parses_back(log: Path) -> None:
    session = make_session()
    path = write_journal(log, session)
    assert path == journal_path(log, session.id)
    assert path == log.with_name(f".history.journal-{session.id}.toml")
    assert journal_paths(log) == [path]
    owner, back = read_journal(path)
    assert back == session
    assert owner == {
        "pid": os.getpid(),
        "host": journal_module._host(),
        "process": journal_module._process_identity(os.getpid()),
    }
    assert folder_names(log.parent) == {path.name}  # no temp file left, no log made


def test_write_journal_replaces_the_previous_snapshot(log: Path) -> None:
    for count in range(6):
        write_journal(log, make_session(steps=count))
        _, back = read_journal(journal_path(log, make_session().id))
        assert len(back.steps) == count
    assert folder_names(log.parent) == {journal_path(log, make_session().id).name}


def test_write_journal_creates_the_folder(tmp_path: Path) -> None:
    log = tmp_path / "a" / "b" / "history.toml"
    path = write_journal(log, make_session())
    assert path.parent == log.parent
    assert read_journal(path)[1] == make_session()


def test_journals_of_different_sessions_live_side_by_side(log: Path) -> None:
    first = write_journal(log, make_session("one"))
    second = write_journal(log, make_session("two"))
    assert first != second
    assert journal_paths(log) == sorted([first, second])
    remove_journal(log, "one")
    assert journal_paths(log) == [second]
    remove_journal(log, "one")  # removing twice is fine
    remove_journal(log, "never-existed")
    assert journal_paths(log) == [second]


def _failing_write(mode: str) -> Callable[[int, bytes], int]:
    real_write = os.write

    def write(descriptor: int, data: bytes) -> int:
        if mode == "error":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(descriptor, bytes(data)[: len(data) // 2])  # a short count

    return write


@pytest.mark.parametrize("mode", ["error", "short count"])
def test_a_failed_journal_write_keeps_the_last_good_one_and_no_temp_file(
    log: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    good = make_session(steps=2)
    path = write_journal(log, good)
    before = path.read_bytes()
    monkeypatch.setattr(os, "write", _failing_write(mode))
    with pytest.raises(OSError):
        write_journal(log, make_session(steps=3))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert folder_names(log.parent) == {path.name}


def test_a_failed_rename_leaves_no_temp_file(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: object, target: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(journal_module.os, "replace", refuse)
    with pytest.raises(OSError):
        write_journal(log, make_session())
    monkeypatch.undo()
    assert not log.parent.exists() or folder_names(log.parent) == set()


# -- recover_journals --------------------------------------------------------------------


def test_nothing_to_recover_does_not_even_create_the_log(log: Path) -> None:
    assert recover_journals(log) == []
    assert not log.exists()


@pytest.mark.parametrize(
    "status",
    # Written mid-workout, a journal says "recovered"; written on the summary, it holds how
    # the workout ended, and recovery keeps that.
    [SessionStatus.RECOVERED, SessionStatus.ENDED_EARLY, SessionStatus.COMPLETED],
)
def test_a_dead_process_journal_is_appended_with_its_status_and_removed(
    log: Path, status: SessionStatus
) -> None:
    earlier = replace(make_session("earlier"), status=SessionStatus.COMPLETED)
    append_session(log, earlier)
    log.write_bytes(log.read_bytes() + b"# a comment without a newline")
    before = log.read_bytes()
    session = replace(make_session(), status=status)
    path = dead_journal(log, session)

    results = recover_journals(log)

    expected = session
    assert results == [Recovery(path, expected)]
    assert results[0].problem == ""
    assert not path.exists()
    assert log.read_bytes().startswith(before)
    assert read_sessions(log) == [earlier, expected]
    # Running it again finds nothing more to do.
    assert recover_journals(log) == []
    assert read_sessions(log) == [earlier, expected]


def test_a_journal_recovered_into_a_missing_log_creates_it(tmp_path: Path) -> None:
    log = tmp_path / "history.toml"
    path = dead_journal(log, make_session())
    assert not log.exists()
    recover_journals(log)
    assert read_sessions(log) == [make_session()]
    assert not path.exists()


def test_every_dead_journal_is_recovered(log: Path) -> None:
    sessions = [make_session(f"s{k}", steps=k + 1) for k in range(4)]
    paths = [dead_journal(log, session) for session in sessions]
    results = recover_journals(log)
    assert sorted(result.journal for result in results) == sorted(paths)
    assert all(result.problem == "" for result in results)
    assert sorted(read_sessions(log), key=lambda s: s.id) == sessions
    assert journal_paths(log) == []


def test_a_journal_naming_this_very_process_is_recovered(log: Path) -> None:
    # This process cannot be running that workout: the pid was reused after a crash.
    path = write_journal(log, make_session())
    assert recover_journals(log) == [Recovery(path, make_session())]
    assert read_sessions(log) == [make_session()]


def test_a_live_process_journal_is_left_alone(
    log: Path, live_process: subprocess.Popen[bytes]
) -> None:
    path = write_journal(log, make_session())
    set_owner(path, live_process.pid)
    before = path.read_bytes()
    assert recover_journals(log) == []
    assert path.read_bytes() == before
    assert not log.exists()
    # Once that process is gone, the journal is recovered.
    live_process.kill()
    live_process.wait()
    assert recover_journals(log) == [Recovery(path, make_session())]
    assert read_sessions(log) == [make_session()]


def test_a_live_journal_is_skipped_while_a_dead_one_beside_it_is_recovered(
    log: Path, live_process: subprocess.Popen[bytes]
) -> None:
    live = write_journal(log, make_session("live"))
    set_owner(live, live_process.pid)
    dead = dead_journal(log, make_session("dead"))
    results = recover_journals(log)
    assert [result.journal for result in results] == [dead]
    assert live.exists() and not dead.exists()
    assert [session.id for session in read_sessions(log)] == ["dead"]


def test_a_session_already_in_the_log_is_not_duplicated(log: Path) -> None:
    # The crash came after the save but before the journal was removed.
    session = make_session()
    append_session(log, replace(session, status=SessionStatus.COMPLETED))
    before = log.read_bytes()
    path = dead_journal(log, session)
    results = recover_journals(log)
    assert len(results) == 1 and results[0].problem == ""
    assert log.read_bytes() == before
    assert [s.status for s in read_sessions(log)] == [SessionStatus.COMPLETED]
    assert not path.exists()


def test_a_journal_without_finished_steps_adds_nothing(log: Path) -> None:
    path = dead_journal(log, make_session(steps=0))
    recover_journals(log)
    assert not path.exists()
    assert read_sessions(log) == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"[owner]\npid = 1\n[[journal]\nbroken", "cannot be read"),
        (b"\xff\xfe\x00 not text", "cannot be read"),
        (b"", "no session in it"),
        (b"[owner]\npid = 12\n", "no session in it"),
        (b'[[journal]]\nid = "a"\n[[journal]]\nid = "b"\n', "no session in it"),
        (
            b'[[journal]]\nid = "a"\nstarted = 2026-01-01T00:00:00Z\n'
            b"ended = 2026-01-01T00:01:00Z\n[[journal.step]]\nplanned_s = 30\n"
            b"[[journal.step]]\nplanned_s = 30\nrpe = 99\n",
            "step[2].rpe",
        ),
    ],
    ids=["bad toml", "not utf-8", "empty", "owner only", "two sessions", "bad value"],
)
def test_an_unreadable_journal_is_kept_and_reported(
    log: Path, content: bytes, problem: str
) -> None:
    append_session(log, make_session("earlier"))
    before = log.read_bytes()
    path = journal_path(log, "unreadable")
    path.write_bytes(content)
    results = recover_journals(log)
    assert len(results) == 1
    assert results[0].journal == path
    assert results[0].session is None
    assert results[0].problem.startswith("cannot be read")
    assert problem in results[0].problem
    assert path.read_bytes() == content
    assert log.read_bytes() == before


def test_an_unreadable_journal_does_not_stop_the_others(log: Path) -> None:
    bad = journal_path(log, "aaa-bad")
    bad.write_bytes(b"nonsense = ")
    good = dead_journal(log, make_session("zzz-good"))
    results = {result.journal: result for result in recover_journals(log)}
    assert results[bad].session is None and results[bad].problem
    assert results[good].problem == ""
    assert bad.exists() and not good.exists()
    assert [s.id for s in read_sessions(log)] == ["zzz-good"]


def test_a_damaged_log_is_not_appended_to_and_the_journal_waits(log: Path) -> None:
    damaged = render_session(make_session("earlier")).encode() + b"\n[[session]]\nid = \n"
    log.write_bytes(damaged)
    path = dead_journal(log, make_session())
    journal_bytes = path.read_bytes()
    results = recover_journals(log)
    assert len(results) == 1
    assert results[0].journal == path
    assert results[0].session == make_session()
    assert "the log is damaged" in results[0].problem
    line = damaged.count(b"\n")
    assert f"{log}:{line}:" in results[0].problem
    assert log.read_bytes() == damaged
    assert path.read_bytes() == journal_bytes
    # Repaired, the log takes the session on the next start.
    log.write_bytes(render_session(make_session("earlier")).encode())
    assert recover_journals(log)[0].problem == ""
    assert [s.id for s in read_sessions(log)] == ["earlier", make_session().id]
    assert not path.exists()


def test_journals_of_another_log_are_not_touched(log: Path) -> None:
    other_log = log.with_name("other.toml")
    other = dead_journal(other_log, make_session())
    assert recover_journals(log) == []
    assert other.exists()
    assert not log.exists()


# -- a real crash ------------------------------------------------------------------------

PLAN = """
[plan]
name = "Crash test"

[[step]]
kind = "warmup"
duration = "1m"
speed = 5.0

[[step]]
repeat = 3
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 2.0
  [[step.step]]
  kind = "recover"
  duration = "1m"
  speed = 3.0
"""

CRASH_CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from retro_tui.history.journal import JournalWriter, write_journal
    from retro_tui.history.session import build_session
    from retro_tui.plan import parse_plan_text
    from retro_tui.workout import FakeClock, RatingDue, StepEnded, Workout

    log, plan_file, finished = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    plan = parse_plan_text(plan_file.read_text(), str(plan_file), plan_file)
    clock = FakeClock()
    workout = Workout(plan, clock)
    started = datetime(2026, 4, 1, 7, 0, tzinfo=timezone.utc)
    writer = JournalWriter(log)

    def snapshot():
        ended = started + timedelta(seconds=clock.now - 1000.0)
        return build_session(workout, session_id="crash-1", started=started, ended=ended)

    workout.start()
    write_journal(log, snapshot())  # nothing done yet
    for _ in range(finished):
        clock.advance(workout.remaining_s)
        events = workout.poll()
        for event in events:
            if isinstance(event, RatingDue):
                workout.rate(7)
        if any(isinstance(event, StepEnded) for event in events):
            writer.submit(snapshot())
    writer.flush()
    clock.advance(10.0)  # ten seconds into the next step
    workout.poll()
    writer.submit(snapshot())  # a snapshot mid-step holds the step in progress, so far
    writer.flush()
    if writer.error is not None:
        sys.exit(f"journal error: {writer.error}")
    print("in the middle of a step", flush=True)
    time.sleep(60)
    """
)


def read_line(child: subprocess.Popen[str], timeout: float) -> str:
    """The child's next line of output, without ever waiting longer than ``timeout``."""
    lines: queue.Queue[str] = queue.Queue()
    assert child.stdout is not None
    stdout = child.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        pytest.fail(f"no output from the child in {timeout} s")


def stop(child: subprocess.Popen[str]) -> None:
    """Make sure the child is gone and reaped, and its pipes are closed."""
    if child.poll() is None:
        child.kill()
    child.wait(timeout=10)
    for pipe in (child.stdout, child.stderr):
        if pipe is not None:
            pipe.close()


@pytest.mark.parametrize("finished", [1, 3, 5])
def test_a_process_killed_mid_step_loses_at_most_that_step(
    log: Path, tmp_path: Path, finished: int
) -> None:
    plan_file = tmp_path / "crash-test.toml"
    plan_file.write_text(PLAN)
    append_session(log, replace(make_session("before"), status=SessionStatus.COMPLETED))
    before = log.read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", CRASH_CHILD, str(log), str(plan_file), str(finished)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = read_line(child, timeout=20)
        if not line:
            pytest.fail(f"the child died early: {child.communicate(timeout=5)[1]}")
        assert line.strip() == "in the middle of a step"
        # While it runs, its journal is left alone.
        assert recover_journals(log) == []
        assert log.read_bytes() == before
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)  # reaped, so its pid is really gone
    finally:
        stop(child)
    assert child.returncode == -signal.SIGKILL

    journal = journal_path(log, "crash-1")
    assert journal.exists()
    results = recover_journals(log)
    assert [result.journal for result in results] == [journal]
    assert results[0].problem == ""
    assert not journal.exists()

    assert log.read_bytes().startswith(before)
    sessions = read_sessions(log)
    assert [s.id for s in sessions] == ["before", "crash-1"]
    session = sessions[1]
    assert session == results[0].session
    assert session.status is SessionStatus.RECOVERED
    assert session.plan == "Crash test"
    assert session.plan_file == "crash-test.toml"
    assert session.planned_intervals == 3
    assert session.started == datetime(2026, 4, 1, 7, 0, tzinfo=UTC)
    # Every finished step is there, in order, as run, then the one in progress with its ten
    # seconds, cut short: the crash lost no more than the time since the last snapshot.
    warm_up = ("Warm-up", "warmup", "forward", 60, None)
    backward = ("Backward", "work", "backward", 30, 7)
    recovery = ("Recovery", "recover", "forward", 60, None)
    expected = [warm_up] + [backward, recovery] * 3
    in_progress = expected[finished][:4] + (None,)
    assert [(s.name, s.kind, s.direction, s.planned_s, s.rpe) for s in session.steps] == [
        *expected[:finished],
        in_progress,
    ]
    done = [float(item[3]) for item in expected[:finished]]
    assert [s.actual_s for s in session.steps] == [*done, 10.0]
    assert [s.skipped for s in session.steps] == [False] * finished + [True]
    # Recovering again adds nothing.
    assert recover_journals(log) == []
    assert len(read_sessions(log)) == 2


REWRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from retro_tui.history.journal import write_journal
    from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord

    log = Path(sys.argv[1])
    started = datetime(2026, 4, 1, 7, 0, tzinfo=timezone.utc)
    steps = []
    for n in range(1, 100_000):
        steps.append(StepRecord(f"step {n}", "work", "backward", 30, 30.0))
        session = SessionRecord("busy", "Busy", started, started, SessionStatus.RECOVERED,
                                tuple(steps), notes="x" * 2000)
        write_journal(log, session)
        print(n, flush=True)
    """
)


def test_a_kill_at_any_moment_leaves_a_whole_journal(log: Path) -> None:
    """SIGKILL a process that rewrites its journal as fast as it can: the journal always parses."""
    child = subprocess.Popen(
        [sys.executable, "-c", REWRITER, str(log)], stdout=subprocess.PIPE, text=True
    )
    try:
        reported = 0
        deadline = time.monotonic() + 20
        while reported < 30:
            line = read_line(child, timeout=max(0.1, deadline - time.monotonic()))
            assert line, "the child died early"
            reported = int(line)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        stop(child)
    journal = journal_path(log, "busy")
    _, session = read_journal(journal)
    assert len(session.steps) >= reported
    assert [step.name for step in session.steps] == [
        f"step {n}" for n in range(1, len(session.steps) + 1)
    ]
    results = recover_journals(log)
    assert results[0].problem == ""
    assert read_sessions(log) == [session]
    # A temp file cut off by the kill may be left, but it is never taken for a journal.
    assert journal_paths(log) == []


# -- JournalWriter -----------------------------------------------------------------------


def test_the_writer_keeps_only_the_newest_snapshot(log: Path) -> None:
    writer = JournalWriter(log)
    snapshots = [make_session(steps=count) for count in range(20)]
    for snapshot in snapshots:
        writer.submit(snapshot)
    assert writer.flush(timeout=10)
    path = journal_path(log, snapshots[-1].id)
    assert read_journal(path)[1] == snapshots[-1]
    assert folder_names(log.parent) == {path.name}
    assert writer.error is None


def test_a_snapshot_right_after_close_is_written_all_the_same(log: Path) -> None:
    # The writer's thread is still alive for a moment after it ends: a snapshot sent
    # then must start a new one, not wait in vain for the old.
    writer = JournalWriter(log)
    for count in range(100):
        writer.submit(make_session(steps=1 + count % 3))
        writer.close()
        snapshot = make_session(steps=1 + (count + 1) % 3)
        writer.submit(snapshot)
        assert writer.flush(timeout=5), f"stranded after {count} closes"
        assert read_journal(journal_path(log, snapshot.id))[1] == snapshot
    writer.close()


def test_snapshots_that_arrive_during_a_write_are_skipped_but_the_last(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, release = threading.Event(), threading.Event()
    written: list[int] = []
    real_write = journal_module.write_journal

    def slow_write(log_path: Path, session: SessionRecord) -> Path:
        written.append(len(session.steps))
        entered.set()
        assert release.wait(10)
        return real_write(log_path, session)

    monkeypatch.setattr(journal_module, "write_journal", slow_write)
    writer = JournalWriter(log)
    writer.submit(make_session(steps=1))
    assert entered.wait(10)  # the first snapshot is being written...
    for count in range(2, 11):  # ...while nine more arrive
        writer.submit(make_session(steps=count))
    release.set()
    assert writer.flush(timeout=10)
    assert written == [1, 10]
    assert len(read_journal(journal_path(log, make_session().id))[1].steps) == 10


def test_submit_never_blocks_on_a_slow_disk(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    real_write = journal_module.write_journal

    def stuck_write(log_path: Path, session: SessionRecord) -> Path:
        assert release.wait(10)
        return real_write(log_path, session)

    monkeypatch.setattr(journal_module, "write_journal", stuck_write)
    writer = JournalWriter(log)
    began = time.monotonic()
    for count in range(5):
        writer.submit(make_session(steps=count))
    assert time.monotonic() - began < 1.0
    assert writer.flush(timeout=0.05) is False  # still stuck: flush says so instead of hanging
    release.set()
    assert writer.flush(timeout=10) is True


def test_discard_waits_for_pending_writes_then_removes_the_journal(log: Path) -> None:
    writer = JournalWriter(log)
    session = make_session()
    writer.submit(session)
    assert writer.flush(timeout=10)
    assert journal_path(log, session.id).exists()
    for count in range(5):
        writer.submit(make_session(steps=count))
    writer.discard(session.id)
    assert not journal_path(log, session.id).exists()
    assert folder_names(log.parent) == set()


def test_a_write_error_is_stored_not_raised_and_cleared_by_a_success(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    log = blocker / "history.toml"
    # The fallback folder is blocked too, so there is nowhere to write.
    monkeypatch.setattr("retro_tui.paths.fallback_journal_dir", lambda: blocker / "journals")
    writer = JournalWriter(log)
    writer.submit(make_session())  # does not raise
    assert writer.flush(timeout=10)
    assert isinstance(writer.error, OSError)
    blocker.unlink()
    writer.submit(make_session())
    assert writer.flush(timeout=10)
    assert writer.error is None
    assert read_journal(journal_path(log, make_session().id))[1] == make_session()


def test_a_host_name_never_breaks_the_journal(log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "gethostname", lambda: 'odd"host\\name')
    path = write_journal(log, make_session())
    owner, session = read_journal(path)
    assert owner["host"] == "oddhostname"
    assert session == make_session()


def test_an_unwritable_log_folder_keeps_the_journal_in_the_fallback_folder(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    log = blocker / "history.toml"
    writer = JournalWriter(log)
    session = make_session(steps=2)
    writer.submit(session)
    assert writer.flush(timeout=10)
    assert writer.error is None
    fallback = fallback_journal_path(log, session.id)
    assert read_journal(fallback)[1] == session
    assert journal_paths(log) == [fallback]
    # Once the folder is back, the next start recovers the session from there.
    blocker.unlink()
    set_owner(fallback, dead_pid())
    [recovery] = recover_journals(log)
    assert recovery.session is not None and recovery.session.id == session.id
    assert not fallback.exists()
    assert tomllib.loads(log.read_text(encoding="utf-8"))["session"][0]["status"] == "recovered"


def test_the_same_session_in_two_places_is_recovered_once_from_the_newest(log: Path) -> None:
    older = make_session(steps=1)
    newer = make_session(steps=3)
    set_owner(write_journal(log, older), dead_pid())
    set_owner(write_journal(log, newer, fallback=True), dead_pid())
    [recovery] = recover_journals(log)
    assert recovery.session is not None and len(recovery.session.steps) == 3
    sessions = tomllib.loads(log.read_text(encoding="utf-8"))["session"]
    assert len(sessions) == 1 and len(sessions[0]["step"]) == 3
    assert journal_paths(log) == []


def test_a_reused_pid_after_a_reboot_does_not_keep_a_journal_alive(
    log: Path, live_process: subprocess.Popen[bytes]
) -> None:
    path = write_journal(log, make_session())
    set_owner(path, live_process.pid)
    # Same pid, but written by a process that started at another time (or boot).
    text = path.read_text(encoding="utf-8")
    start = text.index('process = "') + len('process = "')
    end = text.index('"', start)
    path.write_text(text[:start] + "another-boot/1" + text[end:], encoding="utf-8")
    [recovery] = recover_journals(log)
    assert recovery.session is not None
    assert not path.exists()
