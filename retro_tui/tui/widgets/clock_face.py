"""The clock row of the workout screen: the countdown in block digits, the target speed beside it.

Beside the countdown stands a column: the target speed in block digits (smaller,
or plain when there is no room), then a few plain lines (units, incline, the
effort to aim for) and the time left in the whole plan. Its last row is the
bar of the step so far. Scales and widths come
from :mod:`retro_tui.tui.widgets.workout_layout`; this widget only draws.

It is one widget drawn strip by strip rather than a row of smaller widgets on
purpose: it is what changes every second, and Textual repaints every widget
that shares a container with a change, so one widget here is the cheapest
frame a running workout can have (see ``bench/workout_cpu``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.selection import Selection
from textual.strip import Strip

from retro_tui.tui.widgets.big_text import PreparedLines, render_lines, text_width
from retro_tui.tui.widgets.workout_layout import CLOCK_GAP, BigLayout

BAR_MARGIN = 1
"""Blank columns either side of the step's bar."""

_BOLD = Style(bold=True)


@dataclass(frozen=True)
class ClockScales:
    """How big to draw: the countdown's and the speed's scales (0: plain text)."""

    countdown: int = 0
    speed: int = 0
    column_width: int = 0
    """Columns of the speed column; 0 leaves it out."""


@dataclass(frozen=True)
class _Places:
    """Where the parts were last drawn (at ``size``), to repaint just what changes."""

    size: Size

    digits_x: int
    digits_y: int
    digits_rows: int
    column_x: int
    column_width: int
    total_left_y: int | None


class ClockFace(PreparedLines):
    """Draws ``countdown``, and beside it ``speed`` over ``lines`` and ``total_left``."""

    COMPONENT_CLASSES = {"clock-face--bar"}
    DEFAULT_CSS = """
    ClockFace {
        width: 1fr;
        text-style: bold;
    }
    ClockFace > .clock-face--bar {
        color: $primary;
        text-style: not bold;
    }
    """

    speed: reactive[str] = reactive("")
    lines: reactive[tuple[str, ...]] = reactive(())
    """Plain lines under the speed (units, incline, effort to aim for)."""
    scales: reactive[ClockScales] = reactive(ClockScales())

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._countdown = "0:00"
        self._total_left = ""
        self._progress = 0.0
        self._bar_style: Style | None = None
        """The bar's style, looked up once per change of styles (the lookup is not cheap)."""
        self._strips = None
        self._places: _Places | None = None

    # What changes every second repaints only the cells that changed: the last digit of
    # the countdown, most seconds, and a cell or two of the bar, not the whole clock.

    @property
    def countdown(self) -> str:
        return self._countdown

    @countdown.setter
    def countdown(self, text: str) -> None:
        self.show_time(countdown=text)

    @property
    def total_left(self) -> str:
        """The time left in the whole plan, under the speed column's lines."""
        return self._total_left

    @total_left.setter
    def total_left(self, text: str) -> None:
        self.show_time(total_left=text)

    @property
    def progress(self) -> float:
        """How much of the step is done, 0 to 1: the bar on the last row."""
        return self._progress

    @progress.setter
    def progress(self, value: float) -> None:
        self.show_time(progress=value)

    def fit(self, layout: BigLayout) -> None:
        """Take the rows and scales ``layout`` gives the clock row, and the bar under it."""
        self.styles.height = layout.clock_rows + 1
        self.styles.margin = (layout.gap_rows, 0, 0, 0)
        column_width = layout.clock_width - layout.countdown_width - CLOCK_GAP
        self.scales = ClockScales(layout.clock_scale, layout.speed_scale, max(0, column_width))

    def show_time(
        self,
        countdown: str | None = None,
        total_left: str | None = None,
        progress: float | None = None,
    ) -> None:
        """Change what moves with the clock, and repaint just the cells that changed."""
        regions: list[Region] = []
        whole = False
        places = self._places
        if countdown is not None and countdown != self._countdown:
            changed = self._changed_digits(self._countdown, countdown)
            whole = whole or not changed
            regions += changed
            self._countdown = countdown
        if total_left is not None and total_left != self._total_left:
            self._total_left = total_left
            if places is None or places.total_left_y is None:
                whole = True
            else:
                row = Region(places.column_x, places.total_left_y, places.column_width, 1)
                regions.append(row)
        if progress is not None:
            value = min(1.0, max(0.0, progress))
            width, height = self.size
            bar = max(0, width - 2 * BAR_MARGIN)
            before, after = round(self._progress * bar), round(value * bar)
            self._progress = value
            if before != after and height:
                start, end = sorted((before, after))
                regions.append(Region(BAR_MARGIN + start, height - 1, end - start, 1))
        # Places from another size are no guide: then all of it (and never past the edge).
        bounds = Region(0, 0, *self.size)
        if places is not None and places.size != self.size:
            whole = True
        if whole:
            self.refresh()
        elif regions:
            self.refresh(*(region.intersection(bounds) for region in regions))

    def _changed_digits(self, old: str, new: str) -> list[Region]:
        """The regions of the glyphs that differ; none (meaning all of it) if the shape moved."""
        places = self._places
        scale = self.scales.countdown
        if places is None or not scale or len(old) != len(new):
            return []
        if text_width(old, scale) != text_width(new, scale):
            return []
        regions = []
        x = places.digits_x
        for before, after in zip(old, new, strict=True):
            glyph = text_width(after, scale)
            if before != after:
                regions.append(Region(x, places.digits_y, glyph, places.digits_rows))
            x += glyph + scale
        return regions

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._bar_style = None

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        # Copying the clock gives the words, not a block of half blocks.
        text = "\n".join([self.countdown, self.speed, *self.lines, self.total_left])
        return text, "\n"

    def _prepare(self) -> list[Strip]:
        width, height = self.size
        style = self.rich_style
        bar = max(0, width - 2 * BAR_MARGIN)
        key = (
            self.countdown,
            self.speed,
            self.lines,
            self.total_left,
            self.scales,
            round(self._progress * bar),
            width,
            height,
            style,
        )
        if self._strips is None or self._strips[0] != key:
            self._strips = (key, self._build(width, height, style))
        return self._strips[1]

    def _build(self, width: int, height: int, style: Style) -> list[Strip]:
        if width <= 0 or height <= 0:
            return []
        strips = self._clock_strips(width, height - 1, style)
        return [*strips, self._bar_strip(width, style)]

    def _bar_strip(self, width: int, style: Style) -> Strip:
        bar = max(0, width - 2 * BAR_MARGIN)
        filled = round(self._progress * bar)
        margin = " " * min(BAR_MARGIN, width)
        if self._bar_style is None:
            self._bar_style = self.get_component_rich_style("clock-face--bar")
        done = self._bar_style
        todo = done + Style(dim=True)
        segments = [Segment(margin, style), Segment("━" * filled, done)]
        segments += [Segment("─" * (bar - filled), todo), Segment(margin, style)]
        return Strip(segments).crop_extend(0, width, style)

    def _clock_strips(self, width: int, height: int, style: Style) -> list[Strip]:
        if height <= 0:
            return []
        scales = self.scales
        digits = render_lines(self.countdown, scales.countdown)
        # Every line of block digits is exactly this wide (plain text, at scale 0, may not be).
        digits_width = max(text_width(self.countdown, scales.countdown), 1)
        column = self._column(scales)
        column_width = scales.column_width
        used = digits_width + (CLOCK_GAP + column_width if column_width else 0)
        margin = max(0, (width - used) // 2)
        left, right = " " * margin, " " * max(0, width - used - margin)
        bold = style + _BOLD
        plain = style + Style(bold=False)
        blank_digits = " " * digits_width
        # The countdown sits in the middle of the row's height; the column from its top.
        top = max(0, (height - len(digits)) // 2)
        total_row = len(column) - 1 if self.total_left and len(column) <= height else None
        self._places = _Places(
            size=Size(width, height + 1),
            digits_x=margin,
            digits_y=top,
            digits_rows=len(digits),
            column_x=margin + digits_width + CLOCK_GAP,
            column_width=column_width,
            total_left_y=total_row if column_width else None,
        )
        strips = []
        for y in range(height):
            row = y - top
            digit_line = _pad(digits[row], digits_width) if 0 <= row < len(digits) else blank_digits
            segments = [Segment(left, style), Segment(digit_line, bold)]
            if column_width:
                text, emphasis = column[y] if y < len(column) else ("", True)
                segments.append(Segment(" " * CLOCK_GAP, style))
                segments.append(Segment(_pad(text, column_width), bold if emphasis else plain))
            segments.append(Segment(right, style))
            # The lengths are known: telling the strip saves measuring every cell again.
            strip = Strip(segments, margin + used + len(right))
            strips.append(
                strip if strip.cell_length == width else strip.crop_extend(0, width, style)
            )
        return strips

    def _column(self, scales: ClockScales) -> list[tuple[str, bool]]:
        """The speed column's rows: text and whether it is bold."""
        rows: list[tuple[str, bool]] = []
        lines = list(self.lines)
        if self.speed and scales.speed:
            rows += [(line, True) for line in render_lines(self.speed, scales.speed)]
        elif self.speed:
            # No room for block digits: the speed in plain text, with its units beside it.
            lines[:1] = [" ".join([self.speed, *lines[:1]])]
        rows += [(line, True) for line in lines]
        if self.total_left:
            rows.append((self.total_left, False))
        return rows


def _pad(text: str, width: int) -> str:
    """``text`` cut or padded to ``width`` cells (every character here is one cell wide)."""
    return text[:width].ljust(width)
