"""Asks before ending a workout early; the clock keeps running while it asks."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmEndDialog(ModalScreen[bool]):
    """True ends the workout (saved as aborted), False goes back to it."""

    BINDINGS = [
        Binding("y,enter,q", "end", "End and save", priority=True),
        Binding("n,escape", "keep", "Keep going"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-end"):
            yield Static(Text("End the workout now?", style="bold"))
            yield Static(Text("What you have done so far is saved as an ended-early session."))
            yield Static(
                Text.assemble(("y", "bold reverse"), " end and save   ",
                              ("n", "bold reverse"), " keep going"),
            )  # fmt: skip

    def action_end(self) -> None:
        self.dismiss(True)

    def action_keep(self) -> None:
        self.dismiss(False)
