"""A calendar heat-map of training days: weekday rows, ISO-week columns, one glyph per day.

The glyphs get denser as the minutes grow (``·`` none, then ``░ ▒ ▓ █``), so the map reads
without colour (a monochrome terminal, a colour-blind athlete, a screenshot in a bug
report); colour only repeats what the glyph already says. The steps between the four levels
are a round number of minutes picked from the busiest day shown, and the legend under the
grid names them, so "▓" always means something a person can check.

The widget takes minutes per day already computed (see
:func:`retro_tui.history.stats.daily_minutes`) and builds its text once: nothing here reads
the clock, so the same input always draws the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta

from rich.text import Text
from textual.widgets import Static

__all__ = ["GLYPHS", "CalendarHeat", "heat_level", "heat_text", "level_step"]

GLYPHS = ("·", "░", "▒", "▓", "█")
"""One glyph per level: index 0 is a day without minutes, 4 the busiest."""

# Fixed English names rather than strftime("%a"): strftime follows the process locale, and a
# picture that changes with LC_TIME would break the snapshots and mix languages on screen.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Round steps people can read in a legend ("up to 2 min", "2-4"); the step is the smallest one
# whose four levels cover the busiest day.
_NICE_STEPS = (0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0)
_LEVELS = len(GLYPHS) - 1
_STYLES = ("dim", "green", "green", "bold green", "bold green")
_CELL = 2  # a glyph and a space: columns of weeks stay apart and the grid reads as a grid
_LABEL = 4  # "Mon " in front of each row


def level_step(busiest: float) -> float:
    """Minutes per level for a map whose busiest day has ``busiest`` minutes."""
    for step in _NICE_STEPS:
        if step * _LEVELS >= busiest:
            return step
    # More than eight hours a day: whole hours per level, still a round number.
    return 60.0 * math.ceil(busiest / _LEVELS / 60.0)


def heat_level(minutes: float, step: float) -> int:
    """0 for a day without minutes, else 1-4: level ``n`` holds up to ``n * step`` minutes."""
    if minutes <= 0:
        return 0
    # The small allowance keeps a day of exactly 2.0 minutes (summed from float seconds as
    # 1.9999999) and one of 2.0000001 on the same level as a day of 2 minutes.
    return max(1, min(_LEVELS, math.ceil(minutes / step - 1e-6)))


def _number(value: float) -> str:
    return f"{value:g}"


def _legend(step: float) -> Text:
    parts: list[tuple[str, str]] = [
        (f"{GLYPHS[0]} none", _STYLES[0]),
        (f"{GLYPHS[1]} up to {_number(step)}", _STYLES[1]),
    ]
    for level in range(2, _LEVELS):
        span = f"{_number(step * (level - 1))}-{_number(step * level)}"
        parts.append((f"{GLYPHS[level]} {span}", _STYLES[level]))
    parts.append((f"{GLYPHS[_LEVELS]} over {_number(step * (_LEVELS - 1))} min", _STYLES[-1]))
    legend = Text()
    for number, (label, style) in enumerate(parts):
        if number:
            legend.append("  ")
        legend.append(label[0], style=style)
        legend.append(label[1:])
    return legend


def _month_row(weeks: list[date], first_day: date) -> Text:
    """Month names over the columns where a month begins (and over the first column)."""
    row = [" "] * (_LABEL + len(weeks) * _CELL + 2)
    free = 0  # the first position a new name may take without running into the last one
    for column, monday in enumerate(weeks):
        days = [monday + timedelta(days=offset) for offset in range(7)]
        starts_month = any(day.day == 1 and day >= first_day for day in days)
        if not starts_month and column:
            continue
        month = next((day for day in days if day.day == 1), monday) if starts_month else first_day
        at = _LABEL + column * _CELL
        name = MONTHS[month.month - 1]
        if at < free:
            continue
        row[at : at + len(name)] = name
        free = at + len(name) + 1
    # Styled by span, not as the Text's base style: the rows appended after it must not inherit.
    return Text().append("".join(row).rstrip(), style="bold")


def heat_text(minutes: Mapping[date, float], today: date) -> tuple[Text, dict[date, int], float]:
    """The map's text, the level of every day in ``minutes``, and the minutes per level.

    Columns run from the ISO week of the earliest day in ``minutes`` to the week of ``today``;
    days outside ``minutes`` (before the window, or after today) are left blank.
    """
    step = level_step(max(minutes.values(), default=0.0))
    levels = {day: heat_level(value, step) for day, value in minutes.items()}
    first_day = min(minutes, default=today)
    first_week = first_day - timedelta(days=first_day.weekday())
    last_week = today - timedelta(days=today.weekday())
    weeks = [first_week + timedelta(weeks=n) for n in range((last_week - first_week).days // 7 + 1)]
    text = _month_row(weeks, first_day)
    for weekday, name in enumerate(WEEKDAYS):
        text.append("\n")
        text.append(f"{name} ", style="dim")
        for monday in weeks:
            day = monday + timedelta(days=weekday)
            level = levels.get(day)
            if level is None:
                text.append(" " * _CELL)
            else:
                text.append(GLYPHS[level], style=_STYLES[level])
                text.append(" " * (_CELL - 1))
        text.rstrip()
    text.append("\n")
    text.append_text(_legend(step))
    return text, levels, step


class CalendarHeat(Static):
    """The heat-map of ``minutes`` per day up to ``today``, with its legend."""

    DEFAULT_CSS = """
    CalendarHeat {
        width: auto;
        height: auto;
    }
    """

    def __init__(
        self,
        minutes: Mapping[date, float],
        today: date,
        *,
        id: str | None = None,
    ) -> None:
        text, levels, step = heat_text(minutes, today)
        super().__init__(text, id=id)
        self.levels = levels
        """Each day's level (0-4), for tests and for anyone asking what a cell shows."""
        self.step = step
        """Minutes per level."""

    def glyph(self, day: date) -> str | None:
        """The glyph drawn for ``day``, or ``None`` if the map does not show that day."""
        level = self.levels.get(day)
        return None if level is None else GLYPHS[level]
