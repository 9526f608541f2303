"""Asks before ending a workout early; the clock keeps running while it asks."""

from __future__ import annotations

from enum import Enum

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from retro_tui.tui.screens.base import RetroDialog, ScreenHelp


class EndChoice(Enum):
    END = "end"
    KEEP = "keep"
    PAUSE = "pause"


class ConfirmEndDialog(RetroDialog[EndChoice]):
    """End the workout (saved as ended early), keep going, or pause and keep going."""

    ABOUT = ScreenHelp(
        "End the workout?",
        "Ending early keeps what you did: it is saved as ended early. Or keep going, or "
        "pause first.",
    )

    BINDINGS = [
        Binding("y,enter,q", "choose('end')", "End and save", priority=True),
        Binding("n,escape", "choose('keep')", "Keep going"),
        Binding("space", "choose('pause')", "Pause"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-end"):
            yield Static(Text("End the workout now?", style="bold"))
            yield Static(Text("What you have done so far is saved, as ended early."))
            yield Static(
                Text.assemble(("y", "bold reverse"), " end and save   ",
                              ("n", "bold reverse"), " keep going   ",
                              ("space", "bold reverse"), " pause"),
            )  # fmt: skip

    def quit_requested(self) -> None:
        """ctrl+q while asked: the answer is yes, end (and save)."""
        self.dismiss(EndChoice.END)

    def action_choose(self, choice: str) -> None:
        self.dismiss(EndChoice(choice))
