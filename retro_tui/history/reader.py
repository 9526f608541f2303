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
import json
import os
import re
import stat
import sys
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from filelock import lock_descriptor

import retro_tui
from retro_tui.history import cache, record
from retro_tui.history.cache import Resume, Snapshot, Spot
from retro_tui.history.log import rescue_path
from retro_tui.history.record import RecordError, SessionRecord, session_from_table, with_line
from retro_tui.history.stats import filter_sessions
from retro_tui.tomltext import syntax_position

Progress = Callable[[float], None]

MAX_LOG_BYTES = 2**30
"""The largest log read: 1 GiB, about half a million sessions."""
LOCK_WAIT_S = 2.0
"""How long to wait for an append in progress to finish before reading anyway."""

PROGRESS_STEP = 1 / 50
"""Report progress each time about this share of the log has been parsed."""


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
                tail = _read_blocks(data, where.offset, where.line, progress)
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
    blocks = _read_blocks(data, 0, 1, progress)
    digest = cache.digest_of(view).digest()
    whole = _read_whole(data, blocks, absolute, fingerprint, digest) if blocks.suspect else None
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
    for module in (record, cache, sys.modules[__name__]):
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


# -- blocks ----------------------------------------------------------------------------------

# The rest of a line that starts a [[session]] table, in the raw bytes. The
# line's start is checked separately (spaces and tabs only): a pattern that
# begins with "^" is tried at every byte, one that begins with "[[" is not.
_HEADER = re.compile(rb"\[\[[ \t]*session[ \t]*\]\][ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE)
# A line that starts like a [[session]] header, damaged or not ("[[session]", "[session]]",
# "[[ session"): a block starts there as well, so a broken header spoils only its own
# session and not the one before it. "[[session.step]]" and longer names don't count.
_BOUNDARY = re.compile(rb"\[\[?[ \t]*session(?![\w-])(?![ \t]*\.)")
_AT_END = "(at end of document)"


@dataclass
class _Blocks:
    """What a run of blocks gave, and where a later read may resume."""

    sessions: list[SessionRecord]
    spots: list[Spot]
    header_spans: list[tuple[int, int]]  # lines of each [[session]] block, for _read_whole
    suspect: bool  # a failed block holds a triple quote: the file may parse as a whole
    resume: Resume


def _read_blocks(data: bytes, start: int, line: int, progress: Progress) -> _Blocks:
    """Read the blocks from byte ``start`` (the start of line ``line``) to the end."""
    headers = set(_line_starts(_HEADER, data, start))
    starts = sorted(headers.union(_line_starts(_BOUNDARY, data, start)))
    if not starts or starts[0] != start:
        starts.insert(0, start)  # the text before the first header (or all of it)
    ends = [*starts[1:], len(data)]
    result = _Blocks([], [], [], False, Resume(start, line, 0, 0))
    resumable = result.resume
    memo: dict[str, object] = {}
    total = len(data) or 1
    step = max(1, int(total * PROGRESS_STEP))
    report_at = start + step
    previous = start
    for begin, end in zip(starts, ends, strict=True):
        line += data.count(b"\n", previous, begin)
        previous = begin
        # Resume at a block whose first line is complete: text appended to an
        # unterminated header line could make it no header, merging blocks.
        if begin == start or data.find(b"\n", begin, end) != -1:
            resumable = Resume(begin, line, len(result.sessions), len(result.spots))
        span = _read_block(data, begin, end, line, memo, result)
        if begin in headers:
            result.header_spans.append(span)
        if end >= report_at:
            progress(end / total)
            report_at = end + step
    result.resume = resumable
    return result


def _line_starts(pattern: re.Pattern[bytes], data: bytes, start: int) -> Iterator[int]:
    """Where each line that ``pattern`` begins (after spaces) starts, from ``start`` on."""
    for match in pattern.finditer(data, start):
        found = match.start()
        line_start = data.rfind(b"\n", 0, found) + 1
        if line_start == found or not data[line_start:found].strip(b" \t"):
            yield line_start


def _read_block(
    data: bytes, begin: int, end: int, first: int, memo: dict[str, object], into: _Blocks
) -> tuple[int, int]:
    """Read one block into ``into``; its line span (to its last non-blank line)."""
    raw = data[begin:end]
    last = first + raw.count(b"\n", 0, len(raw.rstrip()))
    if not raw:
        return first, last
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = first + raw.count(b"\n", 0, error.start)
        message = f"not UTF-8 text: byte {raw[error.start]:#04x} on line {bad} is not valid UTF-8"
        into.spots.append((first, last, message))
        return first, last
    document = _fast_parse(text, memo)
    if document is None:
        try:
            document = tomllib.loads(text)
        except (ValueError, RecursionError) as error:  # TOMLDecodeError is a ValueError
            after = None if end == len(data) else first + raw.count(b"\n")
            into.spots.append((first, last, _toml_problem(error, first, after)))
            into.suspect = into.suspect or '"""' in text or "'''" in text
            return first, last
    _collect(document, lambda number: (first, last), (first, last), "this block", into)
    return first, last


def _toml_problem(error: Exception, first: int, next_block: int | None) -> str:
    """The parse error with its position moved from block lines to file lines."""
    if isinstance(error, RecursionError):
        return "not valid TOML: nested too deeply"
    if not isinstance(error, tomllib.TOMLDecodeError):
        # Valid TOML that tomllib still refuses: a number of more than 4,300 digits.
        return "holds a number of more than 4,300 digits, too long to read"
    position = syntax_position(error)
    if position.line is not None:
        where = f"line {first + position.line - 1}, column {position.column}"
    elif _AT_END in str(error):
        # The end of the block's text, which is not the end of the file unless it is the last.
        where = (
            "the end of the file"
            if next_block is None
            else f"the end of the block, before line {next_block}"
        )
    else:
        return f"not valid TOML: {error}"
    reason = position.detail
    return f"not valid TOML: {reason.strip()} (at {where})"


def _collect(
    document: dict[str, Any],
    span_of: Callable[[int], tuple[int, int]],
    block: tuple[int, int],
    where: str,
    into: _Blocks,
) -> None:
    """Turn the ``session`` tables of a parsed block into records; note what is wrong.

    ``span_of(n)`` gives the lines of the n-th session; where several share
    one span, messages say which one they are about (``session 2 of {where}``).
    """
    others = [key for key in document if key != "session"]
    if others:
        names = ", ".join(_key_text(key) for key in others)
        into.spots.append(
            (
                *block,
                f"unexpected top-level {'keys' if len(others) > 1 else 'key'} {names}: "
                "only [[session]] tables belong in the history log",
            )
        )
    entries = document.get("session")
    if entries is None:
        return
    if not isinstance(entries, list):
        into.spots.append((*block, f"session must be [[session]] tables, not {_kind(entries)}"))
        return
    several = len(entries) > 1 and span_of(1) == span_of(2)
    for number, entry in enumerate(entries, start=1):
        label = f"session {number} of {where}: " if several else ""
        if not isinstance(entry, dict):
            into.spots.append((*span_of(number), f"{label}not a table: {_kind(entry)}"))
            continue
        try:
            session = session_from_table(entry)
        except RecordError as error:
            into.spots.append((*span_of(number), f"{label}{error}"))
        except (ValueError, TypeError, ArithmeticError) as error:
            into.spots.append((*span_of(number), f"{label}cannot be read: {error}"))
        else:
            first, last = span_of(number)
            into.sessions.append(with_line(session, first))
            if session.damage:
                damage = "; ".join(session.damage)
                into.spots.append((first, last, f"{label}session {session.id}: {damage}"))


def _read_whole(
    data: bytes, blocks: _Blocks, log: str, fingerprint: str, digest: bytes
) -> Snapshot | None:
    """The snapshot of a log whose blocks fail alone but which parses whole, else ``None``."""
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return None  # damaged after all: the block by block result stands
    stripped = data.rstrip()
    everything = (1, stripped.count(b"\n") + 1 if stripped else 1)
    entries = document.get("session")
    spans = blocks.header_spans
    if isinstance(entries, list) and len(entries) == len(spans):

        def span_of(number: int) -> tuple[int, int]:
            return spans[number - 1]

    else:

        def span_of(number: int) -> tuple[int, int]:
            return everything

    into = _Blocks([], [], [], False, Resume(0, 1, 0, 0))
    _collect(document, span_of, everything, "the file", into)
    into.spots.sort(key=lambda spot: spot[:2])
    return Snapshot(
        log, fingerprint, len(data), digest, tuple(into.sessions), tuple(into.spots), None
    )


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _key_text(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


# -- the fast path for blocks as the app writes them -----------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*+)?"
_FAST_HEADER = re.compile(r"[ \t]*\[\[[ \t]*session[ \t]*\]\][ \t]*" + _COMMENT)


def _datetime_pattern(group: str) -> str:
    """An offset date-time as TOML 1.0 (and tomllib) allows it; parts open with ``group``."""
    return (
        rf"{group}[0-9]{{4}})-{group}0[1-9]|1[0-2])-{group}0[1-9]|[12][0-9]|3[01])"
        rf"T{group}[01][0-9]|2[0-3]):{group}[0-5][0-9]):{group}[0-5][0-9])"
        rf"(?:{group}Z)|{group}[+-]){group}[01][0-9]|2[0-3]):{group}[0-5][0-9]))"
    )


_FAST_DATETIME = re.compile(_datetime_pattern("("))
# One line of a block after its header: blank, a comment, a [[session.step]]
# header, or a key and one value of the kinds render_session writes (a basic
# string, an offset date-time, a decimal integer or float, a boolean), each
# exactly as TOML 1.0 (and tomllib) defines it. Groups: 1 the step header,
# 2 the key, 3 the value. No part of it can match a newline, so each match
# is one whole line; a block whose lines do not all match goes to tomllib.
_FAST_LINE = re.compile(
    r"^[ \t]*(?:(\[\[session\.step\]\])|([A-Za-z0-9_-]+)[ \t]*=[ \t]*("
    + r'"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]++|\\[btnfr"\\])*+"'
    + ("|" + _datetime_pattern("(?:"))
    + r"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)?"
    + "|true|false"
    + (r"))?[ \t]*" + _COMMENT + "$"),
    re.MULTILINE,
)
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _fast_parse(text: str, memo: dict[str, object]) -> dict[str, Any] | None:
    """``tomllib.loads(text)`` for a block as the app writes it, or ``None`` to leave it to tomllib.

    ``memo`` maps value text to the value already made from it: the same
    step names, kinds and speeds recur thousands of times, and sharing one
    object for each saves memory (and makes the cache smaller and faster).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # as tomllib does; a lone CR is an error
        if "\r" in text:
            return None
    first_end = text.find("\n")
    if _FAST_HEADER.fullmatch(text, 0, len(text) if first_end < 0 else first_end) is None:
        return None
    found = _FAST_LINE.findall(text)
    # The header line never matches _FAST_LINE, so every other line matched
    # exactly when there is one match per newline.
    if len(found) != text.count("\n"):
        return None
    session: dict[str, object] = {}
    table = session
    steps: list[dict[str, object]] = []
    for header, key, token in found:
        if key:
            if key in table:
                return None  # a duplicate key: tomllib words the error
            value = memo.get(token)
            if value is None:
                value = _fast_value(token)
                if value is None:
                    return None
                memo[token] = value
            table[key] = value
        elif header:
            table = {}
            steps.append(table)
    if steps:
        if "step" in session:
            return None  # step = ... and [[session.step]] together: an error
        session["step"] = steps
    return {"session": [session]}


def _fast_value(token: str) -> object | None:
    """The value of a token _FAST_LINE accepted, made as tomllib makes it; ``None`` if invalid."""
    first = token[0]
    if first == '"':
        body = token[1:-1]
        return _ESCAPE.sub(_unescape, body) if "\\" in body else body
    if first == "t" or first == "f":
        return first == "t"
    try:
        if "T" in token:
            match = _FAST_DATETIME.fullmatch(token)
            if match is None:  # pragma: no cover - _FAST_LINE only lets date-times have a T
                return None
            year, month, day, hour, minute, second = map(int, match.group(1, 2, 3, 4, 5, 6))
            zone = UTC if match[7] else _offset(match[8], match[9], match[10])
            return datetime(year, month, day, hour, minute, second, tzinfo=zone)
        if "." in token or "e" in token or "E" in token:
            return float(token)
        return int(token)
    except ValueError:
        return None  # February 30th, a 5000-digit number: tomllib says what is wrong


def _unescape(match: re.Match[str]) -> str:
    return _ESCAPES[match[1]]


@functools.cache
def _offset(sign: str, hours: str, minutes: str) -> timezone:
    # Built as tomllib builds it, so values compare and print the same.
    factor = 1 if sign == "+" else -1
    return timezone(timedelta(hours=factor * int(hours), minutes=factor * int(minutes)))
