"""Text as big as the space allows: a 5x7 dot-matrix font drawn in half blocks, scaled.

The person on the treadmill reads the workout screen from two metres away while moving
backward, so the countdown, the target speed and the direction word should fill whatever
room the terminal has. This module draws them with one small bitmap font of its own:

* **One font, whole-number scales.** Every glyph is a 5x7 grid of pixels (``:`` and ``.``
  are one pixel wide) written below as string rows, ``#`` for ink. At scale ``s`` each
  font pixel becomes an ``s`` x ``s`` block of pixels, so every size is the same shapes,
  only bigger: "the largest that fits" never switches to a different-looking font.
* **Half blocks for square pixels.** A terminal cell is about twice as tall as wide, so a
  cell holds one pixel across and two down: ``█`` both, ``▀`` upper, ``▄`` lower, a
  space neither. A glyph at scale ``s`` is ``5*s`` columns wide (``s`` for ``:`` and
  ``.``, ``3*s`` for a space) and ``ceil(7*s/2)`` rows tall, with ``s`` blank columns
  between glyphs.
* **Scale 0 is plain text**, the text as given on one row, for when even scale 1 is too
  big. The widget shows it bold.

Why not something else: Textual's ``Digits`` is always three rows tall; figlet fonts
(pyfiglet, a new dependency) come in fixed sizes and styles, so growing with the
terminal would mean jumping between fonts that look different; a built-in bitmap font
costs about a hundred lines and nothing to install.

Characters: digits, ``: . - + % ?``, space and A-Z. Lowercase letters are drawn as
capitals; any other character is drawn as ``?`` so a missing glyph shows instead of
silently vanishing (a blank would turn "CONNECTION LOST!" into a word that looks
complete). ``0`` and ``O`` share one shape, as on most dot-matrix displays: numbers and
words never share a display here.

The pure functions (:func:`text_width`, :func:`text_height`, :func:`render_lines`,
:func:`fit_scale`) need no terminal; :class:`BigText` is the Textual widget that uses
them, and :mod:`retro_tui.tui.widgets.workout_layout` shares a screen out between several.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

GLYPH_ROWS = 7
"""Pixel rows of every glyph at scale 1."""

# Each glyph: seven rows of equal length, "#" is ink. Shapes follow the classic 5x7
# character-LCD font (HD44780 style), with ':' and '.' one pixel wide so their dots have
# the same weight as the strokes of the digits beside them.
_FONT: dict[str, tuple[str, ...]] = {
    "0": (" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": (" ### ", "#   #", "    #", "  ## ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    # Dots at a third and two thirds of the digit height.
    ":": (" ", " ", "#", " ", "#", " ", " "),
    ".": (" ", " ", " ", " ", " ", " ", "#"),
    "-": ("     ", "     ", "     ", "#####", "     ", "     ", "     "),
    "+": ("     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     "),
    "%": ("##   ", "##  #", "   # ", "  #  ", " #   ", "#  ##", "   ##"),
    "?": (" ### ", "#   #", "    #", "   # ", "  #  ", "     ", "  #  "),
    # Three pixels plus the two gaps around it: five pixels between words, a letter's width.
    " ": ("   ",) * GLYPH_ROWS,
    "A": (" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "),
    "C": (" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "),
    "D": ("###  ", "#  # ", "#   #", "#   #", "#   #", "#  # ", "###  "),
    "E": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"),
    "F": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "),
    "G": (" ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####"),
    "H": ("#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "I": (" ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "J": ("  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  "),
    "K": ("#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"),
    "L": ("#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"),
    "N": ("#   #", "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"),
    "S": (" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "V": ("#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # "),
    "X": ("#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"),
    "Y": ("#   #", "#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"),
}

CHARACTERS = frozenset(_FONT)
"""Every character with a glyph of its own (lowercase letters are drawn as these capitals)."""

UNKNOWN = "?"
"""The glyph drawn for a character the font lacks."""

# (upper pixel, lower pixel) -> the cell that shows them.
_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def glyph_for(char: str) -> str:
    """The font key ``char`` is drawn with: itself, its capital, or ``?``."""
    if char in _FONT:
        return char
    upper = char.upper()
    return upper if upper in _FONT else UNKNOWN


def _unit_width(text: str) -> int:
    """Pixel columns of ``text`` at scale 1, gaps included."""
    if not text:
        return 0
    return sum(len(_FONT[glyph_for(char)][0]) for char in text) + len(text) - 1


def text_width(text: str, scale: int) -> int:
    """Columns ``text`` takes at ``scale``; at scale 0 (plain text) its cell width."""
    if scale <= 0:
        return cell_len(_plain(text))
    # Every glyph and every gap grows by the same factor, so width is linear in scale.
    return _unit_width(text) * scale


def text_height(scale: int) -> int:
    """Rows any text takes at ``scale``: ``ceil(7 * scale / 2)``, or 1 for plain text."""
    if scale <= 0:
        return 1
    return (GLYPH_ROWS * scale + 1) // 2


def _plain(text: str) -> str:
    # Plain text is one row: a stray newline must not make it two.
    return " ".join(text.splitlines())


@lru_cache(maxsize=512)
def _glyph_cells(glyph: str, scale: int) -> tuple[str, ...]:
    """One glyph at ``scale`` as rows of half-block cells (cached: a handful per screen)."""
    pixels = ["".join(pixel * scale for pixel in row) for row in _FONT[glyph] for _ in range(scale)]
    if len(pixels) % 2:
        # An odd number of pixel rows: the last cell row has an empty lower half.
        pixels.append(" " * len(pixels[0]))
    return tuple(
        "".join(
            _HALF_BLOCKS[upper == "#", lower == "#"]
            for upper, lower in zip(pixels[row], pixels[row + 1], strict=True)
        )
        for row in range(0, len(pixels), 2)
    )


@lru_cache(maxsize=256)
def render_lines(text: str, scale: int) -> tuple[str, ...]:
    """``text`` drawn at ``scale``: ``text_height(scale)`` rows, each ``text_width`` wide.

    Scale 0 gives the plain text on one row. The result is cached: a workout shows a
    new countdown once a second and asks for the same few texts again and again.
    """
    if scale <= 0:
        return (_plain(text),)
    if not text:
        return ("",) * text_height(scale)
    # Half-block cells of one column depend only on that column's pixels, and every glyph
    # has seven pixel rows, so glyphs rendered alone can be laid side by side.
    glyphs = [_glyph_cells(glyph_for(char), scale) for char in text]
    gap = " " * scale
    return tuple(gap.join(rows) for rows in zip(*glyphs, strict=True))


def fit_scale(text: str, width: int, height: int, max_scale: int | None = None) -> int:
    """The largest scale at which ``text`` fits ``width`` x ``height`` cells; 0 if none does.

    0 also means "show it as plain text" (which may itself be cut off in a tiny space).
    ``max_scale`` caps the answer; ``None`` leaves only the space to limit it. Empty text
    fits any width, so only the height limits it.
    """
    if width <= 0 or height <= 0:
        return 0
    # text_height(s) <= height  <=>  7 * s <= 2 * height.
    scale = 2 * height // GLYPH_ROWS
    unit = _unit_width(text)
    if unit:
        scale = min(scale, width // unit)
    if max_scale is not None:
        scale = min(scale, max_scale)
    return max(0, scale)


# -- the widget ---------------------------------------------------------------------------

_StripsKey = tuple[str, int, int, int, Style, str, str]
_BOLD = Style(bold=True)


def _offset(align: str, room: int, used: int) -> int:
    """Where a span of ``used`` cells starts in ``room`` for ``align``; 0 when it overflows."""
    spare = max(0, room - used)
    if align in ("center", "middle"):
        return spare // 2
    if align in ("right", "bottom"):
        return spare
    return 0


class PreparedLines(Widget):
    """A widget that draws its whole frame as strips in ``_prepare``, once per change.

    Textual asks for each line separately; the strips are settled once per frame (in
    ``render_lines``) and each line then only looked up, which keeps a second's redraw
    of the big clock as small as it can be.
    """

    _strips: tuple[object, list[Strip]] | None = None
    """What the strips were built for (a key of the subclass's choosing), and the strips."""

    def _prepare(self) -> list[Strip]:
        """The frame's strips, rebuilt only when what they show changed."""
        raise NotImplementedError

    def render_lines(self, crop: Region) -> list[Strip]:
        self._prepare()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        # render_lines has just prepared the strips; checking the key again for each line
        # (the widget's style is the costly part) would double the cost of a frame.
        strips = self._prepare() if self._strips is None else self._strips[1]
        if 0 <= y < len(strips):
            return strips[y]
        return Strip.blank(self.size.width, self.rich_style)


class BigText(PreparedLines):
    """Shows ``text`` at the largest scale that fits, centred; plain bold text if none does.

    Give it a size (the default fills its container: ``1fr`` both ways) and set ``text``
    once a second: it repaints only when the text, ``max_scale``, its size or its style
    changes. With ``width: auto`` or ``height: auto`` it takes the size of the largest
    scale that fits its container. ``text`` is plain text, never markup.

    It draws through the line API (``render_line``) rather than returning a ``Text`` from
    ``render``: for a 160x23 widget showing a 150x21 countdown, going through ``Text`` and
    Textual's ``Content`` took about 2 ms a frame, building the strips directly about
    0.7 ms, less than Textual's ``Digits`` in the same space (0.9 to 1.2 ms). So it does its
    own alignment, following the ``content-align`` style (``center middle`` by default).
    """

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
        content-align: center middle;
    }
    """

    text: reactive[str] = reactive("")
    """What to show."""
    max_scale: reactive[int | None] = reactive(None)
    """The largest scale to use (``None``: as large as fits); the screen sets this to keep
    the banner no bigger than the countdown."""

    def __init__(
        self,
        text: str = "",
        *,
        max_scale: int | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(BigText.text, text)
        self.set_reactive(BigText.max_scale, max_scale)
        self._strips = None

    def fit(self, rows: int, max_scale: int) -> None:
        """Take ``rows`` rows (0: none, and hide) and draw no larger than ``max_scale``."""
        self.styles.height = rows
        self.max_scale = max_scale

    @property
    def scale(self) -> int:
        """The scale the current text is shown at in the current size (0: plain text)."""
        width, height = self.content_size
        return fit_scale(self.text, width, height, self.max_scale)

    @property
    def lines(self) -> tuple[str, ...]:
        """The rows of text shown now, before alignment: one row when it is plain text."""
        return render_lines(self.text, self.scale)

    def fits_at(self, scale: int) -> bool:
        """Whether the current text at ``scale`` fits the widget's current content size."""
        width, height = self.content_size
        return text_width(self.text, scale) <= width and text_height(scale) <= height

    def _auto_sized(self) -> bool:
        return any(
            length is not None and length.is_auto
            for length in (self.styles.width, self.styles.height)
        )

    def watch_text(self, old: str, new: str) -> None:
        # The reactive repaints; only an auto-sized widget whose text changed size needs a
        # new layout ("9:59" after "10:00"). Same unit width means same size at any scale.
        if self._auto_sized() and (
            _unit_width(old) != _unit_width(new) or text_width(old, 0) != text_width(new, 0)
        ):
            self.refresh(layout=True)

    def watch_max_scale(self) -> None:
        if self._auto_sized():
            self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        scale = fit_scale(self.text, container.width, container.height, self.max_scale)
        return text_width(self.text, scale)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return text_height(fit_scale(self.text, width, container.height, self.max_scale))

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        # Copying the big digits should give "28:59", not a block of half blocks.
        return self.text, "\n"

    # -- drawing ---------------------------------------------------------------------------

    def _prepare(self) -> list[Strip]:
        """The strips for the current text, scale, size and style: rebuilt only on a change."""
        width, height = self.size
        text = self.text
        styles = self.styles
        key: _StripsKey = (
            text,
            fit_scale(text, width, height, self.max_scale),
            width,
            height,
            self.rich_style,
            styles.content_align_horizontal,
            styles.content_align_vertical,
        )
        if self._strips is None or self._strips[0] != key:
            self._strips = (key, _build_strips(*key))
        return self._strips[1]


def _build_strips(
    text: str,
    scale: int,
    width: int,
    height: int,
    style: Style,
    align_horizontal: str,
    align_vertical: str,
) -> list[Strip]:
    """``height`` strips of ``width`` cells showing ``text`` at ``scale``, aligned."""
    if width <= 0 or height <= 0:
        return []
    lines = render_lines(text, scale)
    top = _offset(align_vertical, height, len(lines))
    strips = [Strip.blank(width, style)] * height
    if scale:
        # Lines at a fitting scale always fit: one segment of the widget's style each.
        used = text_width(text, scale)
        left = " " * _offset(align_horizontal, width, used)
        right = " " * (width - used - len(left))
        for row, line in enumerate(lines):
            strips[top + row] = Strip([Segment(left + line + right, style)], width)
    else:
        plain = lines[0]
        used = cell_len(plain)
        indent = " " * _offset(align_horizontal, width, used)
        # Too long even as plain text: show its start, cut at the edge.
        strip = Strip([Segment(indent, style), Segment(plain, style + _BOLD)])
        strips[min(top, height - 1)] = strip.crop_extend(0, width, style)
    return strips
