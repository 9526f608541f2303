"""Reading the history log: every session that can be read, and where the rest went wrong.

:func:`read_history` never gives up on a log because part of it is damaged.
The log is read block by block: a block starts at each line that is a
``[[session]]`` header (leading whitespace and a trailing comment allowed;
``[[session.step]]`` lines stay in their session's block), and any text
before the first header is a block of its own. Each block is decoded and
parsed on its own, so a truncated last session, a line of garbage, a wrong
value type, invalid UTF-8 or a damaged header (a line that starts like one,
``[[session]`` or ``[session]]``, starts a block too) costs only the block it
is in; every other session still loads,
and each bad block is reported as a :class:`BlockProblem` with its line range
and the reason (the TOML error at its line in the file, or the key path of
the value a session cannot have).

For a log that parses as a whole this gives exactly what ``tomllib`` gives:
splitting a valid document at its ``[[session]]`` headers yields blocks that
are valid on their own and hold the same tables. The one way a block of a
valid log can fail on its own is a multi-line string holding a line that
looks like a header, so only when a failed block contains a triple quote is
the whole file parsed as well, and if it parses, that result is used.

Speed: a coach's log reaches 10,000 sessions (about 20 MB), which ``tomllib``
takes seconds to parse. Two things keep reading well under that:

- blocks written the way :func:`~retro_tui.history.record.render_session`
  writes them (``key = value`` lines of strings, numbers, booleans and
  offset date-times) go through a strict line parser that yields exactly
  what ``tomllib`` yields; a block with anything else in it, down to a
  ``\\u`` escape or a control character in a comment, is left to ``tomllib``;
- what was read is kept in an index (:mod:`retro_tui.history.cache`): the log only
  grows at the end, so while it still starts with the bytes read last time
  only the text from the start of the last block on is parsed. A log edited
  anywhere else, or a cache that is missing or unusable, just means a full
  read; the result is the same either way.

Sessions saved to a rescue file (see :func:`~retro_tui.history.log.save_session`:
new sessions go there while the log is damaged) are read too, after the log's
own, so the history a person sees holds every session they saved.

The reader never writes to the log (it holds the log's lock while it reads, so
as not to read half an append); the only file it writes is its own index.
"""

from __future__ import annotations

import codecs
import functools
import gc
import hashlib
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from filelock import lock_descriptor

import retro_tui
from retro_tui.history import blocks, cache, record
from retro_tui.history.blocks import Progress, read_blocks, read_whole
from retro_tui.history.cache import Resume, Snapshot
from retro_tui.history.log import rescue_path
from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import filter_sessions

MAX_LOG_BYTES = 2**30
"""The largest log read: 1 GiB, about half a million sessions."""
LOCK_WAIT_S = 2.0
"""How long to wait for an append in progress to finish before reading anyway."""


@dataclass(frozen=True)
class BlockProblem:
    """A block of the log that did not give (all of) its sessions, and why."""

    path: Path
    first_line: int
    last_line: int
    message: str

    def __str__(self) -> str:
        if self.first_line == 0:
            return f"{self.path}: {self.message}"  # the file as a whole
        lines = str(self.first_line)
        if self.last_line != self.first_line:
            lines += f"-{self.last_line}"
        return f"{self.path}:{lines}: {self.message}"


@dataclass(frozen=True)
class HistoryRead:
    """What a read of the log found: its sessions in file order, and its damaged blocks."""

    sessions: tuple[SessionRecord, ...]
    problems: tuple[BlockProblem, ...]
    path: Path
    rescues: tuple[Path, ...] = ()
    """Rescue files beside the log whose sessions follow the log's own in ``sessions``."""


def read_history(
    path: Path, *, use_cache: bool = True, progress: Progress | None = None
) -> HistoryRead:
    """Read every session in the log at ``path`` and report the blocks that could not be read.

    A missing log is an empty history. Nothing in the file makes this raise;
    only a log that exists but cannot be read raises ``OSError``.
    ``progress(fraction)`` is called now and then while text is parsed, and
    with ``1.0`` at the end. With ``use_cache=False`` the cache is neither
    read nor written.
    """
    report = progress if progress is not None else _ignore
    try:
        sessions, problems = _read_one(path, use_cache, report) or ((), ())
    except NotALog as error:
        # A folder, a FIFO or a huge file where the log should be: the sessions saved
        # to rescue files meanwhile are still the history.
        sessions, problems = (), (BlockProblem(path, 0, 0, str(error)),)
    rescues: list[Path] = []
    for attempt in range(1, 100):
        rescue = rescue_path(path, attempt)
        try:
            rescued = _read_one(rescue, use_cache, _ignore)
        except NotALog as error:
            problems += (BlockProblem(rescue, 0, 0, str(error)),)
            break
        if rescued is None:
            break  # rescue files are made one after another: the first missing one ends them
        rescues.append(rescue)
        # A session copied by hand from a rescue file into the log counts once.
        seen = {session.id for session in sessions}
        sessions += tuple(session for session in rescued[0] if session.id not in seen)
        problems += rescued[1]
    report(1.0)
    return HistoryRead(sessions, problems, path, tuple(rescues))


@dataclass(frozen=True)
class HistoryQuery:
    """The sessions of a log that pass some filters, to be read one at a time.

    ``count`` is how many pass; :meth:`sessions` gives them (or the last few) in start
    order, decoded as they are asked for, so a table of a long log's last 20 sessions,
    or an export streamed to a file, never holds the whole log in memory.
    """

    count: int
    total: int
    """Sessions in the log, filters or not."""
    problems: tuple[BlockProblem, ...]
    path: Path
    rescues: tuple[Path, ...]
    _read: Callable[[Sequence[int]], Iterator[SessionRecord]]

    def sessions(self, last: int = 0, *, newest_first: bool = False) -> Iterator[SessionRecord]:
        """Every session that passed, in start order (or the newest first); with ``last``,
        only the ``last`` most recent."""
        numbers: Sequence[int] = range(max(0, self.count - last) if last > 0 else 0, self.count)
        return self._read(numbers[::-1] if newest_first else numbers)


def query_history(
    path: Path,
    *,
    plan: str | None = None,
    since: date | None = None,
    athlete: str | None = None,
) -> HistoryQuery:
    """The sessions of the log at ``path`` that pass the filters (as in ``filter_sessions``).

    Asks the index directly when it is current, reading (and indexing) the log
    first when it is not. A log with rescue files beside it, or whose index can't
    be used, is read in full and filtered, which gives the same answer.
    """
    plan_key = plan.strip().casefold() if plan and plan.strip() else None
    athlete_key = athlete.strip().casefold() if athlete and athlete.strip() else None
    query = None
    if not rescue_path(path).exists():
        query = _indexed(path, plan_key, since, athlete_key)
    if query is not None:
        found, problems = query
        seqs = found.seqs

        def indexed(numbers: Sequence[int]) -> Iterator[SessionRecord]:
            return cache.records(path, (seqs[number] for number in numbers))

        return HistoryQuery(len(seqs), found.total, problems, path, (), indexed)
    result = read_history(path)
    kept = filter_sessions(result.sessions, plan=plan, since=since, athlete=athlete)

    def listed(numbers: Sequence[int]) -> Iterator[SessionRecord]:
        return (kept[number] for number in numbers)

    return HistoryQuery(
        len(kept), len(result.sessions), result.problems, path, result.rescues, listed
    )


def _indexed(
    path: Path, plan: str | None, since: date | None, athlete: str | None
) -> tuple[cache.Query, tuple[BlockProblem, ...]] | None:
    """The index's answer, after bringing the index up to date; ``None`` if it can't."""
    try:
        status = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    fingerprint = _fingerprint()
    if not cache.is_current(path, fingerprint, status.st_size, status.st_mtime_ns):
        read_history(path)  # reads what is new and brings the index up to date
        status = path.stat()
        if not cache.is_current(path, fingerprint, status.st_size, status.st_mtime_ns):
            return None  # changing as we read, or no index to be had
    found = cache.matching(
        path, plan=plan, since=None if since is None else since.isoformat(), athlete=athlete
    )
    if found is None:
        return None
    problems = [BlockProblem(path, first, last, text) for first, last, text in found.spots]
    for id_, line, first in found.repeats:
        where = f" (first on line {first})" if first else ""
        message = f"session {id_} appears again{where}: counted once"
        problems.append(BlockProblem(path, line or 0, line or 0, message))
    problems.sort(key=lambda problem: problem.first_line)
    return found, tuple(problems)


def _counted_once(
    path: Path, sessions: tuple[SessionRecord, ...], problems: tuple[BlockProblem, ...]
) -> tuple[tuple[SessionRecord, ...], tuple[BlockProblem, ...]]:
    """The sessions of one file with each id once (the first), and the repeats reported."""
    first_line: dict[str, int | None] = {}
    kept: list[SessionRecord] = []
    repeats: list[BlockProblem] = []
    for session in sessions:
        if session.id not in first_line:
            first_line[session.id] = session.line
            kept.append(session)
            continue
        line = session.line or 0
        first = first_line[session.id]
        where = f" (first on line {first})" if first else ""
        message = f"session {session.id} appears again{where}: counted once"
        repeats.append(BlockProblem(path, line, line, message))
    if not repeats:
        return sessions, problems
    ordered = sorted((*problems, *repeats), key=lambda problem: problem.first_line)
    return tuple(kept), tuple(ordered)


def _read_one(
    path: Path, use_cache: bool, report: Progress
) -> tuple[tuple[SessionRecord, ...], tuple[BlockProblem, ...]] | None:
    """The sessions and problems of one file; ``None`` when it does not exist."""
    read = _read_log(path)
    if read is None:
        return None
    data, mtime_ns = read
    with _collector_paused():
        snapshot = _read(path, data, use_cache, report, mtime_ns)
    problems = tuple(BlockProblem(path, first, last, text) for first, last, text in snapshot.spots)
    return _counted_once(path, snapshot.sessions, problems)


# -- the read, from the cache where it can be ------------------------------------------------


def _read(
    path: Path, data: bytes, use_cache: bool, progress: Progress, mtime_ns: int | None = None
) -> Snapshot:
    absolute = str(path.absolute())
    fingerprint = _fingerprint()
    view = memoryview(data)
    stored = cache.load(path, fingerprint) if use_cache else None
    if stored is not None and len(data) >= stored.size:
        running = cache.digest_of(view[: stored.size])
        if running.digest() == stored.digest:
            if len(data) == stored.size:
                return stored  # not a byte changed since it was cached
            where = stored.resume
            if where is not None:
                tail = read_blocks(data, where.offset, where.line, progress)
                # A triple quote in a failed block means a full read must try
                # the whole file, so joining block results would not be its answer.
                if not tail.suspect:
                    running.update(view[stored.size :])
                    last = tail.resume
                    snapshot = Snapshot(
                        absolute,
                        fingerprint,
                        len(data),
                        running.digest(),
                        stored.sessions[: where.sessions] + tuple(tail.sessions),
                        stored.spots[: where.spots] + tuple(tail.spots),
                        Resume(
                            last.offset,
                            last.line,
                            where.sessions + last.sessions,
                            where.spots + last.spots,
                        ),
                    )
                    # Only the rows from the last block on change in the index.
                    cache.store(
                        path, snapshot, kept=(where.sessions, where.spots), mtime_ns=mtime_ns
                    )
                    return snapshot
    blocks = read_blocks(data, 0, 1, progress)
    digest = cache.digest_of(view).digest()
    whole = read_whole(data, blocks, absolute, fingerprint, digest) if blocks.suspect else None
    full = whole or Snapshot(
        absolute,
        fingerprint,
        len(data),
        digest,
        tuple(blocks.sessions),
        tuple(blocks.spots),
        None if blocks.suspect else blocks.resume,
    )
    if use_cache:
        cache.store(path, full, mtime_ns=mtime_ns)
    return full


@functools.cache
def _fingerprint() -> str:
    """Which code made a snapshot: a cache written by other code is not trusted."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{cache.CACHE_FORMAT} {retro_tui.__version__} {sys.version}".encode())
    for module in (record, cache, blocks, sys.modules[__name__]):
        source = getattr(module, "__file__", None)
        try:
            digest.update(Path(source).read_bytes() if source else module.__name__.encode())
        except OSError:
            digest.update(module.__name__.encode())
    return digest.hexdigest()


class NotALog(OSError):
    """Something other than a log file where the log should be; says what, plainly."""


def _read_log(path: Path) -> tuple[bytes, int] | None:
    """The log's bytes and its modification time before they were read; ``None``: no log.

    Only a regular file of at most :data:`MAX_LOG_BYTES` is read (:class:`NotALog`
    otherwise): a FIFO would wait for a writer forever and ``/dev/zero`` never ends.
    A UTF-8 byte-order mark at the start is left out.
    """
    try:
        if path.is_dir():
            raise NotALog("is a folder, not a history log file; move it away or name a file")
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotALog("is not a regular file, so not a history log")
        if status.st_size > MAX_LOG_BYTES:
            raise NotALog(
                f"is {status.st_size / 2**30:.1f} GiB, larger than a history log may be "
                f"({MAX_LOG_BYTES // 2**30} GiB, about half a million sessions)"
            )
        _wait_for_append(descriptor)
        data = file.read(MAX_LOG_BYTES + 1)
    if len(data) > MAX_LOG_BYTES:
        raise NotALog(f"grew past {MAX_LOG_BYTES // 2**30} GiB while it was read")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    return data, status.st_mtime_ns


def _wait_for_append(descriptor: int) -> None:
    # Appends hold the log's lock for one write: taking it keeps us from reading
    # half a session. Never wait long: a damaged-log check can hold it for
    # seconds, and a read that sees a partial block is corrected next time.
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            if lock_descriptor(descriptor, blocking=False):
                return  # released when the file is closed
        except OSError:
            return  # a file system without locks: read anyway
        if time.monotonic() >= deadline:
            return
        time.sleep(0.01)


@contextmanager
def _collector_paused() -> Iterator[None]:
    # Parsing and decoding the index make hundreds of thousands of containers and no
    # cycles; the cyclic collector's passes over them cost more than the
    # parsing itself. Only turned back on if it was on.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _ignore(fraction: float) -> None:
    pass
