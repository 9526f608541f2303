"""The end of a workout: what was done, the ratings left open, effort, pain, notes, saving.

Questions come one at a time and each takes one key: every interval that ran
without a rating, each named ("How hard was Backward 2 of 3?"), then the
session's effort (``0``-``9``, ``x`` for 10), then any pain (``0`` for none,
else how much, then a digit for where). ``i``, ``e`` and ``p`` go to the
intervals, the effort or the pain question. Tab moves to the notes, Enter saves.

Below the questions, the one change suggested for next time follows the
answers as they are given (pain or a hard rating never gets "progress"); ``w``
writes it as a new plan file beside the user's plans. With a body mass known
for the athlete, an energy estimate is shown, labelled as one.

Every answer (and the notes as they are typed) goes to the crash journal, so a
program killed on this screen loses nothing: the next start adds the session
with the answers given. Saving runs in a worker thread; if it fails (a full
disk, a folder without permission) the session stays here and in the journal,
Enter tries again, and ctrl+q quits leaving it in the journal for the next start.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from retro_tui.coach.effort import (
    PAIN_PLACES,
    TEN_KEY,
    pain_label,
    places_line,
    rpe_label,
    scale_line,
)
from retro_tui.coach.energy import format_energy, session_energy
from retro_tui.coach.fitness import FormReading, athletes_sessions, fitness_days, form_reading
from retro_tui.coach.progression import suggest_next
from retro_tui.coach.suggested_plan import save_suggested_plan
from retro_tui.coach.suggestion import SuggestedPlanError, Suggestion
from retro_tui.coach.zones import zone_name
from retro_tui.history.log import HistoryWriteError, SaveResult
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord, render_session
from retro_tui.history.session import ending_reason, step_record
from retro_tui.plan.durations import elapsed_shares, format_clock, format_elapsed
from retro_tui.plan.folders import PLAN_SUFFIX, is_program_file
from retro_tui.tui.keys import rating_bindings
from retro_tui.tui.screens.base import RetroScreen, ScreenHelp
from retro_tui.tui.themes import ZONE_COLOURS
from retro_tui.tui.widgets.key_footer import KeyFooter
from retro_tui.workout.engine import Workout

if TYPE_CHECKING:
    pass

MAX_NOTES_CHARS = 500
MAX_NAMED_LATER = 3
"""Intervals still to rate are named up to this many after the one asked now."""


def done_text(session: SessionRecord, workout: Workout, body_mass_kg: float | None = None) -> Text:
    plan = workout.plan
    text = Text()
    text.append("Time moving   ", style="dim")
    text.append(format_elapsed(session.active_s), style="bold")
    text.append(f" of {format_clock(plan.total_s)} planned\n")
    text.append("Backward      ", style="dim")
    text.append(format_elapsed(session.backward_shown_s), style="bold")
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
    if session.athlete:
        text.append("\nAthlete       ", style="dim")
        text.append(session.athlete)
    if session.program is not None:
        slot = session.program
        text.append("\nProgram       ", style="dim")
        text.append(f"{slot.name}, week {slot.week}, session {slot.session}")
    zones = session.heart_rate_zone_s
    if zones is not None and any(zones):
        text.append("\nHeart zones   ", style="dim")
        spent = [
            (zone, whole) for zone, whole in enumerate(elapsed_shares(zones), start=1) if whole > 0
        ]
        for number, (zone, whole) in enumerate(spent):
            if number:
                text.append(" · ")
            text.append(f"Z{zone} {zone_name(zone)} ", style=ZONE_COLOURS[zone - 1])
            text.append(format_elapsed(whole), style="bold")
    energy = session_energy(session, body_mass_kg) if body_mass_kg else None
    if energy is not None:
        text.append("\nEnergy        ", style="dim")
        text.append(format_energy(energy), style="bold")
        text.append("  backward ×1.3 of the ACSM forward figure, an inference", style="dim")
    return text


class Question(Enum):
    """What the digit keys answer right now."""

    INTERVAL = "interval"
    EFFORT = "effort"
    PAIN = "pain"
    WHERE = "where"
    NONE = "none"


def key(name: str) -> tuple[str, str]:
    return (name, "bold reverse")


def with_ratings(session: SessionRecord, workout: Workout) -> tuple[StepRecord, ...]:
    """The session's steps with the ratings the workout now holds, and nothing else changed.

    Each step keeps what the devices measured on it (belt speed, distance, heart rate), so
    a rating given here must only set the step's ``rpe``. Steps and runs are paired by the
    plan step they ran and how many times it had run before (a step can run twice).
    """
    ratings: dict[tuple[int | None, int], int | None] = {}
    seen: dict[int | None, int] = {}
    for run in workout.runs:
        fresh = step_record(run)
        count = seen[fresh.plan_step] = seen.get(fresh.plan_step, 0) + 1
        ratings[(fresh.plan_step, count)] = fresh.rpe
    steps = []
    seen = {}
    for step in session.steps:
        count = seen[step.plan_step] = seen.get(step.plan_step, 0) + 1
        rating = ratings.get((step.plan_step, count), step.rpe)
        steps.append(step if rating == step.rpe else replace(step, rpe=rating))
    return tuple(steps)


class SummaryScreen(RetroScreen[None]):
    """Shows the finished session and saves it to the history log."""

    ABOUT = ScreenHelp(
        "Summary",
        "The session you just finished. Answer how hard it was and any pain with one key "
        "each, Tab to write notes, then Enter saves it to your history and says where.",
        keys={
            "rate": f"Answer the question on screen ({TEN_KEY} = 10)",
        },
    )

    AUTO_FOCUS = None
    # The keys a person needs first come first: a narrow footer cuts off from the right.
    BINDINGS = [
        Binding("enter", "save", "Save"),
        Binding("enter", "close", "Back to plans"),
        *rating_bindings("Answer"),
        Binding("tab", "notes", "Notes"),
        # A priority like the app's own "?", which would otherwise take its place in the footer;
        # in the notes it is still a question mark.
        Binding("question_mark", "app.help", "Help", priority=True),
        Binding("h", "history", "History"),
        Binding("escape", "leave_notes", "Done with notes", show=False),
        Binding("n", "no_pain", "No pain", show=False),
        Binding("i", "ask('interval')", "Intervals", show=False),
        Binding("e", "ask('effort')", "Effort", show=False),
        Binding("p", "ask('pain')", "Pain", show=False),
        Binding("w", "write_plan", "Save next plan"),
    ]
    FOOTER_KEEPS = ("save", "close", "rate(0)", "app.help")

    def __init__(self, workout: Workout, session: SessionRecord) -> None:
        super().__init__()
        self.workout = workout
        self.session = session
        self.saved: SaveResult | None = None
        self.saving = False
        self.kept_in_journal = False
        """ctrl+q quit with the session left to its journal (a save kept failing)."""
        self.quit_after_save = False
        self.save_problem: str | None = None
        """Why the last save failed; ctrl+q then quits leaving the session in the journal."""
        self.to_rate: list[int] = workout.unrated_runs()
        """Runs that ran without a rating, asked here first, in order."""
        self.question = Question.INTERVAL if self.to_rate else Question.EFFORT
        self.suggestion: Suggestion | None = None
        self.earlier: list[SessionRecord] = []
        """The athlete's sessions before this one, for the weeks behind the suggestion."""
        self.suggested_plan: Path | None = None
        self.writing_plan = False
        # A session written inside a program file has no plan file of its own to copy:
        # the program already says what comes next.
        source = workout.plan.source
        self.from_program = source is not None and is_program_file(source)

    def compose(self) -> ComposeResult:
        finished = self.session.status is SessionStatus.COMPLETED
        title = "Workout complete" if finished else "Workout ended early"
        with VerticalScroll(id="summary"):
            yield Static(Text(title, style="bold"), id="summary-title")
            reason = ending_reason(self.workout, self.session)
            yield Static(Text(self.session.plan + (f"\n{reason}" if reason else "")),
                         id="summary-plan")  # fmt: skip
            yield Static(self.done(), id="summary-done")
            with Vertical(id="session-rpe-box"):
                yield Static(id="session-rpe")
            yield Static(id="summary-next")
            yield Input(
                placeholder="Notes (optional): how it felt, anything sore",
                max_length=MAX_NOTES_CHARS,
                id="notes",
            )
        # Outside the scrolling part: how to save is on screen however small the terminal.
        yield Static(id="save-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        known = self.retro.sessions_read
        if known is not None:
            self.weeks_read(known)
        else:
            # Never read yet (started with a plan straight from the command line): read it
            # aside, and the suggestion takes the weeks into account once it is in.
            self.run_worker(
                self.retro.load_sessions, thread=True, name="weeks", exit_on_error=False
            )
        self.show_rpe()
        self.show_status(Text.assemble(("Enter", "bold reverse"), " saves this session"))

    def done(self) -> Text:
        return done_text(self.session, self.workout, self.retro.body_mass(self.session.athlete))

    def show_rpe(self) -> None:
        self.query_one("#session-rpe", Static).update(self.questions_text())
        self.show_suggestion()
        self.refresh_bindings()

    def show_suggestion(self) -> None:
        """The one change for next time, worked out again from the answers so far."""
        try:
            suggestion = suggest_next(
                self.session, self.workout.plan, earlier=self.earlier, form=self.form_today()
            )
        except Exception as error:  # advice must never cost the session
            self.log.error(f"no suggestion: {error!r}")
            self.query_one("#summary-next", Static).update("")
            return
        if suggestion != self.suggestion:
            self.suggestion = suggestion
            self.suggested_plan = None
        text = Text(suggestion.text, style="bold")
        if suggestion.why:
            text.append(f"\n{suggestion.why}")
        text.append(f"\n{suggestion.reason}", style="dim")
        if self.suggested_plan is not None:
            text.append("\nSaved as ")
            text.append(str(self.suggested_plan), style="bold")
            text.append(": it is in the plan library.")
        elif self.can_write_plan():
            text.append_text(Text.assemble("\n", key("w"), " save it as a new plan"))
        elif self.from_program and suggestion.changes_plan:
            text.append(
                "\nThis session belongs to a program, whose next session makes its own change: "
                "tell the program's author (or edit the program) if it feels too easy or hard.",
                style="dim",
            )
        self.query_one("#summary-next", Static).update(text)

    def can_write_plan(self) -> bool:
        return (
            self.suggestion is not None
            and self.suggestion.changes_plan
            and self.workout.plan.source is not None
            # A plan made from a .zwo as it was listed has no TOML of its own to build on.
            and self.workout.plan.source.suffix == PLAN_SUFFIX
            and not self.from_program
            and self.suggested_plan is None
        )

    def action_write_plan(self) -> None:
        """Write the suggested plan to a new file (never over an existing one)."""
        suggestion = self.suggestion
        if suggestion is None or not self.can_write_plan() or self.writing_plan:
            return
        self.writing_plan = True
        plan, folder = self.workout.plan, self.retro.settings.user_plans
        self.run_worker(
            lambda: save_suggested_plan(plan, suggestion, folder),
            thread=True,
            name="write-plan",
            exit_on_error=False,
        )

    def questions_text(self) -> Text:
        """Every question with its answer so far; the one the digits answer now is marked."""
        session = self.session
        asking = self.question
        text = Text()

        def line(question: Question, label: str, answer: str | None) -> None:
            current = asking is question or (question is Question.PAIN and asking is Question.WHERE)
            text.append("▶ " if current else "  ", style="bold")
            text.append(label, style="bold" if current else "")
            if answer is not None:
                text.append(answer, style="bold reverse")
            text.append("\n")

        if self.to_rate:
            first = self.interval_name(self.to_rate[0])
            line(Question.INTERVAL, f"How hard was {first}? ", None)
            later = [self.interval_name(run) for run in self.to_rate[1:]]
            if later:
                shown = ", ".join(later[:MAX_NAMED_LATER])
                more = len(later) - MAX_NAMED_LATER
                text.append(f"  then {shown}" + (f" and {more} more" if more > 0 else ""), "dim")
                text.append("\n")
        effort = rpe_label(session.rpe) if session.rpe is not None else None
        line(Question.EFFORT, "How hard was the whole session? ", effort)
        pain = pain_label(session.pain, session.pain_where) if session.pain is not None else None
        line(Question.PAIN, "Any pain? ", pain)
        if asking in (Question.INTERVAL, Question.EFFORT):
            text.append_text(Text.assemble("  ", key("0-9"), ", ", key(TEN_KEY), " = 10\n"))
            text.append(scale_line(), style="dim")
        elif asking is Question.PAIN:
            text.append_text(
                Text.assemble("  ", key("0"), " or ", key("n"), " none   ", key("1-9"), ", ")
            )
            text.append_text(Text.assemble(key(TEN_KEY), " how much (10 = worst imaginable)"))
        elif asking is Question.WHERE:
            text.append_text(Text.assemble("  Where? ", key("1-9"), "\n"))
            text.append(places_line(), style="dim")
        else:
            text.append_text(Text.assemble("  ", key("e"), " change effort   "))
            text.append_text(Text.assemble(key("p"), " change pain"))
        return text

    def interval_name(self, run: int) -> str:
        return self.workout.plan.position_label(self.workout.runs[run].index)

    def show_status(self, text: Text) -> None:
        self.query_one("#save-status", Static).update(text)

    def action_rate(self, value: int) -> None:
        """A digit (or ``x``) answers the question being asked, then the next one comes."""
        if self.saved is not None:
            return
        question = self.question
        if question is Question.INTERVAL and self.to_rate:
            self.workout.rate(value, run=self.to_rate.pop(0))
            self.session = replace(self.session, steps=with_ratings(self.session, self.workout))
            self.query_one("#summary-done", Static).update(self.done())
            if not self.to_rate:
                self.question = Question.EFFORT if self.session.rpe is None else Question.NONE
        elif question is Question.EFFORT:
            self.session = replace(self.session, rpe=value)
            self.question = Question.PAIN if self.session.pain is None else Question.NONE
        elif question is Question.PAIN:
            self.session = replace(self.session, pain=value, pain_where="")
            self.question = Question.WHERE if value else Question.NONE
        elif question is Question.WHERE:
            if value not in PAIN_PLACES:
                return
            self.session = replace(self.session, pain_where=PAIN_PLACES[value])
            self.question = Question.NONE
        self.show_rpe()
        self.keep_in_journal()

    def keep_in_journal(self) -> None:
        """The session with every answer so far, into the crash journal (written elsewhere)."""
        if self.saved is None and not self.saving:
            self.retro.journal.submit(self.answered_session())

    @on(Input.Changed, "#notes")
    def notes_typed(self) -> None:
        self.keep_in_journal()

    def action_no_pain(self) -> None:
        self.action_rate(0)

    def action_ask(self, question: str) -> None:
        if self.saved is None:
            self.question = Question(question)
            self.show_rpe()

    def action_notes(self) -> None:
        if self.saved is None:
            # At once, not after this key: the letters typed next belong to the notes.
            self.set_focus(self.query_one("#notes", Input))

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
        """ctrl+q saves what is here before quitting rather than dropping it.

        When saving fails (or is stuck), a second ctrl+q quits all the same: the
        session stays in the crash journal, and the next start adds it to the log.
        """
        if self.saved is not None:
            self.app.exit()
        elif self.save_problem is not None or self.saving:
            self.quit_keeping_journal()
        else:
            self.quit_after_save = True
            self.action_save()

    def quit_keeping_journal(self) -> None:
        """Quit without a saved session: it is in the journal, or printed if even that fails."""
        session = self.answered_session()
        # No last try at saving on the way out: the message below would then be false
        # (saved after all), or a log on a hung disk would hold the exit.
        self.kept_in_journal = True
        journal = self.retro.journal
        journal.submit(session)
        written = journal.flush() and journal.error is None
        problem = self.save_problem or "the save had not finished"
        message = Text(f"The session was not saved to {self.retro.history_path}: {problem}\n")
        if written:
            message.append(
                f"It is kept in {journal.path_of(session.id)} and will be added to the history "
                "the next time retro-tui starts."
            )
        else:
            message.append(
                f"It could not be kept in a crash journal either ({journal.error}). Here it is, "
                "to paste at the end of the history log:\n\n"
            )
            message.append(render_session(session))
        self.app.exit(return_code=1, message=message)

    def answered_session(self) -> SessionRecord:
        """The session with the notes typed and the suggestion made, as it is to be saved."""
        session = replace(self.session, notes=self.query_one("#notes", Input).value.strip())
        if self.suggestion is not None:
            session = replace(
                session, suggestion=str(self.suggestion.kind), suggestion_text=self.suggestion.text
            )
        return session

    def action_save(self) -> None:
        if self.saving or self.saved is not None:
            return
        self.session = self.answered_session()
        self.saving = True
        self.show_status(Text("Saving..."))
        session = self.session
        self.run_worker(
            lambda: self.retro.save(session), thread=True, name="save", exit_on_error=False
        )

    def weeks_read(self, sessions: list[SessionRecord]) -> None:
        """Keep the athlete's earlier sessions, for the weeks behind the suggestion."""
        session = self.session
        self.earlier = [
            other
            for other in athletes_sessions(sessions, session.athlete)
            if other.id != session.id
        ]

    def form_today(self) -> FormReading | None:
        """The athlete's form with this session in it, as rated so far."""
        if not self.earlier:
            return None
        today = self.session.started.date()
        return form_reading(fitness_days([*self.earlier, self.session], today))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name == "write-plan":
            self.plan_written(event)
            return
        if event.worker.name == "weeks":
            if event.state is WorkerState.SUCCESS and isinstance(event.worker.result, list):
                self.weeks_read(event.worker.result)
                self.show_suggestion()
            return
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
            self.save_problem = None
            self.query_one("#notes", Input).disabled = True
            self.show_status(self.saved_text(result))
            self.refresh_bindings()
            if self.quit_after_save:
                self.app.exit()
            return
        error = event.worker.error
        self.save_problem = error.message if isinstance(error, HistoryWriteError) else str(error)
        self.keep_in_journal()
        self.show_status(
            Text.assemble(
                ("Not saved: ", "bold red"),
                (f"{self.retro.history_path}: {self.save_problem}\n", "red"),
                "The session is kept here and in a crash journal. Free some space or fix the "
                "folder, then press ",
                ("Enter", "bold reverse"),
                " to try again, or ",
                ("ctrl+q", "bold reverse"),
                " to quit: it will be added the next time retro-tui starts.",
            )
        )

    def plan_written(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.SUCCESS:
            self.writing_plan = False
            result = event.worker.result
            assert isinstance(result, Path)
            self.suggested_plan = result
            self.show_suggestion()
            self.refresh_bindings()
        elif event.state is WorkerState.ERROR:
            self.writing_plan = False
            error = event.worker.error
            message = str(error) if isinstance(error, SuggestedPlanError | OSError) else repr(error)
            self.notify(f"The suggested plan was not saved: {message}", severity="error",
                        timeout=10, markup=False)  # fmt: skip

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
        if action == "no_pain":
            return self.saved is None and self.question is Question.PAIN
        if action == "ask":
            if parameters == ("interval",):
                return self.saved is None and bool(self.to_rate)
            return self.saved is None
        if action == "write_plan":
            return self.can_write_plan()
        return True

    # -- cut off from outside --------------------------------------------------------------

    @on(events.Unmount)
    def save_if_cut_off(self) -> None:
        """Save the session with what was answered when the app is stopped before Enter.

        The browser tab of ``retro-tui serve`` closed (or its connection lost) on
        the summary, or a SIGTERM: the workout itself is over, so it is saved as it
        ended, with the answers given so far, here and now rather than in a worker
        the exiting app would not wait for. If it can't be saved, its crash journal
        is still there for the next start.
        """
        if self.saved is not None or self.saving or self.kept_in_journal:
            return  # saved already, under way, or left to the journal: it covers a failure
        try:
            session = self.answered_session()
        except NoMatches:
            session = self.session  # taken down before its widgets were made
        with contextlib.suppress(OSError):  # HistoryWriteError included
            self.saved = self.retro.save(session)
