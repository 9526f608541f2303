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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.actions import ActionError, parse
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from retro_tui.tui.screens.base import RetroDialog, RetroScreen, ScreenHelp
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


def fuller_words(node: DOMNode) -> Mapping[str, str]:
    """The fuller words a screen, a dialog or the app gives its keys, by action."""
    if isinstance(node, RetroScreen | RetroDialog) and node.ABOUT is not None:
        return node.ABOUT.keys
    words: Mapping[str, str] = getattr(node, "HELP_KEYS", {})  # the app's
    return words


def wording(target: DOMNode, binding: Binding, action: str, parameters: tuple[object, ...]) -> str:
    """What a key does, in the fullest words known for it."""
    if action == "adjust" and parameters and isinstance(parameters[0], int) and parameters[0] < 0:
        return ADJUST_DOWN
    return fuller_words(target).get(action) or binding.tooltip or binding.description


def works_now(node: DOMNode, action: str, parameters: tuple[object, ...]) -> bool:
    """Whether the key would do its work if pressed now (what the footer asks too)."""
    return bool(node.check_action(action, parameters))


def declared_bindings(node: DOMNode) -> list[tuple[str, Binding]]:
    """The keys ``node``'s class declares in ``BINDINGS``, with those of its bases.

    As Textual merges them: a base's keys first, a key declared again by a subclass
    taking the base's place.
    """
    keys: dict[str, list[Binding]] = {}
    for base in reversed(type(node).__mro__):
        declared = vars(base).get("BINDINGS")
        if declared:
            keys.update(BindingsMap(declared).key_to_bindings)
    return [(key, binding) for key, bindings in keys.items() for binding in bindings]


def own_bindings(node: DOMNode) -> list[tuple[str, Binding]]:
    """The keys ``node`` declares that this app explains (not Textual's focus and copy keys)."""
    return [
        (key, binding)
        for key, binding in declared_bindings(node)
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


def about(screen: Screen[Any]) -> ScreenHelp:
    """What the screen says about itself, or the first paragraph of its docstring."""
    if isinstance(screen, RetroScreen | RetroDialog) and screen.ABOUT is not None:
        return screen.ABOUT
    doc = (type(screen).__doc__ or "").strip().split("\n\n")[0]
    return ScreenHelp(screen.title or type(screen).__name__, " ".join(doc.split()))


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


class HelpScreen(RetroDialog[None]):
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
        under = self.under
        if not isinstance(under, RetroScreen | RetroDialog):
            self.app.exit()
            return
        self.dismiss(None)
        under.quit_requested()
