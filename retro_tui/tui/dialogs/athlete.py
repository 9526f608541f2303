"""Who is training: pick an athlete from the list, type a new one, or choose nobody.

One laptop often serves several clients. The choice is stamped on every
session from then on and remembered in the settings. A body mass typed here
(optional) is what the energy estimates use for that athlete.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from retro_tui.config import MAX_ATHLETE_CHARS
from retro_tui.tui.screens.base import RetroDialog, ScreenHelp

NOBODY = "Nobody in particular"


@dataclass(frozen=True)
class AthleteChoice:
    name: str
    """The athlete's name; empty for nobody in particular."""
    body_mass_kg: float | None = None


def parse_mass(text: str) -> float | None:
    """Kilograms typed by a person ("62", "62.5", "62,5 kg"); None if blank; ValueError if odd."""
    cleaned = text.strip().lower().removesuffix("kg").strip().replace(",", ".")
    if not cleaned:
        return None
    value = float(cleaned)
    if not math.isfinite(value) or not 20 <= value <= 300:
        raise ValueError("between 20 and 300 kg")
    return value


class AthleteDialog(RetroDialog[AthleteChoice | None]):
    """Returns the chosen athlete, or None when cancelled with Escape."""

    ABOUT = ScreenHelp(
        "Athlete",
        "Who is training now: stored on every session and used for their trends.",
    )

    DEFAULT_CSS = """
    #athlete-list {
        height: auto;
        max-height: 12;
        margin: 1 0;
    }
    #athlete-error {
        color: $error;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, athletes: list[str], current: str, masses: dict[str, float]) -> None:
        super().__init__()
        self.athletes = [NOBODY, *athletes]
        self.current = current
        self.masses = masses

    def compose(self) -> ComposeResult:
        with Vertical(id="athlete-box", classes="dialog-box"):
            yield Static(Text("Who is training?", style="bold"))
            yield Static(
                Text.assemble(
                    ("↑↓", "bold reverse"), " pick  ", ("Enter", "bold reverse"), " choose  ",
                    ("Tab", "bold reverse"), " type a new name  ", ("Esc", "bold reverse"),
                    " back",
                )
            )  # fmt: skip
            options = []
            for name in self.athletes:
                label = Text(name)
                mass = self.masses.get(name)
                if mass is not None:
                    label.append(f"  {mass:g} kg", style="dim")
                options.append(Option(label))
            yield OptionList(*options, id="athlete-list")
            yield Input(
                placeholder="New athlete's name",
                max_length=MAX_ATHLETE_CHARS,
                id="athlete-name",
            )
            yield Input(placeholder="Body mass in kg (optional, for energy estimates)",
                        max_length=8, id="athlete-mass")  # fmt: skip
            yield Static(id="athlete-error")

    def on_mount(self) -> None:
        listing = self.query_one("#athlete-list", OptionList)
        wanted = self.current.casefold()
        for index, name in enumerate(self.athletes):
            if index and name.casefold() == wanted:
                listing.highlighted = index
                break
        else:
            listing.highlighted = 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name = "" if event.option_index == 0 else self.athletes[event.option_index]
        self.dismiss(AthleteChoice(name))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(self.query_one("#athlete-name", Input).value.split())
        if not name:
            self.show_error("Type a name, or pick one from the list with ↑↓ and Enter.")
            self.query_one("#athlete-name", Input).focus()
            return
        try:
            mass = parse_mass(self.query_one("#athlete-mass", Input).value)
        except ValueError:
            self.show_error("Body mass: a number of kilograms between 20 and 300, or nothing.")
            self.query_one("#athlete-mass", Input).focus()
            return
        self.dismiss(AthleteChoice(name, mass))

    def show_error(self, message: str) -> None:
        self.query_one("#athlete-error", Static).update(Text(message))

    def action_cancel(self) -> None:
        self.dismiss(None)
