"""The plan library: every plan found, with its totals or the error that stops it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList
from textual.widgets.option_list import Option

from retro_tui.plan.catalog import PlanEntry
from retro_tui.plan.durations import format_clock


def entry_label(entry: PlanEntry) -> Text:
    """One line per plan: name and totals, or the file and its first error."""
    if entry.plan is None:
        assert entry.error is not None
        return Text.assemble((f"{entry.path.name}  ", "bold red"), str(entry.error.first))
    plan = entry.plan
    return Text.assemble(
        (plan.name, "bold"),
        f"  {format_clock(plan.total_s)} total, {format_clock(plan.backward_s)} backward",
    )


class LibraryScreen(Screen[None]):
    """Lists the plans; the workout screens build on it."""

    BINDINGS = [("q", "app.quit", "Quit")]

    def __init__(self, entries: list[PlanEntry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(*(Option(entry_label(entry)) for entry in self.entries), id="plans")
        yield Footer()
