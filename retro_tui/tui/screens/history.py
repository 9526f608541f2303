"""The history: every session in a table, newest first, sortable and filterable.

The table fits the window: a long plan name is cut short with "…" first, and on
a narrow terminal the figures a reader can best do without give way (load,
then the average interval RPE, total time, ...), so the date, the plan and the
status are always in view. Enter shows every figure of a session.

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
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from retro_tui.history.reader import HistoryRead, read_history
from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import (
    athlete_key,
    athlete_names,
    filter_sessions,
    has_several_athletes,
)
from retro_tui.interchange.export import NothingRan, export_session
from retro_tui.presentation import SessionSummary, session_summary, table_cells, table_columns
from retro_tui.tui.screens.base import RetroScreen, ScreenHelp
from retro_tui.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    pass

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

PLAN_MIN = 12
"""The plan is cut down to this many characters before any column gives way."""

GIVE_WAY = ("load", "avg", "total", "RPE", "pain", "int", "back")
"""The columns left out of a table too wide for the window, first to last. Date, plan, status
(and the athlete, when rows mix people) always stay."""

# Eleven columns fit 100 terminal columns only one space apart: the table gets no padding of its
# own (it would put two spaces between columns) and every cell starts with this gap instead.
GAP = " "


@dataclass(frozen=True)
class Fit:
    """The columns that fit the window, and how long a plan name may be in them."""

    columns: tuple[str, ...]
    plan_limit: int


def cell_text(column: str, cell: str, plan_limit: int = CELL_LIMITS["plan"]) -> Text:
    """One cell (or header) as plain Text, so the user's own text is never read as markup."""
    text = Text(GAP + cell, justify="right" if column in RIGHT_ALIGNED else "left")
    limit = plan_limit if column == "plan" else CELL_LIMITS.get(column)
    if limit is not None:
        text.truncate(len(GAP) + limit, overflow="ellipsis")
    return text


def fit_columns(columns: tuple[str, ...], cells: list[dict[str, str]], width: int) -> Fit:
    """The columns of ``columns`` that fit ``width`` with these rows' ``cells``.

    The plan gives way first, down to :data:`PLAN_MIN`; then whole columns, in the
    order of :data:`GIVE_WAY`; then the plan takes back what is left, up to its limit.
    """

    def needed(name: str) -> int:
        # Terminal cells, not characters: a name in CJK takes two cells a character.
        longest = max([cell_len(name), *(cell_len(row[name]) for row in cells)])
        limit = CELL_LIMITS.get(name)
        return len(GAP) + (longest if limit is None else min(longest, limit))

    plan = needed("plan") if "plan" in columns else 0
    others = {name: needed(name) for name in columns if name != "plan"}
    kept = list(columns)
    short_plan = min(plan, len(GAP) + PLAN_MIN) if plan else 0
    for name in GIVE_WAY:
        if short_plan + sum(others[column] for column in kept if column != "plan") <= width:
            break
        if name in kept:
            kept.remove(name)
    room = width - sum(others[column] for column in kept if column != "plan") - len(GAP)
    limit = max(PLAN_MIN, min(CELL_LIMITS["plan"], room))
    return Fit(tuple(kept), limit)


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


class HistoryScreen(RetroScreen[None]):
    """All sessions of the history log."""

    ABOUT = ScreenHelp(
        "History",
        "Every session you saved, newest first. ↑ ↓ move through them, Enter shows one in "
        "full, t shows the trends.",
        keys={
            "detail": "Show the highlighted session in full",
            "export": "Save the highlighted session as FIT and TCX files for Strava, Garmin "
            "Connect or intervals.icu",
        },
    )

    TITLE = "History"
    # Most needed first: a narrow footer gives way from the right (see KeyFooter).
    BINDINGS = [
        # A priority, or the table's own Enter (hidden) would keep this one out of the footer;
        # in the filter field it still ends the typing (see action_detail).
        Binding("enter", "detail", "Details", priority=True),
        Binding("t", "trends", "Trends"),
        Binding("x", "export", "Export"),
        Binding("slash", "filter", "Filter"),
        Binding("a", "athlete", "Athlete"),
        Binding("s", "sort", "Sort"),
        Binding("r", "reverse", "Reverse"),
        # A priority like the app's own "?", which would otherwise take its place in the footer.
        Binding("question_mark", "app.help", "Help", priority=True),
        Binding("escape,q", "back", "Back"),
    ]
    FOOTER_KEEPS = ("detail", "app.help", "back")

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
        self.fitted: Fit | None = None
        """The columns shown and the plan's length, as fitted to the window by :meth:`fill`."""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id="history-banner")
        yield ProgressBar(id="history-loading", show_eta=False)
        yield Input(placeholder="Filter by plan or notes (press / to type here)", id="filter")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(id="history-count")
        yield KeyFooter()

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
                f"The history log ({result.path.name}) is damaged in {len(result.problems)} "
                "place(s): what could be read is shown, damaged sessions marked ! "
                "(the file is not changed):"
            ]
            for problem in result.problems[:3]:
                where = "" if problem.path == result.path else f"{problem.path.name} "
                if problem.first_line:
                    where += f"lines {problem.first_line}-{problem.last_line}: "
                lines.append(f"  {where}{problem.message}")
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

    def table_width(self) -> int:
        """The columns the table has for its cells: the window's width, less a scroll bar.

        The table spans the window; its own size may still be the one from before the log
        was read (with the progress bar showing), so the window's is the one to trust.
        """
        table = self.query_one("#sessions", DataTable)
        return self.app.size.width - table.styles.scrollbar_size_vertical

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
        columns = table_columns(athlete=with_athlete)
        table = self.query_one("#sessions", DataTable)
        wanted = self.query_one("#filter", Input).value
        name, key, biggest_first = SORTS[self.sort_index]
        of_athlete = self.athlete_pairs()
        rows = [item for item in of_athlete if matches(item[1][0], wanted)]
        descending = biggest_first != self.reversed
        rows.sort(key=lambda item: key(item[1][1]), reverse=descending)
        listed = rows[:MAX_ROWS]
        cells = [
            dict(zip(columns, table_cells(summary, athlete=with_athlete), strict=True))
            for _, (_, summary) in listed
        ]
        fitted = self.fitted = fit_columns(columns, cells, self.table_width())
        self.set_columns(fitted.columns)
        for (row_key, _), row in zip(listed, cells, strict=True):
            shown = (cell_text(column, row[column], fitted.plan_limit) for column in self.columns)
            table.add_row(*shown, key=row_key)
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

    def on_resize(self, event: events.Resize) -> None:
        # A wider or narrower window fits other columns: list the rows again, on the same row.
        if self.history is not None and self.fitted is not None:
            self.call_after_refresh(self.refit)

    def refit(self) -> None:
        table = self.query_one("#sessions", DataTable)
        current = self.selected_key()
        self.fill()
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#sessions", DataTable).focus()

    def action_filter(self) -> None:
        # At once, not after this key: the letters typed next belong to the filter.
        self.set_focus(self.query_one("#filter", Input))

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

    def selected_key(self) -> str | None:
        table = self.query_one("#sessions", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    def selected(self) -> SessionRecord | None:
        pair = self.summaries.get(self.selected_key() or "")
        return pair[0] if pair else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        from retro_tui.tui.dialogs.session_detail import SessionDetailDialog

        if isinstance(self.focused, Input):
            # Enter in the filter field: done typing, back to the rows it left.
            self.query_one("#sessions", DataTable).focus()
            return
        session = self.selected()
        if session is not None:
            # The mass of the session's own athlete, not the current one: Ana's session is
            # estimated with Ana's mass whoever is training now.
            mass = self.retro.body_mass(session.athlete)
            self.app.push_screen(SessionDetailDialog(session, body_mass_kg=mass))

    def action_export(self) -> None:
        """Write the highlighted session's FIT and TCX files, in a thread: a long session's
        records take a moment, and the screen must not wait for them."""
        session = self.selected()
        if session is None:
            self.notify("No session to export", markup=False)
            return
        self.export_files(session)

    @work(thread=True, group="export")
    def export_files(self, session: SessionRecord) -> None:
        folder = self.retro.settings.exports
        try:
            written = export_session(session, self.retro.history_path, folder)
        except NothingRan as error:
            said = str(error)  # its first letter up; the plan's name and the id as they are
            self.app.call_from_thread(self.notify, said[:1].upper() + said[1:], markup=False)
            return
        except OSError as error:
            where = error.filename or folder
            message = f"Could not export into {where}: {error.strerror or error}"
            self.app.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        names = " and ".join(path.name for path in written)
        message = f"Saved {names} in {folder}: upload either to Strava, Garmin or intervals.icu"
        self.app.call_from_thread(self.notify, message, timeout=10, markup=False)

    def action_trends(self) -> None:
        from retro_tui.tui.screens.trends import TrendsScreen

        if self.history is None:
            return
        today = self.retro.settings.wall_clock().date()
        sessions = filter_sessions(self.history.sessions, athlete=self.shown_athlete)
        # Their zones, for the heart-rate load of sessions from before time in zone was kept;
        # "all athletes" have no zones in common (and no form: the trends say so).
        one_person = self.shown_athlete is not None or not self.athletes
        zones = self.retro.config.heart_rate_zones_for(self.shown_athlete or "")
        self.app.push_screen(
            TrendsScreen(sessions, today, whose=self.whose(), zones=zones if one_person else None)
        )

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            self.query_one("#sessions", DataTable).focus()
            return
        self.dismiss()
