"""Help: every key of the screen underneath, what each does, and what that screen is for.

``?`` opens it over any screen (the app binds it). The keys are read from the
bindings of the screen underneath and of the app at the moment it opens, so the
list can't drift from what the keys really do: keys left out of the footer
(``R`` and ``c`` in the library) are listed too, and a key that does nothing at
the moment (the effort ratings before an interval asks for one) is listed
dimmed, saying so. Over a workout the clock keeps running, and the help says
so; it never pauses or ends anything. Escape, ``?`` or ``q`` closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.actions import ActionError, parse
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from retro_tui.coach.effort import TEN_KEY
from retro_tui.workout.engine import Status

KEY_NAMES = {
    "enter": "Enter",
    "escape": "Esc",
    "space": "space",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "up": "↑",
    "down": "↓",
}
"""Key names as a newcomer reads them on a keyboard (the footer's ⏎ and esc are terse)."""

SCREEN_DEFAULTS = frozenset(Binding.make_bindings(Screen.BINDINGS))
"""Textual's own keys on every screen (focus moves, copying): not this app's to explain."""


@dataclass(frozen=True)
class About:
    """A screen's name in the help title, and a few lines on what it is for."""

    title: str
    text: str


ABOUT: dict[str, About] = {
    "LibraryScreen": About(
        "Plans",
        "Your plans and programs, with a preview of the highlighted one: every step with "
        "its direction, time and speed, and the totals. ↑ ↓ choose one, Enter starts it "
        "(after a short safety check). ★ marks your own plans, ▦ a program of several weeks.",
    ),
    "WorkoutScreen": About(
        "Workout",
        "The plan as it runs: the direction in big letters, the time left in this step, "
        "the target speed, a cue, and the next step with its speed so you can set the belt "
        "in time. After a backward interval it asks how hard it was: one key, no need to "
        "stop.",
    ),
    "SummaryScreen": About(
        "Summary",
        "The session you just finished. Answer how hard it was and any pain with one key "
        "each, Tab to write notes, then Enter saves it to your history and says where.",
    ),
    "HistoryScreen": About(
        "History",
        "Every session you saved, newest first. ↑ ↓ move through them, Enter shows one in "
        "full, t shows the trends.",
    ),
    "TrendsScreen": About(
        "Trends",
        "How the backward training went: minutes and effort per week, weekly load, a "
        "calendar of training days and your records.",
    ),
    "SettingsScreen": About(
        "Settings",
        "Every setting of config.toml with its value and what it does. ↑ ↓ pick one, Enter "
        "or space changes it, and the change is saved to the file at once.",
    ),
    "PreflightDialog": About(
        "Safety check",
        "Four checks before the belt moves: stop clip, a mark on the wall, hands on the "
        "rails, the lowest speed. The workout starts only when you confirm.",
    ),
    "ConfirmEndDialog": About(
        "End the workout?",
        "Ending early keeps what you did: it is saved as ended early. Or keep going, or "
        "pause first.",
    ),
    "SessionDetailDialog": About(
        "Session", "One saved session step by step: planned against actual, with ratings."
    ),
    "ProgramSessionDialog": About(
        "Program sessions",
        "Every session of the program, to start any one: skip ahead, or do one again. "
        "↑ ↓ choose, Enter starts it.",
    ),
    "AthleteDialog": About(
        "Athlete", "Who is training now: stored on every session and used for their trends."
    ),
    "NewPlanDialog": About("New plan", "The name of a new plan to write and edit."),
}

WORDING: dict[tuple[str, str], str] = {
    ("LibraryScreen", "start"): "Start the highlighted plan, or a program's next session",
    ("LibraryScreen", "program"): "Start the next session of the program you are on",
    ("LibraryScreen", "athlete"): "Choose who is training",
    ("LibraryScreen", "edit"): "Edit the highlighted plan in your editor",
    ("LibraryScreen", "new_plan"): "Write a new plan and edit it",
    ("LibraryScreen", "history"): "Your history of sessions",
    ("LibraryScreen", "reload"): "Read the plans again",
    ("LibraryScreen", "restart_program"): "Start the highlighted program again from week 1",
    ("LibraryScreen", "choose_session"): "Choose any session of the highlighted program",
    ("WorkoutScreen", "pause"): "Pause",
    ("WorkoutScreen", "resume"): "Go on after a pause",
    ("WorkoutScreen", "skip"): "Skip to the next step",
    ("WorkoutScreen", "back"): "Back to the previous step",
    ("WorkoutScreen", "adjust"): "Add 10 seconds to this step",
    ("WorkoutScreen", "end"): "End early (asks first; what you did is saved)",
    ("WorkoutScreen", "mute"): "Mute the bells and the voice",
    ("WorkoutScreen", "unmute"): "Sound on again",
    ("WorkoutScreen", "rate"): f"Rate the last backward interval: 0 rest ... {TEN_KEY} maximal",
    ("WorkoutScreen", "rate_not_now"): (
        f"Rate the last backward interval: 0 rest ... {TEN_KEY} maximal"
    ),
    ("SummaryScreen", "rate"): f"Answer the question on screen ({TEN_KEY} = 10)",
    ("HistoryScreen", "detail"): "Show the highlighted session in full",
    ("RetroApp", "quit"): "Quit retro-tui (during a workout it asks first)",
    ("RetroApp", "help"): "This help",
}
"""Fuller words for a few keys whose footer label is short; the rest use the footer's."""

ADJUST_DOWN = "Take 10 seconds off this step"


@dataclass(frozen=True)
class KeyHelp:
    """One row of the help: the keys, what they do, and whether they do it right now."""

    keys: str
    does: str
    now: bool


def key_name(app: App[Any], binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    if binding.key.startswith("ctrl+"):
        return "Ctrl+" + binding.key.removeprefix("ctrl+")
    return KEY_NAMES.get(binding.key, app.get_key_display(binding))


def wording(target: DOMNode, binding: Binding, action: str, parameters: tuple[object, ...]) -> str:
    """What a key does, in the fullest words known for it."""
    if action == "adjust" and parameters and isinstance(parameters[0], int) and parameters[0] < 0:
        return ADJUST_DOWN
    return WORDING.get((type(target).__name__, action)) or binding.tooltip or binding.description


def works_now(node: DOMNode, action: str, parameters: tuple[object, ...]) -> bool:
    """Whether the key would do its work if pressed now (what the footer asks too)."""
    return bool(node.check_action(action, parameters))


def own_bindings(node: DOMNode) -> list[tuple[str, Binding]]:
    """The keys ``node`` declares that this app explains (not Textual's focus and copy keys)."""
    return [
        (key, binding)
        for key, binding in node._bindings
        if not binding.system and binding.description and binding not in SCREEN_DEFAULTS
    ]


def screen_keys(screen: Screen[Any]) -> list[KeyHelp]:
    """The keys of ``screen`` and the app, in the order they are declared, as help rows.

    A key bound in both places is listed as it works: a priority binding wins
    (the app's first), else the screen's; over a dialog only the app's priority
    keys work. Keys that do the same thing share a row (``q, Esc``), and so do
    actions on one key (space pauses and resumes). The keys of the focused widget
    (a list's arrows, a text field's editing keys) are the widget's usual ones and
    are left to the screen's own lines.
    """
    app = screen.app
    app_bindings = [
        (key, binding)
        for key, binding in own_bindings(app)
        if binding.priority or not screen.is_modal
    ]
    chain: list[tuple[DOMNode, list[tuple[str, Binding]]]] = [
        (screen, own_bindings(screen)),
        (app, app_bindings),
    ]
    owner: dict[str, DOMNode] = {}
    for node, bindings in reversed(chain):  # priority bindings: from the app down
        for key, binding in bindings:
            if binding.priority:
                owner.setdefault(key, node)
    for node, bindings in chain:  # the rest: from the screen up
        for key, _ in bindings:
            owner.setdefault(key, node)

    namespaces: dict[str, DOMNode] = {"app": app, "screen": screen}
    by_key: dict[str, list[str]] = {}
    now_keys: set[str] = set()
    for node, bindings in chain:
        for key, binding in bindings:
            if owner[key] is not node:
                continue
            try:
                namespace, action, parameters = parse(binding.action)
            except ActionError:
                continue
            target = namespaces.get(namespace, node)
            name = key_name(app, binding)
            does = by_key.setdefault(name, [])
            words = wording(target, binding, action, parameters)
            if words not in does:
                does.append(words)
            if works_now(target, action, parameters):
                now_keys.add(name)
    # Keys with the same work share a row: "q, Esc  End early".
    rows: dict[tuple[str, ...], list[str]] = {}
    for name, does in by_key.items():
        rows.setdefault(tuple(does), []).append(name)
    return [
        KeyHelp(", ".join(names), " / ".join(does), any(name in now_keys for name in names))
        for does, names in rows.items()
    ]


def about(screen: Screen[Any]) -> About:
    known = ABOUT.get(type(screen).__name__)
    if known is not None:
        return known
    doc = (type(screen).__doc__ or "").strip().split("\n\n")[0]
    return About(screen.title or type(screen).__name__, " ".join(doc.split()))


def workout_note(app: App[Any]) -> Text | None:
    """Under a workout: say plainly whether its clock is running while the help is open."""
    from retro_tui.tui.screens.workout import WorkoutScreen

    for screen in app.screen_stack:
        if isinstance(screen, WorkoutScreen) and screen.workout is not None:
            if not screen.workout.is_active:
                return None
            if screen.workout.status is Status.PAUSED:
                return Text("The workout is paused: close this help, then space goes on.")
            return Text("The workout clock keeps running while this help is open.")
    return None


def clock_rows(screen: Screen[Any]) -> int | None:
    """Rows from the top of a workout screen to the bottom of its clock; None elsewhere."""
    from retro_tui.tui.screens.workout import WorkoutScreen

    if not isinstance(screen, WorkoutScreen) or screen.workout is None:
        return None
    if not screen.workout.is_active:
        return None
    return screen.clock_bottom()


def keys_table(rows: list[KeyHelp]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", no_wrap=True)
    table.add_column()
    for row in rows:
        keys = Text(f" {row.keys} ", style="bold reverse" if row.now else "reverse dim")
        does = Text(row.does, style="bold" if row.now else "dim")
        if not row.now:
            does.append(" (not now)")
        table.add_row(keys, does)
    return table


class HelpScreen(ModalScreen[None]):
    """The keys of ``under`` and what it is for; closes with Escape, ``?`` or ``q``."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen.-over-workout {
        align: center bottom;
        background: transparent;
    }
    #help {
        width: 90;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 0 2;
        border: thick $accent;
        background: $surface;
        scrollbar-size-vertical: 2;
    }
    #help-title {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    #help-about, #help-keys, #help-close {
        margin-top: 1;
    }
    #help-clock {
        margin-top: 1;
        text-style: bold;
        color: $warning;
    }
    #help-close {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under
        self.rows = screen_keys(under)
        self.about = about(under)
        # Over a running workout the help sits below the clock: the direction and the time
        # left stay in sight (and undimmed) while the keys are read.
        self.clock_rows = clock_rows(under)
        self.set_class(self.clock_rows is not None, "-over-workout")

    def on_mount(self) -> None:
        if self.clock_rows is not None:
            self.query_one("#help").styles.max_height = max(6, self.size.height - self.clock_rows)

    def on_resize(self) -> None:
        self.clock_rows = clock_rows(self.under)
        self.on_mount()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            # How to move and leave comes first: on a small screen the end may be out of view.
            title = Text(f"Keys: {self.about.title}")
            title.append("   ↑ ↓ scroll · Esc closes", style="not bold")
            yield Static(title, id="help-title")
            about = Static(Text(self.about.text), id="help-about")
            if self.clock_rows is None:
                yield about
            note = workout_note(self.app)
            if note is not None:
                yield Static(note, id="help-clock")
            yield Static(keys_table(self.rows), id="help-keys")
            if self.clock_rows is not None:
                yield about  # below the clock there is room for little: the keys come first
            yield Static(
                Text.assemble(("Esc", "bold reverse"), ", ", ("?", "bold reverse"), " or ",
                              ("q", "bold reverse"), " closes this help"),
                id="help-close",
            )  # fmt: skip

    def action_close(self) -> None:
        self.dismiss(None)

    def quit_requested(self) -> None:
        """ctrl+q over a screen with unsaved work (a workout) asks that screen, as without help."""
        under = getattr(self.under, "quit_requested", None)
        if not callable(under):
            self.app.exit()
            return
        self.dismiss(None)
        under()
