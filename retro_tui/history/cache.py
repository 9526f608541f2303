"""The history index: what was read from a log, kept between runs so that only new text is parsed.

The log is append-only, so what a read found in its first N bytes stays true
as long as those N bytes are unchanged. One index per log (named by a hash of
the log's absolute path) lives in the user cache folder
(``platformdirs.user_cache_dir("retro-tui")/history``, which honours
``XDG_CACHE_HOME``). It is an SQLite database (the standard library's) that
holds a :class:`Snapshot`: the log's path, the length and BLAKE2b digest of
the text it describes, the sessions and problems found there, and where the
last block began so a read can resume from it. After an append only the rows
of the last block and the new ones are written: the index is kept in step with
the log, not rewritten.

The TOML log stays the one source of truth. The index is only an accelerator:
every way it can be wrong (missing, cut short, from another version of the
code, for another file, unreadable, not writable, rows that do not decode)
makes :func:`load` return ``None`` or :func:`store` do nothing, and the caller
reads the log in full and builds it again. Reading it runs no code: each
session is a row of JSON (positional, so tens of thousands decode quickly),
turned back into records field by field. (Earlier versions kept a pickle;
such a file is never loaded, and is removed when the index is written.)
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import platformdirs

from retro_tui.history.record import ProgramSlot, SessionRecord, SessionStatus, StepRecord
from retro_tui.paths import APP_NAME

CACHE_FORMAT = 7
"""Bump when the layout of the stored rows changes (the code fingerprint catches the rest)."""

_MAGIC = "retro-tui history index"
_CHUNK = 500
"""Sessions fetched from the index by one query when they are read one by one."""
_BUSY_S = 1.0
"""How long to wait for another process's write to the index before doing without it."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    magic TEXT NOT NULL, format INTEGER NOT NULL, fingerprint TEXT NOT NULL,
    log TEXT NOT NULL, size INTEGER NOT NULL, digest BLOB NOT NULL, resume TEXT,
    mtime_ns INTEGER
);
CREATE TABLE IF NOT EXISTS session (
    seq INTEGER PRIMARY KEY, record TEXT NOT NULL,
    -- What the history command filters and orders by, so a table of 20 rows of a long
    -- log decodes 20 records, not all of them.
    id TEXT NOT NULL, line INTEGER, instant REAL NOT NULL, day TEXT NOT NULL,
    plan TEXT NOT NULL, notes TEXT NOT NULL, athlete TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS session_id ON session (id);
CREATE INDEX IF NOT EXISTS session_order ON session (instant, id);
CREATE TABLE IF NOT EXISTS spot (
    seq INTEGER PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL, message TEXT NOT NULL
);
"""

Spot = tuple[int, int, str]
"""A problem without its path: first line, last line, message."""


@dataclass(frozen=True)
class Resume:
    """Where a later read may pick up: the start of the last block and what came before it.

    The last block is always read again, because text appended after it
    (without a ``[[session]]`` header of its own) would belong to it.
    """

    offset: int  # byte offset of the last block's first line
    line: int  # its line number
    sessions: int  # how many of the snapshot's sessions come before it
    spots: int  # how many of the snapshot's problems come before it


@dataclass(frozen=True)
class Snapshot:
    """What one read of a log found, and which bytes it was read from."""

    log: str  # the log's absolute path
    fingerprint: str  # the code that produced it (see reader._fingerprint)
    size: int  # bytes of the log that were read
    digest: bytes  # BLAKE2b of those bytes
    sessions: tuple[SessionRecord, ...]
    spots: tuple[Spot, ...]
    resume: Resume | None  # None: the snapshot can only be reused whole


def cache_dir() -> Path:
    """The folder for history caches (inside the user cache dir; ``XDG_CACHE_HOME`` applies)."""
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "history"


def cache_file(log: Path) -> Path:
    """The cache file of ``log``: one per absolute path."""
    key = hashlib.blake2b(str(log.absolute()).encode("utf-8"), digest_size=16).hexdigest()
    return cache_dir() / f"{key}.sqlite"


def digest_of(data: bytes | memoryview) -> hashlib.blake2b:
    """The running hash used for a log's bytes (``.digest()`` it, or ``.update`` it further)."""
    return hashlib.blake2b(data, digest_size=32)


def load(log: Path, fingerprint: str) -> Snapshot | None:
    """The snapshot stored for ``log`` by this very code, or ``None`` (never raises)."""
    path = cache_file(log)
    if not path.is_file():
        return None
    try:
        with contextlib.closing(_connect(path)) as db:
            meta = db.execute(
                "SELECT magic, format, fingerprint, log, size, digest, resume FROM meta"
            ).fetchone()
            if meta is None:
                return None
            magic, version, code, stored_log, size, digest, resume_text = meta
            if (magic, version, code, stored_log) != (
                _MAGIC, CACHE_FORMAT, fingerprint, str(log.absolute()),
            ):  # fmt: skip
                return None
            sessions = tuple(
                _session(json.loads(record))
                for (record,) in db.execute("SELECT record FROM session ORDER BY seq")
            )
            spots = tuple(
                (int(first), int(last), str(message))
                for first, last, message in db.execute(
                    "SELECT first, last, message FROM spot ORDER BY seq"
                )
            )
        return _checked(stored_log, code, size, digest, resume_text, sessions, spots)
    except Exception:
        # Cut short, garbage, another format, a row that does not decode: all mean
        # "read the log", never "fail the read".
        return None


def store(
    log: Path,
    snapshot: Snapshot,
    *,
    kept: tuple[int, int] | None = None,
    mtime_ns: int | None = None,
) -> None:
    """Bring the index of ``log`` to ``snapshot``; any failure is ignored.

    ``kept``: how many of the sessions and problems already stored are the first of
    ``snapshot``'s (a read that resumed after an append): only the rows after them
    are written again. Without it every row is. A file that is no index (damaged,
    or not a database at all) is replaced by a new one. ``mtime_ns``: the log's
    modification time when it was read, for :func:`is_current`.
    """
    if not _store(log, snapshot, kept, mtime_ns):
        remove(log)
        if not _store(log, snapshot, None, mtime_ns):
            remove(log)  # the next read reads the log in full instead


def _store(
    log: Path, snapshot: Snapshot, kept: tuple[int, int] | None, mtime_ns: int | None
) -> bool:
    path = cache_file(log)
    resume = snapshot.resume
    resume_text = (
        None
        if resume is None
        else json.dumps([resume.offset, resume.line, resume.sessions, resume.spots])
    )
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            path.with_suffix(".pickle").unlink()  # an earlier version's cache: never loaded
        with contextlib.closing(_connect(path)) as db, db:
            db.executescript(_SCHEMA)
            sessions, spots = kept if kept is not None else (0, 0)
            db.execute("DELETE FROM session WHERE seq >= ?", (sessions,))
            db.execute("DELETE FROM spot WHERE seq >= ?", (spots,))
            db.executemany(
                "INSERT INTO session (seq, record, id, line, instant, day, plan, notes, athlete)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (number, _row(session), *_columns(session))
                    for number, session in enumerate(snapshot.sessions[sessions:], start=sessions)
                ),
            )
            db.executemany(
                "INSERT INTO spot (seq, first, last, message) VALUES (?, ?, ?, ?)",
                (
                    (number, *spot)
                    for number, spot in enumerate(snapshot.spots[spots:], start=spots)
                ),
            )
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _MAGIC, CACHE_FORMAT, snapshot.fingerprint, snapshot.log,
                    snapshot.size, snapshot.digest, resume_text, mtime_ns,
                ),
            )  # fmt: skip
        path.chmod(0o600)
    except Exception:
        return False  # not writable, busy, full, or not an index
    return True


def remove(log: Path) -> None:
    """Forget the index of ``log`` (if there is one)."""
    for path in (cache_file(log), cache_file(log).with_suffix(".pickle")):
        with contextlib.suppress(OSError):
            path.unlink()
        for extra in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                path.with_name(path.name + extra).unlink()


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=_BUSY_S, isolation_level="DEFERRED")


def _columns(session: SessionRecord) -> tuple[object, ...]:
    """The query columns of a session: as :func:`retro_tui.history.stats.filter_sessions` and
    :func:`~retro_tui.history.stats.chronological` see it (case folded, the start's instant)."""
    started = session.started
    instant = (started if started.tzinfo is not None else started.replace(tzinfo=UTC)).timestamp()
    return (
        session.id,
        session.line,
        instant,
        started.date().isoformat(),
        session.plan.casefold(),
        session.notes.casefold(),
        session.athlete.strip().casefold(),
    )


# -- asking the index directly (the history command on a long log) ----------------------------


def is_current(log: Path, fingerprint: str, size: int, mtime_ns: int) -> bool:
    """Whether the index of ``log`` was made by this code from the log as it is now.

    The log's size and modification time stand for its bytes here, so a long log is
    not read and hashed just to show its last 20 sessions: a change made by hand or
    by another program changes the time. A full read (:func:`load`) checks the bytes.
    """
    if not cache_file(log).is_file():
        return False
    try:
        with contextlib.closing(_connect(cache_file(log))) as db:
            meta = db.execute("SELECT magic, format, fingerprint, log, size, mtime_ns FROM meta")
            return bool(meta.fetchone() == (
                _MAGIC, CACHE_FORMAT, fingerprint, str(log.absolute()), size, mtime_ns,
            ))  # fmt: skip
    except Exception:
        return False


@dataclass(frozen=True)
class Query:
    """Sessions of an index picked by :func:`matching`: each id once, in start order."""

    seqs: tuple[int, ...]
    total: int
    """Sessions in the whole log, each id once, filters or not."""
    repeats: tuple[tuple[str, int | None, int | None], ...]
    """(id, line of the repeat, line of the first) of each session whose id came again."""
    spots: tuple[Spot, ...]


def matching(
    log: Path,
    *,
    plan: str | None = None,
    notes: str | None = None,
    since: str | None = None,
    athlete: str | None = None,
) -> Query | None:
    """The sessions that pass the filters (already case folded; ``since`` an ISO date)."""
    if not cache_file(log).is_file():
        return None
    where: list[str] = []
    arguments: list[object] = []
    for column, value in (("plan", plan), ("notes", notes)):
        if value:
            where.append(f"instr({column}, ?) > 0")
            arguments.append(value)
    if since:
        where.append("day >= ?")
        arguments.append(since)
    if athlete:
        where.append("athlete = ?")
        arguments.append(athlete)
    try:
        with contextlib.closing(_connect(cache_file(log))) as db:
            rows, total = db.execute("SELECT count(*), count(DISTINCT id) FROM session").fetchone()
            if rows != total:  # a session pasted twice: only its first counts
                where.append("seq IN (SELECT min(seq) FROM session GROUP BY id)")
            condition = f"WHERE {' AND '.join(where)}" if where else ""
            seqs = tuple(
                seq
                for (seq,) in db.execute(
                    f"SELECT seq FROM session {condition} ORDER BY instant, id", arguments
                )
            )
            repeats = (
                ()
                if rows == total
                else tuple(
                    (str(id_), line, first)
                    for id_, line, first in db.execute(
                        "WITH firsts AS (SELECT id, min(seq) AS seq FROM session GROUP BY id) "
                        "SELECT s.id, s.line, f.line FROM session s JOIN firsts USING (id) "
                        "JOIN session f ON f.seq = firsts.seq WHERE s.seq != firsts.seq "
                        "ORDER BY s.seq"
                    )
                )
            )
            spots = tuple(
                (int(first), int(last), str(message))
                for first, last, message in db.execute(
                    "SELECT first, last, message FROM spot ORDER BY seq"
                )
            )
    except Exception:
        return None
    return Query(seqs, int(total), repeats, spots)


def records(log: Path, seqs: Iterable[int]) -> Iterator[SessionRecord]:
    """The sessions numbered ``seqs``, in that order, decoded one at a time."""
    wanted = iter(seqs)
    with contextlib.closing(_connect(cache_file(log))) as db:
        # A few hundred at a time: one query each, and never the whole log in memory.
        while chunk := list(itertools.islice(wanted, _CHUNK)):
            marks = ",".join("?" * len(chunk))
            rows = dict(
                db.execute(f"SELECT seq, record FROM session WHERE seq IN ({marks})", chunk)
            )
            for seq in chunk:
                record = rows.get(seq)
                if record is None:
                    raise LookupError(f"no session {seq} in the index")
                yield _session(json.loads(record))


def _checked(
    log: str,
    code: str,
    size: object,
    digest: object,
    resume_text: object,
    sessions: tuple[SessionRecord, ...],
    spots: tuple[Spot, ...],
) -> Snapshot | None:
    """The snapshot, if what was stored holds together; else ``None``."""
    if not isinstance(size, int) or not isinstance(digest, bytes):
        return None
    where = None
    if resume_text is not None:
        numbers = json.loads(str(resume_text))
        if not (
            isinstance(numbers, list)
            and len(numbers) == 4
            and all(isinstance(number, int) for number in numbers)
        ):
            return None
        where = Resume(*numbers)
        if not (
            0 <= where.offset <= size
            and 0 <= where.sessions <= len(sessions)
            and 0 <= where.spots <= len(spots)
        ):
            return None
    return Snapshot(log, code, size, digest, sessions, spots, where)


# -- one session as a row of JSON ------------------------------------------------------------
#
# Positional lists in the records' field order; values a JSON value can't be (the
# date-times of a session, and any date, time or table in a key kept as ``extra``)
# are tagged. Decoding builds the records with their own constructors.


def _row(session: SessionRecord) -> str:
    program = session.program
    return json.dumps(
        [
            session.id, session.plan, session.started.isoformat(), session.ended.isoformat(),
            str(session.status), [_step_row(step) for step in session.steps], session.plan_file,
            session.units, session.rpe, session.notes, session.planned_intervals,
            session.athlete, session.pain, session.pain_where,
            None if program is None
            else [program.name, program.week, program.session, program.run, program.file],
            session.suggestion, session.suggestion_text, _tagged(session.extra),
            list(session.damage), session.line, session.samples,
            None if session.heart_rate_zone_s is None else list(session.heart_rate_zone_s),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )  # fmt: skip


def _step_row(step: StepRecord) -> list[Any]:
    return [
        step.name, step.kind, step.direction, step.planned_s, step.actual_s, step.skipped,
        step.speed, step.incline, step.rpe, step.target_rpe, step.plan_step, _tagged(step.extra),
        step.belt_speed, step.belt_incline, step.distance_m, step.heart_rate_avg,
        step.heart_rate_max, step.speed_by_hand,
    ]  # fmt: skip


def _session(row: list[Any]) -> SessionRecord:
    (
        id_, plan, started, ended, status, steps, plan_file, units, rpe, notes, planned,
        athlete, pain, pain_where, program, suggestion, suggestion_text, extra, damage, line,
        samples, zone_seconds,
    ) = row  # fmt: skip
    return SessionRecord(
        id=id_,
        plan=plan,
        started=datetime.fromisoformat(started),
        ended=datetime.fromisoformat(ended),
        status=SessionStatus(status),
        steps=tuple(_step(step) for step in steps),
        plan_file=plan_file,
        units=units,
        rpe=rpe,
        notes=notes,
        planned_intervals=planned,
        athlete=athlete,
        pain=pain,
        pain_where=pain_where,
        program=None if program is None else ProgramSlot(*program),
        suggestion=suggestion,
        suggestion_text=suggestion_text,
        extra=_untagged(extra),
        damage=tuple(damage),
        line=line,
        samples=samples,
        heart_rate_zone_s=None if zone_seconds is None else tuple(zone_seconds),
    )


def _step(row: list[Any]) -> StepRecord:
    (
        name,
        kind,
        direction,
        planned,
        actual,
        skipped,
        speed,
        incline,
        rpe,
        target,
        plan_step,
        extra,
        belt_speed,
        belt_incline,
        distance_m,
        heart_rate_avg,
        heart_rate_max,
        speed_by_hand,
    ) = row
    return StepRecord(
        name=name,
        kind=kind,
        direction=direction,
        planned_s=planned,
        actual_s=actual,
        skipped=skipped,
        speed=speed,
        incline=incline,
        rpe=rpe,
        target_rpe=target,
        plan_step=plan_step,
        extra=_untagged(extra),
        belt_speed=belt_speed,
        belt_incline=belt_incline,
        distance_m=distance_m,
        heart_rate_avg=heart_rate_avg,
        heart_rate_max=heart_rate_max,
        speed_by_hand=speed_by_hand,
    )


def _tagged(table: Any) -> Any:
    """``extra`` as JSON: ``{}`` as it is, else each value tagged with its kind."""
    if not table:
        return {}
    return {"~": _tag(dict(table))}


def _untagged(value: Any) -> dict[str, Any]:
    if not value:
        return {}
    result = _untag(value["~"])
    if not isinstance(result, dict):
        raise ValueError("extra is not a table")
    return result


def _tag(value: Any) -> Any:
    if isinstance(value, datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, time):
        return ["t", value.isoformat()]
    if isinstance(value, dict):
        return ["m", {str(key): _tag(item) for key, item in value.items()}]
    if isinstance(value, list | tuple):
        return ["l", [_tag(item) for item in value]]
    return ["v", value]


def _untag(value: Any) -> Any:
    kind, content = value
    if kind == "v":
        return content
    if kind == "dt":
        return datetime.fromisoformat(content)
    if kind == "d":
        return date.fromisoformat(content)
    if kind == "t":
        return time.fromisoformat(content)
    if kind == "m":
        return {key: _untag(item) for key, item in content.items()}
    if kind == "l":
        return [_untag(item) for item in content]
    raise ValueError(f"unknown tag {kind!r}")
