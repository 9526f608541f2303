"""The crash journal: the session so far, kept beside the log while a workout runs.

The running session is written to its own journal file when the workout
starts, every few seconds during every step (the step in progress with its
seconds so far), at every step change and rating, and at every answer on the
summary, atomically (a temp file in the same folder, ``fsync``, ``rename``),
so a power cut or ``kill -9`` loses seconds, never the session. When the
session is saved the journal is removed. On the next start of any
``retro-tui`` command, :func:`recover_journals` appends journals left by dead
runs to the log and removes them: one written mid-workout as "recovered", one
written on the summary as the workout ended, with the answers given.

Each journal names the process that writes it, so a workout still running in
another terminal (or browser tab) is never "recovered" from under it. If the
log's folder can't be written, journals go to a fallback folder (the user
state dir) under a name derived from the log's path, and recovery looks there
too.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import sys
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

from retro_tui import paths
from retro_tui.files import read_at, replace_atomically
from retro_tui.history.log import append_locked, locked, problem_in
from retro_tui.history.record import (
    RecordError,
    SessionRecord,
    render_session,
    session_from_table,
)

JOURNAL_TABLE = "journal"


def journal_path(log: Path, session_id: str) -> Path:
    return log.with_name(f".{log.stem}.journal-{session_id}.toml")


def fallback_journal_path(log: Path, session_id: str) -> Path:
    """The journal's place when the log's folder is not writable: keyed by the log's path."""
    key = hashlib.sha256(str(log.absolute()).encode("utf-8")).hexdigest()[:16]
    return paths.fallback_journal_dir() / f"{key}.journal-{session_id}.toml"


def journal_paths(log: Path) -> list[Path]:
    """Every journal that belongs to ``log``: beside it, and in the fallback folder."""
    found: list[Path] = []
    fallback = fallback_journal_path(log, "*")
    for folder, pattern in (
        (log.parent, f".{log.stem}.journal-*.toml"),
        (fallback.parent, fallback.name),
    ):
        with contextlib.suppress(OSError):
            found += sorted(folder.glob(pattern))
    return found


def write_journal(log: Path, session: SessionRecord, *, fallback: bool = False) -> Path:
    """Atomically replace the journal of ``session`` with its current state."""
    path = (fallback_journal_path if fallback else journal_path)(log, session.id)
    identity = _process_identity(os.getpid())
    owner = f'[owner]\npid = {os.getpid()}\nhost = "{_host()}"\nprocess = "{identity}"\n\n'
    data = (owner + render_session(session, JOURNAL_TABLE)).encode("utf-8")
    # On failure the last good journal stays in place, with no temp file beside it.
    replace_atomically(path, data)
    return path


def remove_journal(log: Path, session_id: str) -> None:
    for path in (journal_path(log, session_id), fallback_journal_path(log, session_id)):
        with contextlib.suppress(OSError):
            path.unlink()


@dataclass(frozen=True)
class Recovery:
    """What happened to one journal found at start-up."""

    journal: Path
    session: SessionRecord | None
    problem: str = ""


def recover_journals(log: Path) -> list[Recovery]:
    """Append every journal left by a dead run to the log as "recovered", then remove it.

    Journals of live processes are left alone. A journal that cannot be read
    is kept (and reported) rather than deleted: it may be all that is left of
    a workout. A log that does not parse is not appended to; the journal
    waits until it is repaired.
    """
    results: list[Recovery] = []
    journals = [path for path in journal_paths(log) if not _owner_alive(path)]
    if not journals:
        return results
    with locked(log) as descriptor:
        size = os.fstat(descriptor).st_size
        existing = read_at(descriptor, size, 0) if size else b""
        damaged = problem_in(log, existing)
        readable: list[tuple[Path, SessionRecord]] = []
        for journal in journals:
            try:
                readable.append((journal, _read_journal(journal)))
            except FileNotFoundError:
                continue  # another retro-tui starting at the same moment recovered it
            except (OSError, ValueError) as error:
                results.append(Recovery(journal, None, f"cannot be read: {error}"))
        # The same session may have a journal in two places (its folder turned
        # read-only mid-workout): the one with the most steps is the newest.
        readable.sort(key=lambda item: len(item[1].steps), reverse=True)
        done: set[str] = set()
        for journal, session in readable:
            if damaged is not None:
                results.append(Recovery(journal, session, f"the log is damaged: {damaged}"))
                continue
            # A journal written while the workout ran says "recovered" already; one written on
            # the summary holds how the workout really ended, and keeps it.
            recovered = session
            # A crash between an earlier append and the unlink must not duplicate it.
            already = session.id in done or f'id = "{session.id}"'.encode() in existing
            if not already and session.steps:
                append_locked(descriptor, log, render_session(recovered))
            journal.unlink(missing_ok=True)
            if session.id not in done:
                results.append(Recovery(journal, recovered))
            done.add(session.id)
    return results


def _read_journal(path: Path) -> SessionRecord:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = document.get(JOURNAL_TABLE)
    if not isinstance(entries, list) or len(entries) != 1 or not isinstance(entries[0], dict):
        raise ValueError("no session in it")
    try:
        return session_from_table(entries[0])
    except RecordError as error:
        raise ValueError(str(error)) from None


def _owner_alive(path: Path) -> bool:
    try:
        owner = tomllib.loads(path.read_text(encoding="utf-8")).get("owner", {})
    except (OSError, ValueError):
        return False
    pid, host = owner.get("pid"), owner.get("host")
    if not isinstance(pid, int) or pid <= 0 or host != _host() or pid == os.getpid():
        return False
    # After a reboot (a power cut is what journals are for) the pid may belong to
    # some other process: the boot id and start time say whether it is the same one.
    written = owner.get("process")
    if isinstance(written, str) and written and written != _process_identity(pid):
        return False
    return _running(pid) and not _is_zombie(pid)


def _running(pid: int) -> bool:
    """Whether a process ``pid`` exists (it may belong to another user)."""
    if sys.platform == "win32":
        return _running_on_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0: nothing is sent, only asked
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, ValueError, OSError):
        return False  # a pid no process can have
    return True


def _running_on_windows(pid: int) -> bool:
    # os.kill(pid, 0) would end the process on Windows: ask the process table instead.
    import ctypes

    limited_query, still_active, access_denied = 0x1000, 259, 5
    kernel = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle = kernel.OpenProcess(limited_query, False, pid)
    if not handle:
        # Another user's process is there all the same, as PermissionError says on Unix.
        error: int = ctypes.get_last_error()  # type: ignore[attr-defined]
        return error == access_denied
    try:
        code = ctypes.c_ulong()
        return bool(kernel.GetExitCodeProcess(handle, ctypes.byref(code))) and (
            code.value == still_active
        )
    finally:
        kernel.CloseHandle(handle)


def _process_identity(pid: int) -> str:
    """``<boot id>/<start time>`` of a process on Linux; "" where /proc can't tell."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        start = stat.rpartition(")")[2].split()[19]  # field 22: start time in clock ticks
    except (OSError, IndexError):
        return ""
    return f"{boot}/{start}"


def _is_zombie(pid: int) -> bool:
    """A killed process its parent has not reaped yet still answers kill(pid, 0)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False  # no /proc (macOS): trust kill()
    # The state letter follows the command name, which is in parentheses.
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def _host() -> str:
    return socket.gethostname().replace('"', "").replace("\\", "")


class JournalWriter:
    """Writes journal snapshots on a background thread, newest first, never blocking the caller.

    Only the latest snapshot matters: if several arrive while one is being
    written, the ones in between are skipped. ``error`` holds the last failure
    (for one notice on screen) and is cleared by the next success. One thread
    does the writing for as long as the writer lives (started at the first
    snapshot, stopped by :meth:`close`): starting a thread for each snapshot
    would cost the caller a wait for the new thread every few seconds.
    """

    def __init__(self, log: Path) -> None:
        self.log = log
        self.error: OSError | None = None
        self._latest: SessionRecord | None = None
        self._condition = threading.Condition()
        self._busy = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self._written = 0
        self._paths: dict[str, Path] = {}

    def submit(self, session: SessionRecord) -> None:
        with self._condition:
            self._latest = session
            self._busy = True
            # The thread says it has ended (under this lock) before it returns: a thread
            # still alive for a moment after that must not be counted on.
            if self._thread is None:
                self._closed = False
                self._thread = threading.Thread(target=self._run, name="journal", daemon=True)
                self._thread.start()
            self._condition.notify_all()

    def close(self) -> None:
        """Write what is still waiting, then let the thread end."""
        self.flush()
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def _run(self) -> None:
        while True:
            with self._condition:
                while self._latest is None:
                    self._busy = False
                    self._condition.notify_all()
                    if self._closed:
                        self._thread = None
                        return
                    self._condition.wait()
                session, self._latest = self._latest, None
            try:
                self._write(session)
                self.error = None
                self._written += 1
            except OSError as error:
                self.error = error

    def _write(self, session: SessionRecord) -> None:
        try:
            path = write_journal(self.log, session)
        except OSError:
            # The log's folder is read-only or gone: keep the crash copy elsewhere.
            path = write_journal(self.log, session, fallback=True)
        self._paths[session.id] = path

    def path_of(self, session_id: str) -> Path:
        """Where the journal of ``session_id`` was last written (beside the log, if not yet)."""
        return self._paths.get(session_id, journal_path(self.log, session_id))

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every submitted snapshot is written; False on timeout."""
        with self._condition:
            return self._condition.wait_for(lambda: not self._busy, timeout)

    def discard(self, session_id: str) -> None:
        """The session is saved: wait for pending writes, then remove its journal."""
        self.flush()
        remove_journal(self.log, session_id)
