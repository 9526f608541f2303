"""A plain progress meter: one line of bar, redrawn only when it moves a cell.

Textual's ProgressBar keeps its own once-a-second timer for an ETA; the
workout screen already redraws exactly when the countdown changes, so a
timer-free bar keeps the screen asleep between seconds.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget


class Meter(Widget):
    """Shows ``done`` of ``total`` as a bar filling from the left."""

    DEFAULT_CSS = """
    Meter {
        height: 1;
        color: $primary;
        background: $panel;
    }
    """

    fraction: reactive[float] = reactive(0.0)

    def set_progress(self, done: float, total: float) -> None:
        value = 0.0 if total <= 0 else min(1.0, max(0.0, done / total))
        # Only a change of at least one cell is worth a repaint.
        width = max(1, self.size.width)
        if round(value * width) != round(self.fraction * width) or value in (0.0, 1.0):
            self.fraction = value

    def render_line(self, y: int) -> Strip:
        # One strip drawn directly: the bar moves every second or so on a screen that
        # should otherwise sleep, and Textual's content pipeline costs several times this.
        style = self.rich_style
        width = self.size.width
        if y != 0:
            return Strip.blank(width, style)
        filled = round(self.fraction * width)
        dim = style + Style(dim=True)
        return Strip([Segment("━" * filled, style), Segment("─" * (width - filled), dim)], width)
