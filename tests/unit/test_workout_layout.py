"""How the workout screen shares its rows out, without a terminal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from retro_tui.tui.widgets.big_text import text_height, text_width
from retro_tui.tui.widgets.workout_layout import CLOCK_GAP, plan_big_layout

SIDE = ("mph", "1 % incline", "aim 4 somewhat hard", "28:59 left in all")


def test_the_countdown_comes_first_then_the_speed_then_the_banner() -> None:
    big = plan_big_layout(160, 45, 12, "BACKWARD", "28:59", "2.5", SIDE, "NEXT: FORWARD 3.0")
    assert big.clock_rows >= 11
    assert big.speed_scale >= 1 and big.banner_scale >= 1
    assert big.speed_scale <= big.clock_scale and big.banner_scale <= big.clock_scale
    medium = plan_big_layout(100, 30, 12, "BACKWARD", "28:59", "2.5", SIDE)
    assert medium.clock_rows >= 7


def test_a_plain_speed_shares_its_line_with_the_units() -> None:
    # 60 columns: no room for the speed in block digits beside the countdown.
    small = plan_big_layout(60, 20, 12, "BACKWARD", "28:59", "2.5", SIDE)
    assert small.speed_scale == 0
    assert small.clock_rows == max(text_height(small.clock_scale), len(SIDE))
    assert small.clock_width <= 60


def test_an_extra_headline_only_in_rows_to_spare() -> None:
    roomy = plan_big_layout(200, 60, 12, "BACKWARD", "28:59", "2.5", SIDE, "NEXT: FORWARD 3.0")
    assert roomy.extra_scale >= 1 and roomy.spare_rows >= 0
    tight = plan_big_layout(100, 30, 12, "BACKWARD", "28:59", "2.5", SIDE, "NEXT: FORWARD 3.0")
    assert tight.extra_scale == 0 and tight.extra_rows == 0


@given(
    st.integers(min_value=0, max_value=250),
    st.integers(min_value=0, max_value=80),
    st.integers(min_value=0, max_value=20),
    st.sampled_from(["BACKWARD", "FORWARD", "PAUSED", "CONNECTION LOST"]),
    st.sampled_from(["0:05", "28:59", "1:02:03"]),
    st.sampled_from(["", "2.5", "10.5"]),
    st.lists(st.sampled_from(["mph", "your own pace", "12:00 left in all"]), max_size=4),
    st.sampled_from(["", "HOW HARD? 0-10", "NEXT: BACKWARD 2.5"]),
)
def test_whatever_the_size_what_is_chosen_fits(
    width: int,
    height: int,
    reserved: int,
    banner: str,
    countdown: str,
    speed: str,
    side: list[str],
    extra: str,
) -> None:
    layout = plan_big_layout(width, height, reserved, banner, countdown, speed, side, extra)
    assert layout == plan_big_layout(width, height, reserved, banner, countdown, speed, side, extra)
    assert layout.rows + layout.spare_rows == max(0, height - reserved)
    assert layout.speed_scale <= max(layout.clock_scale, 0)
    assert layout.banner_scale <= layout.clock_scale
    if layout.clock_scale:
        assert layout.clock_width <= width
        assert layout.countdown_width == text_width(countdown, layout.clock_scale)
        assert layout.clock_rows + layout.banner_rows + layout.gap_rows <= height - reserved
    if layout.banner_scale:
        assert layout.banner_width <= width
    if layout.extra_scale:
        assert text_width(extra, layout.extra_scale) <= width and layout.spare_rows >= 0
    if layout.clock_width > layout.countdown_width:
        assert layout.clock_width >= layout.countdown_width + CLOCK_GAP
