"""The treadmill, the strap and the foot pod during one workout.

The workout screen tells this what happened (a step started, space, the end)
and asks it each second what to show; it drives the belt through the app's
:class:`~retro_tui.devices.link.DeviceHub` with a
:class:`~retro_tui.devices.belt.BeltPlanner`, writes a sample a second, and
turns what the machine reports into what the workout must do: the safety key
pulled or the belt stopped on the console pauses the clock at once.

With ``[devices] control = "advise"``, or while the treadmill is out of reach
or refuses control, nothing is sent: the screen shows (and the voice says) the
speed to set, and the clock runs on as a timer.

With a strap and the athlete's heart-rate zones known (their highest heart
rate in the settings), the heart rate is shown with its zone, in the zone's
colour and name; a step's ``target_hr_zone`` left for long enough is said (see
:class:`~retro_tui.coach.zones.TargetZoneWatch`), and the seconds in each zone
go on the session (:class:`~retro_tui.coach.zones.ZoneTimer`). Both follow the
workout's clock, and count only while it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.text import Text

from retro_tui.coach.zones import TargetZoneWatch, ZoneTimer, zone_name, zone_range_label
from retro_tui.devices.belt import BeltPlanner, Say, SetIncline, SetSpeed, speed_words
from retro_tui.devices.events import (
    Connected,
    ConsoleIncline,
    ConsoleSpeed,
    DeviceEvent,
    Lost,
    NoControl,
    Problem,
    Refused,
    SafetyKey,
    StartedOnConsole,
    StoppedOnConsole,
)
from retro_tui.devices.link import DeviceHub
from retro_tui.devices.protocol import DEFAULT_INCLINE_RANGE, DEFAULT_SPEED_RANGE, DeviceKind
from retro_tui.devices.telemetry import Sample, SampleFile, StepFigures, samples_path
from retro_tui.history.record import SessionRecord
from retro_tui.plan.model import Plan, from_kmh
from retro_tui.tui.themes import ZONE_COLOURS
from retro_tui.tui.workout_text import TimedNotice
from retro_tui.workout.engine import Status, Workout

if TYPE_CHECKING:
    from retro_tui.tui.app import RetroApp

SAMPLE_EVERY_S = 1.0
NOTICE_S = 6.0
ZONE_STYLES = {zone: f"bold {colour}" for zone, colour in enumerate(ZONE_COLOURS, start=1)}


@dataclass(frozen=True)
class DeviceAsk:
    """What the devices ask of the workout: ``pause`` or ``resume``, and why."""

    action: str
    why: str


class WorkoutDevices:
    """One workout's link to the devices (see the module docstring)."""

    def __init__(self, app: RetroApp, hub: DeviceHub, plan: Plan, session_id: str) -> None:
        self.app = app
        self.hub = hub
        self.plan = plan
        settings = app.config.devices
        self.zones = app.config.heart_rate_zones_for(app.athlete)
        """The athlete's heart-rate zones as the workout starts; ``None`` if unknown."""
        self.zone_watch = TargetZoneWatch(self.zones) if self.zones is not None else None
        self.zone_timer = ZoneTimer(self.zones) if self.zones is not None else None
        treadmill = hub.treadmill
        self.controls = treadmill is not None and settings.control == "auto"
        self.planner = BeltPlanner(
            plan.units,
            treadmill.speeds if treadmill else DEFAULT_SPEED_RANGE,
            treadmill.inclines if treadmill else DEFAULT_INCLINE_RANGE,
        )
        self.figures = StepFigures(plan.units)
        path = samples_path(app.history_path, session_id)
        self.samples = SampleFile(path)
        self.samples_name = f"{path.parent.name}/{path.name}"
        self.notice = TimedNotice(app.settings.clock, NOTICE_S)
        self.sayings: list[str] = []
        """Words for the voice, taken by the screen after each tick."""
        self._sampled_at: float | None = None
        self._started_at: float | None = None

    @property
    def driving(self) -> bool:
        """Whether retro-tui sets the belt right now."""
        link = self.hub.treadmill
        return self.controls and link is not None and link.connected and link.controlling

    # -- what the workout did --------------------------------------------------------------

    def begin(self, workout: Workout, now: float) -> None:
        """The safety check is done and the first step starts: start the belt."""
        self._started_at = now
        link = self.hub.treadmill
        if link is not None and self.controls:
            self.planner.set_ranges(link.speeds, link.inclines)
            link.start()

    def step_started(self, workout: Workout, now: float) -> None:
        self.figures.begin_run(len(workout.runs))
        self.act(self.planner.start_step(workout.step, now))
        if self.zone_watch is not None:
            self.zone_watch.new_step(workout.step.target_hr_zone)

    def paused(self) -> None:
        if self.zone_watch is not None:
            self.zone_watch.reset()  # standing still, the heart slows: start the wait again
        link = self.hub.treadmill
        if link is not None and self.controls:
            link.pause()

    def resumed(self) -> None:
        link = self.hub.treadmill
        if link is not None and self.controls:
            link.start()
            if self.planner.target_kmh is not None:
                link.set_speed(self.planner.target_kmh)

    def ended(self) -> None:
        """The workout is over (completed or ended early): stop the belt, close the samples."""
        link = self.hub.treadmill
        if link is not None and self.controls:
            link.stop()
        self.samples.close()

    def act(self, actions: list[SetSpeed | SetIncline | Say]) -> None:
        link = self.hub.treadmill
        for action in actions:
            if isinstance(action, SetSpeed):
                if link is not None and self.controls:
                    link.set_speed(action.kmh)
            elif isinstance(action, SetIncline):
                if link is not None and self.controls:
                    link.set_incline(action.pct)
            else:
                self.say(action.text)

    def say(self, words: str) -> None:
        """Words on the devices line for a while, and for the voice."""
        self.sayings.append(words)
        self.notice.say(words)

    def take_sayings(self) -> list[str]:
        """The words for the voice since the last time, taken once."""
        sayings, self.sayings = self.sayings, []
        return sayings

    # -- every tick ------------------------------------------------------------------------

    def tick(self, workout: Workout, now: float) -> list[DeviceAsk]:
        """Events from the devices, the ramp, and a sample when one is due."""
        asks = [ask for event in self.hub.poll() if (ask := self.react(event)) is not None]
        link = self.hub.treadmill
        belt = link.belt if link is not None else None
        running = workout.status is Status.RUNNING
        if link is not None and link.connected:
            self.planner.set_ranges(link.speeds, link.inclines)
        self.act(
            self.planner.update(
                now,
                running=running,
                belt_kmh=belt.speed_kmh if belt else None,
                belt_incline=belt.incline_pct if belt else None,
            )
        )
        if workout.is_active and (
            self._sampled_at is None or now - self._sampled_at >= SAMPLE_EVERY_S - 0.05
        ):
            self._sampled_at = now
            self.sample(workout, now)
        self.follow_heart(running, now)
        return asks

    def follow_heart(self, running: bool, now: float) -> None:
        """Count the time in the heart rate's zone, and say when the step's target is left;
        while paused neither counts (a pause ends the stretch being counted)."""
        bpm = self.hub.heart_rate if running else None
        if self.zone_timer is not None:
            self.zone_timer.observe(now, bpm)
        if self.zone_watch is not None:
            cue = self.zone_watch.observe(now, bpm)
            if cue is not None:
                self.say(cue.text)

    def follow(self, workout: Workout, now: float) -> str | None:
        """:meth:`tick`, then what the devices asked done to the clock: the safety key
        pauses it, clipping it back on lets it go on. Says ``pause`` or ``resume`` when
        the clock did, else ``None``."""
        done = None
        for ask in self.tick(workout, now):
            if ask.action == "pause" and workout.status is Status.RUNNING:
                workout.pause()
                done = "pause"
            elif ask.action == "resume" and workout.status is Status.PAUSED:
                workout.resume()
                done = "resume"
        return done

    def react(self, event: DeviceEvent) -> DeviceAsk | None:
        if isinstance(event, SafetyKey):
            self.say("Safety key off: the belt stopped. Clip it back on, then space")
            return DeviceAsk("pause", "safety key")
        if isinstance(event, StoppedOnConsole):
            self.say("The belt was stopped on the treadmill: space to go on")
            return DeviceAsk("pause", "console")
        if isinstance(event, StartedOnConsole):
            return DeviceAsk("resume", "console")
        if isinstance(event, ConsoleSpeed):
            self.figures.by_hand(event.kmh)
            self.act(self.planner.console_speed(event.kmh))
        elif isinstance(event, ConsoleIncline):
            self.act(self.planner.console_incline(event.pct))
        elif isinstance(event, Lost):
            what = "TREADMILL" if event.kind is DeviceKind.TREADMILL else event.kind.label.upper()
            self.say(f"{what} LOST: reconnecting")
        elif isinstance(event, Connected):
            self.say(f"{event.name} connected")
            link = self.hub.treadmill
            if event.kind is DeviceKind.TREADMILL and link is not None:
                self.planner.set_ranges(link.speeds, link.inclines)
        elif isinstance(event, NoControl):
            self.say(f"Set the belt yourself: {event.reason}")
        elif isinstance(event, Refused):
            self.say(f"The treadmill refused to {event.command}: {event.result}")
        elif isinstance(event, Problem):
            self.say(event.text)
        return None

    def sample(self, workout: Workout, now: float) -> None:
        link = self.hub.treadmill
        belt = link.belt if link is not None else None
        sample = Sample(
            time=self.app.settings.wall_clock(),
            elapsed_s=round(now - (self._started_at if self._started_at is not None else now), 2),
            step=workout.index + 1,
            speed_kmh=belt.speed_kmh if belt else None,
            incline_pct=belt.incline_pct if belt else None,
            distance_m=float(belt.distance_m) if belt and belt.distance_m is not None else None,
            heart_rate_bpm=self.hub.heart_rate,
            cadence_spm=self.hub.cadence,
        )
        self.figures.add(sample)
        if sample.has_readings:
            self.samples.add(sample)

    # -- what the session keeps ------------------------------------------------------------

    def measured(self, session: SessionRecord) -> SessionRecord:
        """``session`` with each step's figures, and the samples file once it has rows."""
        steps = tuple(
            replace(step, **self.figures.of(number)) for number, step in enumerate(session.steps)
        )
        samples = self.samples_name if self.samples.rows else ""
        zone_seconds = self.zone_timer.seconds if self.zone_timer is not None else None
        return replace(session, steps=steps, samples=samples, heart_rate_zone_s=zone_seconds)

    # -- what the screen shows -------------------------------------------------------------

    def status_text(self, now: float) -> Text:
        """One line: the belt's real speed by the target, the heart rate, the distance."""
        units = self.plan.units
        text = Text()
        link = self.hub.treadmill
        if link is not None:
            belt = link.belt
            target = self.planner.target_kmh
            if not link.connected:
                text.append(" TREADMILL LOST ", style="bold reverse red")
                if target is not None:
                    text.append(
                        f"  set {speed_words(target, units)} {units.label} yourself", style="bold"
                    )
            else:
                speed = (
                    f"{from_kmh(belt.speed_kmh, units):.1f}"
                    if belt and belt.speed_kmh is not None
                    else "--"
                )
                text.append("Belt ", style="bold")
                text.append(speed, style="bold reverse")
                if target is not None:
                    text.append(f" of {speed_words(target, units)} {units.label}", style="bold")
                if not self.driving and target is not None:
                    text.append("  set it yourself", style="bold yellow")
                if belt is not None and belt.distance_m is not None:
                    text.append(f"   {belt.distance_m / 1000:.2f} km", style="bold")
        heart = self.hub.heart
        if heart is not None:
            bpm = self.hub.heart_rate
            text.append("   ♥ ", style="bold red1")
            if bpm is None:
                text.append("--" if heart.connected else "strap lost", style="bold")
            elif (zone := self.zones.zone(bpm) if self.zones is not None else None) is None:
                text.append(f"{bpm}", style="bold")
            else:
                # A block of the zone's colour with its number and name: readable from the belt
                # by its colour alone, and by its words for anyone who can't tell the colours.
                text.append(
                    f" {bpm}  Z{zone} {zone_name(zone)} ", style=f"{ZONE_STYLES[zone]} reverse"
                )
                text.append_text(self.target_text())
        notice = self.notice.text
        if notice is not None:
            return Text.assemble(notice, "\n", text)
        return text

    def target_text(self) -> Text:
        """``  aim Z2``: the step's target zone; ``  ▲ aim Z2`` once it has been left too long."""
        watch = self.zone_watch
        if watch is None or watch.target is None:
            return Text()
        off = {"high": "▲ ", "low": "▼ "}.get(watch.off_target or "", "")
        aim = zone_range_label(watch.target)
        return Text(f"  {off}aim {aim}", style="bold yellow" if off else "bold")

    def belt_target(self) -> str | None:
        """The speed the belt is set to now, as the plan writes speeds, while retro-tui sets it."""
        target = self.planner.target_kmh
        if not self.driving or target is None:
            return None
        return speed_words(target, self.plan.units)

    @property
    def lost(self) -> bool:
        link = self.hub.treadmill
        return link is not None and link.ever_connected and not link.connected
