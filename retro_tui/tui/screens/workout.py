"""The live workout: countdown, direction, targets, cues, signals and effort ratings.

Built for someone moving backward on a belt, a couple of metres away: the
direction in block letters, the countdown in big digits, every key a single
press. The screen owns a :class:`Workout` engine and only ever *asks* it what
time it is: a timer wakes the screen just after each whole second of the
countdown (and at cue changes) to poll the engine and redraw. Nothing here
counts time itself, so a slow redraw can never stretch a step.

The bell and the voice are :mod:`~retro_tui.tui.workout_sound`'s, the journal
and the save :mod:`~retro_tui.tui.workout_recorder`'s.
"""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static

from retro_tui.coach.effort import TEN_KEY
from retro_tui.history.record import ProgramSlot, SessionRecord
from retro_tui.plan.durations import format_clock
from retro_tui.plan.model import Plan
from retro_tui.tui.keys import rating_bindings
from retro_tui.tui.screens.base import RetroScreen, ScreenHelp
from retro_tui.tui.second_ticker import SecondTicker
from retro_tui.tui.widgets.big_text import BigText
from retro_tui.tui.widgets.clock_face import ClockFace
from retro_tui.tui.widgets.key_footer import KeyFooter
from retro_tui.tui.widgets.meter import Meter
from retro_tui.tui.widgets.workout_layout import BigLayout
from retro_tui.tui.workout_devices import WorkoutDevices
from retro_tui.tui.workout_recorder import WorkoutRecorder
from retro_tui.tui.workout_sound import WorkoutSound
from retro_tui.tui.workout_text import (
    RATE_HEADLINE,
    PlanExtents,
    TimedNotice,
    direction_word,
    next_headline,
    next_step_text,
    not_rated_words,
    rating_prompt_text,
    screen_rows,
    speed_digits,
    step_title,
    targets_lines,
    total_left_text,
)
from retro_tui.workout.cues import cue_at, seconds_to_next_cue
from retro_tui.workout.engine import (
    Countdown,
    Event,
    Status,
    StepEnded,
    StepStarted,
    Workout,
    WorkoutEnded,
    WorkoutError,
)

ADJUST_S = 10
FLASH_S = 0.6
LATE_SIGNAL_S = 0.75
"""A 3-2-1 noticed later than this (the laptop slept) is not sounded."""
SOON_S = 10
"""In the last seconds of a step, the next step's target is shown loudly."""
NOTICE_S = 4.0
"""How long a word about a rating key (nothing to rate, interval skipped) stays on screen."""


class WorkoutScreen(RetroScreen[None]):
    """Runs one plan from the first step to the summary."""

    ABOUT = ScreenHelp(
        "Workout",
        "The plan as it runs: the direction in big letters, the time left in this step, "
        "the target speed, a cue, and the next step with its speed so you can set the belt "
        "in time. After a backward interval it asks how hard it was: one key, no need to "
        "stop.",
        keys={
            "pause": "Pause",
            "resume": "Go on after a pause",
            "skip": "Skip to the next step",
            "back": "Back to the previous step",
            "adjust": "Add 10 seconds to this step",
            "end": "End early (asks first; what you did is saved)",
            "mute": "Mute the bells and the voice",
            "unmute": "Sound on again",
            "rate": f"Rate the last backward interval: 0 rest ... {TEN_KEY} maximal",
            "rate_not_now": f"Rate the last backward interval: 0 rest ... {TEN_KEY} maximal",
        },
    )

    # In the order a narrow footer keeps them (it cuts from the right): pause, the rating
    # keys while a rating is asked, end, help; the rest are all in ? help too.
    BINDINGS = [
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),
        *rating_bindings("Rate"),
        # The same keys, with the same label, when there is nothing to rate: a word on screen
        # instead of silence. The footer shows one or the other and never has to change.
        *rating_bindings("Rate", "rate_not_now"),
        Binding("q,escape", "end", "End"),
        # A priority like the app's own "?", which would otherwise take its place in the footer.
        Binding("question_mark", "app.help", "Help", priority=True),
        Binding("n", "skip", "Next"),
        Binding("b", "back", "Back"),
        Binding("m", "mute", "Mute"),
        Binding("m", "unmute", "Unmute"),
        Binding("plus,equals_sign", "adjust(1)", "+10s"),
        Binding("minus,underscore", "adjust(-1)", "-10s"),
    ]
    FOOTER_KEEPS = ("pause", "resume", "rate(0)", "rate_not_now(0)", "end", "app.help")

    def __init__(self, plan: Plan, program: ProgramSlot | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.program = program
        self.workout: Workout | None = None
        self.recorder: WorkoutRecorder | None = None
        """The session as the journal and the log get it, from the first second."""
        self.ticker = SecondTicker(self, self.now, self.tick)
        """Wakes the screen just after each whole second of the countdown."""
        self._flash_timer: Timer | None = None
        self._ending = False
        self._shown: dict[str, Text] = {}
        self._laid_out_for: tuple[object, ...] = ()
        self.extents = PlanExtents.of(plan)
        self._drawn_state: tuple[object, ...] = ()
        """What the last full redraw was for (see :meth:`redraw`)."""
        self.layout_now: BigLayout | None = None
        """How the rows are shared out now (for the help screen, which leaves the clock be)."""
        self.notice = TimedNotice(self.now, NOTICE_S)
        """A word about a rating key, while it lasts."""
        self.sound = WorkoutSound(plan, LATE_SIGNAL_S)
        """The bell and the voice (from the start, with the settings in force then)."""
        self.devices: WorkoutDevices | None = None
        """The treadmill and sensors, when the settings name any."""

    def now(self) -> float:
        """The workout's clock (monotonic; a fake one in tests)."""
        return self.retro.settings.clock()

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # What changes every second (the countdown, the time left in all) is one widget,
        # the clock; the rest is in containers of their own above and below it, so that a
        # frame repaints the clock, not every widget of the screen (Textual paints each
        # widget whose container overlaps a change).
        with Vertical(id="workout-top"):
            yield Static(id="title")
            yield BigText(id="direction")
        yield ClockFace(id="clock")
        with Vertical(id="workout-bottom"):
            yield BigText(id="headline")
            yield Static(id="cue")
            yield Static(id="next")
            yield Static(id="rating")
            yield Static(id="devices")
            yield Meter(id="total-progress")
        yield KeyFooter()

    def on_resize(self) -> None:
        if self.workout is not None:
            self.lay_out()

    def lay_out(self) -> None:
        """Share the rows out between the direction, the clock and a headline (see
        :mod:`~retro_tui.tui.widgets.workout_layout`).

        Worked out for the whole plan, from the longest of each part any step has, so the
        clock keeps its size from step to step and a step change costs no new layout;
        again only when the terminal is resized or a step grows longer than any planned.
        """
        workout = self.workout
        assert workout is not None
        width, height = self.size
        if not width or not height:
            return
        countdown = self.extents.countdown_for(workout.step_length_s)
        key = (width, height, countdown)
        if key == self._laid_out_for:
            return
        self._laid_out_for = key
        rows = screen_rows(width, height, self.extents, countdown, devices=self.devices is not None)
        layout, next_rows, prompt_rows = rows.big, rows.next_rows, rows.prompt_rows
        self.layout_now = layout
        self.query_one("#direction", BigText).fit(layout.banner_rows, layout.banner_scale)
        self.query_one("#clock", ClockFace).fit(layout)
        self.query_one("#next", Static).styles.height = next_rows
        self.query_one("#rating", Static).styles.height = prompt_rows
        headline = self.query_one("#headline", BigText)
        headline.fit(layout.extra_rows, layout.extra_scale)
        headline.display = bool(layout.extra_rows)

    def clock_bottom(self) -> int:
        """The row just below the countdown: what a dialog over this screen leaves visible."""
        return self.query_one("#clock", ClockFace).region.bottom - 1  # the bar may go under

    def on_mount(self) -> None:
        settings = self.retro.settings
        self.workout = Workout(self.plan, settings.clock)
        self.sound.start(self.retro)
        self.recorder = WorkoutRecorder(self.retro, self.program, settings.wall_clock())
        hub = self.retro.devices
        self.query_one("#devices", Static).display = hub is not None
        if hub is not None:
            self.devices = WorkoutDevices(self.retro, hub, self.plan, self.recorder.session_id)
            self.recorder.measure = self.devices.measured
            hub.wake = self.wake_for_devices
        self.workout.start()
        if self.devices is not None:
            self.devices.begin(self.workout, self.now())
        self.write_journal()  # from the first second: a crash in the first step loses nothing
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
        if self.devices is not None and not workout.is_over:
            self.follow_devices(workout)
        if workout.is_active and self.recorder and self.recorder.journal_due(self.now()):
            self.write_journal()
        self.warn_if_journal_failed()
        if workout.is_over:
            return
        self.redraw()
        self._schedule()

    def _schedule(self) -> None:
        """Wake just after each whole second, and for a cue or a "Halfway" in between."""
        workout = self.workout
        if workout is None or workout.status is not Status.RUNNING:
            self.ticker.stop()
            return
        wakes: list[float | None] = [
            seconds_to_next_cue(workout.step_elapsed_s, self.retro.config.workout.cue_seconds)
        ]
        if self.sound.speaking and self.sound.narrator is not None:
            wakes.append(self.sound.narrator.seconds_to_halfway(workout))
        self.ticker.follow(workout.remaining_s, wakes)

    def handle(self, event: Event) -> None:
        workout = self.workout
        assert workout is not None
        now = self.now()
        on_time = now - event.at < LATE_SIGNAL_S
        if isinstance(event, Countdown):
            if on_time:
                self.signal()
        elif isinstance(event, StepStarted):
            if self.devices is not None and event.index == workout.index:
                self.devices.step_started(workout, now)
            # After a stall (a sleeping laptop) only the step that is current now
            # rings: a burst of stale bells would say nothing.
            if on_time or event.index == workout.index:
                self.signal()
                self.flash()
        elif isinstance(event, StepEnded):
            self.write_journal()
        elif isinstance(event, WorkoutEnded):
            if self.devices is not None:
                self.devices.ended()
            self.signal()
            self.show_summary()

    def signal(self) -> None:
        self.sound.bell()

    def wake_for_devices(self) -> None:
        """A device said something (the safety key, a lost link): look at once, not next second."""
        if self.is_attached and not self._ending:
            self.call_next(self.tick)

    def follow_devices(self, workout: Workout) -> None:
        """What the devices report and ask: the safety key pauses the clock, words are said."""
        assert self.devices is not None
        asked = self.devices.follow(workout, self.now())
        if asked is not None:
            self.refresh_bindings()
        if asked == "pause":
            self.signal()
        self.sound.say(self.devices.take_sayings())

    @property
    def muted(self) -> bool:
        """``m`` silences the bell and the voice for the rest of this workout."""
        return self.sound.muted

    def narrate(self, due: list[Event]) -> None:
        """Say what fell due (a step change, the 3-2-1, a cue, ...) without waiting for it."""
        if self.workout is not None:
            self.sound.narrate(self.workout, due, self.now())

    def flash(self) -> None:
        if not self.retro.config.workout.flash:
            return
        # Classes go on the few widgets they change, not on the screen: restyling
        # the whole screen at every step change would delay the new step's frame.
        flashing = self.query("#direction, #clock")
        flashing.add_class("-flash")
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_S, lambda: flashing.remove_class("-flash"))

    # -- drawing ---------------------------------------------------------------------------

    def show(self, widget_id: str, text: Text, *, one_line: bool = False) -> None:
        """Update a Static only when what it shows changes.

        ``one_line`` widgets keep their size (one line, or a fixed height), so they
        skip the new layout an update otherwise costs (the "time left" changes every
        second, the cue every few seconds).
        """
        if self._shown.get(widget_id) == text:
            return
        self._shown[widget_id] = text
        self.query_one(f"#{widget_id}", Static).update(text, layout=not one_line)

    def redraw(self) -> None:
        """Bring the screen up to the engine's state.

        Every second only the clock-like parts move (the countdown, the bars, the time
        left, the cue); the rest is drawn again only when what it depends on changes
        (the step, a pause, the 10-second warning, the rating question, the sound),
        which keeps a frame as small as it can be for the laptop's sake.
        """
        workout = self.workout
        assert workout is not None
        plan, step = self.plan, workout.step
        soon = workout.remaining_s <= SOON_S and workout.next_step is not None
        run = workout.rating_run
        notice = self.notice.text
        state = (
            workout.index,
            workout.status,
            soon,
            self.muted,
            workout.prompt,
            None if run is None else workout.runs[run].rpe,
            notice,
            self.devices is not None and self.devices.lost,
            None if self.devices is None else self.devices.belt_target(),
        )
        if state != self._drawn_state:
            self._drawn_state = state
            self.redraw_step(soon, notice)

        length = workout.step_length_s
        self.query_one("#clock", ClockFace).show_time(
            countdown=format_clock(workout.remaining_s),
            total_left=total_left_text(workout.total_remaining_s),
            progress=workout.step_elapsed_s / length if length > 0 else 1.0,
        )
        if workout.status is not Status.PAUSED:
            period = self.retro.config.workout.cue_seconds
            cue = Text(cue_at(plan, step, workout.step_elapsed_s, period))
            self.show("cue", cue, one_line=True)  # two rows, whatever it says: no new layout
        self.query_one("#total-progress", Meter).set_progress(
            plan.total_s - workout.total_remaining_s, plan.total_s
        )
        if self.devices is not None:
            self.show("devices", self.devices.status_text(self.now()), one_line=True)

    def redraw_step(self, soon: bool, notice: Text | None) -> None:
        """What stays put within a step: direction, title, targets, next, question."""
        workout = self.workout
        assert workout is not None
        plan, step, index = self.plan, workout.step, workout.index
        paused = workout.status is Status.PAUSED
        self.lay_out()

        banner = self.query_one("#direction", BigText)
        banner.set_class(step.is_backward, "-backward")
        banner.set_class(not step.is_backward, "-forward")
        banner.set_class(paused, "-paused")
        banner.text = "PAUSED" if paused else direction_word(step)

        self.show("title", step_title(plan, index, muted=self.muted), one_line=True)

        clock = self.query_one("#clock", ClockFace)
        # While retro-tui ramps the belt up, the big digits follow the belt's target.
        target = self.devices.belt_target() if self.devices is not None else None
        clock.speed = target if target is not None else speed_digits(step)
        clock.lines = tuple(targets_lines(plan, step))
        if paused:
            self.show("cue", Text("Paused: press space to go on", style="bold"), one_line=True)

        following = workout.next_step
        # Its height is set for the step.
        self.show("next", next_step_text(plan, step, following, soon=soon), one_line=True)
        self.query_one("#next", Static).set_class(soon, "-soon")

        self.show("rating", notice if notice is not None else self.rating_prompt(), one_line=True)
        # One headline in block letters, when there is room: the next step in its last
        # seconds (the belt must change), else an open question, else the next step.
        run = workout.rating_run
        asking = run is not None and workout.runs[run].rpe is None and not soon
        headline = self.query_one("#headline", BigText)
        if self.devices is not None and self.devices.lost:
            headline.text = "BELT LOST"
        elif asking:
            headline.text = RATE_HEADLINE
        else:
            headline.text = next_headline(following) if following else ""
        headline.set_class(soon, "-soon")

    def rating_prompt(self) -> Text:
        assert self.workout is not None
        return rating_prompt_text(self.workout, self.plan, self.size.width - 2)

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
        if self.devices is not None:
            self.devices.paused()
        self.refresh_bindings()

    def action_resume(self) -> None:
        self._command("resume")
        if self.devices is not None:
            self.devices.resumed()
        self.refresh_bindings()

    def action_skip(self) -> None:
        self._command("skip")

    def action_back(self) -> None:
        self._command("back")

    def action_adjust(self, sign: int) -> None:
        self._command("adjust", sign * ADJUST_S)

    def action_mute(self) -> None:
        self.sound.mute(True)
        self._sound_changed()

    def action_unmute(self) -> None:
        self.sound.mute(False)
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
        if action == "rate_not_now":
            return workout is not None and workout.rating_run is None
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
        """A digit rates the interval the prompt names: the engine's prompt, brought up to now."""
        workout = self.workout
        if workout is None or self._ending:
            return
        self.tick()  # a prompt that ended a moment ago (the next interval began) is gone now
        run = workout.rating_run
        if run is None or not workout.is_active:
            self.say_not_rated()
            return
        workout.rate(value, run=run)
        self.notice.clear()
        self.write_journal()
        self.redraw()

    def action_rate_not_now(self, value: int) -> None:
        # Which binding took the key was decided before the clock was read: ask again.
        self.action_rate(value)

    def say_not_rated(self) -> None:
        """A rating key with no interval to rate: say why, rather than nothing at all."""
        workout = self.workout
        if workout is None or not workout.is_active or self._ending:
            return
        words = not_rated_words(workout, self.plan)
        self.notice.say(words)
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
                self.action_pause()

        if self.workout is not None and self.workout.is_active and not self._ending:
            self.app.push_screen(ConfirmEndDialog(), decided)

    # -- the end -------------------------------------------------------------------------

    def snapshot(self) -> SessionRecord:
        assert self.workout is not None and self.recorder is not None
        return self.recorder.snapshot(self.workout)

    def warn_if_journal_failed(self) -> None:
        """One notice (not one per step) if the crash journal can't be written."""
        if self.recorder is not None:
            self.recorder.warn_if_journal_failed(self.notify)

    def write_journal(self) -> None:
        """Hand the session so far, the step in progress included, to the journal's thread."""
        if self.workout is not None and self.recorder is not None and not self._ending:
            self.recorder.write_journal(self.workout, self.now())

    def show_summary(self) -> None:
        """The workout is over: replace this screen with the summary."""
        from retro_tui.tui.screens.summary import SummaryScreen

        if self._ending:
            return
        self._ending = True
        self.ticker.stop()
        workout = self.workout
        assert workout is not None
        session = self.snapshot()
        self.retro.journal.submit(session)  # as it ended: the summary adds each answer
        summary = SummaryScreen(workout, session)
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
        if self.devices is not None:
            self.devices.ended()
        if self.recorder is not None:
            self.recorder.save_cut_off(workout)
