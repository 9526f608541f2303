"""Durable file writes: a file is whole or untouched, never half-written, and survives a crash.

Every file retro-tui writes goes through one of these, so the care is taken once:
- :func:`replace_atomically`: new contents for a file (settings, a journal): written
  to a temp file in the same folder, ``fsync``-ed, renamed over the old one. A crash
  leaves the old contents or the new ones, never a mix.
- :func:`create_new`: a new file that must never replace an existing one (a
  suggested plan, a copied plan): it appears complete or not at all.
- :func:`append_durably`: one write at the end of an open file (the history log),
  ``fsync``-ed; if it fails half-way, what it added is cut off again.
- :func:`fsync_folder`: makes a rename or a new name in a folder durable.
- :func:`read_at`: reads part of an open file, on every platform.

Nothing here truncates a file in place: a file a person may have edited is only ever
appended to or replaced whole.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

NEW_FILE_MODE = 0o666
"""A new file's permission bits before the umask, as ``open()`` gives them (0644 with the
usual umask of 022): plans and settings may be shared or synced like any other file."""


def fsync_folder(folder: Path) -> None:
    """Make the folder's entries (a rename, a new file) durable, where the platform allows."""
    # Not every platform can open a folder (Windows cannot): the rename is then as
    # durable as the file system makes it.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _write_temp(folder: Path, name: str, data: bytes, *, durable: bool, mode: int) -> Path:
    """A temp file beside ``name`` in ``folder`` holding ``data``; removed again on failure.

    ``mode`` is its permission bits, the user's umask applied as for any new file.
    """
    # The dot and the random part keep it out of every glob the app uses for its files.
    while True:
        temp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        break
    try:
        try:
            _write_all(descriptor, data)
            if durable:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _write_all(descriptor: int, data: bytes) -> None:
    # One write: a short count is a full disk, not a reason to try again.
    if os.write(descriptor, data) != len(data):
        raise OSError(errno.ENOSPC, "the disk is full")


def replace_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Give ``path`` the contents ``data``, all at once, making its folder if needed.

    Raises :class:`OSError` with the file as it was (or absent) and no temp file
    left beside it. ``durable=False`` skips the ``fsync`` calls, for files that
    are only a shortcut and may be lost in a crash (an index, a note of what was
    checked).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)  # a file keeps who may read it
    except OSError:
        mode = NEW_FILE_MODE
    temp = _write_temp(path.parent, path.name, data, durable=durable, mode=mode)
    if mode != NEW_FILE_MODE:
        os.chmod(temp, mode)  # exactly the old bits, whatever the umask says
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_folder(path.parent)


def create_new(path: Path, data: bytes) -> None:
    """Create ``path`` holding ``data``, complete or not at all; never replace a file.

    Raises :class:`FileExistsError` when the name is taken (by the time of the
    write, not of a look before it). The data goes to a temp file first, which is
    then hard-linked to its name: ``os.link`` refuses to replace, and no reader
    sees half a file. Where the file system has no hard links it falls back to an
    exclusive create (``"x"``), which still never replaces.
    """
    temp = _write_temp(path.parent, path.name, data, durable=True, mode=NEW_FILE_MODE)
    try:
        try:
            os.link(temp, path)
        except FileExistsError:
            raise
        except OSError:
            _create_exclusive(path, data)
    finally:
        temp.unlink(missing_ok=True)
    fsync_folder(path.parent)


def _create_exclusive(path: Path, data: bytes) -> None:
    with path.open("xb") as handle:
        try:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        except OSError:
            handle.close()
            path.unlink(missing_ok=True)  # ours, just made: don't leave half of it
            raise


def read_at(descriptor: int, size: int, offset: int) -> bytes:
    """Up to ``size`` bytes of an open file from ``offset``, wherever its position is.

    ``os.pread`` where the platform has it; elsewhere (Windows) a seek and a read,
    which is as good for a file this process holds locked.
    """
    if hasattr(os, "pread"):
        return os.pread(descriptor, size, offset)
    os.lseek(descriptor, offset, os.SEEK_SET)
    return os.read(descriptor, size)


def append_durably(descriptor: int, data: bytes) -> None:
    """Append ``data`` to the file open (for appending) as ``descriptor``, then ``fsync``.

    One ``write`` call, so nobody else's append lands inside ours. If the write
    is short or fails (a full disk), what it added is cut off again and
    :class:`OSError` is raised: the file ends where it ended before.
    """
    size = os.fstat(descriptor).st_size
    try:
        _write_all(descriptor, data)
        os.fsync(descriptor)
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(descriptor, size)
        raise
