"""Who is training: pick an athlete from the list, type a new one, or choose nobody.

One laptop often serves several clients. The choice is stamped on every
session from then on and remembered in the settings. A body mass typed here
(optional) is what the energy estimates use for that athlete; a highest and a
resting heart rate (optional too) set their heart-rate zones.

The heart rates are kept in the athlete's own entry of the settings by the
dialog itself, through the app, as the new name is chosen: whoever opened it
(the library's ``a``, the settings screen) then makes the choice as always.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from retro_tui.config import (
    MAX_ATHLETE_CHARS,
    MAX_MAX_HEART_RATE,
    MAX_RESTING_HEART_RATE,
    MIN_MAX_HEART_RATE,
    MIN_RESTING_HEART_RATE,
)
from retro_tui.tui.screens.base import RetroDialog, ScreenHelp

NOBODY = "Nobody in particular"


@dataclass(frozen=True)
class AthleteChoice:
    name: str
    """The athlete's name; empty for nobody in particular."""
    body_mass_kg: float | None = None
    max_heart_rate: int | None = None
    """The highest heart rate typed for the athlete (already kept in the settings)."""
    resting_heart_rate: int | None = None


def parse_heart_rate(text: str, low: int, high: int) -> int | None:
    """Beats per minute typed by a person ("185", "185 bpm"); None if blank; ValueError if odd."""
    cleaned = text.strip().lower().removesuffix("bpm").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit() or not low <= int(cleaned) <= high:
        raise ValueError(f"a whole number of beats per minute between {low} and {high}")
    return int(cleaned)


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
    #athlete-numbers {
        height: auto;
    }
    #athlete-numbers Input {
        width: 1fr;
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
            for number, name in enumerate(self.athletes):
                label = Text(name)
                mass = self.masses.get(name)
                if mass is not None:
                    label.append(f"  {mass:g} kg", style="dim")
                zones = self.retro.config.heart_rate_zones_for(name) if number else None
                if zones is not None:
                    label.append(f"  ♥ {zones.max_bpm} highest", style="dim")
                options.append(Option(label))
            yield OptionList(*options, id="athlete-list")
            yield Input(
                placeholder="New athlete's name",
                max_length=MAX_ATHLETE_CHARS,
                id="athlete-name",
            )
            # Side by side, all optional: the mass for energy estimates, the rates for zones.
            with Horizontal(id="athlete-numbers"):
                yield Input(placeholder="Body mass kg", max_length=8, id="athlete-mass")
                yield Input(placeholder="Highest bpm", max_length=7, id="athlete-max-hr")
                yield Input(placeholder="Resting bpm", max_length=7, id="athlete-resting-hr")
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
        typed_name = " ".join(self.query_one("#athlete-name", Input).value.split())
        if typed_name:
            # Enter on the list with a new name typed: which one was meant is not clear.
            self.show_error(
                f"To add {typed_name}, press Enter in the name field; to pick from the list, "
                "clear the name first."
            )
            return
        numbers = ("#athlete-mass", "#athlete-max-hr", "#athlete-resting-hr")
        typed = any(self.query_one(field, Input).value.strip() for field in numbers)
        if not typed:
            self.dismiss(AthleteChoice(name))
        elif not name:
            self.show_error(
                "Nobody in particular has no numbers of their own: pick an athlete, or type "
                "a new name, to keep them with."
            )
        else:
            # Numbers typed, then an athlete picked: they are that athlete's.
            self.choose(name)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(self.query_one("#athlete-name", Input).value.split())
        if not name:
            self.show_error("Type a name, or pick one from the list with ↑↓ and Enter.")
            self.query_one("#athlete-name", Input).focus()
            return
        self.choose(name)

    def choose(self, name: str) -> None:
        """Dismiss with ``name`` and the numbers typed, once they all make sense."""
        try:
            mass = parse_mass(self.query_one("#athlete-mass", Input).value)
        except ValueError:
            self.show_error("Body mass: a number of kilograms between 20 and 300, or nothing.")
            self.query_one("#athlete-mass", Input).focus()
            return
        rates = self.heart_rates(name)
        if rates is None:
            return
        highest, resting = rates
        # Kept here, so that every caller keeps them (see the module docstring); a file that
        # can't be written is said by the caller, whose own change to it fails the same way.
        self.retro.remember_heart_rates(name, max_heart_rate=highest, resting_heart_rate=resting)
        self.dismiss(AthleteChoice(name, mass, highest, resting))

    def heart_rates(self, name: str) -> tuple[int | None, int | None] | None:
        """The highest and resting heart rates typed (each None if blank); None, with the
        field to fix focused and the reason shown, if either is odd."""
        fields = (
            ("#athlete-max-hr", "Highest heart rate", MIN_MAX_HEART_RATE, MAX_MAX_HEART_RATE),
            ("#athlete-resting-hr", "Resting heart rate", MIN_RESTING_HEART_RATE,
             MAX_RESTING_HEART_RATE),
        )  # fmt: skip
        rates: list[int | None] = []
        for field_id, what, low, high in fields:
            try:
                rates.append(parse_heart_rate(self.query_one(field_id, Input).value, low, high))
            except ValueError as error:
                self.show_error(f"{what}: {error}, or nothing.")
                self.query_one(field_id, Input).focus()
                return None
        highest, resting = rates
        # Each against the other as it will stand: typed now, else what is already kept.
        stored = self.retro.config.athlete_profile(name)
        known_highest = highest if highest is not None else stored and stored.max_heart_rate
        known_resting = resting if resting is not None else stored and stored.resting_heart_rate
        if known_resting and known_highest and known_resting >= known_highest:
            if resting is not None:
                message = (
                    f"Resting heart rate: below the highest ({known_highest} bpm), or nothing."
                )
                field_id = "#athlete-resting-hr"
            else:
                message = f"Highest heart rate: above the resting one kept ({known_resting} bpm)."
                field_id = "#athlete-max-hr"
            self.show_error(message)
            self.query_one(field_id, Input).focus()
            return None
        return highest, resting

    def show_error(self, message: str) -> None:
        self.query_one("#athlete-error", Static).update(Text(message))

    def action_cancel(self) -> None:
        self.dismiss(None)
