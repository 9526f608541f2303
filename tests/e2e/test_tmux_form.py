"""The weeks in the installed ``retro-tui``, in a real terminal (tmux): form, a load warning,
and the program calendar.

A history of four weeks of short, hard sessions of the bundled Retro starter (2 minutes at
session RPE 8 every day) is written as the app writes it. Then, as a coach would:

- the library opens on Retro starter (the plan run last) and its preview warns that doing
  it today would take the 7:28 load ratio to about 2;
- ``h``, ``t``, ``4`` show the trends' Form tab with today's form in a word;
- back in the library, Enter shows the safety check with the same warning, and Enter
  again starts the workout all the same.

The pane is polled for what a person would wait for, never read after a fixed sleep.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from retro_tui.history.log import append_session
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord

from .conftest import StartInTmux

pytestmark = pytest.mark.e2e

if shutil.which("tmux") is None:
    pytest.skip("tmux is not installed: these tests drive the app in tmux", allow_module_level=True)

SETTINGS = '[workout]\npreflight = true\nflash = false\n\n[sound]\nmode = "off"\n'
START_S = 20.0


def hard_short_day(back: int) -> SessionRecord:
    started = (datetime.now() - timedelta(days=back)).replace(microsecond=0).astimezone()
    return SessionRecord(
        id=f"{started:%Y%m%dT%H%M%S}-{back:04x}",
        plan="Retro starter",
        plan_file="starter.toml",
        started=started,
        ended=started + timedelta(minutes=2),
        status=SessionStatus.ENDED_EARLY,
        steps=(StepRecord("Backward", "work", "backward", 30, 120.0, plan_step=2),),
        rpe=8,
    )


def test_the_form_tab_and_a_load_warning_before_the_session(
    start_in_tmux: StartInTmux, retro_env: dict[str, str]
) -> None:
    Path(retro_env["RETRO_TUI_CONFIG"]).write_text(SETTINGS, encoding="utf-8")
    history = Path(retro_env["RETRO_TUI_HISTORY"])
    for back in range(27, 0, -1):
        append_session(history, hard_short_day(back))

    pane = start_in_tmux()
    pane.wait_for("q Quit", START_S)
    pane.wait_for("Load: Done as planned today", what="the load warning in the preview")
    pane.wait_for("2.0 rolling", what="the ratio it would make")

    pane.send("h")
    pane.wait_for("27 of 27 sessions", what="the history table")
    pane.send("t")
    pane.wait_for("Form", what="the trends")
    pane.send("4")
    screen = pane.wait_for("Today:", what="the Form tab")
    assert "Load ratio 7:28" in screen
    pane.send("Escape")
    pane.wait_gone("Today:")
    pane.send("Escape")
    pane.wait_for("Load: Done as planned today", what="the library again")

    pane.send("Enter")
    screen = pane.wait_for("Before you start")
    assert "Load: Done as planned today" in screen
    pane.send("Enter")
    pane.wait_for("step 1 of", START_S, what="the workout, started all the same")


def test_the_program_calendar_from_the_library(
    start_in_tmux: StartInTmux, retro_env: dict[str, str]
) -> None:
    Path(retro_env["RETRO_TUI_CONFIG"]).write_text(SETTINGS, encoding="utf-8")
    pane = start_in_tmux()
    pane.wait_for("q Quit", START_S)
    # The library opens on the starter plan; the bundled six-week block is first in the list.
    pane.wait_for("beginner · starter.toml", what="the starter's preview")
    pane.send("Home")
    pane.wait_for("w calendar", what="the program's preview")
    pane.send("w")
    screen = pane.wait_for("Program calendar", what="the calendar")
    assert "Not started yet" in screen and "▶" in screen
    assert "0/18" in screen
    pane.send("Escape")
    pane.wait_gone("Program calendar")
    pane.wait_for("w calendar")
