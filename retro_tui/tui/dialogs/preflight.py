"""The safety check before the first step: Enter confirms and starts, Escape goes back."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from retro_tui.plan.model import Plan
from retro_tui.tui.screens.base import RetroDialog, ScreenHelp

CHECKS = (
    "Safety stop clip attached to you, and the stop button within reach",
    "A mark on the wall ahead of you at eye height",
    "Hands resting lightly on the rails",
    "Belt at its lowest speed to start",
)


class PreflightDialog(RetroDialog[bool]):
    """Returns True when the user confirms the checks, False to go back."""

    ABOUT = ScreenHelp(
        "Safety check",
        "Four checks before the belt moves: stop clip, a mark on the wall, hands on the "
        "rails, the lowest speed. The workout starts only when you confirm.",
    )

    BINDINGS = [
        Binding("enter", "confirm", "Start", priority=True),
        Binding("escape,q", "cancel", "Back"),
    ]

    def __init__(self, plan: Plan, warnings: Sequence[str] = ()) -> None:
        """``warnings``: about today's load (see :mod:`retro_tui.coach.fitness`), said here
        once more before the belt moves; they inform, they never stop the start."""
        super().__init__()
        self.plan = plan
        self.warnings = tuple(warnings)

    def compose(self) -> ComposeResult:
        with Vertical(id="preflight"):
            yield Static(Text("Before you start", style="bold"), id="preflight-title")
            yield Static(Text(self.plan.name), id="preflight-plan")
            # Numbered, not ticked: each is for the person to check now, not already done.
            lines = Text()
            for number, check in enumerate(CHECKS, start=1):
                lines.append(f"  {number}. ", style="bold")
                lines.append(check + "\n")
            if self.drives_belt:
                lines.append(
                    "\n  retro-tui starts the belt when you press Enter and sets every speed.\n"
                    "  The stop clip is the real stop: pull it and the belt stops at once.\n",
                    style="bold",
                )
            yield Static(lines, id="preflight-checks")
            if self.warnings:
                yield Static(
                    Text("\n").join(
                        Text.assemble(("  Load: ", "bold yellow"), (warning, "yellow"))
                        for warning in self.warnings
                    )
                    + "\n",
                    id="preflight-load",
                )
            yield Static(
                Text.assemble(("Enter", "bold reverse"), " all set, start   ",
                              ("Esc", "bold reverse"), " back"),
                id="preflight-keys",
            )  # fmt: skip

    @property
    def drives_belt(self) -> bool:
        """Whether the workout will set the treadmill itself (a treadmill and "auto")."""
        devices = self.retro.config.devices
        return bool(devices.treadmill) and devices.control == "auto"

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
