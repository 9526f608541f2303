"""A footer that keeps a screen's essential keys in view on a narrow terminal.

Textual's footer lists the keys left to right and cuts off whatever does not
fit at the right edge, which is where help and quit are. This one leaves out
keys the screen can do without instead, the last of them first, until the
rest fit; the keys the screen names in ``FOOTER_KEEPS`` (the actions to act,
to get help and to leave) always stay. A key left out still works, and ``?``
lists every key of the screen.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget
from textual.widgets import Footer

FOOTER_KEEPS_ATTRIBUTE = "FOOTER_KEEPS"
"""The screen's class attribute naming (as binding actions) the keys never left out."""


def key_width(key: Widget) -> int:
    """The columns ``key`` takes in the footer: its label and its margin."""
    label = key.render()
    width = label.cell_len if isinstance(label, Text) else key.outer_size.width
    return width + key.styles.margin.width


def key_action(key: Widget) -> str | None:
    """The action a footer key runs (``app.help``, ``back``); ``None`` for what is no key."""
    # Textual's footer key widget is not public; what marks one is the action it runs.
    action = getattr(key, "action", None)
    return action if isinstance(action, str) else None


class KeyFooter(Footer):
    """Footer that leaves out the least needed keys, not the last ones, when it runs short."""

    async def recompose(self) -> None:
        # The footer is composed again whenever the screen's keys change (focus moves, a key
        # stops working): the new keys are fitted each time.
        await super().recompose()
        self.fit()

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    def footer_keys(self) -> list[Widget]:
        """Every key of the footer, in view or not, left to right."""
        return [child for child in self.children if key_action(child) is not None]

    def shown_keys(self) -> list[Widget]:
        """The keys in view, left to right."""
        return [key for key in self.footer_keys() if key.display]

    def fit(self) -> None:
        """Show every key that fits, leaving out optional ones from the right."""
        keys = self.footer_keys()
        width = self.size.width
        if not width or not keys:
            for key in keys:
                key.display = True
            return  # not laid out yet: on_resize comes back to it
        keeps = frozenset(getattr(self.screen, FOOTER_KEEPS_ATTRIBUTE, ()))
        needed = sum(key_width(key) for key in keys)
        shown = {id(key): True for key in keys}
        for key in reversed(keys):
            if needed <= width:
                break
            if key_action(key) not in keeps:
                shown[id(key)] = False
                needed -= key_width(key)
        for key in keys:
            # Each change of display is a new layout of the screen: change only what changes.
            if key.display != shown[id(key)]:
                key.display = shown[id(key)]
