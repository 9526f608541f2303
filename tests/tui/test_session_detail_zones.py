"""The time in each heart-rate zone in a session's detail: minutes and a bar a zone."""

from __future__ import annotations

from textual.pilot import Pilot

from retro_tui.history.log import append_session
from retro_tui.tui.dialogs.session_detail import ZONE_BAR_CELLS, SessionDetailDialog, zone_lines

from .conftest import MakeHarness
from .helpers import open_history, session, text_of


def test_each_zone_has_its_minutes_and_a_bar_in_proportion() -> None:
    lines = zone_lines((30.0, 600.0, 300.4, 2.0, 0.0)).plain.splitlines()
    assert lines == [
        "Time in heart-rate zones",
        "  Z1 Recovery    0:30  " + "█",  # 30 / 600 of the longest bar's 20 cells
        "  Z2 Easy       10:00  " + "█" * ZONE_BAR_CELLS,
        "  Z3 Steady      5:00  " + "█" * 10,
        "  Z4 Hard        0:02  " + "█",  # a few seconds still show
        "  Z5 Maximum     0:00  ",
    ]


async def test_the_detail_shows_the_zones_only_when_the_session_kept_them(
    harness: MakeHarness,
) -> None:
    h = harness(run=False)
    append_session(h.history, session(1, heart_rate_zone_s=(0.0, 540.0, 120.0, 0.0, 0.0)))
    append_session(h.history, session(3))
    async with h.app.run_test(size=(100, 40)) as pilot:
        await open_history(pilot)
        body = await detail_of_row(pilot, 1)  # newest first: session 3, then session 1
        assert "Time in heart-rate zones" in body
        assert "Z2 Easy        9:00  " + "█" * ZONE_BAR_CELLS in body
        assert "Z3 Steady      2:00  ████\n" in body
        await pilot.press("escape", "up")  # back to session 3: no strap, no zones
        await pilot.pause()
        assert "heart-rate zones" not in await detail_of_row(pilot, 0)


async def detail_of_row(pilot: Pilot[int], row: int) -> str:
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SessionDetailDialog)
    return text_of(pilot, "#session-detail-body")
