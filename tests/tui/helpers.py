"""What several test modules of the app share: driving the screens, reading them, seeding logs."""

from __future__ import annotations

import io
import time
import tomllib
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from retro_tui.history.log import append_session
from retro_tui.history.record import ProgramSlot, SessionRecord, SessionStatus, StepRecord
from retro_tui.tui.screens.library import LibraryScreen
from retro_tui.tui.screens.workout import WorkoutScreen

from .conftest import WALL_START, Harness

BLOCK_FILE = "six-week-block.toml"
ANA_RUN = "20261115T070000-a0a0"
NOBODY_RUN = "20261116T070000-b0b0"


def program_session(
    program: str,
    week: int,
    number: int,
    *,
    run: str,
    athlete: str = "",
    status: SessionStatus = SessionStatus.COMPLETED,
    days_ago: float,
    file: str = BLOCK_FILE,
) -> SessionRecord:
    """A short session of ``program``'s slot ``(week, number)``, ``days_ago`` before the test."""
    started = WALL_START - timedelta(days=days_ago)
    step = StepRecord("Backward", "work", "backward", 60, 60.0, speed=2.5)
    return SessionRecord(
        id=f"{started:%Y%m%dT%H%M%S}-{week}{number}{len(athlete):02d}",
        plan=f"{program} {week}.{number}",
        started=started,
        ended=started + timedelta(minutes=1),
        status=status,
        steps=(step,),
        athlete=athlete,
        program=ProgramSlot(program, week, number, run=run, file=file),
    )


def session(
    number: int,
    plan: str = "Retro starter",
    notes: str = "",
    rpe: int = 5,
    *,
    athlete: str | None = None,
    **fields: Any,
) -> SessionRecord:
    """A 20-minute session ``number`` days after 2026-11-01; ``fields`` go to the record."""
    started = datetime(2026, 11, 1, 7, 0, tzinfo=UTC) + timedelta(days=number)
    return SessionRecord(
        id=f"20261101T0700{number:02d}-000{number % 10}",
        plan=plan,
        started=started,
        ended=started + timedelta(minutes=20),
        status=SessionStatus.ENDED_EARLY if number == 2 else SessionStatus.COMPLETED,
        steps=(
            StepRecord("Easy run", "warmup", "forward", 600, 600.0, speed=5.0, plan_step=1),
            StepRecord(
                "Backward", "work", "backward", 30, 30.0, speed=2.5, rpe=number % 10, plan_step=2
            ),
            StepRecord("Walk", "recover", "forward", 90, 40.0, skipped=True, plan_step=3),
        ),
        rpe=rpe,
        notes=notes,
        planned_intervals=1,
        athlete=athlete if athlete is not None else "Ana" if number == 1 else "",
        **fields,
    )


def three_sessions(log: Path) -> None:
    """Ana's session with knee pain, then two of nobody in particular: pain none, not asked."""
    append_session(log, session(1, notes="left calf [tight]", pain=3, pain_where="knee"))
    append_session(log, session(2, plan="Rehab backward walk", rpe=2, pain=0))
    append_session(log, session(3, rpe=8))


async def open_history(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("h")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def library(pilot: Pilot[int]) -> LibraryScreen:
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    return screen


async def settle(pilot: Pilot[int]) -> None:
    """Let the workers finish and the screen catch up; the library, until all is in."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    if isinstance(pilot.app.screen, LibraryScreen):
        await settled_library(pilot)


async def highlight(pilot: Pilot[int], path: Path) -> None:
    index = library(pilot).index_of(path)
    assert index is not None, f"{path} is not listed"
    library(pilot).query_one("#plans", OptionList).highlighted = index
    await pilot.pause()


def preview(pilot: Pilot[int]) -> str:
    content = library(pilot).query_one("#preview", Static).content
    if isinstance(content, Text):
        return content.plain
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


BLOCK = "Six-week backward block"


def seed_block(history: Path) -> None:
    """Ana did week 1 sessions 1 and 2 and gave up on 3; nobody in particular did session 1."""
    for session in (
        program_session(BLOCK, 1, 1, run=ANA_RUN, athlete="Ana", days_ago=6),
        program_session(BLOCK, 1, 1, run=NOBODY_RUN, days_ago=5),
        program_session(BLOCK, 1, 2, run=ANA_RUN, athlete="Ana", days_ago=4),
        program_session(
            BLOCK, 1, 3, run=ANA_RUN, athlete="Ana", status=SessionStatus.ENDED_EARLY, days_ago=2
        ),
    ):
        append_session(history, session)


def as_athlete(name: str) -> str:
    """Settings text (for ``harness(settings=...)``) that makes ``name`` the athlete."""
    return f'\n[athlete]\nname = "{name}"\n'


SIZES = [
    pytest.param((100, 30), id="100x30"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((60, 20), id="60x20"),
]


SnapCompare = Callable[..., bool]


def at(h: Harness, seconds: float, *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before that moves the clock ``seconds`` then presses ``keys``."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        h.clock.advance(seconds)
        screen = pilot.app.screen
        if isinstance(screen, WorkoutScreen):
            screen.tick()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()

    return run_before


def text_of(pilot: Pilot[int], selector: str) -> str:
    """What a Static shows, as plain text (markup, if any were parsed, would be gone)."""
    content = pilot.app.screen.query_one(selector, Static).content
    if isinstance(content, Text):
        return content.plain
    if isinstance(content, str):
        return content
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def advance(pilot: Pilot[int], harness: Harness, seconds: float) -> None:
    """Move the fake clock and let the workout screen catch up, as its timer would."""
    harness.clock.advance(seconds)
    screen = pilot.app.screen
    if isinstance(screen, WorkoutScreen):
        screen.tick()
    await pilot.pause()


def sessions(history: Path) -> list[dict[str, object]]:
    document = tomllib.loads(history.read_text(encoding="utf-8"))
    result = document["session"]
    assert isinstance(result, list)
    return result


async def settled_library(pilot: Pilot[Any], timeout_s: float = 30.0) -> LibraryScreen:
    """The library once its plans and the history are in and it has caught up.

    Waiting for the workers alone is not enough on a busy machine: the history's worker may
    not have started yet, and what it found is shown by a message handled afterwards, with a
    scroll after the next refresh. So wait until the screen says both are in.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        running = any(not worker.is_finished for worker in pilot.app.workers)
        loaded = isinstance(screen, LibraryScreen) and screen.history_read and screen.entries
        if loaded and not running:
            break
        assert time.monotonic() < deadline, "the library did not settle"
        await pilot.pause(0.05)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    await pilot.pause()
    return screen


async def highlight_titled(pilot: Pilot[Any], title: str) -> LibraryScreen:
    """The settled library with the entry titled ``title`` highlighted, shown in the preview
    and scrolled to the top of the list, every step checked, so that a picture of it is the
    same on a busy machine as on an idle one."""
    screen = await settled_library(pilot)
    plans = screen.query_one("#plans", OptionList)
    index = next(
        (i for i in range(plans.option_count) if title in str(plans.get_option_at_index(i).prompt)),
        None,
    )
    assert index is not None, f"{title} is not listed"
    plans.highlighted = index
    deadline = time.monotonic() + 10.0
    while title not in preview(pilot):
        assert time.monotonic() < deadline, f"{title} was not previewed"
        await pilot.pause(0.02)
    # Scroll until nothing changes between two looks: the list's size, what it holds and
    # where it stands. On a busy machine a late layout can change the list's height after
    # the first scroll, leaving it scrolled past the end it then has.
    seen = None
    for _ in range(100):
        plans.scroll_to_highlight(top=True)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        now = (plans.size, plans.virtual_size, plans.scroll_y, plans.max_scroll_y)
        if now == seen and plans.scroll_y <= plans.max_scroll_y:
            break
        seen = now
    else:
        raise AssertionError(f"the list kept moving: {seen}")
    return screen


class Notes:
    """Every notification the app shows, with its severity, as plain text."""

    def __init__(self, harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str]] = []
        original = harness.app.notify

        def record(message: str, *args: Any, **kwargs: Any) -> None:
            self.shown.append((message, kwargs.get("severity", "information")))
            original(message, *args, **kwargs)

        monkeypatch.setattr(harness.app, "notify", record)

    def __contains__(self, text: str) -> bool:
        return any(text in message for message, _ in self.shown)

    def severity_of(self, text: str) -> str:
        return next(severity for message, severity in self.shown if text in message)


@contextmanager
def no_suspend() -> Iterator[None]:
    """Stands in for ``App.suspend``, which the headless driver can't do (nor a browser)."""
    yield
