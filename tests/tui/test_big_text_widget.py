"""BigText in a running app: the scale it picks, what it draws, and its plain-text fallback.

The snapshot pictures live in ``__snapshots__/test_big_text_widget``; update them after an
intended change with ``pytest --snapshot-update`` and look at them before committing.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.containers import Container
from textual.geometry import Region

from retro_tui.tui.widgets.big_text import BigText, render_lines, text_height, text_width

SnapCompare = Callable[..., bool]


class BoxApp(App[None]):
    """One BigText filling a box of a fixed size (set before running)."""

    CSS = """
    #box { width: 60; height: 12; }
    #auto { width: auto; height: auto; }
    """

    def __init__(self, text: str, box: tuple[int, int] = (60, 12)) -> None:
        super().__init__()
        self.text = text
        self.box = box

    def compose(self) -> ComposeResult:
        with Container(id="box"):
            yield BigText(self.text, id="big")

    def on_mount(self) -> None:
        box = self.query_one("#box")
        box.styles.width, box.styles.height = self.box


def shown(widget: BigText) -> list[str]:
    """The widget's lines as they reach the screen: aligned, as wide as the widget."""
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


async def test_it_draws_the_largest_scale_that_fits_centred() -> None:
    app = BoxApp("12:34")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        big = app.query_one("#big", BigText)
        # 60 columns hold "12:34" (25 per scale) twice; 12 rows would hold scale 3.
        assert big.scale == 2
        assert big.lines == render_lines("12:34", 2)
        lines = shown(big)
        assert len(lines) == 12
        assert {len(line) for line in lines} == {60}
        top = (12 - text_height(2)) // 2
        left = (60 - text_width("12:34", 2)) // 2
        assert lines[:top] == [" " * 60] * top
        body = [line[left : left + text_width("12:34", 2)] for line in lines[top : top + 7]]
        assert tuple(body) == render_lines("12:34", 2)
        assert all(line.strip() == "" for line in lines[top + 7 :])


async def test_changing_the_text_redraws_it() -> None:
    app = BoxApp("12:34")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        big = app.query_one("#big", BigText)
        before = shown(big)
        big.text = "9:59"
        await pilot.pause()
        after = shown(big)
        assert after != before
        # "9:59" is narrower: scale 3 now fits the width too.
        assert big.scale == 3
        assert [line.strip() for line in after if line.strip()] == [
            line.strip() for line in render_lines("9:59", 3) if line.strip()
        ]


async def test_max_scale_caps_the_size() -> None:
    app = BoxApp("12:34")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        big = app.query_one("#big", BigText)
        big.max_scale = 1
        await pilot.pause()
        assert big.scale == 1
        assert sum(1 for line in shown(big) if line.strip()) == text_height(1)


async def test_a_too_small_widget_falls_back_to_plain_bold_text() -> None:
    app = BoxApp("BACKWARD", box=(20, 3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        big = app.query_one("#big", BigText)
        assert big.scale == 0
        assert big.lines == ("BACKWARD",)
        lines = shown(big)
        assert lines == [" " * 20, "      BACKWARD      ", " " * 20]
        strip = big.render_lines(Region(0, 1, 20, 1))[0]
        assert any(seg.style and seg.style.bold for seg in strip if seg.text == "BACKWARD")


async def test_plain_text_is_never_markup() -> None:
    app = BoxApp("[b]x[/b]", box=(10, 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        big = app.query_one("#big", BigText)
        assert shown(big) == [" [b]x[/b] "]


async def test_auto_size_follows_the_text() -> None:
    class AutoApp(App[None]):
        CSS = "#auto { width: auto; height: auto; }"

        def compose(self) -> ComposeResult:
            yield BigText("10:00", id="auto")

    app = AutoApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        big = app.query_one("#auto", BigText)
        # 80 columns / 25 per scale: 3; 24 rows allow 6.
        assert big.size == (text_width("10:00", 3), text_height(3))
        big.text = "9:59"
        await pilot.pause()
        assert big.size == (text_width("9:59", big.scale), text_height(big.scale))
        assert big.scale == 4


class CountdownApp(App[None]):
    """A direction banner over a countdown, the way the workout screen stacks them."""

    CSS = """
    #banner { height: 4; background: $warning; color: $background; }
    #clock { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield BigText("BACKWARD", id="banner")
        yield BigText("28:59", id="clock")


def test_snapshot_banner_over_countdown_60x12(snap_compare: SnapCompare) -> None:
    """A scale-1 banner on its coloured band; the countdown at scale 2 below."""
    assert snap_compare(CountdownApp(), terminal_size=(60, 12))
