"""A program's calendar: its weeks as rows, the days as columns, planned against done.

Opened from the library (``w`` on a highlighted program) for the athlete training
and the run the library shows. The screen is handed the calendar already worked
out (:func:`~retro_tui.coach.calendar.program_calendar`, from the sessions the
library read and ``today`` from the app's wall clock, a fixed day in tests), so it
neither reads files nor the real clock. The grid is the one ``retro-tui program``
prints (:mod:`retro_tui.calendar_table`): every session a sign that says its state
without colour (✓ done, → moved, ✗ missed, · coming, ▶ next), today in brackets
and reversed, and each week's sessions and minutes done against planned, with the
total under them. Escape goes back to the library.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from retro_tui.calendar_table import (
    LEGEND,
    calendar_grid,
    compliance_line,
    heading_lines,
    moved_lines,
)
from retro_tui.coach.calendar import ProgramCalendar
from retro_tui.tui.screens.base import RetroScreen, ScreenHelp
from retro_tui.tui.widgets.key_footer import KeyFooter


class ProgramCalendarScreen(RetroScreen[None]):
    """One run of a program on the calendar, for one athlete, as of today."""

    ABOUT = ScreenHelp(
        "Program calendar",
        "The program's weeks as rows and their days as columns: every planned session "
        "with what came of it (✓ done, → moved to another day, ✗ missed, · still to "
        "come, ▶ the one offered next), today in brackets, and each week's sessions and "
        "minutes done against planned.",
        keys={"back": "Back to the plans"},
    )

    TITLE = "Program calendar"
    BINDINGS = [
        # A priority like the app's own "?", which would otherwise take its place in the footer.
        Binding("question_mark", "app.help", "Help", priority=True),
        Binding("escape,q", "back", "Back"),
    ]
    FOOTER_KEEPS = ("app.help", "back")
    DEFAULT_CSS = """
    ProgramCalendarScreen {
        #calendar-box {
            height: 1fr;
            padding: 0 1;
            /* The grid keeps its columns: narrower than it, the screen scrolls sideways. */
            overflow-x: auto;
        }
        #calendar-grid {
            width: auto;
            margin: 1 0;
        }
        #calendar-legend {
            color: $text-muted;
            margin-top: 1;
        }
    }
    """

    def __init__(self, calendar: ProgramCalendar) -> None:
        super().__init__()
        self.calendar = calendar
        # The header shows titles as plain text, so a name like "[b]" stays as written.
        self.sub_title = calendar.program.name

    def compose(self) -> ComposeResult:
        calendar = self.calendar
        yield Header(show_clock=False)
        with VerticalScroll(id="calendar-box"):
            yield Static(Text("\n").join(heading_lines(calendar)), id="calendar-head")
            yield Static(calendar_grid(calendar), id="calendar-grid")
            yield Static(
                Text("\n").join([compliance_line(calendar), *moved_lines(calendar)]),
                id="calendar-compliance",
            )
            yield Static(Text(LEGEND), id="calendar-legend")
        yield KeyFooter()

    def action_back(self) -> None:
        # Not awaited: awaiting a dismiss from the screen's own handler raises ScreenError.
        self.dismiss(None)
