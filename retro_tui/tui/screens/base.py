"""What every retro-tui screen and dialog shares: typed access to the app, its help, the quit hook.

A screen says what it is for and what its keys do in its own ``ABOUT``, so the
help screen (``?``) reads them from the screen class itself: renaming a screen
takes its help along. ``quit_requested`` is how ``ctrl+q`` asks the screen on
top whether work would be lost: a screen holding unsaved work (a workout, a
summary not yet saved) overrides it and asks first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from retro_tui.tui.app import RetroApp

ResultType = TypeVar("ResultType")


@dataclass(frozen=True)
class ScreenHelp:
    """A screen's name in the help title, a few lines on what it is for, and fuller words
    for the keys whose footer label is short (by action name)."""

    title: str
    text: str
    keys: Mapping[str, str] = field(default_factory=dict)


class RetroScreen(Screen[ResultType]):
    """A full screen of retro-tui."""

    ABOUT: ClassVar[ScreenHelp | None] = None
    """What the help screen says about this screen; ``None``: its docstring's first paragraph."""

    @property
    def retro(self) -> RetroApp:
        """The app, typed: its settings, its history and what it can start."""
        return cast("RetroApp", self.app)

    def quit_requested(self) -> None:
        """``ctrl+q``: nothing is lost here, so the app ends at once."""
        self.app.exit()


class RetroDialog(ModalScreen[ResultType], RetroScreen[ResultType]):
    """A dialog of retro-tui: one framed box in the middle of the screen, over the one below.

    It is a :class:`RetroScreen` too (its help, the typed app, ``ctrl+q``), and modal.

    The box is the dialog's first container, given the ``dialog-box`` class; a dialog sets
    only what differs (its width, its place) in its own CSS.
    """

    DEFAULT_CSS = """
    RetroDialog {
        align: center middle;
    }
    RetroDialog .dialog-box {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 1 2;
        border: thick $accent;
        background: $surface;
    }
    """
