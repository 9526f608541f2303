"""Trends: how the backward training went over the last weeks and months, and personal bests.

Three tabs, each sized to be read whole at 100x30 (and scrolled at 60x20):

Weeks
    Backward minutes per ISO week as bars and the average interval RPE per week as a line,
    for the last 12 weeks (textual-plotext charts).
Load
    The last 8 weeks as a table: sessions, backward minutes, Foster load, monotony, strain.
Calendar
    A heat-map of backward minutes per day for about four months, and the records.

The screen is handed the sessions already read (the caller loads the history in a worker and
picks whose they are: one athlete's, or everyone's, as the title says) and ``today`` (from the
app's wall clock, a fixed date in tests), so it neither touches files nor reads the real clock.
Every figure comes from :mod:`retro_tui.history.stats` and is computed once, when the screen is
composed; the charts only redraw those numbers when resized. Everything that came from the log
(step names, the athlete's name) is shown as plain text, never markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import VerticalScroll
from textual.widgets import Header, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from retro_tui.coach.load import WeekStats, weekly
from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import Records, Streak, daily_minutes, records, week_start
from retro_tui.plan.durations import format_elapsed
from retro_tui.presentation import NOT_AVAILABLE, show
from retro_tui.tui.screens.base import RetroScreen, ScreenHelp
from retro_tui.tui.widgets.calendar_heat import CalendarHeat
from retro_tui.tui.widgets.key_footer import KeyFooter

__all__ = ["Trends", "TrendsScreen", "build_trends", "load_table", "records_table"]

CHART_WEEKS = 12
TABLE_WEEKS = 8
CALENDAR_WEEKS = 18
"""About four months of weeks, and still narrow enough (18 x 2 columns) for a 60-column terminal."""

# Bars in the app's "backward" colour (the workout screen's banner uses $warning); the RPE line
# in a blue that stays distinct from it for red-green colour blindness too.
BAR_COLOR = (255, 166, 43)
LINE_COLOR = (0, 140, 230)
Rgb = tuple[int, int, int]
_UNITS = {"mph": "mph", "kmh": "km/h", "km/h": "km/h"}


@dataclass(frozen=True)
class Trends:
    """Every figure the screen shows, computed once from the sessions."""

    today: date
    session_count: int
    weeks: tuple[WeekStats, ...]
    """The last :data:`CHART_WEEKS` ISO weeks up to the week of ``today``, oldest first."""
    days: dict[date, float]
    """Backward minutes per day from the Monday :data:`CALENDAR_WEEKS` weeks back to today."""
    records: Records


def build_trends(sessions: Sequence[SessionRecord], today: date) -> Trends:
    """The figures for the screen; a pure function of its arguments."""
    first = week_start(today) - timedelta(weeks=CALENDAR_WEEKS - 1)
    return Trends(
        today=today,
        session_count=len(sessions),
        weeks=tuple(weekly(sessions, weeks=CHART_WEEKS, until=today)),
        days=daily_minutes(sessions, days=(today - first).days + 1, until=today),
        records=records(sessions, today=today),
    )


# -- text and tables -------------------------------------------------------------------------


def _span(streak: Streak, today: date) -> str:
    if streak.first is None or streak.last is None:
        return ""
    # Streaks are runs of week starts: shown as the days they cover, Monday to Sunday, but
    # never past today (a streak running this week does not end on a Sunday still to come).
    end = min(streak.last + timedelta(days=6), today)
    return f"{streak.first.isoformat()} to {end.isoformat()}"


def _weeks(count: int) -> str:
    return f"{count} week" if count == 1 else f"{count} weeks"


def records_table(found: Records, today: date) -> Table:
    """Personal bests, one per row: what, how much, and when (with the step's name)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(style="dim")
    none = Text("none yet", style="dim")

    interval = found.longest_interval
    if interval is None:
        grid.add_row(Text("Longest backward interval"), none)
    else:
        # The step's name came from a plan file: plain Text, so "[x]" in it stays as written.
        when = Text(f"{interval.date.isoformat()}  ")
        when.append(interval.step_name)
        grid.add_row(
            Text("Longest backward interval"), Text(format_elapsed(interval.seconds)), when
        )

    speed = found.fastest_speed
    if speed is None:
        grid.add_row(Text("Fastest backward, full step"), none)
    else:
        units = _UNITS.get(speed.units.strip().lower(), speed.units)
        when = Text(f"{speed.date.isoformat()}  ")
        when.append(speed.step_name)
        grid.add_row(Text("Fastest backward, full step"), Text(f"{speed.speed:.1f} {units}"), when)

    week = found.best_week
    if week is None:
        grid.add_row(Text("Most backward in a week"), none)
    else:
        grid.add_row(
            Text("Most backward in a week"),
            Text(f"{week.backward_min:.1f} min"),
            Text(f"week of {week.start.isoformat()} ({week.iso_year}-W{week.iso_week:02d})"),
        )

    current = found.current_streak
    since = "" if current.first is None else f"since {current.first.isoformat()}"
    grid.add_row(Text("Current streak"), Text(_weeks(current.weeks)), Text(since))
    longest = found.longest_streak
    grid.add_row(Text("Longest streak"), Text(_weeks(longest.weeks)), Text(_span(longest, today)))
    return grid


def load_table(weeks: Sequence[WeekStats], today: date) -> Table:
    """The weeks newest first: the one under way at the top, where a coach looks first."""
    # Collapsed padding keeps the six columns within a 60-column terminal.
    table = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1), collapse_padding=True
    )
    table.add_column("Week", no_wrap=True)
    for name in ("Sessions", "Back min", "Load", "Monotony", "Strain"):
        table.add_column(name, justify="right", no_wrap=True)
    current = week_start(today)

    for week in reversed(weeks):
        # A week with unrated sessions has a load that leaves them out: flagged, not hidden.
        load = f"{week.load:.0f}" + ("*" if week.unrated_sessions else " ")
        table.add_row(
            Text(week.label, style="bold" if week.start == current else ""),
            Text(str(week.sessions)),
            Text(f"{week.backward_min:.1f}"),
            Text(load),
            Text(show(week.monotony)),
            Text(show(week.strain, 0)),
        )
    return table


LOAD_NOTES = (
    "Load = session RPE x active minutes. Monotony = mean daily load / its spread over the "
    "7 days (above 2 means every day was alike). Strain = load x monotony. "
    f"{NOT_AVAILABLE}: no spread (no load, or the same every day). "
    "*: some sessions had no session RPE, so their load is missing."
)


# -- charts ----------------------------------------------------------------------------------


def _nice_top(highest: float, ticks: int = 3) -> tuple[float, list[float]]:
    """A round top for the y axis and its ticks, so the axis reads 0 5 10 15, not 0 3.7 7.4.

    At most ``ticks`` steps: plotext puts each tick on the nearest row, and more than four
    labels on a chart ten rows high come out unevenly spaced.
    """
    for step in (0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if step * ticks >= highest:
            break
    else:
        step = 10 ** math.ceil(math.log10(highest / ticks))
    top = step * max(1, math.ceil(highest / step - 1e-9))
    return top, [step * n for n in range(round(top / step) + 1)]


def _short_label(week: WeekStats) -> str:
    # "W07" fits under a bar even when twelve share 50 columns; the year is in the title.
    return f"W{week.iso_week:02d}"


def _minutes_label(minutes: float) -> str:
    # Three characters at most under 1000 minutes, so a label stays over its own bar at 60 columns.
    return f"{minutes:.1f}" if minutes < 10 else f"{minutes:.0f}"


def draw_minutes(
    chart: PlotextPlot, weeks: Sequence[WeekStats], foreground: Rgb, background: Rgb
) -> None:
    """Backward minutes per week as bars, each with its figure on top."""
    plt = chart.plt
    minutes = [week.backward_min for week in weeks]
    top, ticks = _nice_top(max(minutes))
    positions = [float(n) for n in range(1, len(weeks) + 1)]
    # Numeric positions and fixed limits rather than labels as x: with labels plotext rounds
    # each bar on its own, and at 60 columns neighbours merge and ticks drift off their bars.
    plt.bar(positions, minutes, color=BAR_COLOR, width=0.5)
    plt.xlim(0.5, len(weeks) + 0.5)
    plt.xticks(positions, [_short_label(week) for week in weeks])
    # The figures go in a row of their own along the top, over their bars: a bar's height is
    # whole rows (on a chart ten rows high 1.0 and 1.4 minutes look the same), and a label
    # just over each bar would land on a neighbour's top after plotext rounds the rows.
    ceiling = top * 1.25
    plt.ylim(0, ceiling)
    plt.yticks(ticks, [f"{tick:g}" for tick in ticks])
    for x, value in zip(positions, minutes, strict=True):
        if value > 0:
            plt.text(
                _minutes_label(value),
                x,
                ceiling,
                alignment="center",
                color=foreground,
                background=background,
            )
    plt.title(f"Backward minutes per week, {weeks[0].label} to {weeks[-1].label}")


def draw_rpe(
    chart: PlotextPlot, weeks: Sequence[WeekStats], foreground: Rgb, background: Rgb
) -> None:
    """Average interval RPE per week as a line on the 0-10 scale; unrated weeks are gaps."""
    plt = chart.plt
    runs: list[list[tuple[int, float]]] = [[]]
    # One line per run of rated weeks: a week without ratings is a gap, not a fall to zero.
    for x, week in enumerate(weeks, start=1):
        if week.avg_interval_rpe is None:
            runs.append([])
        else:
            runs[-1].append((x, week.avg_interval_rpe))
    points = [point for run in runs for point in run]
    for run in runs:
        if len(run) > 1:
            plt.plot([x for x, _ in run], [y for _, y in run], color=LINE_COLOR, marker="hd")
    # Points and their values last, on top of the lines: the exact figure beats reading an axis.
    plt.scatter([x for x, _ in points], [y for _, y in points], color=LINE_COLOR, marker="●")
    for x, y in points:
        # Above the point, or below it near the top where there is no room. Plotext fixes a
        # label's background when it is drawn, not when the theme is applied: pass the canvas's.
        label_y = y + 1.3 if y <= 8 else y - 1.3
        plt.text(
            f"{y:.1f}", x, label_y, alignment="center", color=foreground, background=background
        )
    plt.xlim(0.5, len(weeks) + 0.5)
    plt.xticks([float(n) for n in range(1, len(weeks) + 1)], [_short_label(w) for w in weeks])
    plt.ylim(0, 10)
    # Three ticks: on a chart a dozen rows high, six land on uneven rows and look like a bug.
    plt.yticks([0, 5, 10])
    plt.title("Average interval RPE per week (0 easy - 10 max)")


# -- the screen ------------------------------------------------------------------------------


class TrendsScreen(RetroScreen[None]):
    """Charts, a load table, a calendar and records for the sessions it is given."""

    ABOUT = ScreenHelp(
        "Trends",
        "How the backward training went: minutes and effort per week, weekly load, a "
        "calendar of training days and your records.",
    )

    TITLE = "Trends"
    AUTO_FOCUS = "Tabs"
    BINDINGS = [
        Binding("1", "show_tab('weeks')", "Weeks"),
        Binding("2", "show_tab('load')", "Load"),
        Binding("3", "show_tab('calendar')", "Calendar"),
        # A priority like the app's own "?", which would otherwise take its place in the footer.
        Binding("question_mark", "app.help", "Help", priority=True),
        Binding("escape,q", "back", "Back"),
    ]
    FOOTER_KEEPS = ("app.help", "back")
    """What a narrow footer keeps (see KeyFooter): the tabs give way first, from the right."""
    DEFAULT_CSS = """
    TrendsScreen {
        #trends, #trends > ContentSwitcher, #trends TabPane {
            height: 1fr;
        }
        #trends TabPane {
            padding: 0 1;
        }
        .pane {
            height: 1fr;
        }
        #minutes-chart {
            height: 1fr;
            min-height: 10;
        }
        #rpe-chart {
            height: 1fr;
            min-height: 9;
        }
        .section-title {
            text-style: bold;
            margin-top: 1;
        }
        .section-title.top {
            margin-top: 0;
        }
        .note {
            color: $text-muted;
            margin-top: 1;
        }
        #no-sessions {
            width: 1fr;
            height: 1fr;
            content-align: center middle;
            text-align: center;
        }
    }
    """

    def __init__(self, sessions: Sequence[SessionRecord], today: date, *, whose: str = "") -> None:
        """``whose``: who the sessions belong to ("Ana", "all athletes"), named in the title;
        empty when the log names nobody."""
        super().__init__()
        self.sessions = sessions
        self.today = today
        self.whose = whose
        self.trends: Trends | None = None
        if whose:
            # The header shows titles as plain text, so a name like "[b]" stays as written.
            self.title = f"Trends for {whose}"

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        if not self.sessions:
            yield Static(
                Text.assemble(
                    (
                        f"No sessions of {self.whose} yet." if self.whose else "No sessions yet.",
                        "bold",
                    ),
                    "\n\nFinish a workout and your weekly minutes, effort, load,\n"
                    "training calendar and records show up here.",
                ),
                id="no-sessions",
            )
            yield KeyFooter()
            return
        # Computed here, once: the charts redraw on resize but never recompute the statistics.
        trends = self.trends = build_trends(self.sessions, self.today)
        count = trends.session_count
        noun = "session" if count == 1 else "sessions"
        self.sub_title = f"{count} {noun} · up to {trends.today.isoformat()}"
        rated = any(week.avg_interval_rpe is not None for week in trends.weeks)
        with TabbedContent(id="trends", initial="weeks"):
            with TabPane("Weeks", id="weeks"), VerticalScroll(classes="pane"):
                if any(week.backward_min > 0 for week in trends.weeks):
                    yield PlotextPlot(id="minutes-chart")
                else:
                    yield Static(
                        Text(f"No backward minutes in the last {CHART_WEEKS} weeks."),
                        classes="note",
                    )
                if rated:
                    yield PlotextPlot(id="rpe-chart")
                else:
                    yield Static(
                        Text(f"No rated intervals in the last {CHART_WEEKS} weeks."),
                        classes="note",
                    )
            with TabPane("Load", id="load"), VerticalScroll(classes="pane"):
                yield Static(
                    Text(f"Weekly load, last {TABLE_WEEKS} weeks (newest first)"),
                    classes="section-title top",
                )
                yield Static(load_table(trends.weeks[-TABLE_WEEKS:], trends.today), id="load-table")
                yield Static(Text(LOAD_NOTES), classes="note")
            with TabPane("Calendar", id="calendar"), VerticalScroll(classes="pane"):
                span = f"{min(trends.days).isoformat()} to {trends.today.isoformat()}"
                yield Static(
                    Text(f"Backward minutes per day, {span}"),
                    classes="section-title top",
                )
                yield CalendarHeat(trends.days, trends.today, id="heat")
                yield Static(Text("Records"), classes="section-title")
                yield Static(records_table(trends.records, trends.today), id="records")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.draw_charts()
        # The charts' labels carry the theme's canvas colour: a new theme needs them drawn again.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.draw_charts())

    def draw_charts(self) -> None:
        """Draw the already computed weeks into the plots (which exist only if there is data)."""
        if self.trends is None:
            return
        variables = self.app.theme_variables
        surface = Color.parse(variables.get("surface", "black")).rgb
        foreground = Color.parse(variables.get("foreground", "white")).rgb
        for chart in self.query("#minutes-chart").results(PlotextPlot):
            chart.plt.clear_data()
            draw_minutes(chart, self.trends.weeks, foreground, surface)
            chart.refresh()
        for chart in self.query("#rpe-chart").results(PlotextPlot):
            chart.plt.clear_data()
            draw_rpe(chart, self.trends.weeks, foreground, surface)
            chart.refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # No tabs without sessions: hide their keys rather than offer keys that do nothing.
        if action == "show_tab":
            return self.trends is not None
        return True

    def action_back(self) -> None:
        # Not awaited: awaiting a dismiss from the screen's own handler raises ScreenError.
        self.dismiss(None)

    def action_show_tab(self, tab: str) -> None:
        for tabs in self.query("#trends").results(TabbedContent):
            tabs.active = tab
