"""Helpers for driving the app headless with a fake clock, a fixed wall clock and temp files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import retro_tui.tui.screens.library as library_screen
from retro_tui.plan import parse_plan_text
from retro_tui.tui.app import RetroApp, make_app
from retro_tui.workout import FakeClock

SHORT_PLAN = """\
[plan]
name = "Short [test] plan"
cues = ["Arms [relaxed] [/] [bold]"]

[[step]]
kind = "warmup"
duration = "40s"
speed = 3.0

[[step]]
repeat = 2
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 2.0
  incline = 1.0
  cues = ["Eyes on [red]the mark[/red]", { at = "10s", text = "Halfway [/]" }]
  [[step.step]]
  kind = "recover"
  duration = "1m"
  speed = 3.0

[[step]]
kind = "cooldown"
duration = "2m"
speed = 3.0
"""

WALL_START = datetime(2026, 11, 21, 7, 2, 11, tzinfo=timezone(timedelta(hours=1)))


@dataclass
class Harness:
    """An app under test with the clock that drives it and where it writes."""

    app: RetroApp
    clock: FakeClock
    history: Path
    bells: list[float]


MakeHarness = Callable[..., Harness]


@pytest.fixture
def harness(tmp_path: Path) -> MakeHarness:
    """Build an app on ``SHORT_PLAN`` (or given text); ``run=False`` opens the library instead."""

    def build(
        plan_text: str = SHORT_PLAN,
        *,
        run: bool = True,
        preflight: bool = False,
        flash: bool = False,
        sound: str = "bell",
        history: Path | None = None,
        extra: tuple[Path, ...] = (),
        settings: str = "",
    ) -> Harness:
        config = tmp_path / "config.toml"
        config.write_text(
            f"[workout]\npreflight = {str(preflight).lower()}\n"
            f'flash = {str(flash).lower()}\n\n[sound]\nmode = "{sound}"\n{settings}',
            encoding="utf-8",
        )
        plan_file = tmp_path / "short.toml"
        plan_file.write_text(plan_text, encoding="utf-8")
        plan = parse_plan_text(plan_text, str(plan_file), source=plan_file)
        clock = FakeClock(start=5000.0)
        wall_offset = clock.now

        def wall() -> datetime:
            return WALL_START + timedelta(seconds=clock.now - wall_offset)

        log = history or tmp_path / "history.toml"
        app = make_app(
            list(extra),
            history=log,
            config=config,
            start_plan=plan if run else None,
            clock=clock,
            wall_clock=wall,
        )
        bells: list[float] = []
        app.bell = lambda: bells.append(clock.now)  # type: ignore[method-assign]
        return Harness(app, clock, log, bells)

    return build


@pytest.fixture
def plans_shown_once_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library shows the plans loaded so far each second; on a busy machine the bundled
    ones can take longer, and a list drawn twice can wrap (and scroll) one row differently.
    A snapshot is of the loaded library: shown once, when every plan is in."""
    monkeypatch.setattr(library_screen, "SHOW_LOADED_EVERY_S", 3600.0)
