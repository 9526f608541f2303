"""Writing a session's activity files: FIT, TCX or both, named from the session.

One function for the command line (``retro-tui export``) and the history
screen (``x``), so both name and write the files the same way. Each file is
written whole or not at all (an atomic replace): exporting the same session
again gives the same file again, never half of one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path

from retro_tui.files import replace_atomically
from retro_tui.history.record import SessionRecord
from retro_tui.interchange.activity import (
    Activity,
    activity_of,
    file_stem,
    read_sample_rows,
    samples_file,
)
from retro_tui.interchange.tcx import tcx_activity


class ActivityFormat(StrEnum):
    FIT = "fit"
    TCX = "tcx"


def _writer(kind: ActivityFormat) -> Callable[[Activity], bytes]:
    """The writer of ``kind``. fit-tool is imported only for a FIT file: it takes a tenth of
    a second to load, which every ``retro-tui`` start would otherwise pay."""
    if kind is ActivityFormat.TCX:
        return tcx_activity
    from retro_tui.interchange.fit_activity import fit_activity

    return fit_activity


class NothingRan(ValueError):
    """A session in which no step ran a moment: an activity file of it would be empty."""

    def __init__(self, session: SessionRecord) -> None:
        super().__init__(f"session {session.id} ({session.plan}) ran no step: nothing to export")


def session_activity(session: SessionRecord, history: Path) -> Activity:
    """The activity of ``session``, with its samples when the log's folder has them."""
    path = samples_file(session, history)
    activity = activity_of(session, read_sample_rows(path) if path is not None else None)
    if not activity.laps:
        raise NothingRan(session)
    return activity


def activity_bytes(activity: Activity, kind: ActivityFormat) -> bytes:
    return _writer(kind)(activity)


def export_session(
    session: SessionRecord,
    history: Path,
    folder: Path,
    formats: Sequence[ActivityFormat] = (ActivityFormat.FIT, ActivityFormat.TCX),
) -> list[Path]:
    """Write ``session`` into ``folder`` (made if missing) in each of ``formats``; the
    paths written. Raises ``OSError`` when the folder or a file can't be written, and
    :class:`NothingRan` for a session with no step run."""
    activity = session_activity(session, history)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in formats:
        path = folder / f"{file_stem(session)}.{kind.value}"
        replace_atomically(path, activity_bytes(activity, kind))
        written.append(path)
    return written
