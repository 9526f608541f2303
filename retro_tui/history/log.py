"""The history log: a TOML file that sessions are appended to and never rewritten.

Appending is the only write. Each append takes an exclusive lock on the log
(filelock's native lock on the open file: ``flock`` on Unix, ``LockFileEx`` on
Windows), so two workouts ending at the same moment both land whole; it makes
sure the file ends in a newline (a log ending in a comment without one must not
swallow the next header), writes the whole block with one ``write`` call, and
``fsync``s before returning. If the write fails half-way (a full disk), the
bytes this append added are cut off again so the log still parses; no earlier
byte is ever touched.

A log that does not parse as TOML is never written to: :func:`save_session`
sends the session to a rescue file beside it instead and says so.
"""

from __future__ import annotations

import errno
import os
import stat
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from filelock import lock_descriptor

from retro_tui.files import append_durably, read_at, replace_atomically
from retro_tui.history import cache
from retro_tui.history.record import SessionRecord, render_session
from retro_tui.tomltext import syntax_position


class HistoryWriteError(OSError):
    """The session could not be written; ``message`` says why in plain words."""

    def __init__(self, path: Path, message: str, code: int | None = None) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.code = code
        """The errno behind it, if any."""


@dataclass(frozen=True)
class LogProblem:
    """Where and why a log fails to parse."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class SaveResult:
    """Where a session went: the log, or a rescue file because the log is damaged."""

    path: Path
    rescued_from: LogProblem | None = None


_UNUSABLE_LOG = {errno.EACCES, errno.EPERM, errno.EISDIR, errno.ESPIPE}


def rescue_path(log: Path, attempt: int = 1) -> Path:
    suffix = "" if attempt == 1 else f"-{attempt}"
    return log.with_name(f"{log.stem}.rescue{suffix}{log.suffix or '.toml'}")


def check_log(path: Path) -> LogProblem | None:
    """``None`` if the log parses (or does not exist yet), else where it breaks."""
    try:
        with path.open("rb") as file:
            return _problem_of_open_file(file.fileno(), path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return LogProblem(path, 1, f"cannot be read: {error.strerror or error}")


# -- checking only what is new ------------------------------------------------------------
#
# Parsing a 10,000-session log takes seconds, and a save must not; nor may reading
# 20 MB to hash it. The log is append-only, so once it is known to parse, only
# what follows its last session can break an append: we remember the log's size
# and modification time, where its last [[session]] starts and a hash of the text
# from there, and at the next save read and parse only that text and what follows.
# A log untouched since (same size and time) needs nothing at all. A change
# anywhere else (an edit, a shorter file) means a full parse, as before; one made
# in the middle while another process appended is left to the reader, which reads
# block by block and reports it.


def _verified_file(log: Path) -> Path:
    return cache.cache_file(log).with_suffix(".verified")


def _last_block_start(data: bytes) -> int:
    found = data.rfind(b"\n[[session]]")
    return found + 1 if found >= 0 else 0


@dataclass(frozen=True)
class _Verified:
    size: int
    mtime_ns: int
    start: int  # where the last [[session]] began
    digest: str  # of the text from ``start`` to ``size``

    @classmethod
    def read(cls, log: Path) -> _Verified | None:
        try:
            size, mtime, start, digest = _verified_file(log).read_text("ascii").split()
            verified = cls(int(size), int(mtime), int(start), digest)
        except (OSError, ValueError):
            return None
        return verified if 0 <= verified.start <= verified.size else None


def _remember_verified(path: Path, size: int, mtime_ns: int, tail: bytes) -> None:
    """Note that ``path`` (``size`` bytes, modified at ``mtime_ns``, ending in ``tail``) parses."""
    start = size - len(tail) + _last_block_start(tail)
    record = (
        f"{size} {mtime_ns} {start} "
        f"{cache.digest_of(tail[start - (size - len(tail)) :]).hexdigest()}\n"
    )
    with suppress(OSError):  # only a shortcut: a full parse next time is fine
        replace_atomically(_verified_file(path), record.encode("ascii"), durable=False)


def _problem_of_open_file(descriptor: int, path: Path) -> LogProblem | None:
    """Whether the open log parses at its end, reading as little of it as it can."""
    status = os.fstat(descriptor)
    size = status.st_size
    verified = _Verified.read(path)
    if verified is not None and verified.size <= size:
        if (verified.size, verified.mtime_ns) == (size, status.st_mtime_ns):
            return None  # untouched since it was last seen to parse
        tail = read_at(descriptor, size - verified.start, verified.start)
        known = tail[: verified.size - verified.start]
        if cache.digest_of(known).hexdigest() == verified.digest and problem_in(path, tail) is None:
            _remember_verified(path, size, status.st_mtime_ns, tail)
            return None
    data = read_at(descriptor, size, 0) if size else b""
    problem = problem_in(path, data)
    if problem is None:
        _remember_verified(path, size, status.st_mtime_ns, data)
    return problem


def problem_in(path: Path, data: bytes) -> LogProblem | None:
    try:
        tomllib.loads(data.decode("utf-8-sig"))  # a byte-order mark is fine
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return LogProblem(path, line, "not UTF-8 text")
    except tomllib.TOMLDecodeError as error:
        position = syntax_position(error)
        if position.line is None:  # "(at end of document)": said as tomllib says it
            return LogProblem(path, data.count(b"\n") + 1, str(error))
        return LogProblem(path, position.line, position.detail)
    except (ValueError, RecursionError) as error:
        # Valid TOML that tomllib still refuses: a number over 4300 digits, deep nesting.
        return LogProblem(path, 1, f"cannot be read: {error}")
    return None


@contextmanager
def locked(path: Path) -> Iterator[int]:
    """Open ``path`` for appending (creating it and its folder) and hold an exclusive lock."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0)
        descriptor = os.open(path, flags, 0o644)
    except OSError as error:
        raise HistoryWriteError(path, _reason(error), error.errno) from error
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            # A FIFO or a device would swallow the session: it goes to a rescue file.
            raise HistoryWriteError(path, "it is not a regular file", errno.ESPIPE)
        lock_descriptor(descriptor)  # flock on Unix, LockFileEx on Windows
        yield descriptor
    finally:
        os.close(descriptor)  # closing releases the lock


def append_locked(descriptor: int, path: Path, block: str) -> None:
    """Append ``block`` to the locked log open as ``descriptor``: one write, then fsync."""
    size = os.fstat(descriptor).st_size
    data = block.encode("utf-8")
    if size > 0:
        last = read_at(descriptor, 1, size - 1)
        # A blank line between sessions for people who read the file; a newline
        # first if the file lacks one, so a trailing comment can't eat our header.
        data = (b"\n" if last == b"\n" else b"\n\n") + data
    try:
        # A failed append is cut off again, so the log stays whole and parseable.
        append_durably(descriptor, data)
    except OSError as error:
        raise HistoryWriteError(path, _reason(error), error.errno) from error


def append_session(path: Path, session: SessionRecord) -> None:
    """Append one session to the log at ``path``, creating the log if needed."""
    with locked(path) as descriptor:
        append_locked(descriptor, path, render_session(session))


def save_session(log: Path, session: SessionRecord) -> SaveResult:
    """Append to the log, or to a rescue file beside it if the log does not parse.

    The check happens under the log's lock, so it sees the file as it will
    be appended to.
    """
    log_error: HistoryWriteError | None = None
    try:
        with locked(log) as descriptor:
            problem = _problem_of_open_file(descriptor, log)
            if problem is None:
                block = render_session(session)
                append_locked(descriptor, log, block)
                _remember_appended(descriptor, log, block)
                return SaveResult(log)
    except HistoryWriteError as error:
        # A log we may not write (made by another user, or a folder in its
        # place) is left alone like a damaged one; the folder may still take
        # a rescue file. Anything else (a full disk) is for the caller to show.
        if error.code not in _UNUSABLE_LOG:
            raise
        log_error = error
        problem = LogProblem(log, 1, f"cannot be written: {error.message}")
    for attempt in range(1, 100):
        rescue = rescue_path(log, attempt)
        try:
            with locked(rescue) as descriptor:
                if _problem_of_open_file(descriptor, rescue) is None:
                    append_locked(descriptor, rescue, render_session(session))
                    return SaveResult(rescue, problem)
        except HistoryWriteError:
            # No rescue either: the log's own trouble is the one to tell.
            if log_error is not None:
                raise log_error from None
            raise
    raise HistoryWriteError(log, "the log and its rescue files are all damaged")


def _remember_appended(descriptor: int, log: Path, block: str) -> None:
    """The log just took ``block`` at its end, and parsed before: it parses now too."""
    status = os.fstat(descriptor)
    tail = block.encode("utf-8")
    if status.st_size >= len(tail):
        _remember_verified(log, status.st_size, status.st_mtime_ns, tail)


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "no permission to write here"
    if error.errno == errno.EROFS:
        return "the disk is read-only"
    return error.strerror or str(error)
