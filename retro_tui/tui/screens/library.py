"""The plan library: every program and plan found, a preview of the highlighted one.

Programs come first, then a line, then the plans A to Z by the name shown, so
a plan is where a reader looks for it whichever folder it came from. Plans and
programs that fail to load are listed with their error and previewed with
every problem, so a typo in a user's file is visible instead of the file
vanishing. Enter starts a plan, or a program's next session.

The cursor starts on the plan (or program) the current athlete ran last, from
the history; on a first run, on the bundled starter plan.

The line at the top says who is training (``a`` changes it) and, for the
program that athlete ran last, which session is next (``p`` starts it). The
program's progress is worked out from the history log, read in a worker.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from retro_tui.coach.fitness import athletes_sessions, session_warnings
from retro_tui.coach.programs import ProgramProgress, next_session, restart, slot_for
from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import athlete_key
from retro_tui.plan.catalog import PlanEntry, ProgramEntry
from retro_tui.plan.model import Plan, Units
from retro_tui.tui.library_entries import (
    Entry,
    entry_label,
    last_run_index,
    latest_program,
    library_order,
    program_entries,
    program_label,
    same_file,
    starter_index,
)
from retro_tui.tui.plan_files import (
    convert_to_edit,
    copy_to_edit,
    edit_in_terminal,
    write_new_plan,
)
from retro_tui.tui.screens.base import RetroScreen, ScreenHelp
from retro_tui.tui.widgets.key_footer import KeyFooter
from retro_tui.tui.widgets.plan_preview import plan_preview
from retro_tui.tui.widgets.program_preview import program_preview

SHOW_LOADED_EVERY_S = 1.0
"""While plans load, how often the list shows those loaded so far: a folder of plans
loads well within it, so the list is shown once; a slow or broken file holds the others
back no longer than this."""


class LibraryScreen(RetroScreen[None]):
    """Lists the plans; Enter starts the highlighted one, e edits it, n writes a new one."""

    ABOUT = ScreenHelp(
        "Plans",
        "Your plans and programs, with a preview of the highlighted one: every step with "
        "its direction, time and speed, and the totals. ↑ ↓ choose one, Enter starts it "
        "(after a short safety check). ★ marks your own plans, ▦ a program of several weeks.",
        keys={
            "start": "Start the highlighted plan, or a program's next session",
            "program": "Start the next session of the program you are on",
            "athlete": "Choose who is training",
            "devices": "Choose the treadmill, heart-rate strap and foot pod",
            "edit": "Edit the highlighted plan in your editor",
            "new_plan": "Write a new plan and edit it",
            "history": "Your history of sessions",
            "reload": "Read the plans again",
            "restart_program": "Start the highlighted program again from week 1",
            "choose_session": "Choose any session of the highlighted program",
            "program_calendar": "The highlighted program's weeks on a calendar: planned "
            "against done",
        },
    )

    TITLE = "Plans"
    BINDINGS = [
        Binding("enter", "start", "Start", priority=True),
        # a and p are on the status line at the top, with what they will do: the footer
        # keeps its room for the rest.
        Binding("p", "program", "Next session", show=False),
        Binding("a", "athlete", "Athlete", show=False),
        Binding("d", "devices", "Devices", show=False),
        Binding("e", "edit", "Edit"),
        Binding("n", "new_plan", "New plan"),
        Binding("h", "history", "History"),
        Binding("s", "settings", "Settings"),
        Binding("r", "reload", "Reload", show=False),
        Binding("R", "restart_program", "Restart program", show=False),
        Binding("c", "choose_session", "Choose session", show=False),
        Binding("w", "program_calendar", "Calendar", show=False),
        # A priority like the app's own "?", which would otherwise take its place in the footer.
        Binding("question_mark", "app.help", "Help", priority=True),
        Binding("q", "app.quit", "Quit"),
    ]
    FOOTER_KEEPS = ("start", "app.help", "app.quit")
    """What a narrow footer keeps (see KeyFooter): the others give way from the right."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.sessions: list[SessionRecord] = []
        # Programs started again from week 1, by program name: kept here until the first
        # session of the new run is in the history and speaks for itself.
        self.restarted: dict[str, ProgramProgress] = {}
        # Progress by program name, worked out once per refresh: the labels, the preview,
        # the status line and the start keys all ask, and each answer sorts every session.
        self._progress: dict[str, ProgramProgress] = {}
        # Warnings about the load of doing a plan today, by the plan object (two plans may
        # share a name), worked out as plans are highlighted and forgotten with the progress
        # (new sessions, another athlete) and with the entries that hold the plans.
        self._load_warnings: dict[int, list[str]] = {}
        self._athletes_sessions: list[SessionRecord] | None = None
        """This athlete's sessions, picked out of the log once for all those warnings."""
        self.restarted_at: datetime | None = None
        # After an edit: the load that will list the edited file, the file, and whether to
        # say how it came out. Tied to one worker so an older load can't steal the highlight.
        self._after_load: tuple[Worker[list[Entry]], Path, bool] | None = None
        self._plans_worker: Worker[list[Entry]] | None = None
        self.history_read = False
        """Whether the sessions have been read once (the plans may be listed before)."""
        # The row the screen put the cursor on by itself, before the history said which plan
        # was run last: the history may move it from there, never from where the user put it.
        self._placed: int | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id="library-status")
        with Horizontal(id="library"):
            yield OptionList(id="plans")
            with VerticalScroll(id="preview-box"):
                yield Static(id="preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.action_reload()
        self.show_status()

    def on_screen_resume(self) -> None:
        # Back from a workout or the history: a new session may have moved a program on,
        # and the summary may have saved a suggested plan into the plans folder.
        self.load_sessions()
        if self.entries:
            self.load_plans()

    def load_sessions(self) -> None:
        self.run_worker(
            self.retro.load_sessions, thread=True, name="sessions", exit_on_error=False,
            exclusive=True, group="sessions",
        )  # fmt: skip

    def action_reload(self) -> None:
        self.load_plans()

    def load_plans(self, select: Path | None = None, *, report: bool = False) -> None:
        """List the plans again; highlight ``select`` then, and with ``report`` say how it loads."""
        # Plans are files: read them off the UI thread (a folder may hold hundreds), and
        # show them as they come, so one slow or broken file keeps none of the others away.
        worker = self.run_worker(
            self.stream_plans, thread=True, name="plans", exit_on_error=False,
            exclusive=True, group="plans",
        )  # fmt: skip
        self._plans_worker = worker
        if select is not None:
            self._after_load = (worker, select, report)

    def stream_plans(self) -> list[Entry]:
        """Load every entry; every so often show those loaded so far (runs in a thread)."""
        worker = get_current_worker()
        entries: list[Entry] = []
        shown_at = time.monotonic()
        for entry in self.retro.plan_entries():
            if worker.is_cancelled:
                break
            entries.append(entry)
            if time.monotonic() - shown_at >= SHOW_LOADED_EVERY_S:
                shown_at = time.monotonic()
                # call_later posts a message: safe from a thread, and it never waits on the UI.
                self.app.call_later(self.show_loaded, worker, list(entries))
        return entries

    def show_loaded(self, worker: Worker[list[Entry]], entries: list[Entry]) -> None:
        """Entries loaded so far by ``worker``, unless a newer load has taken over or finished."""
        if worker is self._plans_worker and worker.state is WorkerState.RUNNING:
            self.show_entries(entries)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name == "sessions":
            first = not self.history_read
            if event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
                self.history_read = True
            if event.state is WorkerState.SUCCESS:
                self.sessions = event.worker.result or []
                # A restarted run with a session in the history now speaks for itself;
                # kept, it would hold the status line and p on it after other programs.
                runs = {session.program.run for session in self.sessions if session.program}
                self.restarted = {
                    name: fresh for name, fresh in self.restarted.items() if fresh.run not in runs
                }
                self.refresh_programs()
                if first:
                    self.place_cursor()
            # A log that can't be read is reported by the app and the history screen;
            # here it only means no program progress to show.
            return
        if event.worker.name != "plans":
            return
        after = self._after_load
        ours = after is not None and after[0] is event.worker
        if ours and event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            self._after_load = None
        if event.state is WorkerState.SUCCESS:
            select = after[1] if after is not None and ours else None
            self.show_entries(event.worker.result or [], select=select)
            if after is not None and ours and after[2]:
                self.report_edit(after[1])
        elif event.state is WorkerState.ERROR:
            self.notify(f"Could not list the plans: {event.worker.error}", severity="error",
                        markup=False)  # fmt: skip

    def show_entries(self, entries: list[Entry], select: Path | None = None) -> None:
        """Show ``entries``, highlighting ``select``, else the plan highlighted before.

        The first time, the cursor goes where :meth:`first_index` says.
        """
        plans = self.query_one("#plans", OptionList)
        keep = plans.highlighted
        before = self.entries[keep].path if keep is not None and keep < len(self.entries) else None
        # Where the screen put the cursor by itself, untouched since: it goes where it would
        # go now (the list grows as plans load, and the starter may come later).
        if select is None and self._placed is not None and keep == self._placed:
            before = None
        self.entries = library_order(entries)
        self._progress = {}
        self._load_warnings = {}
        self._athletes_sessions = None
        plans.clear_options()
        options: list[Option | None] = []
        for row, entry in enumerate(self.entries):
            options.append(Option(self.label(entry)))
            following = self.entries[row + 1] if row + 1 < len(self.entries) else None
            if isinstance(entry, ProgramEntry) and isinstance(following, PlanEntry):
                options.append(None)  # a line under the programs, above the plans
        plans.add_options(options)
        if self.entries:
            wanted = select or before
            index = self.index_of(wanted) if wanted is not None else None
            if index is None and wanted is None:
                self._placed = self.first_index()
                index = self._placed
            # A plan added or removed moves the others: follow the file, not the row.
            plans.highlighted = index if index is not None else min(keep or 0, len(entries) - 1)
            self.show_highlighted()
        else:
            self.query_one("#preview", Static).update(
                Text("No plans found. Put .toml plans in the plans folder and press r.")
            )
        plans.focus()
        self.show_status()

    def show_highlighted(self) -> None:
        """Once the list is drawn, scroll it so the highlighted plan is at its top (as far
        as the list goes): the same view whatever order the plans and the history came in,
        which a scroll "just enough to show it" would not give."""
        plans = self.query_one("#plans", OptionList)
        plans.call_after_refresh(plans.scroll_to_highlight, top=True)

    def first_index(self) -> int:
        """Where the cursor starts: the athlete's last plan (once the history is read), else
        the bundled starter plan, else the top."""
        if self.history_read:
            index = last_run_index(self.entries, self.sessions, self.retro.athlete)
            if index is not None:
                return index
        found = starter_index(self.entries)
        return found if found is not None else 0

    def place_cursor(self) -> None:
        """Move the cursor to :meth:`first_index`, unless the user has moved it since the screen
        put it somewhere by itself."""
        plans = self.query_one("#plans", OptionList)
        if not self.entries or self._placed is None or plans.highlighted != self._placed:
            return
        self._placed = self.first_index()
        plans.highlighted = self._placed
        self.show_highlighted()

    def index_of(self, path: Path) -> int | None:
        return next(
            (index for index, entry in enumerate(self.entries) if same_file(entry.path, path)),
            None,
        )

    def label(self, entry: Entry) -> Text:
        if isinstance(entry, ProgramEntry):
            return program_label(entry, self.progress(entry))
        return entry_label(entry)

    def preview(self, entry: Entry) -> None:
        if isinstance(entry, ProgramEntry):
            progress = self.progress(entry)
            coming = progress.next_session if progress is not None else None
            warnings = self.load_warnings(coming.plan) if coming is not None else []
            shown = program_preview(entry, progress, warnings)
        else:
            shown = plan_preview(entry, self.load_warnings(entry.plan) if entry.plan else [])
        self.query_one("#preview", Static).update(shown)

    def load_warnings(self, plan: Plan) -> list[str]:
        """What doing ``plan`` today would do to this athlete's load (spike, steady rise)."""
        if not self.history_read:
            return []
        known = self._load_warnings.get(id(plan))
        if known is None:
            if self._athletes_sessions is None:
                self._athletes_sessions = athletes_sessions(self.sessions, self.retro.athlete)
            found = session_warnings(plan, self._athletes_sessions, self.today())
            known = self._load_warnings[id(plan)] = [warning.text for warning in found]
        return known

    # -- programs and athletes -------------------------------------------------------------

    def progress(self, entry: ProgramEntry) -> ProgramProgress | None:
        """Where the current athlete stands in ``entry``'s program, from the history."""
        program = entry.program
        if program is None:
            return None
        known = self._progress.get(program.name)
        if known is not None:
            return known
        fresh = self.restarted.get(program.name)
        found = next_session(program, self.sessions, athlete=self.retro.athlete, today=self.today())
        progress = fresh if fresh is not None and found.run != fresh.run else found
        self._progress[program.name] = progress
        return progress

    def today(self) -> date:
        return self.retro.settings.wall_clock().date()

    def active_program(self) -> tuple[ProgramEntry, ProgramProgress] | None:
        """The program the athlete ran (or restarted) most recently, with their progress."""
        programs = program_entries(self.entries)
        name = latest_program(
            programs, self.sessions, self.retro.athlete, self.restarted, self.restarted_at
        )
        if name is None:
            return None
        progress = self.progress(programs[name])
        return (programs[name], progress) if progress is not None else None

    def refresh_programs(self) -> None:
        """Labels, preview and the status line again, after the sessions or athlete changed."""
        self._progress = {}
        self._load_warnings = {}
        self._athletes_sessions = None
        plans = self.query_one("#plans", OptionList)
        for index, entry in enumerate(self.entries):
            if isinstance(entry, ProgramEntry):
                plans.replace_option_prompt_at_index(index, self.label(entry))
        self.show_highlighted()  # a program's label may have grown a line
        current = self.highlighted_entry()
        if current is not None:
            self.preview(current)
        self.show_status()

    def show_status(self) -> None:
        athlete = self.retro.athlete
        text = Text.assemble(("a", "bold reverse"), " Athlete: ")
        text.append(athlete or "nobody in particular", style="bold" if athlete else "dim")
        active = self.active_program() if self.entries else None
        if active is not None:
            entry, progress = active
            assert entry.program is not None
            text.append("   ")
            text.append_text(Text.assemble(("p", "bold reverse"), " "))
            text.append(entry.program.name, style="bold")
            slot = progress.next_slot
            text.append(" complete" if slot is None else f": week {slot[0]}, session {slot[1]}")
        self.query_one("#library-status", Static).update(text)

    def start_program(self, entry: ProgramEntry) -> None:
        progress = self.progress(entry)
        if progress is None or entry.program is None:
            self.notify("This program has errors; fix them and press r.", severity="error",
                        markup=False)  # fmt: skip
            return
        session = progress.next_session
        if session is None:
            self.notify(
                f"{entry.program.name} is complete. {progress.note} "
                "Press R to start it again from week 1.",
                timeout=10,
                markup=False,
            )
            return
        self.retro.start_workout(
            session.plan, program=slot_for(progress), warnings=self.load_warnings(session.plan)
        )

    def action_program(self) -> None:
        """Start the next session of the program this athlete is on."""
        active = self.active_program()
        if active is None:
            self.notify("No program started yet: highlight one (▦) and press Enter.", markup=False)
            return
        self.start_program(active[0])

    def action_choose_session(self) -> None:
        """Start any session of the highlighted program: skip ahead, or do one again."""
        from retro_tui.tui.dialogs.program_session import ProgramSessionDialog

        entry = self.highlighted_entry()
        if not isinstance(entry, ProgramEntry) or entry.program is None:
            self.notify("Highlight a program (▦) to choose one of its sessions.", markup=False)
            return
        progress = self.progress(entry)
        if progress is None:
            return

        def chosen(slot: tuple[int, int] | None) -> None:
            if slot is not None:
                plan = progress.program.session(*slot).plan
                self.retro.start_workout(
                    plan, program=slot_for(progress, slot), warnings=self.load_warnings(plan)
                )

        self.app.push_screen(ProgramSessionDialog(progress), chosen)

    def action_program_calendar(self) -> None:
        """The highlighted program's weeks on a calendar, for the run the library shows."""
        from retro_tui.coach.calendar import program_calendar
        from retro_tui.tui.screens.program_calendar import ProgramCalendarScreen

        entry = self.highlighted_entry()
        progress = self.progress(entry) if isinstance(entry, ProgramEntry) else None
        if not isinstance(entry, ProgramEntry) or entry.program is None or progress is None:
            self.notify("Highlight a program (▦) to see its weeks on a calendar.", markup=False)
            return
        calendar = program_calendar(
            entry.program, self.sessions, athlete=self.retro.athlete, today=self.today(),
            progress=progress,
        )  # fmt: skip
        self.app.push_screen(ProgramCalendarScreen(calendar))

    def action_restart_program(self) -> None:
        entry = self.highlighted_entry()
        if not isinstance(entry, ProgramEntry) or entry.program is None:
            self.notify("Highlight a program (▦) to start it again.", markup=False)
            return
        now = self.retro.settings.wall_clock()
        self.restarted = {entry.program.name: restart(entry.program, now)}
        self.restarted_at = now
        self.notify(
            f"{entry.program.name}: starting again from week 1. Earlier sessions stay in the "
            "history; the program counts from your next one.",
            markup=False,
        )
        self.refresh_programs()

    def action_athlete(self) -> None:
        from retro_tui.tui.dialogs.athlete import AthleteChoice, AthleteDialog

        config = self.retro.config
        names = {name.casefold(): name for name in config.known_athletes()}
        for session in self.sessions:
            if session.athlete.strip():
                names.setdefault(athlete_key(session.athlete), session.athlete.strip())
        masses = {name: mass for name in names.values() if (mass := self.retro.body_mass(name))}

        def chosen(choice: AthleteChoice | None) -> None:
            if choice is None:
                return
            problem = self.retro.choose_athlete(choice.name, choice.body_mass_kg)
            if problem:
                self.notify(f"The athlete is set for now but not remembered: {problem}",
                            severity="warning", timeout=15, markup=False)  # fmt: skip
            self.restarted = {}
            self.refresh_programs()
            # Another athlete: the cursor follows to their last plan, as it did at the start.
            plans = self.query_one("#plans", OptionList)
            if self.entries and self.history_read:
                self._placed = plans.highlighted
                self.place_cursor()

        listed = sorted(names.values(), key=str.casefold)
        self.app.push_screen(AthleteDialog(listed, self.retro.athlete, masses), chosen)

    def action_devices(self) -> None:
        from retro_tui.tui.dialogs.devices import DeviceChoice, DevicesDialog

        devices = self.retro.config.devices
        current = {
            "treadmill": devices.treadmill,
            "heart_rate": devices.heart_rate,
            "foot_pod": devices.foot_pod,
        }

        async def use(choice: DeviceChoice) -> None:
            problem = await self.retro.use_devices(choice)
            chosen = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in choice.items())
            if problem:
                self.notify(f"Using {chosen} for now, but not remembered: {problem}",
                            severity="warning", timeout=15, markup=False)  # fmt: skip
            else:
                self.notify(f"Using {chosen}", title="Devices", markup=False)

        def chosen(choice: DeviceChoice | None) -> None:
            if choice:
                self.run_worker(use(choice), name="devices", group="devices")

        self.app.push_screen(DevicesDialog(current), chosen)

    def highlighted_entry(self) -> Entry | None:
        index = self.query_one("#plans", OptionList).highlighted
        if index is None or index >= len(self.entries):
            return None
        return self.entries[index]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.preview(self.entries[event.option_index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_start()

    def action_settings(self) -> None:
        from retro_tui.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def action_history(self) -> None:
        from retro_tui.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_start(self) -> None:
        entry = self.highlighted_entry()
        if entry is None:
            return
        if isinstance(entry, ProgramEntry):
            self.start_program(entry)
            return
        if entry.plan is None:
            self.notify(
                "This plan has errors; fix them and press r.", severity="error", markup=False
            )
            return
        self.retro.start_workout(entry.plan, warnings=self.load_warnings(entry.plan))

    # -- editing ---------------------------------------------------------------------------

    def action_edit(self) -> None:
        """Open the highlighted plan in the user's editor (a bundled plan: a copy of it)."""
        entry = self.highlighted_entry()
        if entry is None:
            self.notify("No plan to edit: press n for a new one.", markup=False)
        elif isinstance(entry, PlanEntry) and entry.converted_from:
            units = Units(self.retro.config.display.units)
            paces = self.retro.race_paces()
            folder = self.retro.settings.user_plans
            if made := convert_to_edit(self.app, entry.path, folder, units, paces):
                self.edit_file(*made)
        elif not entry.bundled:
            self.edit_file(entry.path)
        elif copy := copy_to_edit(self.app, entry.path, self.retro.settings.user_plans):
            self.edit_file(*copy)

    def action_new_plan(self) -> None:
        from retro_tui.tui.dialogs.new_plan import NewPlanDialog

        self.app.push_screen(NewPlanDialog(), self.create_plan)

    def create_plan(self, name: str | None) -> None:
        """Write a commented plan called ``name`` into the user's plans folder and edit it."""
        if name is None:
            return
        folder, units = self.retro.settings.user_plans, self.retro.config.display.units
        if path := write_new_plan(self.app, name, folder, units):
            # Hand the terminal over only once the dialog is gone from the screen.
            self.call_after_refresh(self.edit_file, path, f"New plan: {path}")

    def edit_file(self, path: Path, note: str | None = None) -> None:
        """Run the user's editor on ``path``, then list the plans again.

        A new or copied file joins the list even when no editor could run.
        """
        ran = edit_in_terminal(self.app, path, note)
        self.load_plans(select=path, report=ran)

    def report_edit(self, path: Path) -> None:
        """Say how the edited plan loads now; its errors are in the preview."""
        index = self.index_of(path)
        if index is None:
            self.notify(
                f"{path.name} is no longer in the plans: was it renamed or deleted?",
                severity="warning",
                markup=False,
            )
            return
        error = self.entries[index].error
        if error is None:
            self.notify(f"{path.name} has no errors", markup=False)
            return
        count = len(error.issues)
        self.notify(
            f"{path.name} has {count} problem{'' if count == 1 else 's'}: see the preview",
            severity="warning",
            timeout=10,
            markup=False,
        )
