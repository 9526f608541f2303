"""The history screen: newest first, filter, sort, details, and a damaged log shown honestly.

Also several athletes in one log: the screen opens on the current athlete, ``a`` steps through
them, the trends follow, and a session's detail shows its athlete, pain, program slot, the
suggestion saved with it and (only when that athlete's body mass is known) an energy estimate.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from retro_tui.coach.energy import format_energy, session_energy
from retro_tui.history.log import append_session
from retro_tui.history.record import ProgramSlot, SessionRecord
from retro_tui.tui.app import RetroApp, make_app
from retro_tui.tui.dialogs.session_detail import SessionDetailDialog
from retro_tui.tui.screens.history import HistoryScreen
from retro_tui.tui.screens.library import LibraryScreen
from retro_tui.tui.screens.trends import TrendsScreen

from .conftest import MakeHarness
from .helpers import Notes, open_history, session, three_sessions

SIZES = [
    pytest.param((100, 30), id="100x30"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((60, 20), id="60x20"),
]


def rows(pilot: Pilot[Any]) -> list[list[str]]:
    table = pilot.app.screen.query_one("#sessions", DataTable)
    # Cells start with the gap that separates columns: compare what they say.
    return [
        [str(cell).strip() for cell in table.get_row_at(index)] for index in range(table.row_count)
    ]


async def test_sessions_newest_first_with_figures(harness: MakeHarness) -> None:
    h = harness(run=False)
    three_sessions(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        assert isinstance(h.app.screen, HistoryScreen)
        table = rows(pilot)
        assert [row[0] for row in table] == [
            "2026-11-04 07:00",
            "2026-11-03 07:00",
            "2026-11-02 07:00",
        ]
        # Ana's session and two of nobody in particular: an athlete column tells them apart.
        assert column_names(pilot) == [
            "date", "athlete", "plan", "total", "back", "int", "avg", "RPE", "load", "pain",
            "status",
        ]  # fmt: skip
        assert table[0][1:] == [
            "",
            "Retro starter",
            "11:10",
            "0:30",
            "1/1",
            "3.0",
            "8",
            "89",
            "–",  # pain not asked
            "completed",
        ]
        assert table[1][-2:] == ["0", "ended early"]  # no pain
        assert table[2][1] == "Ana"
        assert table[2][-2] == "3 knee"


async def test_filter_sort_and_details(harness: MakeHarness) -> None:
    h = harness(run=False)
    three_sessions(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        await pilot.press("slash", *"calf")
        assert [row[0][:10] for row in rows(pilot)] == ["2026-11-02"]
        h.app.screen.query_one("#filter", Input).value = "rehab"
        await pilot.pause()
        assert [row[2] for row in rows(pilot)] == ["Rehab backward walk"]
        h.app.screen.query_one("#filter", Input).value = ""
        await pilot.press("escape")  # leaves the filter field, not the screen
        assert isinstance(h.app.screen, HistoryScreen)
        await pilot.press("s")  # by load, biggest first
        assert [row[8] for row in rows(pilot)] == ["89", "56", "22"]
        await pilot.press("r")
        assert [row[8] for row in rows(pilot)] == ["22", "56", "89"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(h.app.screen, SessionDetailDialog)
        body = h.app.screen.query_one("#session-detail-body", Static)
        assert h.app.screen.session.plan == "Rehab backward walk"
        assert body is not None
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(h.app.screen, LibraryScreen)


async def test_a_damaged_log_shows_what_it_can_and_says_where(harness: MakeHarness) -> None:
    h = harness(run=False)
    three_sessions(h.history)
    # The broken block's lines: after a blank line, its header, id and rpe.
    first = h.history.read_text(encoding="utf-8").count("\n") + 2
    with h.history.open("a", encoding="utf-8") as handle:
        handle.write('\n[[session]]\nid = "broken"\nrpe = "high"\n')
    before = h.history.read_bytes()
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        assert len(rows(pilot)) == 3
        banner = h.app.screen.query_one("#history-banner", Static)
        assert banner.display
        text = str(banner.content)
        assert (
            "(history.toml) is damaged" in text and f"lines {first}-{first + 2}: started:" in text
        )
    assert h.history.read_bytes() == before


async def test_sessions_saved_to_a_rescue_file_are_shown(harness: MakeHarness) -> None:
    from retro_tui.history.log import save_session

    h = harness(run=False)
    three_sessions(h.history)
    with h.history.open("a", encoding="utf-8") as handle:
        handle.write('\n[[session]\nid = "broken"\n')
    rescue = save_session(h.history, session(4, notes="saved while damaged")).path
    assert rescue != h.history
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        assert len(rows(pilot)) == 4
        text = str(h.app.screen.query_one("#history-banner", Static).content)
        assert f"read from {rescue.name}" in text


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", ["empty", "three", "three-hundred", "damaged"])
def test_history_screen_snapshots(
    snap_compare: Any, harness: MakeHarness, size: tuple[int, int], kind: str
) -> None:
    h = harness(run=False)
    if kind in ("three", "damaged"):
        three_sessions(h.history)
    if kind == "damaged":
        with h.history.open("a", encoding="utf-8") as handle:
            handle.write('\n[[session]]\nid = "broken"\nrpe = "high"\n')
    if kind == "three-hundred":
        for number in range(300):
            append_session(h.history, session(number, notes=f"note {number}", rpe=number % 11))
    assert snap_compare(h.app, terminal_size=size, run_before=open_history)


async def test_t_opens_the_trends_of_what_was_read(harness: MakeHarness) -> None:
    h = harness(run=False)
    three_sessions(h.history)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        await pilot.press("t")
        await pilot.pause()
        screen = h.app.screen
        assert isinstance(screen, TrendsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(h.app.screen, HistoryScreen)


# -- several athletes in one log --------------------------------------------------------------

BO = "Bo [/]"  # brackets that would break markup: every name must show as written
PROGRAM = ProgramSlot("Six-week backward block", week=2, session=3, run="run-1")
SUGGESTION = "Next time: make each backward interval 15 s longer; keep everything else the same."


def ana_in_a_program() -> SessionRecord:
    return session(
        1,
        plan="Backward block session",
        athlete="Ana",
        pain=2,
        pain_where="left calf",
        program=PROGRAM,
        suggestion="longer",
        suggestion_text=SUGGESTION,
    )


def athletes_log(log: Path) -> None:
    """Ana twice (once spelled "ana "), Bo once, and one session of nobody in particular.

    Newest first: 11-05 nobody, 11-04 ana, 11-03 Bo, 11-02 Ana (the program session).
    """
    append_session(log, ana_in_a_program())
    append_session(log, session(2, athlete=BO, pain=0))
    append_session(log, session(3, athlete="ana "))
    append_session(log, session(4, athlete=""))


def app_with(tmp_path: Path, config: str) -> RetroApp:
    """The real app (as the command line builds it) with these settings and an empty log."""
    config_file = tmp_path / "athletes-config.toml"
    config_file.write_text(config, encoding="utf-8")
    return make_app(
        history=tmp_path / "athletes-history.toml",
        config=config_file,
        wall_clock=lambda: datetime(2026, 11, 21, 7, 0, tzinfo=timezone(timedelta(hours=1))),
    )


def column_names(pilot: Pilot[Any]) -> list[str]:
    table = pilot.app.screen.query_one("#sessions", DataTable)
    return [str(column.label).strip() for column in table.columns.values()]


def count_line(pilot: Pilot[Any]) -> str:
    return str(pilot.app.screen.query_one("#history-count", Static).content)


def detail_text(pilot: Pilot[Any]) -> str:
    """The open detail dialog as plain text, wide enough that no line wraps."""
    console = Console(width=300, record=True, color_system=None)
    console.print(pilot.app.screen.query_one("#session-detail-body", Static).content)
    return console.export_text()


async def test_opens_on_the_current_athlete_and_a_steps_through_the_athletes(
    tmp_path: Path,
) -> None:
    app = app_with(tmp_path, '[athlete]\nname = "ANA"\n')  # any case names the same person
    athletes_log(app.history_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        # Ana's two sessions (both spellings); her own rows need no athlete column.
        assert [row[0][:10] for row in rows(pilot)] == ["2026-11-04", "2026-11-02"]
        assert "athlete" not in column_names(pilot)
        assert count_line(pilot) == "2 of 2 sessions of Ana, newest first"
        assert screen.sub_title == "Ana"
        assert screen.check_action("athlete", ()) is True

        await pilot.press("a")
        assert [row[0][:10] for row in rows(pilot)] == ["2026-11-03"]
        assert count_line(pilot) == f"1 of 1 sessions of {BO}, newest first"
        assert screen.sub_title == BO

        await pilot.press("a")  # everyone: now the rows mix people, so the column is back
        assert len(rows(pilot)) == 4
        assert count_line(pilot) == "4 of 4 sessions of all athletes, newest first"
        assert screen.sub_title == "all athletes"
        assert column_names(pilot)[:3] == ["date", "athlete", "plan"]
        assert [row[1] for row in rows(pilot)] == ["", "ana", BO, "Ana"]

        await pilot.press("a")  # and round again
        assert screen.shown_athlete == "Ana"
        assert len(rows(pilot)) == 2

        # The text filter works within the athlete shown.
        screen.query_one("#filter", Input).value = "zzz"
        await pilot.pause()
        assert count_line(pilot) == "0 of 2 sessions of Ana, newest first"


async def test_opens_on_everyone_when_the_current_athlete_has_no_sessions(
    tmp_path: Path,
) -> None:
    app = app_with(tmp_path, '[athlete]\nname = "Cleo"\n')
    athletes_log(app.history_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        assert len(rows(pilot)) == 4
        assert count_line(pilot).startswith("4 of 4 sessions of all athletes")


async def test_a_log_without_athletes_offers_no_athlete_key(harness: MakeHarness) -> None:
    h = harness(run=False)
    for number in (1, 2):
        append_session(h.history, session(number, athlete=""))
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        screen = h.app.screen
        assert screen.check_action("athlete", ()) is False
        assert "athlete" not in column_names(pilot)
        assert count_line(pilot) == "2 of 2 sessions, newest first"
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(h.app.screen, TrendsScreen)
        assert h.app.screen.title == "Trends"


async def test_trends_are_the_shown_athletes(tmp_path: Path) -> None:
    app = app_with(tmp_path, '[athlete]\nname = "Ana"\n')
    athletes_log(app.history_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        counts = {}
        for expected_title in ("Trends for Ana", f"Trends for {BO}", "Trends for all athletes"):
            await pilot.press("t")
            await pilot.pause()
            trends = app.screen
            assert isinstance(trends, TrendsScreen) and trends.trends is not None
            assert trends.title == expected_title
            counts[expected_title] = trends.trends.session_count
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("a")
    assert list(counts.values()) == [2, 1, 4]


async def test_pain_column(harness: MakeHarness) -> None:
    h = harness(run=False)
    places = [(None, ""), (0, ""), (3, "knee"), (7, "ankle or foot"), (10, "")]
    for number, (pain, where) in enumerate(places, start=1):
        append_session(h.history, session(number, pain=pain, pain_where=where))
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        assert "pain" in column_names(pilot)
        column = column_names(pilot).index("pain")
        # Newest first; a long place keeps its first word to stay narrow.
        assert [row[column] for row in rows(pilot)] == ["10", "7 ankle", "3 knee", "0", "–"]


async def open_detail_of(pilot: Pilot[Any], *moves: str) -> SessionRecord:
    """Move the table's cursor (``"down"``, ``"up"``) and open that row's detail."""
    await pilot.press(*moves, "enter")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, SessionDetailDialog)
    return dialog.session


async def test_detail_shows_athlete_pain_program_suggestion_and_energy(tmp_path: Path) -> None:
    app = app_with(tmp_path, '[athletes]\n"Ana" = 60\n')
    athletes_log(app.history_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)  # no current athlete: everyone's sessions
        record = await open_detail_of(pilot, "down", "down", "down")
        assert record.program == PROGRAM
        text = detail_text(pilot)
        estimate = session_energy(record, 60.0)
        assert estimate is not None
        lines = [line.strip() for line in text.splitlines()]
        assert "Program: Six-week backward block, week 2, session 3" in lines
        assert "Athlete: Ana" in lines
        assert "Pain: 2/10, left calf" in lines
        assert (
            "Suggested next time: make each backward interval 15 s longer; "
            "keep everything else the same." in lines
        )
        energy = next(line for line in lines if line.startswith("Energy: "))
        assert energy.startswith(f"Energy: {format_energy(estimate)}")
        # The walk has no speed: the estimate says which minutes it covers.
        assert "(estimate for 10 of 12 min)" in energy and "kcal of it backward" in energy
        assert "for 60 kg" in text and "x 1.3" in text and "inference" in text

        # Bo has no body mass in the settings: not a word about energy.
        await pilot.press("escape")
        await pilot.pause()
        record = await open_detail_of(pilot, "up")  # the cursor stayed on Ana's row
        assert record.athlete == BO
        text = detail_text(pilot)
        assert f"Athlete: {BO}" in text
        assert "Pain: none (0/10)" in text
        assert "Energy" not in text and "kcal" not in text and "1.3" not in text
        assert "Program" not in text and "Suggested" not in text


async def test_detail_without_any_body_mass_says_nothing_about_energy(tmp_path: Path) -> None:
    app = app_with(tmp_path, "")
    athletes_log(app.history_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        await open_detail_of(pilot, "down", "down", "down")
        text = detail_text(pilot)
        assert "Athlete: Ana" in text and "Pain: 2/10, left calf" in text
        assert "Energy" not in text and "kcal" not in text and "estimate" not in text


def test_detail_snapshot(snap_compare: Any, tmp_path: Path) -> None:
    """A program session of an athlete whose body mass is known: every line the detail has."""
    app = app_with(tmp_path, '[athletes]\n"Ana" = 60\n')
    athletes_log(app.history_path)

    async def open_detail(pilot: Pilot[Any]) -> None:
        await open_history(pilot)
        await open_detail_of(pilot, "down", "down", "down")

    assert snap_compare(app, terminal_size=(100, 30), run_before=open_detail)


@pytest.mark.parametrize("size", SIZES)
def test_athlete_snapshots(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """Opened on Ana's sessions, then one press of ``a`` to Bo's."""
    app = app_with(tmp_path, '[athlete]\nname = "Ana"\n')
    athletes_log(app.history_path)

    async def next_athlete(pilot: Pilot[Any]) -> None:
        await open_history(pilot)
        await pilot.press("a")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=next_athlete)


async def test_x_exports_the_highlighted_session_and_says_where(
    harness: MakeHarness, isolated_locations: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest session's FIT and TCX land in the exports folder; the note names both."""
    import fitdecode

    h = harness(run=False)
    three_sessions(h.history)
    notes = Notes(h, monkeypatch)
    exports = isolated_locations / "exports"
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        await pilot.press("x")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(h.app.screen, HistoryScreen)  # nothing opened over the list
    stem = "2026-11-04-0700-retro-starter"
    written = sorted(path.name for path in exports.iterdir())
    assert len(written) == 2 and all(name.startswith(stem) for name in written)
    assert {Path(name).suffix for name in written} == {".fit", ".tcx"}
    message = next(text for text, _ in notes.shown if text.startswith("Saved"))
    assert all(name in message for name in written) and str(exports) in message
    assert notes.severity_of("Saved") == "information"
    fit = next(exports.glob("*.fit"))
    with fitdecode.FitReader(fit, check_crc=fitdecode.CrcCheck.RAISE) as reader:
        laps = [
            frame
            for frame in reader
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "lap"
        ]
    assert len(laps) == 3  # one a step, the skipped walk too


async def test_x_says_so_when_the_folder_cannot_be_written(
    harness: MakeHarness, isolated_locations: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = isolated_locations / "exports"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    h = harness(run=False)
    three_sessions(h.history)
    notes = Notes(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        await pilot.press("x")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(h.app.screen, HistoryScreen)
    assert "Could not export into" in notes
    assert notes.severity_of("Could not export into") == "error"
    assert blocker.read_text(encoding="utf-8") == "a file where the folder should be"
