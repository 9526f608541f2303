"""Type a new value for one setting, checked by the same rules as the settings file.

The typed text becomes the value the file will hold (a number, text, or a
list of folders) and goes through the loader's own check for that key, so a
mistake reads exactly as it does when the app starts ("workout.cue_seconds:
must be between 2 and 120 seconds"). An empty field takes the key out of the
file, so its default applies again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from retro_tui.tui.screens.base import RetroDialog, ScreenHelp


@dataclass(frozen=True)
class ValueEdit:
    """What was typed, ready to write and to use."""

    raw: object | None
    """The value to write into the file (a number, text or list); None takes the key out."""
    value: object | None
    """The value as the app uses it, after the loader's check; None when taken out."""


def number_or_text(text: str) -> object:
    """A number when the text is one (``8``, ``12.5``, ``62,5``), else the text itself.

    Text is handed on as it is, so the check refuses it with the loader's own
    message ("must be a number of seconds").
    """
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def folder_list(text: str) -> list[str]:
    """Folders separated by ``:`` (``;`` on Windows), as in ``PATH``; blanks left out."""
    return [part.strip() for part in text.split(os.pathsep) if part.strip()]


def plain_text(text: str) -> str:
    return text


class SettingValueDialog(RetroDialog[ValueEdit | None]):
    """Returns the new value, or None when cancelled with Escape."""

    ABOUT = ScreenHelp(
        "Change a setting",
        "Type the new value, checked by the same rules as the settings file. Enter saves "
        "it, an empty field puts the default back, Esc leaves it as it was.",
    )

    DEFAULT_CSS = """
    #value-box {
        width: 80;
    }
    #value-input {
        margin: 1 0 0 0;
    }
    #value-error {
        color: $error;
        text-style: bold;
        height: auto;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(
        self,
        *,
        title: str,
        key: str,
        hint: str,
        text: str,
        check: Callable[[object], Any],
        parse: Callable[[str], object] = plain_text,
        empty: str = "the default",
    ) -> None:
        """``key`` names the setting in messages (``workout.cue_seconds``); ``check`` is the
        loader's validator for it; ``parse`` turns the typed text into the file's value;
        ``empty`` says what an empty field means."""
        super().__init__()
        self.title_text = title
        self.key = key
        self.hint = hint
        self.initial = text
        self.check = check
        self.parse = parse
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(id="value-box", classes="dialog-box"):
            yield Static(Text(self.title_text, style="bold"), id="value-title")
            yield Static(Text(self.hint))
            yield Static(
                Text.assemble(
                    ("Enter", "bold reverse"), " save  ", ("Esc", "bold reverse"), " back  ",
                    f"(empty: {self.empty})",
                )
            )  # fmt: skip
            yield Input(value=self.initial, id="value-input")
            yield Static(id="value-error")

    def on_mount(self) -> None:
        self.query_one("#value-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.dismiss(ValueEdit(None, None))
            return
        raw = self.parse(text)
        try:
            value = self.check(raw)
        except ValueError as error:
            self.query_one("#value-error", Static).update(Text(f"{self.key}: {error}"))
            return
        self.dismiss(ValueEdit(raw, value))

    def action_cancel(self) -> None:
        self.dismiss(None)
