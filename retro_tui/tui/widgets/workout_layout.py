"""How the workout screen shares its rows between the direction word, the clock and the rest.

From two metres away, moving backward, the time left is what matters, so the
countdown gets the largest block digits that fit; the target speed stands
beside it (with its units and incline in plain text under it), then the
direction word above gets the largest that fits what is left, never larger
than the countdown. With rows still to spare (a big terminal, a big browser
window), one more line is drawn in block letters: what comes next, or the
rating question.

Everything here is a pure function of the screen's size and the texts, so it
is worked out again on every resize and step change, and tested without a
terminal. Scales and sizes come from :mod:`retro_tui.tui.widgets.big_text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from retro_tui.tui.widgets.big_text import GLYPH_ROWS, fit_scale, text_height, text_width

CLOCK_GAP = 2
"""Blank columns between the countdown and the speed column."""

MAX_EXTRA_SCALE = 2
"""The extra big line (next step, rating question) is a headline, not a second clock."""


@dataclass(frozen=True)
class BigLayout:
    """Scales (0: plain text) and rows of the banner, the clock row and an extra big line."""

    banner_scale: int
    banner_rows: int
    gap_rows: int
    """A blank row between the banner and the clock row, when there is room for it."""
    clock_scale: int
    """The countdown's scale."""
    clock_rows: int
    """Rows of the clock row: the countdown, or the speed column if that is taller."""
    speed_scale: int
    speed_rows: int
    extra_scale: int
    """The extra line's scale; 0 means it is not drawn big (its plain line still is)."""
    extra_rows: int
    spare_rows: int
    """Rows left over (negative when even the smallest choice does not fit)."""
    banner_width: int
    countdown_width: int
    speed_width: int
    clock_width: int
    """Columns of the clock row: countdown, gap and speed column."""

    @property
    def rows(self) -> int:
        return self.banner_rows + self.gap_rows + self.clock_rows + self.extra_rows


def _column_width(speed: str, scale: int, side: Sequence[str]) -> int:
    """The speed column: the speed at ``scale`` over the ``side`` lines of plain text.

    A speed drawn as plain text shares the first side line (``2.5 mph``).
    """
    widths = [len(line) for line in side]
    if speed and scale:
        widths.append(text_width(speed, scale))
    elif speed:
        widths[:1] = [len(speed) + 1 + (widths[0] if widths else 0)]
    return max(widths, default=0)


def _clock_width(countdown_width: int, column_width: int) -> int:
    return countdown_width + (CLOCK_GAP + column_width if column_width else 0)


def _column_rows(speed: str, scale: int, side: Sequence[str]) -> int:
    return (text_height(scale) if speed and scale else 0) + max(len(side), 1 if speed else 0)


def plan_big_layout(
    width: int,
    height: int,
    reserved_rows: int,
    banner_word: str,
    countdown: str,
    speed: str = "",
    side: Sequence[str] = (),
    extra: str = "",
) -> BigLayout:
    """Scales for the big parts of a ``width`` x ``height`` workout screen.

    ``reserved_rows`` are the rows of everything else (title, bars, cue, next line,
    prompt, footer). The clock row is ``countdown`` and, beside it, a column of
    ``speed`` (empty: none) over the ``side`` lines of plain text (a speed in plain
    text shares the first of them). ``extra`` is the line to draw big if rows are
    left (empty: none).

    In order of importance:

    1. the countdown: the largest scale whose clock row fits the width (the speed
       as plain text) and leaves rows for a block-letter banner (one row, if the
       word is too wide for block letters, or the screen too low: the banner never
       goes, the countdown shrinks to plain digits first);
    2. the speed: the largest scale, at most the countdown's, that fits beside it
       without making the clock row taller;
    3. the banner: the largest scale, at most the countdown's, in the rows left;
    4. a blank row between banner and clock, if there is one to spare;
    5. the extra line, in whatever rows are still left, at most
       :data:`MAX_EXTRA_SCALE`.
    """
    rows = max(0, height - reserved_rows)

    def clock_rows_at(scale: int, speed_scale: int) -> int:
        return max(text_height(scale), _column_rows(speed, speed_scale, side))

    def fits_width(scale: int, speed_scale: int) -> bool:
        column = _column_width(speed, speed_scale, side)
        return _clock_width(text_width(countdown, scale), column) <= width

    banner_need = text_height(1) if text_width(banner_word, 1) <= width else 1
    clock_scale = 0
    # The banner keeps a row whatever it costs the clock: the direction is what must
    # never go (a countdown in plain digits still counts down).
    for need in (banner_need, 1):
        top = 2 * max(0, rows - need) // GLYPH_ROWS
        clock_scale = next(
            (
                scale
                for scale in range(top, 0, -1)
                if fits_width(scale, 0) and clock_rows_at(scale, 0) + need <= rows
            ),
            0,
        )
        if clock_scale:
            break
    base_rows = clock_rows_at(clock_scale, 0)
    speed_scale = 0
    if speed:
        speed_scale = next(
            (
                scale
                for scale in range(clock_scale, 0, -1)
                if fits_width(clock_scale, scale) and clock_rows_at(clock_scale, scale) <= base_rows
            ),
            0,
        )
    clock_rows = clock_rows_at(clock_scale, speed_scale)
    countdown_width = text_width(countdown, clock_scale)
    column = _column_width(speed, speed_scale, side)

    room = rows - clock_rows
    banner_scale = fit_scale(banner_word, width, room, max_scale=clock_scale)
    # Never none: on the smallest screen the direction still shows, in one plain line.
    banner_rows = text_height(banner_scale) if banner_scale else 1
    left = rows - clock_rows - banner_rows
    gap_rows = 1 if banner_rows and left >= 1 else 0
    left -= gap_rows

    extra_scale = 0
    if extra:
        extra_scale = fit_scale(extra, width, left, max_scale=min(MAX_EXTRA_SCALE, clock_scale))
    extra_rows = text_height(extra_scale) if extra_scale else 0
    return BigLayout(
        banner_scale=banner_scale,
        banner_rows=banner_rows,
        gap_rows=gap_rows,
        clock_scale=clock_scale,
        clock_rows=clock_rows,
        speed_scale=speed_scale,
        speed_rows=text_height(speed_scale) if speed else 0,
        extra_scale=extra_scale,
        extra_rows=extra_rows,
        spare_rows=left - extra_rows,
        banner_width=text_width(banner_word, banner_scale),
        countdown_width=countdown_width,
        speed_width=text_width(speed, speed_scale) if speed else 0,
        clock_width=_clock_width(countdown_width, column),
    )
