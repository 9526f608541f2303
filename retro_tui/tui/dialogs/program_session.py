"""Pick any session of a program: to skip ahead a week, or to do one again.

The program normally offers the next session by itself; this list is for the
times a person knows better (a week missed on purpose, a session worth
repeating). Done sessions are ticked, the one the program would offer is
marked, and Enter returns the chosen ``(week, session)``.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from retro_tui.coach.programs import ProgramProgress
from retro_tui.plan.durations import format_clock
from retro_tui.tui.screens.base import RetroDialog, ScreenHelp
from retro_tui.tui.widgets.program_preview import session_mark


class ProgramSessionDialog(RetroDialog[tuple[int, int] | None]):
    """Returns the chosen ``(week, session)``, or None when cancelled."""

    ABOUT = ScreenHelp(
        "Program sessions",
        "Every session of the program, to start any one: skip ahead, or do one again. "
        "↑ ↓ choose, Enter starts it.",
    )

    DEFAULT_CSS = """
    #program-session-box {
        width: 80;
    }
    #program-session-list {
        height: auto;
        max-height: 20;
        margin-top: 1;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, progress: ProgramProgress) -> None:
        super().__init__()
        self.progress = progress
        self.slots = [session.slot for session in progress.program.sessions]

    def compose(self) -> ComposeResult:
        progress = self.progress
        with Vertical(id="program-session-box", classes="dialog-box"):
            yield Static(Text(f"Which session of {progress.program.name}?", style="bold"))
            yield Static(
                Text.assemble(
                    ("↑↓", "bold reverse"), " pick  ", ("Enter", "bold reverse"), " start  ",
                    ("Esc", "bold reverse"), " back   ✓ done  ▶ next",
                )
            )  # fmt: skip
            options = []
            for session in progress.program.sessions:
                label = Text(f"{session_mark(progress, session) or ' '} ")
                label.append(f"Week {session.week}, session {session.number}: ", style="bold")
                label.append(session.plan.name)
                label.append(f"  {format_clock(session.plan.total_s)}", style="dim")
                options.append(Option(label))
            yield OptionList(*options, id="program-session-list")

    def on_mount(self) -> None:
        listing = self.query_one("#program-session-list", OptionList)
        next_slot = self.progress.next_slot
        listing.highlighted = self.slots.index(next_slot) if next_slot in self.slots else 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.slots[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
