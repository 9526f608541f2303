"""The end of a workout: what was done, the session's effort, notes, and saving.

Digits rate the whole session (``x`` for 10), Tab moves to the notes, Enter
saves. Saving runs in a worker thread; if it fails (a full disk, a folder
without permission) the session stays here and in the journal, and Enter
tries again. Nothing is lost by a failed save.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from retro_tui.history.log import HistoryWriteError, SaveResult
from retro_tui.history.record import SessionRecord, SessionStatus
from retro_tui.history.session import step_record
from retro_tui.plan.durations import format_clock
from retro_tui.tui.keys import rating_bindings
from retro_tui.workout.effort import TEN_KEY, rpe_label, scale_line
from retro_tui.workout.engine import Workout

if TYPE_CHECKING:
    from retro_tui.tui.app import RetroApp

MAX_NOTES_CHARS = 500


def done_text(session: SessionRecord, workout: Workout) -> Text:
    plan = workout.plan
    text = Text()
    text.append("Time moving   ", style="dim")
    text.append(format_clock(session.active_s), style="bold")
    text.append(f" of {format_clock(plan.total_s)} planned\n")
    text.append("Backward      ", style="dim")
    text.append(format_clock(session.backward_s), style="bold")
    planned = session.planned_intervals or 0
    noun = "interval" if planned == 1 else "intervals"
    text.append(f" in {session.backward_intervals} of {planned} backward {noun}\n")
    ratings = session.ratings
    text.append("Ratings       ", style="dim")
    if ratings:
        text.append(" · ".join(str(rpe) for rpe in ratings), style="bold")
        text.append(f"  (average {sum(ratings) / len(ratings):.1f})")
    else:
        text.append("none given")
    return text


class SummaryScreen(Screen[None]):
    """Shows the finished session and saves it to the history log."""

    AUTO_FOCUS = None
    BINDINGS = [
        Binding("enter", "save", "Save"),
        Binding("enter", "close", "Back to plans"),
        Binding("h", "history", "History"),
        Binding("tab", "notes", "Notes"),
        Binding("escape", "leave_notes", "Done with notes", show=False),
        *rating_bindings("Effort"),
    ]

    def __init__(self, workout: Workout, session: SessionRecord) -> None:
        super().__init__()
        self.workout = workout
        self.session = session
        self.saved: SaveResult | None = None
        self.saving = False
        self.quit_after_save = False
        last = workout.rating_run
        # A rating due at the very end was never asked during the workout: ask it here first.
        self.step_to_rate: int | None = (
            last
            if last is not None and last == len(workout.runs) - 1 and workout.runs[last].rpe is None
            else None
        )

    @property
    def retro(self) -> RetroApp:
        return cast("RetroApp", self.app)

    def compose(self) -> ComposeResult:
        finished = self.session.status is SessionStatus.COMPLETED
        title = "Workout complete" if finished else "Workout ended early"
        with VerticalScroll(id="summary"):
            yield Static(Text(title, style="bold"), id="summary-title")
            yield Static(Text(self.session.plan), id="summary-plan")
            yield Static(done_text(self.session, self.workout), id="summary-done")
            with Vertical(id="session-rpe-box"):
                yield Static(id="session-rpe")
            yield Input(
                placeholder="Notes (optional): how it felt, anything sore",
                max_length=MAX_NOTES_CHARS,
                id="notes",
            )
            yield Static(id="save-status")
        yield Footer()

    def on_mount(self) -> None:
        self.show_rpe()
        self.show_status(Text.assemble(("Enter", "bold reverse"), " saves this session"))

    def show_rpe(self) -> None:
        keys = Text.assemble(("0-9", "bold reverse"), ", ", (TEN_KEY, "bold reverse"), " = 10\n")
        if self.step_to_rate is not None:
            name = self.workout.plan.position_label(self.workout.runs[self.step_to_rate].index)
            text = Text(f"How hard was {name}? ", style="bold")
            text.append_text(keys)
        else:
            text = Text("How hard was the whole session? ", style="bold")
            if self.session.rpe is None:
                text.append_text(keys)
            else:
                text.append(rpe_label(self.session.rpe), style="bold reverse")
                text.append("  (another number changes it)\n")
        text.append(scale_line(), style="dim")
        self.query_one("#session-rpe", Static).update(text)

    def show_status(self, text: Text) -> None:
        self.query_one("#save-status", Static).update(text)

    def action_rate(self, value: int) -> None:
        if self.saved is not None:
            return
        if self.step_to_rate is not None:
            self.workout.rate(value, run=self.step_to_rate)
            steps = tuple(step_record(run) for run in self.workout.runs)
            self.session = replace(self.session, steps=steps)
            self.step_to_rate = None
            self.query_one("#summary-done", Static).update(done_text(self.session, self.workout))
        else:
            self.session = replace(self.session, rpe=value)
        self.show_rpe()

    def action_notes(self) -> None:
        if self.saved is None:
            self.query_one("#notes", Input).focus()

    def action_leave_notes(self) -> None:
        self.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.set_focus(None)
        self.action_save()

    def action_close(self) -> None:
        self.dismiss()

    def action_history(self) -> None:
        from retro_tui.tui.screens.history import HistoryScreen

        self.dismiss()
        self.app.push_screen(HistoryScreen())

    def quit_requested(self) -> None:
        """ctrl+q saves what is here before quitting rather than dropping it."""
        if self.saved is not None:
            self.app.exit()
            return
        self.quit_after_save = True
        self.action_save()

    def action_save(self) -> None:
        if self.saving or self.saved is not None:
            return
        notes = self.query_one("#notes", Input).value.strip()
        self.session = replace(self.session, notes=notes)
        self.saving = True
        self.show_status(Text("Saving..."))
        session = self.session
        self.run_worker(
            lambda: self.retro.save(session), thread=True, name="save", exit_on_error=False
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "save" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        self.saving = False
        if event.state is WorkerState.SUCCESS:
            result = event.worker.result
            assert isinstance(result, SaveResult)
            self.saved = result
            self.query_one("#notes", Input).disabled = True
            self.show_status(self.saved_text(result))
            self.refresh_bindings()
            if self.quit_after_save:
                self.app.exit()
            return
        self.quit_after_save = False
        error = event.worker.error
        reason = error.message if isinstance(error, HistoryWriteError) else str(error)
        self.show_status(
            Text.assemble(
                ("Not saved: ", "bold red"),
                (f"{self.retro.history_path}: {reason}\n", "red"),
                "The session is kept here. Free some space or fix the folder, then press ",
                ("Enter", "bold reverse"),
                " to try again.",
            )
        )

    def saved_text(self, result: SaveResult) -> Text:
        text = Text()
        if result.rescued_from is not None:
            text.append("The history log can't be used ", style="bold")
            text.append(f"({result.rescued_from}), so it was left alone.\n")
            text.append("Saved to the rescue file ")
        else:
            text.append("Saved to ")
        text.append(str(result.path), style="bold")
        text.append("\n")
        text.append("Enter", style="bold reverse")
        text.append(" back to the plans   ")
        text.append("h", style="bold reverse")
        text.append(" history")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Before saving: rate, write notes, save. After: only go back.
        if action in ("close", "history"):
            return self.saved is not None
        if action in ("save", "notes", "rate"):
            return self.saved is None
        return True
