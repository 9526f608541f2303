"""A program's calendar as people read it: the same grid in the app and on the command line.

The calendar screen and ``retro-tui program`` both show a
:class:`~retro_tui.coach.calendar.ProgramCalendar` through :func:`calendar_grid`
and the lines around it, so a session is marked and a week's figures are worded
one way everywhere. Weeks are rows and the seven days of a week columns, from
the weekday the run started on. Every session is a sign and its number in the
week, which say its state without colour (✓ done, → moved, ✗ missed, · coming;
▶ before the one offered next), and today is in brackets: ``[·2]``. Styles only
add to that. Text from the program (its name, its plans') is plain, never markup.
"""

from __future__ import annotations

from datetime import date

from rich import box
from rich.table import Table
from rich.text import Text

from retro_tui.coach.calendar import (
    CalendarWeek,
    Compliance,
    PlannedSession,
    ProgramCalendar,
    SessionState,
)
from retro_tui.plan.durations import format_clock

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LEGEND = "✓ done  → moved (done another day)  ✗ missed  · coming  ▶ next  [ ] today"
TODAY_STYLE = "reverse"
STATE_STYLES = {
    SessionState.DONE: "bold",
    SessionState.MOVED: "bold",
    SessionState.MISSED: "dim",
    SessionState.COMING: "",
}


def day_label(day: date) -> str:
    """``Wed 18 Mar``: the weekday's name said, whatever the locale."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {day:%b}"


def long_day_label(day: date) -> str:
    """``Wed 18 Mar 2026``."""
    return f"{day_label(day)} {day.year}"


def session_sign(session: PlannedSession) -> str:
    """``✓2``, ``▶·1``: its state's sign and its number in the week."""
    sign = f"{session.state.mark}{session.session.number}"
    return f"▶{sign}" if session.is_next else sign


def day_cell(week: CalendarWeek, day: date, today: date) -> Text:
    """The sessions the calendar puts on ``day`` of ``week``; in brackets if it is today."""
    cell = Text()
    for index, session in enumerate(week.on(day)):
        if index:
            cell.append(" ")
        style = STATE_STYLES[session.state]
        cell.append(session_sign(session), style=f"{style} underline" if session.is_next else style)
    if day == today:
        cell = Text.assemble("[", cell, "]", style=TODAY_STYLE)
    return cell


def compliance_cells(compliance: Compliance) -> tuple[str, str]:
    """``2/3`` sessions and ``44/60`` minutes, done against planned."""
    return (
        f"{compliance.done_sessions}/{compliance.planned_sessions}",
        f"{compliance.done_min}/{compliance.planned_min}",
    )


def calendar_grid(calendar: ProgramCalendar) -> Table:
    """The weeks as rows, the days as columns, and each week's sessions and minutes done."""
    today = calendar.today
    current = calendar.week_of(today)
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        show_footer=True,
        header_style="bold",
        footer_style="bold",
        # The box's own space between columns is room enough: a grid 70 columns wide fits
        # an 80-column terminal.
        padding=(0, 0),
    )
    total_sessions, total_minutes = compliance_cells(calendar.total)
    table.add_column("week", footer="Total", no_wrap=True)
    table.add_column("from", no_wrap=True, min_width=7)
    for weekday in calendar.weekdays:
        name = WEEKDAY_NAMES[weekday]
        is_today = current is not None and today.weekday() == weekday
        header = Text(f"[{name}]", style=TODAY_STYLE) if is_today else Text(name)
        table.add_column(header, no_wrap=True, min_width=5)
    table.add_column("sessions", footer=total_sessions, justify="right", no_wrap=True)
    table.add_column("minutes", footer=total_minutes, justify="right", no_wrap=True)
    for week in calendar.weeks:
        sessions, minutes = compliance_cells(week.compliance)
        label = f"{week.number} again" if week.again else str(week.number)
        table.add_row(
            Text(label, style="bold" if week is current else ""),
            f"{week.start.day} {week.start:%b}",
            *(day_cell(week, day, today) for day in week.dates),
            sessions,
            minutes,
        )
    return table


def heading_lines(calendar: ProgramCalendar) -> list[Text]:
    """Whose calendar, from when, today, and the session the program offers next."""
    program = calendar.program
    whose = calendar.athlete or "nobody in particular"
    lines = [Text.assemble((program.name, "bold"), f" · {whose}")]
    run = "not started yet: planned" if calendar.progress.is_new else "run"
    today = calendar.today
    where = calendar.week_of(today)
    week = f" ({where.label.lower()})" if where is not None else ""
    lines.append(
        Text(f"{run.capitalize()} from {long_day_label(calendar.start)} · today "
             f"{long_day_label(today)}{week}")
    )  # fmt: skip
    upcoming = calendar.next
    if upcoming is None:
        lines.append(Text("Program complete", style="bold"))
    else:
        plan = upcoming.session.plan
        when = f"due {day_label(upcoming.day)}"
        if upcoming.state is SessionState.MISSED:
            when = f"planned {day_label(upcoming.planned)}, behind the plan"
        lines.append(
            Text.assemble(
                ("Next: ", "bold"),
                f"week {upcoming.slot[0]}, session {upcoming.slot[1]} · ",
                plan.name,
                f" ({format_clock(plan.total_s)}) · {when}",
            )
        )
    if calendar.progress.note:
        lines.append(Text(calendar.progress.note, style="italic"))
    return lines


def compliance_line(calendar: ProgramCalendar) -> Text:
    """``In all: 4/18 sessions, 80/522 min``."""
    return Text(f"In all: {calendar.total}")


def moved_lines(calendar: ProgramCalendar) -> list[Text]:
    """Where each moved session went: the grid shows it on its planned day."""
    lines = []
    for week in calendar.weeks:
        for session in week.sessions:
            if session.state is SessionState.MOVED and session.done_on is not None:
                lines.append(
                    Text(
                        f"→ {week.label}, session {session.session.number}: planned "
                        f"{day_label(session.planned)}, done {day_label(session.done_on)}"
                    )
                )
    return lines
