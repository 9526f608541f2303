"""The history: every session in a table, newest first, sortable and filterable.

The log is read in a worker thread (a coach's log can hold thousands of
sessions) with a progress bar while it loads. A damaged log still shows every
session that could be read, under a banner that says which lines could not.
Enter opens a session's detail; ``t`` shows the trends.

One laptop can train several people: the screen opens on the current athlete's
sessions (when the log has any) and ``a`` steps through "all athletes" and each
athlete named in the log. The trends follow the athlete shown. An athlete column
appears only when the rows shown mix people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from retro_tui.history.reader import HistoryRead, read_history
from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import (
    SessionSummary,
    athlete_key,
    athlete_names,
    filter_sessions,
    has_several_athletes,
    session_summary,
    table_cells,
    table_columns,
)

if TYPE_CHECKING:
    from retro_tui.tui.app import RetroApp

Pair = tuple[SessionRecord, SessionSummary]

MAX_ROWS = 500
"""Rows in the table at once: enough to scroll through, few enough to sort and filter
instantly on a coach's log of thousands; the count line says when more match."""

# (name, key, biggest first by default): newest, heaviest, hardest first; plans A to Z.
SORTS: tuple[tuple[str, Callable[[SessionSummary], float | str], bool], ...] = (
    ("date", lambda summary: summary.started.timestamp(), True),
    ("load", lambda summary: summary.session_load or 0.0, True),
    ("session RPE", lambda summary: float(summary.session_rpe or 0), True),
    ("backward time", lambda summary: summary.backward_s, True),
    ("plan", lambda summary: summary.plan.casefold(), False),
)


RIGHT_ALIGNED = {"total", "back", "int", "avg", "RPE", "load"}

# Longest plan and athlete names shown whole: a plan named like a sentence would otherwise push
# the figures off a 100-column screen. The detail (Enter) shows the whole name.
CELL_LIMITS = {"plan": 26, "athlete": 12}

# Eleven columns fit 100 terminal columns only one space apart: the table gets no padding of its
# own (it would put two spaces between columns) and every cell starts with this gap instead.
GAP = " "


def cell_text(column: str, cell: str) -> Text:
    """One cell (or header) as plain Text, so the user's own text is never read as markup."""
    text = Text(GAP + cell, justify="right" if column in RIGHT_ALIGNED else "left")
    if column in CELL_LIMITS:
        text.truncate(len(GAP) + CELL_LIMITS[column], overflow="ellipsis")
    return text


def row_cells(summary: SessionSummary, *, athlete: bool) -> tuple[Text, ...]:
    """The cells of one row."""
    return tuple(
        cell_text(column, cell)
        for column, cell in zip(
            table_columns(athlete=athlete), table_cells(summary, athlete=athlete), strict=True
        )
    )


def matches(session: SessionRecord, text: str) -> bool:
    """A filter word matches the plan's name or the notes, ignoring case."""
    needle = text.strip().casefold()
    return not needle or needle in session.plan.casefold() or needle in session.notes.casefold()


@dataclass(frozen=True)
class Loaded:
    """What the reading worker hands back to the screen."""

    history: HistoryRead
    summaries: dict[str, Pair]
    athletes: list[str]
    mixed: bool


class HistoryScreen(Screen[None]):
    """All sessions of the history log."""

    TITLE = "History"
    BINDINGS = [
        Binding("enter", "detail", "Details"),
        Binding("slash", "filter", "Filter"),
        Binding("s", "sort", "Sort"),
        Binding("r", "reverse", "Reverse"),
        Binding("a", "athlete", "Athlete"),
        Binding("t", "trends", "Trends"),
        Binding("escape,q", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.history: HistoryRead | None = None
        self.summaries: dict[str, Pair] = {}
        self.sort_index = 0
        self.reversed = False
        self.athletes: list[str] = []
        """Every athlete named in the log, A to Z."""
        self.shown_athlete: str | None = None
        """Whose sessions are listed; ``None`` for everyone's."""
        self.mixed_log = False
        """Whether the log holds more than one person's sessions."""
        self.columns: tuple[str, ...] = ()

    @property
    def retro(self) -> RetroApp:
        return cast("RetroApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id="history-banner")
        yield ProgressBar(id="history-loading", show_eta=False)
        yield Input(placeholder="Filter by plan or notes (press / to type here)", id="filter")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(id="history-count")
        yield Footer()

    def on_mount(self) -> None:
        self.set_columns(table_columns(athlete=False))
        self.query_one("#history-banner", Static).display = False
        self.query_one("#filter", Input).display = False
        path = self.retro.history_path
        self.run_worker(lambda: self._load(path), thread=True, name="history", exit_on_error=False)

    def _load(self, path: Path) -> Loaded:
        """Read and summarise in the worker thread: thousands of sessions take a while."""
        result = read_history(path, progress=self._progress)
        summaries = {
            f"{session.id}#{number}": (session, session_summary(session))
            for number, session in enumerate(result.sessions)
        }
        return Loaded(
            result, summaries, athlete_names(result.sessions), has_several_athletes(result.sessions)
        )

    def _progress(self, fraction: float) -> None:
        # Called from the reading thread.
        self.app.call_from_thread(
            self.query_one("#history-loading", ProgressBar).update, total=1.0, progress=fraction
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "history" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        self.query_one("#history-loading", ProgressBar).display = False
        if event.state is WorkerState.ERROR:
            self.show_banner(
                Text(f"Could not read {self.retro.history_path}: {event.worker.error}")
            )
            return
        loaded = event.worker.result
        assert isinstance(loaded, Loaded)
        result = self.history = loaded.history
        self.summaries = loaded.summaries
        self.athletes = loaded.athletes
        self.mixed_log = loaded.mixed
        # The current athlete's own sessions first, if they have any: that is whose they want.
        current = athlete_key(self.retro.athlete)
        self.shown_athlete = next(
            (name for name in self.athletes if current and athlete_key(name) == current), None
        )
        self.refresh_bindings()
        lines = []
        if result.problems:
            lines = [
                f"The history log ({result.path.name}) is damaged: {len(result.problems)} part(s) "
                "could not be read and are left out (the file is not changed):"
            ]
            for problem in result.problems[:3]:
                where = "" if problem.path == result.path else f"{problem.path.name} "
                lines.append(
                    f"  {where}lines {problem.first_line}-{problem.last_line}: {problem.message}"
                )
            if len(result.problems) > 3:
                lines.append(f"  ... and {len(result.problems) - 3} more")
        if result.rescues:
            names = ", ".join(rescue.name for rescue in result.rescues)
            lines.append(f"Sessions saved while the log was damaged are read from {names}.")
        if lines:
            self.show_banner(Text("\n".join(lines)))
        self.query_one("#filter", Input).display = True
        self.fill()
        self.query_one("#sessions", DataTable).focus()

    def show_banner(self, text: Text) -> None:
        banner = self.query_one("#history-banner", Static)
        banner.update(text)
        banner.display = True

    def set_columns(self, columns: tuple[str, ...]) -> None:
        """Lay the table out with ``columns`` (and no rows) unless it already has them."""
        table = self.query_one("#sessions", DataTable)
        if columns == self.columns:
            table.clear()
            return
        table.clear(columns=True)
        for name in columns:
            table.add_column(cell_text(name, name), key=name)
        self.columns = columns

    def athlete_pairs(self) -> list[tuple[str, Pair]]:
        """The rows of the athlete shown (everyone's when none is), before the text filter."""
        if self.shown_athlete is None:
            return list(self.summaries.items())
        wanted = athlete_key(self.shown_athlete)
        return [
            item for item in self.summaries.items() if athlete_key(item[1][0].athlete) == wanted
        ]

    def fill(self) -> None:
        # One person's rows need no athlete column: the title and count line name them.
        with_athlete = self.mixed_log and self.shown_athlete is None
        self.set_columns(table_columns(athlete=with_athlete))
        table = self.query_one("#sessions", DataTable)
        wanted = self.query_one("#filter", Input).value
        name, key, biggest_first = SORTS[self.sort_index]
        of_athlete = self.athlete_pairs()
        rows = [item for item in of_athlete if matches(item[1][0], wanted)]
        descending = biggest_first != self.reversed
        rows.sort(key=lambda item: key(item[1][1]), reverse=descending)
        for row_key, (_, summary) in rows[:MAX_ROWS]:
            table.add_row(*row_cells(summary, athlete=with_athlete), key=row_key)
        matching, total = len(rows), len(of_athlete)
        whose = self.whose()
        self.sub_title = whose
        if name == "date":
            order = "newest first" if descending else "oldest first"
        elif name == "plan":
            order = f"by plan, {'Z to A' if descending else 'A to Z'}"
        else:
            order = f"by {name}, {'biggest' if descending else 'smallest'} first"
        count = Text(f"{matching} of {total} sessions{' of ' + whose if whose else ''}, {order}")
        if matching > MAX_ROWS:
            count.append(f"; the first {MAX_ROWS} are listed (filter or sort for others)")
        if not total:
            count = Text("No sessions yet: they appear here after your first workout.")
        self.query_one("#history-count", Static).update(count)

    def whose(self) -> str:
        """Whose sessions are listed, for titles: "" when the log names nobody."""
        if not self.athletes:
            return ""
        return self.shown_athlete or "all athletes"

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#sessions", DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.reversed = False
        self.fill()

    def action_reverse(self) -> None:
        self.reversed = not self.reversed
        self.fill()

    def action_athlete(self) -> None:
        """Show the next athlete's sessions: all athletes, then each by name, then all again."""
        choices: list[str | None] = [None, *self.athletes]
        position = choices.index(self.shown_athlete) if self.shown_athlete in choices else 0
        self.shown_athlete = choices[(position + 1) % len(choices)]
        self.fill()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # No athletes in the log (or not read yet): a key that would do nothing is not offered.
        if action == "athlete":
            return bool(self.athletes)
        return True

    def selected(self) -> SessionRecord | None:
        table = self.query_one("#sessions", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        pair = self.summaries.get(str(row_key.value))
        return pair[0] if pair else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        from retro_tui.tui.dialogs.session_detail import SessionDetailDialog

        session = self.selected()
        if session is not None:
            # The mass of the session's own athlete, not the current one: Ana's session is
            # estimated with Ana's mass whoever is training now.
            mass = self.retro.body_mass(session.athlete)
            self.app.push_screen(SessionDetailDialog(session, body_mass_kg=mass))

    def action_trends(self) -> None:
        from retro_tui.tui.screens.trends import TrendsScreen

        if self.history is None:
            return
        today = self.retro.settings.wall_clock().date()
        sessions = filter_sessions(self.history.sessions, athlete=self.shown_athlete)
        self.app.push_screen(TrendsScreen(sessions, today, whose=self.whose()))

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            self.query_one("#sessions", DataTable).focus()
            return
        self.dismiss()
