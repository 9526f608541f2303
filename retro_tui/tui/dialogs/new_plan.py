"""Asks for a new plan's name: Enter confirms, Escape cancels.

While the name is typed the dialog shows the file it will make
(``Hill Tuesday`` -> ``hill-tuesday.toml``), or why that name can't make a
plan, so a bad name is fixed here rather than reported after the dialog has
gone. Writing the file is the caller's job.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from retro_tui.plan.limits import MAX_NAME_CHARS
from retro_tui.plan.skeleton import PlanNameError, plan_file_name
from retro_tui.tui.screens.base import RetroDialog, ScreenHelp


class NewPlanDialog(RetroDialog[str | None]):
    """Returns the name typed (as typed; the caller checks it again), or None on Escape."""

    ABOUT = ScreenHelp(
        "New plan",
        "The name of a new plan to write and edit.",
    )

    DEFAULT_CSS = """
    #new-plan-input {
        margin: 1 0 0 0;
    }

    #new-plan-file {
        height: auto;
        margin: 0 0 1 0;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="new-plan", classes="dialog-box"):
            yield Static(Text("New plan", style="bold"))
            yield Static(Text("Its name, as the plan library will show it:"))
            yield Input(
                placeholder="e.g. Hill Tuesday", max_length=MAX_NAME_CHARS, id="new-plan-input"
            )
            yield Static(id="new-plan-file")
            yield Static(
                Text.assemble(("Enter", "bold reverse"), " create and edit   ",
                              ("Esc", "bold reverse"), " cancel"),
            )  # fmt: skip

    def on_mount(self) -> None:
        self.show_file_name("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_file_name(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.show_file_name(event.value):
            self.dismiss(event.value)

    def show_file_name(self, name: str) -> bool:
        """Show what ``name`` would make; True when it can make a plan."""
        hint = self.query_one("#new-plan-file", Static)
        if not name.strip():
            hint.update(Text("Letters a-z or digits name the file.", style="dim"))
            return False
        try:
            file_name = plan_file_name(name)
        except PlanNameError as error:
            hint.update(Text(str(error), style="red"))
            return False
        hint.update(Text.assemble(("saved as ", "dim"), file_name))
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)
