"""The live workout: countdown, direction, targets, cues, signals and effort ratings.

Built for someone moving backward on a belt, a couple of metres away: the
direction in block letters, the countdown in big digits, every key a single
press. The screen owns a :class:`Workout` engine and only ever *asks* it what
time it is: a timer wakes the screen just after each whole second of the
countdown (and at cue changes) to poll the engine and redraw. Nothing here
counts time itself, so a slow redraw can never stretch a step.

In voice mode a :class:`Narrator` decides what to say after each poll and the
app's :class:`~retro_tui.voice.Voice` says it in the background; ``m`` mutes
the bell and the voice for the rest of the workout.
"""

from __future__ import annotations

import contextlib
import math
from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Footer, Static

from retro_tui.history.record import ProgramSlot, SessionRecord, new_session_id
from retro_tui.history.session import build_session
from retro_tui.plan.durations import format_clock
from retro_tui.plan.model import Plan
from retro_tui.tui.keys import rating_bindings
from retro_tui.tui.widgets.big_word import BigWord
from retro_tui.tui.widgets.meter import Meter
from retro_tui.tui.widgets.plan_preview import step_summary
from retro_tui.workout.cues import cue_at, seconds_to_next_cue
from retro_tui.workout.effort import TEN_KEY, rpe_label, scale_line
from retro_tui.workout.engine import (
    Countdown,
    Event,
    RatingDue,
    Status,
    StepEnded,
    StepStarted,
    Workout,
    WorkoutEnded,
    WorkoutError,
)
from retro_tui.workout.speech import Narrator

if TYPE_CHECKING:
    from retro_tui.tui.app import RetroApp

ADJUST_S = 10
FLASH_S = 0.6
LATE_SIGNAL_S = 0.75
"""A 3-2-1 noticed later than this (the laptop slept) is not sounded."""
SOON_S = 10
"""In the last seconds of a step, the next step's target is shown loudly."""


class WorkoutScreen(Screen[None]):
    """Runs one plan from the first step to the summary."""

    BINDINGS = [
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),
        Binding("n", "skip", "Next step"),
        Binding("b", "back", "Back"),
        Binding("plus,equals_sign", "adjust(1)", "+10s"),
        Binding("minus,underscore", "adjust(-1)", "-10s"),
        Binding("q,escape", "end", "End"),
        Binding("m", "mute", "Mute"),
        Binding("m", "unmute", "Unmute"),
        # A priority like the app's own "?", which would otherwise take its place in the footer.
        Binding("question_mark", "app.help", "Help", priority=True),
        *rating_bindings("Rate effort"),
    ]

    def __init__(self, plan: Plan, program: ProgramSlot | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.program = program
        self.workout: Workout | None = None
        self.session_id: str | None = None
        self.started_wall: datetime | None = None
        self._timer: Timer | None = None
        self._flash_timer: Timer | None = None
        self._ending = False
        self._journal_warned = False
        self._shown: dict[str, Text] = {}
        self._prompt_run: int | None = None
        """The run whose rating prompt is on screen: what a digit key rates."""
        self.muted = False
        """``m`` silences the bell and the voice for the rest of this workout."""
        self.narrator: Narrator | None = None

    @property
    def retro(self) -> RetroApp:
        return cast("RetroApp", self.app)

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="workout"):
            yield Static(id="title")
            yield BigWord(id="direction")
            with Horizontal(id="clock-row"):
                yield Digits("0:00", id="countdown")
                yield Digits("", id="speed")
                yield Static(id="targets")
            yield Meter(id="step-progress")
            yield Static(id="cue")
            yield Static(id="next")
            yield Static(id="rating")
            with Horizontal(id="total-row"):
                yield Meter(id="total-progress")
                yield Static(id="total-left")
        yield Footer()

    def on_mount(self) -> None:
        settings = self.retro.settings
        self.workout = Workout(self.plan, settings.clock)
        self.narrator = Narrator(self.plan, self.retro.config.workout.cue_seconds, LATE_SIGNAL_S)
        self.started_wall = settings.wall_clock()
        self.workout.start()
        self.session_id = new_session_id(self.started_wall)
        self.tick()

    # -- the clock -------------------------------------------------------------------------

    def tick(self) -> None:
        """Poll the engine, react to what fell due, redraw, and sleep until the next change."""
        workout = self.workout
        if workout is None:
            return
        due = workout.poll()
        for event in due:
            self.handle(event)
        self.narrate(due)
        self.warn_if_journal_failed()
        if workout.is_over:
            return
        self.redraw()
        self._schedule()

    def _schedule(self) -> None:
        workout = self.workout
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if workout is None or workout.status is not Status.RUNNING:
            return
        remaining = workout.remaining_s
        to_next_second = remaining - math.floor(remaining) or 1.0
        to_next_cue = seconds_to_next_cue(
            workout.step_elapsed_s, self.retro.config.workout.cue_seconds
        )
        wakes = [to_next_second, to_next_cue]
        if self.speaking and self.narrator is not None:
            to_halfway = self.narrator.seconds_to_halfway(workout)
            wakes += [] if to_halfway is None else [to_halfway]
        # Wake just after the boundary, so the digits already read the new second.
        delay = min(wakes) + 0.004
        self._timer = self.set_timer(delay, self.tick)

    def handle(self, event: Event) -> None:
        workout = self.workout
        assert workout is not None
        now = self.retro.settings.clock()
        on_time = now - event.at < LATE_SIGNAL_S
        if isinstance(event, Countdown):
            if on_time:
                self.signal()
        elif isinstance(event, StepStarted):
            # After a stall (a sleeping laptop) only the step that is current now
            # rings: a burst of stale bells would say nothing.
            if on_time or event.index == workout.index:
                self.signal()
                self.flash()
        elif isinstance(event, StepEnded):
            self.write_journal()
        elif isinstance(event, RatingDue):
            self.refresh_bindings()  # the rating keys appear in the footer
        elif isinstance(event, WorkoutEnded):
            self.signal()
            self.show_summary()

    def signal(self) -> None:
        if self.retro.config.sound.mode != "off" and not self.muted:
            self.app.bell()

    @property
    def speaking(self) -> bool:
        """Whether the workout speaks now: voice mode, and not muted."""
        return self.retro.config.sound.mode == "voice" and not self.muted

    def narrate(self, due: list[Event]) -> None:
        """Say what fell due (a step change, the 3-2-1, a cue, ...) without waiting for it."""
        workout = self.workout
        if workout is None or self.narrator is None or self.retro.config.sound.mode != "voice":
            return  # no voice this workout: nothing to follow (settings change between workouts)
        # The narrator follows the workout even when muted, so unmuting says nothing stale.
        said = self.narrator.utterance(workout, due, self.retro.settings.clock())
        if not self.speaking:
            return
        if said:
            self.retro.voice().say(said)
        elif workout.is_over:
            self.retro.voice().stop()

    def flash(self) -> None:
        if not self.retro.config.workout.flash:
            return
        # Classes go on the few widgets they change, not on the screen: restyling
        # the whole screen at every step change would delay the new step's frame.
        flashing = self.query("#direction, #countdown")
        flashing.add_class("-flash")
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_S, lambda: flashing.remove_class("-flash"))

    # -- drawing ---------------------------------------------------------------------------

    def show(self, widget_id: str, text: Text, *, one_line: bool = False) -> None:
        """Update a Static only when what it shows changes.

        ``one_line`` widgets keep their size, so they skip the new layout an
        update otherwise costs (the "time left" changes every second).
        """
        if self._shown.get(widget_id) == text:
            return
        self._shown[widget_id] = text
        self.query_one(f"#{widget_id}", Static).update(text, layout=not one_line)

    def redraw(self) -> None:
        workout = self.workout
        assert workout is not None
        plan, step, index = self.plan, workout.step, workout.index
        paused = workout.status is Status.PAUSED

        banner = self.query_one("#direction", BigWord)
        banner.set_class(step.is_backward, "-backward")
        banner.set_class(not step.is_backward, "-forward")
        banner.set_class(paused, "-paused")
        banner.word = "PAUSED" if paused else ("BACKWARD" if step.is_backward else "FORWARD")

        label = plan.position_label(index)
        title = Text(label, style="bold")
        for number, of in step.origin.rounds:
            if not label.endswith(f" {number} of {of}"):  # don't say "1 of 3" twice
                title.append(f" · round {number} of {of}")
        title.append(f" · step {index + 1} of {len(plan.steps)}", style="dim")
        if self.muted:
            title.append(" · muted", style="bold")
        self.show("title", title, one_line=True)

        countdown = format_clock(workout.remaining_s)
        digits = self.query_one("#countdown", Digits)
        if digits.value != countdown:
            digits.update(countdown)

        speed = self.query_one("#speed", Digits)
        speed_value = f"{step.speed:.1f}" if step.speed is not None else ""
        if speed.value != speed_value:
            speed.update(speed_value)
        speed.display = bool(speed_value)
        targets = Text()
        targets.append(plan.units.label if speed_value else "your own pace", style="bold")
        if step.incline:
            targets.append(f"\n{step.incline:g} % incline", style="bold")
        if step.target_rpe is not None:
            targets.append(f"\neffort about {rpe_label(step.target_rpe)}")
        self.show("targets", targets)

        self.query_one("#step-progress", Meter).set_progress(
            workout.step_elapsed_s, workout.step_length_s
        )

        if paused:
            cue = Text("Paused: press space to go on", style="bold")
        else:
            period = self.retro.config.workout.cue_seconds
            cue = Text(cue_at(plan, step, workout.step_elapsed_s, period))
        self.show("cue", cue)

        following = workout.next_step
        soon = workout.remaining_s <= SOON_S and following is not None
        if following is None:
            next_text = Text("Next: done!")
        else:
            turn = " (turn around)" if following.is_backward != step.is_backward else ""
            label = "Get ready: " if soon else "Next: "
            next_text = Text(f"{label}{step_summary(plan, following)}{turn}")
        self.show("next", next_text)
        self.query_one("#next", Static).set_class(soon, "-soon")

        self.show("rating", self.rating_prompt())
        self.query_one("#total-progress", Meter).set_progress(
            plan.total_s - workout.total_remaining_s, plan.total_s
        )
        left = Text(f"{format_clock(workout.total_remaining_s)} left")
        self.show("total-left", left, one_line=len(left) == len(self._shown.get("total-left", "")))

    def rating_prompt(self) -> Text:
        workout = self.workout
        assert workout is not None
        self._prompt_run = workout.rating_run
        if workout.rating_run is None:
            return Text("")
        run = workout.runs[workout.rating_run]
        # Name the interval: the prompt can outlast the step right after it.
        name = self.plan.position_label(run.index)
        if run.rpe is None:
            return Text.assemble(
                (f"How hard was {name}? ", "bold"),
                ("0-9", "bold reverse"),
                ", ",
                (TEN_KEY, "bold reverse"),
                " = 10\n",
                (scale_line(), "dim"),
            )
        return Text.assemble(
            (f"{name}: you rated it ", "bold"),
            (rpe_label(run.rpe), "bold reverse"),
            ". Another number changes it.",
        )

    # -- keys ------------------------------------------------------------------------------

    def _command(self, name: str, *args: float) -> None:
        workout = self.workout
        if workout is None or not workout.is_active or self._ending:
            return
        try:
            getattr(workout, name)(*args)
        except WorkoutError:
            return  # the workout ended on this very tick; the summary is on its way
        self.tick()

    def action_pause(self) -> None:
        self._command("pause")
        self.refresh_bindings()

    def action_resume(self) -> None:
        self._command("resume")
        self.refresh_bindings()

    def action_skip(self) -> None:
        self._command("skip")

    def action_back(self) -> None:
        self._command("back")

    def action_adjust(self, sign: int) -> None:
        self._command("adjust", sign * ADJUST_S)

    def action_mute(self) -> None:
        self.muted = True
        if self.retro.config.sound.mode == "voice":
            self.retro.voice().stop()
        self._sound_changed()

    def action_unmute(self) -> None:
        self.muted = False
        self._sound_changed()

    def _sound_changed(self) -> None:
        self.refresh_bindings()
        if self.workout is not None and self.workout.is_active:
            self.redraw()
            self._schedule()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The rating keys show in the footer only while a rating can be given.
        workout = self.workout
        if action == "rate":
            return workout is not None and workout.rating_run is not None
        # One key, space, with the footer saying what it will do now.
        if action == "pause":
            return workout is None or workout.status is not Status.PAUSED
        if action == "resume":
            return workout is not None and workout.status is Status.PAUSED
        # One key, m, for the sound; nothing to mute when sound is off.
        if action in ("mute", "unmute"):
            has_sound = self.retro.config.sound.mode != "off"
            return has_sound and self.muted == (action == "unmute")
        return True

    def action_rate(self, value: int) -> None:
        workout = self.workout
        if workout is None or self._prompt_run is None:
            return
        # Rate the interval the prompt on screen names, even if another just ended.
        workout.rate(value, run=self._prompt_run)
        self.write_journal()
        self.redraw()

    def quit_requested(self) -> None:
        """ctrl+q must not drop a workout on the floor: it asks, like q."""
        self.action_end()

    def action_end(self) -> None:
        from retro_tui.tui.dialogs.confirm_end import ConfirmEndDialog, EndChoice

        def decided(choice: EndChoice | None) -> None:
            if choice is EndChoice.END:
                self._command("abort")
            elif choice is EndChoice.PAUSE:
                self._command("pause")

        if self.workout is not None and self.workout.is_active and not self._ending:
            self.app.push_screen(ConfirmEndDialog(), decided)

    # -- the end -------------------------------------------------------------------------

    def snapshot(self) -> SessionRecord:
        workout = self.workout
        assert workout is not None and self.started_wall is not None
        return build_session(
            workout,
            session_id=self.session_id,
            started=self.started_wall,
            ended=self.retro.settings.wall_clock(),
            athlete=self.retro.athlete,
            program=self.program,
        )

    def warn_if_journal_failed(self) -> None:
        """One notice (not one per step) if the crash journal can't be written."""
        error = self.retro.journal.error
        if error is None or self._journal_warned:
            return
        self._journal_warned = True
        self.notify(
            f"Can't keep a crash copy of this workout ({error}); it is still saved at the end.",
            title="No crash journal",
            severity="warning",
            timeout=10,
            markup=False,
        )

    def write_journal(self) -> None:
        if self.workout is not None and self.workout.runs:
            self.retro.journal.submit(self.snapshot())

    def show_summary(self) -> None:
        """The workout is over: replace this screen with the summary."""
        from retro_tui.tui.screens.summary import SummaryScreen

        if self._ending:
            return
        self._ending = True
        if self._timer is not None:
            self._timer.stop()
        self.write_journal()
        workout = self.workout
        assert workout is not None
        summary = SummaryScreen(workout, self.snapshot())
        if self.app.screen is not self:
            # A question left open (the end-early dialog) or the help has nothing left to say.
            # Popping them is queued, so the switch queues behind it: switched now, it would
            # replace the dialog and the queued pop would then take the summary away.
            self.pop_until_active()
            self.app.call_later(self.app.switch_screen, summary)
            return
        self.app.switch_screen(summary)

    # -- cut off from outside --------------------------------------------------------------

    @on(events.Unmount)
    def save_if_cut_off(self) -> None:
        """Save a workout still running when the screen is taken down, as ended early.

        That only happens when the app is stopped from outside: the browser tab
        of ``retro-tui serve`` closed or its connection lost (textual-serve then
        tells the app to quit), a SIGTERM, or a crash. There is no summary to
        show, so what was done is saved here and now, on the way out, rather
        than in a worker the exiting app would not wait for. If it can't be
        saved, the crash journal keeps it for the next start.
        """
        workout = self.workout
        if workout is None or self._ending or not workout.is_active:
            return
        self._ending = True
        # WorkoutError: the last step ran out at this very moment; it is saved as completed.
        with contextlib.suppress(WorkoutError):
            workout.abort()
        if not workout.runs:
            return  # closed within the first moments: nothing was done
        session = self.snapshot()
        try:
            self.retro.save(session)
        except OSError:
            self.retro.journal.submit(session)
            self.retro.journal.flush()
