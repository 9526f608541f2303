"""80x24 and 60x20: every screen keeps its essential keys and its essential content in view.

The footer of the library, the history, the trends and the settings always
shows the key to act, ``?`` for help and the key to leave; keys that don't fit
give way from the right and stay in ``?``. The history table keeps the date,
the plan and the status, cutting the plan short and leaving out less needed
figures first. What is checked is what the screen shows: the text of a
screenshot, line by line.

Update the pictures after an intended change with ``pytest --snapshot-update``
and look at them (``snapshot_report.html``) before committing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from retro_tui.history.log import append_session
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord
from retro_tui.tui.screens.help import HelpScreen
from retro_tui.tui.screens.history import GIVE_WAY, HistoryScreen, fit_columns
from retro_tui.tui.screens.library import LibraryScreen
from retro_tui.tui.screens.settings import SettingsScreen
from retro_tui.tui.screens.trends import TrendsScreen
from retro_tui.tui.widgets.key_footer import KeyFooter

from .conftest import MakeHarness
from .helpers import as_athlete, seed_block

pytestmark = pytest.mark.usefixtures("plans_shown_once_loaded")

SMALL = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]
LONG_PLAN = "Backward hill repeats with a very long name indeed"

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[Any]], Awaitable[None]]

_TEXT = re.compile(
    r'<text[^>]* x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>([^<]*)</text>'
)


def screen_lines(svg: str) -> list[str]:
    """The terminal's lines as text, from a screenshot (each run of text sits at its column)."""
    runs = [
        (float(x), float(y), float(length), html.unescape(text))
        for x, y, length, text in _TEXT.findall(svg)
    ]
    cell = min(length / len(text) for _, _, length, text in runs if text)
    lines: dict[float, list[str]] = {}
    for x, y, _, text in runs:
        line = lines.setdefault(y, [])
        column = round(x / cell)
        line.extend(" " * (column + len(text) - len(line)))
        line[column : column + len(text)] = text
    return ["".join(lines[y]).replace("\xa0", " ").rstrip() for y in sorted(lines)]


def footer_line(pilot: Pilot[Any]) -> str:
    return screen_lines(pilot.app.export_screenshot())[-1]


def sessions(count: int, plan: str = LONG_PLAN) -> list[SessionRecord]:
    """``count`` sessions, one a day, with pain at the knee on every third."""
    start = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)
    return [
        SessionRecord(
            id=f"s{number}",
            plan=plan,
            started=start + timedelta(days=number),
            ended=start + timedelta(days=number, minutes=20),
            status=SessionStatus.COMPLETED,
            steps=(
                StepRecord("Easy run", "warmup", "forward", 600, 600.0, speed=5.0),
                StepRecord("Backward", "work", "backward", 30, 30.0, speed=2.5, rpe=5),
            ),
            rpe=6,
            planned_intervals=1,
            pain=3 if number % 3 == 0 else 0,
            pain_where="knee" if number % 3 == 0 else "",
        )
        for number in range(count)
    ]


def seed(history: Path, count: int = 12) -> None:
    for session in sessions(count):
        append_session(history, session)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def open_with(*keys: str) -> RunBefore:
    """A run_before: wait for the library, press ``keys`` one by one, wait for what they open."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.clear_notifications()
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


# -- the footers ---------------------------------------------------------------------------

SCREENS = [
    pytest.param((), LibraryScreen, ("⏎ Start", "? Help", "q Quit"), id="library"),
    pytest.param(("h",), HistoryScreen, ("⏎ Details", "? Help", "esc Back"), id="history"),
    pytest.param(("h", "t"), TrendsScreen, ("1 Weeks", "? Help", "esc Back"), id="trends"),
    pytest.param(
        ("s",), SettingsScreen, ("Enter/space Change", "? Help", "esc Back"), id="settings"
    ),
]


@pytest.mark.parametrize("size", SMALL)
@pytest.mark.parametrize(("keys", "screen_type", "essential"), SCREENS)
async def test_the_footer_keeps_the_keys_to_act_get_help_and_leave(
    harness: MakeHarness,
    size: tuple[int, int],
    keys: tuple[str, ...],
    screen_type: type,
    essential: tuple[str, ...],
) -> None:
    h = harness(run=False, settings=as_athlete("Ana"))
    seed(h.history)
    async with h.app.run_test(size=size) as pilot:
        await open_with(*keys)(pilot)
        assert isinstance(h.app.screen, screen_type)
        footer = footer_line(pilot)
        assert len(footer) <= size[0]
        for key in essential:
            assert key in footer, f"{key!r} missing from {footer!r}"


async def test_keys_left_out_of_a_narrow_footer_still_work_and_are_in_the_help(
    harness: MakeHarness,
) -> None:
    h = harness(run=False)
    async with h.app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        footer = h.app.screen.query_one(KeyFooter)
        shown = [str(getattr(key, "action", "")) for key in footer.shown_keys()]
        assert shown == ["start", "edit", "new_plan", "history", "app.help", "app.quit"]
        assert "s Settings" not in footer_line(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = h.app.screen
        assert isinstance(help_screen, HelpScreen)
        assert ("s", "Settings") in [(row.keys, row.does) for row in help_screen.rows]
        await pilot.press("escape", "s")
        await pilot.pause()
        assert isinstance(h.app.screen, SettingsScreen)


async def test_the_footer_gives_back_the_keys_when_the_window_grows(
    harness: MakeHarness,
) -> None:
    h = harness(run=False)
    async with h.app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert "s Settings" not in footer_line(pilot)
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert "s Settings  ? Help  q Quit" in footer_line(pilot)


# -- the history table ---------------------------------------------------------------------


def table_lines(pilot: Pilot[Any]) -> list[str]:
    """The table's header and rows, from the screenshot."""
    lines = screen_lines(pilot.app.export_screenshot())
    top = next(index for index, line in enumerate(lines) if line.lstrip().startswith("date"))
    return [line for line in lines[top:] if line.strip()][:4]


@pytest.mark.parametrize("size", SMALL)
async def test_the_history_table_keeps_date_plan_and_status(
    harness: MakeHarness, size: tuple[int, int]
) -> None:
    h = harness(run=False)
    seed(h.history)
    async with h.app.run_test(size=size) as pilot:
        await open_with("h")(pilot)
        header, first, *_ = table_lines(pilot)
        assert header.split()[:2] == ["date", "plan"]
        assert header.split()[-1] == "status"
        assert first.startswith(" 2026-11-12 07:00 Backward hill")
        assert first.split()[-1] == "completed"
        assert "…" in first, "the long plan name is cut short"
        assert len(first) <= size[0]
        screen = h.app.screen
        assert isinstance(screen, HistoryScreen)
        left_out = [name for name in GIVE_WAY if name not in screen.columns]
        # What gives way goes in order: the first to give way are gone before any later one.
        assert left_out == list(GIVE_WAY[: len(left_out)])
        if size == (80, 24):
            assert left_out == []


async def test_the_history_table_fits_the_window_again_on_a_resize(
    harness: MakeHarness,
) -> None:
    h = harness(run=False)
    seed(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_with("h", "down", "down")(pilot)
        screen = h.app.screen
        assert isinstance(screen, HistoryScreen)
        wide = screen.columns
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert set(screen.columns) < set(wide)
        assert table_lines(pilot)[0].split()[-1] == "status"
        selected = screen.selected()
        assert selected is not None and selected.id == "s9", "the cursor stays on its session"


def test_columns_give_way_in_order_after_the_plan_is_cut_short() -> None:
    columns = ("date", "plan", "total", "back", "int", "avg", "RPE", "load", "pain", "status")
    row = {
        "date": "2026-11-12 07:00", "plan": LONG_PLAN, "total": "11:10", "back": "0:30",
        "int": "1/1", "avg": "5.0", "RPE": "6", "load": "67", "pain": "3 knee",
        "status": "completed",
    }  # fmt: skip
    everything = fit_columns(columns, [row], 200)
    assert everything.columns == columns and everything.plan_limit == 26
    cut = fit_columns(columns, [row], 78)
    assert cut.columns == columns and cut.plan_limit == 15
    narrow = fit_columns(columns, [row], 58)
    assert narrow.columns == ("date", "plan", "back", "int", "pain", "status")
    assert narrow.plan_limit == 14, "the plan takes back the room the last column left"
    tiny = fit_columns(columns, [row], 30)
    assert tiny.columns == ("date", "plan", "status") and tiny.plan_limit == 12


# -- pictures at 80x24 (and the dialogs at 60x20) ------------------------------------------


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(("a",), id="athlete"),
        pytest.param(("n",), id="new-plan"),
        pytest.param(("h", "enter"), id="session-detail"),
    ],
)
@pytest.mark.parametrize("size", SMALL)
def test_dialogs(
    snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int], keys: tuple[str, ...]
) -> None:
    h = harness(run=False, settings=as_athlete("Ana"))
    seed(h.history, 3)
    assert snap_compare(h.app, terminal_size=size, run_before=open_with(*keys))


def test_program_sessions_dialog(snap_compare: SnapCompare, harness: MakeHarness) -> None:
    h = harness(run=False, settings=as_athlete("Ana"))
    seed_block(h.history)
    assert snap_compare(h.app, terminal_size=(80, 24), run_before=open_with("c"))
