"""The scalable dot-matrix font, without a terminal.

Rendered lines are decoded back into pixels (each cell is one pixel wide and two tall)
so the tests check shapes and scaling, not strings of half blocks.
"""

from __future__ import annotations

import math
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retro_tui.tui.widgets import big_text
from retro_tui.tui.widgets.big_text import (
    CHARACTERS,
    GLYPH_ROWS,
    fit_scale,
    render_lines,
    text_height,
    text_width,
)

REQUIRED = "0123456789:.-+% " + string.ascii_uppercase
DRAWN = "".join(sorted(CHARACTERS))

# (upper, lower) pixel of each half-block cell.
_DECODE = {" ": (0, 0), "▀": (1, 0), "▄": (0, 1), "█": (1, 1)}


def pixels(lines: tuple[str, ...]) -> list[list[int]]:
    """The pixel grid behind half-block lines: two pixel rows per line."""
    grid: list[list[int]] = []
    for line in lines:
        cells = [_DECODE[char] for char in line]
        grid.append([upper for upper, _ in cells])
        grid.append([lower for _, lower in cells])
    return grid


def scaled(grid: list[list[int]], factor: int) -> list[list[int]]:
    """``grid`` with every pixel made ``factor`` x ``factor``."""
    return [[pixel for pixel in row for _ in range(factor)] for row in grid for _ in range(factor)]


def font_grid(text: str) -> list[list[int]]:
    """The scale-1 pixels of ``text`` straight from the font table, one blank column apart."""
    glyphs = [big_text._FONT[big_text.glyph_for(char)] for char in text]
    rows = [" ".join(glyph[row] for glyph in glyphs) for row in range(GLYPH_ROWS)]
    return [[1 if char == "#" else 0 for char in row] for row in rows]


texts = st.text(alphabet=DRAWN + "abcxyz", min_size=1, max_size=8)


# -- the font ----------------------------------------------------------------------------


def test_every_required_character_has_a_glyph() -> None:
    assert set(REQUIRED) <= CHARACTERS
    assert big_text.UNKNOWN in CHARACTERS


@pytest.mark.parametrize("char", DRAWN)
def test_glyphs_are_seven_equal_rows_of_ink_and_blank(char: str) -> None:
    rows = big_text._FONT[char]
    assert len(rows) == GLYPH_ROWS
    assert len({len(row) for row in rows}) == 1
    assert set("".join(rows)) <= {"#", " "}
    if char != " ":
        assert "#" in "".join(rows), "only the space may be blank"


def test_digits_and_letters_are_five_pixels_wide_and_dots_narrow() -> None:
    for char in string.digits + string.ascii_uppercase + "+-%?":
        assert len(big_text._FONT[char][0]) == 5, char
    assert len(big_text._FONT[":"][0]) <= 2
    assert len(big_text._FONT["."][0]) <= 2


def test_glyphs_are_distinct_except_zero_and_o() -> None:
    shapes: dict[tuple[str, ...], str] = {}
    for char in DRAWN:
        shape = big_text._FONT[char]
        if shape in shapes:
            assert {shapes[shape], char} == {"0", "O"}
        shapes[shape] = char


# -- sizes -------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", range(1, 11))
def test_height_is_seven_pixels_scaled_in_half_rows(scale: int) -> None:
    assert text_height(scale) == math.ceil(7 * scale / 2)


def test_plain_text_is_one_row_as_wide_as_the_text() -> None:
    assert text_height(0) == 1
    assert text_width("28:59", 0) == 5
    assert render_lines("Lost 2x", 0) == ("Lost 2x",)
    assert render_lines("two\nrows", 0) == ("two rows",)


def test_widths_of_the_workout_texts() -> None:
    # 5-pixel digits, 1-pixel colon and point, one scaled gap between glyphs.
    assert [text_width("28:59", s) for s in (1, 2, 3, 4)] == [25, 50, 75, 100]
    assert [text_width("2.5", s) for s in (1, 2, 3, 4)] == [13, 26, 39, 52]
    assert [text_width("BACKWARD", s) for s in (1, 2, 3, 4)] == [47, 94, 141, 188]
    assert [text_height(s) for s in (1, 2, 3, 4)] == [4, 7, 11, 14]
    assert text_width("1:02:03", 1) == 33


@given(texts, st.integers(min_value=1, max_value=6))
def test_every_line_is_as_wide_as_text_width(text: str, scale: int) -> None:
    lines = render_lines(text, scale)
    assert len(lines) == text_height(scale)
    assert {len(line) for line in lines} == {text_width(text, scale)}
    assert set("".join(lines)) <= set(_DECODE)


def test_empty_text_is_blank_rows() -> None:
    assert render_lines("", 2) == ("",) * 7
    assert text_width("", 3) == 0


# -- shapes ------------------------------------------------------------------------------


def test_scale_one_decodes_to_the_font_table() -> None:
    grid = pixels(render_lines(REQUIRED, 1))
    assert grid[:GLYPH_ROWS] == font_grid(REQUIRED)
    assert not any(grid[GLYPH_ROWS]), "the padding half row below an odd height is blank"


def test_scale_two_is_the_scale_one_grid_doubled() -> None:
    one = pixels(render_lines("12:34", 1))[:GLYPH_ROWS]
    assert pixels(render_lines("12:34", 2)) == scaled(one, 2)


@given(texts, st.integers(min_value=1, max_value=5))
def test_every_scale_is_the_font_grid_scaled(text: str, scale: int) -> None:
    grid = pixels(render_lines(text, scale))
    assert grid[: GLYPH_ROWS * scale] == scaled(font_grid(text), scale)
    assert not any(pixel for row in grid[GLYPH_ROWS * scale :] for pixel in row)


def test_scale_one_shapes() -> None:
    assert render_lines("12:34", 1) == (
        " ▄█   ▄▀▀▀▄   ▄▀▀▀▄   ▄█ ",
        "  █      ▄▀ ▀   ▄▄▀ ▄▀ █ ",
        "  █    ▄▀   ▀ ▄   █ ▀▀▀█▀",
        " ▀▀▀  ▀▀▀▀▀    ▀▀▀     ▀ ",
    )


def test_lowercase_is_drawn_as_capitals() -> None:
    assert render_lines("backward", 2) == render_lines("BACKWARD", 2)


def test_unknown_characters_are_drawn_as_a_question_mark() -> None:
    assert render_lines("A!é", 1) == render_lines("A??", 1)
    assert text_width("!", 1) == 5


def test_rendering_is_cached() -> None:
    assert render_lines("28:59", 3) is render_lines("28:59", 3)


# -- fit_scale ---------------------------------------------------------------------------


def test_fit_scale_exact_fit_and_one_short() -> None:
    width, height = text_width("28:59", 3), text_height(3)
    assert fit_scale("28:59", width, height) == 3
    assert fit_scale("28:59", width - 1, height) == 2
    assert fit_scale("28:59", width, height - 1) == 2


def test_fit_scale_is_zero_when_scale_one_does_not_fit() -> None:
    assert fit_scale("28:59", 24, 40) == 0
    assert fit_scale("28:59", 200, 3) == 0
    assert fit_scale("28:59", 0, 40) == 0
    assert fit_scale("28:59", 100, 0) == 0
    assert fit_scale("28:59", -5, -5) == 0


def test_fit_scale_max_scale() -> None:
    assert fit_scale("2.5", 200, 60) == 15
    assert fit_scale("2.5", 200, 60, max_scale=4) == 4
    assert fit_scale("2.5", 200, 60, max_scale=0) == 0
    assert fit_scale("2.5", 20, 60, max_scale=4) == 1


def test_fit_scale_of_empty_text_is_limited_by_height_only() -> None:
    assert fit_scale("", 0, 14) == 0
    assert fit_scale("", 1, 14) == 4


@given(
    texts,
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=0, max_value=80),
    st.none() | st.integers(min_value=0, max_value=10),
)
def test_fit_scale_is_the_largest_that_fits(
    text: str, width: int, height: int, max_scale: int | None
) -> None:
    scale = fit_scale(text, width, height, max_scale)

    def fits(s: int) -> bool:
        return text_width(text, s) <= width and text_height(s) <= height

    if scale:
        assert fits(scale)
    if max_scale is None or scale < max_scale:
        assert not fits(scale + 1)
