"""A word in five-row block letters, readable from across the room.

Used for the direction (BACKWARD / FORWARD) and PAUSED. The letters are drawn
from a small built-in font; when the widget is too narrow for them it falls
back to the word in plain bold capitals, so a tiny terminal still shows it.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

FONT_ROWS = 5

# Each letter: five rows of equal width; "#" is ink.
_FONT: dict[str, tuple[str, ...]] = {
    "A": (" ### ", "#   #", "#####", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#### ", "#   #", "#### "),
    "C": (" ####", "#    ", "#    ", "#    ", " ####"),
    "D": ("#### ", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#### ", "#    ", "#####"),
    "F": ("#####", "#    ", "#### ", "#    ", "#    "),
    "K": ("#   #", "#  # ", "###  ", "#  # ", "#   #"),
    "N": ("#   #", "##  #", "# # #", "#  ##", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#### ", "#    ", "#    "),
    "R": ("#### ", "#   #", "#### ", "#  # ", "#   #"),
    "S": (" ####", "#    ", " ### ", "    #", "#### "),
    "U": ("#   #", "#   #", "#   #", "#   #", " ### "),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    " ": ("  ", "  ", "  ", "  ", "  "),
}


def can_draw(word: str) -> bool:
    return all(char in _FONT for char in word.upper())


def big_width(word: str) -> int:
    """Columns the word needs in block letters (one blank column between letters)."""
    letters = [_FONT[char] for char in word.upper()]
    return sum(len(rows[0]) for rows in letters) + max(0, len(letters) - 1)


def big_lines(word: str, ink: str = "█") -> list[str]:
    letters = [_FONT[char] for char in word.upper()]
    return [" ".join(rows[row] for rows in letters).replace("#", ink) for row in range(FONT_ROWS)]


class BigWord(Widget):
    """Shows ``word`` in block letters, centred; plain capitals when there is no room."""

    DEFAULT_CSS = """
    BigWord {
        height: 5;
        content-align: center middle;
        text-style: bold;
    }
    """

    word: reactive[str] = reactive("")

    def __init__(self, word: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.word = word

    def render(self) -> Text:
        word = self.word.upper()
        width, height = self.size.width, self.size.height
        # The CSS (content-align: center middle) centres what is returned here.
        if word and can_draw(word) and big_width(word) <= width and height >= FONT_ROWS:
            return Text("\n".join(big_lines(word)), no_wrap=True)
        return Text(word, no_wrap=True)
