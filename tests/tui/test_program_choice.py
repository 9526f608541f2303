"""Choosing a program session by hand: skip a week ahead, and the program carries on from there.

``c`` on a highlighted program lists every session; Enter starts the chosen
one stamped with that slot, and once it is saved the library offers the
session after it, saying which weeks were skipped.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import OptionList

from retro_tui.tui.dialogs.program_session import ProgramSessionDialog
from retro_tui.tui.screens.library import LibraryScreen
from retro_tui.tui.screens.summary import SummaryScreen
from retro_tui.tui.screens.workout import WorkoutScreen

from .conftest import MakeHarness
from .helpers import advance, text_of

TINY_PROGRAM = """\
[program]
name = "Tiny block"

[[week]]
  [[week.session]]
  [week.session.plan]
  name = "Week one"
  [[week.session.step]]
  direction = "backward"
  duration = "10s"
  [[week.session.step]]
  kind = "recover"
  duration = "10s"

[[week]]
  [[week.session]]
  [week.session.plan]
  name = "Week two"
  [[week.session.step]]
  direction = "backward"
  duration = "15s"
  [[week.session.step]]
  kind = "recover"
  duration = "10s"

[[week]]
  [[week.session]]
  [week.session.plan]
  name = "Week three, first"
  [[week.session.step]]
  direction = "backward"
  duration = "20s"
  [[week.session.step]]
  kind = "recover"
  duration = "10s"
  [[week.session]]
  [week.session.plan]
  name = "Week three, second"
  [[week.session.step]]
  direction = "backward"
  duration = "20s"
  [[week.session.step]]
  kind = "recover"
  duration = "15s"
"""


async def test_skipping_to_week_three_carries_on_from_there(
    harness: MakeHarness, tmp_path: Path
) -> None:
    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "tiny.toml").write_text(TINY_PROGRAM, encoding="utf-8")
    h = harness(run=False, extra=(folder,))
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        library = h.app.screen
        assert isinstance(library, LibraryScreen)
        plans = library.query_one("#plans", OptionList)
        index = next(i for i, entry in enumerate(library.entries) if entry.title == "Tiny block")
        plans.highlighted = index
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(h.app.screen, ProgramSessionDialog)
        await pilot.press("down", "down", "enter")  # week 3, session 1
        await pilot.pause()
        screen = h.app.screen
        assert isinstance(screen, WorkoutScreen)
        assert screen.plan.name == "Week three, first"
        await advance(pilot, h, 31)
        assert isinstance(h.app.screen, SummaryScreen)
        await pilot.press("3", "n", "enter")
        await h.app.workers.wait_for_complete()
        await pilot.press("enter")  # back to the library, which reads the history again
        await pilot.pause()
        await h.app.workers.wait_for_complete()
        await pilot.pause()
        status = text_of(pilot, "#library-status")
        assert "Tiny block: week 3, session 2" in status
        assert "skipped" in text_of(pilot, "#preview").lower()
    with h.history.open("rb") as handle:
        [session] = tomllib.load(handle)["session"]
    assert (session["program"], session["program_week"], session["program_session"]) == (
        "Tiny block",
        3,
        1,
    )
