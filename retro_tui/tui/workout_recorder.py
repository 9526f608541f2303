"""A running workout as the crash journal and the history log get it.

The journal is written from the first second and at least every
:data:`JOURNAL_EVERY_S` during a step, so a crash or a kill loses no more than
that; a workout cut off from outside (a browser tab closed) is saved as it
stands, or kept in the journal for the next start when the log can't be
written.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from retro_tui.history.record import ProgramSlot, SessionRecord, new_session_id
from retro_tui.history.session import build_session
from retro_tui.workout.engine import Workout

if TYPE_CHECKING:
    from retro_tui.tui.app import RetroApp

JOURNAL_EVERY_S = 5.0
"""The crash journal is written at least this often during a step, so a crash (or a kill)
loses no more than this of the step in progress; well inside the ten seconds promised."""


class WorkoutRecorder:
    """The session of one workout screen: its id, its snapshots, its journal and its save."""

    def __init__(self, app: RetroApp, program: ProgramSlot | None, started: datetime) -> None:
        self.app = app
        self.program = program
        self.started = started
        self.session_id = new_session_id(started)
        self.journal_at = -math.inf
        """Clock time of the last journal snapshot."""
        self.warned = False
        self.measure: Callable[[SessionRecord], SessionRecord] = lambda session: session
        """Adds what the devices measured (see ``WorkoutDevices.measured``)."""

    def snapshot(self, workout: Workout) -> SessionRecord:
        """The session so far, the step in progress included."""
        return self.measure(
            build_session(
                workout,
                session_id=self.session_id,
                started=self.started,
                ended=self.app.settings.wall_clock(),
                athlete=self.app.athlete,
                program=self.program,
            )
        )

    def journal_due(self, now: float) -> bool:
        return now - self.journal_at >= JOURNAL_EVERY_S

    def write_journal(self, workout: Workout, now: float) -> None:
        """Hand the session so far to the journal's thread (it never blocks)."""
        self.journal_at = now
        self.app.journal.submit(self.snapshot(workout))

    def warn_if_journal_failed(self, notify: Callable[..., Any]) -> None:
        """One notice (not one per step) if the crash journal can't be written."""
        error = self.app.journal.error
        if error is None or self.warned:
            return
        self.warned = True
        notify(
            f"Can't keep a crash copy of this workout ({error}); it is still saved at the end.",
            title="No crash journal",
            severity="warning",
            timeout=10,
            markup=False,
        )

    def save_cut_off(self, workout: Workout) -> None:
        """Save a workout ended from outside; keep it in the journal if the log can't take it."""
        if not workout.runs:
            return  # closed within the first moments: nothing was done
        session = self.snapshot(workout)
        try:
            self.app.save(session)
        except OSError:
            self.app.journal.submit(session)
            self.app.journal.flush()
