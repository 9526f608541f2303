"""The session table as people see it: one row a session, the same in the app and on the CLI.

The history screen, the session detail and ``retro-tui history`` all show a
session through :func:`session_summary` and :func:`table_cells`, so a figure is
rounded and worded one way everywhere. Text here is plain (never markup).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from retro_tui.coach.load import session_load
from retro_tui.history.record import SessionRecord, SessionStatus
from retro_tui.history.stats import athlete_of, interval_ratings, mean_rating, session_date
from retro_tui.plan.durations import format_elapsed

NOT_AVAILABLE = "n/a"


def show(value: float | None, digits: int = 2) -> str:
    """A statistic for display: rounded to ``digits``, or ``n/a`` when it is undefined."""
    return NOT_AVAILABLE if value is None else f"{value:.{digits}f}"


@dataclass(frozen=True)
class SessionSummary:
    """One row of the history table."""

    id: str
    date: date
    started: datetime
    plan: str
    status: SessionStatus
    total_s: float
    backward_s: float
    intervals_done: int
    intervals_planned: int | None
    avg_interval_rpe: float | None
    session_rpe: int | None
    session_load: float | None
    notes: str
    athlete: str | None
    pain: int | None = None
    """0-10 (0: none), ``None`` when the session did not ask."""
    pain_where: str = ""
    damaged: bool = False
    """Whether the log says something is wrong with the session (see its problems)."""
    backward_shown_s: int | None = None
    """The backward time as the session's rows show it (see
    :attr:`~retro_tui.history.record.SessionRecord.backward_shown_s`)."""

    @property
    def total_min(self) -> float:
        return self.total_s / 60.0

    @property
    def backward_min(self) -> float:
        return self.backward_s / 60.0


def session_summary(session: SessionRecord) -> SessionSummary:
    """The figures of one session; see the module docstring for load and dates."""
    return SessionSummary(
        id=session.id,
        date=session_date(session),
        started=session.started,
        plan=session.plan,
        status=session.status,
        total_s=session.active_s,
        backward_s=session.backward_s,
        intervals_done=session.backward_intervals,
        intervals_planned=session.planned_intervals,
        avg_interval_rpe=mean_rating(interval_ratings(session)),
        session_rpe=session.rpe,
        session_load=session_load(session),
        notes=session.notes,
        athlete=athlete_of(session),
        pain=session.pain,
        pain_where=session.pain_where,
        damaged=bool(session.damage),
        backward_shown_s=session.backward_shown_s,
    )


PAIN_NOT_ASKED = "–"
_SHORT_PLACE = 9


def pain_cell(pain: int | None, where: str = "") -> str:
    """Pain in a few characters for a table: "–" not asked, "0" none, "3 knee" with the place.

    A place longer than a table cell keeps its first word when that is short enough ("ankle
    or foot" reads "ankle"), or else its first characters and an ellipsis.
    """
    if pain is None:
        return PAIN_NOT_ASKED
    place = " ".join(where.split())
    if not pain or not place:
        return str(pain)
    if len(place) > _SHORT_PLACE:
        first_word = place.split()[0]
        place = first_word if len(first_word) <= _SHORT_PLACE else place[: _SHORT_PLACE - 1] + "…"
    return f"{pain} {place}"


TABLE_COLUMNS = (
    "date", "athlete", "plan", "total", "back", "int", "avg", "RPE", "load", "pain", "status",
)  # fmt: skip
"""The columns of a session table, in the app and on the command line alike.

The athlete column is worth its width only when a table mixes people: see
:func:`table_columns` and :func:`has_several_athletes`.
"""


def table_columns(*, athlete: bool = True) -> tuple[str, ...]:
    """:data:`TABLE_COLUMNS`, without the athlete column when ``athlete`` is false."""
    return TABLE_COLUMNS if athlete else tuple(name for name in TABLE_COLUMNS if name != "athlete")


def table_cells(summary: SessionSummary, *, athlete: bool = True) -> tuple[str, ...]:
    """One session as the cells of :func:`table_columns` (plain text; "" where unknown)."""
    planned = summary.intervals_planned
    intervals = f"{summary.intervals_done}/{planned}" if planned else str(summary.intervals_done)
    cells = {
        # A damaged session is shown, marked: its figures are what the log holds now.
        "date": f"{summary.started:%Y-%m-%d %H:%M}" + (" !" if summary.damaged else ""),
        "athlete": (summary.athlete or "").strip(),
        "plan": summary.plan,
        "total": format_elapsed(summary.total_s),
        # The same whole seconds as the session's detail and summary show.
        "back": format_elapsed(
            summary.backward_s if summary.backward_shown_s is None else summary.backward_shown_s
        ),
        "int": intervals,
        "avg": "" if summary.avg_interval_rpe is None else show(summary.avg_interval_rpe, 1),
        "RPE": "" if summary.session_rpe is None else str(summary.session_rpe),
        "load": "" if summary.session_load is None else f"{summary.session_load:.0f}",
        "pain": pain_cell(summary.pain, summary.pain_where),
        "status": str(summary.status),
    }
    return tuple(cells[name] for name in table_columns(athlete=athlete))
