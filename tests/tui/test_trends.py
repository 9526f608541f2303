"""The trends screen: it mounts with no, few and many sessions, shows the right records and
calendar days for a small hand-made history, and looks right at 100x30 and 60x20.

The screen is pushed by a tiny app of its own, so these tests do not depend on how the main
app opens it. Every date is fixed (``today`` is passed in, sessions carry their own
timestamps): no real clock is read anywhere, and the pictures are the same on every run.
Update the pictures after an intended change with ``pytest --snapshot-update`` and look at
them before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static, TabbedContent
from textual_plotext import PlotextPlot

from bench.history_gen import generate_sessions
from retro_tui.coach.fitness import LoadSource
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord
from retro_tui.tui.screens.trends import TrendsScreen
from retro_tui.tui.widgets.calendar_heat import CalendarHeat, heat_level, level_step

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((60, 20), id="60x20")]
WITH_80X24 = [*SIZES, pytest.param((80, 24), id="80x24")]
SnapCompare = Callable[..., bool]

CET = timezone(timedelta(hours=1))
TODAY = date(2026, 11, 25)  # a Wednesday in ISO week 2026-W48 (Monday 2026-11-23)
# The generated log runs from 2021-01-11 to 2021-03-30; "today" is the day after its end.
MANY_TODAY = date(2021, 3, 31)


def step(
    name: str,
    seconds: float,
    *,
    planned: int | None = None,
    kind: str = "work",
    direction: str = "backward",
    speed: float | None = None,
    rpe: int | None = None,
    skipped: bool = False,
) -> StepRecord:
    return StepRecord(
        name=name,
        kind=kind,
        direction=direction,
        planned_s=planned if planned is not None else round(seconds),
        actual_s=seconds,
        skipped=skipped,
        speed=speed,
        rpe=rpe,
    )


def session(
    started: datetime, steps: Sequence[StepRecord], *, units: str = "mph", rpe: int | None = None
) -> SessionRecord:
    return SessionRecord(
        id=f"{started:%Y%m%dT%H%M%S}-test",
        plan="Retro [test] plan",
        started=started,
        ended=started + timedelta(seconds=sum(s.actual_s for s in steps)),
        status=SessionStatus.COMPLETED,
        steps=tuple(steps),
        units=units,
        rpe=rpe,
    )


def three_sessions() -> list[SessionRecord]:
    """Three weeks in a row, each with one session; the figures are worked out by hand below.

    - Mon 2026-11-09 (W46), mph: two 30 s backward intervals at 2.0 and 2.5 mph: 1.0 min.
    - Wed 2026-11-18 (W47), km/h: a 150 s interval cut short at 120 s (5.0 km/h, not held)
      and a full 60 s one at 4.5 km/h (= 2.80 mph, faster than 2.5 mph): 3.0 min.
    - Tue 2026-11-24 (W48) at 00:30+01:00 (still Monday in UTC): one 90 s interval: 1.5 min.
    """
    return [
        # Given out of order on purpose: the screen must not rely on the log's order.
        session(
            datetime(2026, 11, 24, 0, 30, tzinfo=CET),
            [step("Backward", 90.0, speed=2.0)],
        ),
        session(
            datetime(2026, 11, 9, 7, 0, tzinfo=CET),
            [
                step("Easy run", 300.0, kind="warmup", direction="forward", speed=5.0),
                step("Backward 1", 30.0, speed=2.0, rpe=4),
                step("Walk", 90.0, kind="recover", direction="forward", speed=3.0),
                step("Backward 2", 30.0, speed=2.5, rpe=6),
            ],
            rpe=5,
        ),
        session(
            datetime(2026, 11, 18, 18, 30, tzinfo=CET),
            [
                step("Long back", 120.0, planned=150, speed=5.0, rpe=7, skipped=True),
                step("Walk", 60.0, kind="recover", direction="forward", speed=4.0),
                step("Fast [back] [/]", 60.0, speed=4.5, rpe=6),
            ],
            units="kmh",
            rpe=6,
        ),
    ]


def many_sessions() -> list[SessionRecord]:
    return list(generate_sessions(300, seed=7))


HISTORIES: dict[str, Callable[[], list[SessionRecord]]] = {
    "empty": list,
    "three": three_sessions,
    "many": many_sessions,
}
TODAYS = {"empty": TODAY, "three": TODAY, "many": MANY_TODAY}


class TrendsApp(App[None]):
    """Just enough app to show the trends screen, as the real one would push it."""

    TITLE = "retro-tui"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, sessions: Sequence[SessionRecord], today: date, whose: str = "") -> None:
        super().__init__()
        self.sessions = sessions
        self.today = today
        self.whose = whose

    def on_mount(self) -> None:
        self.push_screen(TrendsScreen(self.sessions, self.today, whose=self.whose))


def make_app(history: str) -> TrendsApp:
    return TrendsApp(HISTORIES[history](), TODAYS[history])


def plain(widget: Static) -> str:
    """What a Static shows, as text (its tables rendered at a width that keeps rows whole)."""
    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


# -- mounting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("history", ["empty", "three", "many"])
async def test_mounts(history: str) -> None:
    app = make_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        if history == "empty":
            assert "No sessions yet" in plain(screen.query_one("#no-sessions", Static))
            assert not screen.query(PlotextPlot)
            assert not screen.query(TabbedContent)
        else:
            assert screen.trends is not None
            assert len(screen.query("#weeks PlotextPlot")) == 2
            # Three sessions in three weeks: fitness and fatigue, no ratio before 28 days.
            forms = len(screen.query("#form PlotextPlot"))
            assert forms == (1 if history == "three" else 2)
            assert len(screen.trends.weeks) == 12
            assert screen.trends.weeks[-1].start == TODAYS[history] - timedelta(
                days=TODAYS[history].weekday()
            )
        for key in ("2", "3", "4", "1"):  # every tab draws without error
            await pilot.press(key)
            await pilot.pause()


async def test_back_keys_leave_the_screen() -> None:
    for key in ("escape", "q"):
        app = make_app("three")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TrendsScreen)
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, TrendsScreen)


async def test_old_history_says_so_instead_of_empty_charts() -> None:
    app = TrendsApp(three_sessions(), TODAY + timedelta(weeks=30))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        texts = [plain(widget) for widget in app.screen.query(".note").results(Static)]
        assert any("No backward minutes in the last 12 weeks" in text for text in texts)
        assert any("No rated intervals in the last 12 weeks" in text for text in texts)
        assert any("No load in the last 12 weeks" in text for text in texts)
        assert not app.screen.query(PlotextPlot)
        # The records still stand, and the streak is over.
        records = plain(app.screen.query_one("#records", Static))
        assert "Current streak" in records and "0 weeks" in records


async def test_the_title_says_whose_trends_they_are() -> None:
    app = TrendsApp(three_sessions(), TODAY, whose="Ana [b]")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.title == "Trends for Ana [b]"
        assert app.screen.sub_title == "3 sessions · up to 2026-11-25"
    app = TrendsApp(three_sessions(), TODAY)  # a log that names nobody: just "Trends"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.title == "Trends"
    app = TrendsApp([], TODAY, whose="Bo")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "No sessions of Bo yet." in plain(app.screen.query_one("#no-sessions", Static))


# -- figures ------------------------------------------------------------------------------------


async def test_records_for_a_small_history() -> None:
    app = make_app("three")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        lines = {
            line.split("  ")[0]: " ".join(line.split())
            for line in plain(app.screen.query_one("#records", Static)).splitlines()
            if line.strip()
        }
    # The cut-short 120 s interval counts with the time it ran; 2:00 beats 90 s and 30 s.
    assert lines["Longest backward interval"].endswith("2:00 2026-11-18 Long back")
    # 4.5 km/h held in full beats 2.5 mph (4.02 km/h); 5.0 km/h was not held. The step's
    # name is shown as written, brackets and all.
    assert lines["Fastest backward, full step"].endswith("4.5 km/h 2026-11-18 Fast [back] [/]")
    assert lines["Most backward in a week"].endswith("3.0 min week of 2026-11-16 (2026-W47)")
    assert lines["Current streak"].endswith("3 weeks since 2026-11-09")
    assert lines["Longest streak"].endswith("3 weeks 2026-11-09 to 2026-11-25")


async def test_load_table_for_a_small_history() -> None:
    app = make_app("three")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        rows = {
            line.split()[0]: line.split()
            for line in plain(app.screen.query_one("#load-table", Static)).splitlines()
            if line.strip().startswith("2026-W")
        }
    assert list(rows) == [f"2026-W{n}" for n in range(48, 40, -1)]  # newest first, 8 weeks
    # W46: one session, RPE 5 x 7.5 active min = 37.5 load on Monday alone;
    # monotony = mean 37.5/7 / pstdev = 1/sqrt(6) = 0.41; strain = 37.5 x 0.408 = 15.
    assert rows["2026-W46"] == ["2026-W46", "1", "1.0", "38", "0.41", "15"]
    # W48: one session without a session RPE: no load (flagged), monotony undefined.
    assert rows["2026-W48"] == ["2026-W48", "1", "1.5", "0*", "n/a", "n/a"]
    assert rows["2026-W41"] == ["2026-W41", "0", "0.0", "0", "n/a", "n/a"]


async def test_heat_map_marks_the_training_days() -> None:
    app = make_app("three")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        heat = app.screen.query_one("#heat", CalendarHeat)
        text = plain(heat)
    # 1.0, 3.0 and 1.5 minutes; the busiest day (3.0) makes steps of 1 minute per level.
    assert heat.step == 1.0
    assert heat.glyph(date(2026, 11, 9)) == "░"
    assert heat.glyph(date(2026, 11, 18)) == "▓"
    # 00:30 at +01:00 on Tuesday is a Tuesday session, although it is Monday in UTC.
    assert heat.glyph(date(2026, 11, 24)) == "▒"
    assert heat.glyph(date(2026, 11, 23)) == "·"
    trained = {day for day, level in heat.levels.items() if level}
    assert trained == {date(2026, 11, 9), date(2026, 11, 18), date(2026, 11, 24)}
    # 18 weeks, Monday 2026-07-27 to today; the rest of this week is not drawn.
    assert min(heat.levels) == date(2026, 7, 27)
    assert max(heat.levels) == TODAY
    assert heat.glyph(TODAY + timedelta(days=1)) is None
    # In the drawing: the last column of the Monday, Tuesday and Wednesday rows is this week.
    rows = {line[:3]: line for line in text.splitlines() if line[:3] in ("Mon", "Tue", "Wed")}
    assert rows["Mon"].split()[-1] == "·"  # 2026-11-23
    assert rows["Tue"].split()[-1] == "▒"  # 2026-11-24
    assert rows["Wed"].split()[-2:] == ["▓", "·"]  # 2026-11-18, then today 2026-11-25
    assert "· none  ░ up to 1  ▒ 1-2  ▓ 2-3  █ over 3 min" in text


def test_heat_levels() -> None:
    assert level_step(0.0) == 0.5
    assert level_step(3.0) == 1.0
    assert level_step(41.0) == 15.0
    assert level_step(600.0) == 180.0  # beyond the table: whole hours
    assert [heat_level(m, 1.0) for m in (0.0, 0.01, 1.0, 1.0000001, 2.5, 3.0, 99.0)] == [
        0,
        1,
        1,
        1,
        3,
        3,
        4,
    ]


# -- pictures -----------------------------------------------------------------------------------


def on_tab(tab: str | None) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        if tab is not None:
            await pilot.press({"load": "2", "calendar": "3", "form": "4"}[tab])
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", WITH_80X24)
@pytest.mark.parametrize("history", ["empty", "three", "many"])
def test_trends(snap_compare: SnapCompare, history: str, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(history), terminal_size=size, run_before=on_tab(None))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", ["load", "calendar", "form"])
@pytest.mark.parametrize("history", ["three", "many"])
def test_trends_tab(
    snap_compare: SnapCompare, history: str, tab: str, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(history), terminal_size=size, run_before=on_tab(tab))


def test_trends_of_an_athlete(snap_compare: SnapCompare) -> None:
    """The header names whose trends they are; the name is shown as written, brackets and all."""
    app = TrendsApp(three_sessions(), TODAY, whose="Ana [b]")
    assert snap_compare(app, terminal_size=(100, 30), run_before=on_tab(None))


# -- fitness, fatigue and form ------------------------------------------------------------------


def strapped_sessions() -> list[SessionRecord]:
    """Six weeks of a session every other day, rated and with time in zone recorded."""
    return [
        replace(
            session(
                datetime(2026, 10, 12, 7, 0, tzinfo=CET) + timedelta(days=2 * n),
                [step("Backward", 1200.0, speed=2.0, rpe=5)],
                rpe=5,
            ),
            heart_rate_zone_s=(0.0, 600.0, 600.0, 0.0, 0.0),
        )
        for n in range(21)
    ]


async def test_h_switches_the_form_tab_to_the_heart_rate_load() -> None:
    app = TrendsApp(strapped_sessions(), TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        # h does something only on the Form tab.
        assert screen.check_action("switch_load", ()) is False
        await pilot.press("4")
        await pilot.pause()
        assert screen.check_action("switch_load", ()) is True
        before = plain(screen.query_one("#form-today", Static))
        assert "Today:" in before and "Load ratio 7:28:" in before
        await pilot.press("h")
        await pilot.pause()
        assert screen.load_source is LoadSource.HEART_RATE
        after = plain(screen.query_one("#form-today", Static))
        # 10 min in zone 2 and 10 in zone 3: a TRIMP of 50 a session, against 100 of RPE load.
        assert after != before and "Today:" in after
        assert len(screen.query("#form PlotextPlot")) == 2
        await pilot.press("h")
        await pilot.pause()
        assert plain(screen.query_one("#form-today", Static)) == before


async def test_without_a_strap_there_is_no_heart_rate_load_to_switch_to() -> None:
    app = make_app("three")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        assert screen.check_action("switch_load", ()) is False
        await pilot.press("h")
        await pilot.pause()
        assert screen.load_source is LoadSource.SESSION


def test_trends_form_on_the_heart_rate_load(snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("4", "h")
        await pilot.pause()

    app = TrendsApp(strapped_sessions(), TODAY)
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
