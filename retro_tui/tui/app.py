"""The Textual application: shared settings and services, and the screen flow.

Flow: the plan library is the base screen. Starting a plan shows the safety
check (unless turned off), then the workout screen; when the workout ends the
summary replaces it, and closing the summary returns to the library.
Everything that touches files (history, journal) goes through the domain
packages, in worker threads, never in a screen's own code.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding

from retro_tui import paths
from retro_tui.coach.paces import RacePaces, parse_race_time
from retro_tui.config import (
    DEFAULT_THEME,
    Config,
    ConfigResult,
    ConfigWriteError,
    configured_history,
    configured_plans,
    load_config,
    update_config,
)
from retro_tui.history.journal import JournalWriter
from retro_tui.history.log import LogProblem, SaveResult, check_log, save_session
from retro_tui.history.reader import read_history
from retro_tui.history.record import ProgramSlot, SessionRecord
from retro_tui.plan.catalog import PlanEntry, ProgramEntry, iter_entries
from retro_tui.plan.folders import is_dir, zwo_files
from retro_tui.plan.model import Plan, Units
from retro_tui.tui.themes import apply_theme, register_themes
from retro_tui.voice import Voice, find_voice_command
from retro_tui.workout.engine import Clock

if TYPE_CHECKING:
    from retro_tui.devices.link import DeviceHub


def local_now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


@dataclass
class AppSettings:
    """Everything the app needs from the outside, so tests can hand in fakes."""

    user_plans: Path = field(default_factory=paths.user_plans_dir)
    """The user's own plans folder; listed when it exists."""
    extra_plans: list[Path] = field(default_factory=list)
    """Files and folders named on the command line; listed (with an error if missing)."""
    history_path: Path = field(default_factory=paths.history_path)
    exports: Path = field(default_factory=paths.exports_dir)
    """Where the history screen's x puts a session's FIT and TCX files."""
    config: Config = field(default_factory=Config)
    config_path: Path | None = None
    """Where settings changed in the app (the athlete) are written; None: nowhere."""
    config_problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    start_plan: Plan | None = None
    clock: Clock = time.monotonic
    wall_clock: Callable[[], datetime] = local_now
    make_devices: Callable[[Config], DeviceHub | None] = field(
        default=lambda config: devices_from(config)
    )
    """The treadmill, strap and foot pod the settings name (tests hand in a virtual radio)."""


def devices_from(config: Config) -> DeviceHub | None:
    """A hub for the devices ``[devices]`` names, on the backend it (or the environment) picks."""
    from retro_tui.devices.link import DeviceHub
    from retro_tui.devices.radio import chosen_backend, make_radio

    devices = config.devices
    if not devices.any:
        return None
    return DeviceHub(
        make_radio(chosen_backend(devices.backend)),
        treadmill=devices.treadmill,
        heart_rate=devices.heart_rate,
        foot_pod=devices.foot_pod,
        control=devices.control == "auto",
    )


KEY_WAIT_S = 0.01
"""How often keys typed while a screen opens look again whether it is there."""
DEVICES_CLOSE_S = 2.0
"""How long closing the Bluetooth links may hold up the exit."""
SERVER_CHECK_S = 2.0
"""How often an app in a browser tab checks that its server is still there."""
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def served_in_a_browser() -> bool:
    """Whether this app runs for a browser tab of ``retro-tui serve`` (textual-serve says so)."""
    return os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


class RetroApp(App[int]):
    """retro-tui's app. Build it with :func:`make_app`."""

    HELP_KEYS = {
        "quit": "Quit retro-tui (during a workout it asks first)",
        "help": "This help",
    }
    """Fuller words for the help screen than the footer's, by action."""

    TITLE = "retro-tui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        # A priority, so it works over dialogs too; a text field still types "?".
        Binding("question_mark", "help", "Help", show=False, priority=True),
    ]

    def __init__(self, settings: AppSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        self.journal = JournalWriter(self.settings.history_path)
        self.athlete = self.settings.config.athlete.name
        self.sessions_read: list[SessionRecord] | None = None
        """The history as last read by :meth:`load_sessions`; ``None`` before that."""
        """Who is training now; stamped on every session."""
        self._voice: Voice | None = None
        self._held_keys: list[events.Key] = []
        """Keys typed while the screen on top was still opening (see ``on_event``)."""
        self.started_config = self.settings.config
        """The settings as the app started with them: what the history log in use came from."""
        self.devices: DeviceHub | None = None
        """The treadmill and sensors, connecting in the background from the start."""
        register_themes(self)

    @property
    def config(self) -> Config:
        return self.settings.config

    @property
    def history_path(self) -> Path:
        return self.settings.history_path

    def voice(self) -> Voice:
        """The one text-to-speech voice every workout speaks with, started on first use."""
        if self._voice is None:
            command = find_voice_command(self.config.sound.voice_command)
            self._voice = Voice(command, on_failure=self._voice_failed)
        return self._voice

    def reset_voice(self) -> None:
        """Let the next workout start a new voice, with the settings' voice command as it is now."""
        if self._voice is not None:
            self._voice.close()
            self._voice = None

    def _voice_failed(self, problem: str) -> None:
        # Called from the voice's own thread: call_later only posts a message (thread-safe)
        # and never waits on the app, which may be closing the voice at that moment.
        self.call_later(
            self.notify, problem, title="No voice", severity="warning", timeout=20, markup=False
        )

    async def on_unmount(self) -> None:
        if self._voice is not None:
            self._voice.close()  # no speech program outlives the app
        self.journal.close()
        if self.devices is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.devices.close(), DEVICES_CLOSE_S)

    def start_devices(self) -> None:
        """Connect to the configured devices in the background; a problem is said, not raised."""
        try:
            self.devices = self.settings.make_devices(self.config)
        except Exception as error:  # a backend that can't even be built (no Bluetooth stack)
            self.notify(f"No Bluetooth: {error}", title="Devices", severity="warning", markup=False)
            return
        if self.devices is not None:
            self.devices.start()

    def plan_entries(self) -> Iterator[PlanEntry | ProgramEntry]:
        """Every plan and program to list, bundled first, loaded one by one as it is asked for
        (blocking: iterate it in a worker thread)."""
        user = self.settings.user_plans
        try:
            folders = [user] if user.exists() else []
        except OSError:
            folders = [user]  # can't even look: listed with its error
        folders += self.settings.extra_plans
        yield from iter_entries(folders, bundled=paths.bundled_plans_dir())
        # Zwift workouts dropped into a plans folder, made into plans as they are listed;
        # their readers are loaded only when there is one.
        zwo = [path for folder in folders if is_dir(folder) for path in zwo_files(folder)]
        if not zwo:
            return
        from retro_tui.interchange.converted import converted_entries

        yield from converted_entries(
            zwo, units=Units(self.config.display.units), paces=self.race_paces()
        )

    def race_paces(self) -> RacePaces | None:
        """The athlete's race paces from ``[athlete] time_5k``, if it is set."""
        time_5k = self.config.athlete.time_5k
        return RacePaces(parse_race_time(time_5k)) if time_5k else None

    def load_plans(self) -> list[PlanEntry | ProgramEntry]:
        """Every plan and program to list (blocking: call it from a worker thread)."""
        return list(self.plan_entries())

    def load_sessions(self) -> list[SessionRecord]:
        """Every readable session in the history (blocking: call it from a worker thread).

        The list is also kept as :attr:`sessions_read`, so the summary can read the weeks
        behind a suggestion without reading the log again.
        """
        sessions = list(read_history(self.history_path).sessions)
        self.sessions_read = sessions
        return sessions

    def on_mount(self) -> None:
        from retro_tui.tui.screens.library import LibraryScreen

        self.apply_configured_theme()
        self.push_screen(LibraryScreen())
        for notice in self.settings.notices:
            self.notify(notice, title="Recovered", timeout=15, markup=False)
        for problem in self.settings.config_problems:
            self.notify(problem, title="Settings", severity="warning", timeout=15, markup=False)
        self.run_worker(self._check_log, thread=True, name="check-log", exit_on_error=False)
        self.start_devices()
        if served_in_a_browser():
            self.watch_server()
        if self.settings.start_plan is not None:
            self.start_workout(self.settings.start_plan)

    def watch_server(self) -> None:
        """End (saving a workout in progress) soon after the server that started us is gone.

        ``retro-tui serve`` starts each tab's app as its own child. When the server
        dies, even by ``kill -9``, the app is handed to another parent: its parent
        process id changes. Nothing else tells it (its pipes may just go quiet), and
        an app left running would hold its workout's journal from the next start.
        """
        server = os.getppid()

        def check() -> None:
            if os.getppid() != server:
                self.exit(return_code=1)  # no message: nobody reads the dead server's pipe

        self.set_interval(SERVER_CHECK_S, check, name="watch-server")

    def apply_configured_theme(self) -> None:
        """Show the app in ``[display] theme``; an unknown name is reported and the default used."""
        display = self.config.display
        problem = apply_theme(self, display.theme, self.settings.config_path)
        if problem is not None:
            self.settings.config_problems.append(str(problem))
            self.settings.config = replace(
                self.config, display=replace(display, theme=DEFAULT_THEME)
            )

    def _check_log(self) -> None:
        problem = check_log(self.history_path)
        if problem is not None:
            self.call_from_thread(self._report_log_problem, problem)

    def _report_log_problem(self, problem: LogProblem) -> None:
        self.notify(
            f"{problem}\nIt will not be changed; new sessions go to a rescue file beside it.",
            title="History log is damaged",
            severity="warning",
            timeout=20,
            markup=False,
        )

    async def on_event(self, event: events.Event) -> None:
        """Keys act on the screen on top when they arrive, one after another.

        Textual hands a key that no priority binding takes to the focused widget's
        queue and runs the screen's binding when the key comes back up. A second key
        pressed before that (``q`` then ``y`` within a few milliseconds, keys typed
        while a dialog opens) was already queued for the screen beneath the dialog the
        first key opened, and was lost there or did that screen's work. So a key whose
        binding is known now (the screen is mounted, and the focused widget does not
        take the key itself, as a text field does) is acted on here and now, in the
        order keys arrive; any other key goes Textual's usual way.
        """
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._held_keys or not self.screen.is_mounted:
                # The screen on top is still opening: keys wait for it, in their order (a
                # key sent on ahead would reach it after the ones that waited).
                self._held_keys.append(event)
                if len(self._held_keys) == 1:
                    self.set_timer(KEY_WAIT_S, self._release_keys)
                return
            if await self._act_on_key(event):
                return
        await super().on_event(event)

    async def _act_on_key(self, event: events.Key) -> bool:
        """Run the binding of the screen on top for ``event`` now, if it has one."""
        active = self.screen.active_bindings.get(event.key)
        if active is None or not active.enabled:
            return False
        self.app_focus = True
        return bool(await self.run_action(active.binding.action, active.node))

    async def _release_keys(self) -> None:
        """Give the keys that waited to the screen on top, once it is there, in order."""
        while self._held_keys:
            if not self.screen.is_mounted:
                self.set_timer(KEY_WAIT_S, self._release_keys)
                return
            key = self._held_keys.pop(0)
            if not await self._act_on_key(key):
                await super().on_event(key)

    def action_help(self) -> None:
        """?: the keys of the screen on top and what it is for; ? again closes it."""
        from retro_tui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        """ctrl+q: a screen holding unsaved work gets a say before the app exits."""
        from retro_tui.tui.screens.base import RetroDialog, RetroScreen

        screen = self.screen
        if isinstance(screen, RetroScreen | RetroDialog):
            screen.quit_requested()
        else:
            self.exit()

    def start_workout(
        self, plan: Plan, program: ProgramSlot | None = None, warnings: Sequence[str] = ()
    ) -> None:
        """Show the safety check (if on), then run ``plan`` (as a program session, if given).

        ``warnings``: what doing it today does to the athlete's load, said in the safety
        check; they never stop the session.
        """
        from retro_tui.tui.dialogs.preflight import PreflightDialog
        from retro_tui.tui.screens.workout import WorkoutScreen

        def begin(confirmed: bool | None) -> None:
            if confirmed:
                self.push_screen(WorkoutScreen(plan, program))

        if self.config.workout.preflight:
            self.push_screen(PreflightDialog(plan, warnings), begin)
        else:
            begin(True)

    def choose_athlete(self, name: str, body_mass_kg: float | None = None) -> str | None:
        """Make ``name`` the athlete of the next sessions and remember it in the settings.

        Returns a problem to show if the settings file could not be changed; the
        choice still holds for as long as the app runs.
        """
        self.athlete = name.strip()
        updates: dict[tuple[str | int, ...], object] = {("athlete", "name"): self.athlete or None}
        config = self.config
        if body_mass_kg is not None and self.athlete:
            key = config.athlete_key(self.athlete)
            updates[("athletes", key, "body_mass_kg")] = body_mass_kg
            config = config.with_athlete(key, body_mass_kg=body_mass_kg)
        self.settings.config = replace(config, athlete=replace(config.athlete, name=self.athlete))
        return self._write_settings(updates)

    def remember_heart_rates(
        self, name: str, *, max_heart_rate: int | None, resting_heart_rate: int | None
    ) -> str | None:
        """Keep the heart rates given (``None``: leave as it is) in ``name``'s own entry of
        ``[athletes]``, for their zones; returns a problem to show if the file could not be
        changed (the rates still hold for as long as the app runs)."""
        given = {"max_heart_rate": max_heart_rate, "resting_heart_rate": resting_heart_rate}
        given = {rate: bpm for rate, bpm in given.items() if bpm is not None}
        if not name.strip() or not given:
            return None
        key = self.config.athlete_key(name)
        self.settings.config = self.config.with_athlete(key, **given)
        return self._write_settings({("athletes", key, rate): bpm for rate, bpm in given.items()})

    def _write_settings(self, updates: Mapping[tuple[str | int, ...], object]) -> str | None:
        if self.settings.config_path is None:
            return None
        try:
            update_config(self.settings.config_path, updates)
        except ConfigWriteError as error:
            return str(error)
        return None

    async def use_devices(self, choice: dict[str, str]) -> str | None:
        """Connect to the devices ``choice`` names (``[devices]`` keys) from now on, and
        remember them in the settings.

        Returns a problem to show if the settings file could not be changed; the choice
        still holds for as long as the app runs.
        """
        devices = self.config.devices
        devices = replace(
            devices,
            treadmill=choice.get("treadmill", devices.treadmill),
            heart_rate=choice.get("heart_rate", devices.heart_rate),
            foot_pod=choice.get("foot_pod", devices.foot_pod),
        )
        self.settings.config = replace(self.config, devices=devices)
        if self.devices is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.devices.close(), DEVICES_CLOSE_S)
            self.devices = None
        self.start_devices()
        if self.settings.config_path is None:
            return None
        try:
            update_config(
                self.settings.config_path,
                {("devices", key): value for key, value in choice.items()},
            )
        except ConfigWriteError as error:
            return str(error)
        return None

    def body_mass(self, athlete: str) -> float | None:
        return self.config.body_mass_for(athlete)

    def save(self, session: SessionRecord) -> SaveResult:
        """Append ``session`` to the history (blocking: call from a worker thread)."""
        result = save_session(self.history_path, session)
        self.journal.discard(session.id)
        return result


def make_app(
    extra_plans: Sequence[Path] = (),
    *,
    history: Path | None = None,
    config: Path | None = None,
    start_plan: Plan | None = None,
    notices: Sequence[str] = (),
    clock: Clock | None = None,
    wall_clock: Callable[[], datetime] | None = None,
    loaded: ConfigResult | None = None,
) -> RetroApp:
    """Build the Textual app. Shared by the command line, tests and benchmarks.

    ``loaded`` is the settings already read from ``config`` (the command line
    reads them first to find the history log); without it they are read here.
    """
    config_file = config or paths.config_path()
    if loaded is None:
        loaded = load_config(config_file)
    settings = AppSettings(
        extra_plans=[*configured_plans(loaded.config, config_file), *extra_plans],
        history_path=history or configured_history(loaded.config, config_file),
        config=loaded.config,
        config_path=config_file,
        config_problems=[str(problem) for problem in loaded.problems],
        notices=list(notices),
        start_plan=start_plan,
    )
    if clock is not None:
        settings.clock = clock
    if wall_clock is not None:
        settings.wall_clock = wall_clock
    return RetroApp(settings)
