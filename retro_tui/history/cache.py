"""The history cache: what was read from a log, kept between runs so that only new text is parsed.

The log is append-only, so what a read found in its first N bytes stays true
as long as those N bytes are unchanged. One cache file per log (named by a
hash of the log's absolute path) lives in the user cache folder
(``platformdirs.user_cache_dir("retro-tui")/history``, which honours
``XDG_CACHE_HOME``). It holds a :class:`Snapshot`: the log's path, the length
and BLAKE2b digest of the text it describes, the sessions and problems found
there, and where the last block began so a read can resume from it.

The cache is only ever an accelerator. Every way it can be wrong (missing,
truncated, from another version of the code, for another file, unreadable,
not writable) makes :func:`load` return ``None`` or :func:`store` do
nothing, and the caller reads the log in full. Files are written to a temp
file and renamed into place, so a reader never sees half a cache; two
processes storing at once simply leave the later one's.

The payload is a pickle: it is the fastest way Python has to rebuild tens of
thousands of frozen dataclasses, and the file is private to the user (the
folder is created ``0700``, files ``0600``): anyone who can write there can
already run code as the user. Records are pickled as calls of their class
with their field values, not as a ``__dict__`` to restore: the instances
built by ``__init__`` share their attribute-name table, which makes 10,000
loaded sessions take about half the memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import operator
import os
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from retro_tui.history.record import SessionRecord, StepRecord
from retro_tui.paths import APP_NAME

CACHE_FORMAT = 1
"""Bump when the layout of the stored tuple changes (the code fingerprint catches the rest)."""

_MAGIC = "retro-tui history cache"

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
    return cache_dir() / f"{key}.pickle"


def digest_of(data: bytes | memoryview) -> hashlib.blake2b:
    """The running hash used for a log's bytes (``.digest()`` it, or ``.update`` it further)."""
    return hashlib.blake2b(data, digest_size=32)


def load(log: Path, fingerprint: str) -> Snapshot | None:
    """The snapshot stored for ``log`` by this very code, or ``None`` (never raises)."""
    try:
        with cache_file(log).open("rb") as file:
            stored = pickle.load(file)
        return _snapshot(stored, str(log.absolute()), fingerprint)
    except Exception:
        # Missing, truncated, garbage, from an older format, a class that no
        # longer exists: all mean "read the log", never "fail the read".
        return None


def store(log: Path, snapshot: Snapshot) -> None:
    """Replace the cache of ``log`` with ``snapshot``, atomically; any failure is ignored."""
    target = cache_file(log)
    # Unique per process and thread, so two reads storing at once never share a temp file.
    temporary = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    resume = snapshot.resume
    stored = (
        _MAGIC,
        CACHE_FORMAT,
        snapshot.fingerprint,
        snapshot.log,
        snapshot.size,
        snapshot.digest,
        None if resume is None else (resume.offset, resume.line, resume.sessions, resume.spots),
        snapshot.sessions,
        snapshot.spots,
    )
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            _Pickler(file, protocol=pickle.HIGHEST_PROTOCOL).dump(stored)
        # No fsync: a cache lost or cut short by a crash is detected and rebuilt.
        os.replace(temporary, target)
    except Exception:
        with contextlib.suppress(OSError):
            temporary.unlink()


def remove(log: Path) -> None:
    """Forget the cache of ``log`` (if there is one)."""
    with contextlib.suppress(OSError):
        cache_file(log).unlink()


def _field_values(cls: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """A getter of the values to call ``cls`` with, if its fields can all be passed in order."""
    fields = dataclasses.fields(cls)
    if len(fields) < 2 or any(not field.init or field.kw_only is True for field in fields):
        return None  # let pickle do it its own way
    return operator.attrgetter(*(field.name for field in fields))


_REBUILT = {
    cls: getter for cls in (SessionRecord, StepRecord) if (getter := _field_values(cls)) is not None
}


class _Pickler(pickle.Pickler):
    """Pickles records as ``Class(*field_values)``, so loading them runs their ``__init__``."""

    def reducer_override(self, obj: Any) -> Any:
        getter = _REBUILT.get(type(obj))
        if getter is None:
            return NotImplemented
        return type(obj), getter(obj)


def _snapshot(stored: object, log: str, fingerprint: str) -> Snapshot | None:
    """Check the unpickled object field by field; anything unexpected is a miss."""
    if not isinstance(stored, tuple) or len(stored) != 9:
        return None
    magic, version, code, path, size, digest, resume, sessions, spots = stored
    if (magic, version, code, path) != (_MAGIC, CACHE_FORMAT, fingerprint, log):
        return None
    if not isinstance(size, int) or not isinstance(digest, bytes):
        return None
    if not isinstance(sessions, tuple) or not all(isinstance(s, SessionRecord) for s in sessions):
        return None
    if not isinstance(spots, tuple) or not all(_is_spot(spot) for spot in spots):
        return None
    where = None
    if resume is not None:
        if not (
            isinstance(resume, tuple)
            and len(resume) == 4
            and all(isinstance(number, int) for number in resume)
        ):
            return None
        where = Resume(*resume)
        if not (
            0 <= where.offset <= size
            and 0 <= where.sessions <= len(sessions)
            and 0 <= where.spots <= len(spots)
        ):
            return None
    return Snapshot(path, code, size, digest, sessions, spots, where)


def _is_spot(spot: object) -> bool:
    return (
        isinstance(spot, tuple)
        and len(spot) == 3
        and isinstance(spot[0], int)
        and isinstance(spot[1], int)
        and isinstance(spot[2], str)
    )
