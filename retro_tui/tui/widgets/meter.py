"""A plain progress meter: one line of bar, redrawn only when it moves a cell.

Textual's ProgressBar keeps its own once-a-second timer for an ETA; the
workout screen already redraws exactly when the countdown changes, so a
timer-free bar keeps the screen asleep between seconds.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
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

    def render(self) -> Text:
        width = self.size.width
        filled = round(self.fraction * width)
        return Text("━" * filled, no_wrap=True) + Text("─" * (width - filled), style="dim")
