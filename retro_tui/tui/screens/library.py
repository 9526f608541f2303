"""The plan library: every plan found, a preview of the highlighted one, Enter to start it.

Plans that fail to load are listed with their error and previewed with every
problem, so a typo in a user's plan is visible instead of the plan vanishing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from retro_tui.plan.catalog import PlanEntry
from retro_tui.plan.durations import format_clock
from retro_tui.tui.widgets.plan_preview import plan_preview

if TYPE_CHECKING:
    from retro_tui.tui.app import RetroApp


def entry_label(entry: PlanEntry) -> Text:
    """Two lines per plan: its name, then its length (or the file and its first error)."""
    if entry.plan is None:
        assert entry.error is not None
        return Text.assemble(
            ("✗ ", "bold red"), (entry.path.name, "bold"), "\n", (str(entry.error.first), "red")
        )
    plan = entry.plan
    mark = "" if entry.bundled else "★ "
    return Text.assemble(
        (mark + plan.name, "bold"),
        "\n",
        (f"{format_clock(plan.total_s)} · {format_clock(plan.backward_s)} back", "dim"),
    )


class LibraryScreen(Screen[None]):
    """Lists the plans; Enter starts the highlighted one."""

    TITLE = "Plans"
    BINDINGS = [
        Binding("enter", "start", "Start", priority=True),
        Binding("h", "history", "History"),
        Binding("r", "reload", "Reload plans"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[PlanEntry] = []

    @property
    def retro(self) -> RetroApp:
        return cast("RetroApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="library"):
            yield OptionList(id="plans")
            with VerticalScroll(id="preview-box"):
                yield Static(id="preview")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        # Plans are files: read them off the UI thread (a folder may hold hundreds).
        self.run_worker(self.retro.load_plans, thread=True, name="plans", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "plans":
            return
        if event.state is WorkerState.SUCCESS:
            self.show_entries(event.worker.result or [])
        elif event.state is WorkerState.ERROR:
            self.notify(f"Could not list the plans: {event.worker.error}", severity="error",
                        markup=False)  # fmt: skip

    def show_entries(self, entries: list[PlanEntry]) -> None:
        plans = self.query_one("#plans", OptionList)
        keep = plans.highlighted
        self.entries = entries
        plans.clear_options()
        plans.add_options([Option(entry_label(entry)) for entry in self.entries])
        if self.entries:
            plans.highlighted = min(keep or 0, len(self.entries) - 1)
        else:
            self.query_one("#preview", Static).update(
                Text("No plans found. Put .toml plans in the plans folder and press r.")
            )
        plans.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.entries[event.option_index]
        self.query_one("#preview", Static).update(plan_preview(entry))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_start()

    def action_history(self) -> None:
        from retro_tui.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_start(self) -> None:
        index = self.query_one("#plans", OptionList).highlighted
        if index is None or not self.entries:
            return
        entry = self.entries[index]
        if entry.plan is None:
            self.notify(
                "This plan has errors; fix them and press r.", severity="error", markup=False
            )
            return
        self.retro.start_workout(entry.plan)
