"""Settings: every key of ``config.toml`` with its value, what it does and where it is kept.

Keyboard only, for someone standing on a belt: ↑↓ pick a setting, Enter or
space changes it. Switches flip, short choices step to the next value, the
theme opens a list (each theme shown as it is highlighted), numbers and text
open a field checked by the loader's own rules, the athlete opens the same
dialog as ``a`` in the library. Every change is written to the file at once
(atomically, every other key kept) and used at once where that is safe; the
rest say when they take effect.

A settings file that does not parse is never written: the screen says which
line to fix, shows the defaults that are in force, and changes nothing.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from retro_tui import paths
from retro_tui.config import (
    NOW,
    SCHEMA,
    Config,
    ConfigWriteError,
    Setting,
    athlete_setting,
    load_config,
    resolve_setting_path,
    update_config,
)
from retro_tui.plan.errors import PlanIssue
from retro_tui.tui.screens.base import RetroScreen, ScreenHelp
from retro_tui.tui.themes import theme_names, theme_problem
from retro_tui.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    pass

LISTED_NOW = "The library lists them now."

LABEL_WIDTH = 36


def current_value(config: Config, setting: Setting) -> Any:
    section, key = setting.path
    if section == "athletes":
        profile = config.athletes.get(key)
        return None if profile is None else profile.body_mass_kg
    return getattr(getattr(config, section), key)


def shown_value(config: Config, setting: Setting) -> str:
    """The value as the row shows it."""
    value = current_value(config, setting)
    _, key = setting.path
    if isinstance(value, bool):
        return "on" if value else "off"
    if key == "cue_seconds":
        return f"{value:g} s"
    if key == "voice_command":
        return shlex.join(value) if value else "automatic"
    if key == "history":
        return str(value) if value is not None else "the default place"
    if key == "plans":
        return os.pathsep.join(str(folder) for folder in value) if value else "none"
    if key in ("max_heart_rate", "resting_heart_rate") and value is not None:
        return f"{value} bpm"
    if key == "name":
        return value or "nobody in particular"
    if isinstance(value, float):
        return f"{value:g} kg"
    if value is None:
        return "not set"
    return str(value)


def edit_text(config: Config, setting: Setting) -> str:
    """The value as the input field starts out: what would be typed to get it."""
    value = current_value(config, setting)
    if value is None or value == ():
        return ""
    _, key = setting.path
    if key == "voice_command":
        return shlex.join(value)
    if key == "plans":
        return os.pathsep.join(str(folder) for folder in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def with_value(config: Config, path: tuple[str, str], value: object | None) -> Config:
    """``config`` with one setting changed; ``None`` puts back its default (or takes it out)."""
    section, key = path
    if section == "athletes":
        # Nothing left of the entry: the athlete is taken out.
        return config.with_athlete(key, body_mass_kg=cast("float | None", value))
    group = getattr(config, section)
    if value is None:
        value = getattr(type(group)(), key)
    return replace(config, **{section: replace(group, **{key: value})})


class SettingsScreen(RetroScreen[None]):
    """Every setting, one row each; Enter or space changes the highlighted one."""

    ABOUT = ScreenHelp(
        "Settings",
        "Every setting of config.toml with its value and what it does. ↑ ↓ pick one, Enter "
        "or space changes it, and the change is saved to the file at once.",
    )

    TITLE = "Settings"
    BINDINGS = [
        # Enter reaches the list first, which selects the row: the same change.
        Binding("space", "change", "Change", key_display="Enter/space"),
        # A priority like the app's own "?", which would otherwise take its place in the footer.
        Binding("question_mark", "app.help", "Help", priority=True),
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
    ]
    FOOTER_KEEPS = ("change", "app.help", "back")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Setting] = []
        self.unreadable: PlanIssue | None = None
        """Why the file can't be read as a whole; while set, nothing is written."""
        self.problems: dict[str, PlanIssue] = {}
        """The file's problems with single keys, by key (``workout.cue_seconds``)."""
        self.other_problems: list[PlanIssue] = []
        """Problems with keys that have no row: unknown keys and sections, bad names."""

    @property
    def config_file(self) -> Path | None:
        return self.retro.settings.config_path

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id="settings-file")
        yield Static(id="settings-banner")
        yield OptionList(id="settings-list")
        yield Static(id="settings-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.read_file()
        self.show_rows()
        listing = self.query_one("#settings-list", OptionList)
        listing.highlighted = 0
        listing.focus()
        if self.unreadable is not None:
            self.show_status(self.refusal(), error=True)
        else:
            self.show_status(
                Text.assemble(
                    ("↑↓", "bold reverse"), " pick a setting   ", ("Enter", "bold reverse"),
                    " change it   ", ("Esc", "bold reverse"), " back to the plans",
                )
            )  # fmt: skip

    # -- what the file holds ---------------------------------------------------------------

    def read_file(self) -> None:
        """Find out whether the file can be written and which of its keys have problems."""
        self.unreadable = None
        self.problems = {}
        self.other_problems = []
        if self.config_file is None:
            return
        result = load_config(self.config_file)
        self.unreadable = result.unreadable
        if self.unreadable is not None:
            return
        problems = list(result.problems)
        theme = result.config.display.theme
        if not any(problem.key == "display.theme" for problem in problems):
            issue = theme_problem(self.retro, theme, self.config_file)
            if issue is not None:
                problems.append(issue)
        for problem in problems:
            self.problems.setdefault(problem.key, problem)

    def refusal(self) -> Text:
        """Why nothing can be changed: the file can't be read as a whole; what to fix."""
        issue = self.unreadable
        assert issue is not None
        fix = f"line {issue.line} of {issue.file}" if issue.line else issue.file
        return Text.assemble(
            ("Nothing can be changed here: ", "bold"),
            f"the settings file can't be read. Fix {fix}, then open the settings again. "
            "Until then the defaults are in force, and the file is left as it is.",
        )

    # -- showing -----------------------------------------------------------------------------

    def all_settings(self) -> list[Setting]:
        names = sorted(self.retro.config.athletes, key=str.casefold)
        # A row for every key of the schema, in the file's order, then one for each athlete.
        return [*SCHEMA, *(athlete_setting(name) for name in names)]

    def show_rows(self) -> None:
        listing = self.query_one("#settings-list", OptionList)
        highlighted = listing.highlighted
        self.rows = self.all_settings()
        shown = {setting.key for setting in self.rows}
        self.other_problems = [
            problem for key, problem in self.problems.items() if key not in shown
        ]
        options: list[Option | None] = []
        section = ""
        for setting in self.rows:
            if setting.path[0] != section and section:
                options.append(None)
            section = setting.path[0]
            options.append(Option(self.row_text(setting)))
        listing.clear_options()
        listing.add_options(options)
        if highlighted is not None:
            listing.highlighted = min(highlighted, len(self.rows) - 1)
        self.show_file()

    def row_text(self, setting: Setting) -> Text:
        config = self.retro.config
        text = Text()
        text.append(setting.label.ljust(LABEL_WIDTH))
        text.append(" ")
        text.append(shown_value(config, setting), style="bold")
        text.append(f"   {setting.where}", style="dim italic")
        text.append("\n")
        text.append(setting.explanation, style="dim")
        if setting.path == ("paths", "history"):
            text.append("\n")
            text.append(self.history_note())
        problem = self.problems.get(setting.key)
        if problem is not None:
            line = f"line {problem.line}: " if problem.line else ""
            text.append("\n")
            text.append(f"⚠ {line}{problem.message}", style="bold yellow")
        return text

    def history_note(self) -> str:
        """Where the history log in use is, and why there: the flag and the environment win."""
        in_use = self.retro.history_path
        started = self.retro.started_config.paths.history
        configured = started
        if started is not None and self.config_file is not None:
            configured = resolve_setting_path(started, self.config_file)
        from_env = os.environ.get(paths.HISTORY_ENV, "").strip()
        if from_env and Path(from_env).expanduser() == in_use:
            why = f"{paths.HISTORY_ENV} comes before this setting"
        elif configured is not None and configured == in_use:
            why = "this setting"
        elif configured is None and in_use == paths.default_history_path():
            why = "the default place"
        else:
            why = "--history comes before this setting"
        note = f"In use: {in_use} ({why})"
        if self.retro.config.paths.history != started:
            note += "; a new setting takes effect the next time retro-tui starts"
        return note

    def show_file(self) -> None:
        """The file's name at the top, and a banner for problems the rows don't show."""
        label = Text("Settings file: ", style="bold")
        if self.config_file is None:
            label.append("none: changes last until retro-tui closes")
        else:
            label.append(str(self.config_file))
            try:
                missing = not self.config_file.exists()
            except OSError:
                missing = False
            if missing:
                label.append("  (not written yet: every setting has its default)", style="dim")
        self.query_one("#settings-file", Static).update(label)
        banner = self.query_one("#settings-banner", Static)
        lines: list[Text] = []
        if self.unreadable is not None:
            lines.append(Text(f"✗ {self.unreadable}", style="bold"))
            lines.append(self.refusal())
        for problem in self.other_problems:
            lines.append(Text(f"⚠ {problem}"))
        banner.set_class(self.unreadable is not None, "-broken")
        banner.display = bool(lines)
        banner.update(Text("\n").join(lines))

    def show_status(self, message: str | Text, *, error: bool = False) -> None:
        status = self.query_one("#settings-status", Static)
        status.set_class(error, "-error")
        status.update(message if isinstance(message, Text) else Text(message))

    # -- changing ----------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.change(self.rows[event.option_index])

    def action_change(self) -> None:
        index = self.query_one("#settings-list", OptionList).highlighted
        if index is not None and index < len(self.rows):
            self.change(self.rows[index])

    def action_back(self) -> None:
        self.dismiss()

    def refuses(self) -> bool:
        """Whether changes are refused (the file does not parse); says so if they are."""
        if self.unreadable is None:
            return False
        self.show_status(self.refusal(), error=True)
        self.app.bell()
        return True

    def change(self, setting: Setting) -> None:
        if self.refuses():
            return
        config = self.retro.config
        value = current_value(config, setting)
        if setting.kind == "switch":
            self.save(setting, not value, not value)
        elif setting.kind == "cycle":
            choices = setting.choices
            following = choices[(choices.index(value) + 1) % len(choices)]
            self.save(setting, following, following)
        elif setting.kind == "theme":
            self.choose_theme(setting)
        elif setting.kind == "athlete":
            self.choose_athlete()
        else:
            self.type_value(setting)

    def type_value(self, setting: Setting) -> None:
        from retro_tui.tui.dialogs.setting_value import (
            SettingValueDialog,
            ValueEdit,
            folder_list,
            number_or_text,
            plain_text,
        )

        def typed(edit: ValueEdit | None) -> None:
            if edit is not None:
                self.save(setting, edit.raw, edit.value)

        parse = {"number": number_or_text, "folders": folder_list}.get(setting.kind, plain_text)
        default = current_value(Config(), setting)
        if default is None or default in ((), ""):
            empty = (
                "none"
                if setting.path[0] != "athletes"
                else "none, and with nothing else kept the athlete leaves the list"
            )
        else:
            empty = f"the default, {shown_value(Config(), setting)}"
        dialog = SettingValueDialog(
            title=setting.label,
            key=setting.key,
            hint=setting.explanation,
            text=edit_text(self.retro.config, setting),
            check=setting.check,
            parse=parse,
            empty=empty,
        )
        self.app.push_screen(dialog, typed)

    def choose_theme(self, setting: Setting) -> None:
        from retro_tui.tui.dialogs.choose_setting import ChooseSettingDialog

        before = self.app.theme

        def preview(name: str) -> None:
            self.app.theme = name

        def chosen(name: str | None) -> None:
            if name is None:
                self.app.theme = before
            else:
                self.save(setting, name, name)

        names = theme_names(self.retro)
        dialog = ChooseSettingDialog(setting.label, names, before, on_highlight=preview)
        self.app.push_screen(dialog, chosen)

    def choose_athlete(self) -> None:
        from retro_tui.tui.dialogs.athlete import AthleteChoice, AthleteDialog

        config = self.retro.config
        names = config.known_athletes()
        masses = {name: mass for name in names if (mass := config.body_mass_for(name))}

        def chosen(choice: AthleteChoice | None) -> None:
            if choice is None:
                return
            problem = self.retro.choose_athlete(choice.name, choice.body_mass_kg)
            self.read_file()
            self.show_rows()
            if problem:
                self.show_status(f"Set for now but not saved: {problem}", error=True)
            else:
                who = choice.name or "nobody in particular"
                self.show_status(self.saved_text(f"Athlete: {who}", NOW))

        self.app.push_screen(AthleteDialog(names, self.retro.athlete, masses), chosen)

    def save(self, setting: Setting, raw: object | None, value: object | None) -> None:
        """Write one setting to the file, then use it; a file that can't be written keeps
        everything as it was and says why."""
        # An athlete's row is their body mass, kept inside their table when they have one.
        where = (*setting.path, "body_mass_kg") if setting.section == "athletes" else setting.path
        devices = with_value(self.retro.config, setting.path, value).devices
        highest, resting = devices.max_heart_rate, devices.resting_heart_rate
        if highest is not None and resting is not None and resting >= highest:
            # Each is fine alone; together the zones could not be worked out, and the next
            # start would leave one out. Said now, and nothing written.
            self.show_status(
                f"Not changed: the resting heart rate ({resting}) must be below the highest "
                f"({highest}).",
                error=True,
            )
            return
        if self.config_file is not None:
            try:
                update_config(self.config_file, {where: raw})
            except ConfigWriteError as error:
                self.app.theme = self.retro.config.display.theme
                self.read_file()
                self.show_rows()
                self.show_status(f"Not changed: {error}", error=True)
                return
        settings = self.retro.settings
        before = settings.config
        settings.config = with_value(before, setting.path, value)
        effect = self.use_now(setting, before)
        self.read_file()
        self.show_rows()
        shown = shown_value(settings.config, setting)
        self.show_status(self.saved_text(f"{setting.label}: {shown}", effect))

    def saved_text(self, what: str, effect: str) -> Text:
        text = Text.assemble((what, "bold"), f". {effect}")
        if self.config_file is not None:
            text.append(f" Saved in {self.config_file}.", style="dim")
        return text

    def use_now(self, setting: Setting, before: Config) -> str:
        """Put a changed setting to use where that is safe; returns when it takes effect."""
        config = self.retro.config
        if setting.path == ("display", "theme"):
            self.app.theme = config.display.theme
        elif setting.path == ("sound", "voice_command"):
            self.retro.reset_voice()
        elif setting.path == ("paths", "plans") and self.config_file is not None:
            # The folders from the settings come first in the list, before those named on
            # the command line; swap them for the new ones if they are still in place.
            extra = self.retro.settings.extra_plans
            old = [resolve_setting_path(p, self.config_file) for p in before.paths.plans]
            if extra[: len(old)] == old:
                new = [resolve_setting_path(p, self.config_file) for p in config.paths.plans]
                self.retro.settings.extra_plans = [*new, *extra[len(old) :]]
                return LISTED_NOW
        return setting.effect
