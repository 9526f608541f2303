"""Trends: how the backward training went over the last weeks and months, and personal bests.

Three tabs, each sized to be read whole at 100x30 (and scrolled at 60x20):

Weeks
    Backward minutes per ISO week as bars and the average interval RPE per week as a line,
    for the last 12 weeks (textual-plotext charts).
Load
    The last 8 weeks as a table: sessions, backward minutes, Foster load, monotony, strain.
Calendar
    A heat-map of backward minutes per day for about four months, and the records.
Form
    Fitness (42-day), fatigue (7-day) and form (their difference) over the last 12 weeks as
    lines, today's form in a word (fresh, building, tired), and the 7:28 acute:chronic load
    ratio, rolling and weighted, as a line with the 1.5 spike mark (see
    :mod:`retro_tui.coach.fitness`). ``h`` switches the load between session RPE x minutes
    and heart rate (TRIMP), when a strap recorded any session.

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
from textual.widget import Widget
from textual.widgets import Header, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from retro_tui.coach.fitness import (
    SPIKE_RATIO,
    FitnessDay,
    Form,
    FormHistory,
    LoadSource,
    WorkloadRatio,
    form_history,
    ratio_words,
)
from retro_tui.coach.load import WeekStats, weekly
from retro_tui.coach.zones import HeartRateZones
from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import (
    Records,
    Streak,
    daily_minutes,
    has_several_athletes,
    records,
    week_start,
)
from retro_tui.plan.durations import format_elapsed
from retro_tui.presentation import NOT_AVAILABLE, show
from retro_tui.tui.screens.base import RetroScreen, ScreenHelp
from retro_tui.tui.widgets.calendar_heat import CalendarHeat
from retro_tui.tui.widgets.key_footer import KeyFooter

__all__ = [
    "Trends",
    "TrendsScreen",
    "build_trends",
    "load_table",
    "records_table",
]

CHART_WEEKS = 12
TABLE_WEEKS = 8
CALENDAR_WEEKS = 18
"""About four months of weeks, and still narrow enough (18 x 2 columns) for a 60-column terminal."""

# Bars in the app's "backward" colour (the workout screen's banner uses $warning); the RPE line
# in a blue that stays distinct from it for red-green colour blindness too.
BAR_COLOR = (255, 166, 43)
LINE_COLOR = (0, 140, 230)
# Fitness in the RPE line's blue, fatigue in the bars' orange, form in a neutral grey-violet:
# three lines told apart by colour and by marker, so none depends on colour alone.
FITNESS_COLOR = LINE_COLOR
FATIGUE_COLOR = BAR_COLOR
FORM_COLOR = (170, 120, 220)
SPIKE_COLOR = (220, 50, 50)
FORM_DAYS = CHART_WEEKS * 7
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
    form: dict[LoadSource, FormHistory]
    """Fitness, fatigue and the load ratio by load; heart rate only when a strap recorded any;
    empty for the sessions of several athletes."""


def build_trends(
    sessions: Sequence[SessionRecord], today: date, zones: HeartRateZones | None = None
) -> Trends:
    """The figures for the screen; a pure function of its arguments."""
    first = week_start(today) - timedelta(weeks=CALENDAR_WEEKS - 1)
    form = {}
    # One person's loads make a form; a coach's whole log does not.
    if not has_several_athletes(sessions):
        form[LoadSource.SESSION] = form_history(sessions, today).last(FORM_DAYS)
        by_heart = form_history(sessions, today, LoadSource.HEART_RATE, zones)
        if by_heart.days:  # some session had a strap
            form[LoadSource.HEART_RATE] = by_heart.last(FORM_DAYS)
    return Trends(
        today=today,
        session_count=len(sessions),
        weeks=tuple(weekly(sessions, weeks=CHART_WEEKS, until=today)),
        days=daily_minutes(sessions, days=(today - first).days + 1, until=today),
        records=records(sessions, today=today),
        form=form,
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


FORM_NOTES = (
    "Fitness: the load's 42-day weighted average; fatigue: its 7-day one; form = fitness - "
    "fatigue. Fresh: form over +5 % of fitness (allowing for a history of only weeks); "
    "building: down to -30 %; tired: below. "
    "Load ratio: the last 7 days' daily load over the last 28 days' (weighted: Williams' "
    f"averages); 0.8-1.3 builds safely, over {SPIKE_RATIO} is a spike. Heart-rate load is "
    "Edwards' TRIMP: minutes in each zone times its number."
)


def form_text(trend: FormHistory) -> Text:
    """Today's form in a word, big, then the figures and the ratio, for the Form tab."""
    reading = trend.today
    text = Text()
    if reading is None:
        text.append("No load to go by yet.", style="bold")
        if trend.source is LoadSource.SESSION:
            text.append("\nRate the session at the end of a workout to see fitness and fatigue.")
        return text
    text.append("Today: ", style="bold")
    text.append(f" {reading.word} ", style="bold reverse")
    if reading.word is not Form.NEW:
        text.append(f"  {reading.figures()}")
    text.append("\n" + reading.advice + "\n")
    ratio = trend.ratio
    text.append("Load ratio 7:28: ", style="bold")
    if ratio is None or ratio.highest is None:
        text.append(ratio_words(None))
    else:
        figures = [
            f"{value:.2f} {how}"
            for value, how in ((ratio.rolling, "rolling"), (ratio.ewma, "weighted"))
            if value is not None
        ]
        style = "bold red" if ratio.highest > SPIKE_RATIO else ""
        text.append(" · ".join(figures) + " — ", style=style)
        text.append(ratio_words(ratio.highest), style=style)
    return text


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


def _day_ticks(days: Sequence[FitnessDay | WorkloadRatio]) -> tuple[list[float], list[str]]:
    """An x tick on each Monday shown every other week, labelled like the weekly charts."""
    positions, labels = [], []
    for x, entry in enumerate(days, start=1):
        if entry.day.weekday() == 0 and (len(days) - x) // 7 % 2 == 0:
            positions.append(float(x))
            labels.append(f"W{entry.day.isocalendar().week:02d}")
    return positions, labels


def _signed_ticks(low: float, high: float) -> tuple[float, float, list[float]]:
    """Round limits and ticks for a range that may go below zero (form does), 0 among them."""
    top, ticks = _nice_top(max(high, 1e-9))
    step = ticks[1] - ticks[0] if len(ticks) > 1 else top
    below = step * math.ceil(-low / step - 1e-9) if low < 0 else 0.0
    negative = [-step * n for n in range(round(below / step), 0, -1)]
    return -below, top, negative + ticks


def draw_form(chart: PlotextPlot, trend: FormHistory, foreground: Rgb, background: Rgb) -> None:
    """Fitness, fatigue and form, one point a day."""
    plt = chart.plt
    xs = [float(x) for x in range(1, len(trend.days) + 1)]
    fitness = [day.fitness for day in trend.days]
    fatigue = [day.fatigue for day in trend.days]
    form = [day.form for day in trend.days]
    # Three markers as well as three colours: fitness a thick line, fatigue a thin one, form
    # dots, told apart without colour too.
    plt.plot(xs, fitness, color=FITNESS_COLOR, marker="hd", label="fitness (42 d)")
    plt.plot(xs, fatigue, color=FATIGUE_COLOR, marker="braille", label="fatigue (7 d)")
    plt.plot(xs, form, color=FORM_COLOR, marker="dot", label="form")
    plt.hline(0.0, color=foreground)
    low, high, ticks = _signed_ticks(min([*form, 0.0]), max([*fitness, *fatigue, 0.0]))
    plt.ylim(low, high)
    plt.yticks(ticks, [f"{tick:g}" for tick in ticks])
    plt.xlim(0.5, len(xs) + 0.5)
    plt.xticks(*_day_ticks(trend.days))
    span = (
        f"last {CHART_WEEKS} weeks"
        if len(trend.days) >= FORM_DAYS
        else f"since {trend.days[0].day.isoformat()}"
    )
    plt.title(f"Fitness, fatigue and form, {span} ({trend.source})")


def draw_ratio(chart: PlotextPlot, trend: FormHistory, foreground: Rgb, background: Rgb) -> None:
    """The rolling and weighted 7:28 ratio, with the spike line at 1.5; gaps before 28 days."""
    plt = chart.plt
    rolling = [(x, r.rolling) for x, r in enumerate(trend.ratios, 1) if r.rolling is not None]
    weighted = [(x, r.ewma) for x, r in enumerate(trend.ratios, 1) if r.ewma is not None]
    if rolling:
        xs, ys = [x for x, _ in rolling], [y for _, y in rolling]
        plt.plot(xs, ys, color=FITNESS_COLOR, marker="hd", label="rolling")
    if weighted:
        xs, ys = [x for x, _ in weighted], [y for _, y in weighted]
        plt.plot(xs, ys, color=FORM_COLOR, marker="·", label="weighted")
    plt.hline(SPIKE_RATIO, color=SPIKE_COLOR)
    values = [y for _, y in rolling + weighted]
    top = max(2.0, math.ceil(max(values, default=0.0) * 2) / 2)
    plt.ylim(0, top)
    # 0, 0.5, 1 ... but never more than five labels on a chart nine rows high.
    step = 0.5 if top <= 2.0 else 1.0 if top <= 4.0 else math.ceil(top / 4)
    ticks = [step * n for n in range(int(top / step) + 1)]
    plt.yticks(ticks, [f"{tick:g}" for tick in ticks])
    plt.xlim(0.5, len(trend.ratios) + 0.5)
    plt.xticks(*_day_ticks(trend.ratios))
    plt.title(f"Load ratio 7:28 (spike over {SPIKE_RATIO})")


SEVERAL_ATHLETES = (
    "Fitness, fatigue and form are one person's: these sessions are several athletes'. "
    "Press a on the history screen to show one athlete, then t."
)


def form_widgets(form: FormHistory | None) -> list[Widget]:
    """The Form tab's contents for one load: charts only where there is something to draw;
    ``None``: sessions of several athletes, whose loads do not add up to anyone's form."""
    if form is None:
        return [Static(Text(SEVERAL_ATHLETES), id="form-today")]
    widgets: list[Widget] = [Static(form_text(form), id="form-today")]
    if any(day.load > 0 for day in form.days):
        widgets.append(PlotextPlot(id="form-chart"))
    elif form.days:
        widgets.append(Static(Text(f"No load in the last {CHART_WEEKS} weeks."), classes="note"))
    if any(ratio.highest is not None for ratio in form.ratios):
        widgets.append(PlotextPlot(id="ratio-chart"))
    widgets.append(Static(Text(FORM_NOTES), classes="note"))
    return widgets


# -- the screen ------------------------------------------------------------------------------


class TrendsScreen(RetroScreen[None]):
    """Charts, a load table, a calendar and records for the sessions it is given."""

    ABOUT = ScreenHelp(
        "Trends",
        "How the backward training went: minutes and effort per week, weekly load, a "
        "calendar of training days and your records, and fitness, fatigue and form with "
        "the 7:28 load ratio.",
    )

    TITLE = "Trends"
    AUTO_FOCUS = "Tabs"
    BINDINGS = [
        Binding("1", "show_tab('weeks')", "Weeks"),
        Binding("2", "show_tab('load')", "Load"),
        Binding("3", "show_tab('calendar')", "Calendar"),
        Binding("4", "show_tab('form')", "Form"),
        Binding("h", "switch_load", "RPE/HR load"),
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
        #form-chart {
            height: 1fr;
            min-height: 12;
        }
        #ratio-chart {
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

    def __init__(
        self,
        sessions: Sequence[SessionRecord],
        today: date,
        *,
        whose: str = "",
        zones: HeartRateZones | None = None,
    ) -> None:
        """``whose``: who the sessions belong to ("Ana", "all athletes"), named in the title;
        empty when the log names nobody. ``zones``: theirs, for the heart-rate load of sessions
        recorded before time in zone was."""
        super().__init__()
        self.sessions = sessions
        self.today = today
        self.whose = whose
        self.zones = zones
        self.trends: Trends | None = None
        self.load_source = LoadSource.SESSION
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
        trends = self.trends = build_trends(self.sessions, self.today, self.zones)
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
            with TabPane("Form", id="form"), VerticalScroll(classes="pane"):
                yield from form_widgets(trends.form.get(self.load_source))
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
        form = self.trends.form.get(self.load_source)
        if form is None:
            return
        for chart in self.query("#form-chart").results(PlotextPlot):
            chart.plt.clear_data()
            draw_form(chart, form, foreground, surface)
            chart.refresh()
        for chart in self.query("#ratio-chart").results(PlotextPlot):
            chart.plt.clear_data()
            draw_ratio(chart, form, foreground, surface)
            chart.refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # No tabs without sessions: hide their keys rather than offer keys that do nothing.
        if action == "show_tab":
            return self.trends is not None
        if action == "switch_load":
            # Offered only where it does something: on the Form tab, with heart-rate load.
            return (
                self.trends is not None
                and LoadSource.HEART_RATE in self.trends.form
                and self.active_tab == "form"
            )
        return True

    @property
    def active_tab(self) -> str:
        for tabs in self.query("#trends").results(TabbedContent):
            return tabs.active
        return ""

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    async def action_switch_load(self) -> None:
        """h: the Form tab on the other load (session RPE or heart rate)."""
        if self.trends is None or LoadSource.HEART_RATE not in self.trends.form:
            return
        self.load_source = (
            LoadSource.SESSION
            if self.load_source is LoadSource.HEART_RATE
            else LoadSource.HEART_RATE
        )
        pane = self.query_one("#form", TabPane).query_one(VerticalScroll)
        await pane.remove_children()
        await pane.mount_all(form_widgets(self.trends.form.get(self.load_source)))
        self.draw_charts()

    def action_back(self) -> None:
        # Not awaited: awaiting a dismiss from the screen's own handler raises ScreenError.
        self.dismiss(None)

    def action_show_tab(self, tab: str) -> None:
        for tabs in self.query("#trends").results(TabbedContent):
            tabs.active = tab
