"""Pick one value of a setting from a short list, such as the theme.

The list opens on the value in force. ``on_highlight`` lets the caller show
each choice as it is highlighted (the theme changes as you move through the
list); Escape hands back None, and the caller puts things back as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from retro_tui.tui.screens.base import RetroDialog, ScreenHelp


class ChooseSettingDialog(RetroDialog[str | None]):
    """Returns the chosen value, or None when cancelled with Escape."""

    ABOUT = ScreenHelp(
        "Choose a value",
        "One value of a setting from a short list, such as the theme: each shows as you "
        "move to it. ↑ ↓ choose, Enter keeps it, Esc puts the old one back.",
    )

    DEFAULT_CSS = """
    #choose-box {
        width: 60;
    }
    #choose-list {
        height: auto;
        max-height: 16;
        margin: 1 0 0 0;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(
        self,
        title: str,
        choices: Sequence[str],
        current: str,
        on_highlight: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current
        self.on_highlight = on_highlight

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-box", classes="dialog-box"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(
                Text.assemble(
                    ("↑↓", "bold reverse"), " pick  ", ("Enter", "bold reverse"), " choose  ",
                    ("Esc", "bold reverse"), " back",
                )
            )  # fmt: skip
            yield OptionList(*(Option(Text(choice)) for choice in self.choices), id="choose-list")

    def on_mount(self) -> None:
        listing = self.query_one("#choose-list", OptionList)
        if self.current in self.choices:
            listing.highlighted = self.choices.index(self.current)
        else:
            listing.highlighted = 0
        listing.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.on_highlight is not None:
            self.on_highlight(self.choices[event.option_index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
